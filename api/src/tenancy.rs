//! The tenancy guard: the one module through which every tenant-owned read and write
//! finds its rows. A viewer sees its org and everything below it; an institution user
//! sees only its institution (institutions have nothing below). Anything else answers
//! `NOT_FOUND`, exactly like something that does not exist.
//!
//! Resolvers never build a scope by hand: they ask the guard for a scoped `Select` or a
//! single row.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select};
use touming_domain::{OrgPath, Role};
use touming_worker::entity::{audit_event, org, user};

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};

pub struct Guard<'a> {
    viewer: &'a Viewer,
}

impl<'a> Guard<'a> {
    pub fn new(viewer: &'a Viewer) -> Self {
        Self { viewer }
    }

    pub fn viewer(&self) -> &'a Viewer {
        self.viewer
    }

    /// `FORBIDDEN` unless the viewer holds `role`.
    pub fn require(&self, role: Role) -> ApiResult<()> {
        if self.viewer.has_role(role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    fn range(&self) -> (String, String) {
        self.viewer.org.org_path().subtree_range()
    }

    /// `column` holds an org path inside the viewer's subtree.
    fn path_in_scope(&self, column: impl ColumnTrait) -> Condition {
        let (lo, hi) = self.range();
        Condition::all().add(column.gte(lo)).add(column.lt(hi))
    }

    pub fn contains(&self, org: &org::Model) -> bool {
        self.viewer
            .org
            .org_path()
            .contains(&OrgPath::from_stored(org.path.clone()))
    }

    /// Orgs the viewer may see.
    pub fn orgs(&self) -> Select<org::Entity> {
        org::Entity::find().filter(self.path_in_scope(org::Column::Path))
    }

    /// One org by id, if the viewer may see it.
    pub async fn org(&self, db: &impl ConnectionTrait, id: i64) -> ApiResult<org::Model> {
        self.orgs()
            .filter(org::Column::Id.eq(id))
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("机构"))
    }

    /// Users of orgs the viewer may see.
    pub fn users(&self) -> Select<user::Entity> {
        let (lo, hi) = self.range();
        let orgs_in_scope = Query::select()
            .column(org::Column::Id)
            .from(org::Entity)
            .and_where(Expr::col(org::Column::Path).gte(lo))
            .and_where(Expr::col(org::Column::Path).lt(hi))
            .to_owned();
        user::Entity::find().filter(user::Column::OrgId.in_subquery(orgs_in_scope))
    }

    pub async fn user(&self, db: &impl ConnectionTrait, id: i64) -> ApiResult<user::Model> {
        self.users()
            .filter(user::Column::Id.eq(id))
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("用户"))
    }

    /// Audit events about orgs the viewer may see.
    pub fn audit_events(&self) -> Select<audit_event::Entity> {
        audit_event::Entity::find().filter(self.path_in_scope(audit_event::Column::OrgPath))
    }
}

/// GraphQL ids are decimal row ids; anything else cannot exist.
pub fn parse_id(id: &async_graphql::ID, what: &'static str) -> ApiResult<i64> {
    id.parse::<i64>().map_err(|_| ApiError::NotFound(what))
}
