//! Noisy numbers: OCR letters read for digits (`3O/12/1946`, `O6 12 34 56 78`) and digit
//! chains with boxed or irregular grouping (`2 6 9 1 1 7 5 …`, `1|2|0|3|1|9|4|6`,
//! `06 1234 5678`, `12/0 3/2021`). Both only add candidates; the regular detectors still run.

use crate::text::{before, fold, glued_after, glued_before, has_word};
use voile_core::{Label, Span};

/// Letters OCR reads for digits, and the digit they stand for.
fn ocr_digit(b: u8) -> Option<u8> {
    Some(match b {
        b'O' | b'o' => b'0',
        b'I' | b'l' => b'1',
        b'S' => b'5',
        b'B' => b'8',
        b'Z' => b'2',
        _ => return None,
    })
}

/// Byte ranges of ASCII alphanumeric tokens that are numbers with OCR letters in them: at
/// least one digit, only OCR-confusable letters, at most one letter more than digits (`3O`, `OO6`,
/// `O6`; not `B12`-like words with other letters, not `Ol`).
fn ocr_tokens(text: &str, runs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut done = 0;
    for &(rs, re) in runs {
        let ocr_next = b.get(re).is_some_and(|&c| ocr_digit(c).is_some());
        let ocr_prev = rs > 0 && ocr_digit(b[rs - 1]).is_some();
        if rs < done || !(ocr_next || ocr_prev) {
            continue;
        }
        let mut s = rs;
        while s > 0 && b[s - 1].is_ascii_alphanumeric() {
            s -= 1;
        }
        let mut i = re;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        done = i;
        let (mut digits, mut ocr, mut other) = (0usize, 0usize, 0usize);
        for &c in &b[s..i] {
            if c.is_ascii_digit() {
                digits += 1;
            } else if ocr_digit(c).is_some() {
                ocr += 1;
            } else {
                other += 1;
            }
        }
        // A token glued to a non-ASCII letter (`Ola` with an accent) is a word.
        let word_next = text[i..].chars().next().is_some_and(char::is_alphabetic);
        let word_prev = text[..s]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic);
        // A leading letter may only be a 0 or a 1 (`O6 12…`, `l2/03`): `B12`, `S1` are names.
        let lead_ok = b[s].is_ascii_digit() || matches!(b[s], b'O' | b'o' | b'I' | b'l');
        if ocr > 0 && other == 0 && ocr <= digits + 1 && lead_ok && !word_next && !word_prev {
            out.push((s, i));
        }
    }
    out
}

/// Detect on a copy of each line holding OCR-noisy numbers, with the letters read back as
/// digits (same byte length, so offsets carry over). Keeps only candidates that cover a
/// repaired letter, a little below the score of the clean form.
pub(crate) fn detect_ocr(
    text: &str,
    runs: &[(usize, usize)],
    out: &mut Vec<Span>,
    run: &dyn Fn(&str, &mut Vec<Span>),
) {
    let toks = ocr_tokens(text, runs);
    if toks.is_empty() {
        return;
    }
    let mut k = 0;
    while k < toks.len() {
        let ls = crate::text::line_start(text, toks[k].0);
        let le = crate::text::line_end(text, toks[k].0);
        let mut shadow = text.as_bytes()[ls..le].to_vec();
        let mut fixed = Vec::new();
        while k < toks.len() && toks[k].0 < le {
            let (s, e) = toks[k];
            for p in s..e.min(le) {
                if let Some(d) = ocr_digit(shadow[p - ls]) {
                    shadow[p - ls] = d;
                    fixed.push(p);
                }
            }
            k += 1;
        }
        // Only ASCII bytes were replaced by ASCII bytes: still UTF-8.
        let Ok(line) = String::from_utf8(shadow) else {
            continue;
        };
        let mut found = Vec::new();
        run(&line, &mut found);
        for sp in found {
            let (s, e) = (sp.start + ls, sp.end + ls);
            let lo = fixed.partition_point(|&p| p < s);
            // The city after a repaired postcode is the postcode's hint: it covers no letter.
            if (lo < fixed.len() && fixed[lo] < e) || sp.label == Label::Ville {
                out.push(Span::new(
                    s,
                    e,
                    sp.label,
                    sp.source,
                    (sp.score - 0.01).max(0.0),
                ));
            }
        }
    }
}

