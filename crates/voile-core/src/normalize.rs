//! Typography seen through once, offsets kept.
//!
//! Real documents carry no-break and thin spaces (standard before `:` in French), zero-width
//! characters, typographic apostrophes and dashes, and decomposed accents (NFD). Detectors are
//! written for plain spaces, `'`, `-` and composed letters, so the pipeline runs them on a
//! [`Normalized`] view and maps every span back to the original text with
//! [`Normalized::span_to_original`]: replaced text is never touched, kept text never shifts.
//!
//! What changes (each change is one *unit*; units never split a character):
//! - space-like characters (U+00A0, U+202F, U+2000–U+200A, U+205F, U+3000) → `' '`;
//! - zero-width characters and the soft hyphen (U+200B–U+200D, U+2060, U+FEFF, U+00AD) → removed;
//! - typographic apostrophes (U+2019, U+2018, U+02BC, U+2032, U+00B4) → `'`;
//! - hyphens and dashes (U+2010–U+2015, U+2212, U+FE63, U+FF0D) → `-`;
//! - a letter followed by combining marks → its NFC composition (`e` + U+0301 → `é`).
//!
//! Text without any of these (all ASCII text, most French text) is borrowed as is.

use crate::Span;
use std::borrow::Cow;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// A position where the offset between normalised and original text may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Anchor {
    norm: usize,
    orig: usize,
    /// The text from here to the next anchor replaces an original unit: offsets inside it
    /// cannot be mapped linearly (a unit may grow: U+0344 becomes U+0308 U+0301), so they
    /// snap to the unit's bounds.
    replaced: bool,
}

/// The normalised view of a text and the map back to the original's byte offsets.
#[derive(Debug, Clone)]
pub struct Normalized<'t> {
    text: Cow<'t, str>,
    /// Sorted by `norm` then `orig`; between two anchors the text is unchanged.
    anchors: Vec<Anchor>,
}

/// What one original character becomes, when it changes.
fn replacement(c: char) -> Option<&'static str> {
    match c {
        '\u{00A0}' | '\u{202F}' | '\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}' => Some(" "),
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => Some(""),
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '\u{00B4}' => Some("'"),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => Some("-"),
        _ => None,
    }
}

fn needs_work(c: char) -> bool {
    replacement(c).is_some() || is_combining_mark(c)
}

/// The normalised view of `text` (borrowed when nothing changes).
pub fn normalize(text: &str) -> Normalized<'_> {
    if text.is_ascii() || !text.chars().any(needs_work) {
        return Normalized {
            text: Cow::Borrowed(text),
            anchors: Vec::new(),
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut anchors = vec![Anchor {
        norm: 0,
        orig: 0,
        replaced: false,
    }];
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = i + c.len_utf8();
        while let Some(&(j, m)) = chars.peek() {
            if !is_combining_mark(m) {
                break;
            }
            end = j + m.len_utf8();
            chars.next();
        }
        let unit = &text[i..end];
        let changed: Option<Cow<'_, str>> = if end > i + c.len_utf8() {
            Some(Cow::Owned(unit.nfc().collect()))
        } else {
            replacement(c).map(Cow::Borrowed)
        };
        match changed {
            Some(new) => {
                anchors.push(Anchor {
                    norm: out.len(),
                    orig: i,
                    replaced: true,
                });
                out.push_str(&new);
                anchors.push(Anchor {
                    norm: out.len(),
                    orig: end,
                    replaced: false,
                });
            }
            None => out.push_str(unit),
        }
    }
    Normalized {
        text: Cow::Owned(out),
        anchors,
    }
}

