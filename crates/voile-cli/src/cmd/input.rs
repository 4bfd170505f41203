//! Shared input handling for `detect` and `pseudo`: stdin JSONL, JSONL, JSON and `.txt` files
//! and directories, read in bounded chunks so memory stays flat on huge files, with every bad
//! record reported by origin and line number — never dropped silently.
//!
//! Directory walks are sorted (output order never depends on the file system), follow
//! symbolic links once (a loop or a second path to the same file is reported, not re-read),
//! and report every path they skip and why (unsupported extension, hidden file, broken link).
//! Extensions are matched case-insensitively; a UTF-8 byte-order mark is ignored.

use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use voile_core::corpus::{from_raw, parse_raw_line, RawRecord, Record};
use voile_core::{Error, ErrorKind};

/// Records per parallel chunk: large enough to keep both cores busy, small enough to bound memory.
pub const CHUNK_RECORDS: usize = 256;

/// What kind of input a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines on standard input.
    Stdin,
    /// One record per line.
    Jsonl,
    /// One record object, or an array of record objects.
    Json,
    /// One plain-text document; its id is its path relative to the argument given.
    Text,
}

/// One unit of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub format: Format,
    /// The file read (none for stdin).
    pub path: Option<PathBuf>,
    /// Where its output goes under an output directory: the path relative to the argument
    /// given (a directory's tree is mirrored, never flattened).
    pub rel: PathBuf,
    /// How a `.txt` file's bytes are decoded (JSON is UTF-8 by definition).
    pub encoding: TextEncoding,
}

/// The character encoding of `.txt` inputs: UTF-8 unless `--encoding` names another
/// (WHATWG labels: `windows-1252`, `latin1`, `iso-8859-15`, `utf-16le`…). Offsets are always
/// in the decoded text; outputs are always UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding(pub &'static encoding_rs::Encoding);

impl Default for TextEncoding {
    fn default() -> Self {
        TextEncoding(encoding_rs::UTF_8)
    }
}

impl TextEncoding {
    /// The encoding named by `--encoding`, or UTF-8.
    pub fn from_arg(label: Option<&str>) -> Result<TextEncoding> {
        match label {
            None => Ok(TextEncoding::default()),
            Some(l) => encoding_rs::Encoding::for_label(l.trim().as_bytes())
                .map(TextEncoding)
                .with_context(|| {
                    format!("--encoding {l:?}: unknown encoding (try utf-8, windows-1252, latin1)")
                }),
        }
    }

    /// Decode a whole file's bytes (a byte-order mark is dropped); an error message
    /// (offsets, never content) when they are not valid in this encoding.
    pub fn decode(self, bytes: Vec<u8>) -> Result<String, String> {
        if self.0 == encoding_rs::UTF_8 {
            return match String::from_utf8(bytes) {
                Ok(mut text) => {
                    if text.starts_with(BOM) {
                        text.drain(..BOM.len());
                    }
                    Ok(text)
                }
                Err(e) => Err(format!(
                    "not UTF-8 (invalid byte at offset {}; see --encoding)",
                    e.utf8_error().valid_up_to()
                )),
            };
        }
        let (text, _, had_errors) = self.0.decode(&bytes);
        if had_errors {
            return Err(format!("not valid {}", self.0.name()));
        }
        Ok(text.into_owned())
    }
}

impl Source {
    pub fn stdin() -> Source {
        Source {
            format: Format::Stdin,
            path: None,
            rel: PathBuf::from("stdin.jsonl"),
            encoding: TextEncoding::default(),
        }
    }

    /// How errors name this input.
    pub fn origin(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "<stdin>".to_string(),
        }
    }

    /// The input file's size in bytes (0 for stdin or when it cannot be read).
    pub fn size(&self) -> u64 {
        self.path
            .as_ref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len())
    }

    /// The document id of a `.txt` input: its relative path with `/` separators.
    pub fn text_id(&self) -> String {
        self.rel.to_string_lossy().replace('\\', "/")
    }
}

/// A path that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: String,
}

