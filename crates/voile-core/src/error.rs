//! voile's error type: a kind plus where it happened. Messages name records, lines and
//! offsets, never the document's text.

use std::fmt;

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A JSONL line is not valid JSON or lacks a required field.
    BadRecord(String),
    /// A span's offsets are out of range, reversed, or not on a boundary.
    BadOffsets(String),
    /// A label that is not in the contract.
    BadLabel(String),
    /// A configuration problem detected at build time.
    Config(String),
    /// An I/O problem (the message names the path).
    Io(String),
    /// A shipped resource (model, gazetteer) is missing or corrupt.
    Resource(String),
    /// An internal failure (a bug, such as a panic) while processing one record; the message
    /// says where in voile's code, never what the text was.
    Internal(String),
}

/// An error with optional location (record id and/or 1-based line number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub line: Option<usize>,
    pub record: Option<String>,
}

impl Error {
    pub fn new(kind: ErrorKind) -> Self {
        Error {
            kind,
            line: None,
            record: None,
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn in_record(mut self, id: impl Into<String>) -> Self {
        self.record = Some(id.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(id) = &self.record {
            write!(f, "record {id:?}: ")?;
        }
        match &self.kind {
            ErrorKind::BadRecord(m) => write!(f, "bad record: {m}"),
            ErrorKind::BadOffsets(m) => write!(f, "bad offsets: {m}"),
            ErrorKind::BadLabel(m) => write!(f, "bad label: {m}"),
            ErrorKind::Config(m) => write!(f, "configuration error: {m}"),
            ErrorKind::Io(m) => write!(f, "I/O error: {m}"),
            ErrorKind::Resource(m) => write!(f, "resource error: {m}"),
            ErrorKind::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

impl std::error::Error for Error {}
