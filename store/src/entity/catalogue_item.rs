use sea_orm::entity::prelude::*;

/// One item of a catalogue version; see `touming_domain::catalogue::Item`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "catalogue_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub version_id: i64,
    /// Order in the file.
    pub position: i32,
    pub code: String,
    /// JSON array of strings.
    pub category: String,
    pub title: String,
    /// JSON array of strings.
    pub content: String,
    pub basis: String,
    /// The rule's code (`working_days:20`, `monthly`, …).
    pub time_limit: String,
    pub time_limit_text: String,
    pub body: String,
    pub audience: String,
    pub mode: String,
    /// JSON array of strings.
    pub levels: String,
    /// Comma-separated channels.
    pub channels: String,
    pub needs_interpretation: bool,
    pub evidence_required: bool,
    pub weight_milli: i32,
    pub veto: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
