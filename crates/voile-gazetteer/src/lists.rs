//! Loading the shipped word lists from a `gazetteers/` directory.
//!
//! Every list is a UTF-8 TSV file, one entry a line, `#` comments and blank lines ignored,
//! stored either plain (`name.tsv`) or gzip-compressed (`name.tsv.gz`); the loader takes
//! whichever exists. Formats (columns separated by one TAB):
//!
//! | file | columns |
//! |---|---|
//! | `prenoms.tsv` | first name (as usually written, accents kept), sex `M`/`F`/`X` (X = both), frequency (births, integer) |
//! | `noms.tsv` | surname (as usually written), frequency (bearers, integer) |
//! | `communes.tsv` | commune name, postcode (5 digits), INSEE code, population (integer) — one line per (commune, postcode) pair |
//! | `villes_monde.tsv` | city outside France, ISO country code, population (GeoNames, 15,000+ inhabitants) |
//! | `hopitaux.tsv` | establishment name, kind (`CHU`, `CH`, `CHR`, `CLCC`, `CLINIQUE`, `HOPITAL`, `EHPAD`, `SSR`, `GHU`, …), city |
//! | `voies.tsv` | street type (`rue`), its abbreviations separated by `|` (may be empty) |
//! | `negatifs/eponymes.tsv` | eponym surname or term that must not fire alone in a disease/sign context (`Parkinson`) |
//! | `negatifs/medicaments.tsv` | drug name |
//! | `negatifs/mots_communs.tsv` | common French word that is also a first name, surname or commune name (`Petit`, `Rose`, `Vienne`) |

use flate2::read::GzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};
use voile_core::{Error, ErrorKind};

