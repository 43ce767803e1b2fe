//! Fields that lists ask for once per row (an assignment's org, progress, history, open
//! rectifications; an org's parent) are loaded for all rows of a request together, in
//! one statement per kind, through async-graphql's `DataLoader`. One `Batch` per request
//! carries the viewer, so every load still goes through the tenancy guard.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use touming_domain::assessment::RectificationStatus;
use touming_store::entity::{
    answer, assignment_event, catalogue_item, org, rectification, round, round_scope, score,
};
use touming_store::stored;

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::tenancy::Guard;

/// A request's loader: the database and the viewer the guard is built from.
pub struct Batch {
    db: DatabaseConnection,
    viewer: Option<Viewer>,
}

pub type Loaders = DataLoader<Batch>;

/// How long a loader collects keys before it queries. A list's rows ask in one pass of
/// the executor, which on a busy machine can take longer than the library's 1 ms; a
/// batch split in two costs a statement more, a few milliseconds cost nothing a user sees.
const COLLECT_FOR: std::time::Duration = std::time::Duration::from_millis(5);

/// A loader for one request. Its loads run in tasks of their own; they count towards
/// the request's SQL statements all the same.
pub fn loaders(db: DatabaseConnection, viewer: Option<Viewer>) -> Loaders {
    DataLoader::new(Batch { db, viewer }, crate::db::spawn_counted).delay(COLLECT_FOR)
}

impl Batch {
    fn guard(&self) -> Result<Guard<'_>, async_graphql::Error> {
        self.viewer
            .as_ref()
            .map(Guard::new)
            .ok_or_else(|| ApiError::Unauthenticated("请先登录").into())
    }
}

fn failed(e: impl Into<ApiError>) -> async_graphql::Error {
    e.into().into()
}

/// An org the viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrgOf(pub i64);

impl Loader<OrgOf> for Batch {
    type Value = org::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[OrgOf]) -> Result<HashMap<OrgOf, org::Model>, Self::Error> {
        let rows = self
            .guard()?
            .orgs()
            .filter(org::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(failed)?;
        Ok(rows.into_iter().map(|o| (OrgOf(o.id), o)).collect())
    }
}

/// A round the viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoundOf(pub i64);

impl Loader<RoundOf> for Batch {
    type Value = round::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[RoundOf]) -> Result<HashMap<RoundOf, round::Model>, Self::Error> {
        let rows = self
            .guard()?
            .rounds()
            .filter(round::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(failed)?;
        Ok(rows.into_iter().map(|r| (RoundOf(r.id), r)).collect())
    }
}

/// A checklist's transitions, oldest first. The checklist itself was reached through
/// the guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryOf(pub i64);

impl Loader<HistoryOf> for Batch {
    type Value = Vec<assignment_event::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[HistoryOf],
    ) -> Result<HashMap<HistoryOf, Self::Value>, Self::Error> {
        let rows = assignment_event::Entity::find()
            .filter(assignment_event::Column::AssignmentId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(assignment_event::Column::Id)
            .all(&self.db)
            .await
            .map_err(failed)?;
        let mut out: HashMap<HistoryOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            out.entry(HistoryOf(row.assignment_id))
                .or_default()
                .push(row);
        }
        Ok(out)
    }
}

/// A checklist's progress: its id and its catalogue version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProgressOf {
    pub assignment_id: i64,
    pub version_id: i64,
}

/// Answered of applicable items: 不适用 answers leave the applicable items, the rest
/// count as answered.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counted {
    pub answered: usize,
    pub applicable: usize,
}

