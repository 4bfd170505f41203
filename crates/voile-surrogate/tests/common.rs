//! Shared helpers: markup parsing (`[[LABEL:surface]]`) and pseudonymiser construction.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use voile_core::{Label, Span};
use voile_gazetteer::lists::Lists;
use voile_surrogate::{Key, Pseudonymiser, SurrogateConfig};

pub fn fixture_lists() -> Lists {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gazetteers");
    Lists::load(&dir).expect("fixture lists load")
}

/// The repository's real lists when they are present, else the fixtures.
pub fn real_or_fixture_lists() -> Lists {
    let real = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../gazetteers");
    Lists::load(&real).unwrap_or_else(|_| fixture_lists())
}

pub fn key(s: &str) -> Key {
    Key::from_bytes(format!("test-key-{s}-0123456789").as_bytes()).unwrap()
}

pub fn pseudonymiser(k: &str) -> Pseudonymiser {
    Pseudonymiser::new(&SurrogateConfig::default(), Some(key(k)), &fixture_lists()).unwrap()
}

/// Strip `[[LABEL:surface]]` markup into a text and its spans (byte offsets).
pub fn parse_markup(marked: &str) -> (String, Vec<Span>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut rest = marked;
    while let Some(i) = rest.find("[[") {
        text.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let colon = after.find(':').expect("label then colon");
        let label: Label = after[..colon].parse().expect("known label");
        let end = after.find("]]").expect("closing brackets");
        let surface = &after[colon + 1..end];
        let start = text.len();
        text.push_str(surface);
        spans.push(Span::new(start, text.len(), label, "test", 1.0));
        rest = &after[end + 2..];
    }
    text.push_str(rest);
    (text, spans)
}
