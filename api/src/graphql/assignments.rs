//! Checklists: reading, filling, submitting, reviewing.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use touming_domain::assessment::{self as domain, AssignmentStatus as DomainStatus};
use touming_store::entity::{assignment, assignment_snapshot, org, review_comment};
use touming_store::stored;

use super::batch;
use super::catalogues::{CatalogueVersion, Channel};
use super::context::ContextExt;
use super::rounds::Round;
use super::scalars::Date;
use super::types::Org;
use crate::assessment::assignments::{self as service, Review};
use crate::assessment::{answers, nudge};
use crate::error::ApiError;
use crate::graphql::scalars::parse_id;
use touming_worker::Job;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "touming_domain::assessment::AnswerStatus")]
pub enum AnswerStatus {
    Disclosed,
    Partial,
    NotDisclosed,
    NotApplicable,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "touming_domain::assessment::InterpretationForm")]
pub enum InterpretationForm {
    Text,
    Graphic,
    Video,
    Audio,
    Animation,
    QAndA,
    MediaInterview,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "touming_domain::assessment::AssignmentStatus")]
pub enum AssignmentStatus {
    NotStarted,
    Draft,
    Submitted,
    Approved,
    Returned,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "touming_domain::assessment::ReviewDecision")]
pub enum ReviewDecision {
    Approve,
    Return,
    Reopen,
}

#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "PeriodInput")]
pub struct Period {
    /// `2025-03` (month), `2025-Q1` (quarter) or `2025` (year).
    pub period: String,
    pub published_on: Option<Date>,
}

#[derive(InputObject)]
pub struct AnswerInput {
    pub item_code: String,
    pub status: AnswerStatus,
    /// Required for NOT_APPLICABLE.
    pub na_reason: Option<String>,
    /// The day the information was formed or changed.
    pub formed_on: Option<Date>,
    /// The day it was disclosed.
    pub published_on: Option<Date>,
    pub channels: Option<Vec<Channel>>,
    pub evidence_urls: Option<Vec<String>>,
    /// For policy documents: when the interpretation was published.
    pub interpretation_on: Option<Date>,
    pub interpretation_forms: Option<Vec<InterpretationForm>>,
    pub note: Option<String>,
    /// Periodic items: one publication record per period.
    pub periods: Option<Vec<Period>>,
}

impl From<AnswerInput> for domain::Answer {
    fn from(a: AnswerInput) -> Self {
        domain::Answer {
            item_code: a.item_code.trim().to_owned(),
            status: a.status.into(),
            na_reason: a.na_reason,
            formed_on: a.formed_on.map(|d| d.0),
            published_on: a.published_on.map(|d| d.0),
            channels: a
                .channels
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            evidence_urls: a
                .evidence_urls
                .unwrap_or_default()
                .into_iter()
                .map(|u| u.trim().to_owned())
                .collect(),
            interpretation_on: a.interpretation_on.map(|d| d.0),
            interpretation_forms: a
                .interpretation_forms
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            note: a.note,
            periods: a
                .periods
                .unwrap_or_default()
                .into_iter()
                .map(|p| domain::PeriodRecord {
                    period: p.period,
                    published_on: p.published_on.map(|d| d.0),
                })
                .collect(),
        }
    }
}

/// One item's answer.
pub struct Answer {
    pub answer: domain::Answer,
    pub prefilled: bool,
    pub updated_at: Option<DateTime<Utc>>,
}

