//! Keyed linkage pseudonyms: the same person gets the same pseudonym in every source that
//! holds the same key, computed from the NIR or from nom + prénom + date de naissance + sexe,
//! with no state, no mapping table and no IO.
//!
//! 1. [`normalise`] brings each field to one canonical form (the rules are documented on
//!    [`normalise_nom`], [`normalise_prenom`], [`normalise_naissance`], [`normalise_sexe`]
//!    and [`normalise_nir`]) and records every [`Problem`] (field and reason, never the
//!    value).
//! 2. [`Linker`] hashes the canonical fields: HMAC-SHA256 with the [`Key`] over the parts
//!    below, each part preceded by its length as a 4-byte little-endian integer, rendered as
//!    64 lowercase hex digits:
//!    - from a valid NIR: `voile-link`, `v1`, `nir`, the 13 significant NIR characters;
//!    - from the identity fields: `voile-link`, `v1`, `identity`, nom, prénom, `YYYYMMDD`,
//!      sexe (`1` or `2`).
//!
//!    The kind tag (`nir`/`identity`) keeps the two kinds of pseudonym apart: a NIR-based
//!    pseudonym never equals a fields-based one. [`Linker::pseudonym`] prefers the NIR when
//!    a valid one is present, else uses the fields; both are available on their own
//!    ([`Linker::nir_pseudonym`], [`Linker::identity_pseudonym`]) so that a source without
//!    NIR can still be linked to one with.
//!
//! Key rotation: hash the same [`Normalised`] with two linkers (old and new key).

mod normalise;

pub use normalise::{
    normalise_naissance, normalise_nir, normalise_nom, normalise_prenom, normalise_sexe,
};

use crate::key::{Key, Keyed};
use std::fmt;

/// Version of the hashed encoding: changes whenever normalisation or encoding does.
pub const ENCODING_VERSION: &str = "v1";
const DOMAIN: &[u8] = b"voile-link";

/// An identity field used for linkage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Nom,
    Prenom,
    Naissance,
    Sexe,
    Nir,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Nom => "nom",
            Field::Prenom => "prenom",
            Field::Naissance => "naissance",
            Field::Sexe => "sexe",
            Field::Nir => "nir",
        }
    }
}

/// Why a field cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// Empty, absent or only separators.
    Missing,
    /// A placeholder (`INCONNU`, `X`, `NC`…) or a single letter (an initial).
    NotAName,
    /// Not in any accepted form.
    Unparseable,
    /// A date with a two-digit year: refused rather than guessed.
    TwoDigitYear,
    /// A date that does not exist or a year outside 1850–2100.
    ImpossibleDate,
    /// A NIR whose 2-digit key does not match its 13 characters.
    WrongKey,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Missing => "missing",
            Reason::NotAName => "placeholder or initial",
            Reason::Unparseable => "unparseable",
            Reason::TwoDigitYear => "two-digit year",
            Reason::ImpossibleDate => "impossible date",
            Reason::WrongKey => "wrong key",
        }
    }
}

/// A field that cannot be used, and why (never its value).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Problem {
    pub field: Field,
    pub reason: Reason,
}

impl Problem {
    pub fn new(field: Field, reason: Reason) -> Problem {
        Problem { field, reason }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field.as_str(), self.reason.as_str())
    }
}

/// The raw values of one row (`None` = column or cell absent).
#[derive(Clone, Copy, Debug, Default)]
pub struct LinkInput<'a> {
    pub nom: Option<&'a str>,
    pub prenom: Option<&'a str>,
    pub naissance: Option<&'a str>,
    pub sexe: Option<&'a str>,
    pub nir: Option<&'a str>,
}

/// The canonical identity fields of a row, all present and valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityFields {
    nom: String,
    prenom: String,
    naissance: String,
    sexe: u8,
}

impl IdentityFields {
    /// (nom, prénom, `YYYYMMDD`, sexe `1`/`2`), as hashed.
    pub fn parts(&self) -> (&str, &str, &str, u8) {
        (&self.nom, &self.prenom, &self.naissance, self.sexe)
    }
}

