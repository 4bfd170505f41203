//! Small text helpers shared by the detectors: same-line context windows, accent and case
//! folding for cue matching, and a word tokenizer. Everything works on byte offsets.

/// How far the context helpers look along a line: keeps every lookup O(1) even on
/// huge texts without line breaks.
pub(crate) const LINE_WINDOW: usize = 512;

/// Byte offset where the line holding `pos` starts, looking back at most [`LINE_WINDOW`]
/// bytes (the window start, on a char boundary, when no break is that close).
pub(crate) fn line_start(text: &str, pos: usize) -> usize {
    let mut from = pos.saturating_sub(LINE_WINDOW);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    text.as_bytes()[from..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(from, |i| from + i + 1)
}

/// Byte offset where the line holding `pos` ends (the `\n`/`\r`, the text end, or at most
/// [`LINE_WINDOW`] bytes ahead, on a char boundary).
pub(crate) fn line_end(text: &str, pos: usize) -> usize {
    let mut to = (pos + LINE_WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    text.as_bytes()[pos..to]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(to, |i| pos + i)
}

/// Up to `max` bytes before `pos` on the same line (cut on a char boundary).
pub(crate) fn before(text: &str, pos: usize, max: usize) -> &str {
    // Only the last `max` bytes are scanned for the line break (not the whole line window).
    let mut from = pos.saturating_sub(max);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let from = text.as_bytes()[from..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(from, |i| from + i + 1);
    &text[from..pos]
}

/// Up to `max` bytes after `pos` on the same line (cut on a char boundary).
pub(crate) fn after(text: &str, pos: usize, max: usize) -> &str {
    let mut to = (pos + max).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let to = text.as_bytes()[pos..to]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(to, |i| pos + i);
    &text[pos..to]
}

pub(crate) fn prev_char(text: &str, pos: usize) -> Option<char> {
    text[..pos].chars().next_back()
}

pub(crate) fn next_char(text: &str, pos: usize) -> Option<char> {
    text[pos..].chars().next()
}

/// The char before `pos` is a separator (`/ . - , +`) glued to a digit: the match at `pos`
/// is the tail of a longer number (`9/10/10`, `1.2.3`).
pub(crate) fn glued_before(text: &str, pos: usize) -> bool {
    let b = text.as_bytes();
    if pos == 0 {
        return false;
    }
    let c = b[pos - 1];
    if c.is_ascii_alphanumeric() {
        return true;
    }
    matches!(c, b'/' | b'.' | b'-' | b',' | b'+' | b':' | b'_')
        && pos >= 2
        && b[pos - 2].is_ascii_digit()
}

/// The char after `end` continues the number (`13/8/12/3`, `2.5`, `12345-67`).
pub(crate) fn glued_after(text: &str, end: usize) -> bool {
    let b = text.as_bytes();
    if end >= b.len() {
        return false;
    }
    let c = b[end];
    if c.is_ascii_alphanumeric() {
        return true;
    }
    matches!(c, b'/' | b'.' | b',' | b'-' | b'_' | b':')
        && end + 1 < b.len()
        && b[end + 1].is_ascii_digit()
}

/// Lowercase and strip French accents, `°`/`º` become `o` (`N°` → `no`).
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
        return out;
    }
    for c in s.chars() {
        let f = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' | 'á' | 'Á' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'î' | 'ï' | 'Î' | 'Ï' | 'í' => 'i',
            'ô' | 'ö' | 'Ô' | 'Ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' | 'ú' => 'u',
            'ç' | 'Ç' => 'c',
            'ÿ' | 'Ÿ' => 'y',
            '°' | 'º' => 'o',
            '’' | '`' => '\'',
            c => {
                for l in c.to_lowercase() {
                    out.push(l);
                }
                continue;
            }
        };
        out.push(f);
    }
    out
}

/// Alphanumeric words of a folded string, last first.
pub(crate) fn words_rev(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .rev()
        .filter(|w| !w.is_empty())
}

/// True when `folded` (already folded) ends with `cue` as whole words, once trailing
/// separators (spaces, `:`, `=`, `#`, `(`…) are dropped.
pub(crate) fn ends_with_cue(folded: &str, cue: &str) -> bool {
    let t = folded.trim_end_matches(|c: char| c.is_whitespace() || ":=#(-–.,;".contains(c));
    t.ends_with(cue) && {
        let head = &t[..t.len() - cue.len()];
        !matches!(head.chars().next_back(), Some(c) if c.is_alphanumeric())
    }
}

