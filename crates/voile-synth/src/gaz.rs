//! The gazetteer lists prepared for sampling: frequency-weighted tables (with a share of
//! square-root and uniform draws so rare names appear too), sex-filtered first names, communes
//! indexed by folded name so hospitals and cities agree.

use crate::gen::text::{slug, title_case};
use crate::rng::{cumulative, Rng};
use std::collections::BTreeMap;
use std::path::Path;
use voile_core::{Error, ErrorKind};
use voile_gazetteer::lists::{Lists, Sex};

/// Sampling tables over one list: by frequency, by its square root, or uniform.
#[derive(Debug, Clone)]
pub struct Table {
    items: Vec<usize>,
    by_freq: Vec<u64>,
    by_sqrt: Vec<u64>,
}

impl Table {
    fn new(items: Vec<usize>, freq: impl Fn(usize) -> u64) -> Self {
        let by_freq = cumulative(items.iter().map(|&i| freq(i).max(1)));
        let by_sqrt = cumulative(items.iter().map(|&i| isqrt(freq(i).max(1))));
        Table {
            items,
            by_freq,
            by_sqrt,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// 45% frequency-weighted, 35% square-root-weighted, 20% uniform (rare names).
    pub fn draw(&self, rng: &mut Rng) -> usize {
        let r = rng.below(100);
        let k = if r < 45 {
            rng.weighted(&self.by_freq)
        } else if r < 80 {
            rng.weighted(&self.by_sqrt)
        } else {
            rng.index(self.items.len())
        };
        self.items[k]
    }
}

fn isqrt(x: u64) -> u64 {
    (x as f64).sqrt() as u64 + 1
}

/// A commune as used by the generator.
#[derive(Debug, Clone)]
pub struct Commune {
    pub name: String,
    pub postcode: String,
    pub insee: String,
}

#[derive(Debug, Clone)]
pub struct Hospital {
    pub name: String,
    pub kind: String,
    /// Communes (indices) matching the hospital's city; empty when the city is unknown.
    pub communes: Vec<usize>,
    pub city: String,
}

/// Everything the entity renderers draw from.
#[derive(Debug, Clone)]
pub struct Gazetteers {
    pub first_names: Vec<String>,
    pub masc: Table,
    pub fem: Table,
    pub surnames: Vec<String>,
    pub surname_table: Table,
    pub communes: Vec<Commune>,
    pub commune_table: Table,
    pub hospitals: Vec<Hospital>,
    /// Hospitals whose city is a known commune (so ZIP/VILLE agree).
    pub located_hospitals: Vec<usize>,
    pub street_types: Vec<(String, Vec<String>)>,
    pub eponyms: Vec<String>,
    pub drugs: Vec<String>,
}

impl Gazetteers {
    pub fn load(dir: &Path) -> Result<Gazetteers, Error> {
        Self::from_lists(Lists::load(dir)?)
    }

    pub fn from_lists(l: Lists) -> Result<Gazetteers, Error> {
        let need = |ok: bool, what: &str| {
            if ok {
                Ok(())
            } else {
                Err(Error::new(ErrorKind::Resource(format!(
                    "gazetteer list {what} is empty"
                ))))
            }
        };
        need(!l.first_names.is_empty(), "prenoms")?;
        need(!l.surnames.is_empty(), "noms")?;
        need(!l.communes.is_empty(), "communes")?;
        need(!l.hospitals.is_empty(), "hopitaux")?;
        need(!l.street_types.is_empty(), "voies")?;
        let first_names: Vec<String> = l.first_names.iter().map(|f| title_case(&f.name)).collect();
        let pick_sex = |want: Sex| -> Vec<usize> {
            (0..l.first_names.len())
                .filter(|&i| matches!(l.first_names[i].sex, s if s == want || s == Sex::X))
                .collect()
        };
        let ffreq = |i: usize| u64::from(l.first_names[i].freq);
        let masc = Table::new(pick_sex(Sex::M), ffreq);
        let fem = Table::new(pick_sex(Sex::F), ffreq);
        need(!masc.is_empty() && !fem.is_empty(), "prenoms (one sex)")?;
        let surnames: Vec<String> = l.surnames.iter().map(|s| title_case(&s.name)).collect();
        let surname_table = Table::new((0..surnames.len()).collect(), |i| {
            u64::from(l.surnames[i].freq)
        });
        let communes: Vec<Commune> = l
            .communes
            .iter()
            .map(|c| Commune {
                name: c.name.clone(),
                postcode: c.postcode.clone(),
                insee: c.insee.clone(),
            })
            .collect();
        let commune_table = Table::new((0..communes.len()).collect(), |i| {
            u64::from(l.communes[i].population) / 10
        });
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, c) in communes.iter().enumerate() {
            by_name.entry(slug(&c.name, "-")).or_default().push(i);
        }
        let hospitals: Vec<Hospital> = l
            .hospitals
            .iter()
            .map(|h| Hospital {
                name: h.name.clone(),
                kind: h.kind.clone(),
                communes: by_name
                    .get(&slug(&h.city, "-"))
                    .cloned()
                    .unwrap_or_default(),
                city: h.city.clone(),
            })
            .collect();
        let located_hospitals = (0..hospitals.len())
            .filter(|&i| !hospitals[i].communes.is_empty())
            .collect();
        Ok(Gazetteers {
            first_names,
            masc,
            fem,
            surnames,
            surname_table,
            communes,
            commune_table,
            hospitals,
            located_hospitals,
            street_types: l
                .street_types
                .into_iter()
                .map(|s| (s.name, s.abbreviations))
                .collect(),
            eponyms: l.eponyms,
            drugs: l.drugs,
        })
    }
}
