use sea_orm::entity::prelude::*;
use touming_domain::assessment::AssignmentStatus;

use crate::Stored;

/// One org's checklist in a round.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub org_id: i64,
    pub version_id: i64,
    pub status: Stored<AssignmentStatus>,
    /// Optimistic-concurrency counter: bumped by every change.
    pub version: i32,
    /// Reopened by the province after the deadline.
    pub reopened: bool,
    /// When the org's own reviewers passed it (rounds with a self-check step).
    pub self_checked_at: Option<DateTimeUtc>,
    /// Answers changed since the score was computed.
    pub score_stale: bool,
    pub submitted_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
