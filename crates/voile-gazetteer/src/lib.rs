//! voile-gazetteer: accent- and case-folded whole-word matcher over the shipped French word
//! lists, with context gating and per-document known identities.
//!
//! - [`lists`] loads the files under `gazetteers/` (formats documented there and in
//!   `gazetteers/SOURCES.md`); other crates (synthetic corpus, surrogates) read the same lists.
//! - [`GazetteerDetector`] finds PRENOM, NOM, VILLE and HOPITAL spans (sources
//!   `gazetteer:prenom|nom|ville|hopital`), gated by context so that eponyms (`maladie de
//!   Parkinson`), drugs and common words (`un petit nodule`) do not fire.
//! - [`KnownDetector`] finds one document's known patient identity ([`KnownIdentities`], from the
//!   record's `meta`) everywhere in that document (sources `known:<field>`).
//! - [`recase::Recaser`] gives all-lowercase documents (dictation) their capitals back.
//! - [`fold`] is the case/accent folding with a byte map back to the original text.

mod codes;
mod detector;
pub mod fold;
mod index;
mod known;
pub mod lexicon;
pub mod lists;
pub mod recase;
mod sites;

pub use detector::{GazetteerConfig, GazetteerDetector};
pub use known::{identity_field_label, KnownDetector, KnownIdentities};
