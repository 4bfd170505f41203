//! The cased French WordPiece tokenizer: training, loading and offset-preserving encoding.
//!
//! Pipeline: NFC + BERT cleaning (no lower-casing, accents kept) → split on whitespace and
//! punctuation (BERT rules) → digit runs cut into groups of at most two digits (so dates,
//! phone numbers and identifiers tokenize uniformly instead of into rare whole-number
//! pieces) → WordPiece with `##` continuations. Special tokens are added by the model code,
//! not by the tokenizer, so encodings contain only text tokens.

use std::path::Path;
use tokenizers::models::wordpiece::{WordPiece, WordPieceTrainerBuilder};
use tokenizers::models::TrainerWrapper;
use tokenizers::normalizers::{BertNormalizer, Sequence as NormSequence, NFC};
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::pre_tokenizers::sequence::Sequence as PreSequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{AddedToken, SplitDelimiterBehavior, Tokenizer};
use voile_core::{Error, ErrorKind};

pub const PAD: &str = "[PAD]";
pub const UNK: &str = "[UNK]";
pub const CLS: &str = "[CLS]";
pub const SEP: &str = "[SEP]";
pub const MASK: &str = "[MASK]";

/// Text tokens of one text: ids, byte offsets into that text, and pre-token (word) index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tokens {
    pub ids: Vec<u32>,
    pub offsets: Vec<(usize, usize)>,
    pub words: Vec<u32>,
}

impl Tokens {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// A loaded tokenizer plus the ids of its special tokens.
#[derive(Clone, Debug)]
pub struct NerTokenizer {
    inner: Tokenizer,
    pub pad_id: u32,
    pub cls_id: u32,
    pub sep_id: u32,
    pub mask_id: u32,
}

fn untrained() -> Result<Tokenizer, Error> {
    let model = WordPiece::builder()
        .unk_token(UNK.to_string())
        .continuing_subword_prefix("##".to_string())
        .max_input_chars_per_word(100)
        .build()
        .map_err(|e| resource("tokenizer", &e.to_string()))?;
    let mut tok = Tokenizer::new(model);
    let bert_norm = BertNormalizer::new(true, false, Some(false), false);
    tok.with_normalizer(Some(NormSequence::new(vec![NFC.into(), bert_norm.into()])))
        .map_err(|e| resource("tokenizer", &e.to_string()))?;
    let digits = Split::new(
        SplitPattern::Regex(r"\p{Nd}{1,2}".into()),
        SplitDelimiterBehavior::Isolated,
        false,
    )
    .map_err(|e| resource("tokenizer", &e.to_string()))?;
    tok.with_pre_tokenizer(Some(PreSequence::new(vec![
        BertPreTokenizer.into(),
        digits.into(),
    ])));
    Ok(tok)
}

fn resource(file: &str, msg: &str) -> Error {
    Error::new(ErrorKind::Resource(format!("{file}: {msg}")))
}

impl NerTokenizer {
    /// Train a WordPiece vocabulary of `vocab_size` entries on `texts`.
    pub fn train<I, S>(texts: I, vocab_size: usize) -> Result<Self, Error>
    where
        I: Iterator<Item = S> + Send,
        S: AsRef<str> + Send,
    {
        let mut tok = untrained()?;
        let specials = [PAD, UNK, CLS, SEP, MASK]
            .iter()
            .map(|s| AddedToken::from(s.to_string(), true))
            .collect();
        let trainer = WordPieceTrainerBuilder::new()
            .vocab_size(vocab_size)
            .min_frequency(2)
            .show_progress(false)
            .special_tokens(specials)
            .continuing_subword_prefix("##".to_string())
            .build();
        let mut trainer = TrainerWrapper::WordPieceTrainer(trainer);
        tok.train(&mut trainer, texts)
            .map_err(|e| resource("tokenizer training", &e.to_string()))?;
        Self::wrap(tok, "tokenizer")
    }

    /// Load `tokenizer.json`; a missing or corrupt file is a `Resource` error naming it.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let name = path.display().to_string();
        if !path.is_file() {
            return Err(resource(&name, "file not found"));
        }
        let tok = Tokenizer::from_file(path)
            .map_err(|e| resource(&name, &format!("corrupt tokenizer ({e})")))?;
        Self::wrap(tok, &name)
    }

