//! Corpus-level checks on the shipped lists: hand-written French report snippets with inline
//! `[[LABEL:surface]]` markup (token-level precision/recall on NOM/PRENOM/VILLE/HOPITAL), and
//! the firing rate of NOM/PRENOM on real, mostly person-free clinical narrative (e3c).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use voile_core::{resolve, Detector, Label, Span};
use voile_gazetteer::lists::Lists;
use voile_gazetteer::{GazetteerConfig, GazetteerDetector};

fn detector() -> &'static GazetteerDetector {
    static D: OnceLock<GazetteerDetector> = OnceLock::new();
    D.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../gazetteers");
        GazetteerDetector::new(&Lists::load(&dir).unwrap(), &GazetteerConfig::default()).unwrap()
    })
}

const LABELS: [Label; 4] = [Label::Nom, Label::Prenom, Label::Ville, Label::Hopital];

/// Strip `[[LABEL:surface]]` markup: plain text plus gold (start, end, label) byte spans.
fn parse_markup(src: &str) -> (String, Vec<(usize, usize, Label)>) {
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find("[[") {
        text.push_str(&rest[..i]);
        let inner = &rest[i + 2..];
        let close = inner.find("]]").unwrap();
        let (label, surface) = inner[..close].split_once(':').unwrap();
        let start = text.len();
        text.push_str(surface);
        gold.push((start, text.len(), label.parse().unwrap()));
        rest = &inner[close + 2..];
    }
    text.push_str(rest);
    (text, gold)
}

/// Word tokens (byte ranges) of `text` inside `[s, e)`.
fn tokens(text: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text[s..e].char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(s + i);
        } else if let Some(st) = start.take() {
            out.push((st, s + i));
        }
    }
    if let Some(st) = start {
        out.push((st, e));
    }
    out
}

const DOCS: &[&str] = &[
    "COMPTE RENDU D'HOSPITALISATION\nService de neurologie, [[HOPITAL:CHU de Bordeaux]]\nPatient : [[PRENOM:Jean-Pierre]] [[NOM:DUBOIS]]\nNé le 12/03/1951 à [[VILLE:Libourne]]\nMédecin traitant : Dr [[NOM:Lefèvre]], [[VILLE:Pessac]]\n\nMonsieur [[NOM:Dubois]] est hospitalisé pour exploration d'une maladie de Parkinson évoluant depuis 2015. Pas de signe de Babinski. Score de Glasgow à 15.\nTraitement par Modopar.\nSortie vers son domicile à [[VILLE:Arcachon]].\nDr [[PRENOM:Claire]] [[NOM:Moreau]], interne.",
    "Lettre de liaison\n[[HOPITAL:Hôpital Necker-Enfants malades]], [[HOPITAL:AP-HP]]\nCher confrère,\nJ'ai vu en consultation l'enfant [[PRENOM:Lucas]] [[NOM:PETIT]], 8 ans, adressé par le Dr [[NOM:Garnier]] ([[VILLE:Créteil]]). Il présente un syndrome de Marfan confirmé. Un petit nodule thyroïdien a été noté. Sa mère, Mme [[NOM:Petit]], nous accompagne.\nBien confraternellement,\nPr [[PRENOM:Anne]] [[NOM:Rousseau]]",
    "Patiente de 67 ans, originaire de [[VILLE:Nantes]], suivie au [[HOPITAL:Centre Léon Bérard]] pour un lymphome de Hodgkin. Elle habite à [[VILLE:Vienne]] (38200) chez sa fille [[PRENOM:Sophie]]. Transfert au [[HOPITAL:CHU de Grenoble]] prévu.",
    "Nom : [[NOM:MARTIN]]\nPrénom : [[PRENOM:Rose]]\nAdresse : 12 rue des Lilas, 44000 [[VILLE:NANTES]]\nMotif : douleur thoracique. La patiente a reçu une rose de sa petite-fille. Pierre angulaire du traitement : aspirine.",
    "Vu ce jour par le Dr [[PRENOM:M.]] [[NOM:Bernard]] en présence de l'IDE. Le patient, M. [[NOM:Girard]], a été transféré de la [[HOPITAL:Clinique Saint-Jean]] vers l'[[HOPITAL:Hôpital Européen Georges-Pompidou]]. Épreuve de Lasègue négative.",
    "Antécédents : maladie de Crohn, syndrome de Cushing iatrogène, thyroïdite de Hashimoto. Test de Schirmer positif, évoquant un syndrome de Gougerot-Sjögren. Classification de Child-Pugh B.",
    "[[PRENOM:Marie]] [[NOM:Lambert]], née à [[VILLE:Lyon]], domiciliée à [[VILLE:Villeurbanne]]. Suivie à l'[[HOPITAL:Hôpital de la Croix-Rousse]] ([[HOPITAL:HCL]]) par le Pr [[NOM:Chevalier]].",
    "Conclusion : pneumopathie franche lobaire aiguë. Le patient est sorti le 14 mars. Contrôle radiologique au [[HOPITAL:Centre hospitalier de Cholet]] dans un mois. Courrier adressé au Dr [[PRENOM:Philippe]] [[NOM:Roux]], médecin traitant à [[VILLE:Angers]].",
    "Examen clinique : abdomen souple, signe de Murphy négatif. Pas d'adénopathie. Point de McBurney indolore. Score de Wells faible. Maladie de Lyme écartée.",
    "Madame [[PRENOM:Nathalie]] [[NOM:GAUTHIER]] épouse [[NOM:FAURE]], 54 ans, résidant à [[VILLE:Marseille]], est adressée par l'[[HOPITAL:Institut Paoli-Calmettes]] pour prise en charge d'une neutropénie fébrile.",
    "Il s'agit d'un homme de 45 ans, agriculteur à [[VILLE:Cholet]], sans antécédent notable. Il a été vu aux urgences de l'[[HOPITAL:Hôpital Saint-Louis]] puis transféré au [[HOPITAL:CHU d'Angers]]. Son épouse [[PRENOM:Isabelle]] l'accompagne.",
    "Réunion de concertation pluridisciplinaire du [[HOPITAL:CHU de Nantes]]. Présents : Dr [[NOM:Leroy]], Dr [[PRENOM:Thomas]] [[NOM:Nguyen]], Pr [[NOM:Fontaine]]. Dossier de Mme [[NOM:Blanc]], 72 ans.",
    "L'IRM montre une lésion de la fosse postérieure. La TDM est normale. Bilan biologique : CRP à 12 mg/L. Traitement par Doliprane et Augmentin. Le Pr [[NOM:Dupont]] propose une biopsie.",
];

