//! Capitals back for all-lowercase documents (dictation transcripts, some messaging).
//!
//! Every detector reads a capital as evidence of a proper noun, so `docteur kervella anne …
//! quimper` leaks whole. When a document has almost no capitals, [`Recaser`] gives one back to
//! the words that are a name or a commune and not a common French word, to the words right
//! after a title (`docteur kervella`) and to the title, and writes establishment acronyms in
//! capitals when a known name follows (`ch de dreux` → `CH de Dreux`). In other documents it
//! only capitalises listed names written in lowercase right after a title, and the title
//! (`mme benali` in a message). Only case changes that keep a character's UTF-8 length are
//! made, so the recased text has the same byte offsets and char boundaries: spans found on it
//! are spans of the original.

use crate::fold::fold_key;
use crate::lexicon::{is_name_particle, ACRONYM_HEADS, TITLES};
use crate::lists::Lists;
use crate::GazetteerConfig;
use rustc_hash::FxHashSet;

/// A document is recased when fewer than this share of its letters are capitals…
const MAX_CAPITAL_SHARE: f64 = 0.01;
/// …and it has enough letters for the share to mean something.
const MIN_LETTERS: usize = 200;
/// Words given a capital after a title.
const WORDS_AFTER_CUE: usize = 3;

/// Which words get their capital back (see the module documentation).
#[derive(Debug, Default)]
pub struct Recaser {
    /// Folded first names and surnames frequent enough to stand alone, and communes.
    proper: FxHashSet<String>,
    /// Folded first names and surnames of any frequency, common words too (a title is their
    /// support; see [`Recaser::is_listed_name`]).
    any_name: FxHashSet<String>,
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
        // Each name folded once: every listed name counts after a title, frequent ones and
        // communes alone.
        let first = lists
            .first_names
            .iter()
            .map(|f| (&f.name, f.freq >= cfg.min_first_name_freq, true));
        let surnames = lists
            .surnames
            .iter()
            .map(|s| (&s.name, s.freq >= cfg.min_surname_freq, true));
        let communes = lists.communes.iter().map(|c| (&c.name, true, false));
        let mut proper = FxHashSet::default();
        let mut any_name = FxHashSet::default();
        for (name, frequent, person) in first.chain(surnames).chain(communes) {
            let folded = fold_key(name);
            let letters = folded.chars().count();
            if frequent && letters >= 3 && !blocked.contains(&folded) {
                proper.insert(folded.clone());
            }
            if person && letters >= 2 {
                any_name.insert(folded);
            }
        }
        Recaser {
            proper,
            any_name,
            blocked,
        }
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

    /// The text with capitals given back (same byte length and char boundaries), or None when
    /// nothing changes: in an all-lowercase document every known name, commune, word after a
    /// title and acronym head before a name; elsewhere only listed names written in lowercase
    /// right after a title (`mme benali`, `dr haddad` in messages), and their title.
    pub fn recase(&self, text: &str) -> Option<String> {
        if Recaser::is_lowercase_document(text) {
            Some(self.recase_document(text))
        } else {
            self.recase_titled_names(text)
        }
    }

    fn recase_document(&self, text: &str) -> String {
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
            if is_name_particle(f) {
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
        for w in words.iter().filter(|w| is_title(&w.folded)) {
            capitalise(&mut out, w);
        }
        out
    }

    /// Lowercase listed names right after a title (`mme payet marie-josee`), up to
    /// `WORDS_AFTER_CUE` of them, with the title, in capitals; None when there is none.
    fn recase_titled_names(&self, text: &str) -> Option<String> {
        let mut out: Option<String> = None;
        for title in title_words(text) {
            let mut pos = title.end;
            let mut named = false;
            for _ in 0..WORDS_AFTER_CUE {
                let Some(name) = next_word_after_space(text, pos) else {
                    break;
                };
                let lowercase = text[name.start..].starts_with(char::is_lowercase);
                if !lowercase || !self.is_listed_name(&name.folded) {
                    break;
                }
                let out = out.get_or_insert_with(|| text.to_string());
                for part in hyphen_parts(text, &name) {
                    capitalise(out, &part);
                }
                named = true;
                pos = name.end;
            }
            if named {
                capitalise(out.as_mut().expect("set with the name"), &title);
            }
        }
        out
    }

    /// A listed first name or surname that is not a common word; hyphenated, every part
    /// listed and one not a common word (`marie-josee`, `anne-pierre`).
    fn is_listed_name(&self, folded: &str) -> bool {
        let listed = |w: &str| self.any_name.contains(w);
        let proper = |w: &str| listed(w) && !self.blocked.contains(w);
        proper(folded)
            || folded.contains('-')
                && folded.split('-').all(listed)
                && folded.split('-').any(proper)
    }

    /// The word, or the hyphenated compound it belongs to (`saint-malo`), is a known name.
    fn is_proper(&self, text: &str, words: &[Word], i: usize) -> bool {
        let whole = compound(text, words, i).is_some_and(|c| self.proper.contains(&c));
        let word = &words[i].folded;
        whole || word.chars().count() >= 3 && self.proper.contains(word)
    }
}

/// Titles written out or abbreviated with two letters or more (`m`, `me` are also words).
fn is_title(folded: &str) -> bool {
    folded.len() >= 2 && folded != "me" && TITLES.contains(&folded)
}

/// Title words (`dr`, `mme`, `monsieur`…, any case) of the text, found by one byte scan.
fn title_words(text: &str) -> Vec<Word> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let ends_word = i == b.len() || b[i].is_ascii() && !b[i].is_ascii_alphanumeric();
        if ends_word && i - start <= 12 {
            let folded = text[start..i].to_ascii_lowercase();
            if is_title(&folded) {
                out.push(Word {
                    start,
                    end: i,
                    folded,
                });
            }
        }
    }
    out
}

