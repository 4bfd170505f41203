//! `voile pseudo`: replace every detected identifier by a consistent keyed surrogate (or a
//! tag, redaction, hash, per the config's operators).
//!
//! `VOILE_KEY=... voile pseudo < in.jsonl > out.jsonl` is the evaluators' interface. The key
//! comes from the `VOILE_KEY` environment variable or `--key-file`, never from an argument
//! (it would land in shell history). Records keep `id`, `meta` and every other field; `text` is
//! replaced. `.txt` inputs with `--out DIR` are mirrored as pseudonymised `.txt` files.

use super::input::{collect_sources, read_chunks, BadRecord, Source};
use super::output::Sink;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use voile::corpus::{OffsetMap, Record};
use voile::{Audit, Key, Pipeline, PseudoOutput};

/// Environment variable holding the secret key.
pub const KEY_ENV: &str = "VOILE_KEY";

#[derive(clap::Args)]
pub struct Args {
    /// JSONL files, .txt files or directories; none or `-` = JSONL on stdin.
    pub inputs: Vec<PathBuf>,
    /// Output: a directory (mirrors inputs), or a `.jsonl` file; default stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Pipeline config (JSON), including per-label operators and date-shift range.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// File holding the secret key (at least 16 bytes). Default: the VOILE_KEY variable.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Use a random one-off key: surrogates will not be consistent with any other run.
    #[arg(long)]
    pub random_key: bool,
    /// Add to each JSONL record the spans of the output text with label and operator.
    #[arg(long)]
    pub spans: bool,
    /// Write an audit summary (counts per label and operator, no text) as JSON to this file.
    #[arg(long)]
    pub audit: Option<PathBuf>,
    /// DANGER: write original → replacement pairs (TSV) for an authorised re-identification
    /// party. Off by default; the file contains identifying text and must be protected.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let key = load_key(&args)?;
    let pipeline = super::pipeline_from(args.config.as_deref())?
        .with_key(key)
        .context("cannot set up pseudonymisation")?;
    let sources = collect_sources(&args.inputs)?;
    let mut run = Run::new(&args, &sources)?;
    for source in &sources {
        run.process(&pipeline, source, &args)?;
    }
    run.finish(&args)
}

fn load_key(args: &Args) -> Result<Option<Key>> {
    if let Some(p) = &args.key_file {
        return Ok(Some(Key::from_file(p)?));
    }
    if let Some(k) = Key::from_env(KEY_ENV)? {
        return Ok(Some(k));
    }
    if args.random_key {
        eprintln!("voile pseudo: using a random one-off key (surrogates are not reproducible)");
        return Ok(Some(Key::random()));
    }
    Ok(None)
}

/// Where outputs go for this run.
enum Target {
    /// Everything to one JSONL stream (stdout or one file).
    Stream(Sink),
    /// Mirror each input into a directory.
    Dir(PathBuf),
}

struct Run {
    target: Option<Target>,
    audit: Audit,
    mapping: Option<Sink>,
    bad: Vec<BadRecord>,
    written: usize,
}

impl Run {
    fn new(args: &Args, sources: &[Source]) -> Result<Run> {
        let target = match &args.out {
            None => Target::Stream(Sink::stdout()),
            Some(p) if p.extension().is_some_and(|e| e == "jsonl") => {
                Target::Stream(Sink::file(p)?)
            }
            Some(p) => {
                if sources.contains(&Source::Stdin) {
                    bail!("stdin input needs --out FILE.jsonl or stdout, not a directory");
                }
                std::fs::create_dir_all(p)
                    .with_context(|| format!("cannot create {}", p.display()))?;
                Target::Dir(p.clone())
            }
        };
        let mapping = match &args.mapping {
            Some(p) => {
                eprintln!(
                    "voile pseudo: writing a re-identification mapping to {} — protect it",
                    p.display()
                );
                let mut s = Sink::file(p)?;
                s.write_line("id\tlabel\toriginal\treplacement")?;
                Some(s)
            }
            None => None,
        };
        Ok(Run {
            target: Some(target),
            audit: Audit::default(),
            mapping,
            bad: Vec::new(),
            written: 0,
        })
    }

