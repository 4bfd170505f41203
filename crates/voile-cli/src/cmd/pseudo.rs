//! `voile pseudo`: replace every detected identifier by a consistent keyed surrogate (or a
//! tag, redaction, hash, per the config's operators).
//!
//! `VOILE_KEY=... voile pseudo < in.jsonl > out.jsonl` is the evaluators' interface. The key
//! comes from the `VOILE_KEY` environment variable or `--key-file`, never from an argument
//! (it would land in shell history). Records keep `id` and every other field except identity
//! fields (`meta.patient`, `patient_id`…), which are dropped or pseudonymised per the config
//! (`identity_fields`); `text` is replaced. With `--out DIR` the input tree is mirrored: a
//! JSONL or JSON input becomes a `.jsonl` file, a `.txt` input a pseudonymised `.txt` file,
//! and the run is resumable (see [`super::resume`]): rerunning the same command after a kill
//! goes on where it stopped.
//!
//! `.txt` inputs are read in groups so that many small files keep every thread busy, as
//! JSONL chunks do.

use super::input::{
    bad_at, collect_sources, read_chunks, read_text_record, text_group_end, BadRecord, Chunk,
    Format, IdRegistry, Inputs, Source, TextEncoding,
};
use super::output::{OutputPlan, Sink};
use super::progress::Progress;
use super::resume::{self, Checkpoint, InputEntry, Manifest, Start, Totals};
use super::RecordIssues;
use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};
use std::cell::RefCell;
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
    /// With `--out DIR`: start again even if DIR holds an earlier or interrupted run with
    /// other settings, key or inputs (its outputs are replaced).
    #[arg(long)]
    pub overwrite: bool,
    /// No progress bar and no end-of-run summary on stderr (problems are still reported).
    #[arg(long, short)]
    pub quiet: bool,
    /// Character encoding of `.txt` and CSV/TSV inputs (`windows-1252`, `latin1`, `utf-16le`…;
    /// default UTF-8). Outputs are UTF-8.
    #[arg(long)]
    pub encoding: Option<String>,
    #[command(flatten)]
    pub table: super::table::TableArgs,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let key = load_key(&args)?;
    let key_print = key
        .as_ref()
        .map_or_else(|| "none".to_string(), Key::fingerprint);
    let encoding = TextEncoding::from_arg(args.encoding.as_deref())?;
    let table = super::table::TableJob::from_args(&args.inputs, &args.table, Some(encoding.0))?;
    let pipeline = super::pipeline_from(args.config.as_deref(), args.profile)?
        .with_key(key)
        .context("cannot set up pseudonymisation")?;
    if let Some(job) = table {
        return super::table::pseudo(job, &pipeline, &args);
    }
    let mut inputs = collect_sources(&args.inputs)?;
    inputs.set_encoding(encoding);
    inputs.report_skipped("pseudo");
    let target = plan_target(&args, &inputs)?;
    let (manifest, start) = match &target {
        Target::Dir(dir) => {
            let planned = planned_manifest(&args, &pipeline, key_print, &inputs, encoding);
            let start = resume::decide(Manifest::load(dir)?, &planned, args.overwrite)?;
            if start == Start::Fresh && !args.overwrite {
                refuse_existing_outputs(dir, &inputs)?;
            }
            (Some((dir.clone(), planned)), start)
        }
        _ => (None, Start::Fresh),
    };
    let checkpoint = match start {
        Start::Fresh => Checkpoint::default(),
        Start::Resume(c) => c,
        Start::Complete(c) => {
            eprintln!(
                "voile pseudo: {} already holds this finished run ({} input(s)); nothing to do \
                 (--overwrite to redo it)",
                args.out.as_deref().unwrap_or(Path::new("")).display(),
                inputs.sources.len()
            );
            return Ok(exit_code(c.now.bad));
        }
    };
    let manifest = manifest.map(|(dir, mut m)| {
        m.checkpoint = checkpoint.clone();
        (dir, m)
    });
    let mut run = Run::new(&args, target, manifest, &inputs)?;
    let mut skip_through = run.resume_from(&inputs, &checkpoint)?;
    let mut i = checkpoint.next_input;
    while i < inputs.sources.len() {
        if inputs.sources[i].format == Format::Text {
            i = run.process_text_group(&pipeline, &inputs.sources, i)?;
        } else {
            run.process_records(&pipeline, i, &inputs.sources[i], skip_through)?;
            i += 1;
        }
        skip_through = 0;
    }
    run.finish(&args, &inputs)
}

