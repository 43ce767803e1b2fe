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
    let metrics = scrape(&app).await;
    assert!(
        metrics.contains("touming_graphql_requests_total{operation=\"me\",outcome=\"ok\"} 1"),
        "labelled by the root field, not the client's name: {metrics}"
    );
    assert!(metrics.contains("touming_graphql_request_duration_seconds_bucket{operation=\"me\""));
    app.stop().await;
}

async fn scrape(app: &touming_tests::TestApp) -> String {
    let response = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(touming_tests::METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

fn series(metrics: &str) -> usize {
    metrics
        .lines()
        .filter(|l| l.starts_with("touming_graphql_requests_total{"))
        .count()
}

#[tokio::test]
async fn three_hundred_invented_operation_names_add_at_most_one_series() {
    let app = spawn_app().await;
    let before = series(&scrape(&app).await);
    for i in 0..300 {
        let name = format!("Invented{i}");
        app.client
            .post(app.url("/graphql"))
            .json(&json!({ "query": format!("query {name} {{ __typename }}"), "operationName": name }))
            .send()
            .await
            .unwrap();
    }
    let after = scrape(&app).await;
    assert!(series(&after) <= before + 1, "{after}");
    assert!(after.contains("operation=\"other\""), "{after}");
    assert!(!after.contains("Invented"), "{after}");
    assert!(after.len() < 20_000, "{} bytes", after.len());
    app.stop().await;
}

#[tokio::test]
async fn metrics_need_the_token_and_without_one_configured_do_not_exist() {
    let app = spawn_app().await;
    let anonymous = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("guess")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    app.stop().await;
    let app = touming_tests::spawn_app_with(|c| c.metrics.token = String::new()).await;
    let off = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(off.status(), 404);
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
            // The test server is on loopback with TLS on: the app's connections are
            // plain, since encrypting to oneself only costs CPU.
            let tls = one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                .await
                .unwrap()
                .unwrap();
            assert!(
                !tls.try_get_by_index::<bool>(0).unwrap(),
                "a loopback connection negotiated TLS"
            );
        }
        other => panic!("unexpected backend {other:?}"),
    }
    // Foreign keys hold on both: a user of an org that does not exist is refused.
    let orphan = app
        .db
        .execute_unprepared(
            "INSERT INTO \"user\" (org_id, username, display_name, roles, password_hash, active, password_changed_at, created_at) \
             VALUES (987654, 'orphan', 'x', 'VIEWER', 'x', true, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')",
        )
        .await;
    assert!(orphan.is_err(), "foreign key not enforced");
    app.stop().await;
}
