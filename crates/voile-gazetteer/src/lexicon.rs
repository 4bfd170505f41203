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

/// Establishment acronyms that head a name (`CHU`, `CH`, `EHPAD`…), folded.
pub static ACRONYM_HEADS: Lexicon = Lexicon::new(include_str!(
    "../../../gazetteers/lexicons/etablissements_sigles.tsv"
));

/// Words heading an establishment name (`hopital`, `centre hospitalier`…), folded.
pub static WORD_HEADS: Lexicon = Lexicon::new(include_str!(
    "../../../gazetteers/lexicons/etablissements_mots.tsv"
));

/// Name particles (`de`, `le`, `van`, `ben`…), folded.
static PARTICLES: Lexicon =
    Lexicon::new(include_str!("../../../gazetteers/lexicons/particules.tsv"));

/// A name particle, or the elided `d'` / `l'` (folded, apostrophe stripped).
pub fn is_name_particle(folded: &str) -> bool {
    PARTICLES.contains(&folded) || matches!(folded, "d" | "l")
}
