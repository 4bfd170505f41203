//! The JSONL corpus contract (`shared/corpus-format.md`): one document per line, spans in
//! Unicode **code-point** offsets at this boundary, byte offsets everywhere inside voile.
//!
//! [`RawRecord`] is the line as written (labels as strings, so peers' label sets can be mapped);
//! [`Record`] is the validated form with byte-offset [`Span`]s. Unknown fields are kept in
//! `extra` and written back unchanged, in their original order.

use crate::{Error, ErrorKind, Label, Source, Span};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A span as written in JSONL: code-point offsets, label as a string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawSpan {
    pub start: usize,
    pub end: usize,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

/// One JSONL line as written. `spans` is absent in raw input to `voile detect`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawRecord {
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spans: Option<Vec<RawSpan>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A validated document: spans are byte offsets into `text`, sorted by start.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub text: String,
    pub spans: Vec<Span>,
    /// Every other field of the line (`meta`, `patient_id`, …), preserved on output.
    pub extra: Map<String, Value>,
}

impl Record {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Record {
            id: id.into(),
            text: text.into(),
            spans: Vec::new(),
            extra: Map::new(),
        }
    }

    /// `meta` object of the record, if any.
    pub fn meta(&self) -> Option<&Map<String, Value>> {
        self.extra.get("meta").and_then(Value::as_object)
    }

    /// Serialise as one JSONL line (no trailing newline) with code-point offsets.
    /// `with_provenance` adds each span's `source` and `score`.
    pub fn to_json_line(&self, with_provenance: bool) -> String {
        let raw = self.to_raw(with_provenance);
        serde_json::to_string(&raw).expect("a record always serialises")
    }

    pub fn to_raw(&self, with_provenance: bool) -> RawRecord {
        let map = OffsetMap::new(&self.text);
        let spans = self
            .spans
            .iter()
            .map(|s| RawSpan {
                start: map.byte_to_cp(s.start),
                end: map.byte_to_cp(s.end),
                label: s.label.as_str().to_string(),
                source: with_provenance.then(|| s.source.as_str().to_string()),
                score: with_provenance.then_some(round_score(s.score)),
            })
            .collect();
        RawRecord {
            id: self.id.clone(),
            text: self.text.clone(),
            spans: Some(spans),
            extra: self.extra.clone(),
        }
    }
}

/// Scores are written with 4 decimals so outputs stay byte-identical across platforms.
fn round_score(s: f32) -> f32 {
    (s * 10_000.0).round() / 10_000.0
}

/// Parse one JSONL line (1-based `line` for messages) into a validated [`Record`];
/// labels must be contract labels. Spans absent → empty.
pub fn parse_line(line: &str, line_no: usize) -> Result<Record, Error> {
    parse_line_with(line, line_no, |l| l.parse::<Label>().ok().map(Some))
}

/// Like [`parse_line`], with a label mapper: `Some(Some(label))` maps, `Some(None)` drops the
/// span on purpose (a peer label outside the scheme), `None` is an unknown-label error.
pub fn parse_line_with(
    line: &str,
    line_no: usize,
    map_label: impl Fn(&str) -> Option<Option<Label>>,
) -> Result<Record, Error> {
    let raw = parse_raw_line(line, line_no)?;
    from_raw(raw, map_label).map_err(|e| e.at_line(line_no))
}

/// Parse a line into a [`RawRecord`] without validating offsets.
pub fn parse_raw_line(line: &str, line_no: usize) -> Result<RawRecord, Error> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        Error::new(ErrorKind::BadRecord(format!(
            "not valid JSON (column {})",
            e.column()
        )))
        .at_line(line_no)
    })?;
    let id = match value.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(
                Error::new(ErrorKind::BadRecord("missing string field `id`".into()))
                    .at_line(line_no),
            )
        }
    };
    if !matches!(value.get("text"), Some(Value::String(_))) {
        return Err(
            Error::new(ErrorKind::BadRecord("missing string field `text`".into()))
                .at_line(line_no)
                .in_record(id),
        );
    }
    let mut obj = match value {
        Value::Object(o) => o,
        _ => unreachable!("checked fields above"),
    };
    obj.insert("id".into(), Value::String(id.clone()));
    serde_json::from_value::<RawRecord>(Value::Object(obj)).map_err(|e| {
        Error::new(ErrorKind::BadRecord(format!(
            "malformed field: {}",
            redact_serde(&e)
        )))
        .at_line(line_no)
        .in_record(id)
    })
}

/// serde messages can quote input values; keep only the structural part.
fn redact_serde(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.find(['`', '"']) {
        Some(i) if msg.contains("invalid type") => msg[..i].trim().to_string(),
        _ => msg.chars().take(120).collect(),
    }
}