/// Sex recorded for a first name: `X` when it is given to both sexes in similar numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sex {
    M,
    F,
    X,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstName {
    pub name: String,
    pub sex: Sex,
    pub freq: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surname {
    pub name: String,
    pub freq: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    pub name: String,
    pub postcode: String,
    pub insee: String,
    pub population: u32,
}

/// A city outside France (`villes_monde.tsv`, GeoNames).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldCity {
    pub name: String,
    pub country: String,
    pub population: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hospital {
    pub name: String,
    pub kind: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreetType {
    pub name: String,
    pub abbreviations: Vec<String>,
}

/// All shipped lists, in file order (files are sorted deterministically by the build script).
#[derive(Debug, Clone, Default)]
pub struct Lists {
    pub first_names: Vec<FirstName>,
    pub surnames: Vec<Surname>,
    pub communes: Vec<Commune>,
    /// Cities outside France: places only after a strong cue (`né à Dakar`).
    pub world_cities: Vec<WorldCity>,
    pub hospitals: Vec<Hospital>,
    pub street_types: Vec<StreetType>,
    pub eponyms: Vec<String>,
    pub drugs: Vec<String>,
    pub common_words: Vec<String>,
    /// Function words and salutations never a name or place on their own
    /// (`lexicons/mots_outils`): they never spread or stand alone as a model's name.
    pub function_words: Vec<String>,
    /// Countries, regions, territories (`lexicons/pays_regions`).
    pub countries_regions: Vec<String>,
    /// Clinical and administrative acronyms (`lexicons/acronymes_cliniques`).
    pub clinical_acronyms: Vec<String>,
    /// Scores and classifications named after people or places
    /// (`lexicons/scores_classifications`).
    pub score_names: Vec<String>,
}

impl Lists {
    /// Load every list from `dir` (usually the repository's `gazetteers/`).
    pub fn load(dir: &Path) -> Result<Lists, Error> {
        Ok(Lists {
            first_names: parse_rows(dir, "prenoms", 3, |c| {
                Ok(FirstName {
                    name: c[0].to_string(),
                    sex: parse_sex(c[1])?,
                    freq: parse_u32(c[2])?,
                })
            })?,
            surnames: parse_rows(dir, "noms", 2, |c| {
                Ok(Surname {
                    name: c[0].to_string(),
                    freq: parse_u32(c[1])?,
                })
            })?,
            communes: parse_rows(dir, "communes", 4, |c| {
                Ok(Commune {
                    name: c[0].to_string(),
                    postcode: c[1].to_string(),
                    insee: c[2].to_string(),
                    population: parse_u32(c[3])?,
                })
            })?,
            // Optional: list directories written before it existed keep loading.
            world_cities: parse_optional_rows(dir, "villes_monde", 3, |c| {
                Ok(WorldCity {
                    name: c[0].to_string(),
                    country: c[1].to_string(),
                    population: parse_u32(c[2])?,
                })
            })?,
            hospitals: parse_rows(dir, "hopitaux", 3, |c| {
                Ok(Hospital {
                    name: c[0].to_string(),
                    kind: c[1].to_string(),
                    city: c[2].to_string(),
                })
            })?,
            street_types: parse_rows(dir, "voies", 1, |c| {
                Ok(StreetType {
                    name: c[0].to_string(),
                    abbreviations: c
                        .get(1)
                        .map(|a| {
                            a.split('|')
                                .filter(|s| !s.is_empty())
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            })?,
            eponyms: parse_rows(dir, "negatifs/eponymes", 1, |c| Ok(c[0].to_string()))?,
            drugs: parse_rows(dir, "negatifs/medicaments", 1, |c| Ok(c[0].to_string()))?,
            common_words: parse_rows(dir, "negatifs/mots_communs", 1, |c| Ok(c[0].to_string()))?,
            function_words: parse_rows(dir, "lexicons/mots_outils", 1, |c| Ok(c[0].to_string()))?,
            countries_regions: parse_rows(dir, "lexicons/pays_regions", 1, |c| {
                Ok(c[0].to_string())
            })?,
            clinical_acronyms: parse_rows(dir, "lexicons/acronymes_cliniques", 1, |c| {
                Ok(c[0].to_string())
            })?,
            score_names: parse_rows(dir, "lexicons/scores_classifications", 1, |c| {
                Ok(c[0].to_string())
            })?,
        })
    }
}

fn parse_sex(s: &str) -> Result<Sex, String> {
    match s {
        "M" => Ok(Sex::M),
        "F" => Ok(Sex::F),
        "X" => Ok(Sex::X),
        _ => Err(format!("sex must be M, F or X, got {s:?}")),
    }
}

fn parse_u32(s: &str) -> Result<u32, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("not an integer: {s:?}"))
}

/// Read `<stem>.tsv` or `<stem>.tsv.gz` under `dir`.
pub fn read_list(dir: &Path, stem: &str) -> Result<String, Error> {
    let plain = dir.join(format!("{stem}.tsv"));
    let gz = dir.join(format!("{stem}.tsv.gz"));
    let io_err = |p: &PathBuf, e: std::io::Error| {
        Error::new(ErrorKind::Resource(format!(
            "cannot read {}: {e}",
            p.display()
        )))
    };
    if plain.exists() {
        std::fs::read_to_string(&plain).map_err(|e| io_err(&plain, e))
    } else if gz.exists() {
        let bytes = std::fs::read(&gz).map_err(|e| io_err(&gz, e))?;
        let mut s = String::new();
        GzDecoder::new(&bytes[..])
            .read_to_string(&mut s)
            .map_err(|e| io_err(&gz, e))?;
        Ok(s)
    } else {
        Err(Error::new(ErrorKind::Resource(format!(
            "missing gazetteer list {}(.gz)",
            plain.display()
        ))))
    }
}

/// [`parse_rows`], or nothing when the list is absent.
fn parse_optional_rows<T>(
    dir: &Path,
    stem: &str,
    min_cols: usize,
    f: impl Fn(&[&str]) -> Result<T, String>,
) -> Result<Vec<T>, Error> {
    let present = ["tsv", "tsv.gz"]
        .iter()
        .any(|ext| dir.join(format!("{stem}.{ext}")).is_file());
    if present {
        parse_rows(dir, stem, min_cols, f)
    } else {
        Ok(Vec::new())
    }
}

fn parse_rows<T>(
    dir: &Path,
    stem: &str,
    min_cols: usize,
    f: impl Fn(&[&str]) -> Result<T, String>,
) -> Result<Vec<T>, Error> {
    let text = read_list(dir, stem)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let row = if cols.len() < min_cols {
            Err(format!("expected {min_cols} columns, got {}", cols.len()))
        } else {
            f(&cols)
        };
        out.push(row.map_err(|m| {
            Error::new(ErrorKind::Resource(format!("{stem}: line {}: {m}", i + 1)))
        })?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_gzip_lists_and_reports_bad_rows() {
        let dir = std::env::temp_dir().join(format!("voile-lists-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("negatifs")).unwrap();
        std::fs::write(
            dir.join("prenoms.tsv"),
            "# c\nCamille\tX\t120\nJean\tM\t900\n",
        )
        .unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, b"DUPONT\t5000\n").unwrap();
        std::fs::write(dir.join("noms.tsv.gz"), gz.finish().unwrap()).unwrap();
        std::fs::write(dir.join("communes.tsv"), "Nantes\t44000\t44109\t320000\n").unwrap();
        std::fs::write(dir.join("villes_monde.tsv"), "Dakar\tSN\t2646503\n").unwrap();
        std::fs::write(dir.join("hopitaux.tsv"), "CHU de Nantes\tCHU\tNantes\n").unwrap();
        std::fs::write(dir.join("voies.tsv"), "avenue\tav.|av\nrue\n").unwrap();
        for f in ["eponymes", "medicaments", "mots_communs"] {
            std::fs::write(dir.join(format!("negatifs/{f}.tsv")), "Parkinson\n").unwrap();
        }
        std::fs::create_dir_all(dir.join("lexicons")).unwrap();
        for f in [
            "mots_outils",
            "pays_regions",
            "acronymes_cliniques",
            "scores_classifications",
        ] {
            std::fs::write(dir.join(format!("lexicons/{f}.tsv")), "# c\nnous\n").unwrap();
        }
        let l = Lists::load(&dir).unwrap();
        assert_eq!(l.function_words, ["nous"]);
        assert_eq!(l.first_names[0].sex, Sex::X);
        assert_eq!(l.surnames[0].name, "DUPONT");
        assert_eq!(l.world_cities[0].country, "SN");
        std::fs::remove_file(dir.join("villes_monde.tsv")).unwrap();
        let without = Lists::load(&dir).unwrap();
        assert!(
            without.world_cities.is_empty(),
            "the world-city list is optional"
        );
        assert_eq!(l.street_types[0].abbreviations, ["av.", "av"]);
        assert!(l.street_types[1].abbreviations.is_empty());
        std::fs::write(dir.join("prenoms.tsv"), "Jean\tQ\t1\n").unwrap();
        let e = Lists::load(&dir).unwrap_err().to_string();
        assert!(e.contains("prenoms: line 1"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
