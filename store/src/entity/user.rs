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
    /// False: deactivated; signs in as a wrong password would, has no live session.
    pub active: bool,
    pub password_changed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    /// Base32 TOTP secret (RFC 6238) once confirmed; `None`: no second factor.
    pub totp_secret: Option<String>,
    /// Shown for enrolment and not yet confirmed by a code.
    pub totp_pending_secret: Option<String>,
    pub totp_enrolled_at: Option<DateTimeUtc>,
    /// The last time step whose code was accepted; each code is good once.
    pub totp_last_step: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn roles(&self) -> Vec<touming_domain::Role> {
        touming_domain::Role::parse_list(&self.roles).unwrap_or_default()
    }
}
