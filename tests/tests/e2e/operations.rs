//! What operators rely on: health, readiness, metrics, and a schema file that matches.

use serde_json::json;
use touming_domain::Role;
use touming_tests::{World, spawn_app};

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");

    let token = world.login(&app, &world.heping, Role::Filler).await;
    let request =
        json!({ "query": "query MyOrg { me { org { name } } }", "operationName": "MyOrg" });
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .json(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("touming_graphql_requests_total{operation=\"MyOrg\",outcome=\"ok\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("touming_graphql_request_duration_seconds_bucket{operation=\"MyOrg\"")
    );
    app.stop().await;
}

#[tokio::test]
async fn graphiql_is_served_on_get() {
    let app = spawn_app().await;
    let page = app.client.get(app.url("/graphql")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );
    app.stop().await;
}

#[test]
fn the_schema_file_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../api/schema.graphql");
    let committed = std::fs::read_to_string(path).expect("api/schema.graphql exists");
    let current = touming_api::graphql::sdl();
    assert!(
        committed == current,
        "api/schema.graphql is stale: run `make schema` (touming schema > api/schema.graphql)"
    );
}

#[tokio::test]
async fn the_database_is_set_up_as_the_design_asks() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let app = spawn_app().await;
    let backend = app.db.get_database_backend();
    let one = |sql: &str| {
        app.db
            .query_one_raw(Statement::from_string(backend, sql.to_owned()))
    };
    match backend {
        DbBackend::Sqlite => {
            let wal = one("PRAGMA journal_mode").await.unwrap().unwrap();
            assert_eq!(
                wal.try_get_by_index::<String>(0).unwrap().to_lowercase(),
                "wal"
            );
            let fk = one("PRAGMA foreign_keys").await.unwrap().unwrap();
            assert_eq!(fk.try_get_by_index::<i32>(0).unwrap(), 1);
            let busy = one("PRAGMA busy_timeout").await.unwrap().unwrap();
            assert!(busy.try_get_by_index::<i32>(0).unwrap() >= 1000);
        }
        DbBackend::Postgres => {
            // Subtree range scans need bytewise ordering of the org path.
            let collation = one(
                "SELECT collation_name FROM information_schema.columns WHERE table_name = 'org' AND column_name = 'path'",
            )
            .await
            .unwrap()
            .unwrap();
            assert_eq!(collation.try_get_by_index::<String>(0).unwrap(), "C");
        }
        other => panic!("unexpected backend {other:?}"),
    }
    // Foreign keys hold on both: a user of an org that does not exist is refused.
    let orphan = app
        .db
        .execute_unprepared(
            "INSERT INTO \"user\" (org_id, username, display_name, roles, password_hash, failed_logins, active, password_changed_at, created_at) \
             VALUES (987654, 'orphan', 'x', 'VIEWER', 'x', 0, true, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')",
        )
        .await;
    assert!(orphan.is_err(), "foreign key not enforced");
    app.stop().await;
}
