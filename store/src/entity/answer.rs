use sea_orm::entity::prelude::*;
use touming_domain::assessment::AnswerStatus;

use crate::Stored;

/// The answer for one item of a checklist.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "answer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub assignment_id: i64,
    pub item_code: String,
    pub status: Stored<AnswerStatus>,
    pub na_reason: Option<String>,
    pub formed_on: Option<Date>,
    pub published_on: Option<Date>,
    /// Comma-separated channels.
    pub channels: String,
    /// JSON array of URLs.
    pub evidence_urls: String,
    pub interpretation_on: Option<Date>,
    /// Comma-separated interpretation forms.
    pub interpretation_forms: String,
    pub note: Option<String>,
    /// JSON array of period records.
    pub periods: String,
    /// Copied from the previous round; the filler has not confirmed it yet.
    pub prefilled: bool,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
