//! Session lifetime: idle timeout, absolute expiry, revocation.

use serde_json::json;
use touming_domain::Role;
use touming_tests::{World, error_code, spawn_app};

const ME: &str = "{ me { user { username } } }";

#[tokio::test]
async fn a_session_idle_for_thirty_minutes_ends() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Filler).await;
    assert!(app.graphql(Some(&token), ME, json!({})).await["data"]["me"].is_object());

    // 29 minutes of silence: still alive, and the request counts as activity.
    app.sql(&format!(
        "UPDATE session SET last_seen_at = '{}'",
        (chrono::Utc::now() - chrono::Duration::minutes(29)).to_rfc3339()
    ))
    .await;
    assert!(app.graphql(Some(&token), ME, json!({})).await["data"]["me"].is_object());

    app.sql(&format!(
        "UPDATE session SET last_seen_at = '{}'",
        (chrono::Utc::now() - chrono::Duration::minutes(31)).to_rfc3339()
    ))
    .await;
    let r = app.graphql(Some(&token), ME, json!({})).await;
    assert_eq!(error_code(&r), Some("UNAUTHENTICATED"), "{r}");
    app.stop().await;
}

#[tokio::test]
async fn a_session_ends_after_twelve_hours_however_active() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Filler).await;
    let row = touming_store::entity::session::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let lifetime = row.expires_at - row.created_at;
    assert_eq!(lifetime.num_hours(), 12);

    app.sql(&format!(
        "UPDATE session SET expires_at = '{}'",
        (chrono::Utc::now() - chrono::Duration::seconds(1)).to_rfc3339()
    ))
    .await;
    let r = app.graphql(Some(&token), ME, json!({})).await;
    assert_eq!(error_code(&r), Some("UNAUTHENTICATED"), "{r}");
    app.stop().await;
}

use sea_orm::EntityTrait;

#[tokio::test]
async fn logout_revokes_the_session_and_only_that_one() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let laptop = world.login(&app, &world.heping, Role::Filler).await;
    let desktop = world.login(&app, &world.heping, Role::Filler).await;
    let out = app
        .graphql(Some(&laptop), "mutation { logout }", json!({}))
        .await;
    assert_eq!(out["data"]["logout"], true);
    assert_eq!(
        error_code(&app.graphql(Some(&laptop), ME, json!({})).await),
        Some("UNAUTHENTICATED")
    );
    assert!(app.graphql(Some(&desktop), ME, json!({})).await["data"]["me"].is_object());
    let unknown = app.graphql(Some("not-a-token"), ME, json!({})).await;
    assert_eq!(error_code(&unknown), Some("UNAUTHENTICATED"));
    app.stop().await;
}
