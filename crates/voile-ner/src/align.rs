//! Gold byte spans → per-token BIO tag ids (training), and per-word predictions → byte spans
//! (inference).
//!
//! Labelling choice: every sub-token is trained. The first token overlapping a span gets
//! `B-X`, every following token overlapping it (continuation sub-tokens included) gets `I-X`.
//! Decoding is word-level: a word (pre-token: alphanumeric run, digit group or punctuation
//! mark) takes the tag of its first sub-token and always covers its full byte range, so
//! predicted spans end on word boundaries.

use crate::tags::{begin_id, inside_id, Tag, TagSet};
use voile_core::{Label, Span};

/// Ignored positions in the loss (special tokens and padding).
pub const IGNORE: u32 = u32::MAX;

/// Tag id of each token given gold spans (byte offsets, any order, non-overlapping).
pub fn token_tags(offsets: &[(usize, usize)], spans: &[Span]) -> Vec<u32> {
    let mut spans: Vec<&Span> = spans.iter().collect();
    spans.sort_by_key(|s| (s.start, s.end));
    let mut tags = vec![0u32; offsets.len()];
    let mut next = 0;
    let mut begun: Option<usize> = None;
    for (tag, &(ts, te)) in tags.iter_mut().zip(offsets) {
        while next < spans.len() && spans[next].end <= ts {
            next += 1;
        }
        let Some(span) = spans.get(next) else {
            continue;
        };
        if span.start < te && ts < span.end {
            *tag = if begun == Some(next) {
                inside_id(span.label)
            } else {
                begun = Some(next);
                begin_id(span.label)
            };
        }
    }
    tags
}

/// One word's prediction: byte range, chosen tag index, its probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordPred {
    pub start: usize,
    pub end: usize,
    pub tag: usize,
    pub prob: f32,
}

/// Group token predictions into words (consecutive tokens with the same word index); the
/// first sub-token's prediction stands for the word.
pub fn words_from_tokens(
    offsets: &[(usize, usize)],
    words: &[u32],
    preds: &[(usize, f32)],
) -> Vec<WordPred> {
    let mut out: Vec<WordPred> = Vec::new();
    let mut last_word = None;
    for ((&(s, e), &w), &(tag, prob)) in offsets.iter().zip(words).zip(preds) {
        match out.last_mut() {
            Some(cur) if last_word == Some(w) => cur.end = cur.end.max(e),
            _ => out.push(WordPred {
                start: s,
                end: e,
                tag,
                prob,
            }),
        }
        last_word = Some(w);
    }
    out
}

/// Gold spans as the model can at best express them: encoded to token tags, then decoded
/// like predictions. Comparing with the gold spans measures the tokenization ceiling.
pub fn gold_round_trip(
    tok: &crate::NerTokenizer,
    text: &str,
    spans: &[Span],
) -> Result<Vec<Span>, voile_core::Error> {
    let t = tok.encode(text)?;
    let preds: Vec<(usize, f32)> = token_tags(&t.offsets, spans)
        .into_iter()
        .map(|i| (i as usize, 1.0))
        .collect();
    let words = words_from_tokens(&t.offsets, &t.words, &preds);
    let mut out = Vec::new();
    decode_words(text, &words, &TagSet::standard(), 0.0, &mut out);
    Ok(out)
}

/// A span being built: byte range, probability sum and per-label vote weights.
struct Open {
    start: usize,
    end: usize,
    sum: f32,
    words: usize,
    votes: [f32; 14],
}

impl Open {
    fn new(w: &WordPred, label: Label) -> Self {
        let mut o = Open {
            start: w.start,
            end: w.end,
            sum: 0.0,
            words: 0,
            votes: [0.0; 14],
        };
        o.add(w, label);
        o
    }

    fn add(&mut self, w: &WordPred, label: Label) {
        self.end = w.end;
        self.sum += w.prob;
        self.words += 1;
        self.votes[label_slot(label)] += w.prob;
    }

    /// The label with the largest probability mass (ties: earliest in `Label::ALL`).
    fn label(&self) -> Label {
        let best = (0..14).fold(0, |b, i| if self.votes[i] > self.votes[b] { i } else { b });
        Label::ALL[best]
    }
}

fn label_slot(label: Label) -> usize {
    Label::ALL
        .iter()
        .position(|l| *l == label)
        .expect("label in ALL")
}

