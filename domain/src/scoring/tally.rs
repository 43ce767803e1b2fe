//! Points pooled over a subtree, per category and per item, so that a region can be
//! shown as a category heat-map row, its most often failed items can be listed, and two
//! rounds can be compared on the items their catalogues share — all from one stored
//! row, without reading any checklist's explanations.
//!
//! Like the indicators, a tally counts submitted checklists only, and pools as sums:
//! a region's category rate is the points its checklists earned over the points they
//! could have earned.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::assignment::AssignmentScore;
use super::indicators::Ratio;

/// Points earned of points possible, in thousandths.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Points {
    #[serde(rename = "p")]
    pub points_milli: u64,
    #[serde(rename = "m")]
    pub max_milli: u64,
}

impl Points {
    fn add(&mut self, o: Points) {
        self.points_milli += o.points_milli;
        self.max_milli += o.max_milli;
    }

    /// Thousandths of a percent; `None` when nothing could be earned.
    pub fn percent_milli(self) -> Option<u32> {
        Ratio {
            num: self.points_milli,
            den: self.max_milli,
        }
        .percent_milli()
    }
}

/// One catalogue item over the checklists of a subtree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemTally {
    #[serde(flatten)]
    pub points: Points,
    /// Checklists where the item applied.
    #[serde(rename = "n")]
    pub checked: u32,
    /// Of those, checklists where it fell short of full points.
    #[serde(rename = "f")]
    pub short: u32,
}

impl ItemTally {
    fn add(&mut self, o: ItemTally) {
        self.points.add(o.points);
        self.checked += o.checked;
        self.short += o.short;
    }
}

/// The key of an item in a tally: its catalogue version and code. Bureaus and
/// institutions answer different catalogues whose codes may coincide.
pub fn item_key(version_id: i64, code: &str) -> String {
    format!("{version_id}:{code}")
}

/// Splits an [`item_key`] into version and code.
pub fn parse_item_key(key: &str) -> Option<(i64, &str)> {
    let (version, code) = key.split_once(':')?;
    Some((version.parse().ok()?, code))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tally {
    /// By category name; categories of different catalogues with the same name pool.
    pub categories: BTreeMap<String, Points>,
    /// By [`item_key`]; only items that applied.
    pub items: BTreeMap<String, ItemTally>,
}

impl Tally {
    /// One checklist's tally.
    pub fn of_assignment(score: &AssignmentScore, version_id: i64) -> Tally {
        let categories = score
            .categories
            .iter()
            .map(|c| {
                let points = Points {
                    points_milli: c.points_milli,
                    max_milli: c.max_milli,
                };
                (c.name.clone(), points)
            })
            .collect();
        let items = score
            .items
            .iter()
            .filter(|i| i.applicable)
            .map(|i| {
                let tally = ItemTally {
                    points: Points {
                        points_milli: i.points_milli as u64,
                        max_milli: i.weight_milli as u64,
                    },
                    checked: 1,
                    short: (i.points_milli < i.weight_milli || i.veto_failed) as u32,
                };
                (item_key(version_id, &i.code), tally)
            })
            .collect();
        Tally { categories, items }
    }

    pub fn add(&mut self, other: &Tally) {
        for (name, p) in &other.categories {
            self.categories.entry(name.clone()).or_default().add(*p);
        }
        for (key, t) in &other.items {
            self.items.entry(key.clone()).or_default().add(*t);
        }
    }

    /// Points over the items whose keys `keep` accepts.
    pub fn points_where(&self, mut keep: impl FnMut(&str) -> bool) -> Points {
        let mut total = Points::default();
        for (key, t) in &self.items {
            if keep(key) {
                total.add(t.points);
            }
        }
        total
    }

    /// Items that fell short most often, most first (then by key); at most `n`.
    pub fn most_failed(&self, n: usize) -> Vec<(&str, ItemTally)> {
        let mut failed: Vec<(&str, ItemTally)> = self
            .items
            .iter()
            .filter(|(_, t)| t.short > 0)
            .map(|(k, t)| (k.as_str(), *t))
            .collect();
        failed.sort_by(|a, b| b.1.short.cmp(&a.1.short).then(a.0.cmp(b.0)));
        failed.truncate(n);
        failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(points: u64, max: u64, short: u32) -> ItemTally {
        ItemTally {
            points: Points {
                points_milli: points,
                max_milli: max,
            },
            checked: 1,
            short,
        }
    }

    #[test]
    fn tallies_pool_as_sums() {
        let mut a = Tally::default();
        a.categories.insert(
            "机构信息".into(),
            Points {
                points_milli: 1000,
                max_milli: 2000,
            },
        );
        a.items.insert(item_key(1, "0101"), item(500, 1000, 1));
        let mut b = a.clone();
        b.items.insert(item_key(2, "0101"), item(1000, 1000, 0));
        a.add(&b);
        assert_eq!(a.categories["机构信息"].percent_milli(), Some(50_000));
        assert_eq!(a.items[&item_key(1, "0101")].short, 2);
        assert_eq!(a.items[&item_key(1, "0101")].checked, 2);
        assert_eq!(a.items[&item_key(2, "0101")].short, 0);
        assert_eq!(a.most_failed(5).len(), 1);
        let shared = a.points_where(|k| k.ends_with(":0101"));
        assert_eq!(shared.percent_milli(), Some(66_667));
    }

    #[test]
    fn item_keys_round_trip() {
        assert_eq!(parse_item_key(&item_key(12, "A:01")), Some((12, "A:01")));
        assert_eq!(parse_item_key("x"), None);
    }

    #[test]
    fn compact_json() {
        let mut t = Tally::default();
        t.items.insert(item_key(3, "0101"), item(500, 1000, 1));
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"categories":{},"items":{"3:0101":{"p":500,"m":1000,"n":1,"f":1}}}"#
        );
    }
}