/// A run of digit groups joined by short separators on one line.
struct Chain {
    groups: Vec<(usize, usize)>,
    /// The non-space char of each separator (`' '` when only spaces).
    seps: Vec<u8>,
}

/// Separator after `i`: spaces, at most one of `| . - /`, spaces; at most 3 bytes, then a
/// digit. Returns its end and its kind.
fn separator(b: &[u8], i: usize) -> Option<(usize, u8)> {
    let mut j = i;
    let mut kind = b' ';
    if j < b.len() && b[j] == b' ' {
        j += 1;
    }
    if j < b.len() && matches!(b[j], b'|' | b'.' | b'-' | b'/') {
        kind = b[j];
        j += 1;
    }
    if j < b.len() && b[j] == b' ' {
        j += 1;
    }
    (j > i && j - i <= 3 && j < b.len() && b[j].is_ascii_digit()).then_some((j, kind))
}

fn chain_at(b: &[u8], start: usize, c: &mut Chain) {
    c.groups.clear();
    c.seps.clear();
    let mut i = start;
    loop {
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        c.groups.push((s, i));
        if c.groups.len() >= 24 {
            break;
        }
        match separator(b, i) {
            Some((j, kind)) => {
                c.seps.push(kind);
                i = j;
            }
            None => break,
        }
    }
}

/// Boxed and irregularly grouped NIR, phone and date forms, judged on the joined digits.
pub(crate) fn detect_chains(text: &str, runs: &[(usize, usize)], out: &mut Vec<Span>) {
    let b = text.as_bytes();
    let mut c = Chain {
        groups: Vec::new(),
        seps: Vec::new(),
    };
    let mut done = 0;
    for &(i, k) in runs {
        // Most numbers stand alone: skip them before building a chain.
        if i < done || separator(b, k).is_none() || glued_before(text, i) {
            continue;
        }
        chain_at(b, i, &mut c);
        let (s, e) = (c.groups[0].0, c.groups[c.groups.len() - 1].1);
        done = e;
        if c.groups.len() < 3 || glued_after(text, e) {
            continue;
        }
        let total: usize = c.groups.iter().map(|&(a, z)| z - a).sum();
        if !matches!(total, 8 | 10 | 13 | 15) {
            continue;
        }
        let digits: String = c.groups.iter().map(|&(a, z)| &text[a..z]).collect();
        let boxed = c.groups.iter().all(|&(a, z)| z - a == 1);
        chain_nir(text, s, e, &digits, out);
        chain_phone(text, s, e, &c, &digits, boxed, out);
        chain_date(text, s, e, &c, &digits, boxed, out);
    }
}

fn chain_nir(text: &str, s: usize, e: usize, digits: &str, out: &mut Vec<Span>) {
    if digits.len() != 13 && digits.len() != 15 {
        return;
    }
    let n = |r: std::ops::Range<usize>| digits[r].parse::<u32>().unwrap_or(0);
    let month = n(3..5);
    let month_ok =
        (1..=12).contains(&month) || (20..=42).contains(&month) || (50..=99).contains(&month);
    if !matches!(digits.as_bytes()[0], b'1'..=b'4' | b'7' | b'8') || !month_ok || n(5..7) == 0 {
        return;
    }
    let cue = {
        let f = fold(before(text, s, 50));
        crate::ids::NIR_CUES.iter().any(|w| has_word(&f, w)) || has_word(&f, "identification")
    };
    let key_ok = digits.len() == 15
        && voile_core::checksum::nir_key(&digits[..13]).map(u32::from) == Some(n(13..15));
    let score = match (key_ok, cue, digits.len()) {
        (true, _, _) => 0.97,
        (false, true, 15) => 0.9,
        (false, true, _) => 0.88,
        (false, false, _) => return,
    };
    out.push(Span::new(s, e, Label::Secu, "rule:nir", score));
}

