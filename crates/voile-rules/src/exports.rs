//! Exports inside documents: delimited tables under a header row (CSV, `;`, tab, `|`),
//! `KEY=value` lines and JSON `"key": "value"` pairs. The field name says what a value is
//! (`gazetteers/lexicons/champs_export.tsv`), so values no other detector can read alone — a
//! bare `840117722` under `ipp`, `DE SOUSA` under `patient_nom` — are labelled by their field.

use crate::text::{fold, is_capitalised, is_upper_word};
use regex::Regex;
use voile_core::{Label, Span};

/// What the values of a field are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Is(Label),
    /// A full name: capitals are the surname, capitalised words the first names.
    Person,
}

pub(crate) struct Exports {
    key_value: Regex,
    json: Regex,
}

impl Exports {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        Ok(Exports {
            key_value: crate::text::compile(
                r"(?m)^[ \t]*([A-Za-z][A-Za-z0-9_.\-]{0,40})=([^\n]*)$",
            )?,
            json: crate::text::compile(
                r#""([A-Za-z_][A-Za-z0-9_]{0,40})"[ \t]*:[ \t]*"([^"\n]{1,200})""#,
            )?,
        })
    }

    pub(crate) fn detect(&self, text: &str, out: &mut Vec<Span>) {
        detect_tables(text, out);
        if text.contains('=') {
            for c in self.key_value.captures_iter(text) {
                let (k, v) = (c.get(1).expect("key"), c.get(2).expect("value"));
                if let Some(kind) = field_kind(k.as_str()) {
                    emit_value(text, trim_value(text, v.start(), v.end()), kind, out);
                }
            }
        }
        if text.contains("\":") || text.contains("\" :") {
            for c in self.json.captures_iter(text) {
                let (k, v) = (c.get(1).expect("key"), c.get(2).expect("value"));
                if let Some(kind) = field_kind(k.as_str()) {
                    emit_value(text, (v.start(), v.end()), kind, out);
                }
            }
        }
    }
}

/// The kind of a field name: whole, then its last part, then its first part.
fn field_kind(name: &str) -> Option<Kind> {
    let folded: String = fold(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let key = folded
        .trim_matches('_')
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches('_');
    let parts: Vec<&str> = key.split('_').filter(|p| !p.is_empty()).collect();
    if let Some(kind) = lookup(key) {
        return Some(kind);
    }
    let last = parts.last().copied()?;
    if QUALIFIERS.contains(&last) {
        return None;
    }
    // The first part names the field only for simple kinds (`date_cr`, `tel_fixe`), never a
    // person (`patient_note` is not a name).
    lookup(last).or_else(|| lookup(parts[0]).filter(|k| *k != Kind::Person))
}

/// Last parts that make a field about its first part rather than the thing itself
/// (`ins_oid`, `adr_pays`, `pers_prevenir_lien`).
const QUALIFIERS: [&str; 10] = [
    "oid", "statut", "status", "lien", "type", "code", "pays", "country", "sexe", "note",
];

fn lookup(key: &str) -> Option<Kind> {
    let (_, label) = crate::lexicon::export_fields()
        .iter()
        .find(|(k, _)| *k == key)?;
    if *label == "PERSONNE" {
        return Some(Kind::Person);
    }
    label.parse::<Label>().ok().map(Kind::Is)
}

/// `start..end` without surrounding spaces and quotes.
fn trim_value(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let b = text.as_bytes();
    while s < e && matches!(b[s], b' ' | b'\t' | b'"' | b'\'') {
        s += 1;
    }
    while e > s && matches!(b[e - 1], b' ' | b'\t' | b'"' | b'\'' | b'\r') {
        e -= 1;
    }
    (s, e)
}

/// Label one value by its field's kind, when its shape fits the label.
fn emit_value(text: &str, (s, e): (usize, usize), kind: Kind, out: &mut Vec<Span>) {
    if e <= s || e - s > 200 || text[s..e].contains('\n') {
        return;
    }
    let v = &text[s..e];
    let digits = v.bytes().filter(u8::is_ascii_digit).count();
    let letters = v.chars().filter(|c| c.is_alphabetic()).count();
    match kind {
        Kind::Person => emit_person(text, s, e, out),
        Kind::Is(label @ (Label::Date | Label::DateNaissance)) => {
            // The date itself: a time after it stays outside (`2024-03-11 08:12`).
            let end = v.find([' ', 'T']).map_or(e, |i| s + i);
            if digits >= 4 && end > s {
                let score = if label == Label::DateNaissance {
                    0.93
                } else {
                    0.85
                };
                out.push(Span::new(s, end, label, "rule:export", score));
            }
        }
        Kind::Is(Label::Secu)
            if digits >= 13 && v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b' ') =>
        {
            out.push(Span::new(s, e, Label::Secu, "rule:export", 0.9));
        }
        Kind::Is(label @ (Label::Ipp | Label::Nda | Label::Id))
            if digits >= 3 && !v.contains(' ') =>
        {
            out.push(Span::new(s, e, label, "rule:export", 0.9));
        }
        Kind::Is(Label::Tel) if digits >= 8 => {
            out.push(Span::new(s, e, Label::Tel, "rule:export", 0.9));
        }
        Kind::Is(Label::Mail) if v.contains('@') && !v.contains(' ') => {
            out.push(Span::new(s, e, Label::Mail, "rule:export", 0.9));
        }
        Kind::Is(Label::Zip) if digits == 5 && v.len() <= 8 => {
            out.push(Span::new(s, e, Label::Zip, "rule:export", 0.9));
        }
        Kind::Is(label @ (Label::Nom | Label::Prenom)) if name_like(v) => {
            out.push(Span::new(s, e, label, "rule:export", 0.88));
        }
        Kind::Is(Label::Ville) if letters >= 2 && name_like(v) => {
            // `PÉRIGUEUX CEDEX 9`: the commune without its CEDEX.
            let end = v.to_ascii_lowercase().find(" cedex").map_or(e, |i| s + i);
            out.push(Span::new(s, end, Label::Ville, "rule:export", 0.88));
        }
        Kind::Is(Label::Adresse) if digits > 0 && !v.contains('@') => {
            // `Cabinet médical, 2 place Francheville`: an establishment before the street is
            // not the address.
            let start = match v.split_once(',') {
                Some((head, tail))
                    if !head.bytes().any(|c| c.is_ascii_digit())
                        && tail.bytes().any(|c| c.is_ascii_digit())
                        && establishment(head) =>
                {
                    s + head.len() + 1 + (tail.len() - tail.trim_start().len())
                }
                _ => s,
            };
            out.push(Span::new(start, e, Label::Adresse, "rule:export", 0.88));
        }
        _ => {}
    }
}

