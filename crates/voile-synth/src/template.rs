//! The template language of `crates/voile-synth/TEMPLATES.md`: a strict parser (errors name the file, line and
//! column), the shipped-template loader and the per-doc-type split assignment.

use crate::rng::fnv1a;
use crate::Split;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use voile_core::{Error, ErrorKind, Label};

/// Optional rendering form of an entity (`[[LABEL/form]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Form {
    Maj,
    Cap,
    Init,
    Num,
    Long,
    Jour,
    Mois,
    Annee,
    Lettres,
    Mobile,
    Fixe,
    Fax,
    Rpps,
    Adeli,
    Finess,
    Echantillon,
    Examen,
    Demande,
    Bloc,
    Iban,
}

impl Form {
    fn parse(label: Label, s: &str) -> Option<Form> {
        use Form::*;
        let allowed: &[(&str, Form)] = match label {
            Label::Nom => &[("maj", Maj), ("cap", Cap)],
            Label::Prenom => &[("init", Init), ("maj", Maj), ("cap", Cap)],
            Label::Date | Label::DateNaissance => &[
                ("num", Num),
                ("long", Long),
                ("jour", Jour),
                ("mois", Mois),
                ("annee", Annee),
                ("lettres", Lettres),
            ],
            Label::Tel => &[("mobile", Mobile), ("fixe", Fixe), ("fax", Fax)],
            Label::Id => &[
                ("rpps", Rpps),
                ("adeli", Adeli),
                ("finess", Finess),
                ("echantillon", Echantillon),
                ("examen", Examen),
                ("demande", Demande),
                ("bloc", Bloc),
                ("iban", Iban),
            ],
            _ => &[],
        };
        allowed.iter().find(|(n, _)| *n == s).map(|(_, f)| *f)
    }
}

/// Kinds of unannotated hard negatives (`[[NEG:kind]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NegKind {
    Eponyme,
    Medicament,
    Gene,
    Code,
    Bio,
    Score,
    Tension,
    Reldate,
    Service,
    Chambre,
    Posologie,
    Heure,
}

impl NegKind {
    pub const ALL: [NegKind; 12] = [
        NegKind::Eponyme,
        NegKind::Medicament,
        NegKind::Gene,
        NegKind::Code,
        NegKind::Bio,
        NegKind::Score,
        NegKind::Tension,
        NegKind::Reldate,
        NegKind::Service,
        NegKind::Chambre,
        NegKind::Posologie,
        NegKind::Heure,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NegKind::Eponyme => "eponyme",
            NegKind::Medicament => "medicament",
            NegKind::Gene => "gene",
            NegKind::Code => "code",
            NegKind::Bio => "bio",
            NegKind::Score => "score",
            NegKind::Tension => "tension",
            NegKind::Reldate => "reldate",
            NegKind::Service => "service",
            NegKind::Chambre => "chambre",
            NegKind::Posologie => "posologie",
            NegKind::Heure => "heure",
        }
    }

    fn parse(s: &str) -> Option<NegKind> {
        NegKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An annotated slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub label: Label,
    pub role: Option<String>,
    pub form: Option<Form>,
}

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Text(String),
    Entity(Entity),
    Neg(NegKind),
    /// `{a|b|c}`: one alternative chosen at random (alternatives may hold markup).
    Choice(Vec<Vec<Node>>),
    /// `{role?masc|fem}`.
    BySex {
        role: String,
        masc: Vec<Node>,
        fem: Vec<Node>,
    },
}

/// A parsed document template.
#[derive(Debug, Clone)]
pub struct Template {
    pub doc_type: String,
    /// File stem, e.g. `cr_operatoire_03`.
    pub name: String,
    pub nodes: Vec<Node>,
    /// Roles bound to persons (names, sex alternatives, or a person prefix).
    pub person_roles: BTreeSet<String>,
    /// Place roles that carry a hospital (`HOPITAL:h1`).
    pub hospital_roles: BTreeSet<String>,
    /// Every role used with any label.
    pub roles: BTreeSet<String>,
    /// Labels the template can produce.
    pub labels: BTreeSet<Label>,
}

/// Person roles by prefix, as the template contract says (`pat`, `med`, `proche`, `ide`, `p<N>`).
pub fn is_person_prefix(role: &str) -> bool {
    ["pat", "med", "proche", "ide"]
        .iter()
        .any(|p| role.starts_with(p))
        || (role.starts_with('p') && role[1..].chars().all(|c| c.is_ascii_digit()))
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    file: &'a str,
}

