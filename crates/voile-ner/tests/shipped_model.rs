//! Corpus-level checks of the model shipped in `models/`. Skipped (with a note) only while
//! no model has been trained into the repository; once `models/model.safetensors` exists
//! every check asserts.

use std::path::PathBuf;
use voile_core::{Detector, Label};
use voile_ner::NerModel;

fn shipped() -> Option<NerModel> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models");
    if !dir.join("model.safetensors").is_file() {
        eprintln!("note: no shipped model in {}, skipping", dir.display());
        return None;
    }
    Some(NerModel::load(&dir).expect("the shipped model loads"))
}

#[test]
fn shipped_model_finds_an_obvious_name() {
    let Some(model) = shipped() else { return };
    let text = "Le patient a été vu par le Dr Jean Dupont à Nantes.";
    let mut spans = Vec::new();
    model.detect(text, &mut spans);
    let found: Vec<(&str, Label)> = spans.iter().map(|s| (s.surface(text), s.label)).collect();
    assert!(found.contains(&("Dupont", Label::Nom)), "{found:?}");
    assert!(found.contains(&("Jean", Label::Prenom)), "{found:?}");
    assert!(spans
        .iter()
        .all(|s| s.source.as_str() == "ner" && (0.0..=1.0).contains(&s.score)));
}

#[test]
fn shipped_model_reads_to_the_end_of_a_long_document() {
    let Some(model) = shipped() else { return };
    let filler = "Examen clinique sans particularité, tension artérielle à 12/8, pouls régulier.\n";
    let mut text = filler.repeat(250);
    let tail = "Le patient a été vu par le Dr Jean Dupont à Nantes.\n";
    text.push_str(tail);
    assert!(model.tokenizer().encode(&text).unwrap().len() > 3000);
    let mut spans = Vec::new();
    model.detect(&text, &mut spans);
    let tail_start = text.len() - tail.len();
    let nom = spans
        .iter()
        .find(|s| s.start >= tail_start && s.label == Label::Nom);
    assert_eq!(
        nom.map(|s| s.surface(&text)),
        Some("Dupont"),
        "{:?}",
        &spans[spans.len().saturating_sub(5)..]
    );
    // Offsets stay on char boundaries and inside single lines.
    for s in &spans {
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert!(!s.surface(&text).contains('\n'));
    }
}
