//! Headers on every response that tell browsers to trust nothing but our own files:
//! no MIME sniffing (an uploaded evidence file is never run as a script), and for the
//! web application a Content-Security-Policy that allows only same-origin scripts,
//! connections, no inline code or styles (Vue, Element Plus and ECharts style through
//! the CSSOM, which the policy allows; the browser story fails on any violation), and
//! frames of nobody. GraphiQL (`GET /graphql`, a developer's page that loads its
//! scripts from a CDN) gets no policy.

use axum::extract::Request;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

pub const CONTENT_SECURITY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; \
connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
frame-ancestors 'none'";

pub async fn add(request: Request, next: Next) -> Response {
    let graphiql = request.method() == Method::GET && request.uri().path() == "/graphql";
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !graphiql {
        headers
            .entry(CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static(CONTENT_SECURITY));
    }
    response
}