/// Validate a raw record: offsets in range, `start < end`, mapped to byte offsets.
pub fn from_raw(
    raw: RawRecord,
    map_label: impl Fn(&str) -> Option<Option<Label>>,
) -> Result<Record, Error> {
    let map = OffsetMap::new(&raw.text);
    let mut spans = Vec::new();
    for (i, s) in raw.spans.iter().flatten().enumerate() {
        let label = match map_label(&s.label) {
            Some(Some(l)) => l,
            Some(None) => continue,
            None => {
                return Err(Error::new(ErrorKind::BadLabel(format!(
                    "span {i}: unknown label {:?}",
                    s.label
                )))
                .in_record(raw.id.clone()))
            }
        };
        let (Some(start), Some(end)) = (map.cp_to_byte(s.start), map.cp_to_byte(s.end)) else {
            return Err(Error::new(ErrorKind::BadOffsets(format!(
                "span {i}: {}..{} outside the text ({} code points)",
                s.start,
                s.end,
                map.len_cp()
            )))
            .in_record(raw.id.clone()));
        };
        if start >= end {
            return Err(Error::new(ErrorKind::BadOffsets(format!(
                "span {i}: start {} is not before end {}",
                s.start, s.end
            )))
            .in_record(raw.id.clone()));
        }
        let source = s
            .source
            .clone()
            .map(Source::from)
            .unwrap_or(Source::new("gold"));
        spans.push(Span::new(start, end, label, source, s.score.unwrap_or(1.0)));
    }
    spans.sort_by_key(|s| (s.start, s.end));
    Ok(Record {
        id: raw.id,
        text: raw.text,
        spans,
        extra: raw.extra,
    })
}

/// Code-point ↔ byte offset conversion for one text. ASCII texts cost nothing.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// Byte offset of each code point, plus the text length at the end; empty for ASCII.
    starts: Vec<usize>,
    len_bytes: usize,
}

impl OffsetMap {
    pub fn new(text: &str) -> Self {
        let starts = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        OffsetMap {
            starts,
            len_bytes: text.len(),
        }
    }

    pub fn len_cp(&self) -> usize {
        if self.starts.is_empty() {
            self.len_bytes
        } else {
            self.starts.len() - 1
        }
    }

    /// Byte offset of code point `cp` (`cp == len` allowed); `None` when out of range.
    pub fn cp_to_byte(&self, cp: usize) -> Option<usize> {
        if self.starts.is_empty() {
            (cp <= self.len_bytes).then_some(cp)
        } else {
            self.starts.get(cp).copied()
        }
    }

    /// Code-point index of byte offset `b`, which must be a char boundary.
    pub fn byte_to_cp(&self, b: usize) -> usize {
        if self.starts.is_empty() {
            b
        } else {
            self.starts
                .binary_search(&b)
                .expect("span offsets are always on char boundaries")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"id":"doc-1","text":"Mme Josiane LEFÈVRE, née le 12/04/1957","spans":[{"start":4,"end":11,"label":"PRENOM"},{"start":12,"end":19,"label":"NOM"},{"start":28,"end":38,"label":"DATE_NAISSANCE"}],"meta":{"patient_id":"p1"}}"#;

    #[test]
    fn code_points_become_bytes_and_back() {
        let r = parse_line(LINE, 1).unwrap();
        let surfaces: Vec<&str> = r.spans.iter().map(|s| s.surface(&r.text)).collect();
        assert_eq!(surfaces, ["Josiane", "LEFÈVRE", "12/04/1957"]);
        // È and é are two bytes each, so the date moved by two bytes but not in code points.
        assert_eq!(r.spans[2].start, 30);
        let out = r.to_raw(false);
        let spans = out.spans.unwrap();
        assert_eq!((spans[2].start, spans[2].end), (28, 38));
        assert_eq!(r.meta().unwrap()["patient_id"], "p1");
    }

    #[test]
    fn round_trip_preserves_extra_fields() {
        let r = parse_line(LINE, 1).unwrap();
        let line = r.to_json_line(false);
        let again = parse_line(&line, 1).unwrap();
        assert_eq!(r, again);
        assert!(line.contains(r#""meta":{"patient_id":"p1"}"#));
    }

    #[test]
    fn errors_name_the_line_and_never_the_text() {
        let e = parse_line("{not json", 7).unwrap_err();
        assert_eq!(e.line, Some(7));
        let e = parse_line(r#"{"id":"a"}"#, 2).unwrap_err();
        assert!(e.to_string().contains("text"));
        let e = parse_line(
            r#"{"id":"a","text":"Jean SECRET","spans":[{"start":5,"end":99,"label":"NOM"}]}"#,
            3,
        )
        .unwrap_err();
        assert!(matches!(e.kind, ErrorKind::BadOffsets(_)));
        assert!(!e.to_string().contains("SECRET"));
        let e = parse_line(
            r#"{"id":"a","text":"abc","spans":[{"start":0,"end":1,"label":"PERSON"}]}"#,
            4,
        )
        .unwrap_err();
        assert!(matches!(e.kind, ErrorKind::BadLabel(_)));
        let e = parse_line(r#"{"id":"a","text":"Jean SECRET","spans":"SECRET"}"#, 5).unwrap_err();
        assert!(!e.to_string().contains("SECRET"), "{e}");
    }

    #[test]
    fn offset_map_handles_ascii_and_multibyte() {
        let m = OffsetMap::new("abc");
        assert_eq!(m.cp_to_byte(3), Some(3));
        assert_eq!(m.cp_to_byte(4), None);
        let m = OffsetMap::new("é€x");
        assert_eq!(m.cp_to_byte(1), Some(2));
        assert_eq!(m.cp_to_byte(2), Some(5));
        assert_eq!(m.byte_to_cp(5), 2);
        assert_eq!(m.len_cp(), 3);
    }
}
