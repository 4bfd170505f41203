//! Rendering one template into an annotated document: role-bound persons, places, dates and
//! identifiers are drawn lazily and reused, so every occurrence of a role is the same entity.

pub mod dates;
pub mod names;
pub mod negatives;
pub mod numbers;
pub mod places;
pub mod text;

use crate::gaz::Gazetteers;
use crate::rng::Rng;
use crate::template::{is_person_prefix, Entity, Form, Node, Template};
use dates::Date;
use names::Surname;
use numbers::BirthPlace;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use voile_core::{Label, Span};

/// Source name of every generated span.
pub const GOLD: &str = "gold";

const EVENTS_FROM: Date = Date {
    y: 1990,
    m: 1,
    d: 1,
};
const EVENTS_TO: Date = Date {
    y: 2026,
    m: 12,
    d: 31,
};
const BIRTH_FROM: Date = Date {
    y: 1925,
    m: 1,
    d: 1,
};
const BIRTH_TO: Date = Date {
    y: 2024,
    m: 12,
    d: 31,
};

#[derive(Debug, Clone)]
struct Person {
    male: bool,
    first: String,
    surname: Surname,
    birth: Date,
    birth_place: BirthPlace,
    nir_body: Option<String>,
    /// Place key of the person's home.
    home: String,
    /// Patients and relatives get personal e-mail domains, staff institutional ones.
    staff: bool,
}

#[derive(Debug, Clone)]
struct Place {
    city: String,
    postcode: String,
    insee: String,
    hospital: Option<usize>,
    street: Option<String>,
}

impl Place {
    fn dept(&self) -> &str {
        if self.insee.starts_with("97") && self.insee.len() >= 3 {
            &self.insee[..3]
        } else {
            self.insee.get(..2).unwrap_or("75")
        }
    }
}

/// A rendered document before noise.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub text: String,
    pub spans: Vec<Span>,
    /// `{nom, prenom, date_naissance, ipp}` of the `pat` role, when the template has one.
    pub patient: Option<Value>,
}

/// Per-document state: bound roles, the document's date anchor and formatting habits.
struct Doc<'a> {
    g: &'a Gazetteers,
    tpl: &'a Template,
    rng: Rng,
    anchor: Date,
    num_style: usize,
    tel_style: usize,
    ipp_style: u64,
    nda_style: u64,
    /// Per-mille chance that a surname without form is written in capitals.
    upper_bias: u32,
    persons: Vec<Person>,
    person_roles: BTreeMap<String, usize>,
    places: Vec<Place>,
    place_roles: BTreeMap<String, usize>,
    dates: BTreeMap<String, Date>,
    bound: BTreeMap<(String, Label, Option<Form>), String>,
    out: String,
    spans: Vec<Span>,
}

/// Render `tpl` with a document-specific random source.
pub fn render(g: &Gazetteers, tpl: &Template, mut rng: Rng) -> Rendered {
    let anchor = Date::random_between(&mut rng, Date::ymd(1995, 1, 1), Date::ymd(2026, 6, 30));
    let num_style = dates::draw_num_style(&mut rng);
    let tel_style = numbers::draw_tel_style(&mut rng);
    let ipp_style = rng.below(8);
    let nda_style = rng.below(7);
    let upper_bias = *rng.pick(&[150, 450, 700, 900]);
    let mut doc = Doc {
        g,
        tpl,
        rng,
        anchor,
        num_style,
        tel_style,
        ipp_style,
        nda_style,
        upper_bias,
        persons: Vec::new(),
        person_roles: BTreeMap::new(),
        places: Vec::new(),
        place_roles: BTreeMap::new(),
        dates: BTreeMap::new(),
        bound: BTreeMap::new(),
        out: String::new(),
        spans: Vec::new(),
    };
    doc.nodes(&tpl.nodes);
    let patient = doc.patient_meta();
    let trimmed = doc.out.trim_end().len();
    doc.out.truncate(trimmed);
    doc.out.push('\n');
    Rendered {
        text: doc.out,
        spans: doc.spans,
        patient,
    }
}