/// The word (letters and inner hyphens) after one space, or a dot and one space, at `pos`.
fn next_word_after_space(text: &str, pos: usize) -> Option<Word> {
    let rest = &text[pos..];
    let skip = if rest.starts_with(". ") {
        2
    } else {
        usize::from(rest.starts_with(' '))
    };
    if skip == 0 {
        return None;
    }
    let start = pos + skip;
    let len = text[start..]
        .char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || c == '-'))
        .map_or(text.len() - start, |(i, _)| i);
    let word = text[start..start + len].trim_end_matches('-');
    (!word.is_empty()).then(|| Word {
        start,
        end: start + word.len(),
        folded: fold_key(word),
    })
}

/// The hyphen-separated parts of a word, as words.
fn hyphen_parts(text: &str, w: &Word) -> Vec<Word> {
    let mut parts = Vec::new();
    let mut start = w.start;
    for piece in text[w.start..w.end].split('-') {
        if !piece.is_empty() {
            parts.push(Word {
                start,
                end: start + piece.len(),
                folded: String::new(),
            });
        }
        start += piece.len() + 1;
    }
    parts
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

/// Longest compound looked up (`saint-jean-de-luz`, `villeneuve-d'ascq-…`): a bound that keeps
/// long hyphen chains (`é-é-é-…`, found by `voile bench --shapes`) linear.
const MAX_COMPOUND_PARTS: usize = 6;

/// The folded hyphenated compound around word `i` (`saint-malo`), or the word itself; None
/// when the chain is longer than `MAX_COMPOUND_PARTS` words.
fn compound(text: &str, words: &[Word], i: usize) -> Option<String> {
    let hyphen = |a: &Word, b: &Word| &text[a.end..b.start] == "-";
    let mut first = i;
    while first > 0 && i - first < MAX_COMPOUND_PARTS && hyphen(&words[first - 1], &words[first]) {
        first -= 1;
    }
    let mut last = i;
    while last + 1 < words.len()
        && last - first < MAX_COMPOUND_PARTS
        && hyphen(&words[last], &words[last + 1])
    {
        last += 1;
    }
    (last - first < MAX_COMPOUND_PARTS)
        .then(|| fold_key(&text[words[first].start..words[last].end]))
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
            out.starts_with("Docteur Kervella Anne à Brest puis Saint-Malo, CH de Brest"),
            "{out}"
        );
    }

    #[test]
    fn common_words_stay_lowercase_even_after_a_cue() {
        let text = lowercase_doc("une pierre blanche. docteur pierre. ch de la blanche");
        let out = recaser().recase(&text).unwrap();
        assert!(
            out.starts_with("une pierre blanche. Docteur pierre. ch de la blanche"),
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
    fn in_documents_with_capitals_only_lowercase_names_after_a_title_change() {
        let r = recaser();
        let out = r.recase("Message de Sabrina : bjr dr, mme kervella anne-pierre va bien");
        assert_eq!(
            out.as_deref(),
            Some("Message de Sabrina : bjr dr, Mme Kervella Anne-Pierre va bien")
        );
        assert_eq!(
            r.recase("Vue par le dr. kervella."),
            Some("Vue par le Dr. Kervella.".into())
        );
        for unchanged in [
            "Mme pierre va bien",
            "le dr est passé",
            "vu par mme Kervella à brest",
            "madame",
        ] {
            assert_eq!(r.recase(unchanged), None, "{unchanged}");
        }
    }

    #[test]
    fn long_hyphen_chains_are_not_looked_up_whole() {
        // Regression (`voile bench --shapes`): every word of `é-é-…` rebuilt the whole chain.
        let chain = "é-".repeat(5000);
        assert_eq!(compound(&chain, &words(&chain), 2500), None);
        let city = "vu à saint-malo";
        assert_eq!(
            compound(city, &words(city), 3).as_deref(),
            Some("saint-malo")
        );
        assert!(recaser().recase(&chain).is_some_and(|out| out == chain));
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
