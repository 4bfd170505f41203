//! Person names: surname variants (particles, hyphenated compounds) and first names (compound,
//! initials), rendered UPPER or Capitalised per occurrence.

use crate::gaz::Gazetteers;
use crate::gen::text::{capitalise, slug};
use crate::rng::Rng;
use crate::template::Form;

/// A surname: optional particle (`de`, `Le`, `N'`…) and core, stored Capitalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surname {
    pub particle: Option<&'static str>,
    pub core: String,
}

/// Particles and whether a space follows them.
const PARTICLES: [(&str, bool); 12] = [
    ("de", true),
    ("Le", true),
    ("La", true),
    ("N'", false),
    ("Ben", true),
    ("Van", true),
    ("Da", true),
    ("Dos", true),
    ("El", true),
    ("Mac", false),
    ("du", true),
    ("D'", false),
];

impl Surname {
    pub fn draw(g: &Gazetteers, rng: &mut Rng) -> Surname {
        let mut core = g.surnames[g.surname_table.draw(rng)].clone();
        if rng.chance(70) {
            core = format!("{core}-{}", g.surnames[g.surname_table.draw(rng)]);
        }
        let plain = !core.contains(' ') && !core.contains('\'') && !core.contains('-');
        let particle = if plain && rng.chance(60) {
            Some(rng.pick(&PARTICLES).0)
        } else {
            None
        };
        Surname { particle, core }
    }

    fn joined(particle: &str, core: &str) -> String {
        let spaced = PARTICLES
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(particle))
            .is_none_or(|(_, s)| *s);
        if spaced {
            format!("{particle} {core}")
        } else {
            format!("{particle}{core}")
        }
    }

    /// Capitalised: `Le Floch`, `de Villiers`, `N'Diaye`.
    pub fn cap(&self) -> String {
        match self.particle {
            Some(p) => Self::joined(p, &self.core),
            None => self.core.clone(),
        }
    }

    /// Upper: `LE FLOCH`, `de VILLIERS` or `DE VILLIERS`, `N'DIAYE`.
    pub fn maj(&self, rng: &mut Rng) -> String {
        match self.particle {
            Some(p @ ("de" | "du")) if rng.chance(500) => {
                Self::joined(p, &self.core.to_uppercase())
            }
            Some(p) => Self::joined(&p.to_uppercase(), &self.core.to_uppercase()),
            None => self.core.to_uppercase(),
        }
    }

    pub fn render(&self, form: Option<Form>, upper_bias: u32, rng: &mut Rng) -> String {
        let upper = match form {
            Some(Form::Maj) => true,
            Some(Form::Cap) => false,
            _ => rng.chance(upper_bias),
        };
        if upper {
            self.maj(rng)
        } else {
            self.cap()
        }
    }

    /// Letters for e-mail addresses: `devilliers`, `le-floch` style kept simple.
    pub fn slug(&self, sep: &str) -> String {
        slug(&self.cap(), sep)
    }
}

/// A first name, possibly compound (`Jean-Pierre`, `Ana Paula`).
pub fn draw_first(g: &Gazetteers, male: bool, rng: &mut Rng) -> String {
    let table = if male { &g.masc } else { &g.fem };
    let first = g.first_names[table.draw(rng)].clone();
    if rng.chance(80) && !first.contains('-') && !first.contains(' ') {
        let second = &g.first_names[table.draw(rng)];
        if second != &first && !second.contains('-') && !second.contains(' ') {
            let sep = if rng.chance(850) { "-" } else { " " };
            return format!("{first}{sep}{second}");
        }
    }
    first
}

/// `J.` or `J.-P.` (and `J. P.` for space-separated compounds).
pub fn initials(first: &str) -> String {
    let mut out = String::new();
    for part in first.split_inclusive(['-', ' ']) {
        let sep = part.chars().last().filter(|c| *c == '-' || *c == ' ');
        let word = part.trim_end_matches(['-', ' ']);
        if let Some(c) = word.chars().next() {
            out.extend(c.to_uppercase());
            out.push('.');
        }
        if let Some(s) = sep {
            out.push(s);
        }
    }
    out.trim_end().to_string()
}

pub fn render_first(first: &str, form: Option<Form>, upper_bias: u32, rng: &mut Rng) -> String {
    let form = form.unwrap_or_else(|| {
        let r = rng.below(1000) as u32;
        if r < 40 {
            Form::Init
        } else if r < 40 + upper_bias / 3 {
            Form::Maj
        } else {
            Form::Cap
        }
    });
    match form {
        Form::Init => initials(first),
        Form::Maj => first.to_uppercase(),
        _ => capitalise(first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_simple_and_compound_names() {
        assert_eq!(initials("Jean"), "J.");
        assert_eq!(initials("Jean-Pierre"), "J.-P.");
        assert_eq!(initials("Ana Paula"), "A. P.");
        assert_eq!(initials("Élise"), "É.");
    }

    #[test]
    fn particles_render_in_both_cases() {
        let s = Surname {
            particle: Some("N'"),
            core: "Diaye".into(),
        };
        assert_eq!(s.cap(), "N'Diaye");
        let mut rng = Rng::from_parts(&[1]);
        assert_eq!(s.maj(&mut rng), "N'DIAYE");
        let s = Surname {
            particle: Some("Le"),
            core: "Floch".into(),
        };
        assert_eq!(s.maj(&mut rng), "LE FLOCH");
        let s = Surname {
            particle: Some("de"),
            core: "Villiers".into(),
        };
        for _ in 0..20 {
            let m = s.maj(&mut rng);
            assert!(m == "de VILLIERS" || m == "DE VILLIERS", "{m}");
        }
        assert_eq!(s.slug(""), "devilliers");
    }
}
