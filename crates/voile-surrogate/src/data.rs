//! The lists surrogates are drawn from, indexed once at construction: names by initial
//! letter and sex, communes weighted by population, establishments by kind.

use crate::rng::{sqrt_weight, FastMap, FastSet, Weighted};
use crate::text::{fold, fold_alnum, letter_index};
use std::collections::BTreeMap;
use voile_gazetteer::lists::{Lists, Sex};

/// Sex buckets of first-name pools.
pub(crate) const MALE: usize = 0;
pub(crate) const FEMALE: usize = 1;
pub(crate) const ANY: usize = 2;

/// Per initial letter (26) plus one "any letter" pool at index 26.
pub(crate) type LetterPools<const N: usize> = Vec<[Weighted; N]>;

#[derive(Debug, Default)]
pub(crate) struct Data {
    pub(crate) first_names: Vec<String>,
    pub(crate) first_pools: LetterPools<3>,
    /// Folded first name (whole, compounds included) → sex.
    pub(crate) first_sex: FastMap<String, Sex>,
    pub(crate) surnames: Vec<String>,
    pub(crate) surname_pools: LetterPools<1>,
    /// Folded surnames, to recognise names inside e-mail local parts.
    pub(crate) surname_set: FastSet<String>,
    pub(crate) communes: Vec<(String, String)>,
    /// INSEE code of each commune (same index), empty for built-in fallbacks.
    pub(crate) communes_insee: Vec<String>,
    pub(crate) commune_pool: Weighted,
    pub(crate) hospitals: Vec<String>,
    pub(crate) hospitals_by_kind: BTreeMap<String, Vec<u32>>,
    /// Folded alphanumeric establishment name → kind, for originals that are in the list.
    pub(crate) hospital_kind: FastMap<String, String>,
    /// Folded street types and their folded abbreviations.
    pub(crate) street_types: Vec<(String, Vec<String>)>,
}

/// Fallbacks when a list is empty, so a pseudonymiser always works (tests, minimal installs).
const FALLBACK_FIRST: [(&str, Sex); 8] = [
    ("Camille", Sex::X),
    ("Louis", Sex::M),
    ("Paul", Sex::M),
    ("Hugo", Sex::M),
    ("Alice", Sex::F),
    ("Emma", Sex::F),
    ("Léa", Sex::F),
    ("Noa", Sex::X),
];
const FALLBACK_SURNAMES: [&str; 8] = [
    "Martin", "Bernard", "Robert", "Richard", "Durand", "Moreau", "Simon", "Laurent",
];
const FALLBACK_COMMUNES: [(&str, &str); 6] = [
    ("Angers", "49000"),
    ("Cholet", "49300"),
    ("Laval", "53000"),
    ("Vannes", "56000"),
    ("Niort", "79000"),
    ("Auxerre", "89000"),
];
const FALLBACK_STREET_TYPES: [&str; 8] = [
    "rue",
    "avenue",
    "boulevard",
    "allée",
    "impasse",
    "place",
    "chemin",
    "route",
];

/// A single word of letters (apostrophes allowed): compound list entries would break the
/// part-by-part mapping of compound names.
fn is_simple_name(s: &str) -> bool {
    s.chars().count() >= 2 && s.chars().all(|c| c.is_alphabetic() || c == '\'')
}

impl Data {
    pub(crate) fn new(lists: &Lists) -> Data {
        let mut d = Data::default();
        d.index_first_names(lists);
        d.index_surnames(lists);
        d.index_places(lists);
        d
    }

    fn index_first_names(&mut self, lists: &Lists) {
        let mut entries: Vec<(String, Sex, u32)> = lists
            .first_names
            .iter()
            .map(|f| (f.name.clone(), f.sex, f.freq))
            .collect();
        if !entries.iter().any(|e| is_simple_name(&e.0)) {
            entries.extend(FALLBACK_FIRST.iter().map(|(n, s)| (n.to_string(), *s, 100)));
        }
        self.first_pools = vec![Default::default(); 27];
        for (name, sex, freq) in entries {
            let key = fold(&name);
            let merged = match self.first_sex.get(&key) {
                Some(&prev) if prev != sex => Sex::X,
                _ => sex,
            };
            self.first_sex.insert(key, merged);
            if !is_simple_name(&name) {
                continue;
            }
            let Some(letter) = letter_index(&name) else {
                continue;
            };
            let idx = self.first_names.len() as u32;
            self.first_names.push(name);
            let w = sqrt_weight(freq);
            for slot in [letter, 26] {
                let pools = &mut self.first_pools[slot];
                pools[ANY].push(idx, w);
                if sex != Sex::F {
                    pools[MALE].push(idx, w);
                }
                if sex != Sex::M {
                    pools[FEMALE].push(idx, w);
                }
            }
        }
    }

    fn index_surnames(&mut self, lists: &Lists) {
        let mut entries: Vec<(String, u32)> = lists
            .surnames
            .iter()
            .filter(|s| is_simple_name(&s.name))
            .map(|s| (s.name.clone(), s.freq))
            .collect();
        if entries.is_empty() {
            entries.extend(FALLBACK_SURNAMES.iter().map(|n| (n.to_string(), 100)));
        }
        self.surname_pools = vec![Default::default(); 27];
        for (name, freq) in entries {
            let Some(letter) = letter_index(&name) else {
                continue;
            };
            self.surname_set.insert(fold_alnum(&name));
            let idx = self.surnames.len() as u32;
            self.surnames.push(name);
            let w = sqrt_weight(freq);
            self.surname_pools[letter][0].push(idx, w);
            self.surname_pools[26][0].push(idx, w);
        }
    }

    fn index_places(&mut self, lists: &Lists) {
        for c in &lists.communes {
            let idx = self.communes.len() as u32;
            self.communes.push((c.name.clone(), c.postcode.clone()));
            self.communes_insee.push(c.insee.clone());
            self.commune_pool.push(idx, sqrt_weight(c.population));
        }
        if self.communes.is_empty() {
            for (n, p) in FALLBACK_COMMUNES {
                self.commune_pool.push(self.communes.len() as u32, 1);
                self.communes.push((n.to_string(), p.to_string()));
                self.communes_insee.push(String::new());
            }
        }
        for h in &lists.hospitals {
            let idx = self.hospitals.len() as u32;
            self.hospitals.push(h.name.clone());
            self.hospitals_by_kind
                .entry(h.kind.to_uppercase())
                .or_default()
                .push(idx);
            self.hospital_kind
                .insert(fold_alnum(&h.name), h.kind.to_uppercase());
        }
        self.street_types = lists
            .street_types
            .iter()
            .map(|t| {
                (
                    fold(&t.name),
                    t.abbreviations.iter().map(|a| fold(a)).collect(),
                )
            })
            .collect();
        if self.street_types.is_empty() {
            self.street_types = FALLBACK_STREET_TYPES
                .iter()
                .map(|t| (fold(t), Vec::new()))
                .collect();
        }
    }

    /// Sex of a first name (folded), `X` when unknown.
    pub(crate) fn sex_of(&self, folded: &str) -> Sex {
        self.first_sex.get(folded).copied().unwrap_or(Sex::X)
    }
}
