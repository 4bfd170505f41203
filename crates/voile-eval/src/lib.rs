//! voile-eval: scores detections against reference corpora — voile's own or any system's
//! predictions — with exact, documented definitions (see `SCHEMA.md` in this crate).
//!
//! Reads the JSONL contract or BRAT folders ([`read_corpus`]), maps foreign label sets
//! ([`LabelMap`]), and [`evaluate`]s: strict and overlap span P/R/F1 per label, micro and
//! macro; the same on coarse categories; label-agnostic token P/R/F1; leak rate, full-redact
//! share and residual leaked tokens; seeded bootstrap intervals over documents. A [`Report`]
//! renders as stable JSON, a terminal table or a self-contained HTML page.

mod html;
mod label_map;
pub mod metrics;
mod read;
mod report;
mod table;
pub mod tokens;

pub use label_map::LabelMap;
pub use metrics::{Counts, Macro, Prf};
pub use read::{parse_jsonl, read_brat_dir, read_corpus, read_jsonl};
pub use report::{
    evaluate, CategoryScores, DocResiduals, Documents, EvalOptions, Interval, Intervals, Report,
    ResidualToken, SpanScores, Throughput, TokenScores, SCHEMA_VERSION,
};
