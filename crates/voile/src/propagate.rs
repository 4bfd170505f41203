//! Document-wide propagation: a surface accepted once is found at its other occurrences.
//!
//! Detectors decide occurrence by occurrence, so a first name found after `Mme` is missed two
//! sentences later, a city found in a header is missed in the text. After resolution, every
//! accepted name, place, establishment and address surface is searched for in the whole
//! document (and in the other documents of the same patient in a batch) and tagged wherever
//! no span covers it yet.
//!
//! Matching is word by word on folded words (case, accents and hyphens ignored:
//! `Jean-Pierre` = `JEAN PIERRE`, `Lefèvre` = `LEFEVRE`), longest surface first, whole words
//! only, never across a line break or punctuation. Exceptions, so common words and eponyms
//! stay unmarked:
//! - a surface that is a common French word (`Rose`, `Blanc`, `Petit`) or an eponym
//!   (`Parkinson`) is only propagated to occurrences written with a capital, and never to one
//!   following an eponym cue (`maladie de`, `signe de`, `score de`…);
//! - surfaces shorter than two letters are not propagated (initials are handled below).
//!
//! A surname occurrence preceded by an initial (`J. Dupont`) whose letter starts an accepted
//! first name of the document also gets that initial as PRENOM.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::{BTreeMap, BTreeSet};
use voile_core::{Label, Span};
use voile_gazetteer::fold::fold_key;

/// Source name of propagated spans.
pub const SOURCE: &str = "propagate";
/// Score of a propagated span: below direct detections, so they win where they overlap.
const SCORE: f32 = 0.7;
/// Labels whose surfaces spread.
const LABELS: [Label; 5] = [
    Label::Nom,
    Label::Prenom,
    Label::Ville,
    Label::Hopital,
    Label::Adresse,
];
/// A word of the text: byte range and folded form.
#[derive(Debug, Clone)]
struct Word {
    start: usize,
    end: usize,
    folded: String,
    capitalised: bool,
}

/// Words of `text`: maximal runs of alphanumeric characters. `joined[i]` tells whether word
/// `i` and word `i + 1` are separated only by spaces, hyphens or apostrophes on one line.
fn words(text: &str) -> (Vec<Word>, Vec<bool>) {
    let mut out: Vec<Word> = Vec::new();
    let mut joined = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric() && i < text.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let w = &text[s..i];
                if let Some(prev) = out.last() {
                    joined.push(is_joiner(&text[prev.end..s]));
                }
                out.push(Word {
                    start: s,
                    end: i,
                    folded: fold_key(w),
                    capitalised: w.chars().next().is_some_and(char::is_uppercase),
                });
                start = None;
            }
            _ => {}
        }
    }
    joined.push(false);
    (out, joined)
}

fn is_joiner(between: &str) -> bool {
    !between.is_empty()
        && between.len() <= 3
        && between
            .chars()
            .all(|c| matches!(c, ' ' | '-' | '\'' | '\u{2019}' | '\u{2011}' | '\u{a0}'))
}

/// A surface to spread: its folded words and label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Surface {
    pub words: Vec<String>,
    pub label: Label,
    /// Spread only to occurrences written with a capital: the surface came from the model
    /// alone, or is a common word or eponym.
    pub capitalised_only: bool,
}

/// Everything a document (or a patient's documents) spreads: word surfaces for names and
/// places, exact strings for identifiers, phones, e-mails and dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surfaces {
    pub words: BTreeSet<Surface>,
    pub exact: BTreeSet<(String, Label)>,
}

impl Surfaces {
    pub fn extend(&mut self, other: &Surfaces) {
        self.words.extend(other.words.iter().cloned());
        self.exact.extend(other.exact.iter().cloned());
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.exact.is_empty()
    }
}

/// Shortest identifier, phone, e-mail or date surface spread by exact match (shorter ones,
/// like `2015`, are too often something else).
const MIN_EXACT_CHARS: usize = 6;

/// Which surfaces need care (common words, eponyms) or never spread (function words).
pub struct Propagator {
    common: BTreeSet<String>,
    eponyms: BTreeSet<String>,
    function_words: BTreeSet<String>,
}

impl Propagator {
    pub fn new(common_words: &[String], eponyms: &[String], function_words: &[String]) -> Self {
        let folded = |v: &[String]| v.iter().map(|w| fold_key(w)).collect();
        Propagator {
            common: folded(common_words),
            eponyms: folded(eponyms),
            function_words: folded(function_words),
        }
    }

