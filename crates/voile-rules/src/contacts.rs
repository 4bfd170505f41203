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
