//! GraphQL object types over the persisted model.

use async_graphql::{ComplexObject, Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
use touming_store::entity::{audit_event, org, user};

use super::context::ContextExt;
use super::page::{Order, Page, PageArgs, list_complexity, page};
use async_graphql::Result;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "touming_domain::OrgKind")]
pub enum OrgKind {
    Platform,
    Province,
    City,
    County,
    Institution,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "touming_domain::Role")]
pub enum Role {
    Admin,
    Filler,
    Reviewer,
    Viewer,
}

/// An organisation: a health bureau of a province, city or county, or an institution.
pub struct Org(pub org::Model);

#[Object]
impl Org {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn kind(&self) -> OrgKind {
        self.0.kind().into()
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// GB/T 2260 division code (bureaus) or unified social credit code (institutions).
    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn depth(&self) -> i32 {
        self.0.depth
    }

    /// The parent, when the viewer may see it.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Org>> {
        let Some(parent_id) = self.0.parent_id else {
            return Ok(None);
        };
        ctx.guard()?;
        let parent = ctx
            .loaders()
            .load_one(super::batch::OrgOf(parent_id))
            .await?;
        Ok(parent.map(Org))
    }

    /// From the top of the viewer's view down to this org (for breadcrumbs).
    async fn path(&self, ctx: &Context<'_>) -> Result<Vec<Org>> {
        let guard = ctx.guard()?;
        let ids = self.0.org_path().ids();
        let rows = guard
            .orgs()
            .filter(org::Column::Id.is_in(ids))
            .order_by_asc(org::Column::Depth)
            .all(&ctx.state().db)
            .await?;
        Ok(rows.into_iter().map(Org).collect())
    }

    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Org>> {
        let guard = ctx.guard()?;
        let select = guard.orgs().filter(org::Column::ParentId.eq(self.0.id));
        Ok(page(
            &ctx.state().db,
            select,
            org::Column::Id,
            Order::Ascending,
            PageArgs { first, after },
            |o| o.id,
            |o| Ok(Org(o)),
        )
        .await?)
    }
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct User {
    pub id: ID,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// False once an ADMIN deactivated the account.
    pub active: bool,
    /// An authenticator is enrolled as the second factor.
    pub second_factor: bool,
    #[graphql(skip)]
    pub org_id: i64,
}

impl From<user::Model> for User {
    fn from(u: user::Model) -> Self {
        Self {
            id: ID(u.id.to_string()),
            roles: u.roles().into_iter().map(Role::from).collect(),
            active: u.active,
            second_factor: u.totp_secret.is_some(),
            username: u.username,
            display_name: u.display_name,
            org_id: u.org_id,
        }
    }
}

#[ComplexObject]
impl User {
    async fn org(&self, ctx: &Context<'_>) -> Result<Org> {
        Ok(Org(super::batch::org(ctx.loaders(), self.org_id).await?))
    }
}

/// The signed-in caller.
#[derive(SimpleObject)]
pub struct Viewer {
    pub user: User,
    pub org: Org,
    pub roles: Vec<Role>,
}

#[derive(SimpleObject)]
pub struct Session {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
    /// Non-empty once: when this sign-in completed the enrolment of a second factor.
    /// Each stands in for the authenticator one time; they are not shown again.
    pub recovery_codes: Vec<String>,
}

/// One line of the audit trail.
pub struct AuditEvent(pub audit_event::Model);

#[Object]
impl AuditEvent {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    async fn actor_id(&self) -> Option<ID> {
        self.0.actor_id.map(|id| ID(id.to_string()))
    }
    /// The username at the time (or the name tried, for a failed login).
    async fn actor_name(&self) -> Option<&str> {
        self.0.actor_name.as_deref()
    }
    async fn org_id(&self) -> Option<ID> {
        self.0.org_id.map(|id| ID(id.to_string()))
    }
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn entity(&self) -> &str {
        &self.0.entity
    }
    async fn entity_id(&self) -> Option<&str> {
        self.0.entity_id.as_deref()
    }
    /// JSON of the entity before the change.
    async fn before(&self) -> Option<&str> {
        self.0.before.as_deref()
    }
    /// JSON of the entity after the change.
    async fn after(&self) -> Option<&str> {
        self.0.after.as_deref()
    }
    async fn ip(&self) -> Option<&str> {
        self.0.ip.as_deref()
    }
}
