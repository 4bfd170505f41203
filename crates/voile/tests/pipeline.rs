//! Facade-level guarantees: thread safety, determinism across thread counts, known identities,
//! pseudonymisation keeps text outside spans.

use voile::corpus::Record;
use voile::{Config, Key, Label, Pipeline};

fn assert_send_sync<T: Send + Sync>() {}

fn pipeline() -> Pipeline {
    Pipeline::new(&Config::default()).expect("the default pipeline builds from shipped resources")
}

const DOCS: [&str; 4] = [
    "Mme Claire DUBOIS, née le 14/02/1962, demeurant 12 rue des Lilas, 44000 Nantes.\nTél. 02 40 12 34 56.",
    "Le patient a été vu par le Dr Jean Martin au CHU de Bordeaux le 3 mars 2021.",
    "IPP : 123456789 NDA : 2021004567\nN° SS : 1 85 05 78 006 084 36",
    "Pas d'identifiant ici : maladie de Parkinson, score de Glasgow à 15, TA 13/8.",
];

#[test]
fn pipeline_is_send_and_sync() {
    assert_send_sync::<Pipeline>();
}

#[test]
fn batch_output_is_identical_across_thread_counts() {
    let p = pipeline();
    let records: Vec<Record> = (0..40)
        .map(|i| Record::new(format!("d{i}"), DOCS[i % DOCS.len()]))
        .collect();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let a = one.install(|| p.detect_batch(&records));
    let b = two.install(|| p.detect_batch(&records));
    assert_eq!(a, b);
    for (r, spans) in records.iter().zip(&a) {
        for w in spans.windows(2) {
            assert!(w[0].end <= w[1].start, "resolved spans never overlap");
        }
        assert!(spans.iter().all(|s| !s.surface(&r.text).contains('\n')));
    }
}

#[test]
fn hard_negatives_yield_no_spans() {
    let spans = pipeline().detect(DOCS[3]);
    assert!(
        spans.is_empty(),
        "labels fired on a hard negative: {:?}",
        spans.iter().map(|s| s.label).collect::<Vec<_>>()
    );
}

#[test]
fn known_identity_from_meta_is_found_in_any_case() {
    let mut r = Record::new(
        "k",
        "Revue de Mme zorbanelli ce jour ; ZORBANELLI va mieux.",
    );
    r.extra.insert(
        "meta".into(),
        serde_json::json!({"patient": {"nom": "Zorbanelli", "prenom": "Ondine"}}),
    );
    let spans = pipeline().detect_record(&r);
    let noms = spans.iter().filter(|s| s.label == Label::Nom).count();
    assert_eq!(noms, 2, "both forms of the known surname are found");
}

#[test]
fn pseudonymisation_keeps_text_outside_spans() {
    let p = pipeline()
        .with_key(Some(Key::from_bytes(b"0123456789abcdef0123").unwrap()))
        .unwrap();
    let r = Record::new("x", DOCS[0]);
    let out = p.pseudonymise_record(&r).unwrap();
    assert!(!out.replacements.is_empty());
    let mut rebuilt = String::new();
    let mut last = 0;
    for rep in &out.replacements {
        rebuilt.push_str(&out.text[last..rep.output.start]);
        rebuilt.push_str(&r.text[rep.original.clone()]);
        last = rep.output.end;
    }
    rebuilt.push_str(&out.text[last..]);
    assert_eq!(
        rebuilt, r.text,
        "putting originals back restores the input exactly"
    );
}

#[test]
fn pipeline_with_the_shipped_ner_model_builds_and_finds_a_name() {
    let cfg = Config::from_json(r#"{"use_ner": true}"#).unwrap();
    let p = Pipeline::new(&cfg).expect("the shipped NER model loads");
    assert!(p.detector_names().contains(&"ner"));
    let text = "Le patient a été vu par le Dr Jean Dupont à Nantes.";
    let spans = p.detect(text);
    assert!(spans
        .iter()
        .any(|s| s.label == Label::Nom && s.surface(text) == "Dupont"));
}

/// A dictation transcribed without capitals or punctuation (the style-shift corpus has them).
const LOWERCASE_DICTATION: &str = "compte rendu dicté par le docteur morvan hélène service de \
cardiologie\nje revois ce jour en consultation madame guillou annick qui habite à lorient et qui \
est suivie pour une insuffisance cardiaque depuis deux ans elle va plutôt bien elle marche une \
demi heure par jour sans essoufflement le traitement est inchangé nous la reverrons dans six mois";

#[test]
fn lowercase_dictation_names_and_places_are_found() {
    let found = |cfg: &Config| {
        let spans = Pipeline::new(cfg).unwrap().detect(LOWERCASE_DICTATION);
        spans
            .iter()
            .map(|s| s.surface(LOWERCASE_DICTATION).to_string())
            .collect::<Vec<_>>()
            .join("|")
    };
    let with = found(&Config::default());
    for name in ["morvan", "guillou", "lorient"] {
        assert!(with.contains(name), "{name} missed: {with}");
    }
    let without = found(&Config {
        recase_lowercase: false,
        ..Config::default()
    });
    assert!(
        !without.contains("lorient"),
        "recasing is what finds it: {without}"
    );
}
