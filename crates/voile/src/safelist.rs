//! Hard negatives: which words are safe — never identifying on their own — and in which
//! context. One place for "which words are safe", applied to candidates before fusion.
//!
//! The vocabularies are data (`gazetteers/lexicons/`, `gazetteers/negatifs/eponymes.tsv`, each
//! with its source). A candidate name or place (NOM, PRENOM, VILLE, HOPITAL) that is one word
//! of these lists is dropped, unless context says it names someone:
//!
//! | word kind | dropped when | kept when |
//! |---|---|---|
//! | country, region, territory | always as VILLE; as a name unless the context makes it one | a title precedes (`Mme France Martin`) or a cue-bound rule found it |
//! | clinical acronym (`IRM`, `NIHSS`, `SSR`) | always, unless a cue-bound rule found it | a rule found it |
//! | score or classification name (`Killip`, `Forrest`), eponym (`Parkinson`) | after an eponym cue (`score de`, `stade`, `classification de`, `maladie de`…) or before a grade (`Killip 2`, `Tanner III`); and when only the model or lists propose it | a title precedes (`Dr Forrest`) or a cue-bound rule found it |

use std::collections::BTreeSet;
use voile_core::{Label, Span};
use voile_gazetteer::fold::fold_key;
/// Nouns introducing an eponym: the shared list (`gazetteers/lexicons/eponymes_amorces.tsv`).
pub(crate) use voile_gazetteer::lexicon::EPONYM_CUES;
use voile_gazetteer::lexicon::TITLES;
use voile_gazetteer::lists::Lists;

pub struct SafeList {
    places: BTreeSet<String>,
    acronyms: BTreeSet<String>,
    scales: BTreeSet<String>,
}

impl SafeList {
    pub fn new(lists: &Lists) -> Self {
        let folded = |v: &[String]| -> BTreeSet<String> { v.iter().map(|w| fold_key(w)).collect() };
        let mut scales = folded(&lists.score_names);
        scales.extend(folded(&lists.eponyms));
        SafeList {
            places: folded(&lists.countries_regions),
            acronyms: folded(&lists.clinical_acronyms),
            scales,
        }
    }

    /// Drop the candidates the table rules out.
    pub fn filter(&self, text: &str, candidates: &mut Vec<Span>) {
        candidates.retain(|s| !self.rules_out(text, s));
    }

    fn rules_out(&self, text: &str, s: &Span) -> bool {
        if !matches!(
            s.label,
            Label::Nom | Label::Prenom | Label::Ville | Label::Hopital
        ) {
            return false;
        }
        let surface = &text[s.start..s.end];
        if surface.split_whitespace().count() != 1 {
            return false;
        }
        let word = fold_key(surface.trim_end_matches('.'));
        let by_rule = s.source.as_str().starts_with("rule:");
        // The context is read only for words of the lists (most candidates are not).
        if self.places.contains(&word) {
            return s.label == Label::Ville || !(by_rule || after_title(text, s.start));
        }
        if self.acronyms.contains(&word) {
            return !by_rule;
        }
        if self.scales.contains(&word) {
            if after_title(text, s.start) {
                return false;
            }
            return after_eponym_cue(text, s.start) || before_grade(text, s.end) || !by_rule;
        }
        false
    }
}

/// Folded words of the same line before `pos`, nearest first.
fn words_before(text: &str, pos: usize) -> impl Iterator<Item = String> + '_ {
    let from = (pos.saturating_sub(60)..=pos)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(pos);
    let window = &text[from..pos];
    let line = window.rfind('\n').map_or(window, |i| &window[i + 1..]);
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold_key)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
}

fn after_title(text: &str, pos: usize) -> bool {
    words_before(text, pos)
        .next()
        .is_some_and(|w| TITLES.contains(&w.as_str()))
}

/// `score de Killip`, `maladie de Parkinson`, `stade Tanner`, `classification d'Ann Arbor`.
fn after_eponym_cue(text: &str, pos: usize) -> bool {
    let mut before = words_before(text, pos);
    match before.next().as_deref() {
        Some("de" | "d") => before
            .next()
            .is_some_and(|w| EPONYM_CUES.contains(&w.as_str())),
        Some(w) => EPONYM_CUES.contains(&w),
        None => false,
    }
}

/// `Killip 2`, `Tanner III`, `Forrest IIa`, `Gleason 7 (3+4)`.
fn before_grade(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([' ', '\u{a0}']);
    let token: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    !token.is_empty()
        && (token.chars().next().is_some_and(|c| c.is_ascii_digit())
            || token
                .trim_end_matches(['a', 'b', 'c'])
                .chars()
                .all(|c| matches!(c, 'I' | 'V' | 'X')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safelist() -> SafeList {
        SafeList {
            places: ["france", "senegal", "bretagne"].map(String::from).into(),
            acronyms: ["irm", "nihss", "ssr"].map(String::from).into(),
            scales: ["killip", "forrest", "parkinson", "tanner"]
                .map(String::from)
                .into(),
        }
    }

    /// `(text, surface, label, source, dropped?)`
    #[test]
    fn hard_negatives_in_context() {
        let rows: &[(&str, &str, Label, &str, bool)] = &[
            (
                "séjour au Sénégal",
                "Sénégal",
                Label::Ville,
                "gazetteer:ville",
                true,
            ),
            (
                "Mme France Martin",
                "France",
                Label::Prenom,
                "gazetteer:prenom",
                false,
            ),
            ("née en France", "France", Label::Prenom, "ner", true),
            ("IRM cérébrale", "IRM", Label::Nom, "ner", true),
            ("NIHSS 6 à J7", "NIHSS", Label::Nom, "propagate", true),
            (
                "Killip 2 à l'entrée",
                "Killip",
                Label::Nom,
                "gazetteer:nom",
                true,
            ),
            ("score de Killip", "Killip", Label::Nom, "rule:name", true),
            ("stade Tanner III", "Tanner", Label::Nom, "rule:name", true),
            (
                "vu par le Dr Forrest",
                "Forrest",
                Label::Nom,
                "gazetteer:nom",
                false,
            ),
            (
                "Dr Parkinson, neurologue",
                "Parkinson",
                Label::Nom,
                "rule:name",
                false,
            ),
            ("maladie de Parkinson", "Parkinson", Label::Nom, "ner", true),
            ("M. Durand", "Durand", Label::Nom, "ner", false),
            (
                "12 rue de France",
                "12 rue de France",
                Label::Adresse,
                "rule:adresse",
                false,
            ),
        ];
        let sl = safelist();
        for (text, surface, label, source, dropped) in rows {
            let i = text.find(surface).unwrap();
            let span = Span::new(i, i + surface.len(), *label, *source, 0.9);
            assert_eq!(sl.rules_out(text, &span), *dropped, "{text:?} / {surface}");
        }
    }
}
