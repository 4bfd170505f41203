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

/// A gap between the tokens of a printed number: at most two spaces, one of `| . - /`, at
/// most two spaces (never a line break), 1 to 5 bytes.
fn number_gap(g: &[u8]) -> bool {
    let marks = g
        .iter()
        .filter(|&&c| matches!(c, b'|' | b'.' | b'-' | b'/'))
        .count();
    let spaces = g.iter().filter(|&&c| c == b' ').count();
    !g.is_empty() && marks <= 1 && spaces <= 4 && marks + spaces == g.len()
}

/// OCR letters in boxed and grouped numbers, judged on the whole printed number rather than
/// token by token: `2 3 6 l 2 9 7 4 l l 2 O 3`, `|2|5|O|l|l|9|9|2|`, `O B / l 2 / l 9 3 6`,
/// `+262 693 lO 2B 44`. A chain of tokens made only of digits and OCR letters (letter-only
/// tokens at most 3 long), joined by [`number_gap`]s, with at least 4 real digits and no
/// fewer digits than letters: its tokens holding letters are returned.
fn chain_ocr_tokens(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let toks = crate::text::byte_runs(b, |c| c.is_ascii_alphanumeric());
    let numeric = |&(s, e): &(usize, usize)| {
        let t = &b[s..e];
        let letters = t.iter().filter(|c| !c.is_ascii_digit()).count();
        t.iter()
            .all(|&c| c.is_ascii_digit() || ocr_digit(c).is_some())
            && (letters < t.len() || t.len() <= 3)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !numeric(&toks[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < toks.len() && numeric(&toks[j]) && number_gap(&b[toks[j - 1].1..toks[j].0]) {
            j += 1;
        }
        let mut chain = &toks[i..j];
        // A multi-letter token without digits at an edge is a word (`N° SS 2 6 …`).
        let word =
            |&(s, e): &(usize, usize)| e - s > 1 && b[s..e].iter().all(|c| !c.is_ascii_digit());
        while chain.first().is_some_and(word) {
            chain = &chain[1..];
        }
        while chain.last().is_some_and(word) {
            chain = &chain[..chain.len() - 1];
        }
        i = j;
        if chain.len() < 2 {
            continue;
        }
        let digits: usize = chain
            .iter()
            .map(|&(s, e)| b[s..e].iter().filter(|c| c.is_ascii_digit()).count())
            .sum();
        let letters: usize = chain.iter().map(|&(s, e)| e - s).sum::<usize>() - digits;
        let (cs, ce) = (chain[0].0, chain[chain.len() - 1].1);
        let word_prev = text[..cs]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic);
        let word_next = text[ce..].chars().next().is_some_and(char::is_alphabetic);
        // Boxed digits (`3 7 O O O`) are numbers even when most of them were misread.
        let boxed = chain.len() >= 5 && chain.iter().all(|&(s, e)| e - s == 1);
        let numeric_enough = if boxed {
            digits >= 2
        } else {
            digits >= 4 && digits >= letters
        };
        if letters > 0 && numeric_enough && !word_prev && !word_next {
            out.extend(
                chain
                    .iter()
                    .filter(|&&(s, e)| b[s..e].iter().any(|c| !c.is_ascii_digit())),
            );
        }
    }
    out
}

/// Tokens to read back as digits: [`ocr_tokens`] and [`chain_ocr_tokens`], sorted, disjoint.
fn all_ocr_tokens(text: &str, runs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut toks = ocr_tokens(text, runs);
    toks.extend(chain_ocr_tokens(text));
    toks.sort_unstable();
    toks.dedup();
    toks
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
    let toks = all_ocr_tokens(text, runs);
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
        let boxed = c.groups.iter().all(|&(a, z)| z - a == 1);
        if total == 5 && boxed {
            chain_zip(text, s, e, out);
        }
        if !matches!(total, 8 | 10 | 13 | 15) {
            continue;
        }
        let digits: String = c.groups.iter().map(|&(a, z)| &text[a..z]).collect();
        chain_nir(text, s, e, &digits, out);
        chain_phone(text, s, e, &c, &digits, boxed, out);
        chain_date(text, s, e, &c, &digits, boxed, out);
    }
}

/// A boxed postcode (`9 7 4 6 0`, `|3|7|0|0|0|`) after a postcode cue or before a city
/// in capitals.
fn chain_zip(text: &str, s: usize, e: usize, out: &mut Vec<Span>) {
    let cue = {
        let f = fold(before(text, s, 20));
        let f = f.trim_end_matches(|c: char| c.is_whitespace() || ":|".contains(c));
        f.ends_with("cp") || f.ends_with("code postal")
    };
    let rest = crate::text::after(text, e, 40).trim_start_matches([' ', '|']);
    let city_next = rest
        .split_whitespace()
        .next()
        .is_some_and(|w| w.chars().count() >= 2 && crate::text::is_upper_word(w));
    if cue || city_next {
        out.push(Span::new(s, e, Label::Zip, "rule:zip", 0.85));
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

    fn detected(t: &str) -> Vec<(String, Label)> {
        let rules = crate::Rules::new(&crate::RulesConfig::default()).unwrap();
        let mut out = Vec::new();
        voile_core::Detector::detect(&rules, t, &mut out);
        out.iter()
            .map(|s| (t[s.start..s.end].to_string(), s.label))
            .collect()
    }

    fn finds(t: &str, surface: &str, label: Label) {
        let got = detected(t);
        assert!(
            got.iter().any(|(s, l)| s == surface && *l == label),
            "{surface:?} as {label:?} not in {got:?}"
        );
    }

    #[test]
    fn chain_ocr_tokens_read_boxed_and_grouped_numbers() {
        let t = "N° SS 2 3 6 l 2 9 7 4 l l 2 O 3 | S 4 ; tel +262 693 lO 2B 44 ; Il a 12 ans";
        let got: Vec<&str> = chain_ocr_tokens(t).iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(got, vec!["l", "l", "l", "O", "S", "lO", "2B"]);
        // Words of OCR-confusable letters next to few digits stay words.
        assert!(chain_ocr_tokens("Il a 12 ans, SOS 15, OS 2, Il 12 34 56").is_empty());
    }

    #[test]
    fn boxed_forms_with_ocr_letters() {
        finds(
            "Date de naissance  O B / l 2 / l 9 3 6   Lieu",
            "O B / l 2 / l 9 3 6",
            Label::DateNaissance,
        );
        finds(
            "Date de naissance  |2|5|O|l|l|9|9|2|   Lieu",
            "2|5|O|l|l|9|9|2",
            Label::DateNaissance,
        );
        finds("Tel portable O6.5l.B4.O2.77", "O6.5l.B4.O2.77", Label::Tel);
        finds("tel. O639 OB 77 l2", "O639 OB 77 l2", Label::Tel);
        finds(
            "Rue des Goyaviers\n 9 7 4 6 O  SAINT-PAUL",
            "9 7 4 6 O",
            Label::Zip,
        );
        finds("CP |3|7|O|O|O|  Ville  TOURS", "3|7|O|O|O", Label::Zip);
    }

    #[test]
    fn boxed_numbers_without_cue_or_city_are_not_postcodes() {
        assert!(!detected("score 1 2 3 4 5 sur l'échelle")
            .iter()
            .any(|(_, l)| *l == Label::Zip));
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