/// Words of a care establishment or practice at the head of an address field.
fn establishment(head: &str) -> bool {
    let f = fold(head);
    [
        "cabinet",
        "centre",
        "maison de sante",
        "clinique",
        "hopital",
        "ehpad",
        "pole",
        "service",
        "msp",
    ]
    .iter()
    .any(|w| f.contains(w))
}

/// A name value: at most five words, each capitalised, in capitals or a particle; not a
/// placeholder (`INCONNU`, `X`).
fn name_like(v: &str) -> bool {
    let words: Vec<&str> = v.split_whitespace().collect();
    let placeholder = matches!(fold(v).as_str(), "inconnu" | "x" | "nc" | "null" | "none");
    !placeholder
        && (1..=5).contains(&words.len())
        && !v.contains('@')
        && words.iter().all(|w| {
            is_capitalised(w)
                || is_upper_word(w)
                || matches!(
                    fold(w).as_str(),
                    "de" | "du"
                        | "des"
                        | "la"
                        | "le"
                        | "van"
                        | "von"
                        | "da"
                        | "dos"
                        | "ben"
                        | "bin"
                        | "el"
                )
        })
}

/// A full-name value: runs of capitals as NOM, runs of capitalised words as PRENOM.
fn emit_person(text: &str, s: usize, e: usize, out: &mut Vec<Span>) {
    if text[s..e].split_whitespace().count() > 6 {
        return;
    }
    let mut run: Option<(usize, usize, Label)> = None;
    let mut flush = |run: &mut Option<(usize, usize, Label)>| {
        if let Some((a, z, l)) = run.take() {
            out.push(Span::new(a, z, l, "rule:export", 0.88));
        }
    };
    let mut pos = s;
    for word in text[s..e].split([' ', ',']) {
        let ws = pos;
        pos += word.len() + 1;
        let w = word.trim_end_matches('.');
        if w.is_empty() {
            continue;
        }
        let folded = fold(w);
        // `SF` (sage-femme) is a title only in staff columns, not in the shared list.
        let label = if crate::lexicon::TITLES.contains(&folded.as_str()) || folded == "sf" {
            None
        } else if w.chars().count() >= 2 && is_upper_word(w) {
            Some(Label::Nom)
        } else if is_capitalised(w) {
            Some(Label::Prenom)
        } else {
            None
        };
        match (label, &mut run) {
            (Some(l), Some((_, z, rl))) if *rl == l => *z = ws + w.len(),
            (Some(l), _) => {
                flush(&mut run);
                run = Some((ws, ws + w.len(), l));
            }
            (None, _) => flush(&mut run),
        }
    }
    flush(&mut run);
}

/// Delimited tables: a header row of field names (at least 3 fields, one of them known)
/// and the rows after it with as many fields.
fn detect_tables(text: &str, out: &mut Vec<Span>) {
    let mut lines = line_ranges(text).into_iter().peekable();
    while let Some((ls, le)) = lines.next() {
        let Some((delim, kinds)) = header(&text[ls..le]) else {
            continue;
        };
        while let Some(&(rs, re)) = lines.peek() {
            let fields = split_fields(&text[rs..re], delim);
            if fields.len() != kinds.len() {
                break;
            }
            for ((fs, fe), kind) in fields.into_iter().zip(&kinds) {
                if let Some(kind) = kind {
                    emit_value(text, trim_value(text, rs + fs, rs + fe), *kind, out);
                }
            }
            lines.next();
        }
    }
}

