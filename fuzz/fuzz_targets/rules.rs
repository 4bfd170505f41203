//! Every rule family on structured documents: no panic, spans in range on char boundaries.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use voile_core::Detector;
use voile_rules::{Rules, RulesConfig};

static RULES: OnceLock<Rules> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(text) = common::document(&mut u, 64) else { return };
    let rules = RULES.get_or_init(|| Rules::new(&RulesConfig::default()).unwrap());
    let mut spans = Vec::new();
    rules.detect(&text, &mut spans);
    common::check_spans(&text, &spans);
});
