//! Assessment rounds.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use touming_domain::assessment::{AssignmentStatus, ScoringPolicy};
use touming_store::entity::{assignment, round, round_catalogue};
use touming_store::stored;

use super::batch::{OrgOf, ScopeOf};
use super::catalogues::CatalogueVersion;
use super::context::ContextExt;
use super::scalars::Date;
use super::types::{Org, OrgKind};
use crate::assessment::rounds::{self, NewRound};
use crate::error::ApiError;
use crate::graphql::scalars::parse_id;

/// The scoring policy of a round (DOMAIN.md §4); factors in thousandths (‰).
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "ScoringPolicyInput")]
pub struct Policy {
    pub disclosed: u32,
    pub partial: u32,
    pub not_disclosed: u32,
    pub late: u32,
    pub missing_channel: u32,
    pub interpretation_on_time: u32,
    pub interpretation_late: u32,
    pub interpretation_missing: u32,
    pub interpretation_window_days: u32,
    pub excellent: u32,
    pub good: u32,
    pub pass: u32,
    pub veto_cap: u32,
    pub own_weight: u32,
    pub institutions_weight: u32,
    pub subregions_weight: u32,
    pub indicator_target: u32,
}

// Both directions name every field on both sides (destructuring and struct literal),
// so a field added to one struct and not the other fails to compile.
impl From<ScoringPolicy> for Policy {
    fn from(p: ScoringPolicy) -> Self {
        let ScoringPolicy {
            disclosed,
            partial,
            not_disclosed,
            late,
            missing_channel,
            interpretation_on_time,
            interpretation_late,
            interpretation_missing,
            interpretation_window_days,
            excellent,
            good,
            pass,
            veto_cap,
            own_weight,
            institutions_weight,
            subregions_weight,
            indicator_target,
        } = p;
        Policy {
            disclosed,
            partial,
            not_disclosed,
            late,
            missing_channel,
            interpretation_on_time,
            interpretation_late,
            interpretation_missing,
            interpretation_window_days,
            excellent,
            good,
            pass,
            veto_cap,
            own_weight,
            institutions_weight,
            subregions_weight,
            indicator_target,
        }
    }
}

impl From<Policy> for ScoringPolicy {
    fn from(p: Policy) -> Self {
        let Policy {
            disclosed,
            partial,
            not_disclosed,
            late,
            missing_channel,
            interpretation_on_time,
            interpretation_late,
            interpretation_missing,
            interpretation_window_days,
            excellent,
            good,
            pass,
            veto_cap,
            own_weight,
            institutions_weight,
            subregions_weight,
            indicator_target,
        } = p;
        ScoringPolicy {
            disclosed,
            partial,
            not_disclosed,
            late,
            missing_channel,
            interpretation_on_time,
            interpretation_late,
            interpretation_missing,
            interpretation_window_days,
            excellent,
            good,
            pass,
            veto_cap,
            own_weight,
            institutions_weight,
            subregions_weight,
            indicator_target,
        }
    }
}

#[derive(SimpleObject)]
pub struct RoundCatalogue {
    pub org_kind: OrgKind,
    pub version: CatalogueVersion,
}

#[derive(SimpleObject)]
pub struct RoundProgress {
    pub assignments: u64,
    pub submitted: u64,
    pub approved: u64,
}

pub struct Round(pub round::Model);

