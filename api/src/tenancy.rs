//! The tenancy guard: the one module through which every tenant-owned read and write
//! finds its rows. A viewer sees its org and everything below it; an institution user
//! sees only its institution (institutions have nothing below). Anything else answers
//! `NOT_FOUND`, exactly like something that does not exist.
//!
//! Resolvers never build a scope by hand: they ask the guard for a scoped `Select` or a
//! single row.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
    Select,
};
use touming_domain::{OrgKind, Role};
use touming_store::entity::{
    assignment, audit_event, catalogue, catalogue_version, notification, org, rectification, round,
    user,
};
use touming_store::stored;

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

    /// The platform operator: an ADMIN of the platform org.
    pub fn is_operator(&self) -> bool {
        self.viewer.org.kind() == OrgKind::Platform && self.viewer.has_role(Role::Admin)
    }

    pub fn require_operator(&self) -> ApiResult<()> {
        if self.is_operator() {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// Publishing catalogues is for a province's ADMIN (for its province) or the operator.
    pub fn require_catalogue_manager(&self) -> ApiResult<()> {
        let kind = self.viewer.org.kind();
        if self.viewer.has_role(Role::Admin)
            && matches!(kind, OrgKind::Province | OrgKind::Platform)
        {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The top of the viewer's tree: its province (or the platform org).
    pub fn province_id(&self) -> i64 {
        self.viewer
            .org
            .org_path()
            .ids()
            .first()
            .copied()
            .unwrap_or(self.viewer.org.id)
    }

    /// Catalogues the viewer may read: its province's and the platform's built-in ones.
    pub fn catalogues(&self) -> Select<catalogue::Entity> {
        let platform = Query::select()
            .column(org::Column::Id)
            .from(org::Entity)
            .and_where(Expr::col(org::Column::Kind).eq(stored(OrgKind::Platform)))
            .to_owned();
        catalogue::Entity::find().filter(
            Condition::any()
                .add(catalogue::Column::OwnerOrgId.eq(self.province_id()))
                .add(catalogue::Column::OwnerOrgId.in_subquery(platform)),
        )
    }

    pub async fn catalogue(
        &self,
        db: &impl ConnectionTrait,
        id: i64,
    ) -> ApiResult<catalogue::Model> {
        self.catalogues()
            .filter(catalogue::Column::Id.eq(id))
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("目录"))
    }

    /// A catalogue version and its catalogue, if the viewer may read the catalogue. The
    /// lookup is scoped first: a version outside the viewer's reach costs exactly what a
    /// nonexistent id costs (no existence oracle in timing or in the statement count).
    pub async fn catalogue_version(
        &self,
        db: &impl ConnectionTrait,
        id: i64,
    ) -> ApiResult<(catalogue::Model, catalogue_version::Model)> {
        let readable = self
            .catalogues()
            .select_only()
            .column(catalogue::Column::Id)
            .into_query();
        let version = catalogue_version::Entity::find_by_id(id)
            .filter(catalogue_version::Column::CatalogueId.in_subquery(readable))
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("目录版本"))?;
        let catalogue = self
            .catalogue(db, version.catalogue_id)
            .await
            .map_err(|_| ApiError::NotFound("目录版本"))?;
        Ok((catalogue, version))
    }

    /// Rounds the viewer may see: its province's.
    pub fn rounds(&self) -> Select<round::Entity> {
        round::Entity::find().filter(round::Column::OwnerOrgId.eq(self.province_id()))
    }

    pub async fn round(&self, db: &impl ConnectionTrait, id: i64) -> ApiResult<round::Model> {
        self.rounds()
            .filter(round::Column::Id.eq(id))
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("考核轮次"))
    }

    /// Notifications addressed to the viewer's own org.
    pub fn notifications(&self) -> Select<notification::Entity> {
        notification::Entity::find().filter(notification::Column::OrgId.eq(self.viewer.org.id))
    }

    /// Checklists of orgs the viewer may see.
    pub fn assignments(&self) -> Select<assignment::Entity> {
        assignment::Entity::find()
            .filter(assignment::Column::OrgId.in_subquery(self.org_ids_in_scope()))
    }

    /// A checklist and its org, if the viewer may see them.
    pub async fn assignment(
        &self,
        db: &impl ConnectionTrait,
        id: i64,
    ) -> ApiResult<(assignment::Model, org::Model)> {
        let assignment = self
            .assignments()
            .filter(assignment::Column::Id.eq(id))
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("填报表"))?;
        let org = self.org(db, assignment.org_id).await?;
        Ok((assignment, org))
    }

    /// Fill in: a FILLER (or ADMIN) of the checklist's own org.
    pub fn require_filler_of(&self, org: &org::Model) -> ApiResult<()> {
        if self.is_filler_of(org.id) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// A FILLER (or ADMIN) of org `org_id` itself.
    pub fn is_filler_of(&self, org_id: i64) -> bool {
        let v = self.viewer;
        v.org.id == org_id && (v.has_role(Role::Filler) || v.has_role(Role::Admin))
    }

    /// Review: a REVIEWER (or ADMIN) of the org's parent region; a province reviews its
    /// own checklist.
    pub fn is_reviewer_of(&self, org: &org::Model) -> bool {
        let v = self.viewer;
        let reviews = v.has_role(Role::Reviewer) || v.has_role(Role::Admin);
        reviews
            && org
                .parent_id
                .map_or(v.org.id == org.id, |parent| parent == v.org.id)
    }

    /// The self-check step: a REVIEWER (or ADMIN) of the checklist's own org.
    pub fn is_self_checker_of(&self, org: &org::Model) -> bool {
        let v = self.viewer;
        v.org.id == org.id && (v.has_role(Role::Reviewer) || v.has_role(Role::Admin))
    }

    /// A REVIEWER or ADMIN of the round's province (who alone reopens after the deadline).
    pub fn is_province_reviewer(&self, round: &round::Model) -> bool {
        let v = self.viewer;
        v.org.id == round.owner_org_id && (v.has_role(Role::Reviewer) || v.has_role(Role::Admin))
    }

    fn org_ids_in_scope(&self) -> sea_orm::sea_query::SelectStatement {
        let (lo, hi) = self.range();
        Query::select()
            .column(org::Column::Id)
            .from(org::Entity)
            .and_where(Expr::col(org::Column::Path).gte(lo))
            .and_where(Expr::col(org::Column::Path).lt(hi))
            .to_owned()
    }

    fn range(&self) -> (String, String) {
        self.viewer.org.org_path().subtree_range()
    }

    /// `column` holds an org path inside the viewer's subtree.
    fn path_in_scope(&self, column: impl ColumnTrait) -> Condition {
        let (lo, hi) = self.range();
        Condition::all().add(column.gte(lo)).add(column.lt(hi))
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
        user::Entity::find().filter(user::Column::OrgId.in_subquery(self.org_ids_in_scope()))
    }

    pub async fn user(&self, db: &impl ConnectionTrait, id: i64) -> ApiResult<user::Model> {
        self.users()
            .filter(user::Column::Id.eq(id))
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("用户"))
    }

    /// Rectification entries of orgs the viewer may see.
    pub fn rectifications(&self) -> Select<rectification::Entity> {
        rectification::Entity::find().filter(self.path_in_scope(rectification::Column::OwnerPath))
    }

    pub async fn rectification(
        &self,
        db: &impl ConnectionTrait,
        id: i64,
    ) -> ApiResult<rectification::Model> {
        self.rectifications()
            .filter(rectification::Column::Id.eq(id))
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("整改事项"))
    }

    /// Verify or reopen a rectification: a REVIEWER (or ADMIN) of any region above the
    /// owner.
    pub fn is_superior_of(&self, owner_path: &str) -> bool {
        let v = self.viewer;
        (v.has_role(Role::Reviewer) || v.has_role(Role::Admin))
            && owner_path != v.org.path
            && owner_path.starts_with(&v.org.path)
    }

    /// Audit events about orgs the viewer may see.
    pub fn audit_events(&self) -> Select<audit_event::Entity> {
        audit_event::Entity::find().filter(self.path_in_scope(audit_event::Column::OrgPath))
    }
}