    /// The surfaces of `spans` that may spread: names and places of two letters or more,
    /// other labels of at least [`MIN_EXACT_CHARS`] characters.
    pub fn surfaces(&self, text: &str, spans: &[Span]) -> Surfaces {
        let mut out = Surfaces::default();
        for s in spans {
            let surface = &text[s.start..s.end];
            if !LABELS.contains(&s.label) {
                let alnum = surface.chars().filter(|c| c.is_alphanumeric()).count();
                if surface.chars().count() >= MIN_EXACT_CHARS && alnum >= MIN_EXACT_CHARS - 2 {
                    out.exact.insert((surface.to_string(), s.label));
                }
                continue;
            }
            let (ws, _) = words(surface);
            let letters: usize = ws.iter().map(|w| w.folded.len()).sum();
            let lone_function_word = ws.len() == 1 && self.function_words.contains(&ws[0].folded);
            if ws.is_empty() || letters < 2 || ws[0].folded.len() < 2 || lone_function_word {
                continue;
            }
            let words: Vec<String> = ws.into_iter().map(|w| w.folded).collect();
            let sensitive = words.len() == 1
                && (self.common.contains(&words[0]) || self.eponyms.contains(&words[0]));
            out.words.insert(Surface {
                words,
                label: s.label,
                capitalised_only: sensitive || s.source.as_str() == crate::fusion::MODEL_SOURCE,
            });
        }
        out
    }

    /// Add a span for every uncovered occurrence of `surfaces` in `text`; `spans` must be
    /// resolved (sorted, disjoint) and stay so. Works line by line (no surface crosses a line),
    /// so memory follows the longest line, not the document.
    pub fn propagate(&self, text: &str, spans: &mut Vec<Span>, surfaces: &Surfaces) {
        if surfaces.is_empty() {
            return;
        }
        let by_first = index_by_first_word(&surfaces.words);
        let covered = Coverage::new(spans);
        let mut added = Added::default();
        exact_occurrences(text, &surfaces.exact, &covered, &mut added);
        let mut base = 0;
        for line in text.split_inclusive('\n') {
            self.propagate_line(line, base, &by_first, &covered, &mut added);
            base += line.len();
        }
        let initials = first_name_initials(text, spans, &added);
        add_initials(text, &initials, spans, &covered, &mut added);
        if !added.0.is_empty() {
            spans.extend(added.0.into_values());
            spans.sort_by_key(|s| (s.start, s.end));
        }
    }

    fn propagate_line(
        &self,
        line: &str,
        base: usize,
        by_first: &BTreeMap<&str, Vec<&Surface>>,
        covered: &Coverage,
        added: &mut Added,
    ) {
        let (mut ws, joined) = words(line);
        for w in &mut ws {
            w.start += base;
            w.end += base;
        }
        let mut i = 0;
        while i < ws.len() {
            match self.longest_match(&ws, &joined, i, by_first, covered, added) {
                Some((n, label)) => {
                    added.insert(Span::new(
                        ws[i].start,
                        ws[i + n - 1].end,
                        label,
                        SOURCE,
                        SCORE,
                    ));
                    i += n;
                }
                None => i += 1,
            }
        }
    }

    /// The longest surface starting at word `i` whose occurrence is uncovered and acceptable.
    fn longest_match(
        &self,
        ws: &[Word],
        joined: &[bool],
        i: usize,
        by_first: &BTreeMap<&str, Vec<&Surface>>,
        covered: &Coverage,
        added: &Added,
    ) -> Option<(usize, Label)> {
        let candidates = by_first.get(ws[i].folded.as_str())?;
        candidates.iter().find_map(|s| {
            let n = s.words.len();
            let fits = i + n <= ws.len()
                && (0..n).all(|k| ws[i + k].folded == s.words[k])
                && (0..n - 1).all(|k| joined[i + k])
                && !covered.overlaps(ws[i].start, ws[i + n - 1].end)
                && !added.overlaps(ws[i].start, ws[i + n - 1].end);
            (fits && self.acceptable(ws, i, s)).then_some((n, s.label))
        })
    }

    /// Sensitive surfaces spread only to capitalised occurrences outside eponym cues.
    fn acceptable(&self, ws: &[Word], i: usize, s: &Surface) -> bool {
        !s.capitalised_only || (ws[i].capitalised && !after_eponym_cue(ws, i))
    }
}

