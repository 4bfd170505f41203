//! Capitals back for all-lowercase documents (dictation transcripts, some messaging).
//!
//! Every detector reads a capital as evidence of a proper noun, so `docteur kervella anne …
//! quimper` leaks whole. When a document has almost no capitals, [`Recaser`] gives one back to
//! the words that are a name or a commune and not a common French word, to the words right
//! after a title (`docteur kervella`) or an establishment head (`chu bretonneau`), and writes
//! establishment acronyms in capitals (`chu` → `CHU`) when a name follows. Only case changes
//! that keep a character's UTF-8 length are made, so the recased text has the same byte
//! offsets and char boundaries: spans found on it are spans of the original.

use crate::fold::fold_key;
use crate::lexicon::TITLES;
use crate::lists::Lists;
use crate::GazetteerConfig;
use rustc_hash::FxHashSet;
use voile_core::lexicon::Lexicon;

/// A document is recased when fewer than this share of its letters are capitals…
const MAX_CAPITAL_SHARE: f64 = 0.01;
/// …and it has enough letters for the share to mean something.
const MIN_LETTERS: usize = 200;
/// Words given a capital after a title.
const WORDS_AFTER_CUE: usize = 3;

static ACRONYM_HEADS: Lexicon = Lexicon::new(include_str!(
    "../../../gazetteers/lexicons/etablissements_sigles.tsv"
));
static PARTICLES: Lexicon =
    Lexicon::new(include_str!("../../../gazetteers/lexicons/particules.tsv"));

/// Which words of an all-lowercase document get their capital back.
#[derive(Debug, Default)]
pub struct Recaser {
    /// Folded first names and surnames frequent enough to stand alone, and communes.
    proper: FxHashSet<String>,
    /// Folded words never capitalised: common and function words, eponyms, drugs.
    blocked: FxHashSet<String>,
}

/// A word of the text: byte range and folded form.
struct Word {
    start: usize,
    end: usize,
    folded: String,
}

impl Recaser {
    pub fn new(lists: &Lists, cfg: &GazetteerConfig) -> Recaser {
        let blocked: FxHashSet<String> = lists
            .common_words
            .iter()
            .chain(&lists.function_words)
            .chain(&lists.eponyms)
            .chain(&lists.drugs)
            .map(|w| fold_key(w))
            .collect();
        let first = lists
            .first_names
            .iter()
            .filter(|f| f.freq >= cfg.min_first_name_freq)
            .map(|f| &f.name);
        let surnames = lists
            .surnames
            .iter()
            .filter(|s| s.freq >= cfg.min_surname_freq)
            .map(|s| &s.name);
        let communes = lists.communes.iter().map(|c| &c.name);
        let proper = first
            .chain(surnames)
            .chain(communes)
            .map(|w| fold_key(w))
            .filter(|w| w.chars().count() >= 3 && !blocked.contains(w))
            .collect();
        Recaser { proper, blocked }
    }

    /// Fewer than 1 letter in 100 a capital, over at least `MIN_LETTERS` letters.
    pub fn is_lowercase_document(text: &str) -> bool {
        let (mut letters, mut capitals) = (0usize, 0usize);
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            capitals += usize::from(c.is_uppercase());
        }
        letters >= MIN_LETTERS && (capitals as f64) < MAX_CAPITAL_SHARE * letters as f64
    }

    /// The recased text of an all-lowercase document (same byte length and char boundaries),
    /// or None when the document has its capitals.
    pub fn recase(&self, text: &str) -> Option<String> {
        if !Recaser::is_lowercase_document(text) {
            return None;
        }
        let words = words(text);
        let mut out = text.to_string();
        let mut cue_budget = 0;
        let mut pending_acronym: Option<usize> = None;
        for (i, w) in words.iter().enumerate() {
            if i > 0 && !same_phrase(text, &words[i - 1], w) {
                cue_budget = 0;
                pending_acronym = None;
            }
            let f = w.folded.as_str();
            if is_title(f) {
                cue_budget = WORDS_AFTER_CUE;
                continue;
            }
            if ACRONYM_HEADS.contains(&f) {
                pending_acronym = Some(i);
                continue;
            }
            if PARTICLES.contains(&f) || matches!(f, "l" | "d") {
                continue;
            }
            // After a title any word but a common or function word: names are often in no list.
            let after_title = cue_budget > 0 && f.len() >= 2 && !self.blocked.contains(f);
            cue_budget = if after_title { cue_budget - 1 } else { 0 };
            if after_title || self.is_proper(text, &words, i) {
                capitalise(&mut out, w);
                if let Some(a) = pending_acronym {
                    upper_ascii(&mut out, &words[a]);
                }
            }
            pending_acronym = None;
        }
        Some(out)
    }

    /// The word, or the hyphenated compound it belongs to (`saint-malo`), is a known name.
    fn is_proper(&self, text: &str, words: &[Word], i: usize) -> bool {
        let w = &words[i];
        if w.folded.chars().count() < 3 && !self.proper.contains(&compound(text, words, i)) {
            return false;
        }
        self.proper.contains(&w.folded) || self.proper.contains(&compound(text, words, i))
    }
}

