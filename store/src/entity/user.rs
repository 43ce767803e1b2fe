use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    /// Comma-separated roles (see `touming_domain::Role::parse_list`).
    pub roles: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub active: bool,
    pub password_changed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn roles(&self) -> Vec<touming_domain::Role> {
        touming_domain::Role::parse_list(&self.roles).unwrap_or_default()
    }
}
