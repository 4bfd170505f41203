//! `voile train`: train the tokenizer (unless one is given) and the NER model on fresh
//! synthetic documents each epoch, then score the shipped model on synthetic dev and test.
use anyhow::Context;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use voile_core::corpus::Record;
use voile_ner::{NerModel, NerTokenizer, TrainConfig};
use voile_synth::{Generator, Split};

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
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("{}: line {} is not JSON", path.display(), i + 1))?;
        let text = v
            .get("text")
            .and_then(|t| t.as_str())
            .with_context(|| format!("{}: line {} has no text field", path.display(), i + 1))?;
        out.push(text.to_string());
    }
    Ok(out)
}

fn build_tokenizer(args: &Args, cfg: &TrainConfig, gen: &Generator, start: &Instant) -> anyhow::Result<NerTokenizer> {
    if let Some(path) = &args.tokenizer {
        return Ok(NerTokenizer::load(path)?);
    }
    let mut texts = Vec::new();
    for path in &cfg.tokenizer_corpora {
        texts.extend(corpus_texts(path)?);
    }
    let real = texts.len();
    let seed = cfg.seed ^ 0x7031_CE2;
    texts.extend(gen.generate(Split::Train, cfg.tokenizer_synthetic_docs, seed).into_iter().map(|r| r.text));
    log(start, &format!("training a {}-entry WordPiece on {real} corpus + {} synthetic texts", cfg.model.vocab_size, texts.len() - real));
    Ok(NerTokenizer::train(texts.into_iter(), cfg.model.vocab_size)?)
}

fn score(model: &NerModel, docs: &[Record]) -> anyhow::Result<(voile_ner::Scores, f64, usize)> {
    let started = Instant::now();
    let mut preds = Vec::with_capacity(docs.len());
    let mut tokens = 0;
    for d in docs {
        tokens += model.tokenizer().encode(&d.text)?.len();
        preds.push(model.try_detect(&d.text).map_err(|e| e.in_record(d.id.clone()))?);
    }
    let secs = started.elapsed().as_secs_f64();
    let gold: Vec<_> = docs.iter().map(|d| d.spans.clone()).collect();
    Ok((voile_ner::strict_scores(&gold, &preds), secs, tokens))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let mut cfg: TrainConfig = match &args.config {
        Some(p) => serde_json::from_str(&std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?)
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
    let tokenizer = build_tokenizer(&args, &cfg, &gen, &start)?;
    cfg.model.vocab_size = tokenizer.vocab_size();
    log(&start, &format!("tokenizer ready: {} entries", cfg.model.vocab_size));
    let dev = gen.generate(Split::Dev, cfg.dev_docs, epoch_seed(cfg.seed, 1_000_000));
    anyhow::ensure!(!dev.is_empty(), "the generator produced no dev documents");
    let docs_per_epoch = cfg.docs_per_epoch;
    let seed = cfg.seed;
    let next_epoch = |epoch: usize| gen.generate(Split::Train, docs_per_epoch, epoch_seed(seed, epoch));
    let report = voile_ner::train(&cfg, &tokenizer, &args.out, next_epoch, &dev, &mut |l| log(&start, l))?;
    log(&start, &format!("best dev F1 {:.4} at epoch {} after {:.0}s", report.best_dev_f1, report.best_epoch, report.total_seconds));

    let model = NerModel::load(&args.out)?;
    let test = gen.generate(Split::Test, cfg.test_docs, epoch_seed(cfg.seed, 2_000_000));
    let mut eval = serde_json::Map::new();
    for (name, docs) in [("dev", &dev), ("test", &test)] {
        let (scores, secs, tokens) = score(&model, docs)?;
        log(&start, &format!(
            "{name}: {} docs, strict P {:.4} R {:.4} F1 {:.4}, {:.0} tokens/s",
            docs.len(), scores.precision, scores.recall, scores.f1, tokens as f64 / secs
        ));
        eval.insert(name.to_string(), serde_json::to_value(&scores)?);
    }
    let path = args.out.join("eval.json");
    std::fs::write(&path, serde_json::to_string_pretty(&eval)?).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(ExitCode::SUCCESS)
}
