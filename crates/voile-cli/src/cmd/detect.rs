//! `voile detect`: spans for every input document, written as the JSONL contract.
//!
//! `voile detect < in.jsonl > out.jsonl` is the evaluators' interface: stdin to stdout with the
//! default pipeline. Inputs may also be JSONL files, `.txt` files or directories; all records
//! go to one JSONL stream (stdout or `--out FILE`) in input order.

use super::input::{collect_sources, read_chunks, BadRecord};
use super::output::Sink;
use super::pipeline_from;
use anyhow::Result;
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// JSONL files, .txt files or directories; none or `-` = JSONL on stdin.
    pub inputs: Vec<PathBuf>,
    /// Write to this JSONL file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Pipeline config (JSON); default = the shipped default pipeline.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Omit each span's `source` and `score`.
    #[arg(long)]
    pub no_provenance: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let pipeline = pipeline_from(args.config.as_deref())?;
    let sources = collect_sources(&args.inputs)?;
    let mut sink = match &args.out {
        Some(p) => Sink::file(p)?,
        None => Sink::stdout(),
    };
    let mut bad: Vec<BadRecord> = Vec::new();
    let mut written = 0usize;
    for source in &sources {
        read_chunks(
            source,
            |mut chunk| {
                let spans = pipeline.detect_batch(&chunk);
                for (r, s) in chunk.iter_mut().zip(spans) {
                    r.spans = s;
                }
                let lines: Vec<String> = chunk
                    .par_iter()
                    .map(|r| r.to_json_line(!args.no_provenance))
                    .collect();
                for l in &lines {
                    sink.write_line(l)?;
                }
                written += lines.len();
                Ok(())
            },
            |b| {
                eprintln!("voile detect: {b}");
                bad.push(b);
            },
        )?;
    }
    sink.finish()?;
    super::report_bad("detect", written, &bad)
}
