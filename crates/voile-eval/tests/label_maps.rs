//! The example label maps shipped in `eval/label-maps/` load and do what their comments say.

use std::path::Path;
use voile_core::Label;
use voile_eval::LabelMap;

fn load(name: &str) -> LabelMap {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../eval/label-maps")
        .join(name);
    LabelMap::from_file(&p).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn shipped_label_maps_load() {
    let m = load("generic-phi.tsv");
    assert_eq!(m.lookup("PERSON"), Some(Some(Label::Nom)));
    assert_eq!(m.lookup("AGE"), Some(None));
    assert_eq!(m.lookup("SOMETHING_ELSE"), Some(None), "wildcard drops");
    assert_eq!(
        m.lookup("PRENOM"),
        Some(Some(Label::Prenom)),
        "voile labels pass through"
    );
    let m = load("merge-birth-dates.json");
    assert_eq!(m.map_label(Label::DateNaissance), Some(Label::Date));
}
