//! Optional self-supervised pretraining: masked-token prediction on unlabelled French clinical
//! text before fine-tuning, so the encoder learns the language of reports, not only the
//! templates of the synthetic corpus.
//!
//! BERT's recipe: `mask_prob` of the non-special tokens of each window are targets; of those,
//! 80% become `[MASK]`, 10% a random token, 10% stay. The prediction head (a linear layer to
//! the vocabulary) is trained alongside and thrown away; only the encoder is kept.

use crate::align::IGNORE;
use crate::checkpoint::{head_file, optimizer_file, restore_vars};
use crate::model::{Bert, Dropout};
use crate::optim::AdamW;
use crate::rng::SplitMix;
use crate::tokenize::NerTokenizer;
use crate::train::{candle_err, clip, masked_cross_entropy, Run, TrainConfig};
use candle_core::{Device, Module, Tensor, Var};
use candle_nn::Linear;
use voile_core::Error;

/// Windows of `window` tokens (`[CLS]` … `[SEP]`) over the concatenated texts.
fn windows(tok: &NerTokenizer, texts: &[String], window: usize) -> Result<Vec<Vec<u32>>, Error> {
    let body = window.saturating_sub(2).max(1);
    let mut stream = Vec::new();
    for t in texts {
        stream.extend(tok.encode(t)?.ids);
        stream.push(tok.sep_id);
    }
    Ok(stream
        .chunks(body)
        .filter(|c| c.len() >= 8)
        .map(|c| [&[tok.cls_id], c, &[tok.sep_id]].concat())
        .collect())
}

/// Mask one window: returns (input ids, targets with [`IGNORE`] where nothing is predicted).
fn mask_window(
    ids: &[u32],
    tok: &NerTokenizer,
    vocab: usize,
    prob: f32,
    rng: &mut SplitMix,
) -> (Vec<u32>, Vec<u32>) {
    let special = [tok.cls_id, tok.sep_id, tok.pad_id, tok.mask_id];
    let mut input = ids.to_vec();
    let mut target = vec![IGNORE; ids.len()];
    for (i, &id) in ids.iter().enumerate() {
        if special.contains(&id) || rng.unit() >= prob {
            continue;
        }
        target[i] = id;
        let r = rng.unit();
        if r < 0.8 {
            input[i] = tok.mask_id;
        } else if r < 0.9 {
            input[i] = rng.below(vocab) as u32;
        }
    }
    (input, target)
}

fn head(vocab: usize, hidden: usize, seed: u64) -> candle_core::Result<Vec<(String, Var)>> {
    let mut rng = SplitMix::new(seed ^ 0x5EED_0F4D);
    let w: Vec<f32> = (0..vocab * hidden).map(|_| rng.normal() * 0.02).collect();
    let w = Var::from_tensor(&Tensor::from_vec(w, (vocab, hidden), &Device::Cpu)?)?;
    let b = Var::zeros(vocab, candle_core::DType::F32, &Device::Cpu)?;
    Ok(vec![("mlm.bias".into(), b), ("mlm.weight".into(), w)])
}

pub(crate) fn dropout_seed(cfg: &TrainConfig) -> u64 {
    SplitMix::new(cfg.seed ^ 0x0D20_9017).state()
}

/// What a pretraining session did.
pub(crate) struct PretrainSession {
    /// All `pretrain_steps` are done.
    pub finished: bool,
    /// Loss of every step of this session.
    pub losses: Vec<f64>,
}

