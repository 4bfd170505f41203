//! Operators other than surrogate, key handling, audit, defensive span handling, real lists.

mod common;
use common::*;
use voile_core::{ErrorKind, Label, Span};
use voile_gazetteer::lists::Lists;
use voile_surrogate::{Audit, Operator, Pseudonymiser, Scope, ScopeKind, SurrogateConfig};

const SCOPE: Scope = Scope {
    document_id: "d1",
    patient_id: None,
};

fn run(cfg: &SurrogateConfig, marked: &str) -> (String, Vec<voile_surrogate::Replacement>) {
    let (text, spans) = parse_markup(marked);
    let p = Pseudonymiser::new(cfg, Some(key("k")), &fixture_lists()).unwrap();
    let out = p.pseudonymise(&text, &spans, &SCOPE);
    (out.text, out.replacements)
}

#[test]
fn tag_redact_hash_keep() {
    let mut cfg = SurrogateConfig::default();
    cfg.operators.insert(Label::Nom, Operator::Tag);
    cfg.operators.insert(Label::Prenom, Operator::Redact);
    cfg.operators.insert(Label::Ville, Operator::Keep);
    cfg.operators.insert(Label::Ipp, Operator::Hash);
    let (out, reps) = run(&cfg, "M. [[PRENOM:Élodie]] [[NOM:DUPONT]] de [[VILLE:Nantes]], IPP [[IPP:123456]] / [[IPP:123 456]].");
    assert!(
        out.starts_with("M. XXXX [NOM] de Nantes, IPP IPP_"),
        "{out}"
    );
    assert_eq!(reps[3].replacement.len(), "IPP_".len() + 8);
    assert_eq!(
        reps[3].replacement, reps[4].replacement,
        "hash of the normalised entity"
    );
    assert_eq!(reps[0].operator, Operator::Redact);
    cfg.redact_keep_length = true;
    cfg.redact_char = '█';
    let (out, _) = run(&cfg, "M. [[PRENOM:Élodie]] x");
    assert_eq!(out, "M. ██████ x");
}

#[test]
fn keyed_operators_need_a_key_and_errors_say_how_to_give_one() {
    let e = Pseudonymiser::new(&SurrogateConfig::default(), None, &fixture_lists()).unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::Config(m) if m.contains("VOILE_KEY") && m.contains("--key-file") && m.contains("random"))
    );
    let cfg = SurrogateConfig {
        default_operator: Operator::Tag,
        ..Default::default()
    };
    let p = Pseudonymiser::new(&cfg, None, &Lists::default()).unwrap();
    let out = p.pseudonymise("Jean", &[Span::new(0, 4, Label::Prenom, "t", 1.0)], &SCOPE);
    assert_eq!(out.text, "[PRENOM]");
}

#[test]
fn unreadable_dates_fall_back_to_tags_and_are_audited() {
    let (out, reps) = run(
        &SurrogateConfig::default(),
        "vu [[DATE:J3 post-op]] et le [[DATE:12/03/2021]]",
    );
    assert!(out.starts_with("vu [DATE] et le "), "{out}");
    assert!(reps[0].fallback && reps[0].operator == Operator::Tag);
    assert!(!reps[1].fallback);
    let mut audit = Audit::default();
    audit.add_output(&reps);
    assert_eq!(audit.fallbacks.get(&Label::Date), Some(&1));
    assert_eq!(audit.by_label[&Label::Date][&Operator::Surrogate], 1);
    let json = serde_json::to_string(&audit).unwrap();
    assert!(
        !json.contains("12/03") && !json.contains("post-op"),
        "no text in the audit"
    );
}

#[test]
fn overlapping_and_misaligned_spans_never_leak_text() {
    let text = "Élise DURAND";
    let spans = [
        Span::new(0, 6, Label::Prenom, "t", 1.0),
        Span::new(3, 13, Label::Nom, "t", 1.0),
        Span::new(1, 2, Label::Nom, "t", 1.0),
        Span::new(40, 50, Label::Nom, "t", 1.0),
    ];
    let p = Pseudonymiser::new(
        &SurrogateConfig::default(),
        Some(key("k")),
        &fixture_lists(),
    )
    .unwrap();
    let out = p.pseudonymise(text, &spans, &SCOPE);
    assert!(
        !out.text.contains("lise") && !out.text.contains("DURAND"),
        "{}",
        out.text
    );
    let mut pos = 0;
    for r in &out.replacements {
        assert!(r.original.start >= pos);
        pos = r.original.end;
    }
}

