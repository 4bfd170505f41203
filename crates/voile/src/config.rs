//! The pipeline configuration: one versioned, serde-serialisable struct (JSON on disk) so that
//! the CLI, the Python bindings and Spark jobs can ship the exact same settings.

use crate::identity::IdentityFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use voile_core::{Error, ErrorKind, Label};
use voile_gazetteer::GazetteerConfig;
use voile_ner::NerConfig;
use voile_rules::RulesConfig;
use voile_surrogate::SurrogateConfig;

/// How the model's candidates join the others before resolution ([`crate::fusion::fuse`]).
///
/// The model proposes `labels`; a candidate enters if its probability reaches the label's
/// threshold (`thresholds`, else `min_score`), with its score multiplied by the label's
/// weight (`weights`, else `score_weight`) so that, on overlap, a rule or list span of
/// comparable confidence wins; where the model agrees with another source on a name, place or
/// address, that candidate's score rises by `agreement_boost` × (1 − score). Defaults were
/// chosen on the style-shift dev split (operating points: `eval/README.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NerPolicy {
    pub labels: Vec<Label>,
    pub min_score: f32,
    pub thresholds: BTreeMap<Label, f32>,
    pub score_weight: f32,
    pub weights: BTreeMap<Label, f32>,
    pub agreement_boost: f32,
}

impl Default for NerPolicy {
    fn default() -> Self {
        NerPolicy::for_profile(Profile::Default)
    }
}

/// A privacy profile: how far the model's proposals are trusted.
///
/// Thresholds per label chosen on the style-shift dev split by `eval/calibrate.py`, which
/// weighs a leaked token against an over-redacted one 2:1 (`default`) or 4:1 (`recall`,
/// fewest leaks, lower precision). They belong to the shipped model (its span scores, mapped
/// through `models/calibration.json` when the model ships one): recalibrate when it changes.
/// Labels absent from a profile are left to rules and lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    #[default]
    Default,
    Recall,
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "default" => Ok(Profile::Default),
            "recall" => Ok(Profile::Recall),
            other => Err(format!(
                "unknown profile {other:?} (expected default or recall)"
            )),
        }
    }
}

impl NerPolicy {
    /// The calibrated policy of a profile (`eval/calibration-styleshift-dev.json`).
    pub fn for_profile(profile: Profile) -> NerPolicy {
        use Label::*;
        let thresholds: &[(Label, f32)] = match profile {
            Profile::Default => &[
                (Nom, 0.99),
                (Ville, 0.9),
                (Hopital, 0.5),
                (Adresse, 0.7),
                (Date, 0.8),
                (DateNaissance, 0.5),
                (Zip, 0.99),
                (Tel, 0.8),
                (Secu, 0.5),
                (Id, 0.7),
            ],
            Profile::Recall => &[
                (Nom, 0.8),
                (Prenom, 0.7),
                (Ville, 0.9),
                (Hopital, 0.5),
                (Adresse, 0.7),
                (Date, 0.5),
                (DateNaissance, 0.5),
                (Zip, 0.99),
                (Tel, 0.5),
                (Secu, 0.5),
                (Ipp, 0.5),
                (Id, 0.7),
            ],
        };
        NerPolicy {
            labels: thresholds.iter().map(|(l, _)| *l).collect(),
            min_score: 0.99,
            thresholds: thresholds.iter().copied().collect(),
            score_weight: 0.8,
            weights: BTreeMap::new(),
            agreement_boost: 0.3,
        }
    }

    pub fn proposes(&self, label: Label) -> bool {
        self.labels.contains(&label)
    }

    pub fn threshold(&self, label: Label) -> f32 {
        self.thresholds
            .get(&label)
            .copied()
            .unwrap_or(self.min_score)
    }

    pub fn weight(&self, label: Label) -> f32 {
        self.weights
            .get(&label)
            .copied()
            .unwrap_or(self.score_weight)
    }
}

/// Document-wide propagation of accepted surfaces (see [`crate::propagate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Propagation {
    /// Every other occurrence in the same document.
    pub document: bool,
    /// Occurrences in the other documents of the same patient (`meta.patient_id`) processed
    /// in the same batch. Off by default: the result then depends on how records are batched
    /// (the CLI's chunks of 256 records, a Spark partition), so the same document could come
    /// out differently through two interfaces.
    pub patient: bool,
}

impl Default for Propagation {
    fn default() -> Self {
        Propagation {
            document: true,
            patient: false,
        }
    }
}

/// Version of the config format; bumped on incompatible changes.
pub const CONFIG_VERSION: u32 = 1;