/// Which fields a pseudonym was computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    Nir,
    Identity,
}

/// One row after normalisation: what can be hashed, and every problem found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalised {
    /// The 13 significant characters of a valid NIR.
    pub nir: Option<String>,
    /// The identity fields, when all four are usable.
    pub identity: Option<IdentityFields>,
    /// Problems in field order (a NIR that is simply absent is not a problem).
    pub problems: Vec<Problem>,
}

impl Normalised {
    /// What [`Linker::pseudonym`] uses: the NIR when valid, else the identity fields.
    pub fn basis(&self) -> Option<Basis> {
        if self.nir.is_some() {
            Some(Basis::Nir)
        } else if self.identity.is_some() {
            Some(Basis::Identity)
        } else {
            None
        }
    }
}

/// Normalise the fields of one row (see the module doc and each `normalise_*` function).
pub fn normalise(input: &LinkInput) -> Normalised {
    let mut problems = Vec::new();
    let nom = usable(normalise_nom(input.nom.unwrap_or("")), &mut problems);
    let prenom = usable(normalise_prenom(input.prenom.unwrap_or("")), &mut problems);
    let naissance = usable(
        normalise_naissance(input.naissance.unwrap_or("")),
        &mut problems,
    );
    let sexe = usable(normalise_sexe(input.sexe.unwrap_or("")), &mut problems);
    let nir = match normalise_nir(input.nir.unwrap_or("")) {
        Ok(n) => Some(n),
        Err(p) if p.reason == Reason::Missing => None,
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let identity = match (nom, prenom, naissance, sexe) {
        (Some(nom), Some(prenom), Some(naissance), Some(sexe)) => Some(IdentityFields {
            nom,
            prenom,
            naissance,
            sexe,
        }),
        _ => None,
    };
    Normalised {
        nir,
        identity,
        problems,
    }
}

fn usable<T>(r: Result<T, Problem>, problems: &mut Vec<Problem>) -> Option<T> {
    r.map_err(|p| problems.push(p)).ok()
}

/// Computes linkage pseudonyms with one key.
#[derive(Clone, Debug)]
pub struct Linker {
    keyed: Keyed,
}

impl Linker {
    pub fn new(key: &Key) -> Linker {
        Linker { keyed: key.keyed() }
    }

    /// The pseudonym of a row: from the NIR when valid, else from the identity fields;
    /// `None` when neither is usable.
    pub fn pseudonym(&self, n: &Normalised) -> Option<String> {
        match n.basis()? {
            Basis::Nir => self.nir_pseudonym(n),
            Basis::Identity => self.identity_pseudonym(n),
        }
    }

    /// The pseudonym from the NIR alone (`None` without a valid NIR).
    pub fn nir_pseudonym(&self, n: &Normalised) -> Option<String> {
        let nir = n.nir.as_ref()?;
        Some(hex(&self.keyed.digest(&[
            DOMAIN,
            ENCODING_VERSION.as_bytes(),
            b"nir",
            nir.as_bytes(),
        ])))
    }

    /// The pseudonym from nom, prénom, date of birth and sex alone (`None` unless all four
    /// are usable).
    pub fn identity_pseudonym(&self, n: &Normalised) -> Option<String> {
        let (nom, prenom, naissance, sexe) = n.identity.as_ref()?.parts();
        Some(hex(&self.keyed.digest(&[
            DOMAIN,
            ENCODING_VERSION.as_bytes(),
            b"identity",
            nom.as_bytes(),
            prenom.as_bytes(),
            naissance.as_bytes(),
            &[b'0' + sexe],
        ])))
    }

    /// Whether two linkers hold the same key (compared through a digest, not the bytes).
    pub fn same_key(&self, other: &Linker) -> bool {
        let probe: &[&[u8]] = &[DOMAIN, b"same-key-probe"];
        self.keyed.digest(probe) == other.keyed.digest(probe)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
