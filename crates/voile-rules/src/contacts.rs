//! TEL and MAIL: French fixed/mobile numbers in every usual grouping, international
//! numbers with a `+` prefix, and e-mail addresses.

use crate::text::{before, fold, glued_after, glued_before, has_word};
use regex::Regex;
use voile_core::{Label, Span};

pub(crate) struct Contacts {
    phone: Regex,
    mail: Regex,
}

pub(crate) const PHONE_CUES: [&str; 16] = [
    "tel",
    "tel.",
    "telephone",
    "fax",
    "telecopie",
    "portable",
    "mobile",
    "standard",
    "secretariat",
    "port",
    "gsm",
    "contact",
    "joignable",
    "ligne directe",
    "appeler",
    "numero",
];

impl Contacts {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        let phone = crate::text::compile(concat!(
            r"(?:\+|(?-u:\b)00)[ ]?33[ .\-]?(?:\(0\)[ .\-]?)?[1-9](?:[ .\-]?[0-9]{2}){4}",
            r"|\(\+?33\)[ .\-]?(?:\(0\)[ .\-]?)?[1-9](?:[ .\-]?[0-9]{2}){4}",
            r"|(?-u:\b)0[1-9](?:[ .\-/]?[0-9]{2}){4}",
            r"|(?-u:\b)0[ .]?8[0-9]{2}[ .][0-9]{3}[ .][0-9]{3}",
            r"|\+[1-9][0-9]{0,2}[ .\-]?(?:\(0\)[ .\-]?)?[0-9]{1,4}(?:[ .\-]?[0-9]{2,4}){2,5}"
        ))?;
        let mail = crate::text::compile(
            r"[\p{L}0-9][\p{L}0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}",
        )?;
        Ok(Contacts { phone, mail })
    }

    pub(crate) fn detect_phones(&self, text: &str, out: &mut Vec<Span>) {
        for m in self.phone.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if glued_before(text, s) || glued_after(text, e) {
                continue;
            }
            // `02/37/84/20/87` is a phone only when every separator is a slash.
            let slashes = m.as_str().matches('/').count();
            if slashes > 0 && slashes != 4 {
                continue;
            }
            let digits = m.as_str().bytes().filter(u8::is_ascii_digit).count();
            let french = m.as_str().starts_with('0') || m.as_str().contains("33");
            if !(8..=15).contains(&digits) {
                continue;
            }
            let separated = m
                .as_str()
                .bytes()
                .any(|b| matches!(b, b' ' | b'.' | b'-' | b'/'));
            let cue = {
                let f = fold(before(text, s, 40));
                PHONE_CUES.iter().any(|c| has_word(&f, c))
            };
            let score = match (cue, separated || m.as_str().starts_with('+'), french) {
                (true, _, _) => 0.97,
                (false, true, true) => 0.92,
                (false, true, false) => 0.85,
                (false, false, _) => 0.8,
            };
            out.push(Span::new(s, e, Label::Tel, "rule:tel", score));
        }
    }

    pub(crate) fn detect_mails(&self, text: &str, out: &mut Vec<Span>) {
        for m in self.mail.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if text[..s].ends_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            out.push(Span::new(s, e, Label::Mail, "rule:mail", 0.99));
        }
    }
}

/// Short hospital extensions after a cue (`poste 4521`, `bip 61234`, `DECT : 4587`,
/// `tél. 4521`; cues in `gazetteers/lexicons/phone_extension_cues.tsv`).
pub(crate) fn detect_extensions(text: &str, runs: &[(usize, usize)], out: &mut Vec<Span>) {
    for &(s, i) in runs {
        if !(4..=5).contains(&(i - s)) || glued_before(text, s) || glued_after(text, i) {
            continue;
        }
        let f = fold(before(text, s, 24));
        let mut t = f.trim_end_matches(|c: char| c.is_whitespace() || ":#".contains(c));
        if crate::text::ends_with_cue(t, "no") {
            t = t[..t.len() - 2].trim_end();
        }
        let t = t.trim_end_matches('.');
        let cue = crate::text::words_rev(t)
            .next()
            .is_some_and(|w| t.ends_with(w) && crate::lexicon::extension_cues().contains(&w));
        if cue {
            out.push(Span::new(s, i, Label::Tel, "rule:tel", 0.9));
        }
    }
}

