//! The real lists under `gazetteers/` load and contain what the detector relies on.

use std::path::PathBuf;
use std::time::Instant;
use voile_gazetteer::lists::{Lists, Sex};

fn gazetteer_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../gazetteers")
}

#[test]
fn shipped_lists_load_and_are_sane() {
    let t = Instant::now();
    let l = Lists::load(&gazetteer_dir()).expect("shipped lists load");
    eprintln!("Lists::load: {:?}", t.elapsed());

    assert!(l.first_names.len() > 10_000, "{}", l.first_names.len());
    for sex in [Sex::M, Sex::F, Sex::X] {
        assert!(l.first_names.iter().any(|f| f.sex == sex));
    }
    let camille = l.first_names.iter().find(|f| f.name == "Camille").unwrap();
    assert_eq!(camille.sex, Sex::X);
    assert!(l
        .first_names
        .iter()
        .any(|f| f.name == "Jean-Pierre" && f.sex == Sex::M));

    assert!(l.surnames.len() > 50_000);
    assert!(l.surnames.iter().any(|s| s.name == "Dupont"));

    assert!(l
        .communes
        .iter()
        .any(|c| c.name == "Nantes" && c.postcode == "44000"));
    assert!(l
        .communes
        .iter()
        .any(|c| c.name == "Paris 12e Arrondissement" && c.postcode == "75012"));
    assert!(l
        .communes
        .iter()
        .any(|c| c.name == "Paris" && c.population > 2_000_000));
    assert!(
        l.communes.iter().any(|c| c.postcode.starts_with("974")),
        "overseas communes"
    );

    assert!(l.hospitals.len() >= 300);
    assert!(l
        .hospitals
        .iter()
        .any(|h| h.name == "CHU de Bordeaux" && h.kind == "CHU"));
    assert!(l
        .hospitals
        .iter()
        .any(|h| h.name == "Hôpital Necker-Enfants malades"));
    assert!(l
        .street_types
        .iter()
        .any(|s| s.name == "boulevard" && s.abbreviations.contains(&"bd".to_string())));

    assert!(l.eponyms.iter().any(|e| e == "Parkinson"));
    assert!(l.eponyms.iter().any(|e| e == "Guillain-Barré"));
    assert!(l.drugs.len() > 1000);
    assert!(l.common_words.iter().any(|w| w == "Petit"));
    assert!(!l.common_words.iter().any(|w| w == "Martin"));
}
