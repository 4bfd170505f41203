//! Column profiling for `voile scan`: which columns of a table look identifying, as the share
//! of sampled non-empty values that look like each label. Pure logic over strings (no IO), so
//! it is testable here and reusable by any front end; it lives in the facade because it needs
//! the built [`Pipeline`] (rules for structured values, gazetteers and the full pipeline for
//! free text) and its name lists.
//!
//! A value (trimmed, non-empty) counts for a label when:
//! - that label's spans (from the pipeline) cover at least [`COVER`] of its non-space
//!   characters: a whole-cell match (`04/07/1957` → DATE, `06 12 34 56 78` → TEL, a NIR →
//!   SECU, `12 rue des Lilas` → ADRESSE, `Nantes` → VILLE);
//! - the whole cell is a name of the lists (every word a first name → PRENOM, a surname →
//!   NOM, one of each or more → NOM), a commune (VILLE) or a known postcode (ZIP);
//! - nothing above matched and it has the shape of an identifier (no space, 6–40 characters,
//!   at least 5 digits, not a decimal number): ID, or IPP/NDA when the column name says so;
//! - nothing above matched, it is text (a line break, at least [`TEXT_WORDS`] words of two
//!   letters or more, or more than [`TEXT_CHARS`] characters) and the pipeline finds any
//!   span in it: `FREE_TEXT`, free text holding identifiers.
//!
//! The column name is a weak hint (`nom`, `prenom`, `ddn`, `date_naissance`, `nir`, `tel`,
//! `adresse`, `cp`, `ipp`…): it lowers the share needed for its own label from
//! [`SENSITIVE_SHARE`] to [`HINTED_SHARE`], and turns DATE into DATE_NAISSANCE for birth-date
//! names; alone it flags nothing. `FREE_TEXT` needs [`FREE_TEXT_SHARE`].
//!
//! Dates: per the label contract (docs/labels.md) every absolute date is identifying (DATE),
//! dates of care included, so a column of sampling or admission dates is flagged DATE like a
//! birth-date column is flagged DATE_NAISSANCE. Codes (CIM-10, CCAM), labels of diagnoses,
//! doses and numeric results match none of the above and are not flagged.

use crate::Pipeline;
use std::collections::{BTreeMap, HashSet};
use voile_core::Label;
use voile_gazetteer::fold::fold_key;

/// Share of a column's values needed to flag it for a label.
pub const SENSITIVE_SHARE: f64 = 0.5;
/// The same when the column's name hints at that label.
pub const HINTED_SHARE: f64 = 0.2;
/// Share of free-text values holding at least one identifier needed to flag the column: low,
/// since one name in a report already leaks.
pub const FREE_TEXT_SHARE: f64 = 0.2;
/// Share of a short cell's non-space characters a label's spans must cover.
pub const COVER: f64 = 0.5;
/// A value with at least this many words (of two letters or more) is text.
pub const TEXT_WORDS: usize = 4;
/// A value with more characters than this is text.
pub const TEXT_CHARS: usize = 100;

/// The label reported for free text holding identifiers.
pub const FREE_TEXT: &str = "FREE_TEXT";

/// What the scan says about one column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnReport {
    pub name: String,
    /// Non-empty values sampled.
    pub values: usize,
    /// Share of those values that look like each label (only labels seen), rounded to 0.001.
    pub labels: BTreeMap<String, f64>,
    /// True when some label reaches its threshold.
    pub sensitive: bool,
}

/// Scans columns with a pipeline's detectors and name lists (built once per scan).
pub struct ColumnScanner<'p> {
    pipeline: &'p Pipeline,
    first_names: HashSet<String>,
    surnames: HashSet<String>,
    communes: HashSet<String>,
    postcodes: HashSet<String>,
}

impl<'p> ColumnScanner<'p> {
    pub fn new(pipeline: &'p Pipeline) -> Self {
        let lists = pipeline.lists();
        ColumnScanner {
            pipeline,
            first_names: lists
                .first_names
                .iter()
                .map(|n| fold_key(&n.name))
                .collect(),
            surnames: lists.surnames.iter().map(|n| fold_key(&n.name)).collect(),
            communes: lists.communes.iter().map(|c| fold_key(&c.name)).collect(),
            postcodes: lists.communes.iter().map(|c| c.postcode.clone()).collect(),
        }
    }

