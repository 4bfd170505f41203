//! voile-gazetteer: accent- and case-folded Aho-Corasick matcher over the shipped French word
//! lists, with context gating and per-document known identities.
//!
//! [`lists`] loads the files under `gazetteers/` (their formats are documented there and in
//! `gazetteers/SOURCES.md`); other crates (synthetic corpus, surrogates) read the same lists
//! through it.

pub mod lists;