/// The inputs of a run, and the paths skipped while finding them.
#[derive(Debug, Default)]
pub struct Inputs {
    pub sources: Vec<Source>,
    pub skipped: Vec<Skipped>,
    /// Canonical directories given as arguments (outputs must not land inside them).
    pub dirs: Vec<PathBuf>,
}

impl Inputs {
    /// Print every skipped path on stderr, prefixed by the command name.
    pub fn report_skipped(&self, cmd: &str) {
        for s in &self.skipped {
            eprintln!("voile {cmd}: skipped {}: {}", s.path.display(), s.why);
        }
    }

    pub fn has_stdin(&self) -> bool {
        self.sources.iter().any(|s| s.format == Format::Stdin)
    }

    /// Decode every `.txt` input with `encoding`.
    pub fn set_encoding(&mut self, encoding: TextEncoding) {
        for s in &mut self.sources {
            s.encoding = encoding;
        }
    }

    /// Total bytes of the input files (stdin counts 0): the progress bar's length.
    pub fn total_bytes(&self) -> u64 {
        self.sources.iter().map(Source::size).sum()
    }
}

/// Expand command-line paths into sources; no paths or `-` mean stdin.
pub fn collect_sources(paths: &[PathBuf]) -> Result<Inputs> {
    let mut inputs = Inputs::default();
    if paths.is_empty() {
        inputs.sources.push(Source::stdin());
        return Ok(inputs);
    }
    let mut walker = Walker::default();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.sources.push(Source::stdin());
            continue;
        }
        let meta = std::fs::metadata(p)
            .with_context(|| format!("{}: no such file or directory", p.display()))?;
        if meta.is_dir() {
            let canonical = p
                .canonicalize()
                .with_context(|| format!("cannot resolve {}", p.display()))?;
            inputs.dirs.push(canonical);
            walker.walk_root(p, &mut inputs)?;
        } else {
            let name = PathBuf::from(p.file_name().unwrap_or_default());
            match format_of(p) {
                Some(format) => {
                    if walker.first_visit_of_file(p) {
                        inputs.sources.push(Source {
                            format,
                            path: Some(p.clone()),
                            rel: name,
                            encoding: TextEncoding::default(),
                        });
                    } else {
                        inputs.skipped.push(Skipped {
                            path: p.clone(),
                            why: "the same file was already given".into(),
                        });
                    }
                }
                None => bail!(
                    "{}: unsupported file type (expected .jsonl, .ndjson, .json or .txt)",
                    p.display()
                ),
            }
        }
    }
    Ok(inputs)
}

/// The format of a file from its extension, case-insensitively.
fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "json" => Some(Format::Json),
        "txt" | "text" => Some(Format::Text),
        _ => None,
    }
}

/// A directory walk that visits each directory and file once, whatever the links.
#[derive(Default)]
struct Walker {
    dirs: BTreeSet<PathBuf>,
    files: BTreeSet<PathBuf>,
}

impl Walker {
    fn first_visit_of_file(&mut self, path: &Path) -> bool {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.files.insert(key)
    }

    fn walk_root(&mut self, root: &Path, inputs: &mut Inputs) -> Result<()> {
        let mut found = Vec::new();
        self.walk(root, &mut found, inputs)
            .with_context(|| format!("cannot list {}", root.display()))?;
        found.sort();
        for path in found {
            let format = format_of(&path).expect("only supported files are collected");
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            inputs.sources.push(Source {
                format,
                path: Some(path),
                rel,
                encoding: TextEncoding::default(),
            });
        }
        Ok(())
    }

    /// Collect supported files under `dir`; unreadable entries are skipped with a reason,
    /// only an unreadable `dir` itself is an error.
    fn walk(&mut self, dir: &Path, found: &mut Vec<PathBuf>, inputs: &mut Inputs) -> Result<()> {
        let canonical = dir.canonicalize()?;
        if !self.dirs.insert(canonical) {
            inputs.skipped.push(Skipped {
                path: dir.to_path_buf(),
                why: "directory already visited (a symbolic link loop or a second link)".into(),
            });
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            self.visit(path, found, inputs);
        }
        Ok(())
    }

