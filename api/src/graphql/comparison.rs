//! `comparison` and `compareRounds`: what provincial staff open the platform for.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use touming_domain::catalogue::Item;
use touming_store::entity::round;

use super::context::ContextExt;
use super::scores::{Rollup, percent};
use super::types::{Org, OrgKind};
use crate::comparison::{self, Filter, SortKey};
use crate::error::ApiError;
use crate::figures::figures;
use crate::graphql::scalars::parse_id;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(remote = "crate::comparison::SortKey")]
pub enum ComparisonSort {
    /// Best first (equivalently, by composite).
    #[default]
    Rank,
    /// Best first by the strict composite: unsubmitted checklists counted as 0.
    StrictRank,
    Code,
    Name,
    /// Submitted of expected.
    Coverage,
    /// Change since the previous round.
    Change,
    RectificationRate,
}

#[derive(InputObject, Default)]
pub struct ComparisonFilter {
    /// 优秀, 良好, 合格 or 不合格
    pub grade: Option<String>,
    /// Part of the name or the code.
    pub search: Option<String>,
    pub min_composite: Option<f64>,
    pub max_composite: Option<f64>,
}

fn milli(field: &str, v: Option<f64>) -> Result<Option<u32>, ApiError> {
    match v {
        None => Ok(None),
        Some(v) if (0.0..=100.0).contains(&v) => Ok(Some((v * 1000.0).round() as u32)),
        Some(_) => Err(ApiError::field(field, "须在 0 到 100 之间")),
    }
}

/// A catalogue item, as comparisons name it.
#[derive(SimpleObject)]
pub struct ItemRef {
    pub code: String,
    pub title: String,
    pub category: String,
}

impl From<&Item> for ItemRef {
    fn from(i: &Item) -> Self {
        ItemRef {
            code: i.code.clone(),
            title: i.title.clone(),
            category: i.category.join(" / "),
        }
    }
}

/// An item and how often it fell short below the compared region.
#[derive(SimpleObject)]
pub struct FailedItem {
    pub item: ItemRef,
    pub catalogue_version_id: ID,
    /// Checklists where the item applied.
    pub checked: u32,
    /// Of those, checklists below full points.
    pub failed: u32,
    /// Failed of checked, percent.
    pub failure_rate: f64,
    /// Points earned of points possible on this item, percent.
    pub score_rate: Option<f64>,
}

#[derive(SimpleObject)]
pub struct HeatMapRow {
    pub org: Org,
    /// One per column of `HeatMap.categories`: points earned of possible, percent;
    /// null where the org has nothing in that category.
    pub cells: Vec<Option<f64>>,
}

/// Categories × children, in one answer.
#[derive(SimpleObject)]
pub struct HeatMap {
    pub categories: Vec<String>,
    pub rows: Vec<HeatMapRow>,
}

/// Which items two rounds could be compared on.
#[derive(SimpleObject)]
pub struct SharedItems {
    /// Items in both rounds' catalogues: the ones `sharedChange` compares.
    pub shared: u32,
    /// Of those, items whose wording or rules changed between the versions.
    pub changed: u32,
    /// Not compared: only in the earlier round's catalogue.
    pub only_before: Vec<ItemRef>,
    /// Not compared: new in this round's catalogue.
    pub only_now: Vec<ItemRef>,
}

impl From<&comparison::SharedItems> for SharedItems {
    fn from(s: &comparison::SharedItems) -> Self {
        SharedItems {
            shared: s.now_to_before.len() as u32,
            changed: s.changed as u32,
            only_before: s.only_before.iter().map(ItemRef::from).collect(),
            only_now: s.only_now.iter().map(ItemRef::from).collect(),
        }
    }
}

pub struct Comparison(comparison::Comparison);

#[Object]
impl Comparison {
    async fn round_id(&self) -> ID {
        ID(self.0.round.id.to_string())
    }

    /// The round `change` compares with; null for a province's first round.
    async fn previous_round_id(&self) -> Option<ID> {
        self.0.previous_round.as_ref().map(|r| ID(r.id.to_string()))
    }

    async fn parent(&self) -> Org {
        Org(self.0.parent.org.clone())
    }

    /// The compared region's own figure.
    async fn summary(&self) -> Rollup {
        self.0.parent.clone().into()
    }

    /// One per child (after the filter), in the order asked for.
    async fn rows(&self) -> Vec<Rollup> {
        self.0
            .rows
            .iter()
            .map(|r| {
                let mut out = Rollup::from(r.figure.clone());
                out.rank = r.rank;
                out.strict_rank = r.strict_rank;
                out.previous_composite = r
                    .previous
                    .as_ref()
                    .and_then(|p| p.composite_milli)
                    .map(percent);
                out.change = r.change_milli.map(|c| c as f64 / 1000.0);
                out.shared_change = r.shared_change_milli.map(|c| c as f64 / 1000.0);
                out.rectification = self.0.round.published_at.map(|_| r.rectification.into());
                out
            })
            .collect()
    }