/// Uncovered whole-word occurrences of exact surfaces (identifiers, phones, dates…), found
/// in one pass over the text (leftmost-longest), so the cost does not grow with the number of
/// surfaces a long document accumulates.
fn exact_occurrences(
    text: &str,
    exact: &BTreeSet<(String, Label)>,
    covered: &Coverage,
    added: &mut Added,
) {
    if exact.is_empty() {
        return;
    }
    let patterns: Vec<&(String, Label)> = exact.iter().collect();
    // Built for one text and searched once: an NFA builds far faster than a DFA (the
    // automaton's build was a sixth of a short record's time).
    let Ok(ac) = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(patterns.iter().map(|(s, _)| s.as_str()))
    else {
        return;
    };
    for m in ac.find_iter(text) {
        let (i, end) = (m.start(), m.end());
        let bounded = !text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && !text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if bounded && !covered.overlaps(i, end) && !added.overlaps(i, end) {
            let label = patterns[m.pattern().as_usize()].1;
            added.insert(Span::new(i, end, label, SOURCE, SCORE));
        }
    }
}

/// Surfaces grouped by first word, longest first (then in their sorted order).
fn index_by_first_word(surfaces: &BTreeSet<Surface>) -> BTreeMap<&str, Vec<&Surface>> {
    let mut map: BTreeMap<&str, Vec<&Surface>> = BTreeMap::new();
    for s in surfaces {
        map.entry(s.words[0].as_str()).or_default().push(s);
    }
    for v in map.values_mut() {
        v.sort_by(|a, b| b.words.len().cmp(&a.words.len()).then(a.cmp(b)));
    }
    map
}

/// `maladie de Parkinson`, `signe d'Babinski`: the word before `de`/`d` is an eponym cue.
fn after_eponym_cue(ws: &[Word], i: usize) -> bool {
    i >= 2 && matches!(ws[i - 1].folded.as_str(), "de" | "d") && {
        crate::safelist::EPONYM_CUES.contains(&ws[i - 2].folded.as_str())
    }
}

/// Spans added so far, disjoint, by start.
#[derive(Default)]
struct Added(BTreeMap<usize, Span>);

impl Added {
    fn overlaps(&self, start: usize, end: usize) -> bool {
        self.0
            .range(..end)
            .next_back()
            .is_some_and(|(_, s)| s.end > start)
    }

    fn insert(&mut self, span: Span) {
        self.0.insert(span.start, span);
    }
}

/// Sorted disjoint covered ranges, for overlap queries.
struct Coverage(Vec<(usize, usize)>);

impl Coverage {
    fn new(spans: &[Span]) -> Self {
        Coverage(spans.iter().map(|s| (s.start, s.end)).collect())
    }

    fn overlaps(&self, start: usize, end: usize) -> bool {
        let i = self.0.partition_point(|&(_, e)| e <= start);
        self.0.get(i).is_some_and(|&(s, _)| s < end)
    }
}

/// First letters (upper case) of the document's accepted first names.
fn first_name_initials(text: &str, spans: &[Span], added: &Added) -> BTreeSet<char> {
    spans
        .iter()
        .chain(added.0.values())
        .filter(|s| s.label == Label::Prenom)
        .filter_map(|s| text[s.start..s.end].chars().next())
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect()
}

