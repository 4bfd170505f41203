//! Per-document known identities: the patient's own name, birth date, IPP… given in a
//! record's `meta`, found everywhere in that document in any case, accent or initial form.
//!
//! Recognised `meta` keys (also inside a nested object `meta.patient`):
//!
//! | key(s) | label | source |
//! |---|---|---|
//! | `nom`, `last_name` | NOM | `known:nom` |
//! | `nom_naissance`, `birth_name`, `maiden_name` | NOM | `known:nom_naissance` |
//! | `prenom`, `first_name` (`J.` right before the surname too) | PRENOM | `known:prenom` |
//! | `date_naissance`, `birth_date` (`yyyy-mm-dd` or `dd/mm/yyyy`) | DATE_NAISSANCE | `known:date_naissance` |
//! | `ipp` | IPP | `known:ipp` |
//! | `adresse`, `address` | ADRESSE | `known:adresse` |
//! | `ville`, `city` | VILLE | `known:ville` |
//! | `zip`, `code_postal`, `postcode` | ZIP | `known:zip` |
//! | `tel`, `telephone`, `phone` | TEL | `known:tel` |
//!
//! Values may be strings or numbers; other types are ignored.

use crate::fold::{fold, fold_key, is_word_byte};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use voile_core::{Detector, Label, Span};

const SCORE: f32 = 0.97;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Nom,
    NomNaissance,
    Prenom,
    DateNaissance,
    Ipp,
    Adresse,
    Ville,
    Zip,
    Tel,
}

impl Field {
    const KEYS: &'static [(&'static str, Field)] = &[
        ("nom", Field::Nom),
        ("last_name", Field::Nom),
        ("nom_naissance", Field::NomNaissance),
        ("birth_name", Field::NomNaissance),
        ("maiden_name", Field::NomNaissance),
        ("prenom", Field::Prenom),
        ("first_name", Field::Prenom),
        ("date_naissance", Field::DateNaissance),
        ("birth_date", Field::DateNaissance),
        ("ipp", Field::Ipp),
        ("adresse", Field::Adresse),
        ("address", Field::Adresse),
        ("ville", Field::Ville),
        ("city", Field::Ville),
        ("zip", Field::Zip),
        ("code_postal", Field::Zip),
        ("postcode", Field::Zip),
        ("tel", Field::Tel),
        ("telephone", Field::Tel),
        ("phone", Field::Tel),
    ];

    fn label(self) -> Label {
        match self {
            Field::Nom | Field::NomNaissance => Label::Nom,
            Field::Prenom => Label::Prenom,
            Field::DateNaissance => Label::DateNaissance,
            Field::Ipp => Label::Ipp,
            Field::Adresse => Label::Adresse,
            Field::Ville => Label::Ville,
            Field::Zip => Label::Zip,
            Field::Tel => Label::Tel,
        }
    }

    fn source(self) -> &'static str {
        match self {
            Field::Nom => "known:nom",
            Field::NomNaissance => "known:nom_naissance",
            Field::Prenom => "known:prenom",
            Field::DateNaissance => "known:date_naissance",
            Field::Ipp => "known:ipp",
            Field::Adresse => "known:adresse",
            Field::Ville => "known:ville",
            Field::Zip => "known:zip",
            Field::Tel => "known:tel",
        }
    }
}

/// The identity of one document's patient, read from its `meta`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnownIdentities {
    values: BTreeMap<Field, Vec<String>>,
}

/// The label of a known-identity field name (`nom`, `first_name`, `ipp`, …), as read by
/// [`KnownIdentities::from_meta`]; `None` for any other name.
pub fn identity_field_label(name: &str) -> Option<Label> {
    Field::KEYS
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, f)| f.label())
}

impl KnownIdentities {
    pub fn from_meta(meta: &Map<String, Value>) -> Self {
        let mut k = KnownIdentities::default();
        k.read(meta);
        if let Some(Value::Object(p)) = meta.get("patient") {
            k.read(p);
        }
        k
    }

