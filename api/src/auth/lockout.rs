//! Counting failed sign-ins per name tried, so that the attempt after
//! `auth.max_failed_logins` failures is refused however the attempts arrive: in
//! parallel, batched, aliased, or as `changePassword` guesses.
//!
//! An attempt *claims* its number before the password is checked, with one atomic
//! upsert; attempts past the limit are refused without a check. A failure keeps its
//! claim, and the claim that reaches the limit locks the name; a success clears it.
//! Names no user has are counted the same way, so LOCKED says nothing about existence.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use touming_store::entity::login_lockout::{self, Column};

use crate::config::AuthConfig;
use crate::error::{ApiError, ApiResult};

/// The outcome of claiming an attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// Go on and check the credentials: this is failure number `attempt` if they are wrong.
    Attempt(i32),
    Locked(DateTime<Utc>),
}

pub async fn claim(
    db: &impl ConnectionTrait,
    username: &str,
    config: &AuthConfig,
) -> ApiResult<Claim> {
    // A lock that just ended is reset by whichever attempt wins the race; the others
    // count again from the reset.
    for _ in 0..8 {
        let now = Utc::now();
        let counted = login_lockout::Entity::insert(login_lockout::ActiveModel {
            username: Set(username.to_owned()),
            failures: Set(1),
            locked_until: Set(None),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(Column::Username)
                .value(
                    Column::Failures,
                    Expr::col((login_lockout::Entity, Column::Failures)).add(1),
                )
                .value(Column::UpdatedAt, now)
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
        match counted.locked_until {
            Some(until) if until > now => return Ok(Claim::Locked(until)),
            Some(_) => {
                let reset = login_lockout::Entity::update_many()
                    .col_expr(Column::Failures, Expr::value(1))
                    .col_expr(Column::LockedUntil, Expr::value(None::<DateTime<Utc>>))
                    .filter(Column::Username.eq(username))
                    .filter(Column::Failures.eq(counted.failures))
                    .exec(db)
                    .await?;
                if reset.rows_affected == 1 {
                    return Ok(Claim::Attempt(1));
                }
            }
            None if counted.failures > config.max_failed_logins => {
                return Ok(Claim::Locked(lock(db, username, config).await?));
            }
            None => return Ok(Claim::Attempt(counted.failures)),
        }
    }
    Err(ApiError::internal(anyhow::anyhow!(
        "sign-in lockout of {username}: the reset kept losing its race"
    )))
}

/// Records that claimed attempt `attempt` failed; `Some(until)` when it locked the name.
pub async fn failed(
    db: &impl ConnectionTrait,
    username: &str,
    attempt: i32,
    config: &AuthConfig,
) -> ApiResult<Option<DateTime<Utc>>> {
    if attempt >= config.max_failed_logins {
        Ok(Some(lock(db, username, config).await?))
    } else {
        Ok(None)
    }
}

/// The right credentials: the count starts again.
pub async fn succeeded(db: &impl ConnectionTrait, username: &str) -> ApiResult<()> {
    clear(db, username).await
}

/// An ADMIN lifts a lock (`unlockUser`).
pub async fn clear(db: &impl ConnectionTrait, username: &str) -> ApiResult<()> {
    login_lockout::Entity::delete_many()
        .filter(Column::Username.eq(username))
        .exec(db)
        .await?;
    Ok(())
}

/// The lock currently on a name, if any.
pub async fn locked_until(
    db: &impl ConnectionTrait,
    username: &str,
) -> ApiResult<Option<DateTime<Utc>>> {
    let now = Utc::now();
    Ok(login_lockout::Entity::find_by_id(username.to_owned())
        .one(db)
        .await?
        .and_then(|row| row.locked_until)
        .filter(|until| *until > now))
}

/// Locks the name unless a lock is already on; the lock in force either way.
async fn lock(
    db: &impl ConnectionTrait,
    username: &str,
    config: &AuthConfig,
) -> ApiResult<DateTime<Utc>> {
    let until = Utc::now() + Duration::minutes(config.lockout_minutes);
    login_lockout::Entity::update_many()
        .col_expr(Column::LockedUntil, Expr::value(until))
        .filter(Column::Username.eq(username))
        .filter(Column::LockedUntil.is_null())
        .exec(db)
        .await?;
    Ok(locked_until(db, username).await?.unwrap_or(until))
}
