//! Fine-tuning from scratch: packed windows of freshly generated documents each epoch, AdamW
//! with warm-up and linear decay, dev strict F1 after every epoch, early stopping, best
//! model saved in the shipped layout.
//!
//! Reproducibility: weights, dropout masks and window order come from `seed` alone, and a run
//! paused and resumed from its checkpoint ([`crate::checkpoint`]) makes the same updates as one
//! never interrupted. With `max_minutes > 0` the learning-rate schedule also follows training
//! time (so a capped run still decays to zero); set it to 0 for a bit-for-bit repeatable run.

use crate::align::{token_tags, IGNORE};
use crate::checkpoint::{self, Phase, Progress, RunControl, Session, Snapshot};
use crate::infer::{predict, RunSettings};
use crate::model::{init_varmap, sorted_vars, Bert, BertShape, Dropout, HfConfig};
use crate::optim::AdamW;
use crate::rng::SplitMix;
use crate::tags::{TagSet, NUM_TAGS};
use crate::tokenize::NerTokenizer;
use candle_core::{Device, Tensor, Var};
use candle_nn::VarMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use voile_core::corpus::Record;
use voile_core::{Error, ErrorKind, Span};

/// Everything that defines a training run (written to `train-config.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    pub seed: u64,
    pub model: BertShape,
    /// Tokens per training window, `[CLS]` and `[SEP]` included (≤ max positions).
    pub window: usize,
    pub batch_size: usize,
    pub epochs: usize,
    pub docs_per_epoch: usize,
    pub dev_docs: usize,
    pub test_docs: usize,
    pub lr: f64,
    pub warmup_steps: usize,
    pub weight_decay: f64,
    pub dropout: f32,
    pub clip_norm: f32,
    /// Stop after this many epochs without a dev F1 improvement.
    pub patience: usize,
    /// Wall-clock cap in minutes (0 = none).
    pub max_minutes: f64,
    pub log_every: usize,
    /// JSONL files (`text` field) used with synthetic text to train the tokenizer (and, with
    /// `pretrain_steps`, to pretrain the encoder).
    pub tokenizer_corpora: Vec<PathBuf>,
    pub tokenizer_synthetic_docs: usize,
    /// Masked-token pretraining steps on unlabelled text before fine-tuning (0 = none).
    pub pretrain_steps: usize,
    /// Share of tokens masked per pretraining window (BERT's 80/10/10 replacement).
    pub mask_prob: f32,
    /// Start from these weights (a `model.safetensors` or `pretrained.safetensors`): every
    /// encoder tensor is read from it, the classifier starts fresh.
    pub init_from: Option<PathBuf>,
    /// Annotated JSONL corpora (e.g. `corpora/styleshift/train.jsonl`, never a test split)
    /// mixed into every epoch by the caller (`voile train`): `annotated_copies` copies per
    /// epoch, a share `annotated_refresh` of them with every entity replaced by a fresh
    /// surrogate, then delivery noise as in synthetic documents.
    pub annotated_corpora: Vec<PathBuf>,
    pub annotated_copies: usize,
    pub annotated_refresh: f64,
    /// Annotated JSONL corpora added to the synthetic dev documents for model selection.
    pub dev_corpora: Vec<PathBuf>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            seed: 20_241_123,
            model: BertShape::default(),
            window: 256,
            batch_size: 32,
            epochs: 20,
            docs_per_epoch: 3000,
            dev_docs: 300,
            test_docs: 500,
            lr: 1e-3,
            warmup_steps: 300,
            weight_decay: 0.01,
            dropout: 0.1,
            clip_norm: 1.0,
            patience: 4,
            max_minutes: 0.0,
            log_every: 50,
            tokenizer_corpora: Vec::new(),
            tokenizer_synthetic_docs: 3000,
            pretrain_steps: 0,
            mask_prob: 0.15,
            init_from: None,
            annotated_corpora: Vec::new(),
            annotated_copies: 1,
            annotated_refresh: 0.8,
            dev_corpora: Vec::new(),
        }
    }
}

/// Micro strict scores (exact start, end and label) plus per-label counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    /// label → (tp, fp, fn)
    pub per_label: BTreeMap<String, (usize, usize, usize)>,
}