impl Doc<'_> {
    fn nodes(&mut self, nodes: &[Node]) {
        for n in nodes {
            match n {
                Node::Text(t) => self.out.push_str(t),
                Node::Entity(e) => self.entity(e),
                Node::Neg(k) => {
                    let s = negatives::render(*k, self.g, &mut self.rng);
                    self.out.push_str(&s);
                }
                Node::Choice(alts) => {
                    let i = self.rng.index(alts.len());
                    self.nodes(&alts[i]);
                }
                Node::BySex { role, masc, fem } => {
                    let p = self.person(Some(role));
                    if self.persons[p].male {
                        self.nodes(masc)
                    } else {
                        self.nodes(fem)
                    }
                }
            }
        }
    }

    fn emit(&mut self, label: Label, surface: &str) {
        let surface = surface.trim();
        debug_assert!(
            !surface.is_empty() && !surface.contains('\n'),
            "{label}: bad surface"
        );
        if surface.is_empty() {
            return;
        }
        let start = self.out.len();
        self.out.push_str(surface);
        self.spans
            .push(Span::new(start, self.out.len(), label, GOLD, 1.0));
    }

    fn entity(&mut self, e: &Entity) {
        let role = e.role.as_deref();
        let surface = match e.label {
            Label::Nom => {
                let p = self.person(role);
                let bias = self.upper_bias;
                self.persons[p].surname.render(e.form, bias, &mut self.rng)
            }
            Label::Prenom => {
                let p = self.person(role);
                let first = self.persons[p].first.clone();
                names::render_first(&first, e.form, self.upper_bias, &mut self.rng)
            }
            Label::Date => {
                let d = self.event_date(role);
                dates::render(d, e.form, self.num_style, &mut self.rng)
            }
            Label::DateNaissance => {
                let d = self.birth_date(role);
                dates::render(d, e.form, self.num_style, &mut self.rng)
            }
            Label::Adresse => self.street(role),
            Label::Zip => {
                let pl = self.place(role);
                self.places[pl].postcode.clone()
            }
            Label::Ville => self.city(role),
            Label::Hopital => self.hospital(role),
            Label::Tel => self.tel(role, e.form),
            Label::Mail => self.bind(role, Label::Mail, None, |d, r| d.mail(r)),
            Label::Secu => self.secu(role),
            Label::Ipp => self.bind(role, Label::Ipp, None, |d, _| {
                let s = d.ipp_style;
                numbers::ipp(s, &mut d.rng)
            }),
            Label::Nda => self.bind(role, Label::Nda, None, |d, _| {
                let (s, y) = (d.nda_style, d.anchor.y);
                numbers::nda(s, y, &mut d.rng)
            }),
            Label::Id => self.id(role, e.form),
        };
        self.emit(e.label, &surface);
        if e.label == Label::Ville {
            self.maybe_cedex(role);
        }
    }

    /// A value bound to `(role, label, form)`, drawn once per document; fresh without a role.
    fn bind(
        &mut self,
        role: Option<&str>,
        label: Label,
        form: Option<Form>,
        draw: impl FnOnce(&mut Self, Option<&str>) -> String,
    ) -> String {
        let Some(r) = role else {
            return draw(self, None);
        };
        let key = (r.to_string(), label, form);
        if let Some(v) = self.bound.get(&key) {
            return v.clone();
        }
        let v = draw(self, Some(r));
        self.bound.insert(key, v.clone());
        v
    }

    fn is_person_role(&self, role: &str) -> bool {
        self.tpl.person_roles.contains(role) || is_person_prefix(role)
    }

    // ---- persons -------------------------------------------------------------------------

    fn person(&mut self, role: Option<&str>) -> usize {
        if let Some(&i) = role.and_then(|r| self.person_roles.get(r)) {
            return i;
        }
        let p = self.new_person(role.unwrap_or(""));
        self.persons.push(p);
        let i = self.persons.len() - 1;
        if let Some(r) = role {
            self.person_roles.insert(r.to_string(), i);
        }
        i
    }

    fn new_person(&mut self, role: &str) -> Person {
        let male = self.rng.chance(500);
        let first = names::draw_first(self.g, male, &mut self.rng);
        let surname = Surname::draw(self.g, &mut self.rng);
        let is_patient = role.starts_with("pat");
        let staff = !(is_patient || role.starts_with("proche") || role.is_empty());
        let age_years = if is_patient {
            match self.rng.below(100) {
                0..=9 => self.rng.range(0, 15),
                10..=29 => self.rng.range(16, 40),
                30..=69 => self.rng.range(41, 75),
                _ => self.rng.range(76, 99),
            }
        } else if staff {
            self.rng.range(27, 66)
        } else {
            self.rng.range(1, 95)
        };
        let latest = BIRTH_TO.min(self.anchor);
        let mut birth = self
            .anchor
            .add_days(-(age_years * 365 + self.rng.range(0, 364)));
        if birth < BIRTH_FROM || birth > latest {
            // The age does not fit the plausible birth years: redraw within them instead of
            // piling everyone on the boundary date.
            birth = Date::random_between(&mut self.rng, BIRTH_FROM, latest);
        }
        let birth_place = if is_patient && self.tpl.roles.contains("naiss") {
            let pl = self.place(Some("naiss"));
            BirthPlace::Commune {
                insee: self.places[pl].insee.clone(),
            }
        } else if self.rng.chance(120) {
            BirthPlace::Abroad {
                country: numbers::COUNTRIES[self.rng.index(numbers::COUNTRIES.len())],
            }
        } else {
            let c = &self.g.communes[self.g.commune_table.draw(&mut self.rng)];
            BirthPlace::Commune {
                insee: c.insee.clone(),
            }
        };
        let home = if is_patient && self.tpl.roles.contains("dom") && role == "pat" {
            "dom".to_string()
        } else {
            format!("@home:{role}:{}", self.persons.len())
        };
        Person {
            male,
            first,
            surname,
            birth,
            birth_place,
            nir_body: None,
            home,
            staff,
        }
    }

    fn patient_meta(&mut self) -> Option<Value> {
        let p = *self.person_roles.get("pat")?;
        let ipp = self.bind(Some("pat"), Label::Ipp, None, |d, _| {
            let s = d.ipp_style;
            numbers::ipp(s, &mut d.rng)
        });
        let p = &self.persons[p];
        Some(json!({
            "nom": p.surname.cap(),
            "prenom": p.first,
            "date_naissance": p.birth.iso(),
            "sexe": if p.male { "M" } else { "F" },
            "ipp": ipp,
        }))
    }

    // ---- dates ---------------------------------------------------------------------------

    fn event_date(&mut self, role: Option<&str>) -> Date {
        let Some(r) = role else {
            let back = self.rng.range(-1500, 60);
            return self.anchor.add_days(back).clamp(EVENTS_FROM, EVENTS_TO);
        };
        if let Some(&d) = self.dates.get(r) {
            return d;
        }
        let offset = match r {
            "adm" | "entree" | "debut" | "d0" | "j0" => 0,
            "sortie" | "fin" => self.rng.range(1, 40),
            "cr" | "redac" | "courrier" | "sign" => self.rng.range(1, 60),
            _ => match r.strip_prefix('d').and_then(|n| n.parse::<i64>().ok()) {
                Some(n) => (n - 1) * 30 + self.rng.range(0, 29),
                None => self.rng.range(-1500, 60),
            },
        };
        let d = self.anchor.add_days(offset).clamp(EVENTS_FROM, EVENTS_TO);
        self.dates.insert(r.to_string(), d);
        d
    }

    fn birth_date(&mut self, role: Option<&str>) -> Date {
        match role {
            Some(r) if self.is_person_role(r) => {
                let p = self.person(Some(r));
                self.persons[p].birth
            }
            Some(r) => {
                let key = format!("@naiss:{r}");
                if let Some(&d) = self.dates.get(&key) {
                    return d;
                }
                let d = Date::random_between(&mut self.rng, BIRTH_FROM, BIRTH_TO);
                self.dates.insert(key, d);
                d
            }
            None => Date::random_between(&mut self.rng, BIRTH_FROM, BIRTH_TO),
        }
    }

    // ---- places --------------------------------------------------------------------------

    /// The place of a role: a person role means that person's home.
    fn place(&mut self, role: Option<&str>) -> usize {
        let key = match role {
            Some(r) if self.is_person_role(r) => {
                let p = self.person(Some(r));
                self.persons[p].home.clone()
            }
            Some(r) => r.to_string(),
            None => {
                let pl = self.new_place(false);
                self.places.push(pl);
                return self.places.len() - 1;
            }
        };
        if let Some(&i) = self.place_roles.get(&key) {
            return i;
        }
        let hospital = self.tpl.hospital_roles.contains(&key);
        let pl = self.new_place(hospital);
        self.places.push(pl);
        let i = self.places.len() - 1;
        self.place_roles.insert(key, i);
        i
    }

    fn new_place(&mut self, hospital: bool) -> Place {
        let g = self.g;
        if hospital {
            let h = if g.located_hospitals.is_empty() {
                self.rng.index(g.hospitals.len())
            } else {
                *self.rng.pick(&g.located_hospitals)
            };
            let hosp = &g.hospitals[h];
            if !hosp.communes.is_empty() {
                let c = &g.communes[*self.rng.pick(&hosp.communes)];
                return Place {
                    city: c.name.clone(),
                    postcode: c.postcode.clone(),
                    insee: c.insee.clone(),
                    hospital: Some(h),
                    street: None,
                };
            }
            let c = &g.communes[g.commune_table.draw(&mut self.rng)];
            return Place {
                city: hosp.city.clone(),
                postcode: c.postcode.clone(),
                insee: c.insee.clone(),
                hospital: Some(h),
                street: None,
            };
        }
        let c = &g.communes[g.commune_table.draw(&mut self.rng)];
        Place {
            city: c.name.clone(),
            postcode: c.postcode.clone(),
            insee: c.insee.clone(),
            hospital: None,
            street: None,
        }
    }

    fn street(&mut self, role: Option<&str>) -> String {
        let pl = self.place(role);
        if self.places[pl].street.is_none() {
            let inst = self.places[pl].hospital.is_some();
            let s = places::address(self.g, inst, &mut self.rng);
            self.places[pl].street = Some(s);
        }
        let s = self.places[pl].street.clone().unwrap_or_default();
        if self.rng.chance(60) {
            s.to_uppercase()
        } else {
            s
        }
    }

    /// True when the text just written is `<ZIP span> ` (an address line).
    fn after_zip(&self) -> bool {
        self.spans
            .last()
            .is_some_and(|s| s.label == Label::Zip && &self.out[s.end..] == " ")
    }

    fn city(&mut self, role: Option<&str>) -> String {
        let pl = self.place(role);
        let name = places::display_city(&self.places[pl].city, &mut self.rng);
        let upper_share = if self.after_zip() { 450 } else { 60 };
        if self.rng.chance(upper_share) {
            name.to_uppercase()
        } else {
            name
        }
    }

    /// `CEDEX [n]` after an address line's city: outside every span, as the contract says.
    fn maybe_cedex(&mut self, role: Option<&str>) {
        let Some(last) = self.spans.last() else {
            return;
        };
        let zip_before = self.spans.len() >= 2 && {
            let z = &self.spans[self.spans.len() - 2];
            z.label == Label::Zip && &self.out[z.end..last.start] == " "
        };
        if !zip_before {
            return;
        }
        let institutional = role.is_some_and(|r| self.tpl.hospital_roles.contains(r));
        if self.rng.chance(if institutional { 350 } else { 20 }) {
            let word = if self.rng.chance(800) {
                "CEDEX"
            } else {
                "Cedex"
            };
            if self.rng.chance(600) {
                let n = self.rng.range(1, 9);
                self.out.push_str(&format!(" {word} {n}"));
            } else {
                self.out.push_str(&format!(" {word}"));
            }
        }
    }

    fn hospital(&mut self, role: Option<&str>) -> String {
        let h = match role {
            Some(_) => {
                let pl = self.place(role);
                match self.places[pl].hospital {
                    Some(h) => h,
                    None => self.rng.index(self.g.hospitals.len()),
                }
            }
            None => self.rng.index(self.g.hospitals.len()),
        };
        let name = self.g.hospitals[h].name.clone();
        if self.rng.chance(70) {
            name.to_uppercase()
        } else {
            name
        }
    }

    // ---- contacts and identifiers --------------------------------------------------------

    fn home_dept(&mut self, role: Option<&str>) -> Option<String> {
        role.map(|r| {
            let pl = self.place(Some(r));
            self.places[pl].dept().to_string()
        })
    }

    fn tel(&mut self, role: Option<&str>, form: Option<Form>) -> String {
        let person = role.is_some_and(|r| self.is_person_role(r));
        let form = match form {
            Some(f) => f,
            None => {
                let pick = self.bind(role, Label::Tel, None, |d, _| {
                    let mobile = person && d.rng.chance(600);
                    if mobile { "mobile" } else { "fixe" }.to_string()
                });
                if pick == "mobile" {
                    Form::Mobile
                } else {
                    Form::Fixe
                }
            }
        };
        let digits = self.bind(role, Label::Tel, Some(form), |d, r| match form {
            Form::Mobile => numbers::mobile(&mut d.rng),
            Form::Fax => {
                let line = d.bind(r, Label::Tel, Some(Form::Fixe), |d, r| {
                    let dept = d.home_dept(r);
                    numbers::landline(&mut d.rng, dept.as_deref())
                });
                numbers::fax_near(&line, &mut d.rng)
            }
            _ => {
                let dept = d.home_dept(r);
                numbers::landline(&mut d.rng, dept.as_deref())
            }
        });
        let style = if self.rng.chance(800) {
            self.tel_style
        } else {
            numbers::draw_tel_style(&mut self.rng)
        };
        numbers::format_tel(&digits, style)
    }

    fn mail(&mut self, role: Option<&str>) -> String {
        if let Some(r) = role.filter(|r| !self.is_person_role(r)) {
            let pl = self.place(Some(r));
            return self.institution_mail(pl);
        }
        let p = self.person(role);
        let person = self.persons[p].clone();
        let first = text::slug(&person.first, "-");
        let initial = first.chars().next().unwrap_or('x');
        let last = person
            .surname
            .slug(if self.rng.chance(300) { "-" } else { "" });
        let local = match self.rng.below(100) {
            0..=49 => format!("{first}.{last}"),
            50..=69 => format!("{initial}.{last}"),
            70..=79 => format!("{last}.{first}"),
            80..=87 => format!("{first}{last}"),
            88..=93 => format!("{initial}{last}"),
            _ => format!("{first}.{last}{}", self.rng.range(1, 99)),
        };
        let domain = if person.staff {
            self.staff_domain()
        } else {
            places::PERSONAL_DOMAINS[self.rng.index(places::PERSONAL_DOMAINS.len())].to_string()
        };
        format!("{local}@{domain}")
    }

    /// The document's hospital domain when it has one, else a random establishment's.
    fn staff_domain(&mut self) -> String {
        let hosp = self.place_roles.values().find_map(|&i| {
            self.places[i]
                .hospital
                .map(|h| (h, self.places[i].city.clone()))
        });
        let (h, city) = match hosp {
            Some(x) => x,
            None => {
                let h = self.rng.index(self.g.hospitals.len());
                (h, self.g.hospitals[h].city.clone())
            }
        };
        let kind = self.g.hospitals[h].kind.clone();
        places::hospital_domain(&kind, &city, &mut self.rng)
    }

    fn institution_mail(&mut self, pl: usize) -> String {
        let local = *self.rng.pick(&[
            "secretariat.cardiologie",
            "accueil",
            "contact",
            "secretariat-neurologie",
            "consultations.genetique",
            "bloc.operatoire",
            "urgences",
            "dim",
            "labo.biologie",
            "rcp.oncologie",
        ]);
        let place = self.places[pl].clone();
        let domain = match place.hospital {
            Some(h) => {
                let kind = self.g.hospitals[h].kind.clone();
                places::hospital_domain(&kind, &place.city, &mut self.rng)
            }
            None => format!("cabinet-{}.fr", text::slug(&place.city, "-")),
        };
        format!("{local}@{domain}")
    }

    fn secu(&mut self, role: Option<&str>) -> String {
        let p = self.person(role);
        if self.persons[p].nir_body.is_none() {
            let person = &self.persons[p];
            let (male, y, m, place) = (
                person.male,
                person.birth.y,
                person.birth.m,
                person.birth_place.clone(),
            );
            let body = numbers::nir_body(male, y, m, &place, &mut self.rng);
            self.persons[p].nir_body = Some(body);
        }
        let body = self.persons[p].nir_body.clone().unwrap_or_default();
        numbers::format_nir(&body, &mut self.rng)
    }

    fn id(&mut self, role: Option<&str>, form: Option<Form>) -> String {
        let form = form.unwrap_or_else(|| {
            const CUM: [u64; 7] = [30, 45, 55, 70, 85, 95, 100];
            [
                Form::Rpps,
                Form::Finess,
                Form::Adeli,
                Form::Echantillon,
                Form::Examen,
                Form::Demande,
                Form::Bloc,
            ][self.rng.weighted(&CUM)]
        });
        self.bind(role, Label::Id, Some(form), |d, r| {
            let y = d.anchor.y;
            match form {
                Form::Rpps => numbers::rpps(&mut d.rng),
                Form::Adeli => {
                    let dept = d.home_dept(r);
                    numbers::adeli(dept.as_deref(), &mut d.rng)
                }
                Form::Finess => {
                    let dept = d.home_dept(r);
                    numbers::finess(dept.as_deref(), &mut d.rng)
                }
                Form::Echantillon => numbers::echantillon(y, &mut d.rng),
                Form::Examen => numbers::examen(y, &mut d.rng),
                Form::Demande => numbers::demande(y, &mut d.rng),
                Form::Bloc => numbers::bloc(y, &mut d.rng),
                _ => numbers::iban(&mut d.rng),
            }
        })
    }
}
