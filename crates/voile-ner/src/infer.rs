//! The shipped model as a detector: load `models/`, run sliding windows over any length of
//! text, decode word-level BIO tags into byte spans.

use crate::align::{decode_words, words_from_tokens};
use crate::calibrate::Calibration;
use crate::model::{Bert, HfConfig, TokenClassifier};
use crate::tags::TagSet;
use crate::tokenize::{NerTokenizer, Tokens};
use crate::windows::{plan, Window};
use candle_core::{Device, Tensor};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use voile_core::{Detector, Error, ErrorKind, Span};

/// Detector settings. `0` in `window`, `stride` or `batch_size` means "the default".
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct NerConfig {
    /// Directory holding `model.safetensors`, `config.json`, `tokenizer.json`, `labels.json`.
    pub model_dir: Option<PathBuf>,
    /// Spans whose mean word probability is below this are dropped (default 0.5, the best
    /// strict F1 on synthetic dev for the shipped model).
    pub min_score: f32,
    /// Tokens per window including `[CLS]`/`[SEP]`; at most the model's position count
    /// (`0`, the default, = the model's position count).
    pub window: usize,
    /// Tokens shared by consecutive windows (each token is decoded from the window where it
    /// is farthest from an edge); `0` = an eighth of the window.
    pub stride: usize,
    /// Windows per forward pass (windows are grouped by length).
    pub batch_size: usize,
    /// Map span scores through the model directory's `calibration.json` when it has one
    /// (`min_score` then applies to calibrated scores).
    pub calibrated: bool,
}

impl Default for NerConfig {
    fn default() -> Self {
        NerConfig {
            model_dir: None,
            min_score: 0.5,
            window: 0,
            stride: 0,
            batch_size: 16,
            calibrated: true,
        }
    }
}

/// Text is encoded in chunks of at most this many bytes, cut at line breaks, which bounds
/// tokenizer memory on huge documents without ever cutting a span (spans never cross lines).
const CHUNK_BYTES: usize = 32 * 1024;

/// Window settings after defaults and model limits are applied.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RunSettings {
    pub body: usize,
    pub overlap: usize,
    pub batch: usize,
    pub min_score: f32,
}

impl RunSettings {
    pub fn new(cfg: &NerConfig, max_positions: usize) -> Result<Self, Error> {
        let window = if cfg.window == 0 {
            max_positions
        } else {
            cfg.window
        };
        if window > max_positions || window < 8 {
            return Err(Error::new(ErrorKind::Config(format!(
                "ner.window {window} must be between 8 and the model's {max_positions} positions"
            ))));
        }
        let body = window - 2;
        let overlap = if cfg.stride == 0 {
            body / 8
        } else {
            cfg.stride
        };
        if overlap >= body {
            return Err(Error::new(ErrorKind::Config(format!(
                "ner.stride {overlap} must be below window - 2 = {body}"
            ))));
        }
        if !(0.0..=1.0).contains(&cfg.min_score) {
            return Err(Error::new(ErrorKind::Config(
                "ner.min_score must be in [0, 1]".into(),
            )));
        }
        Ok(RunSettings {
            body,
            overlap,
            batch: cfg.batch_size.max(1),
            min_score: cfg.min_score,
        })
    }
}

/// The NER detector (name `"ner"`). Immutable after loading, `Send + Sync`.
pub struct NerModel {
    model: Bert,
    tokenizer: NerTokenizer,
    tags: TagSet,
    settings: RunSettings,
    config: NerConfig,
    calibration: Option<Calibration>,
}

fn resource(path: &Path, msg: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Resource(format!("{}: {msg}", path.display())))
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| resource(path, format!("cannot read ({e})")))
}

impl NerModel {
    /// Load the model in `dir` with default settings.
    pub fn load(dir: &Path) -> Result<NerModel, Error> {
        Self::load_with(
            dir,
            &NerConfig {
                model_dir: Some(dir.to_path_buf()),
                ..NerConfig::default()
            },
        )
    }