#[test]
fn token_level_precision_and_recall_on_snippets() {
    let det = detector();
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (i, src) in DOCS.iter().enumerate() {
        let (text, gold) = parse_markup(src);
        let mut spans: Vec<Span> = Vec::new();
        det.detect(&text, &mut spans);
        let spans = resolve(spans);
        let gold_toks: BTreeSet<(usize, usize, Label)> = gold
            .iter()
            .filter(|g| LABELS.contains(&g.2))
            .flat_map(|&(s, e, l)| tokens(&text, s, e).into_iter().map(move |(a, b)| (a, b, l)))
            .collect();
        let pred_toks: BTreeSet<(usize, usize, Label)> = spans
            .iter()
            .filter(|s| LABELS.contains(&s.label))
            .flat_map(|s| {
                tokens(&text, s.start, s.end)
                    .into_iter()
                    .map(move |(a, b)| (a, b, s.label))
            })
            .collect();
        for t in pred_toks.difference(&gold_toks) {
            eprintln!("doc {i}: FP {:?} {}", &text[t.0..t.1], t.2);
        }
        for t in gold_toks.difference(&pred_toks) {
            eprintln!("doc {i}: FN {:?} {}", &text[t.0..t.1], t.2);
        }
        tp += pred_toks.intersection(&gold_toks).count();
        fp += pred_toks.difference(&gold_toks).count();
        fn_ += gold_toks.difference(&pred_toks).count();
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    eprintln!("token-level P={p:.3} R={r:.3} (tp={tp} fp={fp} fn={fn_})");
    assert!(p >= 0.85 && r >= 0.85, "P={p:.3} R={r:.3}");
}

#[test]
fn few_person_spans_on_real_clinical_narrative() {
    let path = Path::new("/work/shared/corpora/e3c-fr-clinical-cases.jsonl");
    let Ok(raw) = std::fs::read_to_string(path) else {
        eprintln!("e3c corpus not available: skipped");
        return;
    };
    let det = detector();
    let (mut bytes, mut persons, mut all) = (0usize, 0usize, 0usize);
    let mut examples = BTreeSet::new();
    for line in raw.lines().take(300) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap_or_default();
        bytes += text.len();
        let mut spans = Vec::new();
        det.detect(text, &mut spans);
        for s in resolve(spans) {
            all += 1;
            let surface = &text[s.range()];
            // Initials after a title (`Mr A.B`) are real identifiers under the label contract.
            let initials =
                surface.contains('.') && surface.chars().filter(|c| c.is_alphabetic()).count() <= 3;
            if matches!(s.label, Label::Nom | Label::Prenom) && !initials {
                persons += 1;
                if examples.len() < 40 {
                    examples.insert(text[s.range()].to_string());
                }
            }
        }
    }
    let per_10k = persons as f64 * 10_000.0 / bytes.max(1) as f64;
    eprintln!("e3c 300 docs: {bytes} bytes, {all} spans, {persons} NOM/PRENOM = {per_10k:.2} per 10 kB; e.g. {examples:?}");
    assert!(bytes > 100_000);
    assert!(per_10k < 1.0, "{per_10k:.2} NOM/PRENOM per 10 kB");
}

