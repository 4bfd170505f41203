//! `voile detect`: spans for every input document, written as the JSONL contract.
//!
//! `voile detect < in.jsonl > out.jsonl` is the evaluators' interface: stdin to stdout with the
//! default pipeline. Inputs may also be JSONL, JSON or `.txt` files or directories; all records
//! go to one JSONL stream (stdout or `--out FILE`) in input order. A record that fails is
//! reported (origin, line, id) and the others go on.

use super::input::{
    bad_at, collect_sources, read_chunks, read_text_record, text_group_end, BadRecord, Chunk,
    Format, IdRegistry, Source, TextEncoding,
};
use super::output::{OutputPlan, Sink};
use super::progress::Progress;
use super::{pipeline_from, RecordIssues};
use anyhow::Result;
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;
use voile::corpus::Record;

#[derive(clap::Args)]
pub struct Args {
    /// JSONL files, .json files, .txt files or directories; none or `-` = JSONL on stdin; or
    /// one table (.parquet, .pq, .csv, .tsv) with --text-column.
    pub inputs: Vec<PathBuf>,
    /// Write to this JSONL file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Pipeline config (JSON); default = the shipped default pipeline.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Privacy profile (`default`, `recall`): replaces the config's model policy.
    #[arg(long)]
    pub profile: Option<voile::Profile>,
    /// Omit each span's `source` and `score`.
    #[arg(long)]
    pub no_provenance: bool,
    /// Refuse records whose id was already seen in this run (default: warn and process).
    #[arg(long)]
    pub unique_ids: bool,
    /// No progress bar and no end-of-run summary on stderr (problems are still reported).
    #[arg(long, short)]
    pub quiet: bool,
    /// Character encoding of `.txt` and CSV/TSV inputs (`windows-1252`, `latin1`, `utf-16le`…;
    /// default UTF-8). Offsets are code points of the decoded text.
    #[arg(long)]
    pub encoding: Option<String>,
    #[command(flatten)]
    pub table: super::table::TableArgs,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let encoding = TextEncoding::from_arg(args.encoding.as_deref())?;
    let table = super::table::TableJob::from_args(&args.inputs, &args.table, Some(encoding.0))?;
    let pipeline = pipeline_from(args.config.as_deref(), args.profile)?;
    if let Some(job) = table {
        return super::table::detect(
            job,
            &pipeline,
            args.out.as_deref(),
            !args.no_provenance,
            args.unique_ids,
        );
    }
    let mut inputs = collect_sources(&args.inputs)?;
    inputs.set_encoding(encoding);
    inputs.report_skipped("detect");
    if let Some(p) = &args.out {
        let mut plan = OutputPlan::default();
        plan.add(p, "--out");
        let files: Vec<PathBuf> = inputs
            .sources
            .iter()
            .filter_map(|s| s.path.clone())
            .collect();
        plan.check(&files, &[])?;
    }
    let sink = match &args.out {
        Some(p) => Sink::file(p)?,
        None => Sink::stdout(),
    };
    let mut run = DetectRun {
        args: &args,
        pipeline: &pipeline,
        sink,
        issues: RecordIssues::new("detect"),
        ids: IdRegistry::default(),
        progress: Progress::new("detect", inputs.total_bytes(), args.quiet),
    };
    let mut i = 0;
    while i < inputs.sources.len() {
        let source = &inputs.sources[i];
        if source.format == Format::Text {
            let end = text_group_end(&inputs.sources, i);
            run.text_group(&inputs.sources[i..end])?;
            i = end;
            continue;
        }
        let mut bad: Vec<BadRecord> = Vec::new();
        read_chunks(source, |chunk| run.chunk(source, chunk), |b| bad.push(b))?;
        for b in bad {
            run.issues.bad(b);
        }
        i += 1;
    }
    run.sink.finish()?;
    run.progress.finish("spans", run.issues.bad);
    run.issues.finish(inputs.skipped.len())
}

struct DetectRun<'a> {
    args: &'a Args,
    pipeline: &'a voile::Pipeline,
    sink: Sink,
    issues: RecordIssues,
    ids: IdRegistry,
    progress: Progress,
}

impl DetectRun<'_> {
    /// Detect records in parallel; their JSON lines, in order.
    fn detect_lines(&self, records: &mut [Record]) -> Vec<Result<String, voile::Error>> {
        let results = self.pipeline.try_detect_batch(records);
        let provenance = !self.args.no_provenance;
        records
            .par_iter_mut()
            .zip(results)
            .map(|(r, spans)| {
                r.spans = spans?;
                Ok(r.to_json_line(provenance))
            })
            .collect()
    }

    fn chunk(&mut self, source: &Source, mut chunk: Chunk) -> Result<()> {
        let lines = self.detect_lines(&mut chunk.records);
        for ((rec, &line_no), line) in chunk.records.iter().zip(&chunk.lines).zip(lines) {
            self.write(source, line_no, rec, line)?;
        }
        self.progress.advance(chunk.len(), chunk.bytes);
        Ok(())
    }

    /// Consecutive `.txt` files detected together (many small files keep every thread busy).
    fn text_group(&mut self, group: &[Source]) -> Result<()> {
        let mut owners = Vec::new();
        let mut records = Vec::new();
        for source in group {
            let mut bad = Vec::new();
            if let Some(record) = read_text_record(source, &mut |b| bad.push(b))? {
                owners.push(source);
                records.push(record);
            }
            for b in bad {
                self.issues.bad(b);
            }
        }
        let lines = self.detect_lines(&mut records);
        for ((source, rec), line) in owners.into_iter().zip(&records).zip(lines) {
            self.write(source, 1, rec, line)?;
        }
        let bytes: u64 = group.iter().map(Source::size).sum();
        self.progress.advance(records.len(), bytes);
        Ok(())
    }

    fn write(
        &mut self,
        source: &Source,
        line_no: usize,
        rec: &Record,
        line: Result<String, voile::Error>,
    ) -> Result<()> {
        let unique = self.args.unique_ids;
        if !self
            .issues
            .admit_id(&mut self.ids, source, line_no, &rec.id, unique)
        {
            return Ok(());
        }
        match line {
            Ok(l) => {
                self.sink.write_line(&l)?;
                self.issues.written += 1;
                for s in &rec.spans {
                    self.progress.count_label(s.label.as_str());
                }
            }
            Err(e) => self.issues.bad(bad_at(source, line_no, e)),
        }
        Ok(())
    }
}
