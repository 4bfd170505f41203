//! `voile pseudo`: replace every detected identifier by a consistent keyed surrogate (or a
//! tag, redaction, hash, per the config's operators).
//!
//! `VOILE_KEY=... voile pseudo < in.jsonl > out.jsonl` is the evaluators' interface. The key
//! comes from the `VOILE_KEY` environment variable or `--key-file`, never from an argument
//! (it would land in shell history). Records keep `id` and every other field except identity
//! fields (`meta.patient`, `patient_id`…), which are dropped or pseudonymised per the config
//! (`identity_fields`); `text` is replaced. With `--out DIR` the input tree is mirrored: a
//! JSONL or JSON input becomes a `.jsonl` file, a `.txt` input a pseudonymised `.txt` file.

use super::input::{
    bad_at, collect_sources, read_chunks, BadRecord, Format, IdRegistry, Inputs, Source,
};
use super::output::{OutputPlan, Sink};
use super::RecordIssues;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use voile::corpus::{OffsetMap, Record};
use voile::{Audit, Key, Pipeline, PseudoOutput};

/// Environment variable holding the secret key.
pub const KEY_ENV: &str = "VOILE_KEY";

#[derive(clap::Args)]
pub struct Args {
    /// JSONL files, .json files, .txt files or directories; none or `-` = JSONL on stdin; or
    /// one table (.parquet, .pq, .csv, .tsv) with --text-column.
    pub inputs: Vec<PathBuf>,
    /// Output: a directory (mirrors the input tree), a `.jsonl` file, or a `.txt` file for a
    /// single `.txt` input; default stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Pipeline config (JSON), including per-label operators, date-shift range and what
    /// happens to identity fields.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Privacy profile (`default`, `recall`): replaces the config's model policy.
    #[arg(long)]
    pub profile: Option<voile::Profile>,
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
    /// party. Off by default; the file contains identifying text and is created mode 0600.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Refuse records whose id was already seen in this run (default: warn and process).
    #[arg(long)]
    pub unique_ids: bool,
    #[command(flatten)]
    pub table: super::table::TableArgs,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let key = load_key(&args)?;
    let table = super::table::TableJob::from_args(&args.inputs, &args.table)?;
    let pipeline = super::pipeline_from(args.config.as_deref(), args.profile)?
        .with_key(key)
        .context("cannot set up pseudonymisation")?;
    if let Some(job) = table {
        return super::table::pseudo(job, &pipeline, &args);
    }
    let inputs = collect_sources(&args.inputs)?;
    inputs.report_skipped("pseudo");
    let target = plan_target(&args, &inputs)?;
    let mut run = Run::new(&args, target)?;
    for source in &inputs.sources {
        run.process(&pipeline, source, &args)?;
    }
    run.finish(&args, &inputs)
}

fn load_key(args: &Args) -> Result<Option<Key>> {
    let configured = match &args.key_file {
        Some(p) => Some(Key::from_file(p)?),
        None => Key::from_env(KEY_ENV)?,
    };
    match (configured, args.random_key) {
        (Some(_), true) => bail!(
            "--random-key conflicts with the key given by {KEY_ENV} or --key-file: keep only one"
        ),
        (Some(k), false) => Ok(Some(k)),
        (None, true) => {
            eprintln!("voile pseudo: using a random one-off key (surrogates are not reproducible)");
            Ok(Some(Key::random()))
        }
        (None, false) => Ok(None),
    }
}

/// Where outputs go for this run.
enum Target {
    /// Everything to one JSONL stream (stdout or one file).
    Stream(Option<PathBuf>),
    /// One `.txt` input to one `.txt` file.
    TextFile(PathBuf),
    /// Mirror each input under a directory.
    Dir(PathBuf),
}

fn has_ext(p: &Path, exts: &[&str]) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Decide the target from `--out` and check every planned output path before writing.
fn plan_target(args: &Args, inputs: &Inputs) -> Result<Target> {
    let target = match &args.out {
        None => Target::Stream(None),
        Some(p) if p.is_dir() => Target::Dir(p.clone()),
        Some(p) if has_ext(p, &["jsonl", "ndjson"]) => Target::Stream(Some(p.clone())),
        Some(p) if has_ext(p, &["txt", "text"]) => {
            let single_text = inputs.sources.len() == 1 && inputs.sources[0].format == Format::Text;
            if !single_text {
                bail!(
                    "--out {}: a .txt output takes exactly one .txt input; use a directory or a .jsonl file",
                    p.display()
                );
            }
            Target::TextFile(p.clone())
        }
        Some(p) if p.extension().is_none() => Target::Dir(p.clone()),
        Some(p) => bail!(
            "--out {}: expected a directory, a .jsonl file, or a .txt file for one .txt input",
            p.display()
        ),
    };
    if matches!(target, Target::Dir(_)) && inputs.has_stdin() {
        bail!("stdin input needs --out FILE.jsonl or stdout, not a directory");
    }
    let mut plan = OutputPlan::default();
    match &target {
        Target::Stream(Some(p)) | Target::TextFile(p) => plan.add(p, "--out"),
        Target::Stream(None) => {}
        Target::Dir(dir) => {
            for s in &inputs.sources {
                plan.add(
                    &dir.join(mirrored_name(s)),
                    format!("--out (for {})", s.origin()),
                );
            }
        }
    }
    if let Some(p) = &args.audit {
        plan.add(p, "--audit");
    }
    if let Some(p) = &args.mapping {
        plan.add(p, "--mapping");
    }
    let input_files: Vec<PathBuf> = inputs
        .sources
        .iter()
        .filter_map(|s| s.path.clone())
        .collect();
    plan.check(&input_files, &inputs.dirs)?;
    Ok(target)
}