    /// Profile column `name` from its sampled values (`None` = null, not counted).
    pub fn scan(&self, name: &str, values: &[Option<String>]) -> ColumnReport {
        let hint = name_hint(name);
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut total = 0;
        for v in values.iter().flatten() {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            total += 1;
            for label in self.cell_labels(v, hint) {
                *counts.entry(label).or_default() += 1;
            }
        }
        let labels: BTreeMap<String, f64> = counts
            .into_iter()
            .map(|(l, n)| (l, (n as f64 / total as f64 * 1000.0).round() / 1000.0))
            .collect();
        let sensitive = labels
            .iter()
            .any(|(label, &share)| share >= threshold(label, hint));
        ColumnReport {
            name: name.to_string(),
            values: total,
            labels,
            sensitive,
        }
    }

    /// The labels one trimmed, non-empty value looks like (each at most once).
    fn cell_labels(&self, v: &str, hint: Option<&str>) -> Vec<String> {
        let spans = self.pipeline.detect(v);
        let mut labels: Vec<String> = covering_labels(v, &spans)
            .into_iter()
            .map(|l| birth_date_by_hint(l, hint).to_string())
            .collect();
        labels.extend(self.list_labels(v).into_iter().map(String::from));
        if labels.is_empty() && is_identifier_shaped(v) {
            labels.push(id_label_by_hint(hint).to_string());
        }
        if labels.is_empty() && is_text(v) && !spans.is_empty() {
            labels.push(FREE_TEXT.to_string());
        }
        labels.sort();
        labels.dedup();
        labels
    }

    /// Whole-cell matches against the name, commune and postcode lists.
    fn list_labels(&self, v: &str) -> Vec<&'static str> {
        let mut out = Vec::new();
        let key = fold_key(v);
        if self.communes.contains(&key) {
            out.push("VILLE");
        }
        if v.len() == 5 && self.postcodes.contains(v) {
            out.push("ZIP");
        }
        let words: Vec<String> = key
            .split([' ', '-'])
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        if words.is_empty() || words.len() > 4 {
            return out;
        }
        let first = words.iter().all(|w| self.first_names.contains(w));
        let last = words.iter().all(|w| self.surnames.contains(w));
        let either = words
            .iter()
            .all(|w| self.first_names.contains(w) || self.surnames.contains(w));
        // `Jean-Pierre` is one first name; `Jean DUPONT` is a full name.
        if first || self.first_names.contains(&key) {
            out.push("PRENOM");
        }
        if last || (either && !first && words.len() > 1) {
            out.push("NOM");
        }
        out
    }
}

fn is_text(v: &str) -> bool {
    let words = v
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    v.contains('\n') || words >= TEXT_WORDS || v.chars().count() > TEXT_CHARS
}

