//! Replacement stage throughput: pseudonymise realistic report text dense with identifiers
//! (every label, several date forms) with the shipped lists. Reported as input bytes/s.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;
use voile_core::{Label, Span};
use voile_gazetteer::lists::Lists;
use voile_surrogate::{Key, Pseudonymiser, Scope, SurrogateConfig};

const DOCTORS: [&str; 10] = [
    "Martin", "Bernard", "Durand", "Moreau", "Girard", "Roux", "Faure", "Blanc", "Perrin", "Caron",
];
const TOWNS: [&str; 5] = ["Nantes", "Angers", "Cholet", "Rennes", "Laval"];

/// One report of 20 paragraphs: the patient repeats (as in real reports), dates, numbers,
/// towns and physicians vary. Returns the text and its spans.
fn document() -> (String, Vec<Span>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut push = |text: &mut String, s: &str, label: Option<Label>| {
        let start = text.len();
        text.push_str(s);
        if let Some(l) = label {
            spans.push(Span::new(start, text.len(), l, "bench", 1.0));
        }
    };
    for i in 0..20 {
        let (n, town, doctor) = (i + 1, TOWNS[i % 5], DOCTORS[i % 10]);
        push(&mut text, "Compte rendu. Patient : ", None);
        push(&mut text, "Jean", Some(Label::Prenom));
        push(&mut text, " ", None);
        push(&mut text, "DUPONT", Some(Label::Nom));
        push(&mut text, ", né le ", None);
        push(&mut text, "02/01/1978", Some(Label::DateNaissance));
        push(&mut text, ", demeurant ", None);
        push(
            &mut text,
            &format!("{n} rue des Lilas"),
            Some(Label::Adresse),
        );
        push(&mut text, ", ", None);
        push(&mut text, &format!("440{n:02}"), Some(Label::Zip));
        push(&mut text, " ", None);
        push(&mut text, town, Some(Label::Ville));
        push(&mut text, ". Tél. ", None);
        push(&mut text, &format!("06 12 34 {n:02} 78"), Some(Label::Tel));
        push(&mut text, ". Hospitalisé au ", None);
        push(&mut text, &format!("CHU de {town}"), Some(Label::Hopital));
        push(&mut text, " du ", None);
        push(&mut text, &format!("{n} mars 2021"), Some(Label::Date));
        push(&mut text, " au ", None);
        push(
            &mut text,
            &format!("{:02}/04/2021", n + 2),
            Some(Label::Date),
        );
        push(
            &mut text,
            " pour une pneumopathie ; antécédent d'appendicectomie, traitement par amoxicilline \
             1 g x 3/j pendant 7 jours, évolution favorable. IPP ",
            None,
        );
        push(&mut text, &format!("80012{n:05}"), Some(Label::Ipp));
        push(&mut text, ". Courrier au Dr ", None);
        push(&mut text, doctor, Some(Label::Nom));
        push(&mut text, ".\n", None);
    }
    (text, spans)
}

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../gazetteers");
    let lists = Lists::load(&dir).unwrap_or_default();
    let key = Key::from_bytes(b"benchmark-key-0123456789").unwrap();
    let p = Pseudonymiser::new(&SurrogateConfig::default(), Some(key), &lists).unwrap();
    let (text, spans) = document();
    let scope = Scope {
        document_id: "bench",
        patient_id: Some("p1"),
    };
    let out = p.pseudonymise(&text, &spans, &scope);
    assert_eq!(out.replacements.len(), spans.len());
    assert!(out.replacements.iter().all(|r| !r.fallback));
    let mut g = c.benchmark_group("surrogate");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("pseudonymise_dense_report", |b| {
        b.iter(|| p.pseudonymise(&text, &spans, &scope))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
