//! Table tests: variant spellings of one person share a pseudonym, changing one field
//! changes it, keys matter, the encoding is stable.

use super::*;

const KEY: &[u8] = b"linkage-test-key-0123456789";

fn linker(k: &[u8]) -> Linker {
    Linker::new(&Key::from_bytes(k).unwrap())
}

fn row<'a>(nom: &'a str, prenom: &'a str, naissance: &'a str, sexe: &'a str) -> LinkInput<'a> {
    LinkInput {
        nom: Some(nom),
        prenom: Some(prenom),
        naissance: Some(naissance),
        sexe: Some(sexe),
        nir: None,
    }
}

fn pseudo(l: &Linker, input: &LinkInput) -> String {
    l.pseudonym(&normalise(input))
        .unwrap_or_else(|| panic!("{input:?} is incomplete"))
}

#[test]
fn variant_spellings_of_one_person_agree() {
    let l = linker(KEY);
    let reference = pseudo(&l, &row("Le Goff", "Jean-Pierre", "1946-12-30", "M"));
    let variants = [
        row("LE GOFF", "JEAN PIERRE", "30/12/1946", "1"),
        row("LEGOFF", "jean pierre", "30-12-1946", "H"),
        row("le goff", "Jean Pierre", "30.12.1946", "masculin"),
        row("Le-Goff", "JEAN-PIERRE", "30121946", "homme"),
        row(" le  goff ", "Jean-Pierre", "19461230", "m"),
        row(
            "LE GOFF épouse MARTIN",
            "Jean-Pierre",
            "1946-12-30T00:00:00",
            "M",
        ),
        row(
            "Martin née Le Goff",
            "Jean-Pierre, Marie",
            "30 décembre 1946",
            "Masc.",
        ),
        row(
            "Le Goff ép. Martin",
            "Jean Pierre; Louis",
            "lundi 30 déc. 1946",
            "1",
        ),
        row("LE GOFF", "JÉAN-PIERRE", "30 / 12 / 1946", " M "),
    ];
    for v in &variants {
        assert_eq!(pseudo(&l, v), reference, "{v:?}");
    }
    let accents = pseudo(&l, &row("N'Diaye", "Zoé", "01/02/1950", "F"));
    for v in [
        row("NDIAYE", "ZOE", "1950-02-01", "2"),
        row("N’DIAYE", "zoe", "1er février 1950", "féminin"),
        row("n diaye", "Zoe\u{301}", "01021950", "Femme"),
    ] {
        assert_eq!(pseudo(&l, &v), accents, "{v:?}");
    }
}

#[test]
fn nir_spellings_agree_and_take_priority() {
    let l = linker(KEY);
    let body = "1461275123456";
    let key = voile_core::checksum::nir_key(body).unwrap();
    let with_key = format!("{body}{key:02}");
    let spaced = format!("1 46 12 75 123 456 {key:02}");
    let mut seen = Vec::new();
    for (nir, fields) in [
        (with_key.as_str(), row("DUPONT", "Jean", "30/12/1946", "M")),
        (spaced.as_str(), row("", "", "", "")),
        (body, row("Someone", "Else", "01/01/1960", "F")),
        (&spaced.replace(' ', "."), row("DUPONT", "Jean", "", "M")),
    ] {
        let n = normalise(&LinkInput {
            nir: Some(nir),
            ..fields
        });
        assert_eq!(n.basis(), Some(Basis::Nir), "{nir:?}");
        seen.push(l.pseudonym(&n).unwrap());
    }
    assert!(seen.iter().all(|p| *p == seen[0]), "{seen:?}");
    // The NIR-based and fields-based pseudonyms of one person are tagged apart.
    let n = normalise(&LinkInput {
        nir: Some(&with_key),
        ..row("DUPONT", "Jean", "30/12/1946", "M")
    });
    let by_fields = l.identity_pseudonym(&n).unwrap();
    assert_ne!(l.nir_pseudonym(&n).unwrap(), by_fields);
    assert_eq!(
        by_fields,
        pseudo(&l, &row("DUPONT", "Jean", "30/12/1946", "M"))
    );
}

#[test]
fn a_wrong_nir_key_falls_back_to_the_fields_and_is_reported() {
    let l = linker(KEY);
    let body = "1461275123456";
    let bad_key = voile_core::checksum::nir_key(body).unwrap() % 97 + 1;
    let n = normalise(&LinkInput {
        nir: Some(&format!("{body}{bad_key:02}")),
        ..row("DUPONT", "Jean", "30/12/1946", "M")
    });
    assert_eq!(n.basis(), Some(Basis::Identity));
    assert_eq!(n.problems, vec![Problem::new(Field::Nir, Reason::WrongKey)]);
    assert_eq!(
        l.pseudonym(&n).unwrap(),
        pseudo(&l, &row("DUPONT", "Jean", "30/12/1946", "M"))
    );
}

