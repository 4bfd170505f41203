//! One test per bug found, named after it.

mod common;
use common::*;
use voile_surrogate::Scope;

fn pseudonymise(marked: &str) -> String {
    let (text, spans) = parse_markup(marked);
    let scope = Scope {
        document_id: "d1",
        patient_id: None,
    };
    pseudonymiser("k").pseudonymise(&text, &spans, &scope).text
}

/// Issue 10: an e-mail whose local part starts with a non-ASCII letter panicked
/// (a byte slice through the middle of `é`).
#[test]
fn email_local_part_starting_with_non_ascii_letter_does_not_panic() {
    for mail in [
        "édupont@chu-lyon.fr",
        "ßmith@example.org",
        "éé@x.fr",
        "ÉLODIE.martin@gmail.com",
        "ådupont@hopital.fr",
        "é@x.fr",
        "😀dupont@x.fr",
    ] {
        let out = pseudonymise(&format!("Contact : [[MAIL:{mail}]] merci"));
        assert!(out.starts_with("Contact : "), "{out}");
        assert!(out.ends_with(" merci"), "{out}");
        assert!(!out.contains(mail), "the address must be replaced");
    }
}
