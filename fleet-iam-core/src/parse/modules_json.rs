//! `.terraform/modules/modules.json`: where `terraform init` put each module of a
//! configuration. Read by the core, to point a plan's findings into downloaded modules, and by
//! the CLI, to know which directories to read as a plan's context.

use super::json;
use super::strings::OffsetMap;
use crate::model::{SourceId, Value};

/// A module that `terraform init` downloaded (or linked, for a local module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadedModule {
    /// The module key path: `eks`, or `eks.node_group` for a module the `eks` module calls; `""`
    /// for the root module.
    pub key: String,
    /// Where it is, relative to the directory of `.terraform/`, as recorded.
    pub dir: String,
}

/// The modules a `modules.json` text records, in order; none when it is not such a file.
pub fn downloaded_modules(text: &str) -> Vec<DownloadedModule> {
    json::parse(text, SourceId(0), &OffsetMap::identity(0)).map(|v| from_value(&v)).unwrap_or_default()
}

/// [`downloaded_modules`] of a parsed `modules.json`.
pub fn from_value(value: &Value) -> Vec<DownloadedModule> {
    let modules = value.get("Modules").and_then(|m| m.value.as_list()).unwrap_or_default();
    modules
        .iter()
        .filter_map(|module| {
            let key = module.get("Key")?.value.as_str()?;
            let dir = module.get("Dir")?.value.as_str()?;
            Some(DownloadedModule { key: key.to_string(), dir: dir.to_string() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_and_dirs_and_nothing_from_other_text() {
        let text = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"eks","Source":"registry.terraform.io/terraform-aws-modules/eks/aws","Version":"20.8.4","Dir":".terraform/modules/eks"},{"Key":"broken"}]}"#;
        let modules = downloaded_modules(text);
        let pairs: Vec<(&str, &str)> = modules.iter().map(|m| (m.key.as_str(), m.dir.as_str())).collect();
        assert_eq!(pairs, [("", "."), ("eks", ".terraform/modules/eks")]);
        assert!(downloaded_modules("not json").is_empty());
        assert!(downloaded_modules("{\"Modules\": 3}").is_empty());
    }
}
