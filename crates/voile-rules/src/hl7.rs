//! HL7 v2 messages pasted into reports or exported by lab systems (`MSH|…`, `PID|…`,
//! `OBR|…`): identifying fields are found by segment and field position, not by wording.
//!
//! Field numbering follows the standard: `SEG-n` is the n-th `|`-separated field after the
//! segment name, except in `MSH`, whose field 1 is the separator itself. Components are split
//! on `^`, repetitions on `~`; sub-components (`&`) are left whole.

use voile_core::{Label, Span};

const SOURCE: &str = "rule:hl7";
const SCORE: f32 = 0.97;

/// Segments whose lines are parsed (plus any `Z..` site segment).
const SEGMENTS: &[&str] = &[
    "MSH", "EVN", "PID", "PD1", "NK1", "PV1", "PV2", "ORC", "OBR", "OBX", "NTE", "SPM", "TXA",
    "IN1", "GT1", "DG1", "MRG", "ROL", "PRT", "SCH", "AIP", "TQ1", "FT1",
];

/// What a field (or one of its components) holds.
#[derive(Clone, Copy)]
enum Kind {
    /// One value: the first component gets the label.
    First(Label),
    /// Person name (XPN): family, given, middle.
    PersonName,
    /// Practitioner (XCN): id, family, given, middle.
    Practitioner,
    /// Address (XAD): street, other designation, city, state, postcode.
    Address,
    /// Telecom (XTN): number in component 1, e-mail in component 4.
    Telecom,
    /// A field that usually holds a code but holds an id when it has 4+ digits
    /// (`PV1-18`, patient type, often filled with the visit number by French systems).
    IdLike(Label),
}

/// The identifying fields of each segment.
fn field_kind(segment: &str, field: usize) -> Option<Kind> {
    use Kind::*;
    use Label::*;
    Some(match (segment, field) {
        ("MSH", 7) | ("EVN", 2 | 6) => First(Date),
        ("PID", 2..=4) | ("MRG", 1..=2) => First(Ipp),
        ("PID", 5 | 6 | 9) | ("NK1", 2) | ("GT1", 3) | ("IN1", 16) => PersonName,
        ("PID", 7) | ("GT1", 8) | ("IN1", 18) => First(DateNaissance),
        ("PID", 11) | ("NK1", 4) | ("GT1", 5) | ("IN1", 19) => Address,
        ("PID", 13 | 14) | ("NK1", 5 | 6) | ("GT1", 6 | 7) => Telecom,
        ("PID", 18) | ("PV1", 19 | 50) | ("MRG", 3 | 5) => First(Nda),
        ("PID", 19) => First(Secu),
        ("PV1", 18) => IdLike(Nda),
        ("PV1", 7..=9 | 17 | 52)
        | ("ORC", 10..=12)
        | ("OBR", 16 | 28 | 34)
        | ("TXA", 5 | 9 | 10 | 22)
        | ("PD1", 4)
        | ("ROL", 4)
        | ("OBX", 16) => Practitioner,
        ("ORC", 2..=4) | ("OBR", 2 | 3 | 18..=21) | ("SPM", 2 | 3) | ("TXA", 12..=16) => First(Id),
        ("PV1", 44 | 45)
        | ("ORC", 9 | 15)
        | ("OBR", 6..=8 | 14 | 22)
        | ("OBX", 14 | 19)
        | ("SPM", 17 | 18)
        | ("TXA", 4 | 6 | 7 | 8) => First(Date),
        _ => return None,
    })
}

/// `SEG|` at the start of `line`, for a known or `Z..` segment.
fn segment_name(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    if b.len() < 4 || b[3] != b'|' {
        return None;
    }
    let name = &line[..3];
    let shaped = b[0].is_ascii_uppercase() && b[1..3].iter().all(|c| c.is_ascii_alphanumeric());
    (shaped && (SEGMENTS.contains(&name) || b[0] == b'Z')).then_some(name)
}

