//! Scores and roll-ups as the worker stored them.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use touming_domain::assessment::RoundStatus;
use touming_domain::scoring::{self, AssignmentScore};
use touming_store::entity::{org, round, score};
use touming_store::stored;

use super::context::ContextExt;
use super::types::Org;
use crate::error::ApiError;
use crate::figures::Figure;
use crate::graphql::scalars::parse_id;

pub(super) fn percent(milli: impl Into<u64>) -> f64 {
    milli.into() as f64 / 1000.0
}

/// Rates in percent; null where nothing could be counted.
#[derive(SimpleObject, Default)]
pub struct Indicators {
    pub disclosure_rate: Option<f64>,
    pub on_time_rate: Option<f64>,
    pub interpretation_rate: Option<f64>,
    pub non_text_interpretation_rate: Option<f64>,
    pub multi_channel_rate: Option<f64>,
}

impl From<scoring::Indicators> for Indicators {
    fn from(i: scoring::Indicators) -> Self {
        let rate = |r: scoring::Ratio| r.percent_milli().map(percent);
        Self {
            disclosure_rate: rate(i.disclosure),
            on_time_rate: rate(i.on_time),
            interpretation_rate: rate(i.interpretation),
            non_text_interpretation_rate: rate(i.non_text_interpretation),
            multi_channel_rate: rate(i.multi_channel),
        }
    }
}

#[derive(SimpleObject)]
pub struct CategoryScore {
    pub name: String,
    pub points: f64,
    pub max: f64,
}

#[derive(SimpleObject)]
pub struct ItemScore {
    pub code: String,
    pub title: String,
    pub category: String,
    pub applicable: bool,
    pub points: f64,
    pub max: f64,
    pub veto_failed: bool,
    /// Why these points, in Chinese.
    pub explanation: String,
}

/// A checklist's score.
#[derive(SimpleObject)]
pub struct Score {
    pub assignment_id: ID,
    pub total: f64,
    pub max: f64,
    pub percent: f64,
    /// 优秀, 良好, 合格 or 不合格
    pub grade: String,
    pub veto_failed: bool,
    /// The checklist changed after this score; a newer one is on its way.
    pub stale: bool,
    pub computed_at: DateTime<Utc>,
    pub categories: Vec<CategoryScore>,
    pub items: Vec<ItemScore>,
    pub indicators: Indicators,
}

#[derive(SimpleObject, Default, Clone, Copy)]
pub struct Coverage {
    pub expected: u32,
    pub submitted: u32,
    pub approved: u32,
}

#[derive(SimpleObject, Clone, Copy)]
pub struct Spread {
    pub min: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub max: f64,
}

/// An org's figure in a round: a region's roll-up, or an institution's checklist.
#[derive(SimpleObject)]
pub struct Rollup {
    pub org: Org,
    pub round_id: ID,
    /// Percent; null while nothing counts yet.
    pub composite: Option<f64>,
    /// Percent, with every unsubmitted checklist counted as 0 even while the round is
    /// open (what closing it now would give); null only when nothing is expected.
    pub strict_composite: Option<f64>,
    pub grade: Option<String>,
    pub coverage: Coverage,
    /// Over the children being compared.
    pub spread: Option<Spread>,
    /// Among the rows it is compared with (ties share a rank: 1, 2, 2, 4).
    pub rank: Option<u32>,
    /// In a comparison: the rank by `strictComposite`.
    pub strict_rank: Option<u32>,
    pub indicators: Indicators,
    /// Per category, over the submitted checklists counted: the heat map's cells.
    pub categories: Vec<CategoryRate>,
    /// The org's own checklist in the round (drill down to its score), if it has one.
    pub assignment_id: Option<ID>,
    /// In a comparison: the composite in the previous round.
    pub previous_composite: Option<f64>,
    /// In a comparison: composite now minus composite then, in percentage points.
    pub change: Option<f64>,
    /// In a comparison: the change over only the items both rounds' catalogues share
    /// (points earned of points possible on those items), in percentage points.
    pub shared_change: Option<f64>,
    /// In a comparison of a published round: how far rectification has got.
    pub rectification: Option<RectificationProgress>,
    /// When the worker last computed this figure; null before it first has.
    pub computed_at: Option<DateTime<Utc>>,
    /// Some checklist it counts changed after it was computed, or it has not been
    /// computed yet although checklists exist: the figure is about to move.
    pub stale: bool,
}

/// Points earned of points possible in a category.
#[derive(SimpleObject)]
pub struct CategoryRate {
    pub name: String,
    pub points: f64,
    pub max: f64,
    pub percent: Option<f64>,
}

/// Rectification entries owned in a region's subtree.
#[derive(SimpleObject, Clone, Copy)]
pub struct RectificationProgress {
    pub total: u32,
    pub verified: u32,
    pub overdue: u32,
    /// Verified of all, percent; null with nothing to rectify.
    pub rate: Option<f64>,
}

