//! Every config under `examples/configs/` loads, validates, builds a pipeline and
//! pseudonymises a record with the settings it advertises.

use std::path::PathBuf;
use voile::{Config, Key, Operator, Pipeline};
use voile_core::corpus::Record;

fn examples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/configs");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_example_config_builds_and_pseudonymises() {
    let files = examples();
    assert!(files.len() >= 3, "{files:?}");
    let record = Record::new(
        "doc-1",
        "Mme Durand, vue à Lyon le 12/03/2021, tél 06 12 34 56 78.".to_string(),
    );
    for f in files {
        let cfg = Config::from_file(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let key = Key::from_bytes(b"example-config-test-key").unwrap();
        let p = Pipeline::new(&cfg)
            .and_then(|p| p.with_key(Some(key)))
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let out = p.pseudonymise_record(&record).unwrap();
        assert!(!out.text.contains("Durand"), "{}", f.display());
        assert!(!out.text.contains("06 12 34 56 78"), "{}", f.display());
        let name = f.file_name().unwrap().to_str().unwrap();
        match name {
            "redact-fast-rules-only.json" => {
                assert!(!cfg.use_ner);
                assert!(out
                    .replacements
                    .iter()
                    .all(|r| r.operator == Operator::Redact));
            }
            "research-tags.json" => {
                assert!(out.text.contains("[NOM]"), "{}", out.text);
                assert!(out.text.contains("Lyon"), "cities kept by this config");
            }
            _ => {}
        }
    }
}
