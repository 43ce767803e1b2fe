//! Creating users and changing passwords.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, NotSet, QueryFilter, Set, SqlErr,
    TransactionTrait,
};
use serde_json::json;
use touming_domain::{Role, check_password};
use touming_store::entity::{org, user};

use crate::audit::{self, Actor, Entry};
use crate::auth::Viewer;
use crate::auth::lockout::{self, Claim};
use crate::auth::login::normalize_username;
use crate::auth::password::Verified;
use crate::auth::session;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::state::AppState;

pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub password: String,
}

fn valid_username(name: &str) -> bool {
    (3..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._@-".contains(&b))
}

/// The user as the audit log shows it: never the hash.
fn audit_view(user: &user::Model) -> serde_json::Value {
    json!({
        "id": user.id,
        "orgId": user.org_id,
        "username": user.username,
        "displayName": user.display_name,
        "roles": user.roles,
        "active": user.active,
    })
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    org: &org::Model,
    new: NewUser,
) -> ApiResult<user::Model> {
    let username = normalize_username(&new.username);
    let display_name = new.display_name.trim().to_owned();
    let mut problems = Vec::new();
    if !valid_username(&username) {
        problems.push(FieldError::new(
            "username",
            "用户名为 3–64 位小写字母、数字或 . _ @ -",
        ));
    }
    if display_name.is_empty() || display_name.chars().count() > 50 {
        problems.push(FieldError::new(
            "displayName",
            "姓名不能为空，且不超过 50 个字符",
        ));
    }
    if new.roles.is_empty() {
        problems.push(FieldError::new("roles", "至少需要一个角色"));
    }
    if let Err(e) = check_password(&new.password, &username) {
        problems.push(FieldError::new("password", e.to_string()));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let taken = || ApiError::field("username", format!("用户名 {username} 已存在"));
    if user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(&state.db)
        .await?
        .is_some()
    {
        return Err(taken());
    }
    let hash = state.hasher.hash(&new.password).await?;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let created = user::ActiveModel {
        id: NotSet,
        org_id: Set(org.id),
        username: Set(username.clone()),
        display_name: Set(display_name),
        roles: Set(Role::format_list(&new.roles)),
        password_hash: Set(hash),
        active: Set(true),
        password_changed_at: Set(now),
        created_at: Set(now),
        totp_secret: Set(None),
        totp_pending_secret: Set(None),
        totp_enrolled_at: Set(None),
        totp_last_step: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => taken(),
        _ => e.into(),
    })?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "user.create",
            entity: "user",
            entity_id: Some(created.id),
            org: Some(org),
            before: None,
            after: Some(audit_view(&created)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Changes the viewer's password and ends all of its sessions, this one included. A
/// wrong `oldPassword` is a guess like a wrong login: throttled per address and counted
/// towards the lock on the name.
pub async fn change_password(
    state: &AppState,
    viewer: &Viewer,
    old: &str,
    new: &str,
) -> ApiResult<()> {
    if !state
        .throttle
        .try_attempt(viewer.ip.unwrap_or(std::net::IpAddr::from([0, 0, 0, 0])))
    {
        return Err(ApiError::RateLimited);
    }
    let auth = &state.config.auth;
    let name = viewer.user.username.as_str();
    let attempt = match lockout::claim(&state.db, name, auth).await? {
        Claim::Locked(until) => return Err(ApiError::Locked { until }),
        Claim::Attempt(n) => n,
    };
    if state.hasher.verify(old, &viewer.user.password_hash).await? == Verified::No {
        let locked = lockout::failed(&state.db, name, attempt, auth).await?;
        audit::record(
            &state.db,
            &viewer.actor(),
            Entry {
                action: "user.change_password_failed",
                entity: "user",
                entity_id: Some(viewer.user.id),
                org: Some(&viewer.org),
                before: None,
                after: Some(json!({ "reason": "wrong_password", "locked": locked.is_some() })),
            },
        )
        .await?;
        return Err(match locked {
            Some(until) => ApiError::Locked { until },
            None => ApiError::field("oldPassword", "原密码不正确"),
        });
    }
    lockout::succeeded(&state.db, name).await?;
    if old == new {
        return Err(ApiError::field("newPassword", "新密码不能与原密码相同"));
    }
    check_password(new, &viewer.user.username)
        .map_err(|e| ApiError::field("newPassword", e.to_string()))?;
    let hash = state.hasher.hash(new).await?;
    let txn = state.db.begin().await?;
    let mut active = viewer.user.clone().into_active_model();
    active.password_hash = Set(hash);
    active.password_changed_at = Set(Utc::now());
    active.update(&txn).await?;
    let revoked = session::revoke_all(&txn, viewer.user.id).await?;
    audit::record(
        &txn,
        &viewer.actor(),
        Entry {
            action: "user.change_password",
            entity: "user",
            entity_id: Some(viewer.user.id),
            org: Some(&viewer.org),
            before: None,
            after: Some(json!({ "sessionsRevoked": revoked })),
        },
    )
    .await?;
    txn.commit().await?;
    let _ = state.revocations.send(viewer.user.id);
    Ok(())
}

/// What an ADMIN can do to an account of its subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction {
    /// Switched off: every session ends at once and sign-in answers as a wrong password.
    Deactivate,
    Reactivate,
    /// Lifts a sign-in lock on the name.
    Unlock,
    /// Removes the second factor; the user enrols again at the next sign-in.
    ResetSecondFactor,
}

impl AccountAction {
    fn audit_action(self) -> &'static str {
        match self {
            AccountAction::Deactivate => "user.deactivate",
            AccountAction::Reactivate => "user.reactivate",
            AccountAction::Unlock => "user.unlock",
            AccountAction::ResetSecondFactor => "user.reset_second_factor",
        }
    }
}

/// Applies `action` to `target` (already scoped by the tenancy guard) and audits it.
pub async fn administer(
    state: &AppState,
    admin: &Viewer,
    target: user::Model,
    action: AccountAction,
) -> ApiResult<user::Model> {
    if target.id == admin.user.id && action == AccountAction::Deactivate {
        return Err(ApiError::field("id", "不能停用自己的账号"));
    }
    let org = org::Entity::find_by_id(target.org_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("user {} has no org", target.id)))?;
    let before = audit_view(&target);
    let txn = state.db.begin().await?;
    let mut revoked = 0;
    let updated = match action {
        AccountAction::Deactivate | AccountAction::Reactivate => {
            let mut active = target.clone().into_active_model();
            active.active = Set(action == AccountAction::Reactivate);
            let updated = active.update(&txn).await?;
            if action == AccountAction::Deactivate {
                revoked = session::revoke_all(&txn, target.id).await?;
            }
            updated
        }
        AccountAction::Unlock => {
            lockout::clear(&txn, &target.username).await?;
            target.clone()
        }
        AccountAction::ResetSecondFactor => {
            crate::auth::second_factor::reset(&txn, target.id).await?;
            user::Entity::find_by_id(target.id)
                .one(&txn)
                .await?
                .ok_or(ApiError::NotFound("用户"))?
        }
    };
    let mut after = audit_view(&updated);
    after["sessionsRevoked"] = json!(revoked);
    audit::record(
        &txn,
        &admin.actor(),
        Entry {
            action: action.audit_action(),
            entity: "user",
            entity_id: Some(target.id),
            org: Some(&org),
            before: Some(before),
            after: Some(after),
        },
    )
    .await?;
    txn.commit().await?;
    if revoked > 0 {
        let _ = state.revocations.send(target.id);
    }
    Ok(updated)
}

/// An ADMIN sets a new password for someone of its subtree (who forgot theirs): the
/// rules apply, every session of the user ends, and any sign-in lock is lifted.
pub async fn reset_password(
    state: &AppState,
    admin: &Viewer,
    target: user::Model,
    new: &str,
) -> ApiResult<user::Model> {
    check_password(new, &target.username)
        .map_err(|e| ApiError::field("newPassword", e.to_string()))?;
    let org = org::Entity::find_by_id(target.org_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("user {} has no org", target.id)))?;
    let hash = state.hasher.hash(new).await?;
    let txn = state.db.begin().await?;
    let mut active = target.clone().into_active_model();
    active.password_hash = Set(hash);
    active.password_changed_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    let revoked = session::revoke_all(&txn, target.id).await?;
    lockout::clear(&txn, &target.username).await?;
    audit::record(
        &txn,
        &admin.actor(),
        Entry {
            action: "user.reset_password",
            entity: "user",
            entity_id: Some(target.id),
            org: Some(&org),
            before: None,
            after: Some(json!({ "sessionsRevoked": revoked })),
        },
    )
    .await?;
    txn.commit().await?;
    let _ = state.revocations.send(target.id);
    Ok(updated)
}