#[Object]
impl Answer {
    async fn item_code(&self) -> &str {
        &self.answer.item_code
    }
    async fn status(&self) -> AnswerStatus {
        self.answer.status.into()
    }
    async fn na_reason(&self) -> Option<&str> {
        self.answer.na_reason.as_deref()
    }
    async fn formed_on(&self) -> Option<Date> {
        self.answer.formed_on.map(Date)
    }
    async fn published_on(&self) -> Option<Date> {
        self.answer.published_on.map(Date)
    }
    async fn channels(&self) -> Vec<Channel> {
        self.answer.channels.iter().map(|c| (*c).into()).collect()
    }
    async fn evidence_urls(&self) -> &[String] {
        &self.answer.evidence_urls
    }
    async fn interpretation_on(&self) -> Option<Date> {
        self.answer.interpretation_on.map(Date)
    }
    async fn interpretation_forms(&self) -> Vec<InterpretationForm> {
        self.answer
            .interpretation_forms
            .iter()
            .map(|f| (*f).into())
            .collect()
    }
    async fn note(&self) -> Option<&str> {
        self.answer.note.as_deref()
    }
    async fn periods(&self) -> Vec<Period> {
        self.answer
            .periods
            .iter()
            .map(|p| Period {
                period: p.period.clone(),
                published_on: p.published_on.map(Date),
            })
            .collect()
    }
    /// Copied from the previous round (回头看); the filler has not confirmed it yet.
    async fn prefilled(&self) -> bool {
        self.prefilled
    }
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.updated_at
    }
}

#[derive(SimpleObject)]
pub struct Progress {
    /// Applicable items with an answer.
    pub answered: u32,
    /// Items not marked 不适用.
    pub applicable: u32,
    /// answered ÷ applicable, in percent (rounded down).
    pub percent: u32,
}

#[derive(SimpleObject)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    /// save, submit, approve, return, reopen
    pub action: String,
    pub from_status: AssignmentStatus,
    pub to_status: AssignmentStatus,
    pub comment: Option<String>,
    pub snapshot_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct ReviewComment {
    /// Null for a comment on the whole checklist.
    pub item_code: Option<String>,
    pub comment: String,
    pub at: DateTime<Utc>,
}

pub struct Snapshot(pub assignment_snapshot::Model);

#[Object]
impl Snapshot {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// When it was submitted.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    async fn answers(&self) -> Result<Vec<Answer>> {
        let answers: Vec<domain::Answer> =
            serde_json::from_str(&self.0.answers).map_err(ApiError::internal)?;
        Ok(answers
            .into_iter()
            .map(|answer| Answer {
                answer,
                prefilled: false,
                updated_at: None,
            })
            .collect())
    }
}

fn status(a: &assignment::Model) -> AssignmentStatus {
    (*a.status).into()
}

/// One org's checklist in a round.
pub struct Assignment(pub assignment::Model);

#[Object]
impl Assignment {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn status(&self) -> AssignmentStatus {
        status(&self.0)
    }
    /// Pass it back as `expectedVersion` when saving.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Reopened by the province after the deadline.
    async fn reopened(&self) -> bool {
        self.0.reopened
    }
    /// When the org's own reviewers passed it (rounds with a self-check step).
    async fn self_checked_at(&self) -> Option<DateTime<Utc>> {
        self.0.self_checked_at
    }
    async fn org(&self, ctx: &Context<'_>) -> Result<Org> {
        Ok(Org(batch::org(ctx.loaders(), self.0.org_id).await?))
    }
    async fn round(&self, ctx: &Context<'_>) -> Result<Round> {
        Ok(Round(batch::round(ctx.loaders(), self.0.round_id).await?))
    }
    async fn catalogue_version(&self, ctx: &Context<'_>) -> Result<CatalogueVersion> {
        let guard = ctx.guard()?;
        let (catalogue, version) = guard
            .catalogue_version(&ctx.state().db, self.0.version_id)
            .await?;
        Ok(CatalogueVersion(version, catalogue))
    }
    async fn answers(&self, ctx: &Context<'_>) -> Result<Vec<Answer>> {
        let rows = answers::rows(&ctx.state().db, self.0.id).await?;
        rows.iter()
            .map(|row| {
                Ok(Answer {
                    answer: answers::from_row(row)?,
                    prefilled: row.prefilled,
                    updated_at: Some(row.updated_at),
                })
            })
            .collect()
    }
    async fn progress(&self, ctx: &Context<'_>) -> Result<Progress> {
        let key = batch::ProgressOf {
            assignment_id: self.0.id,
            version_id: self.0.version_id,
        };
        let batch::Counted {
            answered,
            applicable,
        } = ctx.loaders().load_one(key).await?.unwrap_or_default();
        Ok(Progress {
            answered: answered as u32,
            applicable: applicable as u32,
            percent: (answered * 100).checked_div(applicable).unwrap_or(100) as u32,
        })
    }
    /// The latest score in percent (as `score.percent`), for lists such as the review
    /// queue; null before the first scoring. `scoreStale` says whether it is current.
    async fn score_percent(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        let milli = ctx.loaders().load_one(batch::PercentOf(self.0.id)).await?;
        Ok(milli.map(|m| super::scores::percent(m.max(0) as u32)))
    }

