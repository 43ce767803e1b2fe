//! Prometheus metrics: GraphQL requests and latency by operation.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};

use super::App;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
}

impl Default for Metrics {
    fn default() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "touming_graphql_requests_total",
                "GraphQL requests by operation and outcome",
            ),
            &["operation", "outcome"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "touming_graphql_request_duration_seconds",
                "GraphQL request latency by operation",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["operation"],
        )
        .expect("valid metric");
        registry
            .register(Box::new(requests.clone()))
            .expect("registers once");
        registry
            .register(Box::new(latency.clone()))
            .expect("registers once");
        Self {
            registry,
            requests,
            latency,
        }
    }
}

impl Metrics {
    pub fn observe(&self, operation: &str, seconds: f64, ok: bool) {
        let operation = label(operation);
        self.requests
            .with_label_values(&[operation.as_str(), if ok { "ok" } else { "error" }])
            .inc();
        self.latency
            .with_label_values(&[operation.as_str()])
            .observe(seconds);
    }
}

/// Operation names come from clients; keep the label set small and printable.
fn label(operation: &str) -> String {
    let clean: String = operation
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(64)
        .collect();
    if clean.is_empty() {
        "anonymous".into()
    } else {
        clean
    }
}

pub async fn render(State(app): State<App>) -> impl IntoResponse {
    let mut body = Vec::new();
    let encoder = TextEncoder::new();
    if let Err(e) = encoder.encode(&app.state.metrics.registry.gather(), &mut body) {
        tracing::error!(error = %e, "metrics encoding failed");
    }
    ([(CONTENT_TYPE, encoder.format_type().to_owned())], body)
}
