//! The values handed to Python: spans, replacements and pseudonymised documents. Offsets
//! are code points (Python `str` indexes). None of them holds original document text.

use pyo3::prelude::*;

/// An identifying span in the analysed text: `text[start:end]` is the identifier.
#[pyclass(frozen, eq, module = "voile", name = "Span")]
#[derive(Debug, Clone, PartialEq)]
pub struct PySpan {
    /// First code point (Python `str` index).
    #[pyo3(get)]
    pub start: usize,
    /// One past the last code point.
    #[pyo3(get)]
    pub end: usize,
    /// Contract label (`NOM`, `PRENOM`, `DATE`, … see `voile.LABELS`).
    #[pyo3(get)]
    pub label: String,
    /// Detector confidence, rounded to 4 decimals as in the CLI's JSONL.
    #[pyo3(get)]
    pub score: f64,
    /// Which detector produced it (`rule:nir`, `gazetteer:prenom`, `ner`, `known:nom`…).
    #[pyo3(get)]
    pub source: String,
}

#[pymethods]
impl PySpan {
    #[new]
    #[pyo3(signature = (start, end, label, score = 1.0, source = "user".to_string()))]
    fn new(start: usize, end: usize, label: String, score: f64, source: String) -> Self {
        PySpan {
            start,
            end,
            label,
            score,
            source,
        }
    }

    /// Presidio's name for the label.
    #[getter]
    fn entity_type(&self) -> &str {
        &self.label
    }

    /// `{"start", "end", "label", "source", "score"}`, the JSONL span fields.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let d = pyo3::types::PyDict::new(py);
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("label", &self.label)?;
        d.set_item("source", &self.source)?;
        d.set_item("score", self.score)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Span(start={}, end={}, label={:?}, score={}, source={:?})",
            self.start, self.end, self.label, self.score, self.source
        )
    }
}

/// One replacement in a pseudonymised text: `result.text[start:end]` is what replaced
/// `original_text[original_start:original_end]`.
#[pyclass(frozen, eq, module = "voile", name = "Replacement")]
#[derive(Debug, Clone, PartialEq)]
pub struct PyReplacement {
    /// Code-point range in the output text.
    #[pyo3(get)]
    pub start: usize,
    #[pyo3(get)]
    pub end: usize,
    #[pyo3(get)]
    pub label: String,
    /// The operator applied (`surrogate`, `tag`, `redact`, `hash`, `keep`); `tag` when a
    /// surrogate could not be produced (then `fallback` is true).
    #[pyo3(get)]
    pub operator: String,
    /// Code-point range in the input text.
    #[pyo3(get)]
    pub original_start: usize,
    #[pyo3(get)]
    pub original_end: usize,
    #[pyo3(get)]
    pub fallback: bool,
}

#[pymethods]
impl PyReplacement {
    /// `{"start", "end", "label", "operator"}`: the span of `voile pseudo --spans`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let d = pyo3::types::PyDict::new(py);
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("label", &self.label)?;
        d.set_item("operator", &self.operator)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Replacement(start={}, end={}, label={:?}, operator={:?}, original_start={}, original_end={}, fallback={})",
            self.start,
            self.end,
            self.label,
            self.operator,
            self.original_start,
            self.original_end,
            if self.fallback { "True" } else { "False" }
        )
    }
}

/// A pseudonymised document.
#[pyclass(frozen, module = "voile", name = "PseudoResult")]
#[derive(Debug, Clone)]
pub struct PyPseudoResult {
    /// The pseudonymised text.
    #[pyo3(get)]
    pub text: String,
    /// One replacement per identifier, offsets in `text` (as `voile pseudo --spans`).
    #[pyo3(get)]
    pub spans: Vec<PyReplacement>,
    /// The spans that were replaced, offsets in the input text.
    #[pyo3(get)]
    pub detected: Vec<PySpan>,
}

#[pymethods]
impl PyPseudoResult {
    /// The output text's length only: a repr may end up in logs.
    fn __repr__(&self) -> String {
        format!(
            "PseudoResult(text=<{} chars>, spans=<{} replacements>)",
            self.text.chars().count(),
            self.spans.len()
        )
    }
}
