//! SECU (NIR with its key), IPP, NDA and other direct identifiers (RPPS, FINESS, ADELI,
//! sample/tube/block/exam numbers, IBAN). Cue-bound identifiers span the value only.

use crate::text::{before, fold, glued_after, glued_before, has_word, next_char};
use regex::{Captures, Regex};
use voile_core::{Label, Span};

pub(crate) struct Ids {
    nir: Regex,
    /// Identifiers in URLs and query strings (`?patientId=8812345`, `/dossier/123456/`).
    url: Regex,
    cued: Regex,
    iban: Regex,
    rpps: Regex,
}

pub(crate) const NIR_CUES: [&str; 18] = [
    "identification",
    "nia",
    "nir",
    "ss",
    "secu",
    "securite sociale",
    "secu.",
    "insee",
    "ins",
    "nss",
    "matricule",
    "immatriculation",
    "assure",
    "no ss",
    "n ss",
    "no secu",
    "assurance maladie",
    "carte vitale",
];

impl Ids {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        let nir = crate::text::compile(
            r"(?-u:\b)([1-478])[ .]?([0-9]{2})[ .]?([0-9]{2})[ .]?([0-9]{2}|2[ABab])[ .]?([0-9]{3})[ .]?([0-9]{3})(?:[ .]?([0-9]{2}))?(?-u:\b)",
        )?;
        // Cue and value may be joined by `:`, `=`, `#`, a dash, dot leaders (`IPP ....... 123`)
        // or a table bar (`| IPP | 123`).
        let sep = r"[ \t]*(?:\([^)\n]{0,12}\))?[ \t]*(?:n[°o]\.?|num[ée]ro|#)?[ \t]*(?:[:=#\-|]|\.{2,}|…+)?[ \t]*";
        // The value's first chunk holds a digit (`A12`, `LAB-8283727`), so `prélèvement le
        // 16/05/2017` or `N° ADELI 640159909` do not take a word as the value.
        let value = r"((?:[A-Za-z]*[0-9]|[A-Za-z]+[\-/._][A-Za-z]*[0-9])[A-Za-z0-9]*(?:[\-/._][A-Za-z0-9]+)*(?:[ ][0-9]{2,}(?:[\-/._][0-9]+)*)*)";
        let cues = concat!(
            r"(?i)(?:",
            r"(?P<ipp>i\.?p\.?p\.?(?:[ \t]+(?:[ée]tant|est))?|nip|(?-i:IP)[ \t]*:|patient[ \t]+n[°o]\.?|(?:n[°o]|num[ée]ro)\.?[ \t]*d['’][ \t]*identification[ \t]+(?:du[ \t]+)?patient|identifiant[ \t]+(?:local|patient|unique)|(?:n[°o]|num[ée]ro|id(?:entifiant)?)\.?[ \t]*(?:de[ \t]+|du[ \t]+)?(?:dossier[ \t]+)?patient|(?:n[°o]|num[ée]ro)\.?[ \t]*(?:de[ \t]+|du[ \t]+)?dossier(?:[ \t]+(?:patient|m[ée]dical))?|patient[ \t]+id)",
            r"|(?P<nda>n\.?d\.?a\.?|(?:n[°o]|num[ée]ro)\.?[ \t]*(?:de[ \t]+|d['’][ \t]*)?(?:s[ée]jour|venue|admission|passage|hospitalisation|entr[ée]e|visite)|venue|s[ée]jour(?:[ \t]+n[°o])?|visite[ \t]+n[°o]|visite[ \t]*:)",
            r"|(?P<rpps>rpps)|(?P<finess>finess)|(?P<adeli>adeli)",
            r"|(?P<id>(?:n[°o]|num[ée]ro)\.?[ \t]*(?:de[ \t]+|d['’][ \t]*|du[ \t]+)?(?:[ée]chantillon|demande|examen|pr[ée]l[èe]vement|lame|bloc|tube|inclusion|biobanque|ordonnance|prescription|accr[ée]ditation|dossier[ \t]+labo|cofrac|anapath|compte[- ]rendu|cr)",
            r"|(?:demande|examen|analyse|adh[ée]rent|contrat|r[ée]quisition|dossier|tube[ \t]+\p{L}+)[ \t]+n[°o]\.?|\(n[°o]\.?",
            r"|[ée]chantillon|tube|pr[ée]l[èe]vement|accession|bloc|r[ée]f[ée]rence|r[ée]f\.?|biobanque|cofrac|lame|code[- ]barre|dossier[ \t]+labo|n[°o][ \t]*labo|accr[ée]ditation(?:[ \t]+cofrac)?",
            r"|(?:n[°o]|num[ée]ro)\.?[ \t]*d['’][ \t]*(?:affaire|intervention|appel|inclusion)(?:[ \t]+\p{Lu}{2,})?",
            r"|demande|adn|arn|registre|dossier",
            // Last: a bare `n°` before any value with 3+ digits (`registre … : n° 751780041`).
            r"|n[°o]\.?|num[ée]ro)",
            r")"
        );
        let cued = crate::text::compile(&format!(r"{cues}{sep}{value}"))?;
        let iban = crate::text::compile(
            r"(?-u:\b)[A-Z]{2}[0-9]{2}(?:[ ]?[0-9A-Z]{4}){2,7}(?:[ ]?[0-9A-Z]{1,4})?(?-u:\b)",
        )?;
        let rpps = crate::text::compile(r"(?-u:\b)10[0-9]{9}(?-u:\b)")?;
        let url = crate::text::compile(
            r"(?i)[?&;/](?:(?P<ipp>patient_?id|pat_?id|pid|ipp|nip|patient|dossier_?patient)|(?P<nda>nda|sejour|s%c3%a9jour|venue|visit_?id|encounter_?id|episode_?id|stay_?id)|(?:dossier|dossier_?id|doc_?id|exam_?id|examen|accession|accession_?number|study_?id|sample_?id|echantillon|report_?id|cr_?id))[=/]([A-Za-z0-9][A-Za-z0-9\-]{2,39})",
        )?;
        Ok(Ids {
            nir,
            url,
            cued,
            iban,
            rpps,
        })
    }

    pub(crate) fn detect_nir(&self, text: &str, out: &mut Vec<Span>) {
        // A NIR has at least 12 digits (13, or 12 and `2A`/`2B`): only such lines can hold one.
        let lines = crate::gate::lines_where(text, |l| {
            l.iter().filter(|b| b.is_ascii_digit()).count() >= 12
        });
        for c in crate::gate::captures(&self.nir, text, &lines) {
            let m = c.get(0).expect("group 0");
            let (s, e) = (m.start(), m.end());
            if glued_before(text, s) || glued_after(text, e) {
                continue;
            }
            if !nir_structure_ok(&c) {
                continue;
            }
            let cue = {
                let f = fold(before(text, s, 50));
                NIR_CUES.iter().any(|w| has_word(&f, w))
            };
            let key_valid = c
                .get(7)
                .is_some_and(|k| nir_key(&c) == k.as_str().parse::<u64>().ok());
            let separators = m
                .as_str()
                .bytes()
                .filter(|b| matches!(b, b' ' | b'.'))
                .count();
            let score = match (c.get(7).is_some(), key_valid, cue) {
                (true, true, _) => 0.99,
                (true, false, true) => 0.9,
                (true, false, false) if separators >= 4 => 0.8,
                (true, false, false) => 0.7,
                (false, _, true) => 0.88,
                (false, _, false) => continue,
            };
            out.push(Span::new(s, e, Label::Secu, "rule:nir", score));
        }
    }

    pub(crate) fn detect_cued(&self, text: &str, out: &mut Vec<Span>, dates: &crate::dates::Dates) {
        // The value holds a digit, on the cue's line.
        let lines = crate::gate::lines_where(text, |l| l.iter().any(u8::is_ascii_digit));
        for c in crate::gate::captures(&self.cued, text, &lines) {
            let cue_end = ["ipp", "nda", "rpps", "finess", "adeli", "id"]
                .iter()
                .find_map(|n| c.name(n))
                .map_or(0, |g| g.end());
            let start = c.get(0).expect("group 0").start();
            if next_char(text, cue_end).is_some_and(char::is_alphanumeric)
                || text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            {
                continue; // `tubes`, `blocage`: the cue is only a word prefix
            }
            let v = c.get(c.len() - 1).expect("value group");
            let (s, mut e) = (v.start(), v.end());
            // A space-joined digit group followed by `/12/2021` is a date, not the id's tail.
            if glued_after(text, e) {
                if let Some(sp) = text[s..e].rfind(' ') {
                    e = s + sp;
                } else {
                    continue;
                }
            }
            let val = text[s..e].trim_end_matches(['.', '-', '/', '_']);
            e = s + val.len();
            let digits = val.bytes().filter(u8::is_ascii_digit).count();
            // `Date de prélèvement : 23112009` is a date; `Dossier 23112009` an id.
            let dated = crate::dates::compact_date(val)
                && fold(&text[crate::text::line_start(text, s)..s]).contains("date");
            // A bare year (`séjour 2021`) is a date, not an identifier.
            let year = val.len() == 4 && (val.starts_with("19") || val.starts_with("20"));
            if digits < 3 || val.len() > 40 || looks_like_date(val, dates) || dated || year {
                continue;
            }
            let (label, src, score) = classify(&c, val);
            out.push(Span::new(s, e, label, src, score));
        }
        // An IBAN opens with two capitals and two digits.
        let lines = crate::gate::lines_where(text, |l| {
            l.windows(4).any(|w| {
                w[0].is_ascii_uppercase()
                    && w[1].is_ascii_uppercase()
                    && w[2].is_ascii_digit()
                    && w[3].is_ascii_digit()
            })
        });
        for m in crate::gate::find(&self.iban, text, &lines) {
            let compact: String = m.as_str().chars().filter(|c| *c != ' ').collect();
            let fr = compact.starts_with("FR") && compact.len() == 27;
            if iban_valid(&compact) {
                out.push(Span::new(m.start(), m.end(), Label::Id, "rule:iban", 0.97));
            } else if fr {
                out.push(Span::new(m.start(), m.end(), Label::Id, "rule:iban", 0.8));
            }
        }
        detect_codes(text, out, dates);
        if text.contains("://") || text.contains("www.") {
            detect_patient_urls(text, out);
            for c in self.url.captures_iter(text) {
                let v = c.get(c.len() - 1).expect("value");
                let digits = v.as_str().bytes().filter(u8::is_ascii_digit).count();
                if digits < 3 || glued_after(text, v.end()) && text.as_bytes()[v.end()] != b'/' {
                    continue;
                }
                let (label, src) = if c.name("ipp").is_some() {
                    (Label::Ipp, "rule:ipp")
                } else if c.name("nda").is_some() {
                    (Label::Nda, "rule:nda")
                } else {
                    (Label::Id, "rule:id")
                };
                out.push(Span::new(v.start(), v.end(), label, src, 0.93));
            }
        }
        for m in self.rpps.find_iter(text) {
            if !glued_before(text, m.start()) && !glued_after(text, m.end()) && luhn(m.as_str()) {
                out.push(Span::new(m.start(), m.end(), Label::Id, "rule:rpps", 0.75));
            }
        }
    }
}

