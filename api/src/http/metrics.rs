//! `/metrics`: the registry of `telemetry::metrics` for Prometheus.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

use super::App;

pub async fn render(State(app): State<App>) -> impl IntoResponse {
    let (content_type, body) = app.state.metrics.encode();
    ([(CONTENT_TYPE, content_type)], body)
}