#[test]
fn scopes_share_or_separate_surrogates() {
    let cfg = |scope| SurrogateConfig {
        scope,
        ..Default::default()
    };
    let p = |c: &SurrogateConfig| Pseudonymiser::new(c, Some(key("k")), &fixture_lists()).unwrap();
    let spans = [
        Span::new(0, 6, Label::Nom, "t", 1.0),
        Span::new(7, 17, Label::Date, "t", 1.0),
    ];
    let text = "DUPONT 12/03/2021";
    let a = Scope {
        document_id: "a",
        patient_id: Some("p"),
    };
    let b = Scope {
        document_id: "b",
        patient_id: Some("p"),
    };
    let patient = p(&cfg(ScopeKind::Patient));
    assert_eq!(
        patient.pseudonymise(text, &spans, &a).text,
        patient.pseudonymise(text, &spans, &b).text
    );
    let corpus = p(&cfg(ScopeKind::Corpus));
    let c = Scope {
        document_id: "c",
        patient_id: None,
    };
    assert_eq!(
        corpus.pseudonymise(text, &spans, &a).text,
        corpus.pseudonymise(text, &spans, &c).text
    );
    let doc = p(&cfg(ScopeKind::Document));
    let outs: Vec<String> = (0..6)
        .map(|i| {
            doc.pseudonymise(
                text,
                &spans,
                &Scope {
                    document_id: &format!("d{i}"),
                    patient_id: Some("p"),
                },
            )
            .text
        })
        .collect();
    assert!(
        outs.iter().any(|o| *o != outs[0]),
        "document scope separates documents"
    );
}

#[test]
fn pseudonymiser_is_send_and_sync_and_mapping_rows_carry_pairs() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Pseudonymiser>();
    let (text, spans) = parse_markup("Dr [[NOM:DUPONT]]");
    let p = Pseudonymiser::new(
        &SurrogateConfig::default(),
        Some(key("k")),
        &fixture_lists(),
    )
    .unwrap();
    let out = p.pseudonymise(&text, &spans, &SCOPE);
    let rows: Vec<String> = out.mapping_rows(&text).collect();
    assert_eq!(
        rows,
        vec![format!("NOM\tDUPONT\t{}", out.replacements[0].replacement)]
    );
}

#[test]
fn real_lists_give_plausible_surrogates() {
    let lists = real_or_fixture_lists();
    let p = Pseudonymiser::new(&SurrogateConfig::default(), Some(key("k")), &lists).unwrap();
    let (text, spans) = parse_markup(
        "[[PRENOM:Jean]] [[NOM:DUPONT]], [[ADRESSE:12 rue des Lilas]] [[ZIP:44000]] [[VILLE:Nantes]], [[HOPITAL:CHU de Nantes]], [[HOPITAL:Clinique Saint-Jean]]",
    );
    let out = p.pseudonymise(&text, &spans, &SCOPE);
    let r = &out.replacements;
    assert!(lists.first_names.iter().any(|f| f.name == r[0].replacement));
    assert!(lists
        .surnames
        .iter()
        .any(|s| s.name.to_uppercase() == r[1].replacement));
    assert!(r[2].replacement.contains(" rue "), "{}", r[2].replacement);
    assert!(lists
        .communes
        .iter()
        .any(|c| c.name == r[4].replacement && c.postcode == r[3].replacement));
    let kind_of = |n: &str| {
        lists
            .hospitals
            .iter()
            .find(|h| h.name == n)
            .map(|h| h.kind.clone())
    };
    assert_eq!(
        kind_of(&r[5].replacement).as_deref(),
        Some("CHU"),
        "{}",
        r[5].replacement
    );
    assert!(
        kind_of(&r[6].replacement).is_some_and(|k| k.contains("CLINIQUE")),
        "{}",
        r[6].replacement
    );
}
