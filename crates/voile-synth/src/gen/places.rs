//! Street addresses (number, bis/ter, street type from `voies.tsv`, building and postal-box
//! complements, lieux-dits) and e-mail domains derived from places.

use crate::gaz::Gazetteers;
use crate::gen::text::{capitalise, slug};
use crate::rng::Rng;

const STREET_NAMES: [&str; 64] = [
    "des Lilas",
    "de la République",
    "Victor Hugo",
    "Jean Jaurès",
    "Pasteur",
    "Gambetta",
    "du Général Leclerc",
    "Foch",
    "de Verdun",
    "de la Libération",
    "du 8 Mai 1945",
    "du 11 Novembre 1918",
    "des Acacias",
    "de la Gare",
    "de l'Église",
    "du Moulin",
    "des Écoles",
    "de la Mairie",
    "du Château",
    "de Paris",
    "de Bretagne",
    "des Tilleuls",
    "du Stade",
    "de la Poste",
    "Saint-Martin",
    "des Peupliers",
    "du Port",
    "de la Fontaine",
    "des Vignes",
    "de la Paix",
    "Émile Zola",
    "Anatole France",
    "Louis Pasteur",
    "Jean Moulin",
    "Charles de Gaulle",
    "du Maréchal Joffre",
    "des Roses",
    "du Bois",
    "des Chênes",
    "de la Forêt",
    "des Marronniers",
    "du Commandant Charcot",
    "Pierre et Marie Curie",
    "Paul Bert",
    "Jules Ferry",
    "du Docteur Roux",
    "de Strasbourg",
    "des Mimosas",
    "des Frères Lumière",
    "de l'Abbaye",
    "du Four",
    "des Glycines",
    "de la Croix Rouge",
    "Aristide Briand",
    "des Cerisiers",
    "de la Vallée",
    "du Lavoir",
    "des Prés",
    "de Bellevue",
    "Georges Clemenceau",
    "du Pont",
    "des Alouettes",
    "Sainte-Anne",
    "de la Source",
];

const RESIDENCES: [&str; 10] = [
    "Les Tilleuls",
    "Le Clos Fleuri",
    "Les Jardins du Parc",
    "Le Belvédère",
    "Les Hortensias",
    "Bellevue",
    "Les Cèdres",
    "Le Hameau",
    "Les Terrasses",
    "Val Fleuri",
];

const LIEUX_DITS: [&str; 10] = [
    "La Croix",
    "Le Bourg",
    "Les Landes",
    "La Métairie",
    "Le Moulin Neuf",
    "Les Granges",
    "La Haute Folie",
    "Kerlann",
    "Le Plessis",
    "Les Forges",
];

/// Street types weighted towards the common ones (per mille), the rest of `voies.tsv` uniform.
const COMMON_TYPES: [(&str, u32); 8] = [
    ("rue", 450),
    ("avenue", 110),
    ("boulevard", 60),
    ("chemin", 50),
    ("allée", 40),
    ("impasse", 40),
    ("place", 30),
    ("route", 40),
];

fn street_type(g: &Gazetteers, rng: &mut Rng) -> String {
    let mut r = rng.below(1000) as u32;
    let mut chosen = None;
    for (name, w) in COMMON_TYPES {
        if r < w {
            chosen = g.street_types.iter().find(|(n, _)| n == name);
            break;
        }
        r -= w;
    }
    let (name, abbrs) = chosen.unwrap_or_else(|| rng.pick(&g.street_types));
    let base = if !abbrs.is_empty() && rng.chance(200) {
        rng.pick(abbrs).clone()
    } else {
        name.clone()
    };
    if rng.chance(150) {
        capitalise(&base)
    } else {
        base
    }
}

fn street_name(g: &Gazetteers, rng: &mut Rng) -> String {
    if rng.chance(120) {
        let first = &g.first_names[g.masc.draw(rng)];
        let last = &g.surnames[g.surname_table.draw(rng)];
        format!("{first} {last}")
    } else {
        rng.pick(&STREET_NAMES).to_string()
    }
}

