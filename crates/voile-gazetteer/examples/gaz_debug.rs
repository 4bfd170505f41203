//! Print the gazetteer spans of each argument (debugging aid).
use std::path::Path;
use voile_core::{resolve, Detector};
use voile_gazetteer::{lists::Lists, GazetteerConfig, GazetteerDetector};

fn main() {
    let lists = Lists::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../gazetteers"
    )))
    .unwrap();
    let det = GazetteerDetector::new(&lists, &GazetteerConfig::default()).unwrap();
    for text in std::env::args().skip(1) {
        let mut spans = Vec::new();
        det.detect(&text, &mut spans);
        for s in &spans {
            println!(
                "raw {:?} {} {} {}",
                &text[s.range()],
                s.label,
                s.source,
                s.score
            );
        }
        for s in resolve(spans) {
            println!("{:?} {} {}", &text[s.range()], s.label, s.score);
        }
    }
}