/// `J. Dupont` where `Dupont` is a (new or old) NOM span and `J` starts a first name of the
/// document: `J.` becomes PRENOM. One scan of the text, no allocation per word.
fn add_initials(
    text: &str,
    initials: &BTreeSet<char>,
    spans: &[Span],
    covered: &Coverage,
    added: &mut Added,
) {
    if initials.is_empty() {
        return;
    }
    let nom_starts: BTreeSet<usize> = spans
        .iter()
        .chain(added.0.values())
        .filter(|s| s.label == Label::Nom)
        .map(|s| s.start)
        .collect();
    let mut new = Vec::new();
    for &nom in &nom_starts {
        let Some(head) = text[..nom].strip_suffix(". ") else {
            continue;
        };
        let Some(letter) = head.chars().next_back() else {
            continue;
        };
        let start = head.len() - letter.len_utf8();
        let alone = !text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let end = head.len() + 1;
        if alone
            && initials.contains(&letter)
            && !covered.overlaps(start, end)
            && !added.overlaps(start, end)
        {
            new.push(Span::new(start, end, Label::Prenom, SOURCE, SCORE));
        }
    }
    for s in new {
        added.insert(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn propagator() -> Propagator {
        Propagator::new(
            &["rose".into(), "blanc".into(), "petit".into()],
            &["parkinson".into()],
            &["nous".into()],
        )
    }

    /// Propagate the spans given as `(surface, label)` (first occurrence each) and return the
    /// surfaces of every resulting span.
    fn run(text: &str, seeds: &[(&str, Label)]) -> Vec<(String, Label)> {
        let mut spans: Vec<Span> = seeds
            .iter()
            .map(|(s, l)| {
                let i = text.find(s).unwrap();
                Span::new(i, i + s.len(), *l, "seed", 0.9)
            })
            .collect();
        spans.sort_by_key(|s| s.start);
        let p = propagator();
        let surfaces = p.surfaces(text, &spans);
        p.propagate(text, &mut spans, &surfaces);
        for w in spans.windows(2) {
            assert!(w[0].end <= w[1].start, "overlap after propagation");
        }
        spans
            .iter()
            .map(|s| (text[s.start..s.end].to_string(), s.label))
            .collect()
    }

    #[test]
    fn variants_of_a_name_are_found() {
        let got = run(
            "Mme Josiane LEFÈVRE. Revue le 3 mars, Mme Lefevre va bien. Josiane rentre à Lyon.",
            &[
                ("Josiane", Label::Prenom),
                ("LEFÈVRE", Label::Nom),
                ("Lyon", Label::Ville),
            ],
        );
        assert_eq!(
            got,
            [
                ("Josiane".to_string(), Label::Prenom),
                ("LEFÈVRE".into(), Label::Nom),
                ("Lefevre".into(), Label::Nom),
                ("Josiane".into(), Label::Prenom),
                ("Lyon".into(), Label::Ville),
            ]
        );
    }

    #[test]
    fn hyphens_and_multi_word_surfaces_match_whole() {
        let got = run(
            "Dr Jean-Pierre Martin (CHU de Nantes). JEAN PIERRE appelle le CHU de Nantes, pas Nantes-Est.",
            &[("Jean-Pierre", Label::Prenom), ("CHU de Nantes", Label::Hopital)],
        );
        let labels: Vec<_> = got.iter().map(|(s, l)| (s.as_str(), *l)).collect();
        assert!(
            labels.contains(&("JEAN PIERRE", Label::Prenom)),
            "{labels:?}"
        );
        assert_eq!(
            labels.iter().filter(|(_, l)| *l == Label::Hopital).count(),
            2,
            "{labels:?}"
        );
    }

    #[test]
    fn common_words_and_eponyms_spread_only_when_capitalised_and_not_after_a_cue() {
        let got = run(
            "Mme Rose Petit. Teint rose. Rose va mieux. Dr Parkinson vu. Maladie de Parkinson stable.",
            &[("Rose", Label::Prenom), ("Parkinson", Label::Nom)],
        );
        let surfaces: Vec<_> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(surfaces, ["Rose", "Rose", "Parkinson"], "{got:?}");
    }

    #[test]
    fn function_words_never_spread_and_model_surfaces_only_to_capitals() {
        let text = "Nous vous écrivons. Nous pensons que nous. Lucciana puis lucciana.";
        let city = text.find("Lucciana").unwrap();
        let mut spans = vec![
            Span::new(0, 4, Label::Prenom, "ner", 0.9),
            Span::new(city, city + 8, Label::Ville, "ner", 0.9),
        ];
        let p = propagator();
        let surfaces = p.surfaces(text, &spans);
        p.propagate(text, &mut spans, &surfaces);
        let got: Vec<_> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(got, ["Nous", "Lucciana"]);
    }

    #[test]
    fn words_inside_other_words_and_across_lines_are_not_matched() {
        let got = run(
            "M. Jean Martin. Martinez et Jean\nMartin.",
            &[("Jean Martin", Label::Nom)],
        );
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn identifiers_spread_by_exact_whole_word_match() {
        let got = run(
            "IPP : 80012345. Relu le dossier 80012345 ; 800123456 autre.",
            &[("80012345", Label::Ipp)],
        );
        assert_eq!(
            got,
            [
                ("80012345".to_string(), Label::Ipp),
                ("80012345".into(), Label::Ipp)
            ]
        );
    }

    #[test]
    fn punctuation_runs_never_spread() {
        // Regression: a dot leader accepted as a date spread to every dot leader.
        let got = run(
            "Né le ........ 1950. UF ........ 2311.",
            &[("........", Label::DateNaissance)],
        );
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn an_initial_before_a_known_surname_is_a_first_name() {
        let got = run(
            "Dr Julie Moreau, cardiologue. Courrier signé J. Moreau.",
            &[("Julie", Label::Prenom), ("Moreau", Label::Nom)],
        );
        let labels: Vec<_> = got.iter().map(|(s, l)| (s.as_str(), *l)).collect();
        assert!(labels.contains(&("J.", Label::Prenom)), "{labels:?}");
        assert_eq!(labels.iter().filter(|(s, _)| *s == "Moreau").count(), 2);
    }
}