/// Surfaces of `label` that the gazetteer finds in `text` (resolved).
fn surfaces(text: &str, label: Label) -> Vec<String> {
    let mut spans = Vec::new();
    detector().detect(text, &mut spans);
    resolve(spans)
        .into_iter()
        .filter(|s| s.label == label)
        .map(|s| text[s.range()].to_string())
        .collect()
}

#[test]
fn listed_establishments_are_found_by_their_short_hyphenated_names() {
    let cases = [
        (
            "Transférée à la Pitié-Salpêtrière le soir même.",
            "Pitié-Salpêtrière",
        ),
        ("Suivi en dialyse à l'Hôtel-Dieu depuis 2019.", "Hôtel-Dieu"),
        ("Hospitalisé à la Croix-Rousse pour bilan.", "Croix-Rousse"),
        ("ADRESSÉE PAR L'HÔTEL-DIEU POUR AVIS.", "HÔTEL-DIEU"),
    ];
    for (text, want) in cases {
        assert_eq!(
            surfaces(text, Label::Hopital),
            vec![want.to_string()],
            "{text:?}"
        );
    }
}

#[test]
fn streets_and_communes_named_like_establishments_are_not_establishments() {
    for text in [
        "Domicile : 12 rue Jean-Jaurès, au 2e étage.",
        "Né au Kremlin-Bicêtre, vit à La Roche-sur-Yon.",
        "Douleur du quadrant Nord-Ouest, avenue Robert-Debré.",
        "Épidémie dans la région Franche-Comté.",
    ] {
        assert!(
            surfaces(text, Label::Hopital).is_empty(),
            "{text:?}: {:?}",
            surfaces(text, Label::Hopital)
        );
    }
}

#[test]
fn cities_abroad_are_places_after_a_birth_residence_or_origin_cue() {
    let cases = [
        ("Patient né à Dakar en 1961.", "Dakar"),
        ("Originaire de Kayes, arrivé en France en 2015.", "Kayes"),
        ("Native d'Alger, vit seule.", "Alger"),
        ("Vit à Braga avec sa fille.", "Braga"),
        ("Lieu de naissance : Kyiv", "Kyiv"),
        ("Gastroscopie faite à Kyiv en 2016.", "Kyiv"),
        ("Arrivée d'Odessa en avril 2022.", "Odessa"),
        ("NEE LE 01/01/2003 A KAYES (MALI)", "KAYES"),
        ("Genève, le 2 juillet 2025", "Genève"),
    ];
    for (text, want) in cases {
        assert_eq!(
            surfaces(text, Label::Ville),
            vec![want.to_string()],
            "{text:?}"
        );
    }
}

#[test]
fn cities_abroad_without_a_strong_cue_are_left_alone() {
    for text in [
        "Score de Genève modifié à 4.",
        "Le rallye Dakar est passé par la ville.",
        "Traitement débuté à Kayes ? Non, à domicile.",
        "L'IDR à la tuberculine est négative, LBA de contrôle.",
        "Œsophagite grade B de Los Angeles, mutation du facteur V de Leiden.",
    ] {
        let cities = surfaces(text, Label::Ville);
        assert!(
            !cities.iter().any(
                |c| ["Genève", "Dakar", "IDR", "LBA", "Los Angeles", "Leiden"]
                    .contains(&c.as_str())
            ),
            "{text:?}: {cities:?}"
        );
    }
}
