//! `/metrics`: the registry of `telemetry::metrics` for Prometheus, behind the bearer
//! token `metrics.token` (Helm's ServiceMonitor sends it). Without a token configured
//! the route answers 404, as if it did not exist.

use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::App;
use crate::auth::token::token_hash;

pub async fn render(State(app): State<App>, headers: HeaderMap) -> Response {
    let expected = app.state.config.metrics.token.trim();
    if expected.is_empty() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let offered = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    // Compared as digests, so the time taken says nothing about the token.
    if offered.map(token_hash) != Some(token_hash(expected)) {
        return (
            StatusCode::UNAUTHORIZED,
            [("www-authenticate", "Bearer")],
            "metrics need the configured bearer token",
        )
            .into_response();
    }
    let (content_type, body) = app.state.metrics.encode();
    ([(CONTENT_TYPE, content_type)], body).into_response()
}
