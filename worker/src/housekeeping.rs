//! Keeping the tables small: ended sessions are deleted after a grace day, so that a
//! recently revoked token still reads as revoked in the logs of that day; sign-in
//! failure counts untouched for a day go too (any lock they carried ended long ago),
//! so names that belong to nobody cost a row for a day at most.

use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use touming_store::entity::{login_lockout, session};

/// Deletes sessions that expired or were revoked more than a day ago; returns how many.
pub async fn purge_sessions(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let cutoff = Utc::now() - Duration::days(1);
    let result = session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::ExpiresAt.lt(cutoff))
                .add(session::Column::RevokedAt.lt(cutoff)),
        )
        .exec(db)
        .await?;
    login_lockout::Entity::delete_many()
        .filter(login_lockout::Column::UpdatedAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
