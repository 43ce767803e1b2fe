//! The GraphQL API (see ../shared/API.md for the contract).

pub mod assignments;
pub mod calendar;
pub mod catalogues;
pub mod context;
pub mod identity;
pub mod orgs;
pub mod page;
pub mod rounds;
pub mod scalars;
pub mod scores;
pub mod subscription;
pub mod types;

use async_graphql::{MergedObject, Schema};

use crate::config::GraphqlConfig;

#[derive(MergedObject, Default)]
pub struct Query(
    identity::IdentityQuery,
    orgs::OrgQuery,
    catalogues::CatalogueQuery,
    calendar::CalendarQuery,
    rounds::RoundQuery,
    assignments::AssignmentQuery,
    scores::ScoreQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    identity::IdentityMutation,
    orgs::OrgMutation,
    catalogues::CatalogueMutation,
    calendar::CalendarMutation,
    rounds::RoundMutation,
    assignments::AssignmentMutation,
);

pub type ToumingSchema = Schema<Query, Mutation, subscription::Subscription>;

/// The schema with its limits; request data (state, viewer) is added per request.
pub fn build(config: &GraphqlConfig) -> ToumingSchema {
    Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
    .limit_depth(config.max_depth)
    .limit_complexity(config.max_complexity)
    .finish()
}

/// The SDL that `api/schema.graphql` must equal.
pub fn sdl() -> String {
    build(&crate::config::Config::defaults().graphql).sdl()
}