/// Strict micro P/R/F1 of `pred` against `gold` (one span list per document).
pub fn strict_scores(gold: &[Vec<Span>], pred: &[Vec<Span>]) -> Scores {
    let mut s = Scores::default();
    let key = |sp: &Span| (sp.start, sp.end, sp.label);
    for (g, p) in gold.iter().zip(pred) {
        let gk: std::collections::BTreeSet<_> = g.iter().map(key).collect();
        let pk: std::collections::BTreeSet<_> = p.iter().map(key).collect();
        for k in &pk {
            let e = s.per_label.entry(k.2.to_string()).or_default();
            if gk.contains(k) {
                s.tp += 1;
                e.0 += 1;
            } else {
                s.fp += 1;
                e.1 += 1;
            }
        }
        for k in gk.difference(&pk) {
            s.fn_ += 1;
            s.per_label.entry(k.2.to_string()).or_default().2 += 1;
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    s.precision = ratio(s.tp, s.tp + s.fp);
    s.recall = ratio(s.tp, s.tp + s.fn_);
    s.f1 = if s.precision + s.recall == 0.0 {
        0.0
    } else {
        2.0 * s.precision * s.recall / (s.precision + s.recall)
    };
    s
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EpochLog {
    pub epoch: usize,
    pub steps: usize,
    pub tokens: usize,
    pub mean_loss: f64,
    pub dev: Scores,
    pub seconds: f64,
}

/// What happened during training (written to `training-report.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TrainReport {
    pub epochs: Vec<EpochLog>,
    pub best_epoch: usize,
    pub best_dev_f1: f64,
    pub total_seconds: f64,
    pub tokens_seen: usize,
    pub parameters: usize,
}

struct Packed {
    ids: Vec<u32>,
    tags: Vec<u32>,
}

/// Tokenize documents, concatenate them with `[SEP]` and cut the stream into full windows,
/// so every position embedding is trained and almost nothing is padding.
fn pack(tok: &NerTokenizer, docs: &[Record], window: usize) -> Result<Vec<Packed>, Error> {
    let body = window - 2;
    let (mut ids, mut tags) = (Vec::new(), Vec::new());
    for doc in docs {
        let t = tok
            .encode(&doc.text)
            .map_err(|e| e.in_record(doc.id.clone()))?;
        tags.extend(token_tags(&t.offsets, &doc.spans));
        ids.extend(t.ids);
        ids.push(tok.sep_id);
        tags.push(IGNORE);
    }
    Ok(ids
        .chunks(body)
        .zip(tags.chunks(body))
        .map(|(i, t)| Packed {
            ids: [&[tok.cls_id], i, &[tok.sep_id]].concat(),
            tags: [&[IGNORE], t, &[IGNORE]].concat(),
        })
        .collect())
}

pub(crate) fn candle_err(e: candle_core::Error) -> Error {
    Error::new(ErrorKind::Config(format!("training failed in candle: {e}")))
}

pub(crate) fn io_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io(format!("{}: {e}", path.display())))
}

/// Mean cross-entropy over positions whose tag is not [`IGNORE`].
fn masked_loss(logits: &Tensor, tags: &[u32]) -> candle_core::Result<Tensor> {
    masked_cross_entropy(logits, tags, NUM_TAGS)
}

/// Mean cross-entropy over `classes`-way logits at positions whose target is not [`IGNORE`].
pub(crate) fn masked_cross_entropy(
    logits: &Tensor,
    tags: &[u32],
    classes: usize,
) -> candle_core::Result<Tensor> {
    let n = tags.len();
    let logp = candle_nn::ops::log_softmax(&logits.reshape((n, classes))?, 1)?;
    let targets: Vec<u32> = tags
        .iter()
        .map(|&t| if t == IGNORE { 0 } else { t })
        .collect();
    let weights: Vec<f32> = tags
        .iter()
        .map(|&t| if t == IGNORE { 0.0 } else { 1.0 })
        .collect();
    let count = weights.iter().sum::<f32>().max(1.0);
    let targets = Tensor::from_vec(targets, (n, 1), logits.device())?;
    let weights = Tensor::from_vec(weights, n, logits.device())?;
    let picked = logp.gather(&targets, 1)?.squeeze(1)?;
    (picked * weights)?
        .sum_all()?
        .affine(-1.0 / count as f64, 0.0)
}