    fn visit(&mut self, path: PathBuf, found: &mut Vec<PathBuf>, inputs: &mut Inputs) {
        let skip = |inputs: &mut Inputs, why: &str| {
            inputs.skipped.push(Skipped {
                path: path.clone(),
                why: why.to_string(),
            })
        };
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            return skip(inputs, "hidden file or directory");
        }
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if path.is_symlink() => {
                return skip(inputs, &format!("broken symbolic link ({})", e.kind()))
            }
            Err(e) => return skip(inputs, &format!("cannot read ({})", e.kind())),
        };
        if meta.is_dir() {
            if let Err(e) = self.walk(&path, found, inputs) {
                skip(inputs, &format!("cannot list directory ({e})"));
            }
        } else if format_of(&path).is_none() {
            skip(
                inputs,
                "unsupported extension (expected .jsonl, .ndjson, .json or .txt)",
            );
        } else if !self.first_visit_of_file(&path) {
            skip(inputs, "same file already read through another path");
        } else {
            found.push(path);
        }
    }
}

/// A record that could not be read or processed, with where it was.
#[derive(Debug)]
pub struct BadRecord {
    pub origin: String,
    pub error: Error,
}

impl std::fmt::Display for BadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.error)
    }
}

/// Records read together, with the line (or array position) each came from, for messages.
#[derive(Debug, Default)]
pub struct Chunk {
    pub lines: Vec<usize>,
    pub records: Vec<Record>,
    /// Input bytes consumed since the previous chunk (for progress).
    pub bytes: u64,
}

