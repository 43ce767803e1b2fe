//! Signing in: throttling per address, one lockout count per name tried (users or
//! not), the dummy hash for names no active user has, the second factor where it is
//! required, rehash on changed parameters. Every attempt is audited.

use std::net::IpAddr;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set, TransactionTrait,
};
use serde_json::json;
use touming_store::entity::{org, session, user};

use super::lockout::{self, Claim};
use super::password::Verified;
use super::second_factor::{self, Checked};
use super::session::{self as sessions, Started};
use super::{LoginThrottle, PasswordHasher};
use crate::audit::{self, Actor, Entry};
use crate::config::AuthConfig;
use crate::error::{ApiError, ApiResult};

const BAD_CREDENTIALS: ApiError = ApiError::Unauthenticated("用户名或密码错误");
const BAD_SECOND_FACTOR: ApiError = ApiError::Unauthenticated("动态口令或恢复码错误");
/// Longer than any user name can be (see `users::valid_username`).
const MAX_USERNAME: usize = 64;

pub struct LoggedIn {
    pub token: String,
    pub session: session::Model,
    pub user: user::Model,
    /// Set when this sign-in completed a second-factor enrolment: shown once.
    pub recovery_codes: Vec<String>,
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

/// What the caller offers.
pub struct Credentials<'a> {
    pub username: &'a str,
    pub password: &'a str,
    /// A TOTP code or a recovery code, for those who need a second factor.
    pub code: Option<&'a str>,
}

pub async fn login(
    state: Authenticator<'_>,
    credentials: Credentials<'_>,
    ip: Option<IpAddr>,
) -> ApiResult<LoggedIn> {
    let ip_key = ip.unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if !state.throttle.try_attempt(ip_key) {
        return Err(ApiError::RateLimited);
    }
    let username = normalize_username(credentials.username);
    if username.chars().count() > MAX_USERNAME {
        return Err(ApiError::field(
            "username",
            format!("用户名最多 {MAX_USERNAME} 个字符"),
        ));
    }
    let db = state.db;
    let auth = state.config;
    let actor = Actor {
        id: None,
        name: Some(username.clone()),
        ip,
    };
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(db)
        .await?
        .filter(|u| u.active);
    let org = match &found {
        Some(user) => org::Entity::find_by_id(user.org_id).one(db).await?,
        None => None,
    };
    let actor = Actor {
        id: found.as_ref().map(|u| u.id),
        ..actor
    };
    let audit_failure = |reason: &'static str| {
        let (actor, found, org) = (&actor, found.as_ref(), org.as_ref());
        async move { audit::record(db, actor, failed_entry(found, org, reason)).await }
    };

    let attempt = match lockout::claim(db, &username, auth).await? {
        Claim::Locked(until) => {
            audit_failure("locked").await?;
            return Err(ApiError::Locked { until });
        }
        Claim::Attempt(n) => n,
    };
    let name = username.as_str();
    let failure = |reason: &'static str, answer: ApiError| async move {
        let locked = lockout::failed(db, name, attempt, auth).await?;
        audit_failure(if locked.is_some() {
            "locked_now"
        } else {
            reason
        })
        .await?;
        Err::<LoggedIn, _>(match locked {
            Some(until) => ApiError::Locked { until },
            None => answer,
        })
    };

    // Unknown and deactivated names cost a hash too, and count towards a lock.
    let Some(user) = found.clone() else {
        state.hasher.verify_dummy(credentials.password).await?;
        return failure("unknown_user", BAD_CREDENTIALS).await;
    };
    let verified = state
        .hasher
        .verify(credentials.password, &user.password_hash)
        .await?;
    if verified == Verified::No {
        return failure("wrong_password", BAD_CREDENTIALS).await;
    }
    let mut recovery_codes = Vec::new();
    if second_factor::required(&user, auth) {
        match second_factor::check(db, &user, credentials.code).await {
            Ok(Checked::Passed {
                recovery_codes: new,
            }) => recovery_codes = new,
            Ok(Checked::Wrong) => return failure("wrong_second_factor", BAD_SECOND_FACTOR).await,
            // Asked for the second factor: the attempt stays counted until one passes.
            Err(asked) => return Err(asked),
        }
    }

    lockout::succeeded(db, &username).await?;
    // Re-read: enrolling just now changed the row. Outside the transaction: on SQLite a
    // transaction that reads first and writes later fails at once ("locked", not
    // waited for) when another connection wrote in between.
    let user = user::Entity::find_by_id(user.id)
        .one(db)
        .await?
        .ok_or(BAD_CREDENTIALS)?;
    let txn = db.begin().await?;
    let user = match verified {
        Verified::YesRehash(hash) => {
            let mut active = user.into_active_model();
            active.password_hash = Set(hash);
            active.update(&txn).await?
        }
        _ => user,
    };
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
            after: Some(json!({
                "expiresAt": session.expires_at,
                "secondFactor": second_factor::required(&user, auth),
                "enrolledNow": !recovery_codes.is_empty(),
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(LoggedIn {
        token,
        session,
        user,
        recovery_codes,
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