/// Scale gradients so their global L2 norm is at most `max_norm`.
pub(crate) fn clip(
    grads: &mut candle_core::backprop::GradStore,
    vars: &[(String, Var)],
    max_norm: f32,
) -> candle_core::Result<()> {
    let mut total = 0f32;
    for (_, v) in vars {
        if let Some(g) = grads.get(v.as_tensor()) {
            total += g.sqr()?.sum_all()?.to_scalar::<f32>()?;
        }
    }
    let norm = total.sqrt();
    if max_norm > 0.0 && norm > max_norm {
        let scale = (max_norm / norm) as f64;
        for (_, v) in vars {
            if let Some(g) = grads.get(v.as_tensor()) {
                let scaled = g.affine(scale, 0.0)?;
                grads.insert(v.as_tensor(), scaled);
            }
        }
    }
    Ok(())
}

/// Write the shipped layout into `dir` (each file written then renamed into place).
pub(crate) fn save_model(
    dir: &Path,
    varmap: &VarMap,
    cfg: &TrainConfig,
    tok: &NerTokenizer,
) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let tags = TagSet::standard();
    let tmp = |name: &str| dir.join(format!(".{name}.tmp"));
    let put = |name: &str, bytes: &[u8]| -> Result<(), Error> {
        std::fs::write(tmp(name), bytes).map_err(|e| io_err(&tmp(name), e))?;
        std::fs::rename(tmp(name), dir.join(name)).map_err(|e| io_err(&dir.join(name), e))
    };
    varmap
        .save(tmp("model.safetensors"))
        .map_err(|e| io_err(&tmp("model.safetensors"), e))?;
    std::fs::rename(tmp("model.safetensors"), dir.join("model.safetensors"))
        .map_err(|e| io_err(dir, e))?;
    let hf = HfConfig::new(&cfg.model, &tags.names(), cfg.dropout as f64);
    put(
        "config.json",
        serde_json::to_string_pretty(&hf)
            .expect("config serialises")
            .as_bytes(),
    )?;
    put("labels.json", tags.to_json().as_bytes())?;
    put(
        "train-config.json",
        serde_json::to_string_pretty(cfg)
            .expect("config serialises")
            .as_bytes(),
    )?;
    tok.save(&tmp("tokenizer.json"))?;
    std::fs::rename(tmp("tokenizer.json"), dir.join("tokenizer.json")).map_err(|e| io_err(dir, e))
}

fn validate(cfg: &TrainConfig, tok: &NerTokenizer) -> Result<(), Error> {
    let bad = |m: String| Err(Error::new(ErrorKind::Config(m)));
    if cfg.window < 8 || cfg.window > cfg.model.max_position_embeddings {
        return bad(format!(
            "window {} must be in 8..={}",
            cfg.window, cfg.model.max_position_embeddings
        ));
    }
    if tok.vocab_size() > cfg.model.vocab_size {
        return bad(format!(
            "tokenizer has {} entries, model.vocab_size is {}",
            tok.vocab_size(),
            cfg.model.vocab_size
        ));
    }
    if cfg.model.num_attention_heads == 0
        || !cfg
            .model
            .hidden_size
            .is_multiple_of(cfg.model.num_attention_heads)
    {
        return bad("hidden_size must be a multiple of num_attention_heads".into());
    }
    if cfg.batch_size == 0 || cfg.epochs == 0 {
        return bad("batch_size and epochs must be positive".into());
    }
    Ok(())
}

/// Dev-set predictions with the inference graph (fused kernels) on the current weights.
fn evaluate(
    model: &Bert,
    tok: &NerTokenizer,
    window: usize,
    dev: &[Record],
) -> Result<Scores, Error> {
    let settings = RunSettings::new(
        &crate::NerConfig {
            window,
            stride: 0,
            batch_size: 16,
            ..Default::default()
        },
        window,
    )?;
    let tags = TagSet::standard();
    let mut preds = Vec::with_capacity(dev.len());
    for doc in dev {
        let mut out = Vec::new();
        predict(model, tok, &tags, &settings, None, &doc.text, &mut out)
            .map_err(|e| e.in_record(doc.id.clone()))?;
        preds.push(out);
    }
    let gold: Vec<Vec<Span>> = dev.iter().map(|d| d.spans.clone()).collect();
    Ok(strict_scores(&gold, &preds))
}

/// How a call to [`train`] ended.
#[derive(Debug)]
pub enum Outcome {
    /// The run is complete; the best model is in the output directory.
    Finished(TrainReport),
    /// The session stopped (signal or time budget) after writing a checkpoint; call [`train`]
    /// again with `resume` to go on.
    Paused(Box<Progress>),
}

