//! Signing in and out, the caller, users, the audit log.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, QueryFilter};
use serde_json::json;
use touming_domain::Role as DomainRole;
use touming_store::entity::{audit_event, user};

use super::context::ContextExt;
use super::page::{Order, Page, PageArgs, list_complexity, page};
use super::search;
use super::types::{AuditEvent, Org, Role, Session, User, Viewer};
use crate::audit::{self, Entry};
use crate::auth::{login, session};
use async_graphql::Result;

use crate::error::ApiResult;
use crate::graphql::scalars::parse_id;
use crate::users::{self, AccountAction, NewUser};

#[derive(Default)]
pub struct IdentityQuery;

#[Object]
impl IdentityQuery {
    /// The signed-in user, its org and its roles.
    async fn me(&self, ctx: &Context<'_>) -> Result<Viewer> {
        let viewer = ctx.viewer()?;
        Ok(Viewer {
            user: viewer.user.clone().into(),
            org: Org(viewer.org.clone()),
            roles: viewer.roles.iter().copied().map(Role::from).collect(),
        })
    }

    /// Users of the viewer's subtree (ADMIN), optionally of one org.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        org_id: Option<ID>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<User>> {
        let guard = ctx.guard()?;
        guard.require(DomainRole::Admin)?;
        let db = &ctx.state().db;
        let mut select = guard.users();
        if let Some(org_id) = org_id {
            let org = guard.org(db, parse_id(&org_id, "机构")?).await?;
            select = select.filter(user::Column::OrgId.eq(org.id));
        }
        if let Some(search) = search::term(search)? {
            select = select.filter(
                Condition::any()
                    .add(search::contains(
                        user::Column::Username,
                        &search.to_lowercase(),
                    ))
                    .add(search::contains(user::Column::DisplayName, &search)),
            );
        }
        Ok(page(
            db,
            select,
            user::Column::Id,
            Order::Ascending,
            PageArgs { first, after },
            |u| u.id,
            |u| Ok(User::from(u)),
        )
        .await?)
    }

    /// The audit trail of the viewer's subtree, newest first (ADMIN).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        org_id: Option<ID>,
        actor_id: Option<ID>,
        entity: Option<String>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<AuditEvent>> {
        let guard = ctx.guard()?;
        guard.require(DomainRole::Admin)?;
        let db = &ctx.state().db;
        let mut select = guard.audit_events();
        if let Some(org_id) = org_id {
            let org = guard.org(db, parse_id(&org_id, "机构")?).await?;
            select = select.filter(audit_event::Column::OrgId.eq(org.id));
        }
        if let Some(actor_id) = actor_id {
            let actor = guard.user(db, parse_id(&actor_id, "用户")?).await?;
            select = select.filter(audit_event::Column::ActorId.eq(actor.id));
        }
        if let Some(entity) = entity {
            select = select.filter(audit_event::Column::Entity.eq(entity));
        }
        if let Some(from) = from {
            select = select.filter(audit_event::Column::At.gte(from));
        }
        if let Some(to) = to {
            select = select.filter(audit_event::Column::At.lt(to));
        }
        Ok(page(
            db,
            select,
            audit_event::Column::Id,
            Order::Descending,
            PageArgs { first, after },
            |e| e.id,
            |e| Ok(AuditEvent(e)),
        )
        .await?)
    }
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub org_id: ID,
    /// 3–64 characters: lower-case letters, digits, `.`, `_`, `@`, `-`.
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// At least 10 characters, 3 of 4 character classes, not containing the username.
    pub password: String,
}

#[derive(Default)]
pub struct IdentityMutation;

