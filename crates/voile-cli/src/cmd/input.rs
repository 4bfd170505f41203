//! Shared input handling for `detect` and `pseudo`: stdin JSONL, JSONL files, `.txt` files and
//! directories (walked in sorted order), read in bounded chunks so memory stays flat on huge
//! files, with every bad record reported by origin and line number — never dropped silently.

use anyhow::{bail, Context, Result};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use voile_core::corpus::{from_raw, parse_raw_line, Record};
use voile_core::Error;

/// Records per parallel chunk: large enough to keep both cores busy, small enough to bound memory.
pub const CHUNK_RECORDS: usize = 256;

/// One unit of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    /// A JSONL file.
    Jsonl(PathBuf),
    /// A plain-text file: one document, id = path relative to the argument given.
    Text {
        path: PathBuf,
        id: String,
    },
}

impl Source {
    /// How errors name this input.
    pub fn origin(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::Jsonl(p) => p.display().to_string(),
            Source::Text { path, .. } => path.display().to_string(),
        }
    }
}

/// Expand command-line paths into sources; no paths or `-` mean stdin.
pub fn collect_sources(paths: &[PathBuf]) -> Result<Vec<Source>> {
    if paths.is_empty() {
        return Ok(vec![Source::Stdin]);
    }
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Source::Stdin);
        } else if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files).with_context(|| format!("cannot list {}", p.display()))?;
            files.sort();
            for f in files {
                if let Some(s) = classify(&f, p) {
                    out.push(s);
                }
            }
        } else if p.is_file() {
            let parent = p.parent().unwrap_or(Path::new(""));
            match classify(p, parent) {
                Some(s) => out.push(s),
                None => bail!(
                    "{}: unsupported file type (expected .jsonl or .txt)",
                    p.display()
                ),
            }
        } else {
            bail!("{}: no such file or directory", p.display());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn classify(path: &Path, root: &Path) -> Option<Source> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("jsonl") | Some("ndjson") => Some(Source::Jsonl(path.to_path_buf())),
        Some("txt") => {
            let rel = path.strip_prefix(root).unwrap_or(path);
            Some(Source::Text {
                path: path.to_path_buf(),
                id: rel.to_string_lossy().replace('\\', "/"),
            })
        }
        _ => None,
    }
}

/// A record that could not be read, with where it was.
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

/// Read `source` in chunks of at most [`CHUNK_RECORDS`] records, calling `on_chunk` with the
/// good records (in input order) and reporting bad ones through `on_bad`.
pub fn read_chunks(
    source: &Source,
    mut on_chunk: impl FnMut(Vec<Record>) -> Result<()>,
    mut on_bad: impl FnMut(BadRecord),
) -> Result<()> {
    match source {
        Source::Text { path, id } => {
            let mut bytes = Vec::new();
            File::open(path)
                .and_then(|mut f| f.read_to_end(&mut bytes))
                .with_context(|| format!("cannot read {}", path.display()))?;
            match String::from_utf8(bytes) {
                Ok(text) => on_chunk(vec![Record::new(id.clone(), text)])?,
                Err(e) => on_bad(BadRecord {
                    origin: source.origin(),
                    error: Error::new(voile_core::ErrorKind::BadRecord(format!(
                        "not UTF-8 (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ))),
                }),
            }
            Ok(())
        }
        Source::Stdin => read_jsonl(
            BufReader::new(std::io::stdin().lock()),
            source,
            on_chunk,
            on_bad,
        ),
        Source::Jsonl(p) => {
            let f = File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
            read_jsonl(
                BufReader::with_capacity(1 << 20, f),
                source,
                on_chunk,
                on_bad,
            )
        }
    }
}

fn read_jsonl(
    mut reader: impl BufRead,
    source: &Source,
    mut on_chunk: impl FnMut(Vec<Record>) -> Result<()>,
    mut on_bad: impl FnMut(BadRecord),
) -> Result<()> {
    let mut chunk = Vec::with_capacity(CHUNK_RECORDS);
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
        line_no += 1;
        let line = match std::str::from_utf8(&buf) {
            Ok(s) => s.trim_end_matches(['\n', '\r']),
            Err(_) => {
                on_bad(bad(
                    source,
                    Error::new(voile_core::ErrorKind::BadRecord("not UTF-8".into()))
                        .at_line(line_no),
                ));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match parse_ignoring_spans(line, line_no) {
            Ok(r) => chunk.push(r),
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
    let mut raw = parse_raw_line(line, line_no)?;
    raw.spans = None;
    from_raw(raw, |_| None).map_err(|e| e.at_line(line_no))
}

fn bad(source: &Source, error: Error) -> BadRecord {
    BadRecord {
        origin: source.origin(),
        error,
    }
}