impl<'a> Parser<'a> {
    fn err(&self, at: usize, msg: impl std::fmt::Display) -> Error {
        let before = &self.src[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Error::new(ErrorKind::Config(format!(
            "template {}:{line}:{col}: {msg}",
            self.file
        )))
        .at_line(line)
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    /// Parse nodes until end of input (`in_choice == false`) or until an unnested `|` or `}`.
    fn nodes(&mut self, in_choice: bool) -> Result<Vec<Node>, Error> {
        let mut nodes = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.rest().chars().next() {
            let rest = self.rest();
            if rest.starts_with("[[") {
                flush(&mut text, &mut nodes);
                nodes.push(self.markup()?);
            } else if rest.starts_with("]]") {
                return Err(self.err(self.pos, "`]]` without an opening `[[`"));
            } else if c == '{' {
                flush(&mut text, &mut nodes);
                nodes.push(self.choice()?);
            } else if in_choice && (c == '|' || c == '}') {
                break;
            } else if c == '}' {
                return Err(self.err(self.pos, "`}` without an opening `{`"));
            } else {
                text.push(c);
                self.pos += c.len_utf8();
            }
        }
        flush(&mut text, &mut nodes);
        Ok(nodes)
    }

    fn markup(&mut self) -> Result<Node, Error> {
        let start = self.pos;
        let body_start = start + 2;
        let Some(len) = self.src[body_start..].find("]]") else {
            return Err(self.err(start, "unclosed `[[`"));
        };
        let body = &self.src[body_start..body_start + len];
        if let Some(i) = body.find('\n') {
            return Err(self.err(
                body_start + i,
                "line break inside `[[...]]` (spans never cross lines)",
            ));
        }
        if body.contains("[[") || body.contains('{') || body.contains('}') {
            return Err(self.err(start, "nested markup inside `[[...]]`"));
        }
        self.pos = body_start + len + 2;
        let (head, form) = match body.split_once('/') {
            Some((h, f)) => (h, Some(f)),
            None => (body, None),
        };
        let (label, role) = match head.split_once(':') {
            Some((l, r)) => (l, Some(r)),
            None => (head, None),
        };
        if label == "NEG" {
            let kind = role.and_then(NegKind::parse).filter(|_| form.is_none());
            return kind.map(Node::Neg).ok_or_else(|| {
                let kinds: Vec<&str> = NegKind::ALL.iter().map(|k| k.as_str()).collect();
                self.err(
                    start,
                    format!("bad `[[NEG:kind]]` {body:?}; kinds: {}", kinds.join(", ")),
                )
            });
        }
        let label: Label = label
            .parse()
            .map_err(|_| self.err(start, format!("unknown label {label:?}")))?;
        if let Some(r) = role {
            if r.is_empty() || !r.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(self.err(start, format!("bad role {r:?} (letters, digits, `_`)")));
            }
        }
        let form = match form {
            None => None,
            Some(f) => Some(Form::parse(label, f).ok_or_else(|| {
                self.err(start, format!("form {f:?} is not allowed for {label}"))
            })?),
        };
        Ok(Node::Entity(Entity {
            label,
            role: role.map(str::to_string),
            form,
        }))
    }

    fn choice(&mut self) -> Result<Node, Error> {
        let start = self.pos;
        self.pos += 1;
        let sex_role = self.sex_role_prefix();
        let mut alts = Vec::new();
        loop {
            alts.push(self.nodes(true)?);
            match self.rest().chars().next() {
                Some('|') => self.pos += 1,
                Some('}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.err(start, "unclosed `{`")),
            }
        }
        match sex_role {
            Some(role) => {
                if alts.len() != 2 {
                    return Err(self.err(
                        start,
                        format!(
                            "`{{{role}?masc|fem}}` needs exactly 2 alternatives, got {}",
                            alts.len()
                        ),
                    ));
                }
                let fem = alts.pop().expect("two alternatives");
                let masc = alts.pop().expect("two alternatives");
                Ok(Node::BySex { role, masc, fem })
            }
            None => Ok(Node::Choice(alts)),
        }
    }

    /// `role?` right after `{`: consumes it and returns the role.
    fn sex_role_prefix(&mut self) -> Option<String> {
        let rest = self.rest();
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
        if end == 0 || !rest[end..].starts_with('?') || !rest.as_bytes()[0].is_ascii_lowercase() {
            return None;
        }
        let role = rest[..end].to_string();
        self.pos += end + 1;
        Some(role)
    }
}

fn flush(text: &mut String, nodes: &mut Vec<Node>) {
    if !text.is_empty() {
        nodes.push(Node::Text(std::mem::take(text)));
    }
}

fn visit<'n>(nodes: &'n [Node], f: &mut impl FnMut(&'n Node)) {
    for n in nodes {
        f(n);
        match n {
            Node::Choice(alts) => alts.iter().for_each(|a| visit(a, f)),
            Node::BySex { masc, fem, .. } => {
                visit(masc, f);
                visit(fem, f);
            }
            _ => {}
        }
    }
}

/// Parse one template. `file` is only used in error messages.
pub fn parse(src: &str, doc_type: &str, name: &str, file: &str) -> Result<Template, Error> {
    let mut p = Parser { src, pos: 0, file };
    let nodes = p.nodes(false)?;
    let mut person_roles = BTreeSet::new();
    let mut hospital_roles = BTreeSet::new();
    let mut roles = BTreeSet::new();
    let mut labels = BTreeSet::new();
    visit(&nodes, &mut |n| match n {
        Node::Entity(e) => {
            labels.insert(e.label);
            if let Some(r) = &e.role {
                roles.insert(r.clone());
                if matches!(e.label, Label::Nom | Label::Prenom) || is_person_prefix(r) {
                    person_roles.insert(r.clone());
                }
                if e.label == Label::Hopital {
                    hospital_roles.insert(r.clone());
                }
            }
        }
        Node::BySex { role, .. } => {
            roles.insert(role.clone());
            person_roles.insert(role.clone());
        }
        _ => {}
    });
    if let Some(r) = person_roles.intersection(&hospital_roles).next() {
        return Err(p.err(
            0,
            format!("role {r:?} is used both for a person and a hospital"),
        ));
    }
    if labels.is_empty() {
        return Err(p.err(0, "template has no annotated entity"));
    }
    Ok(Template {
        doc_type: doc_type.to_string(),
        name: name.to_string(),
        nodes,
        person_roles,
        hospital_roles,
        roles,
        labels,
    })
}

/// Load every `<dir>/<doctype>/*.txt`, sorted by doc type then file name.
pub fn load_dir(dir: &Path) -> Result<Vec<Template>, Error> {
    let io =
        |p: &Path, e: std::io::Error| Error::new(ErrorKind::Io(format!("{}: {e}", p.display())));
    let mut type_dirs: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    type_dirs.sort();
    let mut out = Vec::new();
    for td in type_dirs {
        let doc_type = td
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let mut files: Vec<_> = std::fs::read_dir(&td)
            .map_err(|e| io(&td, e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for f in files {
            let src = std::fs::read_to_string(&f).map_err(|e| io(&f, e))?;
            let name = f
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            let shown = format!("{doc_type}/{name}.txt");
            out.push(parse(&src, &doc_type, &name, &shown)?);
        }
    }
    if out.is_empty() {
        return Err(Error::new(ErrorKind::Resource(format!(
            "no templates under {}/<doctype>/*.txt",
            dir.display()
        ))));
    }
    Ok(out)
}

/// Assign templates to splits, per doc type: templates are ranked by a stable hash of
/// `(salt, name)`; the first ~15% go to test, the next ~15% to dev, the rest to train. With ≥ 3
/// templates every split gets at least one; with fewer, all go to train. The salt is the first
/// of 0..64 that lets every split cover the most labels (ideally all 14), so a rare label (e.g.
/// SECU in a handful of templates) is not missing from test by chance. Adding templates may
/// move others between splits; the assignment only depends on names and contents.
pub fn assign_splits(templates: &[Template]) -> Vec<Split> {
    let mut best: Option<(usize, Vec<Split>)> = None;
    for salt in 0..64u64 {
        let splits = assign_with_salt(templates, salt);
        let coverage: usize = [Split::Train, Split::Dev, Split::Test]
            .iter()
            .map(|&sp| {
                let covered: BTreeSet<Label> = templates
                    .iter()
                    .zip(&splits)
                    .filter(|(_, &s)| s == sp)
                    .flat_map(|(t, _)| t.labels.iter().copied())
                    .collect();
                covered.len()
            })
            .sum();
        if best.as_ref().is_none_or(|(c, _)| coverage > *c) {
            best = Some((coverage, splits));
        }
        if coverage == 3 * Label::ALL.len() {
            break;
        }
    }
    best.map(|(_, s)| s).unwrap_or_default()
}

fn assign_with_salt(templates: &[Template], salt: u64) -> Vec<Split> {
    let mut by_type: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, t) in templates.iter().enumerate() {
        by_type.entry(&t.doc_type).or_default().push(i);
    }
    let mut out = vec![Split::Train; templates.len()];
    for idx in by_type.values() {
        let mut ranked = idx.clone();
        ranked.sort_by_key(|&i| {
            (
                fnv1a(&format!("voile-split/{salt}/{}", templates[i].name)),
                i,
            )
        });
        let n = ranked.len();
        if n < 3 {
            continue;
        }
        let held = ((n as f64 * 0.15).round() as usize).max(1);
        for (rank, &i) in ranked.iter().enumerate() {
            out[i] = if rank < held {
                Split::Test
            } else if rank < 2 * held {
                Split::Dev
            } else {
                Split::Train
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> Result<Template, Error> {
        parse(src, "test", "test_01", "test/test_01.txt")
    }

    #[test]
    fn parses_every_markup_form() {
        let t = p(
            "Dr [[PRENOM:med1/init]] [[NOM:med1]], {le|la} [[DATE:adm/long]]\n\
                   {pat?Né|Née} le [[DATE_NAISSANCE:pat]] [[NEG:eponyme]] {a|}{x [[VILLE:h1]]|y}\n\
                   [[HOPITAL:h1]] a | b",
        )
        .unwrap();
        assert_eq!(
            t.nodes[1],
            Node::Entity(Entity {
                label: Label::Prenom,
                role: Some("med1".into()),
                form: Some(Form::Init)
            })
        );
        assert!(t.person_roles.contains("med1") && t.person_roles.contains("pat"));
        assert!(t.hospital_roles.contains("h1"));
        assert!(t
            .nodes
            .iter()
            .any(|n| matches!(n, Node::BySex { role, .. } if role == "pat")));
        assert!(t
            .nodes
            .iter()
            .any(|n| matches!(n, Node::Neg(NegKind::Eponyme))));
        let nested = t.nodes.iter().find_map(|n| match n {
            Node::Choice(a) if a.len() == 2 && a[0].len() == 2 => Some(a),
            _ => None,
        });
        assert!(nested.is_some(), "{:?}", t.nodes);
        assert!(matches!(t.nodes.last(), Some(Node::Text(s)) if s.ends_with("a | b")));
    }

    #[test]
    fn errors_name_file_line_and_problem() {
        let cases = [
            ("ok\n[[NOMM:pat]]", "unknown label", 2),
            ("[[NOM:pat/long]]", "not allowed", 1),
            ("x\ny [[NOM:pat", "unclosed `[[`", 2),
            ("[[NOM:pat\n]]", "line break", 1),
            ("[[NOM]] {a|b", "unclosed `{`", 1),
            ("[[NOM]] a}", "without an opening", 1),
            ("[[NOM]] a]]", "without an opening", 1),
            ("[[NEG:foo]] [[NOM]]", "NEG", 1),
            ("[[NOM]] {pat?a|b|c}", "exactly 2", 1),
            ("no markup at all", "no annotated entity", 1),
            ("[[NOM:h1]] [[HOPITAL:h1]]", "both", 1),
        ];
        for (src, needle, line) in cases {
            let e = p(src).unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.contains(needle) && msg.contains("test/test_01.txt"),
                "{src:?}: {msg}"
            );
            assert_eq!(e.line, Some(line), "{src:?}: {msg}");
        }
    }

    #[test]
    fn split_assignment_is_per_type_and_covers_all_splits() {
        let mk = |ty: &str, i: usize| {
            p("[[NOM]]").map(|mut t| {
                t.doc_type = ty.into();
                t.name = format!("{ty}_{i:02}");
                t
            })
        };
        let ts: Vec<Template> = (1..=12)
            .map(|i| mk("a", i).unwrap())
            .chain((1..=3).map(|i| mk("b", i).unwrap()))
            .collect();
        let s = assign_splits(&ts);
        for ty in ["a", "b"] {
            for split in [Split::Train, Split::Dev, Split::Test] {
                assert!(
                    ts.iter()
                        .zip(&s)
                        .any(|(t, &x)| t.doc_type == ty && x == split),
                    "{ty} {split:?}"
                );
            }
        }
        let train_a = ts
            .iter()
            .zip(&s)
            .filter(|(t, &x)| t.doc_type == "a" && x == Split::Train)
            .count();
        assert_eq!(train_a, 8);
        assert_eq!(s, assign_splits(&ts));
    }
}
