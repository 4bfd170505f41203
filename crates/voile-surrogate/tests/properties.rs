//! Property tests over seeded random documents: exact rebuild, untouched text, determinism
//! across runs and threads, key dependence, surrogate ≠ original, valid checksums,
//! preserved date intervals, consistent name variants.

mod common;
use common::*;
use voile_core::{Label, Span};
use voile_surrogate::{luhn_valid, nir_valid, Pseudonymised, Scope};

/// SplitMix64, for reproducible test documents.
struct R(u64);
impl R {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn civil(z: i64) -> (i64, i64, i64) {
    // Inverse by search from a close year (test-side, independent of the crate's code).
    let mut y = 1970 + z.div_euclid(366);
    while days_from_civil(y + 1, 1, 1) <= z {
        y += 1;
    }
    let mut m = 1;
    while m < 12 && days_from_civil(y, m + 1, 1) <= z {
        m += 1;
    }
    (y, m, z - days_from_civil(y, m, 1) + 1)
}

/// Month names are vocabulary, not the arithmetic under test: the shared list.
use voile_core::calendar::MONTHS;

/// A date written in one of several forms, from a day number.
fn write_date(z: i64, form: usize) -> String {
    let (y, m, d) = civil(z);
    match form {
        0 => format!("{d:02}/{m:02}/{y}"),
        1 => format!("{d:02}.{m:02}.{:02}", y % 100),
        2 => format!("{y}-{m:02}-{d:02}"),
        3 => format!(
            "{} {} {y}",
            if d == 1 {
                "1er".to_string()
            } else {
                d.to_string()
            },
            MONTHS[m as usize - 1]
        ),
        _ => format!("{d} {} {y}", MONTHS[m as usize - 1].to_uppercase()),
    }
}

/// Parse the forms above back to a day number (test-side parser).
fn read_date(s: &str) -> Option<i64> {
    let lower = s.to_lowercase();
    let parts: Vec<&str> = lower
        .split(['/', '.', '-', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return None;
    }
    let num = |p: &str| p.trim_end_matches("er").parse::<i64>().ok();
    if let Some(mi) = MONTHS.iter().position(|m| *m == parts[1]) {
        return Some(days_from_civil(
            num(parts[2])?,
            mi as i64 + 1,
            num(parts[0])?,
        ));
    }
    let (a, b, c) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
    if parts[0].len() == 4 {
        Some(days_from_civil(a, b, c))
    } else {
        let y = if parts[2].len() == 2 {
            if c < 50 {
                2000 + c
            } else {
                1900 + c
            }
        } else {
            c
        };
        Some(days_from_civil(y, b, a))
    }
}

const NOMS: [&str; 8] = [
    "DUPONT",
    "Durand",
    "de VILLIERS",
    "Le Floch",
    "Martin-Roux",
    "N'DIAYE",
    "lambert",
    "Ibert",
];
const PRENOMS: [&str; 7] = [
    "Jean",
    "Marie",
    "Jean-Pierre",
    "Hélène",
    "Camille",
    "J.",
    "Océane",
];
const VILLES: [&str; 5] = ["Nantes", "ANGERS", "Saint-Étienne", "Cholet", "Paris"];
const ADRESSES: [&str; 4] = [
    "12 rue des Lilas",
    "3 bis avenue Foch",
    "Bât. B, 3 allée des Pins",
    "Lieu-dit La Croix",
];
const HOPITAUX: [&str; 4] = [
    "CHU de Nantes",
    "Clinique Saint-Jean",
    "Centre Hospitalier de Cholet",
    "Hôpital Truc",
];
const TELS: [&str; 5] = [
    "06 12 34 56 78",
    "02.40.12.34.56",
    "+33 6 12 34 56 78",
    "0033 2 40 12 34 56",
    "0240123456",
];
const MAILS: [&str; 3] = [
    "jean.dupont@chu-nantes.fr",
    "mdurand@gmail.com",
    "secretariat.cardio@clinique-x.fr",
];
const FILLER: [&str; 8] = [
    "Patient vu en consultation. ",
    "Pas d'antécédent notable ; ",
    "examen clinique sans particularité, ",
    "TA 12/8, pouls 72. ",
    "Traitement : paracétamol 1 g. ",
    "\n",
    "Évolution favorable — à revoir. ",
    "é à ü œ ",
];

/// A valid NIR: 13 digits and key.
fn nir(r: &mut R) -> String {
    let body = format!(
        "{}{:02}{:02}{:02}{:03}{:03}",
        1 + r.below(2),
        r.below(100),
        1 + r.below(12),
        1 + r.below(95),
        1 + r.below(999),
        1 + r.below(999)
    );
    let n: u64 = body.parse().unwrap();
    format!(
        "{} {} {} {} {} {} {:02}",
        &body[..1],
        &body[1..3],
        &body[3..5],
        &body[5..7],
        &body[7..10],
        &body[10..13],
        97 - n % 97
    )
}

fn luhn_number(r: &mut R, len: usize, prefix: &str) -> String {
    loop {
        let mut s = prefix.to_string();
        while s.len() < len {
            s.push((b'0' + r.below(10) as u8) as char);
        }
        let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        if luhn_valid(&d) {
            return s;
        }
    }
}

struct Doc {
    text: String,
    spans: Vec<Span>,
    /// Day numbers of the full dates written, by span index.
    dates: Vec<(usize, i64)>,
}

fn random_doc(r: &mut R) -> Doc {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut dates = Vec::new();
    for _ in 0..(10 + r.below(30)) {
        text.push_str(r.pick(&FILLER));
        let (label, surface) = match r.below(14) {
            0 => (Label::Nom, r.pick(&NOMS).to_string()),
            1 => (Label::Prenom, r.pick(&PRENOMS).to_string()),
            2 | 3 => {
                let z = 7_000 + r.below(15_000) as i64;
                dates.push((spans.len(), z));
                let l = if r.below(4) == 0 {
                    Label::DateNaissance
                } else {
                    Label::Date
                };
                (l, write_date(z, r.below(5)))
            }
            4 => (Label::Ville, r.pick(&VILLES).to_string()),
            5 => (Label::Zip, format!("{:05}", 1000 + r.below(94_000))),
            6 => (Label::Adresse, r.pick(&ADRESSES).to_string()),
            7 => (Label::Hopital, r.pick(&HOPITAUX).to_string()),
            8 => (Label::Tel, r.pick(&TELS).to_string()),
            9 => (Label::Mail, r.pick(&MAILS).to_string()),
            10 => (Label::Secu, nir(r)),
            11 => (
                Label::Ipp,
                format!(
                    "{}{:07}",
                    ["", "P", "IPP-"][r.below(3)],
                    r.below(10_000_000)
                ),
            ),
            12 => (Label::Nda, format!("{:010}", r.below(1_000_000_000))),
            _ => (
                Label::Id,
                if r.below(2) == 0 {
                    luhn_number(r, 11, "10")
                } else {
                    luhn_number(r, 9, "44")
                },
            ),
        };
        let start = text.len();
        text.push_str(&surface);
        spans.push(Span::new(start, text.len(), label, "test", 1.0));
        text.push(' ');
    }
    Doc { text, spans, dates }
}

fn check_rebuild(doc: &Doc, out: &Pseudonymised) {
    let mut rebuilt = String::new();
    let mut pos = 0;
    assert_eq!(out.replacements.len(), doc.spans.len());
    for (r, s) in out.replacements.iter().zip(&doc.spans) {
        assert_eq!(r.original, s.range());
        assert_eq!(&out.text[r.output.clone()], r.replacement);
        rebuilt.push_str(&doc.text[pos..r.original.start]);
        assert_eq!(rebuilt.len(), r.output.start, "output offsets are exact");
        rebuilt.push_str(&r.replacement);
        pos = r.original.end;
    }
    rebuilt.push_str(&doc.text[pos..]);
    assert_eq!(rebuilt, out.text, "untouched text is byte-identical");
}

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

const SCOPE: Scope = Scope {
    document_id: "doc",
    patient_id: Some("patient-1"),
};

#[test]
fn random_documents_satisfy_every_invariant() {
    let p = pseudonymiser("k1");
    let mut r = R(7);
    for _ in 0..300 {
        let doc = random_doc(&mut r);
        let out = p.pseudonymise(&doc.text, &doc.spans, &SCOPE);
        check_rebuild(&doc, &out);
        for rep in &out.replacements {
            let orig = &doc.text[rep.original.clone()];
            assert!(!rep.fallback, "no fallback expected for {:?}", rep.label);
            assert_ne!(
                fold(orig),
                fold(&rep.replacement),
                "{:?} kept its value",
                rep.label
            );
            match rep.label {
                Label::Secu => assert!(nir_valid(&rep.replacement), "invalid NIR surrogate"),
                Label::Id => {
                    let d: Vec<u8> = rep.replacement.bytes().map(|b| b - b'0').collect();
                    assert!(luhn_valid(&d), "RPPS/FINESS surrogate fails Luhn");
                }
                Label::Tel => {
                    let shape = |s: &str| {
                        s.chars()
                            .map(|c| if c.is_ascii_digit() { '9' } else { c })
                            .collect::<String>()
                    };
                    assert_eq!(shape(orig), shape(&rep.replacement));
                }
                Label::Mail => assert_eq!(rep.replacement.matches('@').count(), 1),
                _ => {}
            }
        }
        // Date intervals are preserved exactly within the scope.
        let shifted: Vec<(i64, i64)> = doc
            .dates
            .iter()
            .map(|&(i, z)| {
                (
                    z,
                    read_date(&out.replacements[i].replacement).expect("shifted date parses"),
                )
            })
            .collect();
        if let Some(&(z0, n0)) = shifted.first() {
            assert_ne!(z0, n0);
            for &(z, n) in &shifted {
                assert_eq!(n - z, n0 - z0, "one shift per scope");
            }
        }
    }
}

#[test]
fn same_key_same_output_across_threads_different_key_differs() {
    let mut r = R(11);
    let docs: Vec<Doc> = (0..40).map(|_| random_doc(&mut r)).collect();
    let reference: Vec<String> = {
        let p = pseudonymiser("k1");
        docs.iter()
            .map(|d| p.pseudonymise(&d.text, &d.spans, &SCOPE).text)
            .collect()
    };
    // A separately built pseudonymiser (as in another process) shared by four threads.
    let p = pseudonymiser("k1");
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let (p, docs, reference) = (&p, &docs, &reference);
                s.spawn(move || {
                    for (i, d) in docs.iter().enumerate().skip(t) {
                        assert_eq!(p.pseudonymise(&d.text, &d.spans, &SCOPE).text, reference[i]);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    let other = pseudonymiser("k2");
    let differing = docs
        .iter()
        .zip(&reference)
        .filter(|(d, r)| other.pseudonymise(&d.text, &d.spans, &SCOPE).text != **r)
        .count();
    assert_eq!(
        differing,
        docs.len(),
        "a different key changes every document"
    );
}

fn surrogates(marked: &str, scope: &Scope) -> Vec<String> {
    let (text, spans) = parse_markup(marked);
    pseudonymiser("k1")
        .pseudonymise(&text, &spans, scope)
        .replacements
        .into_iter()
        .map(|r| r.replacement)
        .collect()
}

#[test]
fn linked_name_variants_map_to_one_surrogate() {
    let s = surrogates(
        "[[NOM:DUPONT]], [[NOM:Dupont]], [[PRENOM:J.]] [[NOM:Dupont]], [[PRENOM:Jean]] [[NOM:DUPONT]], M. [[NOM:Dupont]], [[NOM:dupont]], [[NOM:Dupont-Durand]], [[NOM:de Villiers]], [[NOM:VILLIERS]]",
        &SCOPE,
    );
    let base = s[1].clone();
    assert_eq!(s[0], base.to_uppercase());
    assert_eq!(s[3], base);
    assert_eq!(s[5], base.to_uppercase());
    assert_eq!(s[6], base);
    assert_eq!(s[7], base.to_lowercase());
    assert!(s[8].starts_with(&format!("{base}-")), "{}", s[8]);
    // The initial is the initial of the first name's surrogate.
    assert_eq!(s[2].chars().next(), s[4].chars().next());
    assert_eq!(s[2].len(), 2);
    assert_eq!(s[9].to_uppercase(), s[10]);
    // Another document of the same patient: same surrogates; another patient: different.
    let same = surrogates(
        "[[NOM:Dupont]]",
        &Scope {
            document_id: "other",
            patient_id: Some("patient-1"),
        },
    );
    assert_eq!(same[0], base);
    let others: Vec<String> = (0..5)
        .map(|i| {
            surrogates(
                "[[NOM:Dupont]]",
                &Scope {
                    document_id: "x",
                    patient_id: Some(&format!("p{i}")),
                },
            )[0]
            .clone()
        })
        .collect();
    assert!(others.iter().any(|o| *o != base));
}

#[test]
fn first_names_keep_sex_and_compound_shape() {
    let lists = fixture_lists();
    let sex = |n: &str| {
        lists
            .first_names
            .iter()
            .find(|f| f.name == n)
            .map(|f| f.sex)
    };
    for i in 0..20 {
        let scope = Scope {
            document_id: "d",
            patient_id: Some(&format!("p{i}")),
        };
        let s = surrogates(
            "[[PRENOM:Jean]] [[PRENOM:Marie]] [[PRENOM:Jean-Pierre]] [[PRENOM:NATHALIE]]",
            &scope,
        );
        use voile_gazetteer::lists::Sex;
        assert_ne!(sex(&s[0]), Some(Sex::F), "{}", s[0]);
        assert_ne!(sex(&s[1]), Some(Sex::M), "{}", s[1]);
        assert_eq!(s[2].matches('-').count(), 1, "{}", s[2]);
        assert_eq!(s[3], s[3].to_uppercase());
    }
}

#[test]
fn zip_follows_adjacent_city_and_nir_follows_birth_date() {
    let s = surrogates(
        "[[ZIP:44000]] [[VILLE:Nantes]] ; [[VILLE:Angers]] ([[ZIP:49000]]) ; [[ZIP:35000]]",
        &SCOPE,
    );
    let lists = fixture_lists();
    let code_of = |city: &str| {
        lists
            .communes
            .iter()
            .filter(|c| c.name == city)
            .map(|c| c.postcode.clone())
            .collect::<Vec<_>>()
    };
    assert!(code_of(&s[1]).contains(&s[0]), "{s:?}");
    assert!(code_of(&s[2]).contains(&s[3]), "{s:?}");
    assert!(lists.communes.iter().any(|c| c.postcode == s[4]));

    let s = surrogates(
        "né le [[DATE_NAISSANCE:02/01/1978]], NIR [[SECU:1 78 01 44 109 123 91]]",
        &SCOPE,
    );
    let birth: Vec<&str> = s[0].split('/').collect();
    let nir: String = s[1].chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(&nir[..1], "1", "sex digit kept");
    assert_eq!(
        &nir[1..3],
        &birth[2][2..],
        "year from the surrogate birth date"
    );
    assert_eq!(&nir[3..5], birth[1], "month from the surrogate birth date");
    assert!(nir_valid(&s[1]));
    assert_eq!(s[1].matches(' ').count(), 6, "spacing kept");
}
