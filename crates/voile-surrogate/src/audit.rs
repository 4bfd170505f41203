//! Counts of what was replaced and how, without any text: safe to log and archive.

use crate::{Operator, Pseudonymised, Replacement};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use voile_core::Label;

/// Per-run summary: documents, replacements per label and operator, and surrogates that
/// fell back to a tag because the surface could not be parsed (e.g. an unreadable date).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    pub documents: u64,
    pub replacements: u64,
    pub by_label: BTreeMap<Label, BTreeMap<Operator, u64>>,
    pub fallbacks: BTreeMap<Label, u64>,
}

impl Audit {
    /// Count one pseudonymised document.
    pub fn add(&mut self, p: &Pseudonymised) {
        self.add_output(&p.replacements);
    }

    /// Count one document from its replacements.
    pub fn add_output(&mut self, replacements: &[Replacement]) {
        self.documents += 1;
        for r in replacements {
            self.replacements += 1;
            *self
                .by_label
                .entry(r.label)
                .or_default()
                .entry(r.operator)
                .or_default() += 1;
            if r.fallback {
                *self.fallbacks.entry(r.label).or_default() += 1;
            }
        }
    }

    /// Fold another audit (e.g. a worker's) into this one.
    pub fn merge(&mut self, other: &Audit) {
        self.documents += other.documents;
        self.replacements += other.replacements;
        for (l, ops) in &other.by_label {
            let mine = self.by_label.entry(*l).or_default();
            for (o, n) in ops {
                *mine.entry(*o).or_default() += n;
            }
        }
        for (l, n) in &other.fallbacks {
            *self.fallbacks.entry(*l).or_default() += n;
        }
    }
}
