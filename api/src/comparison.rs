//! A region's children side by side in a round: figures, ranks, the change since the
//! previous round (as published, and on the items both rounds' catalogues share), the
//! category heat map, the items most often failed below it, and how far rectification
//! has got. The GraphQL `comparison` and the spreadsheet export both read this.

use std::collections::{BTreeSet, HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use touming_domain::OrgKind;
use touming_domain::assessment::RoundStatus;
use touming_domain::catalogue::{Item, diff};
use touming_domain::scoring::{ItemTally, Points, Tally, competition_ranks, item_key};
use touming_store::entity::{catalogue_item, org, round, round_catalogue};
use touming_store::{Stored, stored};

use crate::error::{ApiError, ApiResult};
use crate::figures::{Figure, figures};
use crate::rectification;
use crate::tenancy::Guard;

pub struct Row {
    pub figure: Figure,
    /// Among all the parent's children (before any filter); ties share a rank.
    pub rank: Option<u32>,
    /// The same by the strict composite (unsubmitted counted as 0).
    pub strict_rank: Option<u32>,
    /// The same org in the previous round.
    pub previous: Option<Figure>,
    /// Composite now minus composite then, in thousandths of a percentage point.
    pub change_milli: Option<i64>,
    /// The same over the items both rounds' catalogues share: points earned of points
    /// possible on those items only.
    pub shared_change_milli: Option<i64>,
    pub rectification: rectification::Counts,
}

/// The items two rounds' catalogues have in common, matched by the catalogue diff.
#[derive(Default)]
pub struct SharedItems {
    /// Item keys of the current round that also exist in the previous one, with the
    /// key they had there.
    pub now_to_before: HashMap<String, String>,
    /// Items present in both whose wording or rules changed (still compared).
    pub changed: usize,
    /// Could not be compared: only in the previous round's catalogue.
    pub only_before: Vec<Item>,
    /// Could not be compared: new in this round's catalogue.
    pub only_now: Vec<Item>,
}

impl SharedItems {
    /// Points on the shared items only: (now, before).
    pub fn points(&self, now: &Tally, before: &Tally) -> (Points, Points) {
        let before_keys: HashSet<&str> = self.now_to_before.values().map(String::as_str).collect();
        (
            now.points_where(|k| self.now_to_before.contains_key(k)),
            before.points_where(|k| before_keys.contains(k)),
        )
    }
}

pub struct FailedItem {
    pub version_id: i64,
    pub code: String,
    pub title: String,
    pub category: String,
    pub tally: ItemTally,
}

pub struct Comparison {
    pub round: round::Model,
    pub previous_round: Option<round::Model>,
    pub parent: Figure,
    pub rows: Vec<Row>,
    /// Columns of the heat map: every category some row has points in.
    pub categories: Vec<String>,
    pub shared: Option<SharedItems>,
    /// Below the parent, most often short of full points first.
    pub failed_items: Vec<FailedItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Rank,
    StrictRank,
    Code,
    Name,
    Coverage,
    Change,
    RectificationRate,
}

impl std::str::FromStr for SortKey {
    type Err = ();
    /// The GraphQL names (`RANK`, `STRICT_RANK`, …), so a download can follow the page.
    fn from_str(s: &str) -> Result<Self, ()> {
        Ok(match s {
            "RANK" => SortKey::Rank,
            "STRICT_RANK" => SortKey::StrictRank,
            "CODE" => SortKey::Code,
            "NAME" => SortKey::Name,
            "COVERAGE" => SortKey::Coverage,
            "CHANGE" => SortKey::Change,
            "RECTIFICATION_RATE" => SortKey::RectificationRate,
            _ => return Err(()),
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// 优秀, 良好, 合格, 不合格
    pub grade: Option<String>,
    /// In the name or the code.
    pub search: Option<String>,
    pub min_composite_milli: Option<u32>,
    pub max_composite_milli: Option<u32>,
}

/// A round and the one before it, in one statement: a province has a handful of
/// rounds, so all those up to `id` are read and the two picked out.
pub async fn round_and_previous(
    db: &impl ConnectionTrait,
    guard: &Guard<'_>,
    id: i64,
) -> ApiResult<(round::Model, Option<round::Model>)> {
    let rounds = guard
        .rounds()
        .filter(round::Column::Id.lte(id))
        .order_by_desc(round::Column::Id)
        .all(db)
        .await?;
    let round = rounds
        .iter()
        .find(|r| r.id == id)
        .cloned()
        .ok_or(ApiError::NotFound("考核轮次"))?;
    let previous = match round.prefill_from_round_id {
        Some(p) => rounds.iter().find(|r| r.id == p).cloned(),
        None => rounds
            .iter()
            .find(|r| r.id < id && r.status != RoundStatus::Draft)
            .cloned(),
    };
    Ok((round, previous))
}

/// The catalogue versions a round uses, by org kind.
async fn versions(
    db: &impl ConnectionTrait,
    round_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<(Stored<OrgKind>, i64)>>> {
    let mut out: HashMap<i64, Vec<(Stored<OrgKind>, i64)>> = HashMap::new();
    for rc in round_catalogue::Entity::find()
        .filter(round_catalogue::Column::RoundId.is_in(round_ids.to_vec()))
        .all(db)
        .await?
    {
        out.entry(rc.round_id)
            .or_default()
            .push((rc.org_kind, rc.version_id));
    }
    Ok(out)
}

/// Items of these versions, in catalogue order, in one statement.
async fn items_of(
    db: &impl ConnectionTrait,
    version_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<Item>>> {
    let mut out: HashMap<i64, Vec<Item>> = HashMap::new();
    if version_ids.is_empty() {
        return Ok(out);
    }
    for row in catalogue_item::Entity::find()
        .filter(catalogue_item::Column::VersionId.is_in(version_ids.to_vec()))
        .order_by_asc(catalogue_item::Column::VersionId)
        .order_by_asc(catalogue_item::Column::Position)
        .all(db)
        .await?
    {
        let version = row.version_id;
        let item = touming_store::catalogue::item_from_row(&row)?;
        out.entry(version).or_default().push(item);
    }
    Ok(out)
}

fn shared_items(
    now: &[(Stored<OrgKind>, i64)],
    before: &[(Stored<OrgKind>, i64)],
    items: &HashMap<i64, Vec<Item>>,
) -> SharedItems {
    let mut shared = SharedItems::default();
    let none = Vec::new();
    let mut seen: HashSet<(i64, i64)> = HashSet::new();
    for (kind, v_now) in now {
        let Some((_, v_before)) = before.iter().find(|(k, _)| k == kind) else {
            shared
                .only_now
                .extend(items.get(v_now).unwrap_or(&none).iter().cloned());
            continue;
        };
        if !seen.insert((*v_before, *v_now)) {
            continue;
        }
        let d = diff(
            items.get(v_before).unwrap_or(&none),
            items.get(v_now).unwrap_or(&none),
        );
        let removed: HashSet<&str> = d.removed.iter().map(|i| i.code.as_str()).collect();
        for item in items.get(v_before).unwrap_or(&none) {
            if !removed.contains(item.code.as_str()) {
                shared.now_to_before.insert(
                    item_key(*v_now, &item.code),
                    item_key(*v_before, &item.code),
                );
            }
        }
        shared.changed += d.changed.len();
        shared.only_before.extend(d.removed);
        shared.only_now.extend(d.added);
    }
    shared
}

/// The items `now` and `before` share, for comparing one org across the two.
pub async fn shared_between(
    db: &impl ConnectionTrait,
    now: &round::Model,
    before: &round::Model,
) -> ApiResult<SharedItems> {
    let versions = versions(db, &[now.id, before.id]).await?;
    let ids: BTreeSet<i64> = versions.values().flatten().map(|v| v.1).collect();
    let items = items_of(db, &ids.into_iter().collect::<Vec<_>>()).await?;
    let none = Vec::new();
    Ok(shared_items(
        versions.get(&now.id).unwrap_or(&none),
        versions.get(&before.id).unwrap_or(&none),
        &items,
    ))
}

fn rate(p: Points) -> Option<i64> {
    p.percent_milli().map(i64::from)
}

/// Everything the comparison page shows for `parent`'s children in `round`.
/// `round` and the one before it come from [`round_and_previous`].
pub async fn load(
    db: &impl ConnectionTrait,
    guard: &Guard<'_>,
    (round, previous): (round::Model, Option<round::Model>),
    parent: org::Model,
    child_kind: Option<OrgKind>,
) -> ApiResult<Comparison> {
    let children = guard.orgs().order_by_asc(org::Column::Code);
    // Without a kind: the direct children. With one: every org of that kind below the
    // parent, so a province can rank all its counties at once.
    let children = match child_kind {
        None => children.filter(org::Column::ParentId.eq(parent.id)),
        Some(kind) => {
            let (lo, hi) = parent.org_path().subtree_range();
            children
                .filter(org::Column::Kind.eq(stored(kind)))
                .filter(org::Column::Path.gte(lo))
                .filter(org::Column::Path.lt(hi))
                .filter(org::Column::Id.ne(parent.id))
        }
    };
    let children = children.all(db).await?;
    let previous_round = previous;
    let mut rounds = vec![round.clone()];
    rounds.extend(previous_round.clone());
    let mut orgs = vec![parent.clone()];
    orgs.extend(children);
    let mut all = figures(db, &rounds, orgs).await?.into_iter();
    let mut now = all.next().unwrap_or_default();
    let mut before = all.next().unwrap_or_default();
    let parent_figure = now.remove(0);
    if !before.is_empty() {
        before.remove(0);
    }

    let round_ids: Vec<i64> = rounds.iter().map(|r| r.id).collect();
    let versions = versions(db, &round_ids).await?;
    let mut version_ids: BTreeSet<i64> = BTreeSet::new();
    for v in versions.values().flatten() {
        version_ids.insert(v.1);
    }
    let items = items_of(db, &version_ids.into_iter().collect::<Vec<_>>()).await?;
    let shared = previous_round.as_ref().map(|p| {
        let none = Vec::new();
        shared_items(
            versions.get(&round.id).unwrap_or(&none),
            versions.get(&p.id).unwrap_or(&none),
            &items,
        )
    });

    let counts = rectification::counts_by_child(db, &round, &parent_figure.org, &now).await?;
    let ranks = competition_ranks(&now.iter().map(|f| f.composite_milli).collect::<Vec<_>>());
    let strict_ranks = competition_ranks(
        &now.iter()
            .map(|f| f.strict_composite_milli)
            .collect::<Vec<_>>(),
    );
    let mut before = before.into_iter();
    let mut rows = Vec::with_capacity(now.len());
    let mut categories: BTreeSet<String> = BTreeSet::new();
    for ((figure, rank), strict_rank) in now.into_iter().zip(ranks).zip(strict_ranks) {
        let previous = before.next();
        let change_milli = match (&previous, figure.composite_milli) {
            (Some(p), Some(c)) => p.composite_milli.map(|p| i64::from(c) - i64::from(p)),
            _ => None,
        };
        let shared_change_milli = match (&previous, &shared) {
            (Some(p), Some(s)) if figure.composite_milli.is_some() => {
                let (n, b) = s.points(&figure.tally, &p.tally);
                rate(n).zip(rate(b)).map(|(n, b)| n - b)
            }
            _ => None,
        };
        categories.extend(figure.tally.categories.keys().cloned());
        rows.push(Row {
            rectification: counts.get(&figure.org.id).copied().unwrap_or_default(),
            figure,
            rank,
            strict_rank,
            previous,
            change_milli,
            shared_change_milli,
        });
    }

    let failed_items = parent_figure
        .tally
        .most_failed(20)
        .into_iter()
        .filter_map(|(key, tally)| {
            let (version_id, code) = touming_domain::scoring::parse_item_key(key)?;
            let item = items.get(&version_id)?.iter().find(|i| i.code == code)?;
            Some(FailedItem {
                version_id,
                code: code.to_owned(),
                title: item.title.clone(),
                category: item.category.join(" / "),
                tally,
            })
        })
        .collect();

    Ok(Comparison {
        round,
        previous_round,
        parent: parent_figure,
        rows,
        categories: categories.into_iter().collect(),
        shared,
        failed_items,
    })
}

impl Comparison {
    /// Keeps the rows the filter accepts, in the order asked for (ties by code).
    pub fn sort_and_filter(&mut self, key: SortKey, descending: bool, filter: &Filter) {
        let search = filter.search.as_deref().map(str::trim).unwrap_or("");
        self.rows.retain(|r| {
            let f = &r.figure;
            let grade_ok = filter
                .grade
                .as_deref()
                .is_none_or(|g| f.grade.is_some_and(|x| x.label() == g));
            let search_ok =
                search.is_empty() || f.org.name.contains(search) || f.org.code.contains(search);
            let min_ok = filter
                .min_composite_milli
                .is_none_or(|m| f.composite_milli.is_some_and(|c| c >= m));
            let max_ok = filter
                .max_composite_milli
                .is_none_or(|m| f.composite_milli.is_some_and(|c| c <= m));
            grade_ok && search_ok && min_ok && max_ok
        });
        // Missing values sort last whichever the direction.
        fn opt<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> std::cmp::Ordering {
            match (a, b) {
                (Some(a), Some(b)) if descending => b.cmp(&a),
                (Some(a), Some(b)) => a.cmp(&b),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        }
        self.rows.sort_by(|a, b| {
            let (fa, fb) = (&a.figure, &b.figure);
            let primary = match key {
                // Rank 1 first unless asked otherwise.
                SortKey::Rank => opt(a.rank, b.rank, descending),
                SortKey::StrictRank => opt(a.strict_rank, b.strict_rank, descending),
                SortKey::Code => opt(Some(&fa.org.code), Some(&fb.org.code), descending),
                SortKey::Name => opt(Some(&fa.org.name), Some(&fb.org.name), descending),
                SortKey::Coverage => opt(fa.coverage_milli(), fb.coverage_milli(), descending),
                SortKey::Change => opt(a.change_milli, b.change_milli, descending),
                SortKey::RectificationRate => opt(
                    a.rectification.rate_milli(),
                    b.rectification.rate_milli(),
                    descending,
                ),
            };
            primary.then_with(|| fa.org.code.cmp(&fb.org.code))
        });
    }
}
