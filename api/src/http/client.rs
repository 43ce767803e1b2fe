//! Who is on the other end of a request: address and session token.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};

use crate::auth::{Viewer, session};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "touming_session";

/// The client address: the socket's peer, or the first X-Forwarded-For entry when the
/// server is configured to sit behind a trusted proxy.
pub fn client_ip(headers: &HeaderMap, peer: SocketAddr, trust_forwarded_for: bool) -> IpAddr {
    if trust_forwarded_for
        && let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
    {
        return ip;
    }
    peer.ip()
}

/// The session token from `Authorization: Bearer …` or, for browsers, the cookie.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    if let Some(bearer) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_owned());
    }
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The request's session comes from the cookie (a browser's ambient credential) rather
/// than from an `Authorization` header a script had to set.
pub fn cookie_authenticated(headers: &HeaderMap) -> bool {
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    !bearer && session_token(headers).is_some()
}

/// The signed-in caller of an HTTP request: `Ok(None)` without a token,
/// `UNAUTHENTICATED` for a token that leads to no live session.
pub async fn viewer(
    state: &AppState,
    headers: &HeaderMap,
    ip: IpAddr,
) -> ApiResult<Option<Viewer>> {
    match session_token(headers) {
        None => Ok(None),
        Some(token) => session::resolve(&state.db, &token, Some(ip), &state.config.auth)
            .await
            .map(Some),
    }
}

/// `viewer` for handlers that need one: no token is `UNAUTHENTICATED` too.
pub async fn require_viewer(
    state: &AppState,
    headers: &HeaderMap,
    ip: IpAddr,
) -> ApiResult<Viewer> {
    viewer(state, headers, ip)
        .await?
        .ok_or(ApiError::Unauthenticated("请先登录"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comes_from_bearer_or_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=1; touming_session=abc; b=2".parse().unwrap());
        assert_eq!(session_token(&headers).as_deref(), Some("abc"));
        headers.insert(AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(session_token(&headers).as_deref(), Some("xyz"));
    }

    #[test]
    fn forwarded_for_is_used_only_when_trusted() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 10.0.0.1".parse().unwrap());
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(client_ip(&headers, peer, false), peer.ip());
        assert_eq!(
            client_ip(&headers, peer, true),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
    }
}