/// Labels whose spans cover at least [`COVER`] of the value's non-space characters.
fn covering_labels(v: &str, spans: &[voile_core::Span]) -> Vec<Label> {
    let non_space = v.chars().filter(|c| !c.is_whitespace()).count().max(1);
    let mut covered: BTreeMap<Label, usize> = BTreeMap::new();
    for s in spans {
        let n = v[s.start..s.end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        *covered.entry(s.label).or_default() += n;
    }
    covered
        .into_iter()
        .filter(|&(_, n)| n as f64 >= COVER * non_space as f64)
        .map(|(l, _)| l)
        .collect()
}

/// No space, 6–40 characters (room for a UUID or a hash) of letters, digits and `-`/`_`/`/`, at least 5 digits, not a
/// decimal number: `80012345`, `NDA-2021-004512`.
fn is_identifier_shaped(v: &str) -> bool {
    let n = v.chars().count();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    (6..=40).contains(&n)
        && digits >= 5
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/'))
}

/// The label a column name hints at, from its folded words (`date_naissance`, `Code postal`,
/// `telPortable` is not split: hints are whole words).
fn name_hint(name: &str) -> Option<&'static str> {
    let key = fold_key(name);
    let words: Vec<&str> = key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    if has("naissance") || has("ddn") || has("dob") || has("birth") || has("birthdate") {
        return Some("DATE_NAISSANCE");
    }
    if has("patient") && (has("id") || has("num") || has("no")) {
        return Some("IPP");
    }
    if has("postal") || has("cp") || has("zip") || has("postcode") {
        return Some("ZIP");
    }
    const HINTS: &[(&str, &[&str])] = &[
        ("PRENOM", &["prenom", "prenoms", "firstname"]),
        ("NOM", &["nom", "name", "lastname", "surname", "patronyme"]),
        ("SECU", &["nir", "secu", "nss", "insee"]),
        (
            "TEL",
            &["tel", "telephone", "phone", "portable", "mobile", "fax"],
        ),
        ("MAIL", &["mail", "email", "courriel"]),
        ("ADRESSE", &["adresse", "address", "rue", "voie"]),
        ("VILLE", &["ville", "commune", "city"]),
        ("IPP", &["ipp"]),
        ("NDA", &["nda", "sejour", "venue"]),
        ("DATE", &["date", "dt", "jour"]),
    ];
    HINTS
        .iter()
        .find(|(_, ws)| ws.iter().any(|w| has(w)))
        .map(|(label, _)| *label)
}

fn birth_date_by_hint(label: Label, hint: Option<&str>) -> &'static str {
    if label == Label::Date && hint == Some("DATE_NAISSANCE") {
        "DATE_NAISSANCE"
    } else {
        label.as_str()
    }
}

fn id_label_by_hint(hint: Option<&str>) -> &'static str {
    match hint {
        Some("IPP") => "IPP",
        Some("NDA") => "NDA",
        _ => "ID",
    }
}

fn threshold(label: &str, hint: Option<&str>) -> f64 {
    if label == FREE_TEXT {
        FREE_TEXT_SHARE
    } else if hint == Some(label) {
        HINTED_SHARE
    } else {
        SENSITIVE_SHARE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_hint_whole_words() {
        assert_eq!(name_hint("date_naissance"), Some("DATE_NAISSANCE"));
        assert_eq!(name_hint("DDN"), Some("DATE_NAISSANCE"));
        assert_eq!(name_hint("Prénom"), Some("PRENOM"));
        assert_eq!(name_hint("nom_usage"), Some("NOM"));
        assert_eq!(name_hint("code_postal"), Some("ZIP"));
        assert_eq!(name_hint("cp"), Some("ZIP"));
        assert_eq!(name_hint("date_prelevement"), Some("DATE"));
        assert_eq!(name_hint("libelle_diagnostic"), None);
        assert_eq!(name_hint("nombre"), None, "whole words only");
        assert_eq!(name_hint("patient_id"), Some("IPP"));
    }

    #[test]
    fn identifier_shapes() {
        assert!(is_identifier_shaped("80012345"));
        assert!(is_identifier_shaped("NDA-2021-004512"));
        assert!(!is_identifier_shaped("E11.9"));
        assert!(!is_identifier_shaped("132.45"));
        assert!(!is_identifier_shaped("500 mg"));
        assert!(!is_identifier_shaped("1234"));
        assert!(is_identifier_shaped("synth-pat-0c6b17460339f078"));
    }

    #[test]
    fn text_is_words_or_long_or_multiline() {
        assert!(is_text("a\nb"));
        assert!(is_text("Vu par le Dr Paul MARCHAND"));
        assert!(is_text(&"x".repeat(101)));
        assert!(!is_text("Insuffisance cardiaque congestive"));
        assert!(!is_text("2 57 07 75 112 045 46"));
    }

    #[test]
    fn thresholds_are_lower_for_hinted_labels_and_free_text() {
        assert_eq!(threshold("NOM", Some("NOM")), HINTED_SHARE);
        assert_eq!(threshold("NOM", Some("VILLE")), SENSITIVE_SHARE);
        assert_eq!(threshold(FREE_TEXT, None), FREE_TEXT_SHARE);
    }
}