fn exit_code(bad: usize) -> ExitCode {
    if bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What a resumable run into a directory must match to be resumed.
fn planned_manifest(
    args: &Args,
    pipeline: &Pipeline,
    key_print: String,
    inputs: &Inputs,
    encoding: TextEncoding,
) -> Manifest {
    let flags = [("spans", args.spans), ("unique_ids", args.unique_ids)];
    let mut settings = resume::settings_fingerprint(pipeline.config(), &flags);
    if args.encoding.is_some() {
        settings.push_str(&format!("+encoding={}", encoding.0.name()));
    }
    let entries = inputs
        .sources
        .iter()
        .map(|s| InputEntry {
            origin: s.origin(),
            output: mirrored_name(s).to_string_lossy().replace('\\', "/"),
            size: s.size(),
        })
        .collect();
    Manifest::new(settings, key_print, entries)
}

/// A directory with outputs but no manifest holds something else: never replace it silently.
fn refuse_existing_outputs(dir: &Path, inputs: &Inputs) -> Result<()> {
    if let Some(s) = inputs
        .sources
        .iter()
        .find(|s| dir.join(mirrored_name(s)).exists())
    {
        bail!(
            "{} already exists and {} holds no run manifest: rerun with --overwrite to replace \
             it, or choose another --out",
            dir.join(mirrored_name(s)).display(),
            dir.display()
        );
    }
    Ok(())
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

struct Run<'a> {
    args: &'a Args,
    target: Target,
    stream: Option<Sink>,
    audit: Audit,
    mapping: Option<Sink>,
    issues: RecordIssues,
    ids: IdRegistry,
    /// The output directory and its manifest, for a resumable run.
    manifest: Option<(PathBuf, Manifest)>,
    progress: Progress,
}

impl<'a> Run<'a> {
    fn new(
        args: &'a Args,
        target: Target,
        manifest: Option<(PathBuf, Manifest)>,
        inputs: &Inputs,
    ) -> Result<Run<'a>> {
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
        if args.mapping.is_some() {
            eprintln!(
                "voile pseudo: writing a re-identification mapping to {} (mode 0600) — protect it",
                args.mapping.as_deref().unwrap_or(Path::new("")).display()
            );
        }
        Ok(Run {
            args,
            target,
            stream,
            audit: Audit::default(),
            mapping: None,
            issues: RecordIssues::new("pseudo"),
            ids: IdRegistry::default(),
            manifest,
            progress: Progress::new("pseudo", inputs.total_bytes(), args.quiet),
        })
    }

    /// Restore the totals, the id registry and the mapping file of an interrupted run (a
    /// fresh run starts from an empty checkpoint). Returns the last line of the current
    /// input already written: 0 when that input starts again (its partial output is gone).
    fn resume_from(&mut self, inputs: &Inputs, c: &Checkpoint) -> Result<usize> {
        let go_on = c.lines_done > 0 && self.current_output_survives(inputs, c)?;
        let totals = if go_on { &c.now } else { &c.before_input };
        self.audit = totals.audit.clone();
        self.issues.written = totals.written;
        self.issues.bad = totals.bad;
        self.issues.duplicates = totals.duplicates;
        self.open_mapping(totals.mapping_bytes)?;
        for source in &inputs.sources[..c.next_input] {
            self.register_ids_of(source)?;
        }
        let done: u64 = inputs.sources[..c.next_input]
            .iter()
            .map(Source::size)
            .sum();
        self.progress.advance(0, done);
        Ok(if go_on { c.lines_done } else { 0 })
    }

    /// Whether the interrupted input's partial output is still there to go on from.
    fn current_output_survives(&self, inputs: &Inputs, c: &Checkpoint) -> Result<bool> {
        let Target::Dir(dir) = &self.target else {
            return Ok(false);
        };
        let dest = dir.join(mirrored_name(&inputs.sources[c.next_input]));
        Ok(super::output::resumable_bytes(&dest).is_some_and(|n| n >= c.output_bytes))
    }

    /// The mapping file: resumable in a resumable run (its unfinished file, mode 0600, is
    /// then kept on interruption), else removed if the run does not finish.
    fn open_mapping(&mut self, keep_bytes: u64) -> Result<()> {
        let Some(p) = &self.args.mapping else {
            return Ok(());
        };
        if self.manifest.is_none() {
            let mut sink = Sink::private_file(p)?;
            sink.write_line("id\tlabel\toriginal\treplacement")?;
            self.mapping = Some(sink);
            return Ok(());
        }
        let keep = (keep_bytes > 0).then_some(keep_bytes);
        let sink = Sink::resumable_file(p, keep, true)?;
        let Some(mut sink) = sink else {
            bail!(
                "the unfinished --mapping file of the interrupted run is gone: rerun with \
                 --overwrite to start again"
            );
        };
        if keep.is_none() {
            sink.write_line("id\tlabel\toriginal\treplacement")?;
        }
        self.mapping = Some(sink);
        Ok(())
    }

    /// Ids of an input finished by an earlier run, so that duplicates are still caught.
    fn register_ids_of(&mut self, source: &Source) -> Result<()> {
        if source.format == Format::Text {
            self.ids.check(&source.text_id(), source.origin());
            return Ok(());
        }
        let ids = &mut self.ids;
        read_chunks(
            source,
            |chunk| {
                register_chunk_ids(ids, source, &chunk);
                Ok(())
            },
            |_| {},
        )
    }

    /// The sink for one source's records: its own mirrored file, or none (the run's stream).
    /// `resume_at`: bytes of an interrupted run's partial output to go on from.
    fn own_sink(&self, source: &Source, resume_at: Option<u64>) -> Result<Option<Sink>> {
        match &self.target {
            Target::Dir(dir) => {
                let dest = dir.join(mirrored_name(source));
                match Sink::resumable_file(&dest, resume_at, false)? {
                    Some(s) => Ok(Some(s)),
                    None => bail!("{}: the interrupted output is gone", dest.display()),
                }
            }
            Target::TextFile(p) => Ok(Some(Sink::file(p)?)),
            Target::Stream(_) => Ok(None),
        }
    }

    /// A JSONL or JSON source (or stdin), chunk by chunk, with a checkpoint after each
    /// chunk. Records on lines up to `skip_through` were written by an interrupted run.
    fn process_records(
        &mut self,
        pipeline: &Pipeline,
        index: usize,
        source: &Source,
        skip_through: usize,
    ) -> Result<()> {
        let resume_at = match &self.manifest {
            Some((_, m)) if skip_through > 0 => Some(m.checkpoint.output_bytes),
            _ => None,
        };
        let mut own = self.own_sink(source, resume_at)?;
        let pending_bad: RefCell<Vec<BadRecord>> = RefCell::new(Vec::new());
        read_chunks(
            source,
            |mut chunk| {
                let last_line = chunk.lines.last().copied().unwrap_or(0);
                self.report_bad(pending_bad.take(), skip_through);
                if last_line <= skip_through {
                    register_chunk_ids(&mut self.ids, source, &chunk);
                    self.progress.advance(0, chunk.bytes);
                    return Ok(());
                }
                drop_written(&mut chunk, skip_through);
                self.write_chunk(pipeline, source, &chunk, own.as_mut())?;
                self.progress.advance(chunk.len(), chunk.bytes);
                self.checkpoint(index, last_line, own.as_mut())
            },
            |b| pending_bad.borrow_mut().push(b),
        )?;
        let bad = pending_bad.take();
        let failed = !bad.is_empty();
        self.report_bad(bad, skip_through);
        match own {
            // An unreadable .txt input gets no (empty) output file: it is reported instead.
            Some(_) if source.format == Format::Text && failed => {}
            Some(s) => s.finish()?,
            None => {}
        }
        self.checkpoint(index + 1, 0, None)
    }

    /// Report bad records, except those an interrupted run already counted.
    fn report_bad(&mut self, bad: Vec<BadRecord>, skip_through: usize) {
        for b in bad {
            if b.error.line.is_none_or(|l| l > skip_through) {
                self.issues.bad(b);
            }
        }
    }

    /// Consecutive `.txt` sources from `first`, read and pseudonymised together; each output
    /// written to its own file (or the stream). Returns the index after the group.
    fn process_text_group(
        &mut self,
        pipeline: &Pipeline,
        sources: &[Source],
        first: usize,
    ) -> Result<usize> {
        let end = text_group_end(sources, first);
        let group = &sources[first..end];
        let mut records = Vec::with_capacity(group.len());
        for source in group {
            let mut bad = Vec::new();
            let record = read_text_record(source, &mut |b| bad.push(b))?;
            self.report_bad(bad, 0);
            records.push(record);
        }
        let present: Vec<Record> = records.iter().flatten().cloned().collect();
        let mut outs = pipeline.pseudonymise_batch(&present).into_iter();
        for (source, record) in group.iter().zip(&records) {
            let Some(record) = record else { continue };
            let out = outs.next().expect("one output per record");
            let mut own = self.own_sink(source, None)?;
            if self.write_record(pipeline, source, 1, record, out, own.as_mut())? {
                if let Some(s) = own {
                    s.finish()?;
                }
            }
            self.progress.advance(1, source.size());
        }
        self.checkpoint(end, 0, None)?;
        Ok(end)
    }

    /// Pseudonymise a chunk in parallel, write its records in order.
    fn write_chunk(
        &mut self,
        pipeline: &Pipeline,
        source: &Source,
        chunk: &Chunk,
        mut own: Option<&mut Sink>,
    ) -> Result<()> {
        let outs = pipeline.pseudonymise_batch(&chunk.records);
        for ((rec, &line), out) in chunk.records.iter().zip(&chunk.lines).zip(outs) {
            self.write_record(pipeline, source, line, rec, out, own.as_deref_mut())?;
        }
        Ok(())
    }

    /// Write one record's output; `false` when it was refused or failed (reported).
    fn write_record(
        &mut self,
        pipeline: &Pipeline,
        source: &Source,
        line: usize,
        rec: &Record,
        out: Result<PseudoOutput, voile::Error>,
        own: Option<&mut Sink>,
    ) -> Result<bool> {
        let unique = self.args.unique_ids;
        if !self
            .issues
            .admit_id(&mut self.ids, source, line, &rec.id, unique)
        {
            return Ok(false);
        }
        let (out, fields) = match out.and_then(|o| Ok((o, pipeline.output_fields(rec)?))) {
            Ok(x) => x,
            Err(e) => {
                self.issues.bad(bad_at(source, line, e));
                return Ok(false);
            }
        };
        self.audit.add_output(&out.replacements);
        for r in &out.replacements {
            self.progress.count_label(r.label.as_str());
        }
        if let Some(m) = &mut self.mapping {
            write_mapping(m, rec, &out)?;
        }
        let text_file = source.format == Format::Text && own.is_some();
        let sink = match own {
            Some(s) => s,
            None => self.stream.as_mut().expect("every target has a sink"),
        };
        if text_file {
            sink.write_all(&out.text)?;
        } else {
            sink.write_line(&output_line(rec, &out, fields, self.args.spans))?;
        }
        self.issues.written += 1;
        Ok(true)
    }

    /// Record progress durably (resumable runs only): everything before input
    /// `next_input` is finished, and of that input the records up to `lines_done`.
    fn checkpoint(
        &mut self,
        next_input: usize,
        lines_done: usize,
        own: Option<&mut Sink>,
    ) -> Result<()> {
        if self.manifest.is_none() {
            return Ok(());
        }
        let output_bytes = match own {
            Some(s) => s.checkpoint()?,
            None => 0,
        };
        let mapping_bytes = match &mut self.mapping {
            Some(m) => m.checkpoint()?,
            None => 0,
        };
        let now = Totals {
            audit: self.audit.clone(),
            written: self.issues.written,
            bad: self.issues.bad,
            duplicates: self.issues.duplicates,
            mapping_bytes,
        };
        let (dir, m) = self.manifest.as_mut().expect("checked above");
        let c = &mut m.checkpoint;
        if lines_done == 0 {
            c.before_input = now.clone();
        }
        c.next_input = next_input;
        c.lines_done = lines_done;
        c.output_bytes = output_bytes;
        c.now = now;
        m.save(dir)
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
        if let Some((dir, m)) = &mut self.manifest {
            m.checkpoint.complete = true;
            m.save(dir)?;
        }
        self.progress.finish("replacements", self.issues.bad);
        self.issues.finish(inputs.skipped.len())
    }
}

/// Record the ids of a chunk an earlier run already wrote (no warnings: they were given then).
fn register_chunk_ids(ids: &mut IdRegistry, source: &Source, chunk: &Chunk) {
    for (r, line) in chunk.records.iter().zip(&chunk.lines) {
        ids.check(&r.id, format!("{} line {line}", source.origin()));
    }
}

/// Remove from `chunk` the records an interrupted run already wrote.
fn drop_written(chunk: &mut Chunk, skip_through: usize) {
    if chunk.lines.first().is_some_and(|&l| l <= skip_through) {
        let kept = chunk.lines.iter().filter(|&&l| l <= skip_through).count();
        chunk.records.drain(..kept);
        chunk.lines.drain(..kept);
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