    /// The checklist changed after its latest score; a newer one is on its way.
    async fn score_stale(&self) -> bool {
        self.0.score_stale
    }

    /// Rectification entries of this org from earlier rounds that are not yet verified:
    /// what to look back at (回头看) while filling in this round.
    async fn open_rectifications(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::rectifications::Rectification>> {
        let key = batch::OpenRectificationsOf {
            org_id: self.0.org_id,
            round_id: self.0.round_id,
        };
        let rows = ctx.loaders().load_one(key).await?.unwrap_or_default();
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let owner = batch::org(ctx.loaders(), self.0.org_id).await?;
        Ok(rows
            .into_iter()
            .map(|r| super::rectifications::Rectification(r, Some(owner.clone())))
            .collect())
    }

    /// Every transition, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<HistoryEntry>> {
        let rows = ctx
            .loaders()
            .load_one(batch::HistoryOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|e| HistoryEntry {
                at: e.at,
                actor_name: e.actor_name,
                from_status: (*e.from_status).into(),
                to_status: (*e.to_status).into(),
                action: e.action,
                comment: e.comment,
                snapshot_id: e.snapshot_id.map(|id| ID(id.to_string())),
            })
            .collect())
    }
    /// The answers as submitted, each time; kept after a return.
    async fn snapshots(&self, ctx: &Context<'_>) -> Result<Vec<Snapshot>> {
        let rows = assignment_snapshot::Entity::find()
            .filter(assignment_snapshot::Column::AssignmentId.eq(self.0.id))
            .order_by_asc(assignment_snapshot::Column::Id)
            .all(&ctx.state().db)
            .await?;
        Ok(rows.into_iter().map(Snapshot).collect())
    }
    /// Reviewers' comments, oldest first.
    async fn comments(&self, ctx: &Context<'_>) -> Result<Vec<ReviewComment>> {
        let rows = review_comment::Entity::find()
            .filter(review_comment::Column::AssignmentId.eq(self.0.id))
            .order_by_asc(review_comment::Column::Id)
            .all(&ctx.state().db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|c| ReviewComment {
                item_code: c.item_code,
                comment: c.comment,
                at: c.at,
            })
            .collect())
    }
    /// Uploaded evidence files.
    async fn evidence_files(&self, ctx: &Context<'_>) -> Result<Vec<EvidenceFile>> {
        let files = crate::evidence::of_assignment(&ctx.state().db, self.0.id).await?;
        Ok(files.into_iter().map(EvidenceFile).collect())
    }
    /// Whether the caller may fill in this checklist now.
    async fn can_edit(&self, ctx: &Context<'_>) -> Result<bool> {
        let guard = ctx.guard()?;
        let org = guard.org(&ctx.state().db, self.0.org_id).await?;
        let editable = self.0.status.save().is_ok();
        Ok(editable && guard.require_filler_of(&org).is_ok())
    }
    /// Whether the caller reviews this checklist.
    async fn can_review(&self, ctx: &Context<'_>) -> Result<bool> {
        let guard = ctx.guard()?;
        let org = guard.org(&ctx.state().db, self.0.org_id).await?;
        Ok(guard.is_reviewer_of(&org))
    }
}

pub struct EvidenceFile(pub touming_store::entity::evidence_file::Model);

#[Object]
impl EvidenceFile {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn item_code(&self) -> &str {
        &self.0.item_code
    }
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    /// Judged from the content.
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }
    async fn size(&self) -> i64 {
        self.0.size
    }
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Download address (same session and tenancy as the API).
    async fn url(&self) -> String {
        format!("/evidence/{}", self.0.id)
    }
}

