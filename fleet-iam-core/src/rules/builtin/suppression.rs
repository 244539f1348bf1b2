use crate::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports ignore comments and `[[ignore]]` entries that do not do what they say:
    /// - a `# fleet-iam-ignore:` comment without a reason after `--` (it is not applied);
    /// - a rule id that does not exist (a typo silences nothing);
    /// - an `expires` date that has passed (the comment or entry is not applied any more);
    /// - a comment for a rule that the configuration marks `ignorable = false`;
    /// - a comment or entry that suppresses nothing (the finding is fixed, or it never matched);
    /// - a malformed comment (no rule id, a date that is not `YYYY-MM-DD`).
    ///
    /// The syntax, in HCL with `#` or `//`, on the line before a block, attribute or policy
    /// statement, or at the end of its line:
    /// `# fleet-iam-ignore: <rule-id>[, <rule-id>] -- <reason> (expires YYYY-MM-DD)`
    ///
    /// ## Why is this bad?
    /// An exception nobody can explain, that outlived its reason, or that hides nothing is
    /// noise that teaches people to ignore the tool. Each exception should be deliberate,
    /// explained and temporary.
    ///
    /// ## Example
    /// ```hcl
    /// # fleet-iam-ignore: iam-service-wildcard
    /// resource "aws_iam_policy" "ci" {
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "eks:DescribeCluster", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_iam_policy" "ci" {
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "eks:DescribeCluster", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Options
    /// None. A pack marks a rule `ignorable = false` to refuse inline ignores for it.
    ///
    /// ## References
    /// - [ruff: unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
    pub struct Suppression {}
    id: "suppression", finding: None, summary: "an ignore comment or entry with no reason, an unknown rule, an expired date, or nothing to suppress",
}

impl Rule for Suppression {}
