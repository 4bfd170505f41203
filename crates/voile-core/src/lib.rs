//! voile-core: the vocabulary every other voile crate speaks.
//!
//! Text flows `text → detectors → candidate spans → resolve → spans → surrogates → output`.
//! This crate holds the pieces shared by all stages and nothing heavy: [`Label`], [`Span`]
//! (byte offsets into the original text), the [`Detector`] trait, the documented conflict
//! policy [`resolve`], and the JSONL corpus contract ([`corpus`]) with its code-point ↔ byte
//! offset conversion.

pub mod calendar;
pub mod checksum;
pub mod corpus;
mod detector;
mod error;
mod label;
pub mod lexicon;
pub mod normalize;
mod resolve;
mod span;

pub use detector::Detector;
pub use error::{Error, ErrorKind};
pub use label::{Category, Label, ParseLabelError};
pub use resolve::{join_hyphenated_names, resolve, resolve_in_place};
pub use span::{Source, Span};
