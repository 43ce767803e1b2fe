use sea_orm::entity::prelude::*;
use touming_domain::assessment::RectificationStatus;

use crate::Stored;

/// A rectification entry (整改): an item of an approved checklist that fell short of
/// full points when its round's results were published.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rectification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub assignment_id: i64,
    pub owner_org_id: i64,
    pub owner_path: String,
    pub version_id: i64,
    pub item_code: String,
    pub item_title: String,
    pub category: String,
    pub points_milli: i64,
    pub max_milli: i64,
    /// The score's explanation at publication: what was wrong.
    pub finding: String,
    pub deadline: Date,
    pub status: Stored<RectificationStatus>,
    pub fix_note: Option<String>,
    /// JSON array of evidence URLs.
    pub fix_evidence: String,
    pub fixed_at: Option<DateTimeUtc>,
    pub fixed_by: Option<i64>,
    pub review_comment: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub reviewed_by: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
