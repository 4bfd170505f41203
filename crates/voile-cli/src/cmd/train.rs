//! `voile train`: train the tokenizer (unless one is given) and the NER model on fresh
//! synthetic documents each epoch (plus annotated corpora, see [`super::train_data`]), then
//! score the shipped model on synthetic dev and test. Runs are checkpointed every few minutes
//! and on SIGINT/SIGTERM; `--resume` continues one exactly where it stopped.
use anyhow::Context;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;
use voile_core::corpus::Record;
use voile_ner::{NerModel, NerTokenizer, TrainConfig};
use voile_synth::{Generator, Split};

use super::train_data;

#[derive(clap::Args)]
pub struct Args {
    /// Training configuration (JSON, fields of `TrainConfig`; missing fields take defaults).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Output directory for the shipped model files.
    #[arg(long, default_value = "models")]
    out: PathBuf,
    /// Repository root (templates and gazetteers for the synthetic generator).
    #[arg(long, default_value = ".")]
    repo_root: PathBuf,
    /// Reuse this tokenizer.json instead of training one.
    #[arg(long)]
    tokenizer: Option<PathBuf>,
    /// Override the configuration's wall-clock cap (minutes, 0 = none).
    #[arg(long)]
    max_minutes: Option<f64>,
    /// Override the configuration's epoch count.
    #[arg(long)]
    epochs: Option<usize>,
    /// Skip training: score the model already in `--out` on synthetic dev and test.
    #[arg(long)]
    eval_only: bool,
    /// Continue the run checkpointed in `--checkpoint` (same configuration and data).
    #[arg(long)]
    resume: bool,
    /// Checkpoint directory (default: `<out>/.train-checkpoint`).
    #[arg(long)]
    checkpoint: Option<PathBuf>,
    /// Minutes between checkpoints.
    #[arg(long, default_value_t = 5.0)]
    checkpoint_minutes: f64,
    /// Stop this session after so many minutes (checkpoint saved); `--resume` goes on.
    #[arg(long)]
    stop_after: Option<f64>,
}

/// A flag raised by SIGINT/SIGTERM/SIGHUP: the run saves a checkpoint and stops.
fn stop_on_signal() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let raised = flag.clone();
    if ctrlc::set_handler(move || raised.store(true, Ordering::Relaxed)).is_err() {
        eprintln!("voile: warning: cannot catch interruptions; rely on periodic checkpoints");
    }
    flag
}

/// Stream seeds: one per split and per training epoch, all derived from the run seed.
fn epoch_seed(seed: u64, epoch: usize) -> u64 {
    seed.wrapping_mul(1_000_003).wrapping_add(epoch as u64 + 1)
}

fn log(start: &Instant, line: &str) {
    eprintln!("[{:>6.0}s] {line}", start.elapsed().as_secs_f64());
}

/// `text` fields of JSONL files (for tokenizer training).
fn corpus_texts(path: &Path) -> anyhow::Result<Vec<String>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {} is not JSON", path.display(), i + 1))?;
        let text = v
            .get("text")
            .and_then(|t| t.as_str())
            .with_context(|| format!("{}: line {} has no text field", path.display(), i + 1))?;
        out.push(text.to_string());
    }
    Ok(out)
}

fn build_tokenizer(
    args: &Args,
    cfg: &TrainConfig,
    gen: &Generator,
    start: &Instant,
) -> anyhow::Result<NerTokenizer> {
    if let Some(path) = &args.tokenizer {
        return Ok(NerTokenizer::load(path)?);
    }
    let mut texts = Vec::new();
    for path in &cfg.tokenizer_corpora {
        texts.extend(corpus_texts(path)?);
    }
    let real = texts.len();
    let seed = cfg.seed ^ 0x0703_1CE2;
    texts.extend(
        gen.generate(Split::Train, cfg.tokenizer_synthetic_docs, seed)
            .into_iter()
            .map(|r| r.text),
    );
    log(
        start,
        &format!(
            "training a {}-entry WordPiece on {real} corpus + {} synthetic texts",
            cfg.model.vocab_size,
            texts.len() - real
        ),
    );
    Ok(NerTokenizer::train(
        texts.into_iter(),
        cfg.model.vocab_size,
    )?)
}

