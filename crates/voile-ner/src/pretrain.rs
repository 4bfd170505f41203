//! Optional self-supervised pretraining: masked-token prediction on unlabelled French clinical
//! text before fine-tuning, so the encoder learns the language of reports, not only the
//! templates of the synthetic corpus.
//!
//! BERT's recipe: `mask_prob` of the non-special tokens of each window are targets; of those,
//! 80% become `[MASK]`, 10% a random token, 10% stay. The prediction head (a linear layer to
//! the vocabulary) is trained alongside and thrown away; only the encoder is kept.

use crate::align::IGNORE;
use crate::model::{Bert, Dropout};
use crate::rng::SplitMix;
use crate::tokenize::NerTokenizer;
use crate::train::{candle_err, clip, masked_cross_entropy, TrainConfig};
use candle_core::{Device, Module, Tensor, Var};
use candle_nn::{AdamW, Linear, Optimizer, ParamsAdamW, VarMap};
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

fn head(vocab: usize, hidden: usize, seed: u64) -> candle_core::Result<(Linear, Vec<Var>)> {
    let mut rng = SplitMix::new(seed ^ 0x5EED_0F4D);
    let w: Vec<f32> = (0..vocab * hidden).map(|_| rng.normal() * 0.02).collect();
    let w = Var::from_tensor(&Tensor::from_vec(w, (vocab, hidden), &Device::Cpu)?)?;
    let b = Var::from_tensor(&Tensor::zeros(
        vocab,
        candle_core::DType::F32,
        &Device::Cpu,
    )?)?;
    let linear = Linear::new(w.as_tensor().clone(), Some(b.as_tensor().clone()));
    Ok((linear, vec![w, b]))
}

/// Run `cfg.pretrain_steps` masked-token steps on `texts`, updating the encoder variables of
/// `varmap` in place. Returns the loss of every step.
pub(crate) fn pretrain(
    cfg: &TrainConfig,
    tok: &NerTokenizer,
    varmap: &VarMap,
    model: &Bert,
    texts: &[String],
    log: &mut dyn FnMut(&str),
) -> Result<Vec<f64>, Error> {
    let vocab = cfg.model.vocab_size;
    let mut data = windows(tok, texts, cfg.window)?;
    if data.is_empty() {
        return Ok(Vec::new());
    }
    let mut rng = SplitMix::new(cfg.seed ^ 0x0ABC_DEF0);
    rng.shuffle(&mut data);
    let (mlm, head_vars) = head(vocab, cfg.model.hidden_size, cfg.seed).map_err(candle_err)?;
    let mut vars: Vec<(String, Var)> = crate::model::sorted_vars(varmap)
        .into_iter()
        .filter(|(n, _)| !n.starts_with("classifier."))
        .collect();
    vars.push(("mlm.weight".into(), head_vars[0].clone()));
    vars.push(("mlm.bias".into(), head_vars[1].clone()));
    let params = ParamsAdamW {
        lr: cfg.lr,
        weight_decay: cfg.weight_decay,
        ..Default::default()
    };
    let mut opt =
        AdamW::new(vars.iter().map(|(_, v)| v.clone()).collect(), params).map_err(candle_err)?;
    let mut dropout = Dropout {
        p: cfg.dropout,
        rng: SplitMix::new(cfg.seed ^ 0x0D20_9017),
    };
    log(&format!(
        "pretraining: {} windows of {} tokens, {} masked-token steps",
        data.len(),
        cfg.window,
        cfg.pretrain_steps
    ));
    let mut losses = Vec::with_capacity(cfg.pretrain_steps);
    let mut cursor = 0;
    for step in 0..cfg.pretrain_steps {
        let warm = ((step + 1) as f64 / cfg.warmup_steps.max(1) as f64).min(1.0);
        let decay = 1.0 - step as f64 / cfg.pretrain_steps as f64;
        opt.set_learning_rate(cfg.lr * warm * decay);
        let batch: Vec<&Vec<u32>> = (0..cfg.batch_size)
            .map(|i| &data[(cursor + i) % data.len()])
            .collect();
        cursor = (cursor + cfg.batch_size) % data.len();
        let loss = step_once(
            &batch,
            tok,
            vocab,
            cfg,
            model,
            &mlm,
            &mut opt,
            &vars,
            &mut dropout,
            &mut rng,
        )
        .map_err(candle_err)?;
        losses.push(loss as f64);
        if cfg.log_every > 0 && (step + 1) % cfg.log_every == 0 {
            let recent = &losses[losses.len().saturating_sub(cfg.log_every)..];
            log(&format!(
                "pretrain step {}/{} masked-token loss {:.4}",
                step + 1,
                cfg.pretrain_steps,
                recent.iter().sum::<f64>() / recent.len() as f64
            ));
        }
    }
    Ok(losses)
}

#[allow(clippy::too_many_arguments)]
fn step_once(
    batch: &[&Vec<u32>],
    tok: &NerTokenizer,
    vocab: usize,
    cfg: &TrainConfig,
    model: &Bert,
    mlm: &Linear,
    opt: &mut AdamW,
    vars: &[(String, Var)],
    dropout: &mut Dropout,
    rng: &mut SplitMix,
) -> candle_core::Result<f32> {
    let len = batch.iter().map(|w| w.len()).max().unwrap_or(0);
    let mut ids = vec![tok.pad_id; batch.len() * len];
    let mut mask = vec![0u32; batch.len() * len];
    let mut targets = vec![IGNORE; batch.len() * len];
    for (row, w) in batch.iter().enumerate() {
        let (input, target) = mask_window(w, tok, vocab, cfg.mask_prob, rng);
        let base = row * len;
        ids[base..base + w.len()].copy_from_slice(&input);
        targets[base..base + w.len()].copy_from_slice(&target);
        mask[base..base + w.len()].fill(1);
    }
    let ids = Tensor::from_vec(ids, (batch.len(), len), &Device::Cpu)?;
    let mask = Tensor::from_vec(mask, (batch.len(), len), &Device::Cpu)?;
    let hidden = model.encode(&ids, &mask, Some(dropout))?;
    let logits = mlm.forward(&hidden)?;
    let loss = masked_cross_entropy(&logits, &targets, vocab)?;
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
        let losses = pretrain(&cfg, &tok, &vm, &model, &texts, &mut |_| {}).unwrap();
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
