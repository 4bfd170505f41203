//! A detected identifier: byte range into the original text, label, provenance, confidence.

use crate::Label;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// Which detector produced a span, e.g. `rule:nir`, `gazetteer:prenom`, `ner`, `known:nom`.
/// Static names cost nothing; dynamic ones allocate once per span.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Source(pub Cow<'static, str>);

impl Source {
    pub const fn new(name: &'static str) -> Self {
        Source(Cow::Borrowed(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Source {
    fn from(s: String) -> Self {
        Source(Cow::Owned(s))
    }
}

impl From<&'static str> for Source {
    fn from(s: &'static str) -> Self {
        Source(Cow::Borrowed(s))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A candidate or final identifying span. `start..end` are **byte** offsets into the text the
/// detector was given, always on UTF-8 char boundaries, `start < end`.
/// `score` is the detector's confidence in `[0, 1]`; [`crate::resolve`] uses it first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub label: Label,
    pub source: Source,
    pub score: f32,
}

impl Span {
    pub fn new(
        start: usize,
        end: usize,
        label: Label,
        source: impl Into<Source>,
        score: f32,
    ) -> Self {
        debug_assert!(start < end, "empty or reversed span {start}..{end}");
        Span {
            start,
            end,
            label,
            source: source.into(),
            score,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The span's surface in `text` (the text it was detected in).
    pub fn surface<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range()]
    }
}

impl std::ops::Index<&Span> for str {
    type Output = str;
    fn index(&self, span: &Span) -> &str {
        &self[span.range()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surface_and_index_agree() {
        let text = "Mme Élise DURAND";
        let s = Span::new(4, 10, Label::Prenom, "test", 1.0);
        assert_eq!(s.surface(text), "Élise");
        assert_eq!(&text[&s], "Élise");
        assert_eq!(s.len(), 6);
    }

    #[test]
    fn overlap_is_strict_on_touching_ends() {
        let a = Span::new(0, 4, Label::Nom, "t", 1.0);
        let b = Span::new(4, 8, Label::Nom, "t", 1.0);
        let c = Span::new(3, 5, Label::Nom, "t", 1.0);
        assert!(!a.overlaps(&b));
        assert!(a.overlaps(&c) && b.overlaps(&c));
    }
}
