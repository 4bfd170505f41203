//! The one interface every detector (rules, gazetteers, NER, known identities) implements.

use crate::Span;

/// Finds candidate spans in a text. Implementations are built once (compiled regexes,
/// automata, model weights) and then shared across threads, hence `Send + Sync`.
///
/// Candidates may overlap each other and other detectors' candidates; the pipeline
/// resolves them with [`crate::resolve`]. Offsets are byte offsets into `text`, on char
/// boundaries, never crossing a line break.
pub trait Detector: Send + Sync {
    /// Stable short name (used in configs and `source` prefixes).
    fn name(&self) -> &str;

    /// Append this detector's candidates for `text` to `out`.
    fn detect(&self, text: &str, out: &mut Vec<Span>);
}

impl<D: Detector + ?Sized> Detector for Box<D> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn detect(&self, text: &str, out: &mut Vec<Span>) {
        (**self).detect(text, out)
    }
}

impl<D: Detector + ?Sized> Detector for std::sync::Arc<D> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn detect(&self, text: &str, out: &mut Vec<Span>) {
        (**self).detect(text, out)
    }
}