    fn wrap(inner: Tokenizer, name: &str) -> Result<Self, Error> {
        let id = |t: &str| {
            inner.token_to_id(t).ok_or_else(|| {
                resource(
                    name,
                    &format!("special token {t} missing from the vocabulary"),
                )
            })
        };
        Ok(NerTokenizer {
            pad_id: id(PAD)?,
            cls_id: id(CLS)?,
            sep_id: id(SEP)?,
            mask_id: id(MASK)?,
            inner,
        })
    }

    pub fn save(&self, path: &Path) -> Result<(), Error> {
        self.inner
            .save(path, true)
            .map_err(|e| Error::new(ErrorKind::Io(format!("{}: {e}", path.display()))))
    }

    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }

    /// Encode `text` without special tokens; offsets are byte offsets into `text`.
    pub fn encode(&self, text: &str) -> Result<Tokens, Error> {
        let enc = self
            .inner
            .encode(text, false)
            .map_err(|e| Error::new(ErrorKind::Resource(format!("tokenizer failed: {e}"))))?;
        let words = enc
            .get_word_ids()
            .iter()
            .enumerate()
            .map(|(i, w)| w.unwrap_or(i as u32))
            .collect();
        Ok(Tokens {
            ids: enc.get_ids().to_vec(),
            offsets: enc.get_offsets().to_vec(),
            words,
        })
    }

    /// Token strings (for tests and debugging).
    pub fn id_to_token(&self, id: u32) -> Option<String> {
        self.inner.id_to_token(id)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn tiny_corpus() -> Vec<String> {
        let base = [
            "Le patient a été vu par le Dr Jean Dupont à Nantes le 12/03/2021.",
            "Mme Élise LEFÈVRE, née le 04/05/1957, demeurant 12 rue des Lilas 44000 Nantes.",
            "Compte rendu d’hospitalisation : IPP 123456, tél. 06 12 34 56 78, mail a.b@chu-nantes.fr",
            "Patiente de 45 ans adressée par le Pr Hélène Martin au CHU de Bordeaux pour dyspnée.",
            "L'échographie cardiaque retrouve une fraction d'éjection à 55 %. Œdème des membres.",
        ];
        (0..40)
            .flat_map(|_| base.iter().map(|s| s.to_string()))
            .collect()
    }

    pub(crate) fn tiny_tokenizer() -> NerTokenizer {
        NerTokenizer::train(tiny_corpus().into_iter(), 300).unwrap()
    }

    #[test]
    fn offsets_are_byte_offsets_with_accents_and_digits_are_grouped() {
        let tok = tiny_tokenizer();
        let text = "Élise LEFÈVRE née le 04/05/1957 à Nîmes, tél. 0612345";
        let t = tok.encode(text).unwrap();
        assert!(!t.is_empty());
        let surfaces: Vec<&str> = t.offsets.iter().map(|&(s, e)| &text[s..e]).collect();
        assert!(
            surfaces.contains(&"19") && surfaces.contains(&"57"),
            "{surfaces:?}"
        );
        // Every token surface comes from the text at its byte offsets, in order.
        let mut last = 0;
        for &(s, e) in &t.offsets {
            assert!(s >= last && s < e && text.is_char_boundary(s) && text.is_char_boundary(e));
            last = s;
        }
        let first_word: String = t
            .offsets
            .iter()
            .zip(&t.words)
            .filter(|(_, &w)| w == t.words[0])
            .map(|(&(s, e), _)| &text[s..e])
            .collect();
        assert_eq!(first_word, "Élise");
        assert!(t.words.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn save_load_round_trip_and_missing_file_error() {
        let tok = tiny_tokenizer();
        let dir = std::env::temp_dir().join(format!("voile-ner-tok-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tokenizer.json");
        tok.save(&path).unwrap();
        let back = NerTokenizer::load(&path).unwrap();
        let text = "Dr Jean Dupont, Nantes";
        assert_eq!(back.encode(text).unwrap(), tok.encode(text).unwrap());
        let err = NerTokenizer::load(&dir.join("absent.json")).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::Resource(ref m) if m.contains("absent.json")));
        std::fs::write(dir.join("bad.json"), "{").unwrap();
        assert!(NerTokenizer::load(&dir.join("bad.json")).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}
