use sea_orm::entity::prelude::*;
use touming_domain::assessment::RoundStatus;

use crate::Stored;

/// An assessment round (考核轮次) of a province.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "round")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_org_id: i64,
    pub title: String,
    pub period_start: Date,
    pub period_end: Date,
    pub deadline: Date,
    pub status: Stored<RoundStatus>,
    /// JSON of `touming_domain::assessment::ScoringPolicy`.
    pub policy: String,
    pub reminder_days_before: i32,
    /// Answers are prefilled from this earlier round (回头看).
    pub prefill_from_round_id: Option<i64>,
    /// Submitted checklists are first checked by the org's own reviewers.
    pub self_check: bool,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub opened_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// When the results were published and rectification began.
    pub published_at: Option<DateTimeUtc>,
    /// The day rectification entries of this round are due.
    pub rectification_deadline: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
