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

/// Borrowed mirror of [`RawSpan`] for writing (same field order and skip rules).
#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f32>,
}

/// Borrowed mirror of [`RawRecord`] for writing.
#[derive(Serialize)]
struct RecordOut<'a> {
    id: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    spans: Option<Vec<SpanOut<'a>>>,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
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
    ///
    /// Written from borrowed fields (no copy of the text, no per-span strings), field for
    /// field the same bytes as serialising [`Record::to_raw`]: a 100 MB document must not
    /// cost several times its size in memory.
    pub fn to_json_line(&self, with_provenance: bool) -> String {
        let map = OffsetMap::new(&self.text);
        let spans: Vec<SpanOut<'_>> = self
            .spans
            .iter()
            .map(|s| SpanOut {
                start: map.byte_to_cp(s.start),
                end: map.byte_to_cp(s.end),
                label: s.label.as_str(),
                source: with_provenance.then(|| s.source.as_str()),
                score: with_provenance.then_some(round_score(s.score)),
            })
            .collect();
        let out = RecordOut {
            id: &self.id,
            text: &self.text,
            spans: Some(spans),
            extra: &self.extra,
        };
        serde_json::to_string(&out).expect("a record always serialises")
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

/// Code-point ↔ byte offset conversion for one text (the JSON boundary uses code points).
///
/// Memory stays small on huge documents: one checkpoint (code points before it) every
/// [`OffsetMap::BLOCK`] bytes, then a scan of at most one block; ASCII text needs nothing.
#[derive(Debug, Clone)]
pub struct OffsetMap<'t> {
    text: &'t str,
    /// Code points in `text[..i * BLOCK]` for each block `i`; empty for ASCII text.
    blocks: Vec<usize>,
    len_cp: usize,
}

fn is_char_start(b: u8) -> bool {
    b & 0xC0 != 0x80
}

impl<'t> OffsetMap<'t> {
    pub const BLOCK: usize = 64;

    pub fn new(text: &'t str) -> Self {
        if text.is_ascii() {
            return OffsetMap {
                text,
                blocks: Vec::new(),
                len_cp: text.len(),
            };
        }
        let mut blocks = Vec::with_capacity(text.len() / Self::BLOCK + 1);
        let mut count = 0;
        for chunk in text.as_bytes().chunks(Self::BLOCK) {
            blocks.push(count);
            count += chunk.iter().filter(|&&b| is_char_start(b)).count();
        }
        OffsetMap {
            text,
            blocks,
            len_cp: count,
        }
    }

    pub fn len_cp(&self) -> usize {
        self.len_cp
    }

    /// Byte offset of code point `cp` (`cp == len` allowed); `None` when out of range.
    pub fn cp_to_byte(&self, cp: usize) -> Option<usize> {
        if cp > self.len_cp {
            return None;
        }
        if self.blocks.is_empty() {
            return Some(cp);
        }
        if cp == self.len_cp {
            return Some(self.text.len());
        }
        let block = self.blocks.partition_point(|&c| c <= cp) - 1;
        let mut count = self.blocks[block];
        let bytes = self.text.as_bytes();
        for (pos, &b) in bytes.iter().enumerate().skip(block * Self::BLOCK) {
            if is_char_start(b) {
                if count == cp {
                    return Some(pos);
                }
                count += 1;
            }
        }
        None
    }

    /// Code-point index of byte offset `b`, which must be a char boundary.
    pub fn byte_to_cp(&self, b: usize) -> usize {
        assert!(
            self.text.is_char_boundary(b),
            "span offsets are always on char boundaries"
        );
        if self.blocks.is_empty() {
            return b;
        }
        if b == self.text.len() {
            return self.len_cp;
        }
        let block = b / Self::BLOCK;
        let from = block * Self::BLOCK;
        self.blocks[block]
            + self.text.as_bytes()[from..b]
                .iter()
                .filter(|&&x| is_char_start(x))
                .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"id":"doc-1","text":"Mme Josiane LEFÈVRE, née le 12/04/1957","spans":[{"start":4,"end":11,"label":"PRENOM"},{"start":12,"end":19,"label":"NOM"},{"start":28,"end":38,"label":"DATE_NAISSANCE"}],"meta":{"patient_id":"p1"}}"#;

    #[test]
    fn json_line_is_the_serialised_raw_record() {
        let mut r = parse_line(LINE, 1).unwrap();
        r.spans[0].score = 0.123456;
        for prov in [true, false] {
            let raw = serde_json::to_string(&r.to_raw(prov)).unwrap();
            assert_eq!(r.to_json_line(prov), raw);
        }
    }

    #[test]
    fn offset_map_agrees_with_char_indices_across_blocks() {
        let text = "Zoé Œuvre 😀 — naïve\n".repeat(40) + "fin";
        let m = OffsetMap::new(&text);
        let starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        assert_eq!(m.len_cp(), starts.len());
        for (cp, &b) in starts.iter().enumerate() {
            assert_eq!(m.cp_to_byte(cp), Some(b), "cp {cp}");
            assert_eq!(m.byte_to_cp(b), cp, "byte {b}");
        }
        assert_eq!(m.cp_to_byte(starts.len()), Some(text.len()));
        assert_eq!(m.byte_to_cp(text.len()), starts.len());
        assert_eq!(m.cp_to_byte(starts.len() + 1), None);
        let ascii = OffsetMap::new("plain");
        assert_eq!(
            (
                ascii.cp_to_byte(5),
                ascii.cp_to_byte(6),
                ascii.byte_to_cp(3)
            ),
            (Some(5), None, 3)
        );
    }

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