#[test]
fn changing_one_field_changes_the_pseudonym() {
    let l = linker(KEY);
    let base = row("DUPONT", "Jean", "30/12/1946", "M");
    let others = [
        row("DUPONT", "Jeanne", "30/12/1946", "M"), // first name
        row("DUPONT", "Jean-Pierre", "30/12/1946", "M"), // compound vs simple
        row("DUPONT", "Jean", "31/12/1946", "M"),   // one day off
        row("DUPONT", "Jean", "30/12/1947", "M"),   // one year off
        row("DUPONT", "Jean", "30/11/1946", "M"),   // one month off
        row("DUPONT", "Jean", "30/12/1946", "F"),   // other sex
        row("DUPOND", "Jean", "30/12/1946", "M"),   // one letter
        row("DUPONT", "Paul", "30/12/1946", "M"),   // twin: same birth date
        row("JEAN", "DUPONT", "30/12/1946", "M"),   // fields swapped
        row("DUPONTJEAN", "", "30/12/1946", "M"),   // incomplete, not shifted
    ];
    let reference = pseudo(&l, &base);
    let mut all = vec![reference.clone()];
    for o in &others[..others.len() - 1] {
        let p = pseudo(&l, o);
        assert_ne!(p, reference, "{o:?}");
        all.push(p);
    }
    all.sort();
    all.dedup();
    assert_eq!(all.len(), others.len(), "every person distinct");
    assert_eq!(l.pseudonym(&normalise(&others[others.len() - 1])), None);
    // Part boundaries are encoded: moving letters between nom and prénom changes the hash.
    assert_ne!(
        pseudo(&l, &row("DUPONTJ", "EAN", "30/12/1946", "M")),
        pseudo(&l, &row("DUPONT", "JEAN", "30/12/1946", "M"))
    );
}

#[test]
fn keys_matter_and_results_are_deterministic() {
    let a = linker(KEY);
    let b = linker(b"another-linkage-key-987654");
    let person = row("Martin", "Claire", "1980-05-17", "F");
    assert_eq!(pseudo(&a, &person), pseudo(&a, &person));
    assert_eq!(pseudo(&a, &person), pseudo(&linker(KEY), &person));
    assert_ne!(pseudo(&a, &person), pseudo(&b, &person));
    assert!(a.same_key(&linker(KEY)) && !a.same_key(&b));
    let p = pseudo(&a, &person);
    assert_eq!(p.len(), 64);
    assert!(p
        .bytes()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
}

#[test]
fn incomplete_rows_list_every_problem_in_field_order() {
    let n = normalise(&LinkInput {
        nom: Some("X"),
        prenom: None,
        naissance: Some("30/12/46"),
        sexe: Some("M"),
        nir: Some("123"),
    });
    assert_eq!(n.basis(), None);
    assert_eq!(
        n.problems,
        vec![
            Problem::new(Field::Nom, Reason::NotAName),
            Problem::new(Field::Prenom, Reason::Missing),
            Problem::new(Field::Naissance, Reason::TwoDigitYear),
            Problem::new(Field::Nir, Reason::Unparseable),
        ]
    );
    assert_eq!(n.problems[2].to_string(), "naissance: two-digit year");
    assert_eq!(linker(KEY).pseudonym(&n), None);
}

/// Known answers, computed outside Rust from the documented encoding (README): HMAC-SHA256
/// over the parts, each preceded by its length as 4 little-endian bytes. A change here
/// breaks every registry's linkage: bump [`ENCODING_VERSION`] instead.
#[test]
fn encoding_is_stable() {
    let l = linker(b"0123456789abcdef");
    let n = normalise(&LinkInput {
        nir: Some("2461275123456"),
        ..row("Le Goff", "Jean-Pierre", "30/12/1946", "M")
    });
    assert_eq!(
        l.identity_pseudonym(&n).unwrap(),
        "21a1155cab0d834bc918cba2e95ba59127772de8cc46c98513008e7679c51246"
    );
    assert_eq!(
        l.nir_pseudonym(&n).unwrap(),
        "1fec91206eef27d56d21394c53c009ea4735243f95e97f4eec4d7a2f0e73a903"
    );
}