/// Patient-specific web addresses, whole (`docs/labels.md`: ID): a URL whose path or query
/// holds an identifier — a token of 5+ digits (`/patient/5003887126/rdv`,
/// `/dl/HL21031600417?pid=…`) or a 3+ digit value of an id parameter (`?pid=4482917`). Above
/// the parameter values found inside it, so the address is replaced as one (its other parts,
/// access keys included, are patient-specific too). Guidance and publication addresses with
/// only years and short numbers are left alone.
fn detect_patient_urls(text: &str, out: &mut Vec<Span>) {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(found) = find_url_start(&text[from..]) {
        let start = from + found;
        let mut end = start;
        while end < b.len()
            && !b[end].is_ascii_whitespace()
            && !matches!(b[end], b'<' | b'>' | b'"')
        {
            end += 1;
        }
        // Trailing punctuation ends the sentence, not the address.
        while end > start
            && matches!(
                b[end - 1],
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b']' | b'\''
            )
        {
            end -= 1;
        }
        let url = &text[start..end];
        if url.is_ascii() && url_has_identifier(url) {
            out.push(Span::new(start, end, Label::Id, "rule:url", 0.95));
        }
        from = end.max(start + 1);
    }
}

fn find_url_start(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let starts = |i: usize, p: &[u8]| {
        b[i..]
            .get(..p.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(p))
    };
    (0..b.len()).find(|&i| {
        (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && (starts(i, b"http://") || starts(i, b"https://") || starts(i, b"www."))
    })
}

/// The path or query (after the host) holds a 5+ digit token or an id parameter's value.
fn url_has_identifier(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let Some(slash) = after_scheme.find(['/', '?']) else {
        return false;
    };
    let rest = &after_scheme[slash..];
    let long_number = rest.split(|c: char| !c.is_ascii_alphanumeric()).any(|tok| {
        let mut run = 0;
        tok.bytes().any(|c| {
            run = if c.is_ascii_digit() { run + 1 } else { 0 };
            run >= 5
        })
    });
    let id_param = rest.split(['?', '&', ';']).any(|kv| {
        kv.split_once('=').is_some_and(|(k, v)| {
            let k = k.to_ascii_lowercase();
            matches!(
                k.as_str(),
                "pid"
                    | "ipp"
                    | "nip"
                    | "patient"
                    | "patientid"
                    | "patient_id"
                    | "acc"
                    | "accession"
                    | "nda"
                    | "venue"
                    | "sejour"
                    | "dossier"
            ) && v.bytes().filter(u8::is_ascii_digit).count() >= 3
        })
    });
    long_number || id_param
}

/// Cue-less identifier shapes, low score (`ECH-2015-800754`, `97B850914`, `AN2022074434`,
/// a bare 9+ digit number): reference codes mixing capitals, digits and dashes with 6+ digits
/// are identifiers in clinical text. Genomic notation (`c.1521_1523del`, `NM_000492.3`,
/// `chr7:117559590`, `rs113993960`) has other characters or a lowercase prefix and is left alone.
pub(crate) fn detect_codes(text: &str, out: &mut Vec<Span>, dates: &crate::dates::Dates) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() || (i > 0 && !is_code_boundary(bytes[i - 1])) {
            i += 1;
            continue;
        }
        let mut e = i;
        while e < bytes.len() && (bytes[e].is_ascii_alphanumeric() || bytes[e] == b'-') {
            e += 1;
        }
        let token = text[i..e].trim_end_matches('-');
        let end = i + token.len();
        if (end == bytes.len() || is_code_boundary(bytes[end])) && !glued_after(text, end) {
            if let Some(score) = code_score(token) {
                if !looks_like_date(token, dates) {
                    out.push(Span::new(i, end, Label::Id, "rule:code", score));
                }
            }
        }
        i = e.max(i + 1);
    }
}

