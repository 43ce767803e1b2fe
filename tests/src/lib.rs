//! The harness for end-to-end tests: the real server on port 0 against a fresh
//! database (a temporary SQLite file, or a fresh PostgreSQL database when
//! `TOUMING_TEST_DATABASE_URL` is set) and, when `TOUMING_TEST_REDIS_URL` is set, a
//! real Redis carrying the job queue.

pub mod process;
pub mod socket;
pub mod spreadsheet;
pub mod world;

use std::net::SocketAddr;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use tokio::sync::watch;
use touming_api::app::{self, Running};
use touming_api::config::Config;

pub use world::World;

/// The bearer token `/metrics` asks for in tests.
pub const METRICS_TOKEN: &str = "test-metrics-token";

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    /// The server's own connection, for arranging time (moving timestamps back) and
    /// for checking what was or was not written.
    pub db: DatabaseConnection,
    running: Option<Running>,
    worker_stop: Option<watch::Sender<bool>>,
    postgres: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], with the configuration adjusted first.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::defaults();
    config.listen = "127.0.0.1:0".into();
    config.web_dir = dir.path().join("no-web").display().to_string();
    config.log_filter = "warn".into();
    config.evidence.store = dir.path().join("evidence").display().to_string();
    // The statement-count tests read it; the default (off) is tested on its own.
    config.graphql.statement_header = true;
    // Stories sign in with the password alone; the second factor's tests turn it on.
    config.auth.require_second_factor = false;
    config.metrics.token = METRICS_TOKEN.into();
    let mut postgres = None;
    match std::env::var("TOUMING_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(admin_url) => {
            let name = format!("touming_test_{:016x}", rand_u64());
            let admin = Database::connect(&admin_url)
                .await
                .expect("PostgreSQL reachable");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            config.database.url = replace_database(&admin_url, &name);
            postgres = Some((admin_url, name));
        }
        None => {
            config.database.url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("touming.db").display()
            );
        }
    }
    if let Some(redis) = std::env::var("TOUMING_TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        config.redis.url = redis;
        config.redis.stream = format!("touming:test:{:016x}:jobs", rand_u64());
        config.redis.events_channel = format!("touming:test:{:016x}:rollups", rand_u64());
    }
    configure(&mut config);
    touming_api::telemetry::init(&config);
    let db = touming_api::db::connect(&config.database)
        .await
        .expect("database");
    let running = app::spawn(config, db).await.expect("server starts");
    // With Redis configured the server runs no worker; start one as `touming work` would
    // (unless the test runs its own worker process).
    let worker_stop =
        (running.state.redis.is_some() && running.state.config.worker.embedded).then(|| {
            let (stop, signal) = watch::channel(false);
            tokio::spawn(app::worker(&running.state).run(signal));
            stop
        });
    TestApp {
        addr: running.addr,
        client: reqwest::Client::new(),
        db: running.state.db.clone(),
        running: Some(running),
        worker_stop,
        postgres,
        _dir: dir,
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

/// `postgres://u@h:5432/postgres?x` with another database name.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (server, _) = base.rsplit_once('/').expect("database URL has a path");
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn state(&self) -> &touming_api::state::AppState {
        &self.running.as_ref().expect("running").state
    }

    /// Posts a GraphQL document and returns the whole JSON response.
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON response")
    }

    /// Posts a GraphQL document; the answer with the statements it took
    /// (`x-sql-statements`, sent because the harness turns the debug header on).
    pub async fn graphql_counted(
        &self,
        token: &str,
        query: &str,
        variables: Value,
    ) -> (u32, Value) {
        let response = self
            .client
            .post(self.url("/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request");
        let statements = response.headers()["x-sql-statements"]
            .to_str()
            .expect("a number")
            .parse()
            .expect("a number");
        (statements, response.json().await.expect("JSON response"))
    }

    /// Signs in as a browser does (`POST /auth/login`); the session cookie's
    /// `name=value` pair.
    pub async fn browser_cookie(&self, username: &str, password: &str) -> String {
        let response = self
            .client
            .post(self.url("/auth/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("request");
        let set_cookie = response.headers()["set-cookie"].to_str().expect("a cookie");
        set_cookie.split(';').next().expect("a pair").to_owned()
    }

    /// `me` as the browser asks for it: with the session cookie, no bearer token.
    pub async fn me_with_cookie(&self, cookie: &str) -> Value {
        self.client
            .post(self.url("/graphql"))
            .header("cookie", cookie)
            .json(&json!({ "query": "{ me { user { username } } }" }))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON response")
    }

    /// Logs in through GraphQL and returns the bearer token; panics on failure.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let response = self
            .graphql(
                None,
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                json!({ "u": username, "p": password }),
            )
            .await;
        response["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login of {username} failed: {response}"))
            .to_owned()
    }

    /// Runs a statement on the server's database (to arrange the clock, or to count).
    pub async fn sql(&self, sql: &str) {
        self.db.execute_unprepared(sql).await.expect(sql);
    }

    pub async fn count(&self, table: &str) -> i64 {
        self.count_where(table, "1 = 1").await
    }

    /// Rows of `table` meeting an SQL `condition`.
    pub async fn count_where(&self, table: &str, condition: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM \"{table}\" WHERE {condition}"),
            ))
            .await
            .expect("count")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("n")
    }

    /// Stops the server and worker, and drops the PostgreSQL test database.
    pub async fn stop(mut self) {
        if let Some(stop) = self.worker_stop.take() {
            let _ = stop.send(true);
        }
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
        let _ = self.db.clone().close().await;
        if let Some((admin_url, name)) = self.postgres.take()
            && let Ok(admin) = Database::connect(&admin_url).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}

/// The error code of the first error of a response, if any.
pub fn error_code(response: &Value) -> Option<&str> {
    response["errors"][0]["extensions"]["code"].as_str()
}

/// The fields a `VALIDATION` error names.
pub fn error_fields(response: &Value) -> Vec<String> {
    response["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl TestApp {
    /// Uploads a file through a GraphQL multipart request (the variable `$file`).
    pub async fn graphql_upload(
        &self,
        token: &str,
        query: &str,
        variables: Value,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Value {
        let mut variables = variables;
        variables["file"] = Value::Null;
        let operations = json!({ "query": query, "variables": variables });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({ "0": ["variables.file"] }).to_string())
            .part(
                "0",
                reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
            );
        self.client
            .post(self.url("/graphql"))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON response")
    }
}