    /// Load the model named by `config.model_dir`.
    pub fn from_config(config: &NerConfig) -> Result<NerModel, Error> {
        let dir = config
            .model_dir
            .clone()
            .ok_or_else(|| Error::new(ErrorKind::Config("ner.model_dir is not set".into())))?;
        Self::load_with(&dir, config)
    }

    /// Load the model in `dir` with `config`'s settings (its `model_dir` is ignored).
    pub fn load_with(dir: &Path, config: &NerConfig) -> Result<NerModel, Error> {
        if !dir.is_dir() {
            return Err(resource(dir, "model directory not found"));
        }
        let config_path = dir.join("config.json");
        let hf: HfConfig = serde_json::from_slice(&read(&config_path)?).map_err(|e| {
            resource(
                &config_path,
                format!("not a BERT token-classification config ({e})"),
            )
        })?;
        hf.check_activation()
            .map_err(|m| resource(&config_path, m))?;
        let labels_path = dir.join("labels.json");
        let labels_text = String::from_utf8(read(&labels_path)?)
            .map_err(|_| resource(&labels_path, "not UTF-8"))?;
        let tags = TagSet::from_json(&labels_text, &labels_path)?;
        if tags.len() != hf.num_labels {
            return Err(resource(
                &labels_path,
                format!("{} tags but config.json says {}", tags.len(), hf.num_labels),
            ));
        }
        let tokenizer = NerTokenizer::load(&dir.join("tokenizer.json"))?;
        if tokenizer.vocab_size() > hf.shape.vocab_size {
            return Err(resource(
                &dir.join("tokenizer.json"),
                "vocabulary larger than the model's",
            ));
        }
        let weights_path = dir.join("model.safetensors");
        let model =
            Bert::inference_from_safetensors(&read(&weights_path)?, &hf.shape, hf.num_labels)
                .map_err(|e| {
                    resource(
                        &weights_path,
                        format!("corrupt or not matching config.json ({e})"),
                    )
                })?;
        let settings = RunSettings::new(config, hf.shape.max_position_embeddings)?;
        let calibration = if config.calibrated {
            Calibration::load(dir)?
        } else {
            None
        };
        Ok(NerModel {
            model,
            tokenizer,
            tags,
            settings,
            config: config.clone(),
            calibration,
        })
    }

    pub fn config(&self) -> &NerConfig {
        &self.config
    }

    pub fn tokenizer(&self) -> &NerTokenizer {
        &self.tokenizer
    }

    /// The score calibration in use, if the model directory has one and it is enabled.
    pub fn calibration(&self) -> Option<&Calibration> {
        self.calibration.as_ref()
    }

    /// Spans found in `text` (byte offsets), in text order.
    pub fn try_detect(&self, text: &str) -> Result<Vec<Span>, Error> {
        let mut out = Vec::new();
        predict(
            &self.model,
            &self.tokenizer,
            &self.tags,
            &self.settings,
            self.calibration.as_ref(),
            text,
            &mut out,
        )?;
        Ok(out)
    }
}

impl Detector for NerModel {
    fn name(&self) -> &str {
        "ner"
    }

    /// Panics only if candle fails on well-formed CPU tensors (a bug, not an input problem);
    /// the message carries no document text.
    fn detect(&self, text: &str, out: &mut Vec<Span>) {
        if let Err(e) = predict(
            &self.model,
            &self.tokenizer,
            &self.tags,
            &self.settings,
            self.calibration.as_ref(),
            text,
            out,
        ) {
            panic!("ner inference failed: {e}");
        }
    }
}