/// Bytes that may surround a code: whitespace and light punctuation (not `.`, `_`, `:`, `/`).
fn is_code_boundary(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b'('
            | b')'
            | b'['
            | b']'
            | b','
            | b';'
            | b'"'
            | b'\''
            | b'|'
    )
}

fn code_score(token: &str) -> Option<f32> {
    let digits = token.bytes().filter(u8::is_ascii_digit).count();
    let lower = token.bytes().any(|b| b.is_ascii_lowercase());
    let letters = token.bytes().filter(u8::is_ascii_uppercase).count();
    let dashes = token.bytes().filter(|&b| b == b'-').count();
    if lower || digits < 6 || token.len() > 24 {
        return None;
    }
    if letters == 0 && dashes == 0 {
        // Bare numbers: 9+ digits, not a French phone (0 + 9 digits) nor a NIR length.
        let phone = digits == 10 && token.starts_with('0');
        return (digits >= 9 && !phone && digits != 13 && digits != 15).then_some(0.6);
    }
    // Dashed digit groups only (`2015-800754`) are often ranges or dates: need a letter.
    (letters > 0 && letters <= 6).then_some(0.7)
}

fn classify(c: &Captures<'_>, val: &str) -> (Label, &'static str, f32) {
    let all_digits = val.bytes().all(|b| b.is_ascii_digit());
    if c.name("ipp").is_some() {
        (Label::Ipp, "rule:ipp", 0.95)
    } else if c.name("nda").is_some() {
        (Label::Nda, "rule:nda", 0.95)
    } else if c.name("rpps").is_some() {
        let ok = all_digits && val.len() == 11 && luhn(val);
        (Label::Id, "rule:rpps", if ok { 0.97 } else { 0.9 })
    } else if c.name("finess").is_some() {
        let ok = all_digits && val.len() == 9 && luhn(val);
        (Label::Id, "rule:finess", if ok { 0.97 } else { 0.9 })
    } else if c.name("adeli").is_some() {
        (
            Label::Id,
            "rule:adeli",
            if all_digits && val.len() == 9 {
                0.95
            } else {
                0.9
            },
        )
    } else {
        (Label::Id, "rule:id", 0.9)
    }
}

