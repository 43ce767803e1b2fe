//! Rectification (整改) over GraphQL: publishing a round's results, the list of
//! entries, and the owner's fix and the superior's verdict.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, QueryFilter};
use touming_store::entity::{org, rectification};
use touming_store::stored;
use touming_worker::clock::today_in_china;

use super::context::ContextExt;
use super::page::{Order, Page, PageArgs, list_complexity, page};
use super::rounds::Round;
use super::scalars::Date;
use super::types::Org;
use crate::error::ApiError;
use crate::graphql::scalars::parse_id;
use crate::rectification::{self as rect, Update};

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "touming_domain::assessment::RectificationStatus")]
pub enum RectificationStatus {
    /// 待整改
    Open,
    /// 待核验: the owner recorded a fix.
    Fixed,
    /// 已销号
    Verified,
    /// 重新整改: a superior sent it back.
    Reopened,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "touming_domain::assessment::RectificationAction")]
pub enum RectificationAction {
    /// The owner records the fix (note and new evidence required).
    Fix,
    /// A reviewer above the owner accepts it.
    Verify,
    /// A reviewer above the owner sends it back (note required).
    Reopen,
}

#[derive(InputObject)]
pub struct RectificationInput {
    pub action: RectificationAction,
    /// The entry's `version` as the caller last saw it.
    pub expected_version: i32,
    /// For FIX: what was done. For VERIFY or REOPEN: the reviewer's comment.
    pub note: Option<String>,
    /// For FIX: where the corrected disclosure can be seen (at least one new link).
    #[graphql(default)]
    pub evidence_urls: Vec<String>,
}

/// An entry, with its owner org when the list it came in loaded them together.
pub struct Rectification(pub rectification::Model, pub Option<org::Model>);

#[Object]
impl Rectification {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn round_id(&self) -> ID {
        ID(self.0.round_id.to_string())
    }
    /// The checklist the finding came from.
    async fn assignment_id(&self) -> ID {
        ID(self.0.assignment_id.to_string())
    }
    async fn owner(&self, ctx: &Context<'_>) -> Result<Org> {
        if let Some(org) = &self.1 {
            return Ok(Org(org.clone()));
        }
        let guard = ctx.guard()?;
        Ok(Org(guard.org(&ctx.state().db, self.0.owner_org_id).await?))
    }
    async fn item_code(&self) -> &str {
        &self.0.item_code
    }
    async fn item_title(&self) -> &str {
        &self.0.item_title
    }
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn points(&self) -> f64 {
        self.0.points_milli as f64 / 1000.0
    }
    async fn max(&self) -> f64 {
        self.0.max_milli as f64 / 1000.0
    }
    /// What was wrong: the score's explanation when the results were published.
    async fn finding(&self) -> &str {
        &self.0.finding
    }
    async fn deadline(&self) -> Date {
        Date(self.0.deadline)
    }
    /// Past the deadline and not yet verified.
    async fn overdue(&self) -> bool {
        self.status_of()
            .is_overdue(self.0.deadline, today_in_china())
    }
    async fn status(&self) -> RectificationStatus {
        self.status_of().into()
    }
    async fn fix_note(&self) -> Option<&str> {
        self.0.fix_note.as_deref()
    }
    async fn fix_evidence_urls(&self) -> Result<Vec<String>> {
        Ok(touming_store::rectification::fix_evidence(&self.0).map_err(ApiError::from)?)
    }
    async fn fixed_at(&self) -> Option<DateTime<Utc>> {
        self.0.fixed_at
    }
    async fn review_comment(&self) -> Option<&str> {
        self.0.review_comment.as_deref()
    }
    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        self.0.reviewed_at
    }
    /// Send it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The caller may report a fix now (`updateRectification` with FIX would be let
    /// through); the page shows its buttons from these, never from a rule of its own.
    async fn can_fix(&self, ctx: &Context<'_>) -> Result<bool> {
        self.can(ctx, touming_domain::assessment::RectificationAction::Fix)
    }
    async fn can_verify(&self, ctx: &Context<'_>) -> Result<bool> {
        self.can(ctx, touming_domain::assessment::RectificationAction::Verify)
    }
    async fn can_reopen(&self, ctx: &Context<'_>) -> Result<bool> {
        self.can(ctx, touming_domain::assessment::RectificationAction::Reopen)
    }
}

impl Rectification {
    fn status_of(&self) -> touming_domain::assessment::RectificationStatus {
        *self.0.status
    }

    fn can(
        &self,
        ctx: &Context<'_>,
        action: touming_domain::assessment::RectificationAction,
    ) -> Result<bool> {
        Ok(crate::rectification::can(&ctx.guard()?, &self.0, action))
    }
}

