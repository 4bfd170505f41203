//! `voile::scan` on a mixed table: every identifying column flagged, no clinical column.

use voile::scan::{ColumnScanner, FREE_TEXT};
use voile::{Config, Pipeline};

/// A warehouse extract: identity columns, dates, codes, labels, doses, results, reports.
fn mixed_table() -> Vec<(&'static str, Vec<String>)> {
    let rows = 40;
    let pick = |xs: &[&str], i: usize| xs[i % xs.len()].to_string();
    let col = |f: &dyn Fn(usize) -> String| (0..rows).map(f).collect::<Vec<_>>();
    vec![
        (
            "nom",
            col(&|i| {
                pick(
                    &[
                        "DUPONT", "Martin", "LEFEVRE", "Bernard", "Moreau", "Garnier",
                    ],
                    i,
                )
            }),
        ),
        (
            "prenom",
            col(&|i| pick(&["Josiane", "Jean-Pierre", "Claire", "Mohamed", "Léa"], i)),
        ),
        (
            "date_naissance",
            col(&|i| format!("{:02}/{:02}/19{}", 1 + i % 28, 1 + i % 12, 40 + i)),
        ),
        (
            "nir",
            col(&|i| {
                pick(
                    &[
                        "2 57 07 75 112 045 46",
                        "1 85 05 78 006 084 36",
                        "185057800608436",
                    ],
                    i,
                )
            }),
        ),
        (
            "telephone",
            col(&|i| format!("06 12 34 {:02} {:02}", i, 99 - i)),
        ),
        ("mail", col(&|i| format!("patient{i}@orange.fr"))),
        ("adresse", col(&|i| format!("{} rue des Lilas", i + 1))),
        (
            "ville",
            col(&|i| pick(&["Nantes", "Lyon", "Bordeaux", "Cholet", "Rennes"], i)),
        ),
        (
            "code_postal",
            col(&|i| pick(&["44000", "69003", "33000", "49300", "35000"], i)),
        ),
        ("ipp", col(&|i| format!("800{:05}", 12345 + i))),
        (
            "date_prelevement",
            col(&|i| format!("2021-03-{:02}", 1 + i % 28)),
        ),
        (
            "code_cim10",
            col(&|i| pick(&["I10", "E11.9", "J45.0", "N18.3", "C50.9"], i)),
        ),
        (
            "libelle_diagnostic",
            col(&|i| {
                pick(
                    &[
                        "Hypertension essentielle",
                        "Diabète de type 2 sans complication",
                        "Asthme allergique",
                        "Maladie rénale chronique stade 3",
                        "Tumeur maligne du sein",
                    ],
                    i,
                )
            }),
        ),
        (
            "dose_mg",
            col(&|i| format!("{}", [500, 1000, 250, 5, 40][i % 5])),
        ),
        ("resultat", col(&|i| format!("{}.{}", 3 + i % 7, i % 10))),
        (
            "compte_rendu",
            col(&|i| {
                format!(
                    "Patiente vue en consultation le {:02}/04/2021 par le Dr Paul MARCHAND. \
             Mme {} se plaint de douleurs thoraciques atypiques depuis trois semaines.",
                    1 + i % 28,
                    ["DUPONT", "LEFEVRE", "GARNIER"][i % 3]
                )
            }),
        ),
    ]
}

#[test]
fn identifying_columns_are_flagged_and_clinical_ones_are_not() {
    let pipeline = Pipeline::new(&Config::from_json(r#"{"use_ner": false}"#).unwrap()).unwrap();
    let scanner = ColumnScanner::new(&pipeline);
    let expected_label = [
        ("nom", "NOM"),
        ("prenom", "PRENOM"),
        ("date_naissance", "DATE_NAISSANCE"),
        ("nir", "SECU"),
        ("telephone", "TEL"),
        ("mail", "MAIL"),
        ("adresse", "ADRESSE"),
        ("ville", "VILLE"),
        ("code_postal", "ZIP"),
        ("ipp", "IPP"),
        ("date_prelevement", "DATE"),
        ("compte_rendu", FREE_TEXT),
    ];
    for (name, values) in mixed_table() {
        let values: Vec<Option<String>> = values.into_iter().map(Some).collect();
        let report = scanner.scan(name, &values);
        eprintln!("{name}: {:?} {:?}", report.sensitive, report.labels);
        match expected_label.iter().find(|(n, _)| *n == name) {
            Some((_, label)) => {
                assert!(report.sensitive, "{name} flagged: {report:?}");
                assert!(
                    report.labels.get(*label).copied().unwrap_or(0.0) >= 0.5,
                    "{name} as {label}: {report:?}"
                );
            }
            None => assert!(!report.sensitive, "{name} is clinical: {report:?}"),
        }
        assert_eq!(report.values, 40);
    }
}

#[test]
fn nulls_and_blanks_are_not_counted() {
    let pipeline = Pipeline::new(&Config::from_json(r#"{"use_ner": false}"#).unwrap()).unwrap();
    let scanner = ColumnScanner::new(&pipeline);
    let values = vec![
        None,
        Some("  ".to_string()),
        Some("josiane@orange.fr".to_string()),
    ];
    let report = scanner.scan("contact", &values);
    assert_eq!(report.values, 1);
    assert_eq!(report.labels.get("MAIL"), Some(&1.0));
    assert!(report.sensitive);
}