/// One session of a training run: what every phase needs.
pub(crate) struct Run<'a> {
    pub cfg: &'a TrainConfig,
    pub tok: &'a NerTokenizer,
    pub varmap: &'a VarMap,
    pub session: Session<'a>,
    pub progress: Progress,
    /// The checkpoint this session resumed from, until the phase in progress has read it.
    pub resume_from: Option<PathBuf>,
    pub log: &'a mut dyn FnMut(&str),
}

impl Run<'_> {
    /// Save a checkpoint (if the run has a directory) with the optimiser of the current phase.
    pub fn checkpoint(&mut self, optimizer: &AdamW, head: &[(String, Var)]) -> Result<(), Error> {
        self.progress.seconds = self.session.total_seconds();
        self.progress.optimizer_steps = optimizer.steps;
        if let Some(dir) = &self.session.control.dir {
            let snap = Snapshot {
                varmap: self.varmap,
                optimizer,
                head,
                tokenizer: self.tok,
            };
            checkpoint::save(dir, &self.progress, &snap)?;
            self.session.saved();
        }
        Ok(())
    }

    /// After a step: checkpoint when due or when pausing; true when this session must stop.
    pub fn after_step(&mut self, optimizer: &AdamW, head: &[(String, Var)]) -> Result<bool, Error> {
        let pause = self.session.should_pause();
        if pause || self.session.checkpoint_due() {
            self.checkpoint(optimizer, head)?;
        }
        if pause {
            (self.log)(&format!(
                "paused after {:.0}s of training; resume to continue",
                self.progress.seconds
            ));
        }
        Ok(pause)
    }
}

/// The starting point of a session: a fresh run, or the checkpoint of `control.dir`.
fn start_or_resume(
    cfg: &TrainConfig,
    control: &RunControl,
    vars: &[(String, Var)],
    pretraining: bool,
) -> Result<(Progress, Option<PathBuf>), Error> {
    if control.resume {
        let dir = control.dir.as_deref().ok_or_else(|| {
            Error::new(ErrorKind::Config(
                "resuming needs a checkpoint directory".into(),
            ))
        })?;
        let (dir, progress) = checkpoint::load_progress(dir, cfg, &control.data_fingerprint)?;
        checkpoint::restore_vars(&checkpoint::weights_file(&dir), vars)?;
        return Ok((progress, Some(dir)));
    }
    if let Some(init) = &cfg.init_from {
        let encoder: Vec<(String, Var)> = vars
            .iter()
            .filter(|(n, _)| !n.starts_with("classifier."))
            .cloned()
            .collect();
        checkpoint::restore_vars(init, &encoder)?;
    }
    let pretrain = pretraining && cfg.pretrain_steps > 0;
    Ok((
        Progress {
            phase: if pretrain {
                Phase::Pretrain
            } else {
                Phase::Finetune
            },
            mask_rng: SplitMix::new(cfg.seed ^ 0x0ABC_DEF1).state(),
            order_rng: SplitMix::new(cfg.seed ^ 0x5EED).state(),
            dropout_rng: if pretrain {
                crate::pretrain::dropout_seed(cfg)
            } else {
                finetune_dropout_seed(cfg)
            },
            config: cfg.clone(),
            data_fingerprint: control.data_fingerprint.clone(),
            ..Default::default()
        },
        None,
    ))
}

fn finetune_dropout_seed(cfg: &TrainConfig) -> u64 {
    SplitMix::new(cfg.seed ^ 0xD80F).state()
}