#[derive(SimpleObject)]
pub struct PublishedRound {
    pub round: Round,
    pub rectifications_created: u32,
}

#[derive(Default)]
pub struct RectificationQuery;

#[Object]
impl RectificationQuery {
    /// Entries the caller can see, oldest first: of one round, in one org's subtree,
    /// in one status, only overdue ones, or of the items a search names.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn rectifications(
        &self,
        ctx: &Context<'_>,
        round_id: Option<ID>,
        org_id: Option<ID>,
        status: Option<RectificationStatus>,
        overdue: Option<bool>,
        #[graphql(desc = "An item's code (its start) or part of its title")] search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Rectification>> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let mut select = guard.rectifications();
        if let Some(term) = super::search::term(search)? {
            select = select.filter(item_matches(&term));
        }
        if let Some(id) = round_id {
            let round = guard.round(db, parse_id(&id, "考核轮次")?).await?;
            select = select.filter(rectification::Column::RoundId.eq(round.id));
        }
        if let Some(id) = org_id {
            let org = guard.org(db, parse_id(&id, "机构")?).await?;
            let (lo, hi) = org.org_path().subtree_range();
            select = select
                .filter(rectification::Column::OwnerPath.gte(lo))
                .filter(rectification::Column::OwnerPath.lt(hi));
        }
        if let Some(status) = status {
            let status: touming_domain::assessment::RectificationStatus = status.into();
            select = select.filter(rectification::Column::Status.eq(stored(status)));
        }
        if let Some(overdue) = overdue {
            let open = rectification::Column::Status.ne(stored(
                touming_domain::assessment::RectificationStatus::Verified,
            ));
            let late = rectification::Column::Deadline.lt(today_in_china());
            select = if overdue {
                select.filter(open).filter(late)
            } else {
                select.filter(
                    sea_orm::Condition::any()
                        .add(rectification::Column::Status.eq(stored(
                            touming_domain::assessment::RectificationStatus::Verified,
                        )))
                        .add(rectification::Column::Deadline.gte(today_in_china())),
                )
            };
        }
        let mut connection = page(
            db,
            select,
            rectification::Column::Id,
            Order::Ascending,
            PageArgs { first, after },
            |r| r.id,
            |r| Ok(Rectification(r, None)),
        )
        .await?;
        // Owners of the whole page in one statement.
        let owner_ids: Vec<i64> = connection
            .edges
            .iter()
            .map(|e| e.node.0.owner_org_id)
            .collect();
        if !owner_ids.is_empty() {
            let owners: std::collections::HashMap<i64, org::Model> = guard
                .orgs()
                .filter(org::Column::Id.is_in(owner_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|o| (o.id, o))
                .collect();
            for edge in &mut connection.edges {
                edge.node.1 = owners.get(&edge.node.0.owner_org_id).cloned();
            }
        }
        Ok(connection)
    }
}

#[derive(Default)]
pub struct RectificationMutation;

#[Object]
impl RectificationMutation {
    /// CLOSED → PUBLISHED: the results go out, and every item below full points in an
    /// approved checklist becomes a rectification entry due on `rectificationDeadline`
    /// (30 days from today if not given). For the province's ADMIN.
    async fn publish_round(
        &self,
        ctx: &Context<'_>,
        id: ID,
        rectification_deadline: Option<Date>,
    ) -> Result<PublishedRound> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let round = guard.round(db, parse_id(&id, "考核轮次")?).await?;
        let (round, created) =
            rect::publish(db, &guard, round, rectification_deadline.map(|d| d.0)).await?;
        Ok(PublishedRound {
            round: Round(round),
            rectifications_created: created as u32,
        })
    }

    /// The owner's fix, or a superior's verdict on it.
    async fn update_rectification(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: RectificationInput,
    ) -> Result<Rectification> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let entry = rect::update(
            db,
            &guard,
            parse_id(&id, "整改事项")?,
            Update {
                action: input.action.into(),
                expected_version: input.expected_version,
                note: input.note,
                evidence_urls: input.evidence_urls,
            },
        )
        .await?;
        Ok(Rectification(entry, None))
    }
}

/// Entries of the items a person means by `term`: the code it starts, or words of the
/// title — the list's and the download's `search`.
pub fn item_matches(term: &str) -> sea_orm::Condition {
    use super::search::{contains, starts_with};
    use touming_store::entity::rectification::Column;
    sea_orm::Condition::any()
        .add(starts_with(Column::ItemCode, term))
        .add(contains(Column::ItemTitle, term))
}
