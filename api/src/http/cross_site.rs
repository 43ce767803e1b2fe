//! Refusing requests another site could make a browser send with our session cookie.
//! SameSite=Strict keeps the cookie off requests from other *sites*, not from other
//! origins of the same site (another service under the same registrable domain), so a
//! request authenticated by the cookie must also come from our own origin and be of a
//! kind no HTML form can send: `application/json`, or a GraphQL multipart upload that
//! carries `Apollo-Require-Preflight` (a custom header forces a CORS preflight, which
//! we never grant). Bearer-token clients are not browsers' ambient credentials and are
//! not checked.

use axum::http::HeaderMap;
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN};

use super::client;
use crate::error::{ApiError, ApiResult};

/// The header an upload must carry (the multipart request spec's CSRF advice).
pub const PREFLIGHT_HEADER: &str = "apollo-require-preflight";

/// For `POST /graphql`.
pub fn check_graphql(headers: &HeaderMap, public_origin: &str) -> ApiResult<()> {
    if !client::cookie_authenticated(headers) {
        return Ok(());
    }
    check_origin(headers, public_origin)?;
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    match content_type.as_str() {
        "application/json" | "application/graphql-response+json" => Ok(()),
        "multipart/form-data" if headers.contains_key(PREFLIGHT_HEADER) => Ok(()),
        _ => Err(ApiError::CrossSite),
    }
}

/// For other cookie-authenticated state changes (`POST /auth/logout`).
pub fn check_cookie_origin(headers: &HeaderMap, public_origin: &str) -> ApiResult<()> {
    if client::cookie_authenticated(headers) {
        check_origin(headers, public_origin)
    } else {
        Ok(())
    }
}

/// An `Origin`, when the request has one, must be ours. Browsers send it on every
/// cross-origin request and on every WebSocket handshake, so its absence means a
/// same-origin request or a client that is not a browser.
pub fn check_origin(headers: &HeaderMap, public_origin: &str) -> ApiResult<()> {
    let Some(origin) = headers.get(ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().map_err(|_| ApiError::CrossSite)?.trim();
    let ours = if public_origin.trim().is_empty() {
        // No origin configured: ours is whatever host the browser addressed.
        let host = headers.get(HOST).and_then(|h| h.to_str().ok());
        let authority = origin.split_once("://").map(|(_, a)| a);
        host.is_some() && authority == host
    } else {
        origin.eq_ignore_ascii_case(public_origin.trim().trim_end_matches('/'))
    };
    if ours {
        Ok(())
    } else {
        Err(ApiError::CrossSite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::{AUTHORIZATION, COOKIE};

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn cookie_requests_must_be_json_or_a_preflighted_upload() {
        let cookie = (COOKIE.as_str(), "touming_session=abc");
        let json = headers(&[cookie, ("content-type", "application/json; charset=utf-8")]);
        assert!(check_graphql(&json, "").is_ok());
        let plain = headers(&[cookie, ("content-type", "text/plain")]);
        assert!(matches!(
            check_graphql(&plain, ""),
            Err(ApiError::CrossSite)
        ));
        let form = headers(&[cookie, ("content-type", "multipart/form-data; boundary=x")]);
        assert!(check_graphql(&form, "").is_err());
        let upload = headers(&[
            cookie,
            ("content-type", "multipart/form-data; boundary=x"),
            (PREFLIGHT_HEADER, "true"),
        ]);
        assert!(check_graphql(&upload, "").is_ok());
        let bearer = headers(&[
            (AUTHORIZATION.as_str(), "Bearer t"),
            ("content-type", "text/plain"),
        ]);
        assert!(
            check_graphql(&bearer, "").is_ok(),
            "not a browser's ambient credential"
        );
    }

    #[test]
    fn the_origin_must_be_ours() {
        let cookie = (COOKIE.as_str(), "touming_session=abc");
        let json = ("content-type", "application/json");
        let same = headers(&[
            cookie,
            json,
            ("host", "gov.cn:8080"),
            ("origin", "http://gov.cn:8080"),
        ]);
        assert!(check_graphql(&same, "").is_ok());
        let other = headers(&[
            cookie,
            json,
            ("host", "gov.cn:8080"),
            ("origin", "http://evil.gov.cn"),
        ]);
        assert!(check_graphql(&other, "").is_err());
        let configured = headers(&[cookie, json, ("origin", "https://touming.gov.cn")]);
        assert!(check_graphql(&configured, "https://touming.gov.cn/").is_ok());
        assert!(check_graphql(&configured, "https://other.gov.cn").is_err());
    }
}