/// `(start, end)` byte ranges of the `sep`-separated parts of `s[start..end]`.
fn split(s: &str, start: usize, end: usize, sep: u8) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = start;
    for (i, &b) in s.as_bytes()[start..end].iter().enumerate() {
        if b == sep {
            out.push((from, start + i));
            from = start + i + 1;
        }
    }
    out.push((from, end));
    out
}

fn push(text: &str, (s, e): (usize, usize), label: Label, out: &mut Vec<Span>) {
    let value = &text[s..e];
    let trimmed_start = s + (value.len() - value.trim_start().len());
    let trimmed_end = e - (value.len() - value.trim_end().len());
    if trimmed_start < trimmed_end
        && text[trimmed_start..trimmed_end]
            .chars()
            .any(char::is_alphanumeric)
    {
        out.push(Span::new(trimmed_start, trimmed_end, label, SOURCE, SCORE));
    }
}

fn has_digit(text: &str, (s, e): (usize, usize)) -> bool {
    text[s..e].bytes().any(|b| b.is_ascii_digit())
}

fn has_letter(text: &str, (s, e): (usize, usize)) -> bool {
    text[s..e].chars().any(char::is_alphabetic)
}

fn emit(text: &str, kind: Kind, comps: &[(usize, usize)], out: &mut Vec<Span>) {
    let comp = |i: usize| comps.get(i).copied();
    match kind {
        Kind::First(label) => {
            if let Some(c) = comp(0) {
                let ok = match label {
                    Label::Date | Label::DateNaissance | Label::Secu => has_digit(text, c),
                    _ => true,
                };
                if ok {
                    push(text, c, label, out);
                }
            }
        }
        Kind::IdLike(label) => {
            if let Some(c) = comp(0) {
                if text[c.0..c.1].bytes().filter(u8::is_ascii_digit).count() >= 4 {
                    push(text, c, label, out);
                }
            }
        }
        Kind::PersonName => {
            for (i, label) in [(0, Label::Nom), (1, Label::Prenom), (2, Label::Prenom)] {
                if let Some(c) = comp(i).filter(|&c| has_letter(text, c)) {
                    push(text, c, label, out);
                }
            }
        }
        Kind::Practitioner => {
            for (i, label) in [
                (0, Label::Id),
                (1, Label::Nom),
                (2, Label::Prenom),
                (3, Label::Prenom),
            ] {
                let Some(c) = comp(i) else { continue };
                let ok = if i == 0 {
                    has_digit(text, c)
                } else {
                    has_letter(text, c)
                };
                if ok {
                    push(text, c, label, out);
                }
            }
        }
        Kind::Address => {
            for (i, label) in [
                (0, Label::Adresse),
                (1, Label::Adresse),
                (2, Label::Ville),
                (4, Label::Zip),
            ] {
                if let Some(c) = comp(i) {
                    push(text, c, label, out);
                }
            }
        }
        Kind::Telecom => {
            if let Some(c) = comp(0).filter(|&c| has_digit(text, c)) {
                push(text, c, Label::Tel, out);
            }
            if let Some(c) = comp(3).filter(|&(s, e)| text[s..e].contains('@')) {
                push(text, c, Label::Mail, out);
            }
        }
    }
}

/// Spans of every identifying field of every HL7 segment line in `text`.
pub(crate) fn detect(text: &str, out: &mut Vec<Span>) {
    if !text.contains('|') {
        return;
    }
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(segment) = segment_name(body) {
            detect_segment(text, segment, line_start, line_start + body.len(), out);
        }
        line_start += line.len();
    }
}