/// Train a model; `next_epoch(e)` returns the training documents of epoch `e` (the same ones
/// every time it is asked: a resumed run regenerates the epoch it stopped in), `dev` is fixed.
/// The best model (by dev strict F1) is saved into `out_dir`; `log` receives progress lines.
///
/// With `cfg.pretrain_steps > 0` the encoder is first pretrained on `unlabelled` texts by
/// masked-token prediction ([`crate::pretrain`]); the pretrained encoder is saved as
/// `out_dir/pretrained.safetensors` (usable as `init_from` of other runs).
/// `control` says where checkpoints go and when to pause; see [`RunControl`].
#[allow(clippy::too_many_arguments)]
pub fn train(
    cfg: &TrainConfig,
    tok: &NerTokenizer,
    out_dir: &Path,
    mut next_epoch: impl FnMut(usize) -> Vec<Record>,
    dev: &[Record],
    unlabelled: &[String],
    control: &RunControl,
    log: &mut dyn FnMut(&str),
) -> Result<Outcome, Error> {
    validate(cfg, tok)?;
    let varmap = init_varmap(&cfg.model, NUM_TAGS, cfg.seed, false).map_err(candle_err)?;
    let vars = sorted_vars(&varmap);
    let model = Bert::training(&varmap, &cfg.model).map_err(candle_err)?;
    let (mut progress, resume_from) = start_or_resume(cfg, control, &vars, !unlabelled.is_empty())?;
    if progress.phase == Phase::Done {
        log("the checkpointed run is already finished");
        return Ok(Outcome::Finished(progress.report));
    }
    progress.sessions += 1;
    progress.report.parameters = vars.iter().map(|(_, v)| v.elem_count()).sum();
    let seconds_before = progress.seconds;
    let mut run = Run {
        cfg,
        tok,
        varmap: &varmap,
        session: Session::new(control, seconds_before),
        progress,
        resume_from,
        log,
    };
    if run.progress.phase == Phase::Pretrain {
        let session = crate::pretrain::pretrain(&mut run, &model, unlabelled)?;
        if !session.finished {
            return Ok(Outcome::Paused(Box::new(run.progress)));
        }
        let p = &run.progress;
        let line = format!(
            "pretraining done: {} steps, mean masked-token loss {:.3} (last step of this session {:.3})",
            p.pretrain_step,
            p.pretrain_loss_sum / p.pretrain_step.max(1) as f64,
            session.losses.last().copied().unwrap_or(f64::NAN)
        );
        (run.log)(&line);
        std::fs::create_dir_all(out_dir).map_err(|e| io_err(out_dir, e))?;
        let path = out_dir.join("pretrained.safetensors");
        varmap.save(&path).map_err(|e| io_err(&path, e))?;
        run.progress.phase = Phase::Finetune;
        run.progress.dropout_rng = finetune_dropout_seed(cfg);
        run.progress.optimizer_steps = 0;
    }
    if !finetune(&mut run, &model, out_dir, &mut next_epoch, dev)? {
        return Ok(Outcome::Paused(Box::new(run.progress)));
    }
    run.progress.phase = Phase::Done;
    run.progress.report.total_seconds = run.session.total_seconds();
    let done = AdamW::new(&[], cfg.lr, cfg.weight_decay).map_err(candle_err)?;
    run.checkpoint(&done, &[])?;
    let report = run.progress.report.clone();
    let report_path = out_dir.join("training-report.json");
    std::fs::write(
        &report_path,
        serde_json::to_string_pretty(&report).expect("report serialises"),
    )
    .map_err(|e| io_err(&report_path, e))?;
    Ok(Outcome::Finished(report))
}

