//! Server-side sessions: idle timeout, absolute lifetime, revocation.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, Set,
};
use touming_domain::Role;
use touming_store::entity::{org, session, user};

use super::token::{new_token, token_hash};
use crate::audit::Actor;
use crate::config::AuthConfig;
use crate::error::{ApiError, ApiResult};

/// The signed-in caller of a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: user::Model,
    pub org: org::Model,
    pub roles: Vec<Role>,
    pub session_id: i64,
    pub ip: Option<IpAddr>,
}

impl Viewer {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            id: Some(self.user.id),
            name: Some(self.user.username.clone()),
            ip: self.ip,
        }
    }
}

/// Touching `last_seen_at` on every request would make every read a write; a minute's
/// slack on a 30-minute idle timeout is invisible to users.
const TOUCH_AFTER: Duration = Duration::seconds(60);

pub struct Started {
    pub token: String,
    pub session: session::Model,
}

pub async fn start(
    conn: &impl ConnectionTrait,
    user_id: i64,
    ip: Option<IpAddr>,
    config: &AuthConfig,
) -> ApiResult<Started> {
    let token = new_token();
    let now = Utc::now();
    let session = session::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::hours(config.session_absolute_hours)),
        revoked_at: Set(None),
        ip: Set(ip.map(|ip| ip.to_string())),
    }
    .insert(conn)
    .await?;
    Ok(Started { token, session })
}

const ENDED: ApiError = ApiError::Unauthenticated("会话已失效，请重新登录");

/// The viewer behind a token, or `UNAUTHENTICATED` if the session is unknown, revoked,
/// idle too long or past its absolute lifetime, or its user was deactivated. The call
/// counts as activity (it postpones the idle timeout).
pub async fn resolve(
    db: &DatabaseConnection,
    token: &str,
    ip: Option<IpAddr>,
    config: &AuthConfig,
) -> ApiResult<Viewer> {
    let now = Utc::now();
    let (session, user) = live(db, token, config, now).await?;
    let org = org::Entity::find_by_id(user.org_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("user {} has no org", user.id)))?;
    if now - session.last_seen_at > TOUCH_AFTER {
        touch(db, session.id, now).await?;
    }
    Ok(Viewer {
        roles: user.roles(),
        user,
        org,
        session_id: session.id,
        ip,
    })
}

/// `Ok` while the session behind `token` is live, without counting as activity: an
/// open socket receiving figures is not a user at work.
pub async fn check_live(
    db: &DatabaseConnection,
    token: &str,
    config: &AuthConfig,
) -> ApiResult<()> {
    live(db, token, config, Utc::now()).await.map(|_| ())
}

async fn live(
    db: &DatabaseConnection,
    token: &str,
    config: &AuthConfig,
    now: DateTime<Utc>,
) -> ApiResult<(session::Model, user::Model)> {
    let Some(session) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
    else {
        return Err(ENDED);
    };
    if session.revoked_at.is_some()
        || session.expires_at <= now
        || session.last_seen_at + Duration::minutes(config.session_idle_minutes) <= now
    {
        return Err(ENDED);
    }
    match user::Entity::find_by_id(session.user_id).one(db).await? {
        Some(user) if user.active => Ok((session, user)),
        _ => Err(ENDED),
    }
}

async fn touch(db: &DatabaseConnection, session_id: i64, now: DateTime<Utc>) -> ApiResult<()> {
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .filter(session::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn revoke(conn: &impl ConnectionTrait, session_id: i64) -> ApiResult<()> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user (on a password change).
pub async fn revoke_all(conn: &impl ConnectionTrait, user_id: i64) -> ApiResult<u64> {
    let result = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}