fn detect_segment(text: &str, segment: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let fields = split(text, start, end, b'|');
    for (i, &field) in fields.iter().enumerate().skip(1) {
        let number = if segment == "MSH" { i + 1 } else { i };
        let Some(kind) = field_kind(segment, number) else {
            continue;
        };
        for rep in split(text, field.0, field.1, b'~') {
            let comps = split(text, rep.0, rep.1, b'^');
            emit(text, kind, &comps, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<(Label, &str)> {
        let mut out = Vec::new();
        detect(text, &mut out);
        out.iter().map(|s| (s.label, &text[s.range()])).collect()
    }

    #[test]
    fn lab_message_fields_by_position() {
        let msg = "MSH|^~\\&|SIL|LABO|DPI|HOP|20141018103000||ORU^R01|LAB000784512|P|2.5\n\
PID|||000672792^^^LABO||MARTIN^FREDERIKA^ANNE||19/08/2011|F|||12 RUE DES LILAS^^NANTES^^44000||0240123456^^^f.martin@mail.fr|||||S2015-1|1850344123456\n\
PV1||E|URG^^^HOP||||||||||||||||S2015-491514\n\
PV1||E|URG^^^HOP|||||||||||||||S2015-77|\n\
ORC|RE|D152955314|||CM\n\
OBR|1|LAB-3668520|ECH-2015-152825|NFS^Numération formule sanguine|||18/10/2014|||||||||10424216322^REVOLLON^GISLHAIN\n\
OBX|1|NM|718-7^Hémoglobine^LN||9.8|g/dL|13.0-17.0|L|||F\n";
        let got = run(msg);
        for want in [
            (Label::Date, "20141018103000"),
            (Label::Ipp, "000672792"),
            (Label::Nom, "MARTIN"),
            (Label::Prenom, "FREDERIKA"),
            (Label::Prenom, "ANNE"),
            (Label::DateNaissance, "19/08/2011"),
            (Label::Adresse, "12 RUE DES LILAS"),
            (Label::Ville, "NANTES"),
            (Label::Zip, "44000"),
            (Label::Tel, "0240123456"),
            (Label::Mail, "f.martin@mail.fr"),
            (Label::Nda, "S2015-1"),
            (Label::Secu, "1850344123456"),
            (Label::Nda, "S2015-491514"),
            (Label::Nda, "S2015-77"),
            (Label::Id, "D152955314"),
            (Label::Id, "LAB-3668520"),
            (Label::Id, "ECH-2015-152825"),
            (Label::Date, "18/10/2014"),
            (Label::Id, "10424216322"),
            (Label::Nom, "REVOLLON"),
            (Label::Prenom, "GISLHAIN"),
        ] {
            assert!(got.contains(&want), "missing {want:?} in {got:?}");
        }
        // Codes, values and units are not identifying.
        for text in [
            "718-7", "9.8", "NFS", "LABO", "HOP", "F", "ORU", "E", "URG", "RE",
        ] {
            assert!(
                !got.iter().any(|(_, s)| *s == text),
                "{text} flagged: {got:?}"
            );
        }
    }

    #[test]
    fn repetitions_crlf_and_offsets() {
        let msg = "PID|||123^^^A~456^^^B||DURAND^PAUL~DUPONT^PAUL\r\nPV1||I\r\n";
        let got = run(msg);
        assert!(got.contains(&(Label::Ipp, "123")) && got.contains(&(Label::Ipp, "456")));
        assert!(got.contains(&(Label::Nom, "DURAND")) && got.contains(&(Label::Nom, "DUPONT")));
        let mut out = Vec::new();
        detect(msg, &mut out);
        assert!(out
            .iter()
            .all(|s| !msg[s.range()].contains(['|', '^', '\r', '\n'])));
    }

    #[test]
    fn prose_and_tables_are_not_hl7() {
        assert!(run("| Nom | DUPONT |\n| Prénom | Jean |").is_empty());
        assert!(run("TA 12/8 | FC 80 | SAT 98%").is_empty());
        assert!(run("ABC|DUPONT^JEAN").is_empty());
        assert!(run("ZPI|x|y").is_empty());
    }
}