/// The output path of a source under an output directory: its relative path, with `.json`
/// inputs written as `.jsonl`.
fn mirrored_name(source: &Source) -> PathBuf {
    match source.format {
        Format::Json => source.rel.with_extension("jsonl"),
        _ => source.rel.clone(),
    }
}

struct Run {
    target: Target,
    stream: Option<Sink>,
    audit: Audit,
    mapping: Option<Sink>,
    issues: RecordIssues,
    ids: IdRegistry,
}

impl Run {
    fn new(args: &Args, target: Target) -> Result<Run> {
        let stream = match &target {
            Target::Stream(None) => Some(Sink::stdout()),
            Target::Stream(Some(p)) => Some(Sink::file(p)?),
            Target::Dir(p) => {
                std::fs::create_dir_all(p)
                    .with_context(|| format!("cannot create {}", p.display()))?;
                None
            }
            Target::TextFile(_) => None,
        };
        let mapping = match &args.mapping {
            Some(p) => {
                eprintln!(
                    "voile pseudo: writing a re-identification mapping to {} (mode 0600) — protect it",
                    p.display()
                );
                let mut s = Sink::private_file(p)?;
                s.write_line("id\tlabel\toriginal\treplacement")?;
                Some(s)
            }
            None => None,
        };
        Ok(Run {
            target,
            stream,
            audit: Audit::default(),
            mapping,
            issues: RecordIssues::new("pseudo"),
            ids: IdRegistry::default(),
        })
    }

    /// The sink for one source's records: the run's stream, or its own mirrored file.
    fn own_sink(&self, source: &Source) -> Result<Option<Sink>> {
        match &self.target {
            Target::Dir(dir) => Ok(Some(Sink::file(&dir.join(mirrored_name(source)))?)),
            Target::TextFile(p) => Ok(Some(Sink::file(p)?)),
            Target::Stream(_) => Ok(None),
        }
    }

    fn process(&mut self, pipeline: &Pipeline, source: &Source, args: &Args) -> Result<()> {
        let mut own = self.own_sink(source)?;
        let mut bad: Vec<BadRecord> = Vec::new();
        read_chunks(
            source,
            |chunk| {
                let outs: Vec<Result<_, voile::Error>> = pipeline
                    .pseudonymise_batch(&chunk.records)
                    .into_par_iter()
                    .zip(&chunk.records)
                    .map(|(out, r)| Ok((out?, pipeline.output_fields(r)?)))
                    .collect();
                for ((rec, &line), result) in chunk.records.iter().zip(&chunk.lines).zip(outs) {
                    if !self
                        .issues
                        .admit_id(&mut self.ids, source, line, &rec.id, args.unique_ids)
                    {
                        continue;
                    }
                    let (out, fields) = match result {
                        Ok(x) => x,
                        Err(e) => {
                            self.issues.bad(bad_at(source, line, e));
                            continue;
                        }
                    };
                    self.audit.add_output(&out.replacements);
                    if let Some(m) = &mut self.mapping {
                        write_mapping(m, rec, &out)?;
                    }
                    let text_file = source.format == Format::Text && own.is_some();
                    let sink = own
                        .as_mut()
                        .or(self.stream.as_mut())
                        .expect("every target has a sink");
                    if text_file {
                        sink.write_all(&out.text)?;
                    } else {
                        sink.write_line(&output_line(rec, &out, fields, args.spans))?;
                    }
                    self.issues.written += 1;
                }
                Ok(())
            },
            |b| bad.push(b),
        )?;
        let failed = !bad.is_empty();
        for b in bad {
            self.issues.bad(b);
        }
        match own {
            // An unreadable .txt input gets no (empty) output file: it is reported instead.
            Some(_) if source.format == Format::Text && failed => {}
            Some(s) => s.finish()?,
            None => {}
        }
        Ok(())
    }

    fn finish(mut self, args: &Args, inputs: &Inputs) -> Result<ExitCode> {
        if let Some(s) = self.stream.take() {
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
        self.issues.finish(inputs.skipped.len())
    }
}

/// The output record: `id`, the new `text`, optional `spans` (code points in the new text),
/// then the other input fields as the identity policy allows them.
fn output_line(
    rec: &Record,
    out: &PseudoOutput,
    fields: Map<String, Value>,
    with_spans: bool,
) -> String {
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
    for (k, v) in fields {
        obj.insert(k, v);
    }
    serde_json::to_string(&Value::Object(obj)).expect("JSON values always serialise")
}

pub(super) fn write_mapping(sink: &mut Sink, rec: &Record, out: &PseudoOutput) -> Result<()> {
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
