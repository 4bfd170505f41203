//! voile-ner: the small BERT-style token-classification model — tokenizer and model
//! training with candle, shipping (`models/`), and fast CPU inference as a [`voile_core::Detector`].
//!
//! This is the only voile crate that depends on candle and tokenizers.

mod align;
mod calibrate;
mod checkpoint;
mod infer;
mod kernels;
mod model;
mod optim;
mod pretrain;
mod rng;
mod tags;
mod tokenize;
mod train;
mod windows;

pub use align::{decode_words, gold_round_trip, token_tags, words_from_tokens, WordPred};
pub use calibrate::Calibration;
pub use checkpoint::{checkpoint_tokenizer, Phase, Progress, RunControl};
pub use infer::{NerConfig, NerModel};
pub use model::{BertShape, HfConfig};
pub use tags::{Tag, TagSet, NUM_TAGS};
pub use tokenize::{NerTokenizer, Tokens};
pub use train::{strict_scores, train, Outcome, Scores, TrainConfig, TrainReport};
pub use windows::{plan as plan_windows, Window};
