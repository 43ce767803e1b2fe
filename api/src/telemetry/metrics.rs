//! Prometheus metrics: GraphQL requests and latency by root field. Served at `/metrics`
//! by `http::metrics`.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};

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
    /// The registry in Prometheus' text format, with its content type.
    pub fn encode(&self) -> (String, Vec<u8>) {
        let mut body = Vec::new();
        let encoder = TextEncoder::new();
        if let Err(e) = encoder.encode(&self.registry.gather(), &mut body) {
            tracing::error!(error = %e, "metrics encoding failed");
        }
        (encoder.format_type().to_owned(), body)
    }

    /// `operation` must come from a bounded set (the schema's root fields, see
    /// `graphql::measured`): every distinct value is a series kept for ever.
    pub fn observe(&self, operation: &str, seconds: f64, ok: bool) {
        self.requests
            .with_label_values(&[operation, if ok { "ok" } else { "error" }])
            .inc();
        self.latency
            .with_label_values(&[operation])
            .observe(seconds);
    }
}
