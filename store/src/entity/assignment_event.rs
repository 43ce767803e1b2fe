use sea_orm::entity::prelude::*;
use touming_domain::assessment::AssignmentStatus;

use crate::Stored;

/// One step in a checklist's history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignment_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub assignment_id: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    /// save, submit, approve, return, reopen
    pub action: String,
    pub from_status: Stored<AssignmentStatus>,
    pub to_status: Stored<AssignmentStatus>,
    pub comment: Option<String>,
    pub snapshot_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