    fn read(&mut self, m: &Map<String, Value>) {
        for (key, field) in Field::KEYS {
            let v = match m.get(*key) {
                Some(Value::String(s)) => s.trim().to_string(),
                Some(Value::Number(n)) => n.to_string(),
                _ => continue,
            };
            if !v.is_empty() {
                let vals = self.values.entry(*field).or_default();
                if !vals.contains(&v) {
                    vals.push(v);
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Matches one document's [`KnownIdentities`] (build one per document; cheap).
pub struct KnownDetector {
    ac: Option<AhoCorasick>,
    fields: Vec<Field>,
    first_initials: Vec<char>,
}

impl KnownDetector {
    pub fn new(known: &KnownIdentities) -> Self {
        let mut pats: BTreeMap<String, Field> = BTreeMap::new();
        let mut first_initials = Vec::new();
        for (&field, vals) in &known.values {
            for v in vals {
                for p in patterns(field, v) {
                    // The first field wins for a shared surface (BTreeMap order = Field order).
                    pats.entry(p).or_insert(field);
                }
                if field == Field::Prenom {
                    if let Some(c) = fold_key(v).chars().next() {
                        first_initials.push(c);
                    }
                }
            }
        }
        let (p, fields): (Vec<String>, Vec<Field>) = pats.into_iter().unzip();
        let ac = (!p.is_empty()).then(|| {
            // One record's identity, searched in that record only: an NFA builds fastest.
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&p)
                .expect("small literal automaton")
        });
        KnownDetector {
            ac,
            fields,
            first_initials,
        }
    }
}

fn patterns(field: Field, v: &str) -> Vec<String> {
    let key = fold_key(v);
    let mut out = Vec::new();
    match field {
        Field::Nom | Field::NomNaissance | Field::Prenom => {
            out.push(key.clone());
            // Parts of compound names ("Dupont-Martin", "Marie Claire") stand alone too.
            let parts: Vec<&str> = key.split([' ', '-']).filter(|p| p.len() >= 3).collect();
            if parts.len() > 1 {
                out.extend(
                    parts
                        .iter()
                        .filter(|p| !matches!(**p, "des" | "van" | "von" | "del"))
                        .map(|p| p.to_string()),
                );
                out.push(key.replace('-', " "));
                out.push(key.replace(' ', "-"));
            }
        }
        Field::DateNaissance => out.extend(date_forms(v)),
        Field::Tel => out.extend(tel_forms(v)),
        Field::Ipp | Field::Zip | Field::Ville | Field::Adresse => out.push(key),
    }
    out.retain(|p| p.len() >= 2);
    out
}

fn date_forms(v: &str) -> Vec<String> {
    let nums: Vec<u32> = v
        .split(['-', '/', '.', ' '])
        .filter_map(|p| p.parse().ok())
        .collect();
    let (y, m, d) = match nums.as_slice() {
        [y, m, d] if *y > 31 => (*y, *m, *d),
        [d, m, y] if *y > 31 => (*y, *m, *d),
        _ => return Vec::new(),
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Vec::new();
    }
    let yy = y % 100;
    let month = voile_core::calendar::MONTHS_FOLDED[(m - 1) as usize];
    let mut out = Vec::new();
    for sep in ["/", ".", "-"] {
        out.push(format!("{d:02}{sep}{m:02}{sep}{y}"));
        out.push(format!("{d}{sep}{m}{sep}{y}"));
        out.push(format!("{d:02}{sep}{m:02}{sep}{yy:02}"));
    }
    out.push(format!("{y}-{m:02}-{d:02}"));
    out.push(format!("{d} {month} {y}"));
    out.push(format!("{d:02} {month} {y}"));
    if d == 1 {
        out.push(format!("1er {month} {y}"));
    }
    out
}

fn tel_forms(v: &str) -> Vec<String> {
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let national = if let Some(rest) = digits.strip_prefix("33").filter(|r| r.len() == 9) {
        format!("0{rest}")
    } else {
        digits.clone()
    };
    let mut out = vec![digits.clone(), national.clone()];
    if national.len() == 10 {
        let pairs: Vec<&str> = (0..5).map(|i| &national[2 * i..2 * i + 2]).collect();
        for sep in [" ", ".", "-"] {
            out.push(pairs.join(sep));
        }
        let intl = &national[1..];
        out.push(format!("+33{intl}"));
        out.push(format!("+33 {} {}", &intl[..1], pairs[1..].join(" ")));
        out.push(format!(
            "+33 (0){}",
            pairs.join(" ").trim_start_matches('0')
        ));
    }
    out
}

impl Detector for KnownDetector {
    fn name(&self) -> &str {
        "known"
    }

    fn detect(&self, text: &str, out: &mut Vec<Span>) {
        let Some(ac) = &self.ac else { return };
        let f = fold(text);
        let b = f.text.as_bytes();
        for m in ac.find_iter(&f.text) {
            let (s, e) = (m.start(), m.end());
            if (s > 0 && is_word_byte(b[s - 1])) || (e < b.len() && is_word_byte(b[e])) {
                continue;
            }
            let field = self.fields[m.pattern().as_usize()];
            let (os, oe) = f.original(s, e);
            out.push(Span::new(os, oe, field.label(), field.source(), SCORE));
            if matches!(field, Field::Nom | Field::NomNaissance) {
                self.initial_before(text, os, out);
            }
        }
    }
}

impl KnownDetector {
    /// `J. Dupont` / `J.Dupont`: the initial of a known first name right before the surname.
    fn initial_before(&self, text: &str, surname_start: usize, out: &mut Vec<Span>) {
        let before = text[..surname_start].trim_end_matches(' ');
        let Some(stripped) = before.strip_suffix('.') else {
            return;
        };
        let Some(c) = stripped.chars().next_back() else {
            return;
        };
        let start = stripped.len() - c.len_utf8();
        let standalone = stripped[..start]
            .chars()
            .next_back()
            .is_none_or(|p| !p.is_alphanumeric());
        let folded = fold_key(&c.to_string());
        if c.is_uppercase()
            && standalone
            && self.first_initials.iter().any(|i| folded.starts_with(*i))
        {
            out.push(Span::new(
                start,
                before.len(),
                Label::Prenom,
                Field::Prenom.source(),
                SCORE,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spans(meta: Value, text: &str) -> Vec<(String, Label, String)> {
        let known = KnownIdentities::from_meta(meta.as_object().unwrap());
        let mut out = Vec::new();
        KnownDetector::new(&known).detect(text, &mut out);
        out.sort_by_key(|s| (s.start, s.end));
        out.iter()
            .map(|s| (text[s.range()].to_string(), s.label, s.source.to_string()))
            .collect()
    }

    #[test]
    fn finds_names_in_every_case_accent_and_initial_form() {
        let meta = json!({"nom": "Dupont-Lefèvre", "prenom": "Hélène"});
        let text = "Mme HELENE DUPONT-LEFEVRE, vue par H. Dupont-Lefèvre ; hélène dupont lefevre. Lefèvre. Duponthier.";
        let got = spans(meta, text);
        let surfaces: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            surfaces,
            [
                "HELENE",
                "DUPONT-LEFEVRE",
                "H.",
                "Dupont-Lefèvre",
                "hélène",
                "dupont lefevre",
                "Lefèvre"
            ]
        );
        assert_eq!(got[2].1, Label::Prenom);
        assert_eq!(got[3].2, "known:nom");
    }

    #[test]
    fn nested_patient_object_dates_phones_ipp_zip() {
        let meta = json!({"patient": {"last_name": "Martin", "birth_date": "1954-03-07", "ipp": 80012345,
                          "tel": "+33 6 12 34 56 78", "code_postal": "44000", "ville": "Saint-Herblain"}});
        let text = "MARTIN né le 07/03/1954 (7 mars 1954), IPP 80012345, tél 06.12.34.56.78, 44000 SAINT HERBLAIN? non: Saint-Herblain";
        let got = spans(meta, text);
        let find = |s: &str| got.iter().find(|g| g.0 == s).map(|g| g.1);
        assert_eq!(find("MARTIN"), Some(Label::Nom));
        assert_eq!(find("07/03/1954"), Some(Label::DateNaissance));
        assert_eq!(find("7 mars 1954"), Some(Label::DateNaissance));
        assert_eq!(find("80012345"), Some(Label::Ipp));
        assert_eq!(find("06.12.34.56.78"), Some(Label::Tel));
        assert_eq!(find("44000"), Some(Label::Zip));
        assert_eq!(find("Saint-Herblain"), Some(Label::Ville));
        assert!(KnownIdentities::from_meta(&Map::new()).is_empty());
    }
}
