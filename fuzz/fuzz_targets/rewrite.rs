//! The surrogate rewrite with arbitrary (overlapping, misaligned, out-of-range) spans: no
//! panic, text outside replaced ranges copied unchanged, deterministic.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use voile_gazetteer::lists::Lists;
use voile_surrogate::{Key, Pseudonymiser, Scope, SurrogateConfig};

static P: OnceLock<Pseudonymiser> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(text) = common::document(&mut u, 32) else { return };
    let Ok(spans) = common::spans(&mut u, text.len()) else { return };
    let p = P.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../gazetteers");
        let key = Key::from_bytes(b"fuzzing-key-0123456789").unwrap();
        Pseudonymiser::new(&SurrogateConfig::default(), Some(key), &Lists::load(&dir).unwrap())
            .unwrap()
    });
    let scope = Scope { document_id: "d", patient_id: Some("p") };
    let out = p.pseudonymise(&text, &spans, &scope);
    assert_eq!(out.text, p.pseudonymise(&text, &spans, &scope).text, "not deterministic");
    // Text between replacements is copied unchanged.
    let (mut pos_in, mut pos_out) = (0, 0);
    for r in &out.replacements {
        assert_eq!(&text[pos_in..r.original.start], &out.text[pos_out..r.output.start]);
        pos_in = r.original.end;
        pos_out = r.output.end;
    }
    assert_eq!(&text[pos_in..], &out.text[pos_out..]);
});