/// Byte ranges of chunks of at most [`CHUNK_BYTES`], cut after a line break when possible,
/// else after whitespace, else at a char boundary.
fn chunks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + CHUNK_BYTES).min(text.len());
        if end < text.len() {
            let slice = &text.as_bytes()[start..end];
            let cut = slice
                .iter()
                .rposition(|&b| b == b'\n')
                .or_else(|| slice.iter().rposition(|b| b.is_ascii_whitespace()))
                .map(|i| start + i + 1);
            end = cut.unwrap_or(end);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
        }
        out.push((start, end));
        start = end;
    }
    out
}

struct Job {
    chunk: usize,
    window: Window,
}

/// Chunks encoded and classified together: batches stay full on ordinary documents, while a
/// huge document streams through in groups (memory bounded by a group, not the document).
const GROUP_CHUNKS: usize = 16;

/// Full prediction: chunk, then encode, window, batch, classify, stitch and decode one group
/// of chunks at a time.
pub(crate) fn predict<C: TokenClassifier>(
    model: &C,
    tokenizer: &NerTokenizer,
    tags: &TagSet,
    settings: &RunSettings,
    calibration: Option<&Calibration>,
    text: &str,
    out: &mut Vec<Span>,
) -> Result<(), Error> {
    // With a calibration, spans are decoded at any raw score and kept on their calibrated one.
    let decode_min = if calibration.is_some() {
        0.0
    } else {
        settings.min_score
    };
    for group in chunks(text).chunks(GROUP_CHUNKS) {
        let first = out.len();
        predict_group(
            model, tokenizer, tags, settings, decode_min, text, group, out,
        )?;
        if let Some(cal) = calibration {
            calibrate_tail(out, first, cal, settings.min_score);
        }
    }
    Ok(())
}

/// Calibrate the scores of `out[first..]` and drop those below `min_score`.
fn calibrate_tail(out: &mut Vec<Span>, first: usize, cal: &Calibration, min_score: f32) {
    let mut kept = first;
    for i in first..out.len() {
        let score = cal.apply(out[i].label, out[i].score);
        if score >= min_score {
            out.swap(kept, i);
            out[kept].score = score;
            kept += 1;
        }
    }
    out.truncate(kept);
}

#[allow(clippy::too_many_arguments)]
fn predict_group<C: TokenClassifier>(
    model: &C,
    tokenizer: &NerTokenizer,
    tags: &TagSet,
    settings: &RunSettings,
    decode_min: f32,
    text: &str,
    ranges: &[(usize, usize)],
    out: &mut Vec<Span>,
) -> Result<(), Error> {
    let encoded: Vec<Tokens> = ranges
        .iter()
        .map(|&(s, e)| tokenizer.encode(&text[s..e]))
        .collect::<Result<_, _>>()?;
    let mut jobs: Vec<Job> = Vec::new();
    for (chunk, tokens) in encoded.iter().enumerate() {
        for window in plan(tokens.len(), settings.body, settings.overlap) {
            jobs.push(Job { chunk, window });
        }
    }
    // Group windows of similar length so padding stays small; stable sort keeps order deterministic.
    jobs.sort_by_key(|j| std::cmp::Reverse(j.window.tokens.len()));
    let mut preds: Vec<Vec<(usize, f32)>> =
        encoded.iter().map(|t| vec![(0, 0.0); t.len()]).collect();
    for batch in jobs.chunks(settings.batch) {
        classify_batch(model, tokenizer, &encoded, batch, &mut preds).map_err(|e| {
            Error::new(ErrorKind::Resource(format!("ner forward pass failed: {e}")))
        })?;
    }
    for (((s, e), tokens), preds) in ranges.iter().zip(&encoded).zip(&preds) {
        let words = words_from_tokens(&tokens.offsets, &tokens.words, preds);
        let first = out.len();
        decode_words(&text[*s..*e], &words, tags, decode_min, out);
        for span in &mut out[first..] {
            span.start += s;
            span.end += s;
        }
    }
    Ok(())
}

