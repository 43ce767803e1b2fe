//! Logging in: throttling per address, the dummy hash for unknown names, lockout
//! after repeated failures, rehash on changed parameters. Every attempt is audited.

use std::net::IpAddr;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set, TransactionTrait,
};
use serde_json::json;
use touming_store::entity::{org, session, user};

use super::password::Verified;
use super::session::{self as sessions, Started};
use super::{LoginThrottle, PasswordHasher};
use crate::audit::{self, Actor, Entry};
use crate::config::AuthConfig;
use crate::error::{ApiError, ApiResult};

const BAD_CREDENTIALS: ApiError = ApiError::Unauthenticated("用户名或密码错误");

pub struct LoggedIn {
    pub token: String,
    pub session: session::Model,
    pub user: user::Model,
}

/// Usernames are case-insensitive; they are stored in lower case.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// What a login needs of the app: the database, the hasher, the per-address throttle
/// and the lockout settings (`AppState::authenticator`).
pub struct Authenticator<'a> {
    pub db: &'a DatabaseConnection,
    pub hasher: &'a PasswordHasher,
    pub throttle: &'a LoginThrottle,
    pub config: &'a AuthConfig,
}

pub async fn login(
    state: Authenticator<'_>,
    username: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> ApiResult<LoggedIn> {
    let ip_key = ip.unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if !state.throttle.try_attempt(ip_key) {
        return Err(ApiError::RateLimited);
    }
    let username = normalize_username(username);
    let actor = Actor {
        id: None,
        name: Some(username.chars().take(64).collect()),
        ip,
    };
    let db = state.db;
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(db)
        .await?;
    let Some(user) = found.filter(|u| u.active) else {
        state.hasher.verify_dummy(password).await?;
        audit::record(db, &actor, failed_entry(None, None, "unknown_user")).await?;
        return Err(BAD_CREDENTIALS);
    };
    let org = org::Entity::find_by_id(user.org_id).one(db).await?;
    let actor = Actor {
        id: Some(user.id),
        ..actor
    };
    let now = Utc::now();
    if let Some(until) = user.locked_until.filter(|t| *t > now) {
        audit::record(
            db,
            &actor,
            failed_entry(Some(&user), org.as_ref(), "locked"),
        )
        .await?;
        return Err(ApiError::Locked { until });
    }

    let verified = state.hasher.verify(password, &user.password_hash).await?;
    let auth = state.config;
    if verified == Verified::No {
        let failures = user.failed_logins + 1;
        let lock = failures >= auth.max_failed_logins;
        let until = now + Duration::minutes(auth.lockout_minutes);
        let mut active = user.clone().into_active_model();
        active.failed_logins = Set(if lock { 0 } else { failures });
        active.locked_until = Set(lock.then_some(until));
        let txn = db.begin().await?;
        active.update(&txn).await?;
        let reason = if lock { "locked_now" } else { "wrong_password" };
        audit::record(
            &txn,
            &actor,
            failed_entry(Some(&user), org.as_ref(), reason),
        )
        .await?;
        txn.commit().await?;
        return Err(if lock {
            ApiError::Locked { until }
        } else {
            BAD_CREDENTIALS
        });
    }

    let txn = db.begin().await?;
    let mut active = user.clone().into_active_model();
    active.failed_logins = Set(0);
    active.locked_until = Set(None);
    if let Verified::YesRehash(hash) = verified {
        active.password_hash = Set(hash);
    }
    let user = active.update(&txn).await?;
    let Started { token, session } = sessions::start(&txn, user.id, ip, auth).await?;
    audit::record(
        &txn,
        &actor,
        Entry {
            action: "login",
            entity: "session",
            entity_id: Some(session.id),
            org: org.as_ref(),
            before: None,
            after: Some(json!({ "expiresAt": session.expires_at })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(LoggedIn {
        token,
        session,
        user,
    })
}

fn failed_entry<'a>(
    user: Option<&user::Model>,
    org: Option<&'a org::Model>,
    reason: &str,
) -> Entry<'a> {
    Entry {
        action: "login_failed",
        entity: "user",
        entity_id: user.map(|u| u.id),
        org,
        before: None,
        after: Some(json!({ "reason": reason })),
    }
}
