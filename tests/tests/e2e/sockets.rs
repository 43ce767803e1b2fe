//! A socket is only as signed in as its session: logging out, being switched off or
//! falling idle ends what the socket may do, not just what new requests may do.

use serde_json::json;
use touming_domain::Role;
use touming_tests::socket::{Socket, socket_error_code};
use touming_tests::{World, spawn_app};

const ME: &str = "{ me { user { username } } }";

#[tokio::test]
async fn a_logged_out_socket_is_refused_its_next_operation() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Filler).await;
    let mut socket = Socket::signed_in(&app, json!({ "token": token })).await;
    let before = socket.run("1", ME, json!({})).await;
    assert_eq!(
        before["payload"]["data"]["me"]["user"]["username"], "210102-filler",
        "{before}"
    );

    let out = app
        .graphql(Some(&token), "mutation { logout }", json!({}))
        .await;
    assert_eq!(out["data"]["logout"], true);

    let query = socket.run("2", ME, json!({})).await;
    assert_eq!(
        socket_error_code(&query),
        Some("UNAUTHENTICATED"),
        "{query}"
    );
    let mutation = socket.run("3", "mutation { logout }", json!({})).await;
    assert_eq!(
        socket_error_code(&mutation),
        Some("UNAUTHENTICATED"),
        "{mutation}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_idle_socket_session_ends_like_any_other() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Filler).await;
    let mut socket = Socket::signed_in(&app, json!({ "token": token })).await;
    app.sql(&format!(
        "UPDATE session SET last_seen_at = '{}'",
        (chrono::Utc::now() - chrono::Duration::minutes(31)).to_rfc3339()
    ))
    .await;
    let query = socket.run("1", ME, json!({})).await;
    assert_eq!(
        socket_error_code(&query),
        Some("UNAUTHENTICATED"),
        "{query}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_open_subscription_ends_when_its_user_is_switched_off() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    let version = app
        .graphql(
            Some(&admin),
            "{ catalogues { code versions { id } } }",
            json!({}),
        )
        .await["data"]["catalogues"][0]["versions"][0]["id"]
        .clone();
    let kind = app
        .graphql(Some(&admin), "{ catalogues { appliesTo } }", json!({}))
        .await["data"]["catalogues"][0]["appliesTo"][0]
        .clone();
    let round = crate::rounds::create_and_open(
        &app,
        &admin,
        json!({
            "title": "2026 年度政务公开考核",
            "periodStart": "2026-01-01",
            "periodEnd": "2026-12-31",
            "deadline": "2027-01-20",
            "catalogues": [{ "orgKind": kind, "versionId": version }],
        }),
    )
    .await;
    let viewer = world.login(&app, &world.shenyang, Role::Admin).await;
    let mut socket = Socket::signed_in(&app, json!({ "token": viewer })).await;
    socket
        .subscribe(
            "live",
            "subscription($r: ID!, $o: ID!) { rollupChanged(roundId: $r, orgId: $o) { composite } }",
            json!({ "r": round, "o": world.shenyang.id.to_string() }),
        )
        .await;

    let viewer_id = app
        .graphql(
            Some(&admin),
            "query($s: String) { users(search: $s) { edges { node { id } } } }",
            json!({ "s": World::username(&world.shenyang, Role::Admin) }),
        )
        .await["data"]["users"]["edges"][0]["node"]["id"]
        .clone();
    let off = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { deactivateUser(id: $id) { active } }",
            json!({ "id": viewer_id }),
        )
        .await;
    assert_eq!(off["data"]["deactivateUser"]["active"], false, "{off}");

    // No figure changed: what arrives is the end of the session, at once.
    let ended = socket
        .receive()
        .await
        .expect("the subscription hears of it");
    assert_eq!(ended["id"], "live");
    assert_eq!(
        socket_error_code(&ended),
        Some("UNAUTHENTICATED"),
        "{ended}"
    );
    app.stop().await;
}
