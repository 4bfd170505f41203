//! Identity fields next to the text: what pseudonymised output does with them.
//!
//! A record's `meta` often carries the patient's known identity (`meta.patient`: surname,
//! first name, birth date, IPP…) and a `patient_id`. They help detection, but pseudonymised
//! output must never carry them in clear. Each identity field is dropped (the default),
//! pseudonymised, or — only when a config says so explicitly — kept:
//!
//! | field | identity fields | `pseudonymise` gives |
//! |---|---|---|
//! | `patient_id`, `meta.patient_id` | [`IdentityFields::patient_id`] | a keyed linkage pseudonym (same id + key → same pseudonym) |
//! | `meta.patient` (every key), and `nom`, `prenom`, `date_naissance`, `ipp`, `adresse`, `ville`, `zip`, `tel` (and their English names) at the top level or in `meta` | [`IdentityFields::known_identity`] | the surrogate the text gets for the same value (same key and scope) |
//!
//! `fields` overrides the action of one field by its path (`"meta.patient.ipp": "pseudonymise"`).
//! A field inside `meta.patient` whose label is unknown cannot be pseudonymised and is dropped.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use voile_core::{Label, Span};
use voile_gazetteer::identity_field_label;
use voile_surrogate::{Pseudonymiser, Scope};

/// What happens to one identity field on pseudonymised output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldAction {
    Drop,
    Pseudonymise,
    Keep,
}

/// The identity-field policy of `pseudo` (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityFields {
    /// `patient_id` and `meta.patient_id`.
    pub patient_id: FieldAction,
    /// `meta.patient` and the known-identity keys at the top level or in `meta`.
    pub known_identity: FieldAction,
    /// Per-field overrides by dotted path.
    pub fields: BTreeMap<String, FieldAction>,
}

impl Default for IdentityFields {
    fn default() -> Self {
        IdentityFields {
            patient_id: FieldAction::Drop,
            known_identity: FieldAction::Drop,
            fields: BTreeMap::new(),
        }
    }
}

/// Everything needed to rewrite one record's fields.
pub(crate) struct FieldRewriter<'a> {
    pub policy: &'a IdentityFields,
    pub pseudonymiser: &'a Pseudonymiser,
    pub scope: Scope<'a>,
}

impl FieldRewriter<'_> {
    /// The record's other fields (everything but `id` and `text`) as they may be written.
    pub fn rewrite(&self, extra: &Map<String, Value>) -> Map<String, Value> {
        self.rewrite_object(extra, "")
    }

    fn rewrite_object(&self, obj: &Map<String, Value>, prefix: &str) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in obj {
            let path = format!("{prefix}{key}");
            if let Some(v) = self.rewrite_field(&path, key, value) {
                out.insert(key.clone(), v);
            }
        }
        out
    }

    /// `None` drops the field.
    fn rewrite_field(&self, path: &str, key: &str, value: &Value) -> Option<Value> {
        match path {
            "meta" => match value {
                Value::Object(m) => Some(Value::Object(self.rewrite_object(m, "meta."))),
                other => Some(other.clone()),
            },
            "patient_id" | "meta.patient_id" => {
                let action = self.action(path, self.policy.patient_id);
                self.apply(action, value, |v| {
                    self.pseudonymiser
                        .linkage_pseudonym("patient_id", v)
                        .map(Value::String)
                })
            }
            "meta.patient" => self.rewrite_patient(value),
            _ if is_identity_path(path) => {
                let label = identity_field_label(key)?;
                let action = self.action(path, self.policy.known_identity);
                self.apply(action, value, |v| {
                    Some(Value::String(self.surrogate(v, label)))
                })
            }
            _ => Some(value.clone()),
        }
    }

    /// `meta.patient`: every key is identity; an emptied object disappears.
    fn rewrite_patient(&self, value: &Value) -> Option<Value> {
        let Value::Object(p) = value else {
            return self.apply(
                self.action("meta.patient", self.policy.known_identity),
                value,
                |_| None,
            );
        };
        let mut out = Map::new();
        for (key, v) in p {
            let path = format!("meta.patient.{key}");
            let action = self.action(
                &path,
                self.action("meta.patient", self.policy.known_identity),
            );
            let label = identity_field_label(key);
            let new = self.apply(action, v, |s| {
                label.map(|l| Value::String(self.surrogate(s, l)))
            });
            if let Some(new) = new {
                out.insert(key.clone(), new);
            }
        }
        (!out.is_empty()).then_some(Value::Object(out))
    }

    fn action(&self, path: &str, default: FieldAction) -> FieldAction {
        self.policy.fields.get(path).copied().unwrap_or(default)
    }

    /// Apply `action` to a value; `pseudo` maps its string form (numbers included) and may
    /// refuse (`None`), in which case the field is dropped rather than kept in clear.
    fn apply(
        &self,
        action: FieldAction,
        value: &Value,
        pseudo: impl Fn(&str) -> Option<Value>,
    ) -> Option<Value> {
        match action {
            FieldAction::Keep => Some(value.clone()),
            FieldAction::Drop => None,
            FieldAction::Pseudonymise => match value {
                Value::String(s) => pseudo(s),
                Value::Number(n) => pseudo(&n.to_string()),
                Value::Null => Some(Value::Null),
                _ => None,
            },
        }
    }

    /// The surrogate the text would get for `value` as `label` in this record's scope.
    fn surrogate(&self, value: &str, label: Label) -> String {
        let span = Span::new(0, value.len(), label, "identity", 1.0);
        self.pseudonymiser
            .pseudonymise(value, &[span], &self.scope)
            .text
    }
}

