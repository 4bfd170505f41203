//! Calibrated span scores: per-label monotone maps from the model's raw span score (mean word
//! probability) to the share of such spans that were right on an annotated dev corpus, so a
//! threshold of 0.9 keeps spans that are right about nine times in ten.
//!
//! The maps are fitted by isotonic regression (`eval/reliability.py`) and shipped as
//! `calibration.json` beside the weights; a label without a map keeps its raw score.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use voile_core::{Error, ErrorKind, Label};

/// Per-label piecewise-linear maps (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// What the maps were fitted on (corpus, what counted as right).
    #[serde(default)]
    pub fitted_on: String,
    /// label → knots `[raw, calibrated]`, raw increasing, calibrated non-decreasing, in [0, 1].
    pub labels: BTreeMap<Label, Vec<[f32; 2]>>,
}

impl Calibration {
    /// `calibration.json` of a model directory, if it has one.
    pub fn load(dir: &Path) -> Result<Option<Calibration>, Error> {
        let path = dir.join("calibration.json");
        if !path.is_file() {
            return Ok(None);
        }
        let bad = |m: String| Error::new(ErrorKind::Resource(format!("{}: {m}", path.display())));
        let text = std::fs::read_to_string(&path).map_err(|e| bad(format!("cannot read ({e})")))?;
        let cal: Calibration =
            serde_json::from_str(&text).map_err(|e| bad(format!("not a calibration ({e})")))?;
        cal.check().map_err(bad)?;
        Ok(Some(cal))
    }

    fn check(&self) -> Result<(), String> {
        for (label, knots) in &self.labels {
            if knots.is_empty() {
                return Err(format!("{label}: no knots"));
            }
            let in_unit = |v: f32| (0.0..=1.0).contains(&v);
            if knots.iter().any(|[r, c]| !in_unit(*r) || !in_unit(*c)) {
                return Err(format!("{label}: values outside [0, 1]"));
            }
            if knots
                .windows(2)
                .any(|w| w[1][0] <= w[0][0] || w[1][1] < w[0][1])
            {
                return Err(format!(
                    "{label}: knots must rise (raw strictly, calibrated weakly)"
                ));
            }
        }
        Ok(())
    }

    /// The calibrated score of a `label` span with raw score `raw`: linear between knots,
    /// flat beyond the first and last.
    pub fn apply(&self, label: Label, raw: f32) -> f32 {
        let Some(knots) = self.labels.get(&label) else {
            return raw;
        };
        let first = knots[0];
        let last = knots[knots.len() - 1];
        if raw <= first[0] {
            return first[1];
        }
        if raw >= last[0] {
            return last[1];
        }
        let i = knots.partition_point(|k| k[0] <= raw);
        let ([r0, c0], [r1, c1]) = (knots[i - 1], knots[i]);
        c0 + (c1 - c0) * (raw - r0) / (r1 - r0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calibration {
        Calibration {
            fitted_on: "test".into(),
            labels: [(Label::Nom, vec![[0.5, 0.2], [0.8, 0.6], [0.95, 0.9]])]
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn maps_between_knots_and_flat_outside() {
        let c = cal();
        assert_eq!(c.apply(Label::Nom, 0.3), 0.2);
        assert_eq!(c.apply(Label::Nom, 0.99), 0.9);
        assert!((c.apply(Label::Nom, 0.65) - 0.4).abs() < 1e-6);
        assert_eq!(c.apply(Label::Nom, 0.8), 0.6);
        assert_eq!(
            c.apply(Label::Ville, 0.77),
            0.77,
            "a label without a map keeps its score"
        );
    }

    #[test]
    fn loading_checks_the_knots() {
        let dir = std::env::temp_dir().join(format!("voile-cal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(Calibration::load(&dir).unwrap(), None);
        std::fs::write(
            dir.join("calibration.json"),
            serde_json::to_string(&cal()).unwrap(),
        )
        .unwrap();
        assert_eq!(Calibration::load(&dir).unwrap(), Some(cal()));
        std::fs::write(
            dir.join("calibration.json"),
            r#"{"labels": {"NOM": [[0.5, 0.6], [0.4, 0.7]]}}"#,
        )
        .unwrap();
        let err = Calibration::load(&dir).unwrap_err().to_string();
        assert!(err.contains("must rise"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
