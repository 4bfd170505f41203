//! The 14 identifying labels of `shared/labels.md`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An identifying category. The string form is the contract's (`"NOM"`, `"DATE_NAISSANCE"`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Label {
    Nom,
    Prenom,
    Date,
    DateNaissance,
    Adresse,
    Zip,
    Ville,
    Hopital,
    Tel,
    Mail,
    Secu,
    Ipp,
    Nda,
    Id,
}

/// Coarse categories used by evaluation reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    Name,
    Date,
    Loc,
    Contact,
    Id,
}

impl Label {
    /// Every label, in a fixed order (used for stable report and tag ordering).
    pub const ALL: [Label; 14] = [
        Label::Nom,
        Label::Prenom,
        Label::Date,
        Label::DateNaissance,
        Label::Adresse,
        Label::Zip,
        Label::Ville,
        Label::Hopital,
        Label::Tel,
        Label::Mail,
        Label::Secu,
        Label::Ipp,
        Label::Nda,
        Label::Id,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Label::Nom => "NOM",
            Label::Prenom => "PRENOM",
            Label::Date => "DATE",
            Label::DateNaissance => "DATE_NAISSANCE",
            Label::Adresse => "ADRESSE",
            Label::Zip => "ZIP",
            Label::Ville => "VILLE",
            Label::Hopital => "HOPITAL",
            Label::Tel => "TEL",
            Label::Mail => "MAIL",
            Label::Secu => "SECU",
            Label::Ipp => "IPP",
            Label::Nda => "NDA",
            Label::Id => "ID",
        }
    }

    pub const fn category(self) -> Category {
        match self {
            Label::Nom | Label::Prenom => Category::Name,
            Label::Date | Label::DateNaissance => Category::Date,
            Label::Adresse | Label::Zip | Label::Ville | Label::Hopital => Category::Loc,
            Label::Tel | Label::Mail => Category::Contact,
            Label::Secu | Label::Ipp | Label::Nda | Label::Id => Category::Id,
        }
    }

    /// Tie-break rank in [`crate::resolve`]: higher wins when score and length are equal.
    /// Checksummed and cue-bound identifiers outrank free-text labels because their
    /// detectors are the most precise; a birth date outranks a plain date because it is
    /// only produced with its context.
    pub const fn priority(self) -> u8 {
        match self {
            Label::Secu => 14,
            Label::Mail => 13,
            Label::Tel => 12,
            Label::Ipp => 11,
            Label::Nda => 10,
            Label::Id => 9,
            Label::DateNaissance => 8,
            Label::Date => 7,
            Label::Adresse => 6,
            Label::Zip => 5,
            Label::Hopital => 4,
            Label::Nom => 3,
            Label::Prenom => 2,
            Label::Ville => 1,
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Category {
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Name => "NAME",
            Category::Date => "DATE",
            Category::Loc => "LOC",
            Category::Contact => "CONTACT",
            Category::Id => "ID",
        }
    }
}

/// A label string that is not one of the contract's labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseLabelError(pub String);

impl fmt::Display for ParseLabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown label {:?}", self.0)
    }
}

impl std::error::Error for ParseLabelError {}

impl FromStr for Label {
    type Err = ParseLabelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Label::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| ParseLabelError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_through_strings_and_serde() {
        for l in Label::ALL {
            assert_eq!(l.as_str().parse::<Label>().unwrap(), l);
            let json = serde_json::to_string(&l).unwrap();
            assert_eq!(json, format!("\"{}\"", l.as_str()));
            assert_eq!(serde_json::from_str::<Label>(&json).unwrap(), l);
        }
        assert!("PERSON".parse::<Label>().is_err());
    }

    #[test]
    fn priorities_are_distinct() {
        let mut p: Vec<u8> = Label::ALL.iter().map(|l| l.priority()).collect();
        p.sort();
        p.dedup();
        assert_eq!(p.len(), Label::ALL.len());
    }
}
