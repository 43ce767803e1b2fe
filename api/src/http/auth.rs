//! Browser sign-in: `POST /auth/login` sets an HttpOnly, SameSite=Strict session cookie;
//! `POST /auth/logout` ends the session and clears it.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::App;
use super::client::{self, SESSION_COOKIE, client_ip};
use super::cross_site;
use crate::auth::login;
use crate::error::ApiError;

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
    /// TOTP or recovery code, for those who need a second factor.
    #[serde(default)]
    code: Option<String>,
}

pub async fn login(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(credentials): Json<Credentials>,
) -> Response {
    let state = &app.state;
    let ip = client_ip(&headers, peer, state.config.trust_forwarded_for);
    let offered = login::Credentials {
        username: &credentials.username,
        password: &credentials.password,
        code: credentials.code.as_deref(),
    };
    match login::login(state.authenticator(), offered, Some(ip)).await {
        Ok(logged_in) => {
            let max_age = state.config.auth.session_absolute_hours * 3600;
            let secure = if state.config.auth.cookie_secure {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{SESSION_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}",
                logged_in.token
            );
            let body = json!({
                "expiresAt": logged_in.session.expires_at.to_rfc3339(),
                "user": { "id": logged_in.user.id.to_string(), "username": logged_in.user.username },
                "recoveryCodes": logged_in.recovery_codes,
            });
            ([(SET_COOKIE, cookie)], Json(body)).into_response()
        }
        Err(e) => error_response(e),
    }
}

pub async fn logout(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let state = &app.state;
    if let Err(e) = cross_site::check_cookie_origin(&headers, &state.config.public_origin) {
        return error_response(e);
    }
    let ip = client_ip(&headers, peer, state.config.trust_forwarded_for);
    if let Ok(Some(viewer)) = client::viewer(state, &headers, ip).await
        && let Err(e) = crate::graphql::identity::logout(state, &viewer).await
    {
        return error_response(e);
    }
    let clear = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    ([(SET_COOKIE, clear)], Json(json!({ "ok": true }))).into_response()
}

/// An error as JSON `{code, message}` with the HTTP status it stands for.
pub fn error_response(error: ApiError) -> Response {
    let status = match &error {
        ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        ApiError::Locked { .. } => StatusCode::LOCKED,
        ApiError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ApiError::Validation(_) => StatusCode::BAD_REQUEST,
        ApiError::NotFound(_) => StatusCode::NOT_FOUND,
        ApiError::Forbidden | ApiError::CrossSite => StatusCode::FORBIDDEN,
        ApiError::SecondFactorRequired | ApiError::SecondFactorEnrolment { .. } => {
            StatusCode::UNAUTHORIZED
        }
        ApiError::Internal(cause) => {
            tracing::error!(error = ?cause, "internal error");
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::BAD_REQUEST,
    };
    let mut body = json!({ "code": error.code(), "message": error.to_string() });
    if let (Some(body), serde_json::Value::Object(details)) =
        (body.as_object_mut(), error.details())
    {
        for (key, value) in details {
            body.entry(key).or_insert(value);
        }
    }
    (status, Json(body)).into_response()
}