/// Value of the spoken two-digit group starting at word `i` (`douze`, `trente-quatre`,
/// `soixante dix-huit`, `quatre-vingt-onze`, `zéro six`): value and words used.
fn spoken_group(w: &[String], i: usize) -> Option<(u32, usize)> {
    let v = |k: usize| -> Option<u32> {
        w.get(k)
            .and_then(|x| voile_core::calendar::number_word_value(x))
    };
    let first = w.get(i)?;
    if first == "zero" {
        let u = v(i + 1).filter(|u| (0..=9).contains(u))?;
        return Some((u, 2));
    }
    let a = v(i)?;
    if a >= 100 {
        return None;
    }
    let mut used = 1;
    let mut tens = a;
    if a == 4 && w.get(i + 1).is_some_and(|x| x == "vingt" || x == "vingts") {
        tens = 80;
        used = 2;
    }
    if !matches!(tens, 20 | 30 | 40 | 50 | 60 | 80) {
        return Some((a, 1)); // units and teens
    }
    let mut k = i + used;
    if w.get(k).is_some_and(|x| x == "et") {
        k += 1;
    }
    match v(k) {
        // `soixante-dix-huit`, `quatre-vingt-onze`
        Some(10) if tens == 60 || tens == 80 => {
            if let Some(u) = v(k + 1).filter(|u| (1..=9).contains(u)) {
                Some((tens + 10 + u, k + 2 - i))
            } else {
                Some((tens + 10, k + 1 - i))
            }
        }
        Some(u)
            if (1..=9).contains(&u) || ((11..=19).contains(&u) && (tens == 60 || tens == 80)) =>
        {
            Some((tens + u, k + 1 - i))
        }
        _ => Some((tens, used)),
    }
}

/// Phone numbers spelled out in dictation: `zéro six douze trente-quatre cinquante-six
/// soixante-dix-huit` (a leading `zéro`, a digit, then four two-digit groups).
pub(crate) fn detect_spelled(text: &str, out: &mut Vec<Span>) {
    let lower = text.as_bytes();
    let mut from = 0;
    while let Some(k) = find_zero(&lower[from..]) {
        let s = from + k;
        from = s + 1;
        if s > 0 && (lower[s - 1].is_ascii_alphanumeric() || lower[s - 1] >= 0x80) {
            continue;
        }
        // Words (with their end offsets) on this line, split on spaces, hyphens, commas.
        let le = crate::text::line_end(text, s);
        let mut words = Vec::new();
        let mut ends = Vec::new();
        let mut pos = s;
        for part in text[s..le].split_inclusive([' ', '-', ',', '\t', '.', ';']) {
            let w = part.trim_end_matches([' ', '-', ',', '\t', '.', ';']);
            let end = pos + w.len();
            pos += part.len();
            if w.is_empty() {
                continue;
            }
            words.push(fold(w));
            ends.push(end);
            if words.len() >= 20 {
                break;
            }
        }
        // zéro + digit, then four groups.
        let Some((d, 2)) = spoken_group(&words, 0) else {
            continue;
        };
        if d == 0 {
            continue;
        }
        let mut i = 2;
        let mut groups = 0;
        while groups < 4 {
            let Some((_, used)) = spoken_group(&words, i) else {
                break;
            };
            i += used;
            groups += 1;
        }
        if groups == 4 {
            out.push(Span::new(s, ends[i - 1], Label::Tel, "rule:tel", 0.9));
            from = ends[i - 1];
        }
    }
}

/// Next `zero`/`zéro` (any case) in the bytes.
fn find_zero(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 4 <= b.len() {
        if b[i] | 0x20 == b'z' {
            let r = &b[i + 1..];
            let ascii =
                r.len() >= 3 && r[0] | 0x20 == b'e' && r[1] | 0x20 == b'r' && r[2] | 0x20 == b'o';
            let accent = r.len() >= 4
                && (r.starts_with("é".as_bytes()) || r.starts_with("É".as_bytes()))
                && r[2] | 0x20 == b'r'
                && r[3] | 0x20 == b'o';
            if ascii || accent {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}