#[Object]
impl Round {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }
    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }
    async fn deadline(&self) -> Date {
        Date(self.0.deadline)
    }
    /// DRAFT, OPEN, CLOSED, PUBLISHED
    async fn status(&self) -> &str {
        self.0.status.as_str()
    }
    async fn reminder_days_before(&self) -> i32 {
        self.0.reminder_days_before
    }
    async fn prefill_from_round_id(&self) -> Option<ID> {
        self.0.prefill_from_round_id.map(|id| ID(id.to_string()))
    }
    /// Submitted checklists are first checked by the org's own reviewers.
    async fn self_check(&self) -> bool {
        self.0.self_check
    }
    /// Who takes part: the whole province, or a pilot's subtrees and orgs.
    async fn scope(&self, ctx: &Context<'_>) -> Result<RoundScope> {
        let rows = ctx
            .loaders()
            .load_one(ScopeOf(self.0.id))
            .await?
            .unwrap_or_default();
        let orgs = ctx
            .loaders()
            .load_many(rows.iter().map(|r| OrgOf(r.org_id)))
            .await?;
        let (mut subtrees, mut only) = (Vec::new(), Vec::new());
        for row in &rows {
            if let Some(o) = orgs.get(&OrgOf(row.org_id)) {
                let list = if row.subtree {
                    &mut subtrees
                } else {
                    &mut only
                };
                list.push(Org(o.clone()));
            }
        }
        Ok(RoundScope {
            whole_province: rows.is_empty(),
            subtrees,
            orgs: only,
        })
    }
    async fn opened_at(&self) -> Option<DateTime<Utc>> {
        self.0.opened_at
    }
    /// When the results were published and rectification began.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// When this round's rectification entries are due.
    async fn rectification_deadline(&self) -> Option<Date> {
        self.0.rectification_deadline.map(Date)
    }
    async fn policy(&self) -> Result<Policy> {
        let policy: ScoringPolicy =
            touming_store::round::policy(&self.0).map_err(ApiError::from)?;
        Ok(policy.into())
    }
    async fn catalogues(&self, ctx: &Context<'_>) -> Result<Vec<RoundCatalogue>> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let mut out = Vec::new();
        for rc in round_catalogue::Entity::find()
            .filter(round_catalogue::Column::RoundId.eq(self.0.id))
            .order_by_asc(round_catalogue::Column::Id)
            .all(db)
            .await?
        {
            let (catalogue, version) = guard.catalogue_version(db, rc.version_id).await?;
            out.push(RoundCatalogue {
                org_kind: (*rc.org_kind).into(),
                version: CatalogueVersion(version, catalogue),
            });
        }
        Ok(out)
    }
    /// Checklists of this round that the caller can see.
    async fn progress(&self, ctx: &Context<'_>) -> Result<RoundProgress> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let base = || {
            guard
                .assignments()
                .filter(assignment::Column::RoundId.eq(self.0.id))
        };
        Ok(RoundProgress {
            assignments: base().count(db).await?,
            submitted: base()
                .filter(assignment::Column::Status.eq(stored(AssignmentStatus::Submitted)))
                .count(db)
                .await?,
            approved: base()
                .filter(assignment::Column::Status.eq(stored(AssignmentStatus::Approved)))
                .count(db)
                .await?,
        })
    }
}

#[derive(InputObject)]
pub struct RoundCatalogueInput {
    pub org_kind: OrgKind,
    /// A PUBLISHED catalogue version.
    pub version_id: ID,
    /// Use the catalogue for this kind although it is not one of the kinds it is for
    /// (default false: such a choice is refused with a field error).
    pub allow_other_kind: Option<bool>,
}

#[derive(InputObject)]
pub struct CreateRoundInput {
    pub title: String,
    pub period_start: Date,
    pub period_end: Date,
    pub deadline: Date,
    pub catalogues: Vec<RoundCatalogueInput>,
    /// Omitted: DOMAIN.md §4's defaults.
    pub policy: Option<Policy>,
    /// Remind unsubmitted checklists this many days before the deadline (default 3).
    pub reminder_days_before: Option<i32>,
    /// Prefill each org's answers from this earlier round (回头看).
    pub prefill_from_round_id: Option<ID>,
    /// Submitted checklists are first checked by the org's own reviewers (default false).
    pub self_check: Option<bool>,
    /// A pilot round (试点): only these orgs take part. Omitted: the whole province.
    pub scope: Option<RoundScopeInput>,
}

