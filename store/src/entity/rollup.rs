use sea_orm::entity::prelude::*;

/// A region's roll-up in a round.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rollup")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub org_id: i64,
    pub composite_milli: Option<i32>,
    /// Unsubmitted checklists counted as 0 even while the round is open. Null also
    /// while an open round's roll-up was written before this existed (and is stale).
    pub strict_composite_milli: Option<i32>,
    pub expected: i32,
    pub submitted: i32,
    pub approved: i32,
    /// JSON of `touming_domain::scoring::Indicators`.
    pub indicators: String,
    /// JSON of `touming_domain::scoring::Spread`.
    pub spread: Option<String>,
    /// JSON of `touming_domain::scoring::Tally`.
    pub tally: String,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