impl Normalized<'_> {
    /// The text detectors should read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True when the view is the original text itself (offsets need no mapping).
    pub fn is_identity(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Original offset of a span *start* at normalised offset `p`: after any removed character.
    pub fn start_to_original(&self, p: usize) -> usize {
        if self.is_identity() {
            return p;
        }
        let i = self.anchors.partition_point(|a| a.norm <= p) - 1;
        let a = self.anchors[i];
        if a.replaced {
            return a.orig;
        }
        a.orig + (p - a.norm)
    }

    /// Original offset of a span *end* at normalised offset `p`: before any removed character.
    pub fn end_to_original(&self, p: usize) -> usize {
        if self.is_identity() {
            return p;
        }
        let i = self.anchors.partition_point(|a| a.norm < p);
        match self.anchors.get(i) {
            Some(a) if a.norm == p => a.orig,
            Some(next) if self.anchors[i - 1].replaced => next.orig,
            _ => {
                let a = self.anchors[i - 1];
                a.orig + (p - a.norm)
            }
        }
    }

    /// Move `span` from normalised to original offsets; `false` if it became empty.
    pub fn span_to_original(&self, span: &mut Span) -> bool {
        span.start = self.start_to_original(span.start);
        span.end = self.end_to_original(span.end);
        span.start < span.end
    }

    /// Map every span back to the original text, dropping any that became empty.
    pub fn spans_to_original(&self, spans: &mut Vec<Span>) {
        if !self.is_identity() {
            spans.retain_mut(|s| self.span_to_original(s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Label;

    /// Where `needle` is in the normalised text, mapped back: the original surface.
    fn original_surface<'a>(text: &'a str, needle: &str) -> &'a str {
        let n = normalize(text);
        let s = n.text().find(needle).expect("needle in normalised text");
        let mut span = Span::new(s, s + needle.len(), Label::Nom, "test", 1.0);
        assert!(n.span_to_original(&mut span));
        &text[span.start..span.end]
    }

    /// Regression (found by the `normalize` fuzz target): a combining mark whose composition
    /// is longer than itself (U+0344 → U+0308 U+0301), here after a removed U+FEFF, left the
    /// view's second character mapped to an empty range.
    #[test]
    fn every_character_of_a_grown_unit_maps_inside_it() {
        let text = "x\u{feff}\u{344}307 Mme";
        let n = normalize(text);
        let mut last_end = 0;
        for (p, c) in n.text().char_indices() {
            let mut s = Span::new(p, p + c.len_utf8(), Label::Nom, "test", 1.0);
            assert!(n.span_to_original(&mut s), "{c:?} at {p} maps to nothing");
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            assert!(s.start >= last_end || s.end == last_end);
            last_end = s.end;
        }
        assert_eq!(original_surface(text, "Mme"), "Mme");
    }

    /// Found by the `normalize` fuzz target (its check, not this code, was wrong): a letter
    /// whose combining mark composes with nothing (`t` + U+0333) stays one unit, so a name
    /// ending on it takes its mark along instead of leaving it behind the surrogate.
    #[test]
    fn a_letter_keeps_the_marks_nfc_cannot_compose() {
        let text = "Dupont\u{333} vu";
        assert_eq!(original_surface(text, "Dupont"), "Dupont\u{333}");
        assert_eq!(original_surface(text, "vu"), "vu");
    }

    #[test]
    fn plain_text_is_borrowed() {
        for t in ["IPP : 123", "Née le 3 mars à Évreux", ""] {
            let n = normalize(t);
            assert!(n.is_identity());
            assert_eq!(n.text(), t);
        }
    }

    #[test]
    fn table_of_units() {
        let cases: &[(&str, &str)] = &[
            ("IPP\u{00A0}: 80012345", "IPP : 80012345"),
            ("Tél\u{202F}: 06", "Tél : 06"),
            ("M.\u{200B}Dupont", "M.Dupont"),
            ("l\u{2019}IPP", "l'IPP"),
            ("Jean\u{2011}Pierre", "Jean-Pierre"),
            ("ne\u{0301}e le", "née le"),
            ("E\u{0301}vreux", "Évreux"),
            ("a\u{00AD}b", "ab"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input).text(), *want, "{input:?}");
        }
    }

    #[test]
    fn spans_map_back_to_original_surfaces() {
        assert_eq!(
            original_surface("IPP\u{00A0}: 80012345.", "80012345"),
            "80012345"
        );
        assert_eq!(
            original_surface("Mme\u{00A0}E\u{0301}lise DURAND", "Élise"),
            "E\u{0301}lise"
        );
        // A zero-width space before or after a name stays outside its span.
        assert_eq!(
            original_surface("Dr \u{200B}Dupont\u{200B} vu", "Dupont"),
            "Dupont"
        );
        // Inside a name it stays inside.
        assert_eq!(
            original_surface("Du\u{200B}pont", "Dupont"),
            "Du\u{200B}pont"
        );
        assert_eq!(
            original_surface("Jean\u{2011}Pierre Martin", "Jean-Pierre"),
            "Jean\u{2011}Pierre"
        );
    }

    #[test]
    fn text_after_units_keeps_its_offsets() {
        let text = "a\u{00A0}b\u{200B}c e\u{0301}d \u{2019}x";
        let n = normalize(text);
        for (p, c) in n.text().char_indices() {
            let mut s = Span::new(p, p + c.len_utf8(), Label::Nom, "t", 1.0);
            assert!(n.span_to_original(&mut s));
            let orig = &text[s.start..s.end];
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            if !needs_work(c) && c.is_ascii_alphabetic() {
                assert_eq!(orig, c.to_string(), "char {c:?} at {p}");
            }
        }
    }
}