/// Who takes part in a pilot round, besides being of a kind the round has a catalogue
/// for. Both lists may be given.
#[derive(InputObject)]
pub struct RoundScopeInput {
    /// These orgs and everything below them (a pilot city or county).
    pub subtrees: Option<Vec<ID>>,
    /// These orgs alone (pilot hospitals, pilot counties); each must be of one of the
    /// round's kinds.
    pub orgs: Option<Vec<ID>>,
}

/// Who takes part in a round: empty lists for the whole province.
#[derive(SimpleObject)]
pub struct RoundScope {
    pub whole_province: bool,
    pub subtrees: Vec<Org>,
    pub orgs: Vec<Org>,
}

fn ids(list: Vec<ID>) -> Result<Vec<i64>, ApiError> {
    list.iter().map(|id| parse_id(id, "机构")).collect()
}

#[derive(Default)]
pub struct RoundQuery;

#[Object]
impl RoundQuery {
    /// The rounds of the caller's province, newest first.
    async fn rounds(&self, ctx: &Context<'_>) -> Result<Vec<Round>> {
        let guard = ctx.guard()?;
        let rows = guard
            .rounds()
            .order_by_desc(round::Column::Id)
            .all(&ctx.state().db)
            .await?;
        Ok(rows.into_iter().map(Round).collect())
    }

    async fn round(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Round>> {
        let guard = ctx.guard()?;
        Ok(Some(Round(
            guard
                .round(&ctx.state().db, parse_id(&id, "考核轮次")?)
                .await?,
        )))
    }
}

#[derive(Default)]
pub struct RoundMutation;

#[Object]
impl RoundMutation {
    /// A province ADMIN creates a round (DRAFT).
    async fn create_round(&self, ctx: &Context<'_>, input: CreateRoundInput) -> Result<Round> {
        let guard = ctx.guard()?;
        let mut catalogues = Vec::new();
        let mut other_kind_allowed = Vec::new();
        for c in input.catalogues {
            let kind: touming_domain::OrgKind = c.org_kind.into();
            if c.allow_other_kind == Some(true) {
                other_kind_allowed.push(kind);
            }
            catalogues.push((kind, parse_id(&c.version_id, "目录版本")?));
        }
        let prefill_from = match input.prefill_from_round_id {
            Some(id) => Some(parse_id(&id, "考核轮次")?),
            None => None,
        };
        let new = NewRound {
            title: input.title,
            period_start: input.period_start.0,
            period_end: input.period_end.0,
            deadline: input.deadline.0,
            catalogues,
            other_kind_allowed,
            scope: match input.scope {
                None => rounds::Scope::default(),
                Some(s) => rounds::Scope {
                    subtrees: ids(s.subtrees.unwrap_or_default())?,
                    orgs: ids(s.orgs.unwrap_or_default())?,
                },
            },
            policy: input.policy.map(ScoringPolicy::from).unwrap_or_default(),
            reminder_days_before: input.reminder_days_before.unwrap_or(3),
            prefill_from,
            self_check: input.self_check.unwrap_or(false),
        };
        Ok(Round(rounds::create(&ctx.state().db, &guard, new).await?))
    }

    /// DRAFT → OPEN: one checklist per org in scope (idempotent).
    async fn open_round(&self, ctx: &Context<'_>, id: ID) -> Result<Round> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let round = guard.round(db, parse_id(&id, "考核轮次")?).await?;
        let (opened, _) = rounds::open(db, &guard, round).await?;
        Ok(Round(opened))
    }

    /// OPEN → CLOSED.
    async fn close_round(&self, ctx: &Context<'_>, id: ID) -> Result<Round> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let round = guard.round(db, parse_id(&id, "考核轮次")?).await?;
        let closed = rounds::close(db, &guard, round).await?;
        // Closing changes what counts (unsubmitted checklists now count as 0).
        crate::assessment::nudge(
            ctx.state(),
            touming_worker::Job::RescoreRound {
                round_id: closed.id,
            },
        )
        .await;
        Ok(Round(closed))
    }
}