/// Texts for masked-token pretraining: the configured corpora (E3C clinical cases, read in
/// place) plus synthetic training documents (their text only).
fn unlabelled_texts(cfg: &TrainConfig, gen: &Generator) -> anyhow::Result<Vec<String>> {
    let mut texts = Vec::new();
    for path in &cfg.tokenizer_corpora {
        texts.extend(corpus_texts(path)?);
    }
    let seed = cfg.seed ^ 0x0903_7A1E;
    texts.extend(
        gen.generate(Split::Train, cfg.tokenizer_synthetic_docs, seed)
            .into_iter()
            .map(|r| r.text),
    );
    Ok(texts)
}

/// Predictions (every decoded span, whatever its score), seconds and token count.
fn predict_all(
    model: &NerModel,
    docs: &[Record],
) -> anyhow::Result<(Vec<Vec<voile_core::Span>>, f64, usize)> {
    let started = Instant::now();
    let mut preds = Vec::with_capacity(docs.len());
    let mut tokens = 0;
    for d in docs {
        tokens += model.tokenizer().encode(&d.text)?.len();
        preds.push(
            model
                .try_detect(&d.text)
                .map_err(|e| e.in_record(d.id.clone()))?,
        );
    }
    Ok((preds, started.elapsed().as_secs_f64(), tokens))
}

fn scores_at(
    docs: &[Record],
    preds: &[Vec<voile_core::Span>],
    min_score: f32,
) -> voile_ner::Scores {
    let gold: Vec<_> = docs.iter().map(|d| d.spans.clone()).collect();
    let kept: Vec<Vec<_>> = preds
        .iter()
        .map(|p| p.iter().filter(|s| s.score >= min_score).cloned().collect())
        .collect();
    voile_ner::strict_scores(&gold, &kept)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let mut cfg: TrainConfig = match &args.config {
        Some(p) => serde_json::from_str(
            &std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
        )
        .with_context(|| format!("{}: not a training configuration", p.display()))?,
        None => TrainConfig::default(),
    };
    if let Some(m) = args.max_minutes {
        cfg.max_minutes = m;
    }
    if let Some(e) = args.epochs {
        cfg.epochs = e;
    }
    let gen = Generator::from_repo(&args.repo_root)?;
    if args.eval_only {
        let saved = args.out.join("train-config.json");
        if args.config.is_none() && saved.is_file() {
            cfg = serde_json::from_str(&std::fs::read_to_string(&saved)?)
                .with_context(|| format!("{}: not a training configuration", saved.display()))?;
        }
        let dev = gen.generate(Split::Dev, cfg.dev_docs, epoch_seed(cfg.seed, 1_000_000));
        evaluate_shipped(&args.out, &cfg, &gen, &dev, &start)?;
        return Ok(ExitCode::SUCCESS);
    }
    let checkpoint = args
        .checkpoint
        .clone()
        .unwrap_or_else(|| args.out.join(".train-checkpoint"));
    let tokenizer = match voile_ner::checkpoint_tokenizer(&checkpoint).filter(|_| args.resume) {
        Some(path) => NerTokenizer::load(&path)?,
        None => build_tokenizer(&args, &cfg, &gen, &start)?,
    };
    cfg.model.vocab_size = tokenizer.vocab_size();
    log(
        &start,
        &format!("tokenizer ready: {} entries", cfg.model.vocab_size),
    );
    let mut dev = gen.generate(Split::Dev, cfg.dev_docs, epoch_seed(cfg.seed, 1_000_000));
    anyhow::ensure!(!dev.is_empty(), "the generator produced no dev documents");
    dev.extend(train_data::read_annotated(&cfg.dev_corpora)?);
    let annotated = train_data::read_annotated(&cfg.annotated_corpora)?;
    // The surrogate lists are loaded only when there are annotated documents to refresh.
    let refresher = if annotated.is_empty() {
        None
    } else {
        Some(train_data::Refresher::new(
            &args.repo_root,
            cfg.seed,
            cfg.annotated_refresh,
        )?)
    };
    log(
        &start,
        &format!(
            "data per epoch: {} synthetic + {} × {} annotated documents; dev {} documents",
            cfg.docs_per_epoch,
            cfg.annotated_copies,
            annotated.len(),
            dev.len()
        ),
    );
    let next_epoch = |epoch: usize| {
        let mut docs = gen.generate(
            Split::Train,
            cfg.docs_per_epoch,
            epoch_seed(cfg.seed, epoch),
        );
        if let Some(refresher) = &refresher {
            for copy in 0..cfg.annotated_copies {
                docs.extend(annotated.iter().map(|d| refresher.copy(d, epoch, copy)));
            }
        }
        docs
    };
    let unlabelled = if cfg.pretrain_steps > 0 {
        let mut texts = unlabelled_texts(&cfg, &gen)?;
        texts.extend(annotated.iter().map(|d| d.text.clone()));
        texts
    } else {
        Vec::new()
    };
    let data_files: Vec<PathBuf> = cfg
        .tokenizer_corpora
        .iter()
        .chain(&cfg.annotated_corpora)
        .chain(&cfg.dev_corpora)
        .cloned()
        .collect();
    let control = voile_ner::RunControl {
        dir: Some(checkpoint),
        every: std::time::Duration::from_secs_f64(args.checkpoint_minutes.max(0.1) * 60.0),
        stop: stop_on_signal(),
        stop_after: args
            .stop_after
            .map(|m| std::time::Duration::from_secs_f64(m.max(0.0) * 60.0)),
        resume: args.resume,
        data_fingerprint: train_data::fingerprint(&data_files)?,
    };
    let outcome = voile_ner::train(
        &cfg,
        &tokenizer,
        &args.out,
        next_epoch,
        &dev,
        &unlabelled,
        &control,
        &mut |l| log(&start, l),
    )?;
    let report = match outcome {
        voile_ner::Outcome::Finished(report) => report,
        voile_ner::Outcome::Paused(progress) => {
            log(
                &start,
                &format!(
                    "checkpoint saved ({:.0}s of training over {} session(s)); rerun with --resume to continue",
                    progress.seconds, progress.sessions
                ),
            );
            return Ok(ExitCode::SUCCESS);
        }
    };
    log(
        &start,
        &format!(
            "best dev F1 {:.4} at epoch {} after {:.0}s",
            report.best_dev_f1, report.best_epoch, report.total_seconds
        ),
    );

    evaluate_shipped(&args.out, &cfg, &gen, &dev, &start)?;
    Ok(ExitCode::SUCCESS)
}