fn classify_batch<C: TokenClassifier>(
    model: &C,
    tokenizer: &NerTokenizer,
    encoded: &[Tokens],
    batch: &[Job],
    preds: &mut [Vec<(usize, f32)>],
) -> candle_core::Result<()> {
    let len = batch
        .iter()
        .map(|j| j.window.tokens.len())
        .max()
        .unwrap_or(0)
        + 2;
    let mut ids = vec![tokenizer.pad_id; batch.len() * len];
    let mut mask = vec![0u32; batch.len() * len];
    for (row, job) in batch.iter().enumerate() {
        let toks = &encoded[job.chunk].ids[job.window.tokens.clone()];
        let base = row * len;
        ids[base] = tokenizer.cls_id;
        ids[base + 1..base + 1 + toks.len()].copy_from_slice(toks);
        ids[base + 1 + toks.len()] = tokenizer.sep_id;
        mask[base..base + toks.len() + 2].fill(1);
    }
    let ids = Tensor::from_vec(ids, (batch.len(), len), &Device::Cpu)?;
    let mask = Tensor::from_vec(mask, (batch.len(), len), &Device::Cpu)?;
    let logits = model.logits(&ids, &mask)?;
    let tags = logits.dim(2)?;
    let flat: Vec<f32> = logits.flatten_all()?.to_vec1()?;
    for (row, job) in batch.iter().enumerate() {
        for tok in job.window.owned.clone() {
            let pos = 1 + tok - job.window.tokens.start;
            let row_logits = &flat[(row * len + pos) * tags..(row * len + pos + 1) * tags];
            preds[job.chunk][tok] = argmax_prob(row_logits);
        }
    }
    Ok(())
}

