use sea_orm::entity::prelude::*;

/// One line of the append-only audit trail. Nothing updates or deletes these rows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i64>,
    /// The username at the time, so the line still reads after a rename.
    pub actor_name: Option<String>,
    /// The org the event concerns; its path scopes who may read the event.
    pub org_id: Option<i64>,
    pub org_path: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    /// JSON of the entity before and after the change.
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
