//! Establishment codes of hospital information systems: an establishment-kind acronym glued
//! to a commune name (`CHURENNES`, `CHI_CRETEIL`, `CH-DIEPPE`, `GHU_PARIS`), as exports and HL7
//! sending-facility fields write them. The whole code is one HOPITAL span.

use crate::fold::fold_key;
use std::collections::BTreeSet;
use voile_core::{Label, Span};

/// Acronym heads, longest first; `glued` = may stand without a separator (`CHURENNES`).
const HEADS: &[(&str, bool)] = &[
    ("CHRU", true),
    ("CHU", true),
    ("CHR", true),
    ("CHI", true),
    ("CHT", true),
    ("GHU", true),
    ("GHR", true),
    ("CHS", false),
    ("CH", false),
    ("GH", false),
];

/// Folded commune names without spaces or hyphens (`saintetienne`), four letters or more.
pub(crate) fn commune_keys<'a>(names: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    names
        .map(|n| fold_key(n).replace([' ', '-', '\''], ""))
        .filter(|k| k.len() >= 4)
        .collect()
}

fn is_code_byte(b: u8) -> bool {
    b.is_ascii_uppercase() || b == b'_' || b == b'-'
}

/// HOPITAL spans for every establishment code of `text` whose commune is known.
pub(crate) fn detect(text: &str, communes: &BTreeSet<String>, out: &mut Vec<Span>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 4 < b.len() {
        let starts_word = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if !(starts_word && (b[i] == b'C' || b[i] == b'G') && b[i + 1] == b'H') {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < b.len() && is_code_byte(b[end]) {
            end += 1;
        }
        let glued_to_word = end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] >= 0x80);
        if !glued_to_word {
            let token = &text[i..end].trim_end_matches(['_', '-']);
            if is_code(token, communes) {
                out.push(Span::new(
                    i,
                    i + token.len(),
                    Label::Hopital,
                    "gazetteer:hopital-code",
                    0.9,
                ));
            }
        }
        i = end.max(i + 1);
    }
}

fn is_code(token: &str, communes: &BTreeSet<String>) -> bool {
    HEADS.iter().any(|(head, glued)| {
        let Some(rest) = token.strip_prefix(head) else {
            return false;
        };
        let (sep, rest) = match rest.strip_prefix(['_', '-']) {
            Some(r) => (true, r),
            None => (false, rest),
        };
        (sep || *glued) && communes.contains(&fold_key(rest).replace(['_', '-', ' '], ""))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn establishment_codes_table() {
        let communes =
            commune_keys(["Rennes", "Créteil", "Dieppe", "Paris", "Saint-Étienne"].into_iter());
        let rows: &[(&str, Option<&str>)] = &[
            ("MSH|^~\\&|SIL|CHURENNES|ADT", Some("CHURENNES")),
            ("site=CHI_CRETEIL;", Some("CHI_CRETEIL")),
            ("CH-DIEPPE", Some("CH-DIEPPE")),
            ("CHU_SAINT-ETIENNE", Some("CHU_SAINT-ETIENNE")),
            ("GHU_PARIS ok", Some("GHU_PARIS")),
            ("CHDIEPPE", None), // `CH` alone needs a separator
            ("CHUTE DANS LA CHAMBRE", None),
            ("CHIRURGIE", None),
            ("CHURENNESX", None),
            ("CHU_NOWHERE", None),
            ("xCHURENNES", None),
        ];
        for (text, want) in rows {
            let mut out = Vec::new();
            detect(text, &communes, &mut out);
            let got: Vec<&str> = out.iter().map(|s| &text[s.start..s.end]).collect();
            assert_eq!(got, want.iter().copied().collect::<Vec<_>>(), "{text}");
        }
    }
}