/// True when the folded string contains `word` (not empty) as a whole word (or phrase).
pub(crate) fn has_word(folded: &str, word: &str) -> bool {
    let (hay, needle) = (folded.as_bytes(), word.as_bytes());
    if needle.is_empty() || needle.len() > hay.len() {
        return false;
    }
    // A plain window scan: the cue words are short and the windows small, where building
    // `str::find`'s two-way searcher for every call costs more than the search.
    let find_from = |from: usize| hay[from..].windows(needle.len()).position(|w| w == needle);
    let mut from = 0;
    while let Some(i) = find_from(from) {
        let s = from + i;
        let e = s + word.len();
        let ok_l = !matches!(folded[..s].chars().next_back(), Some(c) if c.is_alphanumeric());
        let ok_r = !matches!(folded[e..].chars().next(), Some(c) if c.is_alphanumeric());
        if ok_l && ok_r {
            return true;
        }
        from = s + word.len().max(1);
        while !folded.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// A whitespace-delimited token on one line: byte range and text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok<'t> {
    pub start: usize,
    pub end: usize,
    pub s: &'t str,
}

/// Tokens longer than this are no words (names, street words): `next_tok` gives up on them, so
/// a title inside a long glued chain (`Dr.-Dr.-Dr.-…`) costs a bounded scan, not the chain.
const MAX_TOKEN_BYTES: usize = 128;

/// Next token at or after `pos` on the same line, skipping spaces/tabs only. Tokens end at
/// whitespace or at `, ; : ( ) [ ] " « »`; a trailing `.` stays in the token. None at the end
/// of the text or when the token is longer than `MAX_TOKEN_BYTES`.
pub(crate) fn next_tok(text: &str, pos: usize) -> Option<Tok<'_>> {
    let bytes = text.as_bytes();
    let mut i = pos;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    let start = i;
    for (off, c) in text[start..].char_indices() {
        if off > MAX_TOKEN_BYTES {
            return None;
        }
        if c.is_whitespace() || ",;:()[]\"«»/|".contains(c) {
            let end = start + off;
            return (end > start).then(|| Tok {
                start,
                end,
                s: &text[start..end],
            });
        }
    }
    (text.len() > start && text.len() - start <= MAX_TOKEN_BYTES).then(|| Tok {
        start,
        end: text.len(),
        s: &text[start..],
    })
}

/// Gap between two byte offsets is only spaces/tabs.
pub(crate) fn only_spaces(text: &str, a: usize, b: usize) -> bool {
    a <= b
        && text.as_bytes()[a..b]
            .iter()
            .all(|&c| c == b' ' || c == b'\t')
}

/// First letter uppercase and at least one lowercase letter (`Dupont`, `Jean-Pierre`).
pub(crate) fn is_capitalised(w: &str) -> bool {
    let mut cs = w.chars();
    matches!(cs.next(), Some(c) if c.is_uppercase()) && w.chars().any(|c| c.is_lowercase())
}

/// At least two letters, all letters uppercase (`DUPONT`, `N'DIAYE`, `LE-FLOCH`).
pub(crate) fn is_upper_word(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && w.chars()
            .all(|c| c.is_uppercase() || c == '-' || c == '\'' || c == '’')
        && w.chars().next().is_some_and(|c| c.is_alphabetic())
}

/// Byte ranges of the ASCII digit runs of `text`, computed once per text and shared by the
/// candidate-driven detectors (chains, extensions, glued dates, years, OCR tokens).
pub(crate) fn digit_runs(text: &str) -> Vec<(usize, usize)> {
    byte_runs(text.as_bytes(), |b| b.is_ascii_digit())
}

/// Byte ranges of the maximal runs of bytes satisfying `keep`.
pub(crate) fn byte_runs(b: &[u8], keep: impl Fn(u8) -> bool) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if keep(b[i]) {
            let s = i;
            while i < b.len() && keep(b[i]) {
                i += 1;
            }
            runs.push((s, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// Compile a pattern with a lazy-DFA cache large enough for the case-insensitive
/// alternations, so the cache is not cleared over and over on long inputs.
pub(crate) fn compile(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(16 << 20)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_cues() {
        assert_eq!(fold("N° SÉCU Née"), "no secu nee");
        assert!(ends_with_cue("date de naissance : ", "naissance"));
        assert!(!ends_with_cue("reconnaissance", "naissance"));
        assert!(has_word("le nir du patient", "nir"));
        assert!(!has_word("nirvana", "nir"));
    }

    #[test]
    fn context_windows_stay_on_the_line() {
        let t = "ab\ncd ef";
        assert_eq!(before(t, 7, 100), "cd e");
        assert_eq!(after(t, 0, 100), "ab");
        assert_eq!(next_tok(t, 5).unwrap().s, "ef");
    }

    #[test]
    fn tokens_longer_than_a_word_are_given_up() {
        // Regression (bench --shapes): every title of a glued chain rescanned the whole chain.
        let chain = "Dr.-".repeat(1000);
        assert!(next_tok(&chain, 4).is_none());
        let word = "a".repeat(MAX_TOKEN_BYTES);
        assert_eq!(next_tok(&word, 0).unwrap().s.len(), MAX_TOKEN_BYTES);
        assert_eq!(
            next_tok(&format!("{word} x"), 0).unwrap().end,
            MAX_TOKEN_BYTES
        );
    }
}