fn line_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            out.push((s, i));
            s = i + 1;
        }
    }
    out.push((s, text.len()));
    out
}

/// A header row: its delimiter and the kind of each field.
fn header(line: &str) -> Option<(u8, Vec<Option<Kind>>)> {
    let line = line.trim_end_matches('\r');
    let delim = [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|&d| line.bytes().filter(|&b| b == d).count())?;
    if line.bytes().filter(|&b| b == delim).count() < 2 {
        return None;
    }
    let names: Vec<&str> = split_fields(line, delim)
        .into_iter()
        .map(|(s, e)| line[s..e].trim().trim_matches('"'))
        .collect();
    let name_like = |n: &str| {
        n.len() <= 40
            && n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && n.chars()
                .all(|c| c.is_alphanumeric() || "_ .-'".contains(c))
    };
    if !names.iter().all(|n| n.is_empty() || name_like(n)) {
        return None;
    }
    let kinds: Vec<Option<Kind>> = names.iter().map(|n| field_kind(n)).collect();
    kinds.iter().any(Option::is_some).then_some((delim, kinds))
}

/// Byte ranges of the fields of a delimited line (double quotes protect delimiters).
fn split_fields(line: &str, delim: u8) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, &c) in b.iter().enumerate() {
        if c == b'"' {
            quoted = !quoted;
        } else if c == delim && !quoted {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, b.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(Label, String)> {
        let mut out = Vec::new();
        Exports::new().unwrap().detect(text, &mut out);
        out.iter()
            .map(|s| (s.label, text[s.start..s.end].to_string()))
            .collect()
    }

    #[test]
    fn field_names_map_whole_then_by_part() {
        assert_eq!(field_kind("patient_nom"), Some(Kind::Is(Label::Nom)));
        assert_eq!(field_kind("dest_adresse1"), Some(Kind::Is(Label::Adresse)));
        assert_eq!(
            field_kind("DATE_NAISSANCE"),
            Some(Kind::Is(Label::DateNaissance))
        );
        assert_eq!(field_kind("date_cr"), Some(Kind::Is(Label::Date)));
        assert_eq!(field_kind("prescripteur"), Some(Kind::Person));
        assert_eq!(field_kind("analyses"), None);
    }

    #[test]
    fn csv_rows_are_labelled_by_their_column() {
        let t = "sample_id,patient_nom,patient_prenom,ddn,ipp,prescripteur,analyses\n\
                 24071100451,DE SOUSA,Ana Rita,1985-02-03,840203318,\"MARTINEZ, Julien\",\"TP, TCA\"\n\nfin";
        assert_eq!(
            found(t),
            vec![
                (Label::Id, "24071100451".into()),
                (Label::Nom, "DE SOUSA".into()),
                (Label::Prenom, "Ana Rita".into()),
                (Label::DateNaissance, "1985-02-03".into()),
                (Label::Ipp, "840203318".into()),
                (Label::Nom, "MARTINEZ".into()),
                (Label::Prenom, "Julien".into()),
            ]
        );
    }

    #[test]
    fn key_values_and_json() {
        let t = concat!(
            "ADR_L1=Residence Les Dervallieres, bat. Lilas, appt 42\n",
            "ADR_PAYS=FRA\nINS_OID=1.2.250.1.213.1.4.8\nIPP=12345678\nCHAMBRE=12\n",
            "ADR_VILLE=PÉRIGUEUX CEDEX\n",
            r#"{"patient_id": "p_0193882", "gender": "female", "nom": "INCONNU", "#,
            r#""patient_note": "Apporter Merci"}"#
        );
        assert_eq!(
            found(t),
            vec![
                (
                    Label::Adresse,
                    "Residence Les Dervallieres, bat. Lilas, appt 42".into()
                ),
                (Label::Ipp, "12345678".into()),
                (Label::Ville, "PÉRIGUEUX".into()),
                (Label::Ipp, "p_0193882".into()),
            ]
        );
    }

    #[test]
    fn address_columns_keep_the_street_and_name_columns_only_names() {
        let t = "dest_nom;dest_adresse1;dest_ville\nMédecine physique et réadaptation;Cabinet médical, 2 place Francheville;PÉRIGUEUX\nLAGARDE;Clinique Pasteur;BERGERAC";
        assert_eq!(
            found(t),
            vec![
                (Label::Adresse, "2 place Francheville".into()),
                (Label::Ville, "PÉRIGUEUX".into()),
                (Label::Nom, "LAGARDE".into()),
                (Label::Ville, "BERGERAC".into()),
            ]
        );
    }

    #[test]
    fn prose_and_hl7_are_not_tables() {
        assert!(
            found("Le patient, vu ce jour, va bien, sans fièvre.\nNom, prénom, date").is_empty()
        );
        assert!(found("PID|1||123456^^^CHU||DUPONT^JEAN\nPV1|1|I").is_empty());
    }
}
