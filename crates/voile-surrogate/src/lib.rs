//! voile-surrogate: pseudonymisation proper — every identifier replaced by a realistic,
//! consistent surrogate, so research can still read a report, link a patient's documents
//! and compute intervals, while nobody without the key can recover who it was.
//!
//! [`Pseudonymiser::pseudonymise`] rewrites a text in one pass from its resolved spans;
//! text outside spans is copied byte for byte and every [`Replacement`] records the exact
//! byte ranges before and after.
//!
//! # Operators (per label, [`SurrogateConfig::operators`], default `surrogate`)
//! - `surrogate`: a realistic replacement of the same kind —
//!   names from the shipped first-name/surname lists, rendered in the original's form
//!   (`DUPONT`/`Dupont`/`dupont`, hyphenated parts, initials), first names of the same sex,
//!   compound first names stay compound, particles dropped (`de Villiers` → `Moreau`);
//!   dates shifted by one per-scope offset in their own form (`12/03/2021`, `12.03.21`,
//!   `le 3 mars 2021`, `1er avril`, `03 MARS 2021`, `mars 2021`, `03/2021`, `2015`,
//!   spelled-out dates), so intervals and ages are exact; NIR with a valid key, the sex
//!   digit kept and year/month those of the surrogate birth date; RPPS/FINESS/ADELI with a
//!   valid Luhn digit; other identifiers with the same shape; phones keeping prefix style,
//!   separators and type (mobile/geographic); e-mails built from the surrogate person;
//!   communes with their own real postcode (a ZIP next to a city follows that city's
//!   surrogate); street addresses with the same number shape and street type and a generic
//!   street name; establishments of the same kind (CHU → CHU, clinic → clinic).
//!   A surrogate never equals the original: collisions are re-drawn deterministically; a
//!   surface that cannot be parsed (e.g. `J3 post-op` labelled DATE) falls back to a tag and
//!   is counted in [`Audit::fallbacks`].
//! - `tag`: `[NOM]`.
//! - `redact`: `XXXX`, or one redaction character per original character with
//!   `redact_keep_length`.
//! - `hash`: `NOM_3f9a2c1b`, the first 32 bits of HMAC-SHA256(key, scope, label,
//!   normalised entity) — linkable within a scope, not readable.
//! - `keep`: the original, unchanged.
//!
//! # Key and consistency
//! Every surrogate is a pure function of (secret [`Key`], label, scope id, normalised
//! entity): HMAC-SHA256 seeds a small frozen generator that indexes the lists. There is no
//! shared state and no mapping table: two processes or machines with the same key produce
//! the same output; another key gives unrelated surrogates. The scope ([`ScopeKind`]) is
//! the patient (`meta.patient_id`, falling back to the document), the document, or the whole
//! corpus; one date shift per scope, uniform in the configured range, never 0 nor a whole
//! number of years. Normalisation folds case, accents, punctuation and surname particles,
//! so `DUPONT`, `Dupont`, `J. Dupont`, `M. Dupont` and `Jean DUPONT` map to one person;
//! initials use a keyed per-scope letter permutation and surrogate names are drawn among
//! names starting with the permuted letter, so `J.` ↔ `Jean` stay coherent.
//!
//! The key comes from `VOILE_KEY` ([`Key::from_env`]) or a file ([`Key::from_file`]), at
//! least 16 bytes; [`Key::random`] only on explicit request. It is never printed
//! (`Key(***)`), serialised or logged, and is wiped on drop. Errors and panics name
//! offsets and ids, never text.
//!
//! # Linkage pseudonyms
//! [`linkage`] computes registry-style keyed pseudonyms of a person from the NIR or from
//! nom, prénom, date of birth and sex, after a documented normalisation, with the same
//! [`Key`] (the CLI's `voile link`).
//!
//! # Re-identification mapping (off by default)
//! Keyed surrogates need no stored mapping, but an authorised re-identification party may
//! require one. Each [`Replacement`] carries the original byte range, the replacement and
//! the label; [`Pseudonymised::mapping_rows`] renders `label TAB original TAB replacement`
//! rows (the CLI's `--mapping FILE` writes them as TSV with the document id). Such a file
//! contains identifying text and must be protected like the source data.
//!
//! Dates without a year (`mardi 3 mars`) are placed in the document's most common year
//! (else a recent year where the written weekday holds) and get the weekday of the shifted
//! date; a bare year moves by the shift rounded to whole years (at least one).

mod audit;
mod config;
mod contact;
mod data;
mod dates;
mod ids;
mod key;
pub mod linkage;
mod names;
mod places;
mod pseudonymiser;
mod rng;
mod text;

pub use audit::Audit;
pub use config::{Operator, ScopeKind, SurrogateConfig};
pub use ids::{luhn_valid, nir_key, nir_valid};
pub use key::Key;
pub use linkage::Linker;
pub use pseudonymiser::{Pseudonymised, Pseudonymiser, Replacement, Scope};
