//! The facade without the model (rules, gazetteers, known identities, resolution,
//! normalisation, surrogates) on structured documents: resolved spans hold their invariants
//! and pseudonymisation keeps text outside spans.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use voile::corpus::Record;
use voile::{Config, Key, Pipeline};

static PIPELINE: OnceLock<Pipeline> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(text) = common::document(&mut u, 48) else { return };
    let pipeline = PIPELINE.get_or_init(|| {
        let cfg = Config { use_ner: false, ..Config::default() };
        let key = Key::from_bytes(b"fuzzing-key-0123456789").unwrap();
        Pipeline::new(&cfg).unwrap().with_key(Some(key)).unwrap()
    });
    let mut record = Record::new("d", text.clone());
    record.extra.insert(
        "meta".into(),
        serde_json::json!({"patient": {"nom": "Dupont", "prenom": "Jean", "ipp": "80012345"}}),
    );
    let spans = pipeline.detect_record(&record);
    common::check_resolved(&text, &spans);
    let out = pipeline.pseudonymise_record(&record).expect("no error on any text");
    let (mut pos_in, mut pos_out) = (0, 0);
    for r in &out.replacements {
        assert_eq!(&text[pos_in..r.original.start], &out.text[pos_out..r.output.start]);
        pos_in = r.original.end;
        pos_out = r.output.end;
    }
    assert_eq!(&text[pos_in..], &out.text[pos_out..]);
});
