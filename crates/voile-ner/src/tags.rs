//! The BIO tag set over the 14 contract labels (29 tags) and its `labels.json` form.
//!
//! Tag ids: `0 = O`, `1 + 2i = B-<label i>`, `2 + 2i = I-<label i>` in [`Label::ALL`] order.
//! The inference side reads the tag names from `labels.json`, so a model trained with
//! another ordering still decodes correctly.

use serde::{Deserialize, Serialize};
use std::path::Path;
use voile_core::{Error, ErrorKind, Label};

/// Number of BIO tags for the 14 labels.
pub const NUM_TAGS: usize = 1 + 2 * Label::ALL.len();

/// A decoded tag: outside, or the beginning/inside of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Outside,
    Begin(Label),
    Inside(Label),
}

impl Tag {
    pub fn label(self) -> Option<Label> {
        match self {
            Tag::Outside => None,
            Tag::Begin(l) | Tag::Inside(l) => Some(l),
        }
    }

    pub fn name(self) -> String {
        match self {
            Tag::Outside => "O".to_string(),
            Tag::Begin(l) => format!("B-{l}"),
            Tag::Inside(l) => format!("I-{l}"),
        }
    }

    pub fn parse(name: &str) -> Option<Tag> {
        if name == "O" {
            return Some(Tag::Outside);
        }
        let (prefix, label) = name.split_once('-')?;
        let label = label.parse::<Label>().ok()?;
        match prefix {
            "B" => Some(Tag::Begin(label)),
            "I" => Some(Tag::Inside(label)),
            _ => None,
        }
    }
}

/// Training-side tag id of the first token of a `label` span.
pub fn begin_id(label: Label) -> u32 {
    1 + 2 * label_index(label) as u32
}

/// Training-side tag id of a following token of a `label` span.
pub fn inside_id(label: Label) -> u32 {
    2 + 2 * label_index(label) as u32
}

fn label_index(label: Label) -> usize {
    Label::ALL
        .iter()
        .position(|l| *l == label)
        .expect("label in ALL")
}

/// The ordered tag table of a model (index = output unit).
#[derive(Debug, Clone, PartialEq)]
pub struct TagSet {
    tags: Vec<Tag>,
}

#[derive(Serialize, Deserialize)]
struct TagFile {
    tags: Vec<String>,
}

impl TagSet {
    /// The training order documented at the top of this module.
    pub fn standard() -> Self {
        let mut tags = vec![Tag::Outside];
        for l in Label::ALL {
            tags.push(Tag::Begin(l));
            tags.push(Tag::Inside(l));
        }
        TagSet { tags }
    }

    pub fn len(&self) -> usize {
        self.tags.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    pub fn get(&self, id: usize) -> Tag {
        self.tags[id]
    }

    pub fn names(&self) -> Vec<String> {
        self.tags.iter().map(|t| t.name()).collect()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&TagFile { tags: self.names() }).expect("tag names serialise")
    }

    pub fn from_json(json: &str, file: &Path) -> Result<Self, Error> {
        let bad = |m: String| Error::new(ErrorKind::Resource(format!("{}: {m}", file.display())));
        let parsed: TagFile =
            serde_json::from_str(json).map_err(|e| bad(format!("not a tag list ({e})")))?;
        let tags = parsed
            .tags
            .iter()
            .enumerate()
            .map(|(i, n)| {
                Tag::parse(n).ok_or_else(|| bad(format!("tag {i} is not O, B-LABEL or I-LABEL")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if tags.is_empty() {
            return Err(bad("empty tag list".into()));
        }
        Ok(TagSet { tags })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_set_has_29_tags_matching_ids_and_round_trips() {
        let set = TagSet::standard();
        assert_eq!(set.len(), NUM_TAGS);
        assert_eq!(NUM_TAGS, 29);
        for l in Label::ALL {
            assert_eq!(set.get(begin_id(l) as usize), Tag::Begin(l));
            assert_eq!(set.get(inside_id(l) as usize), Tag::Inside(l));
        }
        let back = TagSet::from_json(&set.to_json(), Path::new("labels.json")).unwrap();
        assert_eq!(back, set);
        assert!(TagSet::from_json(r#"{"tags":["O","B-PERSON"]}"#, Path::new("x")).is_err());
    }
}
