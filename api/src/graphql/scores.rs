//! Scores and roll-ups as the worker stored them.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use touming_domain::OrgKind as DomainKind;
use touming_domain::assessment::AssignmentStatus;
use touming_domain::scoring::{self, ChecklistScore, Grade};
use touming_worker::entity::{assignment, org, rollup, round, score};

use super::context::ContextExt;
use super::types::{Org, OrgKind};
use crate::error::ApiError;
use crate::tenancy::parse_id;

fn percent(milli: impl Into<u64>) -> f64 {
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
    pub grade: Option<String>,
    pub coverage: Coverage,
    /// Over the children being compared.
    pub spread: Option<Spread>,
    /// Among the rows it is compared with (ties share a rank: 1, 2, 2, 4).
    pub rank: Option<u32>,
    pub indicators: Indicators,
}

#[derive(SimpleObject)]
pub struct Comparison {
    pub round_id: ID,
    pub parent: Org,
    pub rows: Vec<Rollup>,
}

fn to_score(row: score::Model, stale: bool) -> Result<Score, ApiError> {
    let detail: ChecklistScore = serde_json::from_str(&row.detail).map_err(ApiError::internal)?;
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
    let mut all = figures(db, round, vec![org]).await?;
    Ok(all.remove(0))
}

/// Figures of many orgs in a fixed number of queries (one each for roll-ups,
/// checklists and scores), whatever their number.
pub async fn figures(
    db: &sea_orm::DatabaseConnection,
    round: &round::Model,
    orgs: Vec<org::Model>,
) -> Result<Vec<Rollup>, ApiError> {
    use std::collections::HashMap;
    let policy = touming_worker::scoring::policy(round).map_err(ApiError::internal)?;
    let grade = |c: Option<u32>| c.map(|c| Grade::of(c, &policy).label().to_owned());
    let closed = touming_worker::scoring::is_closed(round);
    let (institutions, regions): (Vec<i64>, Vec<i64>) = {
        let (i, r): (Vec<&org::Model>, Vec<&org::Model>) = orgs
            .iter()
            .partition(|o| o.kind() == DomainKind::Institution);
        (
            i.iter().map(|o| o.id).collect(),
            r.iter().map(|o| o.id).collect(),
        )
    };
    let rollups: HashMap<i64, rollup::Model> = if regions.is_empty() {
        HashMap::new()
    } else {
        rollup::Entity::find()
            .filter(rollup::Column::RoundId.eq(round.id))
            .filter(rollup::Column::OrgId.is_in(regions))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.org_id, r))
            .collect()
    };
    let assignments: HashMap<i64, assignment::Model> = if institutions.is_empty() {
        HashMap::new()
    } else {
        assignment::Entity::find()
            .filter(assignment::Column::RoundId.eq(round.id))
            .filter(assignment::Column::OrgId.is_in(institutions))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.org_id, a))
            .collect()
    };
    // (assignment, percent, veto, indicators): the item explanations stay unread.
    type Summary = (i64, i32, bool, String);
    let scores: HashMap<i64, Summary> = if assignments.is_empty() {
        HashMap::new()
    } else {
        score::Entity::find()
            .select_only()
            .columns([
                score::Column::AssignmentId,
                score::Column::PercentMilli,
                score::Column::VetoFailed,
                score::Column::Indicators,
            ])
            .filter(
                score::Column::AssignmentId
                    .is_in(assignments.values().map(|a| a.id).collect::<Vec<_>>()),
            )
            .into_tuple::<Summary>()
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.0, s))
            .collect()
    };
    let mut out = Vec::with_capacity(orgs.len());
    for org in orgs {
        let round_id = ID(round.id.to_string());
        let empty = |org| Rollup {
            org: Org(org),
            round_id: ID(round.id.to_string()),
            composite: None,
            grade: None,
            coverage: Coverage::default(),
            spread: None,
            rank: None,
            indicators: Indicators::default(),
        };
        if org.kind() == DomainKind::Institution {
            let Some(a) = assignments.get(&org.id) else {
                out.push(empty(org));
                continue;
            };
            let status = AssignmentStatus::parse(&a.status).unwrap_or(AssignmentStatus::NotStarted);
            let stored = scores.get(&a.id);
            let composite = match (status.is_submitted(), closed) {
                (true, _) => Some(stored.map_or(0, |s| s.1.max(0) as u32)),
                (false, true) => Some(0),
                (false, false) => None,
            };
            let veto = stored.is_some_and(|s| s.2) && composite.is_some();
            out.push(Rollup {
                org: Org(org),
                round_id,
                composite: composite.map(percent),
                grade: if veto {
                    Some(Grade::Fail.label().to_owned())
                } else {
                    grade(composite)
                },
                coverage: Coverage {
                    expected: 1,
                    submitted: status.is_submitted() as u32,
                    approved: (status == AssignmentStatus::Approved) as u32,
                },
                spread: None,
                rank: None,
                // Like the roll-up, only a submitted checklist's indicators count.
                indicators: match stored.filter(|_| status.is_submitted()) {
                    Some(s) => serde_json::from_str::<scoring::Indicators>(&s.3)
                        .map_err(ApiError::internal)?,
                    None => scoring::Indicators::default(),
                }
                .into(),
            });
            continue;
        }
        let Some(row) = rollups.get(&org.id) else {
            out.push(empty(org));
            continue;
        };
        let indicators: scoring::Indicators =
            serde_json::from_str(&row.indicators).map_err(ApiError::internal)?;
        let spread: Option<scoring::Spread> = row
            .spread
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(ApiError::internal)?;
        let composite = row.composite_milli.and_then(|c| u32::try_from(c).ok());
        out.push(Rollup {
            org: Org(org),
            round_id,
            composite: composite.map(percent),
            grade: grade(composite),
            coverage: Coverage {
                expected: u32::try_from(row.expected).unwrap_or(0),
                submitted: u32::try_from(row.submitted).unwrap_or(0),
                approved: u32::try_from(row.approved).unwrap_or(0),
            },
            spread: spread.map(|s| Spread {
                min: percent(s.min),
                p25: percent(s.p25),
                median: percent(s.median),
                p75: percent(s.p75),
                max: percent(s.max),
            }),
            rank: None,
            indicators: indicators.into(),
        });
    }
    Ok(out)
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
        let rounds = match round_ids {
            Some(ids) => {
                let mut out = Vec::new();
                for id in ids {
                    out.push(guard.round(db, parse_id(&id, "考核轮次")?).await?);
                }
                out
            }
            None => {
                guard
                    .rounds()
                    .order_by_asc(round::Column::Id)
                    .all(db)
                    .await?
            }
        };
        let mut out = Vec::new();
        for round in rounds.iter().filter(|r| r.status != "DRAFT") {
            out.push(figure(db, round, org.clone()).await?);
        }
        Ok(out)
    }

    /// One row per child of `parentId` (optionally of one kind), ranked.
    async fn comparison(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        parent_id: ID,
        child_kind: Option<OrgKind>,
    ) -> Result<Comparison> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let round = guard.round(db, parse_id(&round_id, "考核轮次")?).await?;
        let parent = guard.org(db, parse_id(&parent_id, "机构")?).await?;
        let mut children = guard
            .orgs()
            .filter(org::Column::ParentId.eq(parent.id))
            .order_by_asc(org::Column::Code);
        if let Some(kind) = child_kind {
            children = children.filter(org::Column::Kind.eq(DomainKind::from(kind).as_str()));
        }
        let mut rows = figures(db, &round, children.all(db).await?).await?;
        let values: Vec<Option<u32>> = rows
            .iter()
            .map(|r| r.composite.map(|c| (c * 1000.0).round() as u32))
            .collect();
        for (row, rank) in rows.iter_mut().zip(scoring::competition_ranks(&values)) {
            row.rank = rank;
        }
        Ok(Comparison {
            round_id: ID(round.id.to_string()),
            parent: Org(parent),
            rows,
        })
    }
}