/// Strict scores of the model in `out` on synthetic dev and test, written to `out/eval.json`.
fn evaluate_shipped(
    out: &Path,
    cfg: &TrainConfig,
    gen: &Generator,
    dev: &[Record],
    start: &Instant,
) -> anyhow::Result<()> {
    let model = NerModel::load_with(
        out,
        &voile_ner::NerConfig {
            min_score: 0.0,
            ..Default::default()
        },
    )?;
    let test = gen.generate(Split::Test, cfg.test_docs, epoch_seed(cfg.seed, 2_000_000));
    let mut eval = serde_json::Map::new();
    for (name, docs) in [("dev", dev), ("test", &test[..])] {
        let ceiling: Vec<Vec<voile_core::Span>> = docs
            .iter()
            .map(|d| voile_ner::gold_round_trip(model.tokenizer(), &d.text, &d.spans))
            .collect::<Result<_, _>>()?;
        let ceiling = scores_at(docs, &ceiling, 0.0);
        log(
            start,
            &format!(
                "{name}: tokenization ceiling (gold → tags → spans) strict F1 {:.4}",
                ceiling.f1
            ),
        );
        eval.insert(format!("{name}_ceiling"), serde_json::to_value(&ceiling)?);
        let (preds, secs, tokens) = predict_all(&model, docs)?;
        let mut by_threshold = serde_json::Map::new();
        for t in [0.0f32, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] {
            let scores = scores_at(docs, &preds, t);
            log(start, &format!(
                "{name}: {} docs, min_score {t:.1}: strict P {:.4} R {:.4} F1 {:.4} ({:.0} tokens/s)",
                docs.len(), scores.precision, scores.recall, scores.f1, tokens as f64 / secs
            ));
            by_threshold.insert(format!("{t:.1}"), serde_json::to_value(&scores)?);
        }
        eval.insert(name.to_string(), serde_json::Value::Object(by_threshold));
    }
    let path = out.join("eval.json");
    std::fs::write(&path, serde_json::to_string_pretty(&eval)?)
        .with_context(|| format!("cannot write {}", path.display()))
}