    /// Category × child matrix, rows in the same order as `rows`.
    async fn heat_map(&self) -> HeatMap {
        let categories = self.0.categories.clone();
        let rows = self
            .0
            .rows
            .iter()
            .map(|r| HeatMapRow {
                org: Org(r.figure.org.clone()),
                cells: categories
                    .iter()
                    .map(|c| {
                        r.figure
                            .tally
                            .categories
                            .get(c)
                            .and_then(|p| p.percent_milli())
                            .map(percent)
                    })
                    .collect(),
            })
            .collect();
        HeatMap { categories, rows }
    }

    /// Items most often below full points anywhere under the compared region.
    async fn failed_items(
        &self,
        #[graphql(default = 10, validator(minimum = 1, maximum = 20))] first: usize,
    ) -> Vec<FailedItem> {
        self.0
            .failed_items
            .iter()
            .take(first)
            .map(|f| FailedItem {
                item: ItemRef {
                    code: f.code.clone(),
                    title: f.title.clone(),
                    category: f.category.clone(),
                },
                catalogue_version_id: ID(f.version_id.to_string()),
                checked: f.tally.checked,
                failed: f.tally.short,
                failure_rate: touming_domain::scoring::Ratio {
                    num: u64::from(f.tally.short),
                    den: u64::from(f.tally.checked),
                }
                .percent_milli()
                .map_or(0.0, percent),
                score_rate: f.tally.points.percent_milli().map(percent),
            })
            .collect()
    }

    /// Which items `sharedChange` compared, and which it could not; null without a
    /// previous round.
    async fn shared_items(&self) -> Option<SharedItems> {
        self.0.shared.as_ref().map(SharedItems::from)
    }
}

/// One org in two rounds, like for like.
#[derive(SimpleObject)]
pub struct RoundChange {
    pub from: Rollup,
    pub to: Rollup,
    /// Composite change as published, percentage points.
    pub change: Option<f64>,
    /// Points earned of possible on the shared items only, percent, in each round.
    pub shared_from: Option<f64>,
    pub shared_to: Option<f64>,
    pub shared_change: Option<f64>,
    pub items: SharedItems,
}

#[derive(Default)]
pub struct ComparisonQuery;

#[Object]
impl ComparisonQuery {
    /// One row per child of `parentId` (optionally of one kind), ranked, with the
    /// heat map, the most failed items and the change since the previous round.
    #[allow(clippy::too_many_arguments)]
    async fn comparison(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        parent_id: ID,
        #[graphql(
            desc = "Without it: the parent's direct children. With it: every org of this kind below the parent (a province's counties, say)."
        )]
        child_kind: Option<OrgKind>,
        #[graphql(desc = "RANK when not given")] sort_by: Option<ComparisonSort>,
        descending: Option<bool>,
        filter: Option<ComparisonFilter>,
    ) -> Result<Comparison> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let rounds =
            comparison::round_and_previous(db, &guard, parse_id(&round_id, "考核轮次")?).await?;
        let parent = guard.org(db, parse_id(&parent_id, "机构")?).await?;
        let filter = filter.unwrap_or_default();
        let filter = Filter {
            min_composite_milli: milli("filter.minComposite", filter.min_composite)?,
            max_composite_milli: milli("filter.maxComposite", filter.max_composite)?,
            grade: filter.grade,
            search: filter.search,
        };
        let mut c =
            comparison::load(db, &guard, rounds, parent, child_kind.map(Into::into)).await?;
        c.sort_and_filter(
            SortKey::from(sort_by.unwrap_or_default()),
            descending.unwrap_or(false),
            &filter,
        );
        Ok(Comparison(c))
    }

    /// An org in two rounds: the composites as published, and the rate on only the
    /// items both rounds' catalogues share, with the items that could not be compared.
    async fn compare_rounds(
        &self,
        ctx: &Context<'_>,
        org_id: ID,
        from_round_id: ID,
        to_round_id: ID,
    ) -> Result<RoundChange> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let org = guard.org(db, parse_id(&org_id, "机构")?).await?;
        let from = guard
            .round(db, parse_id(&from_round_id, "考核轮次")?)
            .await?;
        let to = guard.round(db, parse_id(&to_round_id, "考核轮次")?).await?;
        let shared = comparison::shared_between(db, &to, &from).await?;
        let rounds: Vec<round::Model> = vec![from, to];
        let mut all = figures(db, &rounds, vec![org]).await?.into_iter().flatten();
        let (Some(before), Some(now)) = (all.next(), all.next()) else {
            return Err(ApiError::NotFound("机构").into());
        };
        let (p_now, p_before) = shared.points(&now.tally, &before.tally);
        let shared_to = p_now.percent_milli().map(percent);
        let shared_from = p_before.percent_milli().map(percent);
        let change = match (now.composite_milli, before.composite_milli) {
            (Some(n), Some(b)) => Some((i64::from(n) - i64::from(b)) as f64 / 1000.0),
            _ => None,
        };
        Ok(RoundChange {
            change,
            shared_change: shared_to
                .zip(shared_from)
                .map(|(n, b)| ((n - b) * 1000.0).round() / 1000.0),
            shared_from,
            shared_to,
            items: SharedItems::from(&shared),
            from: before.into(),
            to: now.into(),
        })
    }
}
