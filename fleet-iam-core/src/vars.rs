//! The value of every variable of every module, as Terraform would assign it: the variable's
//! `default`, then (root modules only) `terraform.tfvars`, `terraform.tfvars.json`,
//! `*.auto.tfvars[.json]` in lexical order, the `--var-file` files in order, then `--var`.
//!
//! A root module is a directory that no other checked module calls as a local module
//! (`source = "./modules/x"`). A called module's variables are set by its caller, which is not
//! followed yet: it keeps only the defaults (which the caller may override).

use crate::config::Config;
use crate::extract::{dir_of, normalize};
use crate::model::{At, Block, Module, SourceId, Value, ValueKind};
use crate::model::{VarSource, VarValue};
use crate::parse::hcl;
use crate::source::{Source, Span};
use std::collections::BTreeMap;

/// The tfvars files of a check, indexed for [`assign`]: each with its load order and name.
pub struct VarFiles<'a> {
    /// Auto-loaded files (`terraform.tfvars`, `*.auto.tfvars`) by directory.
    auto: BTreeMap<String, Vec<(u8, &'a str, SourceId)>>,
    /// `--var-file` files, which every root module loads.
    explicit: Vec<(u8, &'a str, SourceId)>,
}

impl<'a> VarFiles<'a> {
    /// Indexes the tfvars `ids` of `sources`.
    pub fn new(sources: &'a [Source], ids: impl IntoIterator<Item = SourceId>, config: &Config) -> VarFiles<'a> {
        let mut files = VarFiles { auto: BTreeMap::new(), explicit: Vec::new() };
        for id in ids {
            let Some(name) = sources.get(id.0).map(|s| s.name.as_str()) else { continue };
            if let Some(i) = config.var_files.iter().position(|f| f == name) {
                files.explicit.push((3 + i.min(200) as u8, name, id));
            } else if let Some(order) = auto_loaded(name) {
                files.auto.entry(dir_of(name)).or_default().push((order, name, id));
            }
        }
        files
    }

    /// Whether every root module loads a file (`--var-file`): then which modules are roots
    /// matters everywhere.
    pub fn global(&self) -> bool {
        !self.explicit.is_empty()
    }

    /// Whether a root module in `dir` would load a file of its own (`terraform.tfvars`,
    /// `*.auto.tfvars`).
    pub fn auto_in(&self, dir: &str) -> bool {
        self.auto.contains_key(dir)
    }
}

/// Fills `module.vars`: defaults, then for a root module its tfvars files and `--var` values.
pub fn assign(
    module: &mut Module,
    root: bool,
    files: &VarFiles<'_>,
    tfvars: &BTreeMap<SourceId, Vec<(String, Value)>>,
    config: &Config,
) {
    let mut vars = BTreeMap::new();
    for block in module.blocks.iter().filter(|b| b.ident == "variable") {
        let Some(name) = block.label(0) else { continue };
        if let Some(default) = block.body.attribute("default") {
            vars.insert(name.to_string(), VarValue { value: default.value.clone(), source: VarSource::Default });
        }
    }
    if root {
        let mut loaded: Vec<(u8, &str, SourceId)> =
            files.auto.get(&module.dir).into_iter().flatten().chain(&files.explicit).copied().collect();
        loaded.sort();
        for (_, name, id) in loaded {
            for (var, value) in tfvars.get(&id).into_iter().flatten() {
                vars.insert(var.clone(), VarValue { value: value.clone(), source: VarSource::File(name.to_string()) });
            }
        }
        for (name, text) in &config.vars {
            vars.insert(name.clone(), VarValue { value: command_line(text), source: VarSource::CommandLine });
        }
    }
    module.vars = vars;
}

/// The load order of an auto-loaded tfvars file, or `None` when Terraform does not load it.
fn auto_loaded(name: &str) -> Option<u8> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match file {
        "terraform.tfvars" => Some(0),
        "terraform.tfvars.json" => Some(1),
        _ if file.ends_with(".auto.tfvars") || file.ends_with(".auto.tfvars.json") => Some(2),
        _ => None,
    }
}

/// The directories that the blocks of a module in `dir` call with a local `source`.
pub fn local_calls<'b>(dir: &'b str, blocks: &'b [Block]) -> impl Iterator<Item = String> + 'b {
    blocks.iter().filter(|b| b.ident == "module").filter_map(move |call| {
        let source = call.body.attribute("source").and_then(|a| a.value.as_str())?;
        let local = source.starts_with("./") || source.starts_with("../");
        local.then(|| normalize(&if dir.is_empty() { source.to_string() } else { format!("{dir}/{source}") }))
    })
}

/// Whether a Terraform file may call a local module: a cheap test on its text, before parsing
/// it, that must never say no to a file that does. It mentions `modul` other than in
/// `path.module` and has a local path (`./`, or `.\/` as JSON may escape it); any `\u` escape
/// (which can spell either) sends the file to the parser too.
pub fn may_call_local(text: &str) -> bool {
    if text.contains("\\u") {
        return true;
    }
    let local = text.contains("./") || text.contains(".\\/");
    local && text.match_indices("modul").any(|(i, _)| !text[..i].ends_with("path."))
}

/// A `--var` value: HCL for lists, objects, numbers and booleans, a plain string otherwise, as
/// Terraform reads `-var` for a variable of that type.
fn command_line(text: &str) -> Value {
    let at = At::new(SourceId(usize::MAX), Span::default());
    let string = Value::new(at, ValueKind::String(text.to_string()));
    let trimmed = text.trim_start();
    if !trimmed.starts_with(['[', '{']) {
        return string;
    }
    let Ok(body) = hcl::parse(&format!("v = {text}"), SourceId(usize::MAX)) else { return string };
    let Some(attr) = body.attributes.into_iter().next() else { return string };
    let mut value = attr.value;
    value.at = at;
    value
}