fn number(rng: &mut Rng) -> String {
    let n = if rng.chance(650) {
        rng.range(1, 40)
    } else {
        rng.range(1, 250)
    };
    match rng.below(100) {
        0..=2 => format!("{n} bis"),
        3 => format!("{n} ter"),
        4 => format!("{n}bis"),
        5 => format!("{n} B"),
        _ => n.to_string(),
    }
}

/// The street part of an address (one ADRESSE span). `institutional` favours BP/CS boxes.
pub fn address(g: &Gazetteers, institutional: bool, rng: &mut Rng) -> String {
    if !institutional && rng.chance(40) {
        let ld = rng.pick(&LIEUX_DITS);
        return if rng.chance(600) {
            format!("Lieu-dit {ld}")
        } else {
            format!("lieu-dit {ld}")
        };
    }
    let sep = if rng.chance(60) { ", " } else { " " };
    let mut street = format!(
        "{}{sep}{} {}",
        number(rng),
        street_type(g, rng),
        street_name(g, rng)
    );
    if !institutional {
        match rng.below(100) {
            0..=3 => street = format!("Bât. {}, {street}", rng.pick(&["A", "B", "C", "D", "2"])),
            4..=6 => street = format!("Résidence {}, {street}", rng.pick(&RESIDENCES)),
            7..=8 => street = format!("Appt {}, {street}", rng.range(1, 120)),
            9 => street = format!("{street}, Esc. {}", rng.range(1, 6)),
            _ => {}
        }
    }
    let box_share = if institutional { 300 } else { 30 };
    if rng.chance(box_share) {
        let b = match rng.below(3) {
            0 => format!("BP {}", rng.range(1, 9999)),
            1 => format!("CS {}", rng.range(10_000, 99_999)),
            _ => format!("TSA {}", rng.range(10_000, 99_999)),
        };
        let sep = if rng.chance(700) { ", " } else { " " };
        street = format!("{street}{sep}{b}");
    }
    street
}

/// `Paris 10e Arrondissement` is usually written `Paris`, sometimes `Paris 10e`.
pub fn display_city(name: &str, rng: &mut Rng) -> String {
    match name.strip_suffix(" Arrondissement") {
        Some(short) if rng.chance(250) => short.to_string(),
        _ => base_city(name).to_string(),
    }
}

/// `Lyon 3e Arrondissement` → `Lyon`; other names unchanged.
pub fn base_city(name: &str) -> &str {
    match name.strip_suffix(" Arrondissement") {
        Some(short) => short.rsplit_once(' ').map_or(short, |(city, _)| city),
        None => name,
    }
}

/// E-mail domain of an establishment in `city` (`chu-nantes.fr`, `ch-cholet.fr`).
pub fn hospital_domain(kind: &str, city: &str, rng: &mut Rng) -> String {
    let c = slug(base_city(city), "-");
    if c == "paris" && rng.chance(500) {
        return "aphp.fr".into();
    }
    let prefix = match kind.to_ascii_uppercase().as_str() {
        "CHU" | "CHRU" => "chu",
        "CH" | "CHR" | "CHI" => "ch",
        "CLINIQUE" => "clinique",
        "CLCC" => "centre-cancer",
        _ => *rng.pick(&["ch", "ght", "hopital"]),
    };
    format!("{prefix}-{c}.fr")
}

pub const PERSONAL_DOMAINS: [&str; 10] = [
    "gmail.com",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "hotmail.fr",
    "yahoo.fr",
    "outlook.fr",
    "sfr.fr",
    "icloud.com",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hospital_domains_are_ascii() {
        let mut rng = Rng::from_parts(&[5]);
        assert_eq!(
            hospital_domain("CHU", "Saint-Étienne", &mut rng),
            "chu-saint-etienne.fr"
        );
        assert_eq!(hospital_domain("CH", "Cholet", &mut rng), "ch-cholet.fr");
        for _ in 0..20 {
            let c = display_city("Paris 10e Arrondissement", &mut rng);
            assert!(c == "Paris" || c == "Paris 10e", "{c}");
            assert_eq!(display_city("Cholet", &mut rng), "Cholet");
        }
    }
}
