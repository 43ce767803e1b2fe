//! What changed between two versions of a catalogue: items matched by code, then (for
//! items whose code changed) by category and title.

use std::collections::HashSet;

use super::Item;
use super::item::weight_text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemChange {
    pub before: Item,
    pub after: Item,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionDiff {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub changed: Vec<ItemChange>,
    /// Items present in both with nothing changed.
    pub unchanged: usize,
}

fn join(v: &[String]) -> String {
    v.join(" / ")
}

/// Every field that differs, in a form people can read.
fn field_changes(a: &Item, b: &Item) -> Vec<FieldChange> {
    let fields: [(&'static str, String, String); 15] = [
        ("code", a.code.clone(), b.code.clone()),
        ("category", join(&a.category), join(&b.category)),
        ("title", a.title.clone(), b.title.clone()),
        ("content", a.content.join("\n"), b.content.join("\n")),
        ("basis", a.basis.clone(), b.basis.clone()),
        (
            "timeLimit",
            a.time_limit.to_string(),
            b.time_limit.to_string(),
        ),
        ("body", a.body.clone(), b.body.clone()),
        (
            "audience",
            a.audience.label().into(),
            b.audience.label().into(),
        ),
        ("mode", a.mode.label().into(), b.mode.label().into()),
        ("levels", join(&a.levels), join(&b.levels)),
        (
            "requiredChannels",
            a.channels
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join("、"),
            b.channels
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        (
            "needsInterpretation",
            yes_no(a.needs_interpretation),
            yes_no(b.needs_interpretation),
        ),
        (
            "evidenceRequired",
            yes_no(a.evidence_required),
            yes_no(b.evidence_required),
        ),
        (
            "weight",
            weight_text(a.weight_milli),
            weight_text(b.weight_milli),
        ),
        ("veto", yes_no(a.veto), yes_no(b.veto)),
    ];
    fields
        .into_iter()
        .filter(|(_, before, after)| before != after)
        .map(|(field, before, after)| FieldChange {
            field,
            before,
            after,
        })
        .collect()
}

fn yes_no(b: bool) -> String {
    if b { "是".into() } else { "否".into() }
}

fn same_place(a: &Item, b: &Item) -> bool {
    a.category == b.category && a.title == b.title
}

pub fn diff(from: &[Item], to: &[Item]) -> VersionDiff {
    let mut out = VersionDiff::default();
    let mut matched_from: HashSet<usize> = HashSet::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut unmatched_to = Vec::new();
    for (j, b) in to.iter().enumerate() {
        match from.iter().position(|a| a.code == b.code) {
            Some(i) => {
                matched_from.insert(i);
                pairs.push((i, j));
            }
            None => unmatched_to.push(j),
        }
    }
    for j in unmatched_to {
        let b = &to[j];
        let by_title = from.iter().enumerate().find(|(i, a)| {
            !matched_from.contains(i) && !to.iter().any(|t| t.code == a.code) && same_place(a, b)
        });
        match by_title {
            Some((i, _)) => {
                matched_from.insert(i);
                pairs.push((i, j));
            }
            None => out.added.push(b.clone()),
        }
    }
    pairs.sort_by_key(|&(_, j)| j);
    for (i, j) in pairs {
        let fields = field_changes(&from[i], &to[j]);
        if fields.is_empty() {
            out.unchanged += 1;
        } else {
            out.changed.push(ItemChange {
                before: from[i].clone(),
                after: to[j].clone(),
                fields,
            });
        }
    }
    out.removed = from
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched_from.contains(i))
        .map(|(_, a)| a.clone())
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::super::item::tests::item;
    use super::*;

    #[test]
    fn added_removed_and_changed_field_by_field() {
        let from = vec![
            item("0101", "规范性文件"),
            item("0102", "权责清单"),
            item("0103", "预决算"),
        ];
        let mut to = vec![
            item("0101", "规范性文件"),
            item("0103", "预决算"),
            item("0104", "机构职能"),
        ];
        to[1].weight_milli = 2000;
        to[1].veto = true;
        let d = diff(&from, &to);
        assert_eq!(d.unchanged, 1);
        assert_eq!(
            d.added.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
            ["0104"]
        );
        assert_eq!(
            d.removed
                .iter()
                .map(|i| i.code.as_str())
                .collect::<Vec<_>>(),
            ["0102"]
        );
        assert_eq!(d.changed.len(), 1);
        let fields: Vec<_> = d.changed[0]
            .fields
            .iter()
            .map(|f| (f.field, f.before.as_str(), f.after.as_str()))
            .collect();
        assert_eq!(fields, [("weight", "1", "2"), ("veto", "否", "是")]);
    }

    #[test]
    fn a_renumbered_item_is_matched_by_its_title() {
        let from = vec![item("0101", "规范性文件"), item("0102", "权责清单")];
        let to = vec![item("0101", "规范性文件"), item("0105", "权责清单")];
        let d = diff(&from, &to);
        assert!(d.added.is_empty() && d.removed.is_empty(), "{d:?}");
        assert_eq!(d.changed[0].fields[0].field, "code");
        assert_eq!(
            (
                d.changed[0].fields[0].before.as_str(),
                d.changed[0].fields[0].after.as_str()
            ),
            ("0102", "0105")
        );
    }
}