    fn process(&mut self, pipeline: &Pipeline, source: &Source, args: &Args) -> Result<()> {
        let mut dir_sink = match (&self.target, source) {
            (Some(Target::Dir(dir)), Source::Jsonl(p)) => {
                Some(Sink::file(&dir.join(p.file_name().unwrap_or_default()))?)
            }
            _ => None,
        };
        let mut bad = Vec::new();
        read_chunks(
            source,
            |chunk| {
                let outs: Vec<_> = chunk
                    .par_iter()
                    .map(|r| pipeline.pseudonymise_record(r))
                    .collect::<Result<_, _>>()?;
                for (rec, out) in chunk.iter().zip(&outs) {
                    self.audit.add_output(&out.replacements);
                    if let Some(m) = &mut self.mapping {
                        write_mapping(m, rec, out)?;
                    }
                    self.write_record(source, rec, out, args.spans, dir_sink.as_mut())?;
                }
                Ok(())
            },
            |b| {
                eprintln!("voile pseudo: {b}");
                bad.push(b);
            },
        )?;
        self.bad.extend(bad);
        if let Some(s) = dir_sink {
            s.finish()?;
        }
        Ok(())
    }

    fn write_record(
        &mut self,
        source: &Source,
        rec: &Record,
        out: &PseudoOutput,
        with_spans: bool,
        dir_sink: Option<&mut Sink>,
    ) -> Result<()> {
        self.written += 1;
        match (&mut self.target, source) {
            (Some(Target::Dir(dir)), Source::Text { id, .. }) => {
                let mut s = Sink::file(&dir.join(id))?;
                s.write_all(&out.text)?;
                s.finish()
            }
            (Some(Target::Dir(_)), _) => dir_sink
                .expect("a JSONL input in directory mode has its own sink")
                .write_line(&output_line(rec, out, with_spans)),
            (Some(Target::Stream(sink)), _) => sink.write_line(&output_line(rec, out, with_spans)),
            (None, _) => unreachable!("target is only taken in finish"),
        }
    }

    fn finish(mut self, args: &Args) -> Result<ExitCode> {
        if let Some(Target::Stream(s)) = self.target.take() {
            s.finish()?;
        }
        if let Some(m) = self.mapping.take() {
            m.finish()?;
        }
        if let Some(p) = &args.audit {
            let mut s = Sink::file(p)?;
            s.write_all(&serde_json::to_string_pretty(&self.audit)?)?;
            s.finish()?;
        }
        super::report_bad("pseudo", self.written, &self.bad)
    }
}

/// The output record: `id`, the new `text`, optional `spans` (code points in the new text),
/// then every other input field unchanged.
fn output_line(rec: &Record, out: &PseudoOutput, with_spans: bool) -> String {
    let mut obj = Map::new();
    obj.insert("id".into(), Value::String(rec.id.clone()));
    obj.insert("text".into(), Value::String(out.text.clone()));
    if with_spans {
        let map = OffsetMap::new(&out.text);
        let spans: Vec<Value> = out
            .replacements
            .iter()
            .map(|r| {
                json!({
                    "start": map.byte_to_cp(r.output.start),
                    "end": map.byte_to_cp(r.output.end),
                    "label": r.label.as_str(),
                    "operator": r.operator,
                })
            })
            .collect();
        obj.insert("spans".into(), Value::Array(spans));
    }
    for (k, v) in &rec.extra {
        obj.insert(k.clone(), v.clone());
    }
    serde_json::to_string(&Value::Object(obj)).expect("JSON values always serialise")
}

fn write_mapping(sink: &mut Sink, rec: &Record, out: &PseudoOutput) -> Result<()> {
    for r in &out.replacements {
        let original = &rec.text[r.original.clone()];
        sink.write_line(&format!(
            "{}\t{}\t{}\t{}",
            tsv(&rec.id),
            r.label,
            tsv(original),
            tsv(&r.replacement)
        ))?;
    }
    Ok(())
}

fn tsv(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}
