//! Vocabularies used here and by the facade's safe-list and propagation, kept as data in
//! `gazetteers/lexicons/` (see its README) and compiled in: one list per job, one place.

use voile_core::lexicon::Lexicon;

/// Titles before a person name (`dr`, `mme`, `professeur`…), folded, with and without dot.
pub static TITLES: Lexicon = Lexicon::new(include_str!("../../../gazetteers/lexicons/titres.tsv"));

/// Nouns after which a capitalised word, or `de X`, names a disease, sign, score,
/// classification or technique rather than a person (`maladie de Parkinson`, `score de Killip`).
pub static EPONYM_CUES: Lexicon = Lexicon::new(include_str!(
    "../../../gazetteers/lexicons/eponymes_amorces.tsv"
));
