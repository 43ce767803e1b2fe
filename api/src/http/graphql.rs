//! `POST /graphql` (single or batched requests) and GraphiQL on `GET /graphql`.

use std::net::SocketAddr;

use async_graphql::http::GraphiQLSource;
use async_graphql::{BatchRequest, BatchResponse};
use async_graphql_axum::rejection::GraphQLRejection;
use async_graphql_axum::{GraphQLBatchRequest, GraphQLResponse};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse};
use tracing::Instrument;

use super::App;
use super::client::{self, client_ip, session_token};
use super::cross_site;
use crate::error::{ApiError, finish_errors};
use crate::graphql::context::RequestContext;
use crate::graphql::socket::SocketSession;

/// More operations than this in one batch is not a client we know.
const MAX_BATCH: usize = 20;

pub async fn graphiql() -> impl IntoResponse {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .finish(),
    )
}

pub async fn execute(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    request: Result<GraphQLBatchRequest, GraphQLRejection>,
) -> axum::response::Response {
    let state = &app.state;
    if let Err(e) = cross_site::check_graphql(&headers, &state.config.public_origin) {
        return (StatusCode::FORBIDDEN, rejected(e)).into_response();
    }
    let request = match request {
        Ok(request) => request,
        Err(GraphQLRejection(cause)) => {
            tracing::debug!(error = %cause, "unreadable GraphQL request");
            let error = ApiError::field("body", "请求体不是有效的 GraphQL 请求（应为 JSON）");
            return (StatusCode::BAD_REQUEST, rejected(error)).into_response();
        }
    };
    let ip = client_ip(&headers, peer, state.config.trust_forwarded_for);
    let (viewer, session_ended) = match client::viewer(state, &headers, ip).await {
        Ok(viewer) => (viewer, false),
        Err(ApiError::Unauthenticated(_)) => (None, true),
        Err(e) => return rejected(e).into_response(),
    };

    let mut batch = request.into_inner();
    let requests = match &mut batch {
        BatchRequest::Single(r) => std::slice::from_mut(r),
        BatchRequest::Batch(rs) => rs.as_mut_slice(),
    };
    if requests.len() > MAX_BATCH {
        return rejected(ApiError::field(
            "query",
            format!("一次最多提交 {MAX_BATCH} 个操作"),
        ))
        .into_response();
    }
    let max_bytes = state.config.graphql.max_query_bytes;
    if requests.iter().any(|r| r.query.len() > max_bytes) {
        return rejected(ApiError::field(
            "query",
            format!("查询文档过大（上限 {max_bytes} 字节）"),
        ))
        .into_response();
    }
    for r in requests.iter_mut() {
        r.data.insert(state.clone());
        r.data.insert(RequestContext::new(
            &state.db,
            viewer.clone(),
            Some(ip),
            session_ended,
        ));
    }

    let user = viewer
        .as_ref()
        .map(|v| v.user.username.clone())
        .unwrap_or_default();
    let span = tracing::info_span!("graphql", user = %user);
    let (mut response, statements) =
        crate::db::count_statements(app.schema.execute_batch(batch).instrument(span)).await;
    match &mut response {
        BatchResponse::Single(r) => finish_errors(&mut r.errors),
        BatchResponse::Batch(rs) => rs.iter_mut().for_each(|r| finish_errors(&mut r.errors)),
    }
    tracing::debug!(statements, "graphql statements");
    let mut response = GraphQLResponse::from(response).into_response();
    if state.config.graphql.statement_header {
        response.headers_mut().insert(
            "x-sql-statements",
            axum::http::HeaderValue::from(statements),
        );
    }
    response
}

fn rejected(error: ApiError) -> GraphQLResponse {
    let mut errors = vec![error.into_server_error()];
    finish_errors(&mut errors);
    async_graphql::Response::from_errors(errors).into()
}

/// `GET /graphql/ws`: subscriptions over graphql-transport-ws (or the older graphql-ws).
/// The session comes from the upgrade request (cookie or bearer) or from the
/// `connection_init` payload `{"token": "…"}`.
pub async fn subscribe(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    protocol: async_graphql_axum::GraphQLProtocol,
    upgrade: axum::extract::WebSocketUpgrade,
) -> axum::response::Response {
    let state = app.state.clone();
    // Browsers send `Origin` on every handshake and JavaScript cannot forge it; the
    // cookie goes along with a handshake from any origin of our site.
    if let Err(e) = cross_site::check_origin(&headers, &state.config.public_origin) {
        return super::auth::error_response(e);
    }
    let ip = client_ip(&headers, peer, state.config.trust_forwarded_for);
    let from_request = session_token(&headers);
    let schema = app.schema.clone();
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            async_graphql_axum::GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let token = payload
                        .get("token")
                        .and_then(|t| t.as_str())
                        .map(str::to_owned)
                        .or(from_request);
                    let mut data = async_graphql::Data::default();
                    let viewer = match &token {
                        Some(token) => Some(
                            crate::auth::session::resolve(
                                &state.db,
                                token,
                                Some(ip),
                                &state.config.auth,
                            )
                            .await
                            .map_err(async_graphql::Error::from)?,
                        ),
                        None => None,
                    };
                    if let Some(token) = token {
                        data.insert(SocketSession { token });
                    }
                    data.insert(RequestContext::new(&state.db, viewer, Some(ip), false));
                    data.insert(state);
                    Ok(data)
                })
                .serve()
                .await
        })
}
