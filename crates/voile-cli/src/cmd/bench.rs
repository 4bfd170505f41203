//! `voile bench`: throughput of each stage and of the whole pipeline on a corpus, measured
//! in-process (single-threaded per stage, then the full pipeline on all cores). The
//! criterion benches under `benches/` are the reference; this is the quick field check.

use anyhow::{Context, Result};
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use voile::corpus::{parse_line, Record};
use voile::{Config, Detector, Key, Pipeline};

#[derive(clap::Args)]
pub struct Args {
    /// Annotated or raw JSONL corpus (default: the synthetic test split).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Repeat the corpus this many times (longer, steadier measurement).
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,
    /// Pipeline config (JSON); default = the shipped default pipeline.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Instead of the corpus: per-byte cost of every stage on adversarial shapes at N kB and
    /// 8·N kB (a ratio well above 1 is a super-linear step).
    #[arg(long, value_name = "N")]
    pub shapes: Option<usize>,
}

#[derive(serde::Serialize)]
struct StageResult {
    stage: String,
    threads: usize,
    docs: usize,
    bytes: usize,
    chars: usize,
    seconds: f64,
    mb_per_s: f64,
    chars_per_s: f64,
    spans: usize,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(kb) = args.shapes {
        return run_shapes(&args, kb);
    }
    let path = args
        .corpus
        .clone()
        .unwrap_or_else(|| voile::resources::root(None).join("corpora/synthetic/test.jsonl"));
    let docs = load(&path, args.repeat)?;
    let cfg = match &args.config {
        Some(p) => Config::from_file(p)?,
        None => Config::default(),
    };
    let mut results = Vec::new();
    let stages = voile::stage_detectors(&cfg)?;
    for (name, det) in &stages {
        results.push(measure(name, 1, &docs, |r| {
            let mut out = Vec::new();
            det.detect(&r.text, &mut out);
            out.len()
        }));
    }
    let pipeline = Pipeline::new(&cfg)?.with_key(Some(Key::random()))?;
    results.push(measure("pipeline (detect)", 1, &docs, |r| {
        pipeline.detect_record(r).len()
    }));
    results.push(measure("pipeline (pseudo)", 1, &docs, |r| {
        pipeline
            .pseudonymise_record(r)
            .map(|o| o.spans.len())
            .unwrap_or(0)
    }));
    let threads = rayon::current_num_threads();
    results.push(measure_parallel(
        "pipeline (pseudo)",
        threads,
        &docs,
        &pipeline,
    ));
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        print_table(&path, &results);
    }
    Ok(ExitCode::SUCCESS)
}

fn run_shapes(args: &Args, kb: usize) -> Result<ExitCode> {
    let cfg = match &args.config {
        Some(p) => Config::from_file(p)?,
        None => Config::default(),
    };
    let stages = voile::stage_detectors(&cfg)?;
    let pipeline = Pipeline::new(&cfg)?.with_key(Some(Key::random()))?;
    let small = kb.max(1) * 1000;
    let results = super::bench_shapes::run(&stages, &pipeline, small);
    super::bench_shapes::print(&results, small);
    Ok(ExitCode::SUCCESS)
}

fn load(path: &PathBuf, repeat: usize) -> Result<Vec<Record>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut docs = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        docs.push(parse_line(line, i + 1).with_context(|| path.display().to_string())?);
    }
    let once = docs.clone();
    for _ in 1..repeat.max(1) {
        docs.extend(once.iter().cloned());
    }
    Ok(docs)
}

fn measure(
    stage: &str,
    threads: usize,
    docs: &[Record],
    f: impl Fn(&Record) -> usize,
) -> StageResult {
    let start = Instant::now();
    let spans: usize = docs.iter().map(&f).sum();
    finish(stage, threads, docs, spans, start.elapsed().as_secs_f64())
}

fn measure_parallel(stage: &str, threads: usize, docs: &[Record], p: &Pipeline) -> StageResult {
    let start = Instant::now();
    let spans: usize = docs
        .par_iter()
        .map(|r| p.pseudonymise_record(r).map(|o| o.spans.len()).unwrap_or(0))
        .sum();
    finish(stage, threads, docs, spans, start.elapsed().as_secs_f64())
}

fn finish(stage: &str, threads: usize, docs: &[Record], spans: usize, seconds: f64) -> StageResult {
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let chars: usize = docs.iter().map(|d| d.text.chars().count()).sum();
    let secs = seconds.max(1e-9);
    StageResult {
        stage: stage.to_string(),
        threads,
        docs: docs.len(),
        bytes,
        chars,
        seconds,
        mb_per_s: bytes as f64 / 1e6 / secs,
        chars_per_s: chars as f64 / secs,
        spans,
    }
}

fn print_table(path: &std::path::Path, results: &[StageResult]) {
    println!(
        "corpus: {} ({} docs, {:.2} MB)",
        path.display(),
        results[0].docs,
        results[0].bytes as f64 / 1e6
    );
    println!(
        "{:<22} {:>7} {:>10} {:>10} {:>14} {:>9}",
        "stage", "threads", "seconds", "MB/s", "chars/s", "spans"
    );
    for r in results {
        println!(
            "{:<22} {:>7} {:>10.3} {:>10.2} {:>14.0} {:>9}",
            r.stage, r.threads, r.seconds, r.mb_per_s, r.chars_per_s, r.spans
        );
    }
}
