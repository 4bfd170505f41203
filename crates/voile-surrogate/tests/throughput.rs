//! Rough throughput of the replacement stage (the criterion bench is
//! benches/benches/surrogate.rs). Ignored by default: timing belongs in benchmarks.
//! `cargo test -p voile-surrogate --release --test throughput -- --ignored --nocapture`

mod common;
use common::*;
use voile_surrogate::{Pseudonymiser, Scope, SurrogateConfig};

#[test]
#[ignore]
fn replacement_stage_mb_per_s() {
    // 20 paragraphs: the patient repeats (as in real reports), everything else varies.
    let doctors = [
        "Martin", "Bernard", "Durand", "Moreau", "Girard", "Roux", "Faure", "Blanc", "Perrin",
        "Caron",
    ];
    let towns = ["Nantes", "Angers", "Cholet", "Rennes", "Laval"];
    let mut marked = String::new();
    for i in 0..20 {
        marked.push_str(&format!(
            "Compte rendu. Patient : [[PRENOM:Jean]] [[NOM:DUPONT]], né le [[DATE_NAISSANCE:02/01/1978]], demeurant [[ADRESSE:{n} rue des Lilas]], [[ZIP:440{n:02}]] [[VILLE:{town}]]. Tél. [[TEL:06 12 34 {n:02} 78]]. Hospitalisé au [[HOPITAL:CHU de {town}]] du [[DATE:{d} mars 2021]] au [[DATE:{d2:02}/04/2021]] pour une pneumopathie ; antécédent d'appendicectomie, traitement par amoxicilline 1 g x 3/j pendant 7 jours, évolution favorable. IPP [[IPP:80012{n:05}]]. Courrier au Dr [[NOM:{doc}]].\n",
            n = i + 1, d = i + 1, d2 = i + 3, town = towns[i % 5], doc = doctors[i % 10],
        ));
    }
    let (text, spans) = parse_markup(&marked);
    let p = Pseudonymiser::new(
        &SurrogateConfig::default(),
        Some(key("k")),
        &real_or_fixture_lists(),
    )
    .unwrap();
    let scope = Scope {
        document_id: "bench",
        patient_id: Some("p1"),
    };
    let cpu0 = thread_cpu_ns();
    let t = std::time::Instant::now();
    let mut n = 0;
    while t.elapsed().as_secs_f64() < 2.0 {
        let out = p.pseudonymise(&text, &spans, &scope);
        assert_eq!(out.replacements.len(), spans.len());
        n += 1;
    }
    // CPU time of this thread (the machine is shared; wall time would measure the others).
    let secs = match (cpu0, thread_cpu_ns()) {
        (Some(a), Some(b)) => (b - a) as f64 / 1e9,
        _ => t.elapsed().as_secs_f64(),
    };
    let mb = (text.len() * n) as f64 / 1e6;
    println!(
        "total {} bytes; {} spans/doc, {} bytes/doc: {:.1} MB/s, {:.0}k spans/s",
        text.len() * n,
        spans.len(),
        text.len(),
        mb / secs,
        (spans.len() * n) as f64 / secs / 1e3
    );
}

/// Nanoseconds this thread has run on a CPU (Linux), if known.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