/// Index of the largest logit and its softmax probability.
fn argmax_prob(logits: &[f32]) -> (usize, f32) {
    let (best, max) = logits
        .iter()
        .enumerate()
        .fold(
            (0, f32::NEG_INFINITY),
            |acc, (i, &v)| if v > acc.1 { (i, v) } else { acc },
        );
    let denom: f32 = logits.iter().map(|&v| (v - max).exp()).sum();
    (best, 1.0 / denom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::{begin_id, inside_id};
    use voile_core::Label;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn model_is_send_and_sync_and_config_round_trips() {
        assert_send_sync::<NerModel>();
        let cfg = NerConfig {
            model_dir: Some("m".into()),
            min_score: 0.4,
            ..Default::default()
        };
        let back: NerConfig = serde_json::from_str(&serde_json::to_string(&cfg).unwrap()).unwrap();
        assert_eq!(back, cfg);
        let partial: NerConfig = serde_json::from_str(r#"{"min_score": 0.2}"#).unwrap();
        assert_eq!((partial.window, partial.min_score), (0, 0.2));
        assert_eq!(RunSettings::new(&partial, 256).unwrap().body, 254);
        assert!(RunSettings::new(
            &NerConfig {
                window: 512,
                ..Default::default()
            },
            256
        )
        .is_err());
        assert!(RunSettings::new(
            &NerConfig {
                stride: 300,
                ..Default::default()
            },
            256
        )
        .is_err());
    }

    #[test]
    fn missing_or_incomplete_model_dir_is_a_resource_error_naming_the_file() {
        let err = NerModel::load(Path::new("/nonexistent/voile-model"))
            .err()
            .unwrap();
        assert!(
            matches!(err.kind, ErrorKind::Resource(ref m) if m.contains("/nonexistent/voile-model"))
        );
        let dir = std::env::temp_dir().join(format!("voile-ner-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = NerModel::load(&dir).err().unwrap();
        assert!(
            matches!(err.kind, ErrorKind::Resource(ref m) if m.contains("config.json")),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).ok();
        let err = NerModel::from_config(&NerConfig::default()).err().unwrap();
        assert!(matches!(err.kind, ErrorKind::Config(_)));
    }

    #[test]
    fn chunks_cover_text_and_cut_after_line_breaks() {
        let line = "Le patient Élise va bien.\n";
        let text = line.repeat(5000);
        let cs = chunks(&text);
        assert!(cs.len() > 1);
        let mut next = 0;
        for &(s, e) in &cs {
            assert_eq!(s, next);
            assert!(e - s <= CHUNK_BYTES);
            assert!(e == text.len() || text.as_bytes()[e - 1] == b'\n');
            next = e;
        }
        assert_eq!(next, text.len());
    }

    /// A fake classifier tagging every `Zorglub` word-piece as a name, to test windowing
    /// and stitching independently of a trained model.
    struct Oracle {
        target: Vec<u32>,
        tags: usize,
    }

    impl TokenClassifier for Oracle {
        fn logits(&self, ids: &Tensor, _mask: &Tensor) -> candle_core::Result<Tensor> {
            let (b, l) = ids.dims2()?;
            let ids: Vec<u32> = ids.flatten_all()?.to_vec1()?;
            let mut out = vec![0f32; b * l * self.tags];
            for (i, id) in ids.iter().enumerate() {
                let tag = match self.target.iter().position(|t| t == id) {
                    Some(0) => begin_id(Label::Nom),
                    Some(_) => inside_id(Label::Nom),
                    None => 0,
                };
                out[i * self.tags + tag as usize] = 10.0;
            }
            Tensor::from_vec(out, (b, l, self.tags), &Device::Cpu)
        }
    }

    #[test]
    fn long_document_is_windowed_without_truncation() {
        let tok = crate::tokenize::tests::tiny_tokenizer();
        let target = tok.encode("Zorglub").unwrap().ids;
        let oracle = Oracle {
            target,
            tags: crate::tags::NUM_TAGS,
        };
        let filler = "Le patient a été vu par le médecin à Nantes le 12/03/2021.\n".repeat(200);
        let text = format!("{filler}Vu par le Dr Zorglub ce jour.\n");
        let settings = RunSettings::new(
            &NerConfig {
                window: 64,
                stride: 8,
                batch_size: 4,
                ..Default::default()
            },
            64,
        )
        .unwrap();
        assert!(tok.encode(&text).unwrap().len() > 3000);
        let mut out = Vec::new();
        predict(
            &oracle,
            &tok,
            &TagSet::standard(),
            &settings,
            None,
            &text,
            &mut out,
        )
        .unwrap();
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].surface(&text), "Zorglub");
        assert_eq!(out[0].label, Label::Nom);
        assert!(out[0].score > 0.99);
    }

    #[test]
    fn calibration_rescores_spans_and_min_score_applies_to_calibrated_scores() {
        let tok = crate::tokenize::tests::tiny_tokenizer();
        let oracle = Oracle {
            target: tok.encode("Zorglub").unwrap().ids,
            tags: crate::tags::NUM_TAGS,
        };
        let text = "Vu par le Dr Zorglub puis par le Dr Zorglub.\n";
        let settings = RunSettings::new(&NerConfig::default(), 64).unwrap();
        let run = |knots: Vec<[f32; 2]>| {
            let cal = Calibration {
                fitted_on: String::new(),
                labels: [(Label::Nom, knots)].into_iter().collect(),
            };
            let mut out = vec![Span::new(0, 2, Label::Ville, "other", 1.0)];
            predict(
                &oracle,
                &tok,
                &TagSet::standard(),
                &settings,
                Some(&cal),
                text,
                &mut out,
            )
            .unwrap();
            out
        };
        let kept = run(vec![[0.0, 0.0], [1.0, 0.7]]);
        assert_eq!(kept.len(), 3, "{kept:?}");
        assert_eq!(kept[0].label, Label::Ville, "earlier spans are left alone");
        assert!(kept[1..].iter().all(|s| (s.score - 0.7).abs() < 0.01));
        let dropped = run(vec![[0.0, 0.0], [1.0, 0.3]]);
        assert_eq!(
            dropped.len(),
            1,
            "below min_score 0.5 once calibrated: {dropped:?}"
        );
    }
}