/// Everything a [`crate::Pipeline`] needs. `Config::default()` is the shipped default pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub version: u32,
    /// Directory holding `gazetteers/` and `models/`; see [`crate::resources::root`].
    pub resources: Option<PathBuf>,
    pub use_rules: bool,
    pub use_gazetteer: bool,
    pub use_ner: bool,
    /// Match the patient's known identity from a record's `meta` everywhere in that record.
    pub use_known_identities: bool,
    /// Detectors read all-lowercase documents (dictation) with the capitals of known names,
    /// communes and words after a title given back (`voile_gazetteer::recase`).
    pub recase_lowercase: bool,
    pub rules: RulesConfig,
    pub gazetteer: GazetteerConfig,
    pub ner: NerConfig,
    /// The privacy profile the model policy comes from (see [`Profile`]); a config that
    /// names a profile and no `ner_policy` gets the profile's policy.
    pub profile: Profile,
    /// How far NER spans are trusted next to rules and gazetteers.
    pub ner_policy: NerPolicy,
    /// Where accepted surfaces spread after resolution.
    pub propagation: Propagation,
    pub surrogate: SurrogateConfig,
    /// What pseudonymised output does with identity fields next to the text (`meta.patient`,
    /// `patient_id`…): dropped by default; see [`crate::identity`].
    pub identity_fields: IdentityFields,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            version: CONFIG_VERSION,
            resources: None,
            use_rules: true,
            use_gazetteer: true,
            use_ner: true,
            use_known_identities: true,
            recase_lowercase: true,
            rules: RulesConfig::default(),
            gazetteer: GazetteerConfig::default(),
            ner: NerConfig::default(),
            profile: Profile::Default,
            ner_policy: NerPolicy::default(),
            propagation: Propagation::default(),
            surrogate: SurrogateConfig::default(),
            identity_fields: IdentityFields::default(),
        }
    }
}

impl Config {
    /// Read a JSON config file; unknown fields and other versions are errors.
    pub fn from_file(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(ErrorKind::Io(format!(
                "cannot read config {}: {e}",
                path.display()
            )))
        })?;
        Self::from_json(&text)
            .map_err(|e| Error::new(ErrorKind::Config(format!("{}: {e}", path.display()))))
    }

    pub fn from_json(text: &str) -> Result<Config, String> {
        let mut cfg: Config = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let raw: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if raw.get("ner_policy").is_none() {
            cfg.ner_policy = NerPolicy::for_profile(cfg.profile);
        }
        if cfg.version != CONFIG_VERSION {
            return Err(format!(
                "config version {} is not supported (expected {CONFIG_VERSION})",
                cfg.version
            ));
        }
        Ok(cfg)
    }

    /// This config under another privacy profile (its model policy replaced).
    pub fn with_profile(mut self, profile: Profile) -> Config {
        self.profile = profile;
        self.ner_policy = NerPolicy::for_profile(profile);
        self
    }

    /// Refuse configs that cannot do their job: with every detector off, text would pass
    /// through unchanged.
    pub fn validate(&self) -> Result<(), Error> {
        if !(self.use_rules || self.use_gazetteer || self.use_ner || self.use_known_identities) {
            return Err(Error::new(ErrorKind::Config(
                "every detector is off (use_rules, use_gazetteer, use_ner, use_known_identities): \
                 nothing would be detected or replaced"
                    .into(),
            )));
        }
        Ok(())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("config always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_round_trips_through_json() {
        let c = Config::default();
        assert_eq!(Config::from_json(&c.to_json()).unwrap(), c);
    }

    #[test]
    fn partial_config_fills_defaults_and_rejects_unknowns() {
        let c = Config::from_json(r#"{"use_ner": true}"#).unwrap();
        assert!(c.use_ner && c.use_rules);
        assert!(Config::from_json(r#"{"use_nerr": false}"#).is_err());
        assert!(Config::from_json(r#"{"version": 99}"#).is_err());
    }

    #[test]
    fn a_profile_named_in_json_brings_its_policy_unless_one_is_given() {
        let recall = Config::from_json(r#"{"profile": "recall"}"#).unwrap();
        assert_eq!(recall.ner_policy, NerPolicy::for_profile(Profile::Recall));
        assert!(recall.ner_policy.threshold(Label::Prenom) < 0.99);
        let own =
            Config::from_json(r#"{"profile": "recall", "ner_policy": {"labels": []}}"#).unwrap();
        assert!(own.ner_policy.labels.is_empty());
        assert_eq!(Config::default().with_profile(Profile::Recall), recall);
        assert!("loose".parse::<Profile>().is_err());
    }

    #[test]
    fn config_with_every_detector_off_is_refused() {
        let c = Config::from_json(
            r#"{"use_rules": false, "use_gazetteer": false, "use_ner": false, "use_known_identities": false}"#,
        )
        .unwrap();
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains("every detector is off"), "{e}");
        assert!(Config::default().validate().is_ok());
    }
}