impl Chunk {
    fn push(&mut self, line: usize, record: Record) {
        self.lines.push(line);
        self.records.push(record);
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// A processing failure of a record read at `line`, located (origin, line, id; never text).
pub fn bad_at(source: &Source, line: usize, error: Error) -> BadRecord {
    let error = if error.line.is_none() {
        error.at_line(line)
    } else {
        error
    };
    BadRecord {
        origin: source.origin(),
        error,
    }
}

/// Read `source` in chunks of at most [`CHUNK_RECORDS`] records, calling `on_chunk` with the
/// good records (in input order) and reporting bad ones through `on_bad`.
pub fn read_chunks(
    source: &Source,
    mut on_chunk: impl FnMut(Chunk) -> Result<()>,
    mut on_bad: impl FnMut(BadRecord),
) -> Result<()> {
    match (source.format, &source.path) {
        (Format::Stdin, _) => read_jsonl(
            BufReader::new(std::io::stdin().lock()),
            source,
            on_chunk,
            on_bad,
        ),
        (Format::Jsonl, Some(p)) => {
            let f = File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
            read_jsonl(
                BufReader::with_capacity(1 << 20, f),
                source,
                on_chunk,
                on_bad,
            )
        }
        (Format::Json, Some(p)) => {
            let mut all = read_json_file(p, source, &mut on_bad)?;
            all.bytes = source.size();
            while !all.is_empty() {
                let rest = Chunk {
                    lines: all.lines.split_off(all.len().min(CHUNK_RECORDS)),
                    records: all.records.split_off(all.len().min(CHUNK_RECORDS)),
                    bytes: 0,
                };
                on_chunk(std::mem::replace(&mut all, rest))?;
            }
            Ok(())
        }
        (Format::Text, Some(_)) => {
            if let Some(record) = read_text_record(source, &mut on_bad)? {
                let mut chunk = Chunk {
                    bytes: source.size(),
                    ..Chunk::default()
                };
                chunk.push(1, record);
                on_chunk(chunk)?;
            }
            Ok(())
        }
        (_, None) => unreachable!("only stdin has no path"),
    }
}

/// `.txt` inputs read and processed together: at most this many files…
const TEXT_GROUP_FILES: usize = CHUNK_RECORDS;
/// …and about this many bytes.
const TEXT_GROUP_BYTES: u64 = 8 << 20;

/// The end of the `.txt` group starting at `first`: consecutive `.txt` sources, bounded in
/// files and bytes so memory stays small.
pub fn text_group_end(sources: &[Source], first: usize) -> usize {
    let mut bytes = 0u64;
    let mut end = first;
    while end < sources.len()
        && sources[end].format == Format::Text
        && end - first < TEXT_GROUP_FILES
        && (end == first || bytes < TEXT_GROUP_BYTES)
    {
        bytes += sources[end].size();
        end += 1;
    }
    end
}

const BOM: &str = "\u{FEFF}";

/// A `.txt` input as one record (id = its relative path); `None` (reported) when its
/// bytes are not valid in the chosen encoding.
pub fn read_text_record(
    source: &Source,
    on_bad: &mut impl FnMut(BadRecord),
) -> Result<Option<Record>> {
    let path = source.path.as_deref().expect("a .txt source has a path");
    let decoded = read_text_file(path, source, source.encoding, on_bad)?;
    Ok(decoded.map(|text| Record::new(source.text_id(), text)))
}

fn read_text_file(
    path: &Path,
    source: &Source,
    encoding: TextEncoding,
    on_bad: &mut impl FnMut(BadRecord),
) -> Result<Option<String>> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {}", path.display()))?;
    match encoding.decode(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(msg) => {
            on_bad(bad(source, Error::new(ErrorKind::BadRecord(msg))));
            Ok(None)
        }
    }
}

/// A `.json` file: one record object or an array of them (position = "line" in messages).
fn read_json_file(
    path: &Path,
    source: &Source,
    on_bad: &mut impl FnMut(BadRecord),
) -> Result<Chunk> {
    let mut out = Chunk::default();
    let Some(text) = read_text_file(path, source, TextEncoding::default(), on_bad)? else {
        return Ok(out);
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            on_bad(bad(
                source,
                Error::new(ErrorKind::BadRecord(format!(
                    "not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ))),
            ));
            return Ok(out);
        }
    };
    let items = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    for (i, item) in items.into_iter().enumerate() {
        let n = i + 1;
        let parsed = serde_json::to_string(&item)
            .map_err(|_| Error::new(ErrorKind::BadRecord("unreadable item".into())))
            .and_then(|line| parse_ignoring_spans(&line, n));
        match parsed {
            Ok(record) => out.push(n, record),
            Err(e) => on_bad(bad(source, e)),
        }
    }
    Ok(out)
}

fn read_jsonl(
    mut reader: impl BufRead,
    source: &Source,
    mut on_chunk: impl FnMut(Chunk) -> Result<()>,
    mut on_bad: impl FnMut(BadRecord),
) -> Result<()> {
    let mut chunk = Chunk::default();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("cannot read {}", source.origin()))?;
        if n == 0 {
            break;
        }
        chunk.bytes += n as u64;
        line_no += 1;
        let line = match std::str::from_utf8(&buf) {
            Ok(s) => s.trim_end_matches(['\n', '\r']),
            Err(_) => {
                on_bad(bad(
                    source,
                    Error::new(ErrorKind::BadRecord("not UTF-8".into())).at_line(line_no),
                ));
                continue;
            }
        };
        let line = if line_no == 1 {
            line.strip_prefix(BOM).unwrap_or(line)
        } else {
            line
        };
        if line.trim().is_empty() {
            continue;
        }
        match parse_ignoring_spans(line, line_no) {
            Ok(record) => chunk.push(line_no, record),
            Err(e) => on_bad(bad(source, e)),
        }
        if chunk.len() == CHUNK_RECORDS {
            on_chunk(std::mem::take(&mut chunk))?;
        }
    }
    if !chunk.is_empty() {
        on_chunk(chunk)?;
    }
    Ok(())
}

/// Input spans (gold or earlier predictions) are ignored: the engine detects afresh.
fn parse_ignoring_spans(line: &str, line_no: usize) -> Result<Record, Error> {
    let mut raw: RawRecord = parse_raw_line(line, line_no)?;
    raw.spans = None;
    from_raw(raw, |_| None).map_err(|e| e.at_line(line_no))
}

fn bad(source: &Source, error: Error) -> BadRecord {
    BadRecord {
        origin: source.origin(),
        error,
    }
}

/// Record ids seen in a run: a repeated id is reported (ids, never text), or refused.
#[derive(Default)]
pub struct IdRegistry {
    seen: std::collections::HashMap<String, String>,
}

impl IdRegistry {
    /// `Some(first place seen)` when `id` was already seen in this run.
    pub fn check(&mut self, id: &str, here: String) -> Option<String> {
        match self.seen.get(id) {
            Some(first) => Some(first.clone()),
            None => {
                self.seen.insert(id.to_string(), here);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("voile-input-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn extensions_are_case_insensitive_and_others_are_reported() {
        let d = tmp("ext");
        for f in [
            "a.TXT",
            "b.JSONL",
            "c.json",
            "d.ndjson",
            "e.csv",
            "noext",
            ".hidden.txt",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let inputs = collect_sources(std::slice::from_ref(&d)).unwrap();
        let read: Vec<_> = inputs.sources.iter().map(|s| s.text_id()).collect();
        assert_eq!(read, ["a.TXT", "b.JSONL", "c.json", "d.ndjson"]);
        let skipped: Vec<_> = inputs
            .skipped
            .iter()
            .map(|s| s.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(skipped, [".hidden.txt", "e.csv", "noext"]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_followed_once_and_dangling_links_skipped() {
        let d = tmp("links");
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/x.txt"), "x").unwrap();
        std::os::unix::fs::symlink(&d, d.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(d.join("nowhere.txt"), d.join("dangling.txt")).unwrap();
        std::os::unix::fs::symlink(d.join("sub/x.txt"), d.join("again.txt")).unwrap();
        let inputs = collect_sources(std::slice::from_ref(&d)).unwrap();
        assert_eq!(inputs.sources.len(), 1, "{:?}", inputs.sources);
        let whys: Vec<_> = inputs.skipped.iter().map(|s| s.why.as_str()).collect();
        assert_eq!(whys.len(), 3, "{whys:?}");
        assert!(whys.iter().any(|w| w.starts_with("broken symbolic link")));
        assert!(whys
            .iter()
            .any(|w| w.starts_with("directory already visited")));
        assert!(whys.iter().any(|w| w.starts_with("same file already read")));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn tree_is_mirrored_not_flattened() {
        let d = tmp("tree");
        for sub in ["a", "b"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
            std::fs::write(d.join(sub).join("same.jsonl"), "").unwrap();
        }
        let inputs = collect_sources(std::slice::from_ref(&d)).unwrap();
        let rels: Vec<_> = inputs.sources.iter().map(|s| s.rel.clone()).collect();
        assert_eq!(
            rels,
            [PathBuf::from("a/same.jsonl"), PathBuf::from("b/same.jsonl")]
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    fn read_all(source: &Source) -> (Vec<String>, usize) {
        let mut ids = Vec::new();
        let mut bad = 0;
        read_chunks(
            source,
            |c| {
                ids.extend(c.records.into_iter().map(|r| r.id));
                Ok(())
            },
            |_| bad += 1,
        )
        .unwrap();
        (ids, bad)
    }

    #[test]
    fn a_bom_does_not_reject_the_first_record() {
        let d = tmp("bom");
        let p = d.join("in.jsonl");
        std::fs::write(
            &p,
            "\u{FEFF}{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n",
        )
        .unwrap();
        let src = Source {
            format: Format::Jsonl,
            path: Some(p),
            rel: "in.jsonl".into(),
            encoding: TextEncoding::default(),
        };
        assert_eq!(read_all(&src), (vec!["a".to_string(), "b".to_string()], 0));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn json_files_hold_one_record_or_an_array() {
        let d = tmp("json");
        let one = d.join("one.json");
        std::fs::write(&one, "{\n  \"id\": \"a\",\n  \"text\": \"x\"\n}\n").unwrap();
        let many = d.join("many.json");
        std::fs::write(
            &many,
            r#"[{"id":"a","text":"x"},{"id":"b"},{"id":"c","text":"z"}]"#,
        )
        .unwrap();
        let src = |p: &Path| Source {
            format: Format::Json,
            path: Some(p.to_path_buf()),
            rel: p.file_name().unwrap().into(),
            encoding: TextEncoding::default(),
        };
        assert_eq!(read_all(&src(&one)), (vec!["a".to_string()], 0));
        assert_eq!(
            read_all(&src(&many)),
            (vec!["a".to_string(), "c".to_string()], 1)
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
