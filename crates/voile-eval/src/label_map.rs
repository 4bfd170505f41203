//! Mapping a foreign corpus's label set onto voile's 14 labels.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use voile_core::{Error, ErrorKind, Label};

/// Maps foreign labels (`PERSON` → `NOM`, `LOCATION` → `VILLE`, …) or drops them.
///
/// Lookup order for a label string `l`:
/// 1. an explicit entry for `l` (a target label, or `None` = drop the span);
/// 2. `l` itself when it is a contract label (identity);
/// 3. the wildcard entry `*` when present (typically `None`: drop every unlisted label);
/// 4. otherwise `l` is unknown and the record is rejected.
///
/// Explicit entries may also remap contract labels onto each other, e.g.
/// `DATE_NAISSANCE → DATE` for a corpus that does not separate birth dates; the same map
/// is then applied to predictions ([`LabelMap::map_label`]) so both sides speak one scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelMap {
    entries: BTreeMap<String, Option<Label>>,
}

impl LabelMap {
    /// The identity map: contract labels map to themselves, anything else is an error.
    pub fn identity() -> Self {
        LabelMap::default()
    }

    /// Add (or replace) one entry; `None` drops spans with this label.
    pub fn insert(&mut self, from: impl Into<String>, to: Option<Label>) -> &mut Self {
        self.entries.insert(from.into(), to);
        self
    }

    /// Map a label string: `Some(Some(l))` maps, `Some(None)` drops, `None` is unknown.
    /// This is the mapper [`voile_core::corpus::parse_line_with`] expects.
    pub fn lookup(&self, label: &str) -> Option<Option<Label>> {
        if let Some(to) = self.entries.get(label) {
            return Some(*to);
        }
        if let Ok(l) = label.parse::<Label>() {
            return Some(Some(l));
        }
        self.entries.get("*").copied()
    }

    /// Map a contract label (e.g. an engine prediction): explicit entry, else itself.
    pub fn map_label(&self, label: Label) -> Option<Label> {
        match self.entries.get(label.as_str()) {
            Some(to) => *to,
            None => Some(label),
        }
    }

    /// True when no entry changes anything.
    pub fn is_identity(&self) -> bool {
        self.entries.is_empty()
    }

    /// Load from a file: `.json` is an object `{"PERSON": "NOM", "MISC": null}`; any other
    /// extension is TSV, one `FROM<TAB>TO` per line, `TO` empty or `-` to drop; blank lines and
    /// lines starting with `#` are skipped. Either form may use the key `*`.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::new(ErrorKind::Io(format!("{}: {e}", path.display()))))?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let parsed = if is_json {
            Self::from_json(&text)
        } else {
            Self::from_tsv(&text)
        };
        parsed.map_err(|mut e| {
            if let ErrorKind::Config(m) = &e.kind {
                e.kind = ErrorKind::Config(format!("{}: {m}", path.display()));
            }
            e
        })
    }

    /// Parse the JSON form (see [`LabelMap::from_file`]).
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let raw: BTreeMap<String, Option<String>> = serde_json::from_str(text).map_err(|e| {
            Error::new(ErrorKind::Config(format!(
                "label map is not a JSON object of strings or null (line {}, column {})",
                e.line(),
                e.column()
            )))
        })?;
        let mut map = LabelMap::default();
        for (from, to) in raw {
            map.insert(from, parse_target(to.as_deref())?);
        }
        Ok(map)
    }

    /// Parse the TSV form (see [`LabelMap::from_file`]).
    pub fn from_tsv(text: &str) -> Result<Self, Error> {
        let mut map = LabelMap::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (from, to) = line.split_once('\t').unwrap_or((line, ""));
            let to = to.trim();
            let target = if to.is_empty() || to == "-" {
                None
            } else {
                Some(to)
            };
            let target = parse_target(target).map_err(|e| e.at_line(i + 1))?;
            map.insert(from.trim(), target);
        }
        Ok(map)
    }
}

fn parse_target(to: Option<&str>) -> Result<Option<Label>, Error> {
    match to {
        None => Ok(None),
        Some(s) => s.parse::<Label>().map(Some).map_err(|_| {
            Error::new(ErrorKind::Config(format!(
                "label map target {s:?} is not a voile label"
            )))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_accepts_contract_labels_only() {
        let m = LabelMap::identity();
        assert_eq!(m.lookup("NOM"), Some(Some(Label::Nom)));
        assert_eq!(m.lookup("PERSON"), None);
        assert_eq!(
            m.map_label(Label::DateNaissance),
            Some(Label::DateNaissance)
        );
    }

    #[test]
    fn json_maps_drops_and_remaps_contract_labels() {
        let m =
            LabelMap::from_json(r#"{"PERSON":"NOM","MISC":null,"DATE_NAISSANCE":"DATE","*":null}"#)
                .unwrap();
        assert_eq!(m.lookup("PERSON"), Some(Some(Label::Nom)));
        assert_eq!(m.lookup("MISC"), Some(None));
        assert_eq!(m.lookup("DATE_NAISSANCE"), Some(Some(Label::Date)));
        assert_eq!(m.lookup("ANYTHING"), Some(None), "wildcard drops");
        assert_eq!(
            m.lookup("VILLE"),
            Some(Some(Label::Ville)),
            "identity before wildcard"
        );
        assert_eq!(m.map_label(Label::DateNaissance), Some(Label::Date));
    }

    #[test]
    fn tsv_with_comments_and_drop_markers() {
        let m = LabelMap::from_tsv("# comment\nLOCATION\tVILLE\nAGE\t-\nOTHER\n\n").unwrap();
        assert_eq!(m.lookup("LOCATION"), Some(Some(Label::Ville)));
        assert_eq!(m.lookup("AGE"), Some(None));
        assert_eq!(m.lookup("OTHER"), Some(None));
        let e = LabelMap::from_tsv("A\tNOM\nB\tPERSONNE\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