/// Known-identity keys at the top level or directly in `meta`.
fn is_identity_path(path: &str) -> bool {
    let key = path.strip_prefix("meta.").unwrap_or(path);
    !key.contains('.') && identity_field_label(key).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use voile_gazetteer::lists::Lists;
    use voile_surrogate::{Key, SurrogateConfig};

    fn pseudonymiser() -> Pseudonymiser {
        let lists = Lists::load(&crate::resources::gazetteers_dir(&crate::resources::root(
            None,
        )))
        .unwrap();
        let key = Key::from_bytes(b"identity-test-key-0123456789").unwrap();
        Pseudonymiser::new(&SurrogateConfig::default(), Some(key), &lists).unwrap()
    }

    fn rewrite(policy: &IdentityFields, extra: Value) -> Value {
        let p = pseudonymiser();
        let r = FieldRewriter {
            policy,
            pseudonymiser: &p,
            scope: Scope {
                document_id: "d1",
                patient_id: Some("p1"),
            },
        };
        Value::Object(r.rewrite(extra.as_object().unwrap()))
    }

    fn sample() -> Value {
        json!({
            "patient_id": "P-0042",
            "meta": {
                "patient_id": "P-0042",
                "service": "cardiologie",
                "patient": {"nom": "LEFEVRE", "prenom": "Josiane", "date_naissance": "12/04/1957",
                            "ipp": "80012345", "sexe": "F"},
                "nom": "LEFEVRE"
            },
            "source": "dpi"
        })
    }

    #[test]
    fn identity_is_dropped_by_default_and_other_fields_kept() {
        let out = rewrite(&IdentityFields::default(), sample());
        assert_eq!(
            out,
            json!({"meta": {"service": "cardiologie"}, "source": "dpi"})
        );
    }

    #[test]
    fn pseudonymised_identity_never_equals_the_original() {
        let policy = IdentityFields {
            patient_id: FieldAction::Pseudonymise,
            known_identity: FieldAction::Pseudonymise,
            fields: BTreeMap::new(),
        };
        let out = rewrite(&policy, sample());
        let text = out.to_string();
        for clear in ["P-0042", "LEFEVRE", "Josiane", "12/04/1957", "80012345"] {
            assert!(!text.contains(clear), "{clear} leaked in {text}");
        }
        let pid = out["patient_id"].as_str().unwrap();
        assert_eq!(pid.len(), 24);
        assert_eq!(
            out["meta"]["patient_id"], out["patient_id"],
            "same id, same pseudonym"
        );
        // `sexe` has no identity label: it cannot be pseudonymised, so it is dropped.
        assert!(out["meta"]["patient"].get("sexe").is_none());
        assert!(out["meta"]["patient"]["prenom"].is_string());
        assert_eq!(out["meta"]["nom"], out["meta"]["patient"]["nom"]);
    }

    #[test]
    fn per_field_overrides_apply() {
        let mut fields = BTreeMap::new();
        fields.insert("meta.patient.sexe".to_string(), FieldAction::Keep);
        fields.insert("patient_id".to_string(), FieldAction::Pseudonymise);
        let policy = IdentityFields {
            fields,
            ..IdentityFields::default()
        };
        let out = rewrite(&policy, sample());
        assert_eq!(out["meta"]["patient"], json!({"sexe": "F"}));
        assert!(out["patient_id"].as_str().is_some_and(|p| p != "P-0042"));
        assert!(out["meta"].get("patient_id").is_none());
    }
}
