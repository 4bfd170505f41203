//! Reading reference corpora and predictions: the JSONL contract and BRAT standoff folders.
//! Every bad line is reported (file, line, record id), never skipped; messages carry no text.

use crate::LabelMap;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use voile_core::corpus::{parse_line_with, OffsetMap, Record};
use voile_core::{Error, ErrorKind, Span};

/// Read a JSONL corpus (`shared/corpus-format.md`), mapping labels through `label_map`.
/// Blank lines are skipped. Errors: every unparsable line, duplicate id and overlapping
/// span pair, each with its 1-based line number.
pub fn read_jsonl(path: &Path, label_map: &LabelMap) -> Result<Vec<Record>, Vec<Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| vec![io_error(path, &e)])?;
    parse_jsonl(&text, label_map)
}

/// [`read_jsonl`] on text already in memory.
pub fn parse_jsonl(text: &str, label_map: &LabelMap) -> Result<Vec<Record>, Vec<Error>> {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        match parse_line_with(line, line_no, |l| label_map.lookup(l)) {
            Ok(record) => {
                if let Some(first) = seen.insert(record.id.clone(), line_no) {
                    errors.push(duplicate_id(&record.id, first).at_line(line_no));
                    continue;
                }
                match check_no_overlap(&record) {
                    Ok(()) => records.push(record),
                    Err(e) => errors.push(e.at_line(line_no)),
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

/// Read a BRAT standoff folder: every `*.txt` below `dir` (sorted, recursively) with its
/// `.ann` beside it. The record id is the `.txt` path relative to `dir`, without the
/// extension, `/`-separated (`sub/doc-01`). Only `T` (text-bound) lines are read; `R`, `E`,
/// `A`, `N`, `#` and `*` lines are ignored. Offsets are code points, as in the JSONL contract.
/// A discontinuous annotation (`T1\tNOM 0 4;10 15\t…`) becomes one span per fragment with
/// the same label, so the gap between fragments is not counted as identifying.
/// A missing `.ann` is an error; a single-fragment annotation whose surface in the `.ann`
/// differs from the `.txt` at its offsets is an error (usually CRLF or encoding problems).
pub fn read_brat_dir(dir: &Path, label_map: &LabelMap) -> Result<Vec<Record>, Vec<Error>> {
    let mut txts = Vec::new();
    walk(dir, &mut txts).map_err(|e| vec![io_error(dir, &e)])?;
    txts.sort();
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for txt in txts {
        let id = brat_id(dir, &txt);
        match read_brat_doc(&txt, id, label_map) {
            Ok(r) => records.push(r),
            Err(mut es) => errors.append(&mut es),
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

/// Read a corpus that is either a BRAT folder (when `path` is a directory) or a JSONL file.
pub fn read_corpus(path: &Path, label_map: &LabelMap) -> Result<Vec<Record>, Vec<Error>> {
    if path.is_dir() {
        read_brat_dir(path, label_map)
    } else {
        read_jsonl(path, label_map)
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
    Ok(())
}

fn brat_id(root: &Path, txt: &Path) -> String {
    let rel = txt.strip_prefix(root).unwrap_or(txt).with_extension("");
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_brat_doc(txt: &Path, id: String, label_map: &LabelMap) -> Result<Record, Vec<Error>> {
    let text = std::fs::read_to_string(txt).map_err(|e| vec![io_error(txt, &e).in_record(&id)])?;
    let ann_path = txt.with_extension("ann");
    let ann = std::fs::read_to_string(&ann_path)
        .map_err(|e| vec![io_error(&ann_path, &e).in_record(&id)])?;
    let mut spans = Vec::new();
    let mut errors = Vec::new();
    {
        let map = OffsetMap::new(&text);
        for (i, line) in ann.lines().enumerate() {
            if !line.starts_with('T') {
                continue;
            }
            match parse_t_line(line, &text, &map, label_map) {
                Ok(mut found) => spans.append(&mut found),
                Err(kind) => errors.push(Error::new(kind).at_line(i + 1).in_record(&id)),
            }
        }
    }
    let mut record = Record::new(id.clone(), text);
    record.spans = spans;
    record.spans.sort_by_key(|s| (s.start, s.end));
    if let Err(e) = check_no_overlap(&record) {
        errors.push(e);
    }
    if errors.is_empty() {
        Ok(record)
    } else {
        let origin = ann_path.display().to_string();
        Err(errors
            .into_iter()
            .map(|e| prefix_origin(e, &origin))
            .collect())
    }
}

/// Parse `T1\tLABEL 0 4;10 15\tsurface` into spans (one per fragment).
fn parse_t_line(
    line: &str,
    text: &str,
    map: &OffsetMap,
    label_map: &LabelMap,
) -> Result<Vec<Span>, ErrorKind> {
    let mut fields = line.splitn(3, '\t');
    let tag = fields.next().unwrap_or("");
    let body = fields.next().ok_or_else(|| {
        ErrorKind::BadRecord(format!("{tag}: missing tab-separated type and offsets"))
    })?;
    let surface = fields.next();
    let (label_str, offsets) = body
        .split_once(' ')
        .ok_or_else(|| ErrorKind::BadRecord(format!("{tag}: missing offsets")))?;
    let label = match label_map.lookup(label_str) {
        Some(Some(l)) => l,
        Some(None) => return Ok(Vec::new()),
        None => {
            return Err(ErrorKind::BadLabel(format!(
                "{tag}: unknown label {label_str:?}"
            )))
        }
    };
    let mut spans = Vec::new();
    let fragments: Vec<&str> = offsets.split(';').collect();
    for frag in &fragments {
        let (start, end) = parse_fragment(frag)
            .ok_or_else(|| ErrorKind::BadOffsets(format!("{tag}: malformed offsets")))?;
        let (Some(s), Some(e)) = (map.cp_to_byte(start), map.cp_to_byte(end)) else {
            return Err(ErrorKind::BadOffsets(format!(
                "{tag}: {start}..{end} outside the text ({} code points)",
                map.len_cp()
            )));
        };
        if s >= e {
            return Err(ErrorKind::BadOffsets(format!(
                "{tag}: start {start} is not before end {end}"
            )));
        }
        spans.push(Span::new(s, e, label, "gold", 1.0));
    }
    if let (Some(surface), [only]) = (surface, spans.as_slice()) {
        if normalise_ws(surface) != normalise_ws(only.surface(text)) {
            return Err(ErrorKind::BadOffsets(format!(
                "{tag}: the surface in the .ann differs from the .txt at these offsets (line endings or encoding?)"
            )));
        }
    }
    Ok(spans)
}

fn parse_fragment(frag: &str) -> Option<(usize, usize)> {
    let mut it = frag.split_whitespace();
    let start = it.next()?.parse().ok()?;
    let end = it.next()?.parse().ok()?;
    it.next().is_none().then_some((start, end))
}

/// BRAT writes line breaks inside a surface as spaces.
fn normalise_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Spans must not overlap (corpus contract); reports the first overlapping pair by offsets.
pub(crate) fn check_no_overlap(record: &Record) -> Result<(), Error> {
    let map = OffsetMap::new(&record.text);
    let mut sorted: Vec<&Span> = record.spans.iter().collect();
    sorted.sort_by_key(|s| (s.start, s.end));
    for w in sorted.windows(2) {
        if w[0].end > w[1].start {
            return Err(Error::new(ErrorKind::BadOffsets(format!(
                "spans {}..{} and {}..{} overlap (the contract forbids overlapping spans)",
                map.byte_to_cp(w[0].start),
                map.byte_to_cp(w[0].end),
                map.byte_to_cp(w[1].start),
                map.byte_to_cp(w[1].end)
            )))
            .in_record(record.id.clone()));
        }
    }
    Ok(())
}

fn duplicate_id(id: &str, first_line: usize) -> Error {
    Error::new(ErrorKind::BadRecord(format!(
        "duplicate id (first seen on line {first_line})"
    )))
    .in_record(id)
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::Io(format!("{}: {e}", path.display())))
}

fn prefix_origin(mut e: Error, origin: &str) -> Error {
    e.kind = match e.kind {
        ErrorKind::BadRecord(m) => ErrorKind::BadRecord(format!("{origin}: {m}")),
        ErrorKind::BadOffsets(m) => ErrorKind::BadOffsets(format!("{origin}: {m}")),
        ErrorKind::BadLabel(m) => ErrorKind::BadLabel(format!("{origin}: {m}")),
        other => other,
    };
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use voile_core::Label;

    #[test]
    fn jsonl_reports_every_bad_line() {
        let text = concat!(
            r#"{"id":"a","text":"Jean Dupont","spans":[{"start":5,"end":11,"label":"NOM"}]}"#,
            "\n\n{oops\n",
            r#"{"id":"a","text":"x"}"#,
            "\n",
            r#"{"id":"b","text":"abcdef","spans":[{"start":0,"end":3,"label":"NOM"},{"start":2,"end":4,"label":"NOM"}]}"#,
            "\n",
            r#"{"id":"c","text":"abc","spans":[{"start":0,"end":3,"label":"PERSON"}]}"#,
        );
        let errs = parse_jsonl(text, &LabelMap::identity()).unwrap_err();
        let lines: Vec<_> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![Some(3), Some(4), Some(5), Some(6)]);
        let mut map = LabelMap::identity();
        map.insert("PERSON", Some(Label::Nom));
        let only_last = text.lines().last().unwrap();
        let recs = parse_jsonl(only_last, &map).unwrap();
        assert_eq!(recs[0].spans[0].label, Label::Nom);
    }

    #[test]
    fn brat_fragments_split_and_surfaces_checked() {
        let dir = std::env::temp_dir().join(format!("voile-eval-brat-{}", std::process::id()));
        let sub = dir.join("sub");
        std::fs::create_dir_all(&sub).unwrap();
        // "Élise" is 5 code points but 6 bytes: offsets are code points.
        std::fs::write(sub.join("d1.txt"), "Mme Élise DURAND, vue à Nantes").unwrap();
        std::fs::write(
            sub.join("d1.ann"),
            "T1\tPRENOM 4 9\tÉlise\nT2\tPERSON 10 16;24 30\tDURAND Nantes\nA1\tNeg T1\n#1\tnote\n",
        )
        .unwrap();
        let mut map = LabelMap::identity();
        map.insert("PERSON", Some(Label::Nom));
        let recs = read_brat_dir(&dir, &map).unwrap();
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].id, "sub/d1");
        let surfaces: Vec<_> = recs[0]
            .spans
            .iter()
            .map(|s| s.surface(&recs[0].text))
            .collect();
        assert_eq!(surfaces, ["Élise", "DURAND", "Nantes"]);

        std::fs::write(sub.join("d1.ann"), "T1\tPRENOM 3 8\tÉlise\n").unwrap();
        let errs = read_brat_dir(&dir, &map).unwrap_err();
        assert_eq!(errs[0].line, Some(1));
        assert_eq!(errs[0].record.as_deref(), Some("sub/d1"));
        assert!(!errs[0].to_string().contains("Élise"));

        std::fs::remove_file(sub.join("d1.ann")).unwrap();
        assert!(matches!(
            read_brat_dir(&dir, &map).unwrap_err()[0].kind,
            ErrorKind::Io(_)
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