fn chain_phone(
    text: &str,
    s: usize,
    e: usize,
    c: &Chain,
    digits: &str,
    boxed: bool,
    out: &mut Vec<Span>,
) {
    let d = digits.as_bytes();
    if digits.len() != 10 || d[0] != b'0' || d[1] == b'0' {
        return;
    }
    if c.seps.iter().any(|&k| k == b'/' || k == b'|') && !boxed {
        return; // `02/37/84/20/87` is the regular detector's
    }
    let cue = {
        let f = fold(before(text, s, 40));
        crate::contacts::PHONE_CUES.iter().any(|w| has_word(&f, w))
    };
    if cue {
        out.push(Span::new(s, e, Label::Tel, "rule:tel", 0.9));
    }
}

fn chain_date(
    text: &str,
    s: usize,
    e: usize,
    c: &Chain,
    digits: &str,
    boxed: bool,
    out: &mut Vec<Span>,
) {
    // Parts between the non-space separators (all the same char), stray spaces joined.
    let marks: Vec<u8> = c.seps.iter().copied().filter(|&k| k != b' ').collect();
    let spaces = c.seps.len() - marks.len();
    let mut parts: Vec<String> = vec![String::new()];
    for (g, &(a, z)) in c.groups.iter().enumerate() {
        parts.last_mut().expect("part").push_str(&text[a..z]);
        if g < c.seps.len() && c.seps[g] != b' ' {
            parts.push(String::new());
        }
    }
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    let dated = if marks.len() == 2
        && marks[0] == marks[1]
        && marks[0] != b'|'
        && spaces > 0
        && parts.len() == 3
    {
        // `1 2 / 0 3 / 2 0 2 1`, `12/0 3/2021`.
        (1..=2).contains(&parts[0].len())
            && (1..=2).contains(&parts[1].len())
            && parts[2].len() == 4
            && crate::dates::valid_dmy(n(&parts[0]), n(&parts[1]), n(&parts[2]))
    } else if boxed && digits.len() == 8 {
        // `3 0 1 2 1 9 4 6`, `|3|0|1|2|1|9|4|6|` after a date cue.
        crate::dates::compact_date(digits) && crate::dates::compact_cue(text, s)
    } else if marks.is_empty() && c.groups.len() == 3 {
        // `le 12 03 2021`: space-separated day, month, year after a date cue.
        let l: Vec<usize> = c.groups.iter().map(|&(a, z)| z - a).collect();
        (1..=2).contains(&l[0])
            && (1..=2).contains(&l[1])
            && l[2] == 4
            && crate::dates::valid_dmy(
                n(&parts[0][..l[0]]),
                n(&parts[0][l[0]..l[0] + l[1]]),
                n(&parts[0][l[0] + l[1]..]),
            )
            && crate::dates::compact_cue(text, s)
    } else {
        false
    };
    if dated {
        // Above the regular `12/03/20` reading of `12/03/20 21`, the stray space joined.
        let score = if boxed { 0.87 } else { 0.91 };
        crate::dates::emit(text, s, e, score, false, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_token_shapes() {
        let t = "né le 3O/12/1946, B12, Olivier, S1, 2O2l, Ol, OK";
        let runs = crate::text::digit_runs(t);
        let got: Vec<&str> = ocr_tokens(t, &runs)
            .iter()
            .map(|&(s, e)| &t[s..e])
            .collect();
        assert_eq!(got, vec!["3O", "2O2l"]);
    }

    #[test]
    fn chains_never_panic_on_odd_input() {
        let mut out = Vec::new();
        for t in [
            "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9",
            "1|",
            "1 ",
            "é1 2 3é",
            "0 6 1 2 3 4 5 6 7 8 é",
        ] {
            detect_chains(t, &crate::text::digit_runs(t), &mut out);
        }
    }
}
