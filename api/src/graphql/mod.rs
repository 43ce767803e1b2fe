//! The GraphQL API (see ../shared/API.md for the contract).

pub mod assignments;
pub mod batch;
pub mod calendar;
pub mod catalogues;
pub mod comparison;
pub mod context;
pub mod identity;
pub mod limits;
pub mod measured;
pub mod orgs;
pub mod page;
pub mod rectifications;
pub mod rounds;
pub mod scalars;
pub mod scores;
pub mod search;
pub mod socket;
pub mod subscription;
pub mod types;

use std::sync::Arc;

use async_graphql::{MergedObject, Schema};

use crate::config::GraphqlConfig;
use crate::telemetry::metrics::Metrics;

#[derive(MergedObject, Default)]
pub struct Query(
    identity::IdentityQuery,
    orgs::OrgQuery,
    catalogues::CatalogueQuery,
    calendar::CalendarQuery,
    rounds::RoundQuery,
    assignments::AssignmentQuery,
    scores::ScoreQuery,
    comparison::ComparisonQuery,
    rectifications::RectificationQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    identity::IdentityMutation,
    identity::AccountMutation,
    orgs::OrgMutation,
    catalogues::CatalogueMutation,
    calendar::CalendarMutation,
    rounds::RoundMutation,
    assignments::AssignmentMutation,
    rectifications::RectificationMutation,
);

pub type ToumingSchema = Schema<Query, Mutation, subscription::Subscription>;

/// The schema with its limits; request data (state, viewer) is added per request.
pub fn build(config: &GraphqlConfig, metrics: Arc<Metrics>) -> ToumingSchema {
    Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
    .limit_depth(config.max_depth)
    .limit_complexity(config.max_complexity)
    .extension(ErrorCodes)
    .extension(limits::StringLimit {
        max_chars: config.max_string_chars,
    })
    .extension(socket::SocketSessions)
    .extension(measured::Measured { metrics })
    .finish()
}

/// Subscriptions' responses (every operation over a socket) get their error codes
/// here; those over HTTP get them in the HTTP handler.
struct ErrorCodes;

impl async_graphql::extensions::ExtensionFactory for ErrorCodes {
    fn create(&self) -> std::sync::Arc<dyn async_graphql::extensions::Extension> {
        std::sync::Arc::new(ErrorCodes)
    }
}

impl async_graphql::extensions::Extension for ErrorCodes {
    fn subscribe<'s>(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        stream: async_graphql::futures_util::stream::BoxStream<'s, async_graphql::Response>,
        next: async_graphql::extensions::NextSubscribe<'_>,
    ) -> async_graphql::futures_util::stream::BoxStream<'s, async_graphql::Response> {
        use async_graphql::futures_util::StreamExt;
        next.run(ctx, stream)
            .map(|mut response| {
                crate::error::finish_errors(&mut response.errors);
                response
            })
            .boxed()
    }
}

/// The SDL that `api/schema.graphql` must equal.
pub fn sdl() -> String {
    build(
        &crate::config::Config::defaults().graphql,
        Arc::new(Metrics::default()),
    )
    .sdl()
}
