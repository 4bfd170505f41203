//! What to do with each label, in which scope, and how far dates move.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use voile_core::{Error, ErrorKind, Label};

/// How one identifier is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// A realistic, consistent, keyed surrogate of the same kind (`DUPONT` → `MOREL`).
    Surrogate,
    /// The label in brackets (`[NOM]`).
    Tag,
    /// A run of the redaction character (`XXXX`), optionally as long as the original.
    Redact,
    /// The label and a keyed hash of the normalised entity (`NOM_3f9a2c1b`).
    Hash,
    /// The original text, unchanged (for labels a study needs and may legally keep).
    Keep,
}

impl Operator {
    pub const fn as_str(self) -> &'static str {
        match self {
            Operator::Surrogate => "surrogate",
            Operator::Tag => "tag",
            Operator::Redact => "redact",
            Operator::Hash => "hash",
            Operator::Keep => "keep",
        }
    }

    /// Whether the operator derives its output from the secret key.
    pub const fn needs_key(self) -> bool {
        matches!(self, Operator::Surrogate | Operator::Hash)
    }
}

/// Which documents share surrogates: the same entity gets the same surrogate (and dates
/// the same shift) within one scope, unrelated ones across scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    /// Each document on its own.
    Document,
    /// All documents of one patient (`meta.patient_id`); documents without a patient id
    /// fall back to document scope.
    Patient,
    /// The whole corpus: one date shift and one surrogate per entity everywhere.
    Corpus,
}

/// Pseudonymisation settings (serialisable: part of the pipeline config).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SurrogateConfig {
    /// Operator for labels not listed in `operators`.
    pub default_operator: Operator,
    /// Per-label overrides, e.g. `{"DATE": "keep", "ID": "tag"}`.
    pub operators: BTreeMap<Label, Operator>,
    pub scope: ScopeKind,
    /// Redaction as long as the original (in characters) instead of a fixed 4 characters.
    pub redact_keep_length: bool,
    pub redact_char: char,
    /// Inclusive range of the per-scope date shift, in days. 0 and whole years (±365, ±366
    /// and multiples) are never drawn, so no date keeps its day and month.
    pub date_shift_min_days: i32,
    pub date_shift_max_days: i32,
}

impl Default for SurrogateConfig {
    fn default() -> Self {
        SurrogateConfig {
            default_operator: Operator::Surrogate,
            operators: BTreeMap::new(),
            scope: ScopeKind::Patient,
            redact_keep_length: false,
            redact_char: 'X',
            date_shift_min_days: -365,
            date_shift_max_days: 365,
        }
    }
}

impl SurrogateConfig {
    /// The operator applied to `label`.
    pub fn operator(&self, label: Label) -> Operator {
        self.operators
            .get(&label)
            .copied()
            .unwrap_or(self.default_operator)
    }

    /// Whether any label is processed with a key-dependent operator.
    pub fn needs_key(&self) -> bool {
        Label::ALL.iter().any(|&l| self.operator(l).needs_key())
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        let (lo, hi) = (self.date_shift_min_days, self.date_shift_max_days);
        if lo > hi {
            return Err(config_err(format!(
                "date_shift_min_days ({lo}) is greater than date_shift_max_days ({hi})"
            )));
        }
        if !(lo..=hi).any(is_allowed_shift) {
            return Err(config_err(format!(
                "the date shift range {lo}..={hi} holds no usable shift (0 and whole years are excluded)"
            )));
        }
        if self.redact_char.is_control() {
            return Err(config_err(
                "redact_char must be a printable character".into(),
            ));
        }
        Ok(())
    }
}

/// A shift that moves every date to a different day and month: not 0, not a whole number
/// of 365- or 366-day years (which would keep `3 mars` as `3 mars`).
pub(crate) fn is_allowed_shift(d: i32) -> bool {
    d != 0 && d % 365 != 0 && d % 366 != 0
}

fn config_err(m: String) -> Error {
    Error::new(ErrorKind::Config(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_round_trips_and_overrides_apply() {
        let mut c = SurrogateConfig::default();
        c.operators.insert(Label::Date, Operator::Keep);
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("\"DATE\":\"keep\""), "{json}");
        let back: SurrogateConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        assert_eq!(c.operator(Label::Date), Operator::Keep);
        assert_eq!(c.operator(Label::Nom), Operator::Surrogate);
        let partial: SurrogateConfig = serde_json::from_str(r#"{"scope":"corpus"}"#).unwrap();
        assert_eq!(partial.scope, ScopeKind::Corpus);
        assert_eq!(partial.date_shift_max_days, 365);
    }

    #[test]
    fn bad_shift_ranges_are_rejected() {
        let mut c = SurrogateConfig {
            date_shift_min_days: 5,
            date_shift_max_days: 1,
            ..Default::default()
        };
        assert!(c.validate().is_err());
        c.date_shift_min_days = 0;
        c.date_shift_max_days = 0;
        assert!(c.validate().is_err());
        c.date_shift_max_days = 2;
        assert!(c.validate().is_ok());
        assert!(!is_allowed_shift(-730) && !is_allowed_shift(366) && is_allowed_shift(-364));
    }
}