#[derive(InputObject)]
pub struct ItemCommentInput {
    pub item_code: String,
    pub comment: String,
}

#[derive(Default)]
pub struct AssignmentQuery;

fn round_filter(
    select: sea_orm::Select<assignment::Entity>,
    round_id: Option<ID>,
) -> Result<sea_orm::Select<assignment::Entity>, ApiError> {
    Ok(match round_id {
        Some(id) => select.filter(assignment::Column::RoundId.eq(parse_id(&id, "考核轮次")?)),
        None => select,
    })
}

#[Object]
impl AssignmentQuery {
    async fn assignment(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Assignment>> {
        let guard = ctx.guard()?;
        let (assignment, _) = guard
            .assignment(&ctx.state().db, parse_id(&id, "填报表")?)
            .await?;
        Ok(Some(Assignment(assignment)))
    }

    /// The checklists of the caller's own org.
    async fn my_assignments(
        &self,
        ctx: &Context<'_>,
        round_id: Option<ID>,
    ) -> Result<Vec<Assignment>> {
        let guard = ctx.guard()?;
        let select = round_filter(guard.assignments(), round_id)?
            .filter(assignment::Column::OrgId.eq(guard.viewer().org.id))
            .order_by_desc(assignment::Column::Id);
        Ok(select
            .all(&ctx.state().db)
            .await?
            .into_iter()
            .map(Assignment)
            .collect())
    }

    /// Notifications for the caller's own org, newest first.
    #[graphql(complexity = "super::page::list_complexity(first, child_complexity)")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<super::page::Page<Notification>> {
        use touming_store::entity::notification;
        let guard = ctx.guard()?;
        let select = guard.notifications();
        Ok(super::page::page(
            &ctx.state().db,
            select,
            notification::Column::Id,
            super::page::Order::Descending,
            super::page::PageArgs { first, after },
            |n| n.id,
            |n| Ok(Notification(n)),
        )
        .await?)
    }

    /// Submitted checklists waiting for the caller's review.
    async fn review_queue(
        &self,
        ctx: &Context<'_>,
        round_id: Option<ID>,
    ) -> Result<Vec<Assignment>> {
        let guard = ctx.guard()?;
        let viewer = guard.viewer();
        if !(viewer.has_role(touming_domain::Role::Reviewer)
            || viewer.has_role(touming_domain::Role::Admin))
        {
            return Ok(Vec::new());
        }
        let db = &ctx.state().db;
        let children = Query::select()
            .column(org::Column::Id)
            .from(org::Entity)
            .and_where(org::Column::ParentId.eq(viewer.org.id))
            .to_owned();
        let own_or_children = Condition::any()
            .add(assignment::Column::OrgId.eq(viewer.org.id))
            .add(assignment::Column::OrgId.in_subquery(children));
        let submitted = round_filter(guard.assignments(), round_id)?
            .filter(own_or_children)
            .filter(assignment::Column::Status.eq(stored(DomainStatus::Submitted)))
            .order_by_asc(assignment::Column::SubmittedAt)
            .all(db)
            .await?;
        let self_check_rounds: std::collections::HashSet<i64> = guard
            .rounds()
            .filter(touming_store::entity::round::Column::SelfCheck.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let root = viewer.org.parent_id.is_none();
        // Own checklists wait for the self-check (or, for a province, its own review);
        // children's wait for this level once any self-check is done.
        let waiting = submitted.into_iter().filter(|a| {
            let pending_self_check =
                self_check_rounds.contains(&a.round_id) && a.self_checked_at.is_none();
            if a.org_id == viewer.org.id {
                pending_self_check || root
            } else {
                !pending_self_check
            }
        });
        Ok(waiting.map(Assignment).collect())
    }
}

/// A notification for the caller's org, e.g. a deadline reminder.
pub struct Notification(pub touming_store::entity::notification::Model);

#[Object]
impl Notification {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// deadline_reminder
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn message(&self) -> &str {
        &self.0.message
    }
    async fn round_id(&self) -> ID {
        ID(self.0.round_id.to_string())
    }
    async fn assignment_id(&self) -> Option<ID> {
        self.0.assignment_id.map(|id| ID(id.to_string()))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(Default)]
pub struct AssignmentMutation;

#[Object]
impl AssignmentMutation {
    /// Saves a batch of answers. `expectedVersion` is the checklist's `version` the
    /// caller started from; if someone saved since, nothing is written and the error is
    /// `CONFLICT` with `currentVersion`.
    async fn save_answers(
        &self,
        ctx: &Context<'_>,
        assignment_id: ID,
        expected_version: i32,
        answers: Vec<AnswerInput>,
    ) -> Result<Assignment> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let (assignment, org) = guard
            .assignment(db, parse_id(&assignment_id, "填报表")?)
            .await?;
        let batch = answers.into_iter().map(domain::Answer::from).collect();
        let saved = service::save_answers(
            db,
            &ctx.state().round_items,
            &guard,
            assignment,
            &org,
            expected_version,
            batch,
        )
        .await?;
        nudge(
            ctx.state(),
            Job::ScoreAssignment {
                assignment_id: saved.id,
            },
        )
        .await;
        Ok(Assignment(saved))
    }