impl From<crate::rectification::Counts> for RectificationProgress {
    fn from(c: crate::rectification::Counts) -> Self {
        Self {
            total: c.total,
            verified: c.verified,
            overdue: c.overdue,
            rate: c.rate_milli().map(percent),
        }
    }
}

fn to_score(row: score::Model, stale: bool) -> Result<Score, ApiError> {
    let detail: AssignmentScore = serde_json::from_str(&row.detail).map_err(ApiError::internal)?;
    let pts = |m: u64| m as f64 / 1000.0;
    Ok(Score {
        assignment_id: ID(row.assignment_id.to_string()),
        total: pts(detail.total_milli),
        max: pts(detail.max_milli),
        percent: percent(detail.percent_milli),
        grade: detail.grade.label().to_owned(),
        veto_failed: detail.veto_failed,
        stale,
        computed_at: row.computed_at,
        categories: detail
            .categories
            .iter()
            .map(|c| CategoryScore {
                name: c.name.clone(),
                points: pts(c.points_milli),
                max: pts(c.max_milli),
            })
            .collect(),
        items: detail
            .items
            .iter()
            .map(|i| ItemScore {
                code: i.code.clone(),
                title: i.title.clone(),
                category: i.category.clone(),
                applicable: i.applicable,
                points: pts(i.points_milli as u64),
                max: pts(i.weight_milli as u64),
                veto_failed: i.veto_failed,
                explanation: i.explanation.clone(),
            })
            .collect(),
        indicators: detail.indicators.into(),
    })
}

/// An org's figure: stored roll-up for regions, checklist score for institutions.
pub async fn figure(
    db: &sea_orm::DatabaseConnection,
    round: &round::Model,
    org: org::Model,
) -> Result<Rollup, ApiError> {
    Ok(crate::figures::figure(db, round, org).await?.into())
}

impl From<Figure> for Rollup {
    fn from(f: Figure) -> Self {
        let categories = f
            .tally
            .categories
            .iter()
            .map(|(name, p)| CategoryRate {
                name: name.clone(),
                points: p.points_milli as f64 / 1000.0,
                max: p.max_milli as f64 / 1000.0,
                percent: p.percent_milli().map(percent),
            })
            .collect();
        Rollup {
            round_id: ID(f.round_id.to_string()),
            composite: f.composite_milli.map(percent),
            strict_composite: f.strict_composite_milli.map(percent),
            grade: f.grade.map(|g| g.label().to_owned()),
            coverage: Coverage {
                expected: f.coverage.expected,
                submitted: f.coverage.submitted,
                approved: f.coverage.approved,
            },
            spread: f.spread.map(|s| Spread {
                min: percent(s.min),
                p25: percent(s.p25),
                median: percent(s.median),
                p75: percent(s.p75),
                max: percent(s.max),
            }),
            rank: None,
            strict_rank: None,
            indicators: f.indicators.into(),
            categories,
            assignment_id: f.assignment.as_ref().map(|a| ID(a.id.to_string())),
            previous_composite: None,
            change: None,
            shared_change: None,
            rectification: None,
            computed_at: f.computed_at,
            stale: f.stale,
            org: Org(f.org),
        }
    }
}

#[derive(Default)]
pub struct ScoreQuery;

#[Object]
impl ScoreQuery {
    /// A checklist's latest score, with an explanation for every item; null before the
    /// first scoring.
    async fn score(&self, ctx: &Context<'_>, assignment_id: ID) -> Result<Option<Score>> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let (a, _) = guard
            .assignment(db, parse_id(&assignment_id, "填报表")?)
            .await?;
        let row = score::Entity::find_by_id(a.id).one(db).await?;
        Ok(row.map(|r| to_score(r, a.score_stale)).transpose()?)
    }

    /// An org's figure in a round.
    async fn rollup(&self, ctx: &Context<'_>, round_id: ID, org_id: ID) -> Result<Option<Rollup>> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let round = guard.round(db, parse_id(&round_id, "考核轮次")?).await?;
        let org = guard.org(db, parse_id(&org_id, "机构")?).await?;
        Ok(Some(figure(db, &round, org).await?))
    }

    /// An org's figure across rounds, oldest first (the caller's province's rounds, or
    /// those named).
    async fn trend(
        &self,
        ctx: &Context<'_>,
        org_id: ID,
        round_ids: Option<Vec<ID>>,
    ) -> Result<Vec<Rollup>> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let org = guard.org(db, parse_id(&org_id, "机构")?).await?;
        let mut rounds = guard
            .rounds()
            .filter(round::Column::Status.ne(stored(RoundStatus::Draft)));
        if let Some(ids) = round_ids {
            let ids = ids
                .iter()
                .map(|id| parse_id(id, "考核轮次"))
                .collect::<Result<Vec<_>, _>>()?;
            rounds = rounds.filter(round::Column::Id.is_in(ids));
        }
        let rounds = rounds.order_by_asc(round::Column::Id).all(db).await?;
        let figures = crate::figures::figures(db, &rounds, vec![org]).await?;
        let out = figures.into_iter().flatten().map(Rollup::from).collect();
        Ok(out)
    }
}
