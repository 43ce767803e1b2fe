//! What another site can make a signed-in browser send is refused: form-shaped bodies,
//! foreign origins, foreign socket handshakes. And the browser is told not to sniff or
//! to run anything but our own scripts.

use serde_json::json;
use touming_domain::Role;
use touming_tests::socket::Socket;
use touming_tests::world::PASSWORD;
use touming_tests::{TestApp, World, error_code, spawn_app};

async fn browser_cookie(app: &TestApp, username: &str) -> String {
    app.browser_cookie(username, PASSWORD).await
}

async fn still_signed_in(app: &TestApp, cookie: &str) -> bool {
    app.me_with_cookie(cookie).await["data"]["me"].is_object()
}

#[tokio::test]
async fn a_form_shaped_cookie_request_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    World::build(&app).await;
    let cookie = browser_cookie(&app, "210102-filler").await;
    let body = json!({ "query": "mutation { logout }" }).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("cookie", &cookie)
            .header("content-type", content_type)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{content_type}");
        let answer: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error_code(&answer), Some("FORBIDDEN"), "{answer}");
    }
    assert!(still_signed_in(&app, &cookie).await, "the logout never ran");
    app.stop().await;
}

#[tokio::test]
async fn a_cookie_request_from_another_origin_is_refused() {
    let app = spawn_app().await;
    World::build(&app).await;
    let cookie = browser_cookie(&app, "210102-filler").await;
    let request = |origin: String| {
        app.client
            .post(app.url("/graphql"))
            .header("cookie", &cookie)
            .header("origin", origin)
            .json(&json!({ "query": "{ me { user { username } } }" }))
            .send()
    };
    let foreign = request("http://other.example.gov.cn".into()).await.unwrap();
    assert_eq!(foreign.status(), 403);
    let ours = request(format!("http://{}", app.addr)).await.unwrap();
    assert_eq!(ours.status(), 200);
    let logout = app
        .client
        .post(app.url("/auth/logout"))
        .header("cookie", &cookie)
        .header("origin", "http://other.example.gov.cn")
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 403);
    assert!(still_signed_in(&app, &cookie).await);
    app.stop().await;
}

#[tokio::test]
async fn bearer_clients_are_not_browsers_and_are_not_checked() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Filler).await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .header("origin", "http://script.example")
        .body(json!({ "query": "{ me { user { username } } }" }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn a_socket_handshake_from_another_origin_is_refused() {
    let app = spawn_app().await;
    World::build(&app).await;
    let cookie = browser_cookie(&app, "210102-filler").await;
    let foreign = Socket::open(
        &app,
        &[
            ("cookie", &cookie),
            ("origin", "http://other.example.gov.cn"),
        ],
    )
    .await;
    assert!(foreign.is_err(), "a foreign origin's socket connected");
    let ours = format!("http://{}", app.addr);
    let mut socket = Socket::open(&app, &[("cookie", &cookie), ("origin", &ours)])
        .await
        .expect("our own page connects");
    socket.init(json!({})).await;
    let me = socket
        .run("1", "{ me { user { username } } }", json!({}))
        .await;
    assert_eq!(
        me["payload"]["data"]["me"]["user"]["username"], "210102-filler",
        "{me}"
    );
    app.stop().await;
}

#[tokio::test]
async fn responses_forbid_sniffing_and_foreign_scripts() {
    let app = spawn_app().await;
    for path in ["/", "/healthz"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("script-src 'self'"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("unsafe-"), "no inline or eval: {policy}");
    }
    let graphql = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(graphql.headers()["x-content-type-options"], "nosniff");
    app.stop().await;
}