/// Masked-token steps on `texts` from `run.progress.pretrain_step` up to `cfg.pretrain_steps`,
/// updating the encoder variables of `run.varmap` in place (the classifier is left alone).
pub(crate) fn pretrain(
    run: &mut Run,
    model: &Bert,
    texts: &[String],
) -> Result<PretrainSession, Error> {
    let cfg = run.cfg;
    let vocab = cfg.model.vocab_size;
    let mut data = windows(run.tok, texts, cfg.window)?;
    let mut losses = Vec::new();
    if data.is_empty() {
        return Ok(PretrainSession {
            finished: true,
            losses,
        });
    }
    SplitMix::new(cfg.seed ^ 0x0ABC_DEF0).shuffle(&mut data);
    let head_vars = head(vocab, cfg.model.hidden_size, cfg.seed).map_err(candle_err)?;
    let mlm = Linear::new(
        head_vars[1].1.as_tensor().clone(),
        Some(head_vars[0].1.as_tensor().clone()),
    );
    let mut vars: Vec<(String, Var)> = crate::model::sorted_vars(run.varmap)
        .into_iter()
        .filter(|(n, _)| !n.starts_with("classifier."))
        .collect();
    vars.extend(head_vars.iter().cloned());
    let mut opt = AdamW::new(&vars, cfg.lr, cfg.weight_decay).map_err(candle_err)?;
    if let Some(dir) = run.resume_from.take() {
        restore_vars(&head_file(&dir), &head_vars)?;
        opt.load(&optimizer_file(&dir), run.progress.optimizer_steps)
            .map_err(candle_err)?;
    }
    let mut rng = SplitMix::from_state(run.progress.mask_rng);
    let mut dropout = Dropout {
        p: cfg.dropout,
        rng: SplitMix::from_state(run.progress.dropout_rng),
    };
    (run.log)(&format!(
        "pretraining: {} windows of {} tokens, masked-token steps {}..{}",
        data.len(),
        cfg.window,
        run.progress.pretrain_step,
        cfg.pretrain_steps
    ));
    while run.progress.pretrain_step < cfg.pretrain_steps {
        let step = run.progress.pretrain_step;
        let warm = ((step + 1) as f64 / cfg.warmup_steps.max(1) as f64).min(1.0);
        let decay = 1.0 - step as f64 / cfg.pretrain_steps as f64;
        opt.set_learning_rate(cfg.lr * warm * decay);
        let cursor = step * cfg.batch_size % data.len();
        let batch: Vec<&Vec<u32>> = (0..cfg.batch_size)
            .map(|i| &data[(cursor + i) % data.len()])
            .collect();
        let masked = Masked::new(&batch, run.tok, vocab, cfg.mask_prob, &mut rng);
        let loss = step_once(&masked, model, &mlm, &mut opt, &vars, cfg, &mut dropout)
            .map_err(candle_err)?;
        losses.push(loss as f64);
        let p = &mut run.progress;
        p.pretrain_step += 1;
        p.pretrain_loss_sum += loss as f64;
        p.mask_rng = rng.state();
        p.dropout_rng = dropout.rng.state();
        if cfg.log_every > 0 && p.pretrain_step.is_multiple_of(cfg.log_every) {
            let recent = &losses[losses.len().saturating_sub(cfg.log_every)..];
            let line = format!(
                "pretrain step {}/{} masked-token loss {:.4} elapsed {:.0}s",
                p.pretrain_step,
                cfg.pretrain_steps,
                recent.iter().sum::<f64>() / recent.len() as f64,
                run.session.total_seconds()
            );
            (run.log)(&line);
        }
        if run.after_step(&opt, &head_vars)? {
            return Ok(PretrainSession {
                finished: false,
                losses,
            });
        }
    }
    Ok(PretrainSession {
        finished: true,
        losses,
    })
}

/// A batch of masked windows, padded to its longest window.
struct Masked {
    ids: Vec<u32>,
    mask: Vec<u32>,
    targets: Vec<u32>,
    rows: usize,
    len: usize,
}

impl Masked {
    fn new(
        batch: &[&Vec<u32>],
        tok: &NerTokenizer,
        vocab: usize,
        prob: f32,
        rng: &mut SplitMix,
    ) -> Self {
        let len = batch.iter().map(|w| w.len()).max().unwrap_or(0);
        let mut m = Masked {
            ids: vec![tok.pad_id; batch.len() * len],
            mask: vec![0; batch.len() * len],
            targets: vec![IGNORE; batch.len() * len],
            rows: batch.len(),
            len,
        };
        for (row, w) in batch.iter().enumerate() {
            let (input, target) = mask_window(w, tok, vocab, prob, rng);
            let base = row * len;
            m.ids[base..base + w.len()].copy_from_slice(&input);
            m.targets[base..base + w.len()].copy_from_slice(&target);
            m.mask[base..base + w.len()].fill(1);
        }
        m
    }
}

