//! voile: the facade. A [`Pipeline`] is built once from a serialisable [`Config`], chains the
//! detectors (rules → gazetteers → known identities → NER), resolves their candidates into
//! final spans, and optionally pseudonymises; batches run over documents with rayon.
//!
//! ```text
//! text ─▶ detectors (rules │ gazetteers │ known │ ner) ─▶ candidates ─▶ resolve ─▶ spans ─▶ surrogates ─▶ output
//! ```
//!
//! The pipeline holds no global state and is `Send + Sync`: build it once, share it across threads.

mod config;
pub mod containment;
pub mod fusion;
pub mod identity;
mod pipeline;
pub mod propagate;
pub mod resources;
pub mod safelist;
pub mod scan;
pub mod threads;

pub use config::{Config, NerPolicy, Profile, Propagation, CONFIG_VERSION};
pub use identity::{FieldAction, IdentityFields};
pub use pipeline::{stage_detectors, NamedDetector, Pipeline, PseudoOutput};
pub use voile_core::{corpus, resolve, Detector, Error, ErrorKind, Label, Span};
pub use voile_surrogate::{linkage, Audit, Key, Operator, ScopeKind, SurrogateConfig};