fn looks_like_date(val: &str, dates: &crate::dates::Dates) -> bool {
    let mut v = Vec::new();
    dates.detect(val, &mut v);
    v.iter().any(|s| s.start == 0 && s.end == val.len())
        || (val.len() <= 10
            && val.split(['/', '.', '-']).count() == 3
            && val
                .split(['/', '.', '-'])
                .all(|p| p.bytes().all(|b| b.is_ascii_digit())))
}

fn nir_structure_ok(c: &Captures<'_>) -> bool {
    let month: u32 = c[3].parse().unwrap_or(0);
    let dept = c[4].to_ascii_uppercase();
    let month_ok =
        (1..=12).contains(&month) || (20..=42).contains(&month) || (50..=99).contains(&month);
    let dept_ok = dept != "00";
    month_ok && dept_ok
}

/// Expected NIR key of the captured 13 significant characters.
fn nir_key(c: &Captures<'_>) -> Option<u64> {
    let body = format!("{}{}{}{}{}{}", &c[1], &c[2], &c[3], &c[4], &c[5], &c[6]);
    voile_core::checksum::nir_key(&body).map(u64::from)
}

/// Luhn checksum (RPPS, FINESS, SIRET…).
pub(crate) fn luhn(digits: &str) -> bool {
    voile_core::checksum::luhn_valid(digits)
}

/// ISO 13616 check: rotate, letters to numbers, mod 97 == 1.
fn iban_valid(iban: &str) -> bool {
    if iban.len() < 15 || iban.len() > 34 {
        return false;
    }
    let (head, tail) = iban.split_at(4);
    let mut rem: u32 = 0;
    for ch in tail.chars().chain(head.chars()) {
        let v = match ch.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        for d in if v >= 10 {
            vec![v / 10, v % 10]
        } else {
            vec![v]
        } {
            rem = (rem * 10 + d) % 97;
        }
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_iban() {
        assert!(luhn("79927398713"));
        assert!(!luhn("79927398710"));
        assert!(iban_valid("FR1420041010050500013M02606"));
        assert!(!iban_valid("FR1420041010050500013M02607"));
    }
}
