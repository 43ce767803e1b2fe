//! One metrics observation per query or mutation, over HTTP or a socket, labelled by
//! the operation's first root field — a name the schema has (`myAssignments`,
//! `login`) — and never by the client's `operationName`, which anyone can vary to add
//! series without end. Anything else (unparsable, unknown field) is `other`.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextRequest,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use async_graphql::{Response, ServerResult, Variables};

use crate::telemetry::metrics::Metrics;

pub const OTHER: &str = "other";

pub struct Measured {
    pub metrics: Arc<Metrics>,
}

impl ExtensionFactory for Measured {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Measurement {
            metrics: self.metrics.clone(),
            operations: Mutex::new(Vec::new()),
            label: Mutex::new(None),
        })
    }
}

/// The extension of one request.
struct Measurement {
    metrics: Arc<Metrics>,
    /// Each operation of the document by name, with its label.
    operations: Mutex<Vec<(Option<String>, String)>>,
    label: Mutex<Option<String>>,
}

#[async_trait::async_trait]
impl Extension for Measurement {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let response = next.run(ctx).await;
        let label = lock(&self.label).take();
        self.metrics.observe(
            label.as_deref().unwrap_or(OTHER),
            started.elapsed().as_secs_f64(),
            response.errors.is_empty(),
        );
        response
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let registry = &ctx.schema_env.registry;
        *lock(&self.operations) = document
            .operations
            .iter()
            .map(|(name, op)| {
                let root = match op.node.ty {
                    OperationType::Query => Some(registry.query_type.as_str()),
                    OperationType::Mutation => registry.mutation_type.as_deref(),
                    OperationType::Subscription => registry.subscription_type.as_deref(),
                };
                let field = op
                    .node
                    .selection_set
                    .node
                    .items
                    .iter()
                    .find_map(|s| match &s.node {
                        Selection::Field(f) => Some(f.node.name.node.as_str()),
                        _ => None,
                    });
                let known = root
                    .and_then(|root| registry.types.get(root))
                    .zip(field)
                    .and_then(|(ty, field)| ty.field_by_name(field))
                    .map(|f| f.name.clone());
                (
                    name.map(|n| n.to_string()),
                    known.unwrap_or_else(|| OTHER.to_owned()),
                )
            })
            .collect();
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let label = lock(&self.operations)
            .iter()
            .find(|(name, _)| operation_name.is_none() || name.as_deref() == operation_name)
            .map(|(_, label)| label.clone());
        *lock(&self.label) = label;
        next.run(ctx, operation_name).await
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}