    /// Submits the checklist; every problem is listed, item by item.
    async fn submit_assignment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> Result<Assignment> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let (assignment, org) = guard.assignment(db, parse_id(&id, "填报表")?).await?;
        let submitted = service::submit(
            db,
            &ctx.state().round_items,
            &guard,
            assignment,
            &org,
            expected_version,
        )
        .await?;
        nudge(
            ctx.state(),
            Job::ScoreAssignment {
                assignment_id: submitted.id,
            },
        )
        .await;
        Ok(Assignment(submitted))
    }

    /// Uploads an evidence file (PDF, image or Office document, judged by content) for
    /// one item of a checklist the caller fills in.
    async fn upload_evidence(
        &self,
        ctx: &Context<'_>,
        assignment_id: ID,
        item_code: String,
        file: async_graphql::Upload,
    ) -> Result<EvidenceFile> {
        use std::io::Read;
        let guard = ctx.guard()?;
        let state = ctx.state();
        let (assignment, org) = guard
            .assignment(&state.db, parse_id(&assignment_id, "填报表")?)
            .await?;
        let upload = file
            .value(ctx)
            .map_err(|e| ApiError::field("file", format!("无法读取上传的文件：{e}")))?;
        let file_name = upload.filename.clone();
        let limit = state.evidence.max_bytes();
        let mut bytes = Vec::new();
        upload
            .into_read()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(ApiError::internal)?;
        let stored = crate::evidence::upload(
            &state.db,
            &state.round_items,
            &state.evidence,
            &guard,
            &assignment,
            &org,
            crate::evidence::Upload {
                item_code: item_code.trim().to_owned(),
                file_name,
                bytes,
            },
        )
        .await?;
        nudge(
            state,
            Job::ScoreAssignment {
                assignment_id: assignment.id,
            },
        )
        .await;
        Ok(EvidenceFile(stored))
    }

    /// Approve, return (a comment is required) or reopen a checklist. Items listed in
    /// `rejectNotApplicable` had their 不适用 rejected: they count as 未公开.
    async fn review_assignment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        decision: ReviewDecision,
        comment: Option<String>,
        item_comments: Option<Vec<ItemCommentInput>>,
        reject_not_applicable: Option<Vec<String>>,
    ) -> Result<Assignment> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let (assignment, org) = guard.assignment(db, parse_id(&id, "填报表")?).await?;
        let review = Review {
            decision: decision.into(),
            comment,
            item_comments: item_comments
                .unwrap_or_default()
                .into_iter()
                .map(|c| (c.item_code, c.comment))
                .collect(),
            reject_not_applicable: reject_not_applicable.unwrap_or_default(),
        };
        let reviewed = service::review(
            db,
            &ctx.state().round_items,
            &guard,
            assignment,
            &org,
            review,
        )
        .await?;
        nudge(
            ctx.state(),
            Job::ScoreAssignment {
                assignment_id: reviewed.id,
            },
        )
        .await;
        Ok(Assignment(reviewed))
    }
}