#[Object]
impl IdentityMutation {
    /// Returns a bearer token for API clients (browsers use `POST /auth/login`).
    /// Those who need a second factor add `code`: see `SECOND_FACTOR_REQUIRED` and
    /// `SECOND_FACTOR_ENROLMENT`.
    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        password: String,
        code: Option<String>,
    ) -> Result<Session> {
        let logged_in = login::login(
            ctx.state().authenticator(),
            login::Credentials {
                username: &username,
                password: &password,
                code: code.as_deref(),
            },
            ctx.request().ip,
        )
        .await?;
        Ok(Session {
            token: logged_in.token,
            expires_at: logged_in.session.expires_at,
            user: logged_in.user.into(),
            recovery_codes: logged_in.recovery_codes,
        })
    }

    /// Ends the current session.
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        let viewer = ctx.viewer()?;
        logout(ctx.state(), viewer).await?;
        Ok(true)
    }

    /// Changes the caller's password; every session of the caller ends, this one too.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        old_password: String,
        new_password: String,
    ) -> Result<bool> {
        let viewer = ctx.viewer()?;
        users::change_password(ctx.state(), viewer, &old_password, &new_password).await?;
        Ok(true)
    }

    /// Creates a user in an org of the caller's subtree (ADMIN).
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<User> {
        let guard = ctx.guard()?;
        guard.require(DomainRole::Admin)?;
        let state = ctx.state();
        let org = guard
            .org(&state.db, parse_id(&input.org_id, "机构")?)
            .await?;
        let new = NewUser {
            username: input.username,
            display_name: input.display_name,
            roles: input.roles.into_iter().map(DomainRole::from).collect(),
            password: input.password,
        };
        let created = users::create(state, &guard.viewer().actor(), &org, new).await?;
        Ok(created.into())
    }
}

#[derive(Default)]
pub struct AccountMutation;

/// Looking after the accounts of the caller's subtree (ADMIN), each audited.
#[Object]
impl AccountMutation {
    /// Switches an account off: every session and socket of it ends at once, and its
    /// sign-in is answered as a wrong password would be.
    async fn deactivate_user(&self, ctx: &Context<'_>, id: ID) -> Result<User> {
        administer(ctx, &id, AccountAction::Deactivate).await
    }

    async fn reactivate_user(&self, ctx: &Context<'_>, id: ID) -> Result<User> {
        administer(ctx, &id, AccountAction::Reactivate).await
    }

    /// Lifts the sign-in lock after too many failures.
    async fn unlock_user(&self, ctx: &Context<'_>, id: ID) -> Result<User> {
        administer(ctx, &id, AccountAction::Unlock).await
    }

    /// Removes the user's second factor (a lost phone); they enrol again at sign-in.
    async fn reset_second_factor(&self, ctx: &Context<'_>, id: ID) -> Result<User> {
        administer(ctx, &id, AccountAction::ResetSecondFactor).await
    }

    /// Sets a new password for the user (who forgot theirs): every session of the user
    /// ends and any sign-in lock is lifted. The password rules apply.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        id: ID,
        new_password: String,
    ) -> Result<User> {
        let guard = ctx.guard()?;
        guard.require(DomainRole::Admin)?;
        let state = ctx.state();
        let target = guard.user(&state.db, parse_id(&id, "用户")?).await?;
        let updated = users::reset_password(state, guard.viewer(), target, &new_password).await?;
        Ok(updated.into())
    }
}

async fn administer(ctx: &Context<'_>, id: &ID, action: AccountAction) -> Result<User> {
    let guard = ctx.guard()?;
    guard.require(DomainRole::Admin)?;
    let state = ctx.state();
    let target = guard.user(&state.db, parse_id(id, "用户")?).await?;
    let updated = users::administer(state, guard.viewer(), target, action).await?;
    Ok(updated.into())
}

/// Revokes the viewer's session and records it; shared by GraphQL and `POST /auth/logout`.
pub async fn logout(state: &crate::state::AppState, viewer: &crate::auth::Viewer) -> ApiResult<()> {
    use sea_orm::TransactionTrait;
    let txn = state.db.begin().await?;
    session::revoke(&txn, viewer.session_id).await?;
    audit::record(
        &txn,
        &viewer.actor(),
        Entry {
            action: "logout",
            entity: "session",
            entity_id: Some(viewer.session_id),
            org: Some(&viewer.org),
            before: None,
            after: Some(json!({ "revoked": true })),
        },
    )
    .await?;
    txn.commit().await?;
    // Sockets of this session on this replica notice at once (others within a recheck).
    let _ = state.revocations.send(viewer.user.id);
    Ok(())
}
