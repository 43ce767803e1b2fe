//! The HTTP surface: `/graphql`, `/auth/*`, `/healthz`, `/readyz`, `/metrics`, and the
//! web application at `/`.

pub mod auth;
pub mod client;
pub mod cross_site;
pub mod export;
pub mod graphql;
pub mod health;
pub mod metrics;
pub mod reports;
pub mod security_headers;

use std::path::Path;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::Html;
use axum::routing::{get, post};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::graphql::ToumingSchema;
use crate::state::AppState;

/// What the routes share: the state and the schema built once at start.
#[derive(Clone)]
pub struct App {
    pub state: AppState,
    pub schema: ToumingSchema,
}

/// Bodies larger than this are refused before they are read. Uploads (catalogue files
/// up to 10 MB) need the room; each resolver checks its own, lower limit so the user
/// gets a clear message, and GraphQL documents are limited by `graphql.max_query_bytes`.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

pub fn router(app: App) -> Router {
    let web_dir = app.state.config.web_dir.clone();
    let api = Router::new()
        .route("/graphql", get(graphql::graphiql).post(graphql::execute))
        .route("/graphql/ws", get(graphql::subscribe))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .route(
            "/export/catalogue-versions/{file}",
            get(export::catalogue_version),
        )
        .route("/evidence/{id}", get(export::evidence))
        .route(
            "/export/rounds/{round}/comparison/{file}",
            get(reports::comparison),
        )
        .route(
            "/export/rounds/{round}/rectifications.xlsx",
            get(reports::rectifications),
        )
        .route("/export/assignments/{file}", get(reports::assignment))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(app);
    let index = Path::new(&web_dir).join("index.html");
    let router = if index.exists() {
        // History-mode routing in the browser: unknown paths get the application shell.
        api.fallback_service(ServeDir::new(&web_dir).fallback(ServeFile::new(index)))
    } else {
        api.fallback(get(|| async { Html(NO_WEB_APP) }))
    };
    // One span per request, and one line per response with its status and latency.
    router
        .layer(axum::middleware::from_fn(security_headers::add))
        .layer(
        TraceLayer::new_for_http()
            .make_span_with(|request: &axum::http::Request<_>| {
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
            })
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
    )
}

const NO_WEB_APP: &str = r#"<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>透明 Touming</title>
<body><h1>透明 Touming</h1><p>服务已启动。GraphQL 接口：<a href="/graphql">/graphql</a>。</p></body></html>"#;
