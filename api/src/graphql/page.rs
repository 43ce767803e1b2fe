//! Relay-style connections over id-ordered queries (keyset pagination: the cursor is
//! the last id seen, so a page costs the same however deep it is).

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{OutputType, SimpleObject};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_PAGE: i32 = 50;
pub const MAX_PAGE: i32 = 200;

#[derive(SimpleObject)]
pub struct TotalCount {
    pub total_count: u64,
}

pub type Page<N> = Connection<String, N, TotalCount, EmptyFields>;

/// Complexity of a list field: its children's cost for every ten rows asked for.
pub fn list_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let rows = first.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE) as usize;
    child_complexity * rows.div_ceil(10)
}

/// The paging arguments every list field takes.
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
}

pub enum Order {
    /// Oldest first (lists of things).
    Ascending,
    /// Newest first (logs).
    Descending,
}

/// One page of `select`, ordered by `id`, as a connection of `wrap(row)`.
pub async fn page<E, N>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: E::Column,
    order: Order,
    PageArgs { first, after }: PageArgs,
    id_of: impl Fn(&E::Model) -> i64,
    wrap: impl Fn(E::Model) -> ApiResult<N>,
) -> ApiResult<Page<N>>
where
    E: EntityTrait,
    E::Model: Sync,
    N: OutputType,
{
    let first = first.unwrap_or(DEFAULT_PAGE);
    if first < 0 {
        return Err(ApiError::field("first", "first 不能为负数"));
    }
    let first = first.min(MAX_PAGE) as u64;
    let total = select.clone().count(db).await?;
    let mut select = select;
    if let Some(after) = after {
        let after: i64 = after
            .parse()
            .map_err(|_| ApiError::field("after", "分页游标无效"))?;
        select = match order {
            Order::Ascending => select.filter(id.gt(after)),
            Order::Descending => select.filter(id.lt(after)),
        };
    }
    select = match order {
        Order::Ascending => select.order_by_asc(id),
        Order::Descending => select.order_by_desc(id),
    };
    let mut rows = select.limit(first + 1).all(db).await?;
    let has_next = rows.len() as u64 > first;
    rows.truncate(first as usize);
    let mut connection =
        Connection::with_additional_fields(false, has_next, TotalCount { total_count: total });
    for row in rows {
        connection
            .edges
            .push(Edge::new(id_of(&row).to_string(), wrap(row)?));
    }
    Ok(connection)
}
