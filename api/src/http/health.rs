//! Liveness and readiness for the orchestrator.

use axum::extract::State;
use axum::http::StatusCode;

use super::App;

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers, and Redis too when it is configured.
pub async fn readyz(State(app): State<App>) -> (StatusCode, String) {
    if let Err(e) = app.state.db.ping().await {
        tracing::warn!(error = %e, "readiness: database unreachable");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unreachable".into(),
        );
    }
    if let Some(redis) = &app.state.redis {
        let mut con = redis.clone();
        let pong: Result<String, _> = redis::cmd("PING").query_async(&mut con).await;
        if let Err(e) = pong {
            tracing::warn!(error = %e, "readiness: redis unreachable");
            return (StatusCode::SERVICE_UNAVAILABLE, "redis unreachable".into());
        }
    }
    (StatusCode::OK, "ready".into())
}
