//! The org tree: reading it and adding to it.

use async_graphql::{Context, ID, InputObject, Object};
use sea_orm::{ColumnTrait, Condition, QueryFilter};
use touming_domain::Role as DomainRole;
use touming_store::entity::org;
use touming_store::stored;

use super::context::ContextExt;
use super::page::{Order, Page, PageArgs, list_complexity, page};
use super::search;
use super::types::{Org, OrgKind};
use crate::graphql::scalars::parse_id;
use crate::orgs::{self, NewOrg};
use async_graphql::Result;

#[derive(Default)]
pub struct OrgQuery;

#[Object]
impl OrgQuery {
    /// One org of the caller's subtree; anything else is `NOT_FOUND`.
    async fn org(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Org>> {
        let guard = ctx.guard()?;
        let org = guard.org(&ctx.state().db, parse_id(&id, "机构")?).await?;
        Ok(Some(Org(org)))
    }

    /// Orgs of the caller's subtree, filtered.
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn orgs(
        &self,
        ctx: &Context<'_>,
        parent_id: Option<ID>,
        kind: Option<OrgKind>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Org>> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let mut select = guard.orgs();
        if let Some(parent_id) = parent_id {
            let parent = guard.org(db, parse_id(&parent_id, "机构")?).await?;
            select = select.filter(org::Column::ParentId.eq(parent.id));
        }
        if let Some(kind) = kind {
            select =
                select.filter(org::Column::Kind.eq(stored(touming_domain::OrgKind::from(kind))));
        }
        if let Some(search) = search::term(search)? {
            select = select.filter(
                Condition::any()
                    .add(search::contains(org::Column::Name, &search))
                    .add(search::starts_with(
                        org::Column::Code,
                        &search.to_uppercase(),
                    )),
            );
        }
        Ok(page(
            db,
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

#[derive(InputObject)]
pub struct CreateOrgInput {
    /// The org it belongs under; must be in the caller's subtree.
    pub parent_id: ID,
    pub kind: OrgKind,
    /// Division code for bureaus (6 digits), credit code for institutions (18 characters).
    pub code: String,
    pub name: String,
}

#[derive(Default)]
pub struct OrgMutation;

#[Object]
impl OrgMutation {
    /// Adds an org under one of the caller's subtree (ADMIN).
    async fn create_org(&self, ctx: &Context<'_>, input: CreateOrgInput) -> Result<Org> {
        let guard = ctx.guard()?;
        guard.require(DomainRole::Admin)?;
        let db = &ctx.state().db;
        let parent = guard
            .org(db, parse_id(&input.parent_id, "上级机构")?)
            .await?;
        let new = NewOrg {
            kind: input.kind.into(),
            code: input.code,
            name: input.name,
        };
        let created = orgs::create(db, &guard.viewer().actor(), Some(&parent), new).await?;
        Ok(Org(created))
    }
}
