//! Corpus-level checks of the JSONL contract on a multi-line, multi-script file.

use voile_core::corpus::parse_line;

#[test]
fn every_span_surface_survives_a_round_trip() {
    let lines = [
        r#"{"id":"a","text":"Dr Zoé N'DIAYE – CHU de Nîmes","spans":[{"start":3,"end":6,"label":"PRENOM"},{"start":7,"end":14,"label":"NOM"},{"start":17,"end":29,"label":"HOPITAL"}]}"#,
        r#"{"id":"b","text":"œuf 😀 Jean","spans":[{"start":6,"end":10,"label":"PRENOM"}]}"#,
    ];
    for (i, line) in lines.iter().enumerate() {
        let rec = parse_line(line, i + 1).unwrap();
        let again = parse_line(&rec.to_json_line(true), i + 1).unwrap();
        let a: Vec<&str> = rec.spans.iter().map(|s| s.surface(&rec.text)).collect();
        let b: Vec<&str> = again.spans.iter().map(|s| s.surface(&again.text)).collect();
        assert_eq!(a, b);
    }
    let rec = parse_line(lines[1], 2).unwrap();
    assert_eq!(rec.spans[0].surface(&rec.text), "Jean");
}
