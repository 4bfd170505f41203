//! The gazetteer detector (shipped lists) on structured documents.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use voile_core::Detector;
use voile_gazetteer::lists::Lists;
use voile_gazetteer::{GazetteerConfig, GazetteerDetector};

static DETECTOR: OnceLock<GazetteerDetector> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(text) = common::document(&mut u, 64) else { return };
    let d = DETECTOR.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../gazetteers");
        GazetteerDetector::new(&Lists::load(&dir).unwrap(), &GazetteerConfig::default()).unwrap()
    });
    let mut spans = Vec::new();
    d.detect(&text, &mut spans);
    common::check_spans(&text, &spans);
});