/// Titles written out or abbreviated with two letters or more (`m`, `me` are also words).
fn is_title(folded: &str) -> bool {
    folded.len() >= 2 && folded != "me" && TITLES.contains(&folded)
}

/// Maximal runs of letters, with their folded form.
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, c.is_alphabetic() && i < text.len()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push(Word {
                    start: s,
                    end: i,
                    folded: fold_key(&text[s..i]),
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Two consecutive words in one phrase: only one space, a hyphen or an apostrophe between.
fn same_phrase(text: &str, a: &Word, b: &Word) -> bool {
    matches!(&text[a.end..b.start], " " | "-" | "'" | "’")
}

/// The folded hyphenated compound around word `i` (`saint-malo`), or the word itself.
fn compound(text: &str, words: &[Word], i: usize) -> String {
    let hyphen = |a: &Word, b: &Word| &text[a.end..b.start] == "-";
    let mut first = i;
    while first > 0 && hyphen(&words[first - 1], &words[first]) {
        first -= 1;
    }
    let mut last = i;
    while last + 1 < words.len() && hyphen(&words[last], &words[last + 1]) {
        last += 1;
    }
    fold_key(&text[words[first].start..words[last].end])
}

/// First letter in capitals when that keeps its byte length.
fn capitalise(out: &mut String, w: &Word) {
    let Some(c) = out[w.start..].chars().next() else {
        return;
    };
    let mut upper = c.to_uppercase();
    if let (Some(u), None) = (upper.next(), upper.next()) {
        if u.len_utf8() == c.len_utf8() && u != c {
            let mut buf = [0u8; 4];
            out.replace_range(w.start..w.start + c.len_utf8(), u.encode_utf8(&mut buf));
        }
    }
}

/// An ASCII word in capitals (`chu` → `CHU`).
fn upper_ascii(out: &mut String, w: &Word) {
    if out[w.start..w.end].is_ascii() {
        let upper = out[w.start..w.end].to_ascii_uppercase();
        out.replace_range(w.start..w.end, &upper);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::{Commune, FirstName, Sex, Surname};

    fn recaser() -> Recaser {
        let lists = Lists {
            first_names: vec![
                FirstName {
                    name: "Anne".into(),
                    sex: Sex::F,
                    freq: 5000,
                },
                FirstName {
                    name: "Pierre".into(),
                    sex: Sex::M,
                    freq: 5000,
                },
            ],
            surnames: vec![Surname {
                name: "Kervella".into(),
                freq: 73,
            }],
            communes: vec![
                Commune {
                    name: "Brest".into(),
                    postcode: "29200".into(),
                    insee: "29019".into(),
                    population: 140_000,
                },
                Commune {
                    name: "Saint-Malo".into(),
                    postcode: "35400".into(),
                    insee: "35288".into(),
                    population: 46_000,
                },
            ],
            common_words: vec!["Pierre".into(), "Blanche".into()],
            function_words: vec!["de".into(), "la".into(), "le".into()],
            ..Lists::default()
        };
        Recaser::new(&lists, &GazetteerConfig::default())
    }

    fn lowercase_doc(body: &str) -> String {
        format!(
            "{body}\n{}",
            "le patient va bien et revient en consultation. ".repeat(6)
        )
    }

    #[test]
    fn names_places_and_words_after_cues_get_their_capital() {
        let text = lowercase_doc("docteur kervella anne à brest puis saint-malo, ch de brest");
        let out = recaser().recase(&text).expect("a lowercase document");
        assert_eq!(out.len(), text.len());
        assert!(
            out.starts_with("docteur Kervella Anne à Brest puis Saint-Malo, CH de Brest"),
            "{out}"
        );
    }

    #[test]
    fn common_words_stay_lowercase_even_after_a_cue() {
        let text = lowercase_doc("une pierre blanche. docteur pierre. ch de la blanche");
        let out = recaser().recase(&text).unwrap();
        assert!(
            out.starts_with("une pierre blanche. docteur pierre. ch de la blanche"),
            "{out}"
        );
    }

    #[test]
    fn documents_with_capitals_are_left_alone() {
        let text = "Docteur Kervella à Brest. ".repeat(20);
        assert!(recaser().recase(&text).is_none());
        assert!(
            recaser().recase("anne à brest").is_none(),
            "too short to judge"
        );
    }

    #[test]
    fn byte_length_and_boundaries_are_kept_for_any_letter() {
        let text = lowercase_doc("docteur ßtraße ǆemal ŉame éloïse");
        let out = recaser().recase(&text).unwrap();
        assert_eq!(out.len(), text.len());
        for (i, _) in text.char_indices() {
            assert!(out.is_char_boundary(i));
        }
    }
}