/// One update. The vocabulary-wide head runs only at the masked positions (~15% of the
/// tokens): the rest would be thrown away by the loss, and the head costs more than the
/// encoder per position.
fn step_once(
    batch: &Masked,
    model: &Bert,
    mlm: &Linear,
    opt: &mut AdamW,
    vars: &[(String, Var)],
    cfg: &TrainConfig,
    dropout: &mut Dropout,
) -> candle_core::Result<f32> {
    let shape = (batch.rows, batch.len);
    let ids = Tensor::from_vec(batch.ids.clone(), shape, &Device::Cpu)?;
    let mask = Tensor::from_vec(batch.mask.clone(), shape, &Device::Cpu)?;
    let hidden = model.encode(&ids, &mask, Some(dropout))?;
    let (positions, targets): (Vec<u32>, Vec<u32>) = batch
        .targets
        .iter()
        .enumerate()
        .filter(|(_, &t)| t != IGNORE)
        .map(|(i, &t)| (i as u32, t))
        .unzip();
    if positions.is_empty() {
        return Ok(0.0);
    }
    let n = positions.len();
    let flat = hidden.reshape((batch.rows * batch.len, cfg.model.hidden_size))?;
    let picked = flat.index_select(&Tensor::from_vec(positions, n, &Device::Cpu)?, 0)?;
    let logits = mlm.forward(&picked)?;
    let loss = masked_cross_entropy(&logits, &targets, cfg.model.vocab_size)?;
    let mut grads = loss.backward()?;
    clip(&mut grads, vars, cfg.clip_norm)?;
    opt.step(&grads)?;
    loss.to_scalar::<f32>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{init_varmap, sorted_vars};
    use crate::tags::NUM_TAGS;
    use crate::tokenize::tests::{tiny_corpus, tiny_tokenizer};

    #[test]
    fn masking_follows_the_recipe_and_never_touches_specials() {
        let tok = tiny_tokenizer();
        let mut rng = SplitMix::new(3);
        let ids: Vec<u32> = std::iter::once(tok.cls_id)
            .chain((0..2000).map(|i| 5 + (i % 50) as u32))
            .chain(std::iter::once(tok.sep_id))
            .collect();
        let (input, target) = mask_window(&ids, &tok, 300, 0.15, &mut rng);
        assert_eq!((target[0], *target.last().unwrap()), (IGNORE, IGNORE));
        assert_eq!((input[0], *input.last().unwrap()), (tok.cls_id, tok.sep_id));
        let picked: Vec<usize> = (0..ids.len()).filter(|&i| target[i] != IGNORE).collect();
        let share = picked.len() as f64 / 2000.0;
        assert!((0.12..0.18).contains(&share), "masked share {share}");
        let masked = picked.iter().filter(|&&i| input[i] == tok.mask_id).count() as f64;
        assert!((0.7..0.9).contains(&(masked / picked.len() as f64)));
        assert!(picked.iter().all(|&i| target[i] == ids[i]));
    }

    #[test]
    fn pretraining_lowers_the_masked_token_loss_and_leaves_the_classifier_alone() {
        let tok = tiny_tokenizer();
        let texts: Vec<String> = tiny_corpus().iter().map(|t| t.to_string()).collect();
        let cfg = TrainConfig {
            lr: 3e-3,
            pretrain_steps: 80,
            mask_prob: 0.3,
            log_every: 0,
            ..crate::train::tests::tiny_config()
        };
        let vm = init_varmap(&cfg.model, NUM_TAGS, 1, false).unwrap();
        let before: Vec<(String, Vec<f32>)> = sorted_vars(&vm)
            .into_iter()
            .map(|(n, v)| (n, v.as_tensor().flatten_all().unwrap().to_vec1().unwrap()))
            .collect();
        let model = Bert::training(&vm, &cfg.model).unwrap();
        let control = crate::RunControl::default();
        let mut run = crate::train::tests::run_for(&cfg, &tok, &vm, &control);
        run.progress.mask_rng = SplitMix::new(5).state();
        let losses = pretrain(&mut run, &model, &texts).unwrap().losses;
        let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
        assert!(
            mean(&losses[losses.len() - 10..]) < mean(&losses[..10]) * 0.8,
            "loss did not fall: {:?}",
            losses
        );
        for ((name, old), (_, var)) in before.iter().zip(sorted_vars(&vm)) {
            let new: Vec<f32> = var.as_tensor().flatten_all().unwrap().to_vec1().unwrap();
            if name.starts_with("classifier.") {
                assert_eq!(&new, old, "{name} changed");
            } else if name.contains("word_embeddings")
                || name.contains("layer.0.attention.self.query.weight")
            {
                assert_ne!(&new, old, "{name} did not change");
            }
        }
    }
}