/// Fine-tuning epochs from where `run.progress` stands; false when the session paused.
fn finetune(
    run: &mut Run,
    model: &Bert,
    out_dir: &Path,
    next_epoch: &mut dyn FnMut(usize) -> Vec<Record>,
    dev: &[Record],
) -> Result<bool, Error> {
    let cfg = run.cfg;
    let vars = sorted_vars(run.varmap);
    let eval_model = Bert::inference_from_varmap(run.varmap, &cfg.model).map_err(candle_err)?;
    let mut opt = AdamW::new(&vars, cfg.lr, cfg.weight_decay).map_err(candle_err)?;
    if let Some(dir) = run.resume_from.take() {
        opt.load(
            &checkpoint::optimizer_file(&dir),
            run.progress.optimizer_steps,
        )
        .map_err(candle_err)?;
    }
    (run.log)(&format!(
        "model: {} parameters, {} training windows of {} tokens per batch",
        run.progress.report.parameters, cfg.batch_size, cfg.window
    ));
    let mut dropout = Dropout {
        p: cfg.dropout,
        rng: SplitMix::from_state(run.progress.dropout_rng),
    };
    let max_secs = cfg.max_minutes * 60.0;
    while run.progress.epoch < cfg.epochs {
        let epoch = run.progress.epoch;
        let mut epoch_clock = Instant::now();
        let docs = next_epoch(epoch);
        let mut windows = pack(run.tok, &docs, cfg.window)?;
        let mut order = SplitMix::from_state(run.progress.order_rng);
        order.shuffle(&mut windows);
        let batches = windows.len().div_ceil(cfg.batch_size);
        if run.progress.total_steps == 0 {
            run.progress.total_steps = (batches * cfg.epochs).max(1);
        }
        let mut stopped = false;
        for batch in windows.chunks(cfg.batch_size).skip(run.progress.batch) {
            let p = &run.progress;
            let by_clock = if max_secs > 0.0 {
                run.session.total_seconds() / max_secs
            } else {
                0.0
            };
            let progress = (p.step as f64 / p.total_steps as f64).max(by_clock);
            if progress >= 1.0 {
                stopped = true;
                break;
            }
            let warm = ((p.step + 1) as f64 / cfg.warmup_steps.max(1) as f64).min(1.0);
            let lr = cfg.lr * warm * (1.0 - progress);
            opt.set_learning_rate(lr);
            let loss = train_step(
                model,
                &mut opt,
                &vars,
                batch,
                run.tok.pad_id,
                &mut dropout,
                cfg.clip_norm,
            )
            .map_err(candle_err)?;
            let p = &mut run.progress;
            p.epoch_loss_sum += loss as f64;
            p.epoch_tokens += batch.iter().map(|w| w.ids.len()).sum::<usize>();
            p.batch += 1;
            p.step += 1;
            if cfg.log_every > 0 && p.step.is_multiple_of(cfg.log_every) {
                let line = format!(
                    "epoch {epoch} step {}/{} loss {:.4} lr {lr:.2e} elapsed {:.0}s",
                    p.step,
                    p.total_steps,
                    p.epoch_loss_sum / p.batch as f64,
                    run.session.total_seconds()
                );
                (run.log)(&line);
            }
            run.progress.dropout_rng = dropout.rng.state();
            run.progress.epoch_seconds += epoch_clock.elapsed().as_secs_f64();
            epoch_clock = Instant::now();
            if run.after_step(&opt, &[])? {
                return Ok(false);
            }
        }
        run.progress.epoch_seconds += epoch_clock.elapsed().as_secs_f64();
        let dev_scores = evaluate(&eval_model, run.tok, cfg.window, dev)?;
        let improved = end_epoch(run, dev_scores, order.state());
        if improved {
            save_model(out_dir, run.varmap, cfg, run.tok)?;
        }
        if stopped || run.progress.since_best >= cfg.patience.max(1) {
            break;
        }
        if run.after_step(&opt, &[])? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Log and record a finished epoch, reset the epoch counters; true when dev F1 improved.
fn end_epoch(run: &mut Run, dev: Scores, next_order_rng: u64) -> bool {
    let p = &mut run.progress;
    let improved = dev.f1 > p.report.best_dev_f1 || p.report.epochs.is_empty();
    let mean_loss = p.epoch_loss_sum / p.batch.max(1) as f64;
    let line = format!(
        "epoch {} done: {} steps, loss {mean_loss:.4}, dev P {:.4} R {:.4} F1 {:.4}{} ({:.0}s)",
        p.epoch,
        p.batch,
        dev.precision,
        dev.recall,
        dev.f1,
        if improved { " (best, saved)" } else { "" },
        p.epoch_seconds
    );
    p.report.tokens_seen += p.epoch_tokens;
    p.report.epochs.push(EpochLog {
        epoch: p.epoch,
        steps: p.batch,
        tokens: p.epoch_tokens,
        mean_loss,
        dev: dev.clone(),
        seconds: p.epoch_seconds,
    });
    if improved {
        p.report.best_dev_f1 = dev.f1;
        p.report.best_epoch = p.epoch;
        p.since_best = 0;
    } else {
        p.since_best += 1;
    }
    p.epoch += 1;
    p.batch = 0;
    p.order_rng = next_order_rng;
    p.epoch_loss_sum = 0.0;
    p.epoch_tokens = 0;
    p.epoch_seconds = 0.0;
    (run.log)(&line);
    improved
}

fn train_step(
    model: &Bert,
    opt: &mut AdamW,
    vars: &[(String, Var)],
    batch: &[Packed],
    pad: u32,
    dropout: &mut Dropout,
    clip_norm: f32,
) -> candle_core::Result<f32> {
    let len = batch.iter().map(|w| w.ids.len()).max().unwrap_or(0);
    let mut ids = vec![pad; batch.len() * len];
    let mut mask = vec![0u32; batch.len() * len];
    let mut tags = vec![IGNORE; batch.len() * len];
    for (row, w) in batch.iter().enumerate() {
        let base = row * len;
        ids[base..base + w.ids.len()].copy_from_slice(&w.ids);
        tags[base..base + w.ids.len()].copy_from_slice(&w.tags);
        mask[base..base + w.ids.len()].fill(1);
    }
    let ids = Tensor::from_vec(ids, (batch.len(), len), &Device::Cpu)?;
    let mask = Tensor::from_vec(mask, (batch.len(), len), &Device::Cpu)?;
    let logits = model.forward(&ids, &mask, Some(dropout))?;
    let loss = masked_loss(&logits, &tags)?;
    let mut grads = loss.backward()?;
    clip(&mut grads, vars, clip_norm)?;
    opt.step(&grads)?;
    loss.to_scalar::<f32>()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::tokenize::tests::{tiny_corpus, tiny_tokenizer};
    use voile_core::Label;

    /// A session over `varmap` at the start of a fresh run (for phase-level tests).
    pub(crate) fn run_for<'a>(
        cfg: &'a TrainConfig,
        tok: &'a NerTokenizer,
        varmap: &'a VarMap,
        control: &'a RunControl,
    ) -> Run<'a> {
        let (progress, _) = start_or_resume(cfg, control, &sorted_vars(varmap), true).unwrap();
        Run {
            cfg,
            tok,
            varmap,
            session: Session::new(control, 0.0),
            progress,
            resume_from: None,
            log: Box::leak(Box::new(|_: &str| {})),
        }
    }

    /// A model small enough to train in a test on the tiny tokenizer (vocabulary 300).
    pub(crate) fn tiny_config() -> TrainConfig {
        TrainConfig {
            model: BertShape {
                vocab_size: 300,
                hidden_size: 32,
                num_attention_heads: 4,
                intermediate_size: 64,
                max_position_embeddings: 64,
                ..Default::default()
            },
            window: 64,
            batch_size: 4,
            warmup_steps: 5,
            dropout: 0.0,
            ..Default::default()
        }
    }

    fn doc(id: usize, text: &str) -> Record {
        let mut r = Record::new(format!("d{id}"), text);
        for (surface, label) in [
            ("Jean", Label::Prenom),
            ("Dupont", Label::Nom),
            ("Nantes", Label::Ville),
            ("12/03/2021", Label::Date),
        ] {
            if let Some(s) = text.find(surface) {
                r.spans
                    .push(Span::new(s, s + surface.len(), label, "gold", 1.0));
            }
        }
        r.spans.sort_by_key(|s| s.start);
        r
    }

    /// The first `n` texts of the tiny corpus with their gold spans.
    fn tiny_docs(n: usize) -> Vec<Record> {
        tiny_corpus()
            .iter()
            .take(n)
            .enumerate()
            .map(|(i, t)| doc(i, t))
            .collect()
    }

    #[test]
    fn strict_scores_count_exact_matches_only() {
        let g = vec![vec![
            Span::new(0, 4, Label::Nom, "g", 1.0),
            Span::new(5, 9, Label::Ville, "g", 1.0),
        ]];
        let p = vec![vec![
            Span::new(0, 4, Label::Nom, "p", 0.9),
            Span::new(5, 8, Label::Ville, "p", 0.9),
        ]];
        let s = strict_scores(&g, &p);
        assert_eq!((s.tp, s.fp, s.fn_), (1, 1, 1));
        assert!((s.f1 - 0.5).abs() < 1e-9);
    }

    #[test]
    fn tiny_training_run_learns_and_ships_a_loadable_model() {
        let tok = tiny_tokenizer();
        let docs = tiny_docs(5);
        let cfg = TrainConfig {
            epochs: 40,
            lr: 5e-3,
            patience: 40,
            log_every: 10,
            ..tiny_config()
        };
        let dir = std::env::temp_dir().join(format!("voile-ner-train-{}", std::process::id()));
        let mut lines = Vec::new();
        let outcome = train(
            &cfg,
            &tok,
            &dir,
            |_| (0..8).flat_map(|_| docs.iter().cloned()).collect(),
            &docs,
            &[],
            &RunControl::default(),
            &mut |l| lines.push(l.to_string()),
        )
        .unwrap();
        let Outcome::Finished(report) = outcome else {
            panic!("a run without a time budget paused")
        };
        assert!(report.epochs.first().unwrap().mean_loss > report.epochs.last().unwrap().mean_loss);
        assert!(
            report.best_dev_f1 > 0.5,
            "dev F1 {}\n{}",
            report.best_dev_f1,
            lines.join("\n")
        );
        let model = crate::NerModel::load(&dir).unwrap();
        let text = "Le patient a été vu par le Dr Jean Dupont à Nantes le 12/03/2021.";
        let spans = model.try_detect(text).unwrap();
        assert!(
            spans
                .iter()
                .any(|s| s.surface(text) == "Dupont" && s.label == Label::Nom),
            "{spans:?}"
        );
        let saved: TrainConfig =
            serde_json::from_str(&std::fs::read_to_string(dir.join("train-config.json")).unwrap())
                .unwrap();
        assert_eq!(saved, cfg);
        std::fs::remove_dir_all(&dir).ok();
    }

    fn finished(outcome: Outcome) -> Option<TrainReport> {
        match outcome {
            Outcome::Finished(r) => Some(r),
            Outcome::Paused(_) => None,
        }
    }

    /// Train the tiny model (pretraining included) into `dir`; with `pause_every_step`, every
    /// session stops after one step and the run is resumed until it finishes.
    fn tiny_run(tok: &NerTokenizer, dir: &Path, pause_every_step: bool) -> (TrainReport, usize) {
        let texts: Vec<String> = tiny_corpus().iter().map(|t| t.to_string()).collect();
        let docs = tiny_docs(5);
        let cfg = TrainConfig {
            epochs: 3,
            pretrain_steps: 4,
            dropout: 0.1,
            patience: 10,
            log_every: 0,
            ..tiny_config()
        };
        let mut control = RunControl {
            dir: Some(dir.join("checkpoint")),
            every: std::time::Duration::from_secs(3600),
            stop_after: pause_every_step.then_some(std::time::Duration::ZERO),
            data_fingerprint: "tiny".into(),
            ..Default::default()
        };
        let epoch_docs =
            |e: usize| -> Vec<Record> { (0..4 + e).flat_map(|_| docs.iter().cloned()).collect() };
        let mut sessions = 0;
        loop {
            sessions += 1;
            let outcome = train(
                &cfg,
                tok,
                dir,
                epoch_docs,
                &docs,
                &texts,
                &control,
                &mut |_| {},
            )
            .unwrap();
            if let Some(report) = finished(outcome) {
                return (report, sessions);
            }
            control.resume = true;
            assert!(sessions < 500, "the run never finishes");
        }
    }

    #[test]
    fn a_run_paused_after_every_step_ends_identical_to_an_uninterrupted_one() {
        let base = std::env::temp_dir().join(format!("voile-ner-resume-{}", std::process::id()));
        // One tokenizer for both runs: WordPiece training breaks ties differently run to run.
        let tok = tiny_tokenizer();
        let (straight, one) = tiny_run(&tok, &base.join("straight"), false);
        let (resumed, many) = tiny_run(&tok, &base.join("resumed"), true);
        let same = |f: &str| {
            std::fs::read(base.join("straight").join(f)).unwrap()
                == std::fs::read(base.join("resumed").join(f)).unwrap()
        };
        let losses = |r: &TrainReport| -> Vec<(usize, f64, f64)> {
            r.epochs
                .iter()
                .map(|e| (e.steps, e.mean_loss, e.dev.f1))
                .collect()
        };
        assert!(same("pretrained.safetensors"), "pretrained encoders differ");
        assert_eq!(losses(&straight), losses(&resumed));
        assert!(same("model.safetensors"), "models differ");
        assert_eq!(straight.epochs.len(), 3);
        assert_eq!(one, 1);
        assert!(many > 10, "only {many} sessions");
        std::fs::remove_dir_all(&base).ok();
    }

    #[test]
    fn resuming_refuses_another_configuration_or_missing_checkpoint() {
        let dir = std::env::temp_dir().join(format!("voile-ner-refuse-{}", std::process::id()));
        let tok = tiny_tokenizer();
        let docs = tiny_docs(3);
        let cfg = TrainConfig {
            epochs: 1,
            log_every: 0,
            ..tiny_config()
        };
        let mut control = RunControl {
            dir: Some(dir.join("checkpoint")),
            resume: true,
            ..Default::default()
        };
        let run = |cfg: &TrainConfig, control: &RunControl| {
            train(
                cfg,
                &tok,
                &dir,
                |_| docs.clone(),
                &docs,
                &[],
                control,
                &mut |_| {},
            )
        };
        let err = run(&cfg, &control).unwrap_err().to_string();
        assert!(err.contains("no checkpoint"), "{err}");
        control.resume = false;
        assert!(finished(run(&cfg, &control).unwrap()).is_some());
        control.resume = true;
        let other = TrainConfig {
            lr: 0.5,
            ..cfg.clone()
        };
        let err = run(&other, &control).unwrap_err().to_string();
        assert!(err.contains("another training configuration"), "{err}");
        control.data_fingerprint = "other".into();
        let err = run(&cfg, &control).unwrap_err().to_string();
        assert!(err.contains("other training data"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