impl Loader<ProgressOf> for Batch {
    type Value = Counted;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[ProgressOf]) -> Result<HashMap<ProgressOf, Counted>, Self::Error> {
        let items: Vec<(i64, i64)> = catalogue_item::Entity::find()
            .select_only()
            .column(catalogue_item::Column::VersionId)
            .column_as(catalogue_item::Column::Id.count(), "n")
            .filter(catalogue_item::Column::VersionId.is_in(keys.iter().map(|k| k.version_id)))
            .group_by(catalogue_item::Column::VersionId)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(failed)?;
        let items: HashMap<i64, i64> = items.into_iter().collect();
        // Per checklist: answers, and how many of them are 不适用.
        let answers: Vec<(i64, String, i64)> = answer::Entity::find()
            .select_only()
            .column(answer::Column::AssignmentId)
            .column(answer::Column::Status)
            .column_as(answer::Column::Id.count(), "n")
            .filter(answer::Column::AssignmentId.is_in(keys.iter().map(|k| k.assignment_id)))
            .group_by(answer::Column::AssignmentId)
            .group_by(answer::Column::Status)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(failed)?;
        let mut answered: HashMap<i64, (usize, usize)> = HashMap::new();
        for (assignment_id, status, n) in answers {
            let entry = answered.entry(assignment_id).or_default();
            if status == "NOT_APPLICABLE" {
                entry.1 += n as usize;
            } else {
                entry.0 += n as usize;
            }
        }
        Ok(keys
            .iter()
            .map(|k| {
                let (answered, not_applicable) =
                    answered.get(&k.assignment_id).copied().unwrap_or_default();
                let items = items.get(&k.version_id).copied().unwrap_or_default() as usize;
                let counted = Counted {
                    answered,
                    applicable: items.saturating_sub(not_applicable),
                };
                (*k, counted)
            })
            .collect())
    }
}

/// A checklist's latest score in thousandths of a percent, for lists (the review
/// queue): the summary column only, the explanations stay unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PercentOf(pub i64);

impl Loader<PercentOf> for Batch {
    type Value = i32;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[PercentOf]) -> Result<HashMap<PercentOf, i32>, Self::Error> {
        let rows: Vec<(i64, i32)> = score::Entity::find()
            .select_only()
            .column(score::Column::AssignmentId)
            .column(score::Column::PercentMilli)
            .filter(score::Column::AssignmentId.is_in(keys.iter().map(|k| k.0)))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(failed)?;
        Ok(rows.into_iter().map(|(id, p)| (PercentOf(id), p)).collect())
    }
}

/// An org's rectification entries from rounds before `round_id` not yet verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpenRectificationsOf {
    pub org_id: i64,
    pub round_id: i64,
}

impl Loader<OpenRectificationsOf> for Batch {
    type Value = Vec<rectification::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[OpenRectificationsOf],
    ) -> Result<HashMap<OpenRectificationsOf, Self::Value>, Self::Error> {
        let latest = keys.iter().map(|k| k.round_id).max().unwrap_or_default();
        let rows = self
            .guard()?
            .rectifications()
            .filter(rectification::Column::OwnerOrgId.is_in(keys.iter().map(|k| k.org_id)))
            .filter(rectification::Column::RoundId.lt(latest))
            .filter(rectification::Column::Status.ne(stored(RectificationStatus::Verified)))
            .order_by_asc(rectification::Column::Id)
            .all(&self.db)
            .await
            .map_err(failed)?;
        Ok(keys
            .iter()
            .map(|k| {
                let open = rows
                    .iter()
                    .filter(|r| r.owner_org_id == k.org_id && r.round_id < k.round_id)
                    .cloned()
                    .collect();
                (*k, open)
            })
            .collect())
    }
}

/// An org the viewer may see, or `NOT_FOUND`.
pub async fn org(loaders: &Loaders, id: i64) -> async_graphql::Result<org::Model> {
    loaders
        .load_one(OrgOf(id))
        .await?
        .ok_or_else(|| ApiError::NotFound("机构").into())
}

/// A round the viewer may see, or `NOT_FOUND`.
pub async fn round(loaders: &Loaders, id: i64) -> async_graphql::Result<round::Model> {
    loaders
        .load_one(RoundOf(id))
        .await?
        .ok_or_else(|| ApiError::NotFound("考核轮次").into())
}

/// A round's scope rows (pilot rounds), for every round of a list at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScopeOf(pub i64);

impl Loader<ScopeOf> for Batch {
    type Value = Vec<round_scope::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[ScopeOf],
    ) -> Result<HashMap<ScopeOf, Vec<round_scope::Model>>, Self::Error> {
        // Only rounds the viewer may see have their scope read.
        let visible: Vec<i64> = self
            .guard()?
            .rounds()
            .filter(round::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .select_only()
            .column(round::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(failed)?;
        let rows = round_scope::Entity::find()
            .filter(round_scope::Column::RoundId.is_in(visible))
            .order_by_asc(round_scope::Column::Id)
            .all(&self.db)
            .await
            .map_err(failed)?;
        let mut out: HashMap<ScopeOf, Vec<round_scope::Model>> = HashMap::new();
        for row in rows {
            out.entry(ScopeOf(row.round_id)).or_default().push(row);
        }
        Ok(out)
    }
}