/// BIO decoding over words. `I-X` continues an open `X` span, otherwise starts one (lenient).
/// A tagged word glued to the open span (no byte between them, e.g. the digit groups of
/// `12/03/2021` or the parts of an e-mail) always joins it, and the span takes the label with
/// the most probability mass, so one token's label flip cannot split an identifier.
/// A line break between two words always closes the span. Span score is the mean word
/// probability; spans under `min_score` are dropped.
pub fn decode_words(
    text: &str,
    words: &[WordPred],
    tags: &TagSet,
    min_score: f32,
    out: &mut Vec<Span>,
) {
    let flush = |open: &mut Option<Open>, out: &mut Vec<Span>| {
        if let Some(o) = open.take() {
            let score = o.sum / o.words as f32;
            if score >= min_score && o.start < o.end {
                out.push(Span::new(o.start, o.end, o.label(), "ner", score));
            }
        }
    };
    let mut open: Option<Open> = None;
    for w in words {
        let tag = tags.get(w.tag);
        let Some(label) = tag.label() else {
            flush(&mut open, out);
            continue;
        };
        let joins = match (&open, tag) {
            (Some(o), _) if o.end == w.start => true,
            (Some(o), Tag::Inside(l)) => o.label() == l && !text[o.end..w.start].contains('\n'),
            _ => false,
        };
        if joins {
            open.as_mut().expect("checked open").add(w, label);
        } else {
            flush(&mut open, out);
            open = Some(Open::new(w, label));
        }
    }
    flush(&mut open, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tests::tiny_tokenizer;

    fn gold(text: &str, parts: &[(&str, Label)]) -> Vec<Span> {
        parts
            .iter()
            .map(|(surface, label)| {
                let start = text.find(surface).unwrap();
                Span::new(start, start + surface.len(), *label, "gold", 1.0)
            })
            .collect()
    }

    #[test]
    fn bio_round_trip_on_byte_offsets_with_accents() {
        let tok = tiny_tokenizer();
        let text = "Mme Élise LEFÈVRE, née le 04/05/1957 à Nîmes.\nJean-Pierre Dupont";
        let spans = gold(
            text,
            &[
                ("Élise", Label::Prenom),
                ("LEFÈVRE", Label::Nom),
                ("04/05/1957", Label::DateNaissance),
                ("Nîmes", Label::Ville),
                ("Jean-Pierre", Label::Prenom),
                ("Dupont", Label::Nom),
            ],
        );
        let t = tok.encode(text).unwrap();
        let ids = token_tags(&t.offsets, &spans);
        let preds: Vec<(usize, f32)> = ids.iter().map(|&i| (i as usize, 0.9)).collect();
        let words = words_from_tokens(&t.offsets, &t.words, &preds);
        let mut out = Vec::new();
        decode_words(text, &words, &TagSet::standard(), 0.5, &mut out);
        let got: Vec<(&str, Label)> = out.iter().map(|s| (s.surface(text), s.label)).collect();
        let want: Vec<(&str, Label)> = spans.iter().map(|s| (s.surface(text), s.label)).collect();
        assert_eq!(got, want);
        assert!(out
            .iter()
            .all(|s| (s.score - 0.9).abs() < 1e-6 && s.source.as_str() == "ner"));
    }

    #[test]
    fn glued_words_stay_one_span_with_the_majority_label() {
        let text = "le 12/03/2021 à";
        let set = TagSet::standard();
        let date = |s, e, b: bool| WordPred {
            start: s,
            end: e,
            tag: if b {
                begin_id(Label::Date)
            } else {
                inside_id(Label::Date)
            } as usize,
            prob: 0.9,
        };
        let words = [
            date(3, 5, true),
            date(5, 6, false),
            date(6, 8, false),
            date(8, 9, false),
            date(9, 11, false),
            WordPred {
                start: 11,
                end: 13,
                tag: begin_id(Label::Tel) as usize,
                prob: 0.3,
            },
        ];
        let mut out = Vec::new();
        decode_words(text, &words, &set, 0.0, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            (out[0].surface(text), out[0].label),
            ("12/03/2021", Label::Date)
        );
    }

    #[test]
    fn spans_break_at_newlines_and_low_scores_are_dropped() {
        let text = "Jean\nDupont";
        let set = TagSet::standard();
        let words = [
            WordPred {
                start: 0,
                end: 4,
                tag: begin_id(Label::Nom) as usize,
                prob: 0.9,
            },
            WordPred {
                start: 5,
                end: 11,
                tag: inside_id(Label::Nom) as usize,
                prob: 0.2,
            },
        ];
        let mut out = Vec::new();
        decode_words(text, &words, &set, 0.0, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!((out[1].start, out[1].end), (5, 11));
        out.clear();
        decode_words(text, &words, &set, 0.5, &mut out);
        assert_eq!(out.len(), 1);
    }
}
