//! M8: secrets written into the code, and secrets that `terraform plan` prints because nothing
//! marks them sensitive: in variables and outputs (also those CI workflows set from secrets), in
//! Helm releases, and in plan JSON. Names and
//! values are judged by [`crate::secrets`]; where a value comes from, by
//! [`crate::semantic::flows`].

pub mod ci_variable_undeclared;
pub mod helm_set_secret;
pub(crate) mod helpers;
pub mod literal;
pub mod output_not_sensitive;
pub mod plan_secret_exposed;
pub mod variable_not_sensitive;

#[cfg(test)]
mod tests {
    use crate::rule::{Context, Rule};
    use crate::semantic::Semantic;
    use crate::source::{SourceKind, Sources};

    /// The rules' own messages, before the engine's sanitiser, never show a fixture secret.
    #[test]
    fn rules_mask_secrets_themselves() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
        let list = std::fs::read_to_string(root.join("fixture-secrets.txt")).unwrap_or_default();
        let secrets: Vec<&str> = list.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        let rules: [Box<dyn Rule>; 4] = [
            Box::new(super::variable_not_sensitive::SecretVariableNotSensitive {}),
            Box::new(super::output_not_sensitive::SecretOutputNotSensitive {}),
            Box::new(super::helm_set_secret::HelmSetSecret {}),
            Box::new(super::literal::SecretLiteral {}),
        ];
        let mut checked = 0;
        for dir in ["secret-variable-not-sensitive", "secret-output-not-sensitive", "helm-set-secret", "secret-literal"]
        {
            let entries = std::fs::read_dir(root.join("rules").join(dir)).into_iter().flatten().flatten();
            for path in entries.map(|e| e.path()).filter(|p| p.is_file()) {
                let name = path.to_string_lossy().to_string();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let kind = if name.ends_with(".tf.json") {
                    SourceKind::TfJson
                } else if name.ends_with(".tf") {
                    SourceKind::Hcl
                } else {
                    continue;
                };
                let (listed, module) = crate::testing::module(&name, &text, kind);
                let sources = Sources::given(&listed);
                let semantic = Semantic::new(Some(&module), &sources);
                let mut out = Vec::new();
                for rule in &rules {
                    rule.check_module(&Context { unit: &sources, semantic: &semantic }, &module, &mut out);
                }
                for v in &out {
                    let shown: Vec<&str> = [v.message.as_str(), v.help.as_deref().unwrap_or_default()]
                        .into_iter()
                        .chain(v.labels.iter().map(|(_, l)| l.as_str()))
                        .collect();
                    for secret in &secrets {
                        assert!(shown.iter().all(|s| !s.contains(secret)), "{name}: {shown:?}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 30, "only {checked} violations");
    }
}
