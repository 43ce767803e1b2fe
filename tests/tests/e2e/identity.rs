//! Logging in, lockout, throttling, passwords.

use serde_json::json;
use touming_domain::Role;
use touming_tests::world::PASSWORD;
use touming_tests::{World, error_code, error_fields, spawn_app, spawn_app_with};

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt user { username roles } } }";

#[tokio::test]
async fn a_county_filler_logs_in_and_sees_its_own_org_but_not_its_sibling() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Filler).await;

    let me = app
        .graphql(
            Some(&token),
            "{ me { user { username } org { id name code kind } roles } }",
            json!({}),
        )
        .await;
    assert_eq!(me["data"]["me"]["user"]["username"], "210102-filler");
    assert_eq!(me["data"]["me"]["org"]["code"], "210102");
    assert_eq!(me["data"]["me"]["org"]["kind"], "COUNTY");
    assert_eq!(me["data"]["me"]["roles"], json!(["FILLER"]));

    let sibling = app
        .graphql(
            Some(&token),
            "query($id: ID!) { org(id: $id) { name } }",
            json!({ "id": world.shenhe.id.to_string() }),
        )
        .await;
    assert_eq!(error_code(&sibling), Some("NOT_FOUND"), "{sibling}");
    assert!(sibling["data"]["org"].is_null());
    app.stop().await;
}

#[tokio::test]
async fn wrong_and_unknown_credentials_get_the_same_answer() {
    let app = spawn_app().await;
    World::build(&app).await;
    let wrong = app
        .graphql(
            None,
            LOGIN,
            json!({ "u": "210102-filler", "p": "Wrong#2025pass" }),
        )
        .await;
    let unknown = app
        .graphql(
            None,
            LOGIN,
            json!({ "u": "nobody-here", "p": "Wrong#2025pass" }),
        )
        .await;
    assert_eq!(error_code(&wrong), Some("UNAUTHENTICATED"));
    assert_eq!(error_code(&unknown), Some("UNAUTHENTICATED"));
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
    app.stop().await;
}

#[tokio::test]
async fn five_failed_logins_lock_the_account_for_fifteen_minutes() {
    let app = spawn_app().await;
    World::build(&app).await;
    let attempt =
        |p: &'static str| app.graphql(None, LOGIN, json!({ "u": "210102-filler", "p": p }));
    for _ in 0..4 {
        assert_eq!(
            error_code(&attempt("Wrong#2025pass").await),
            Some("UNAUTHENTICATED")
        );
    }
    let fifth = attempt("Wrong#2025pass").await;
    assert_eq!(error_code(&fifth), Some("LOCKED"), "{fifth}");
    let locked_until = fifth["errors"][0]["extensions"]["lockedUntil"]
        .as_str()
        .unwrap()
        .to_owned();
    let until = chrono::DateTime::parse_from_rfc3339(&locked_until).unwrap();
    let minutes = (until.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes();
    assert!((14..=15).contains(&minutes), "locked for {minutes} minutes");

    // Even the right password is refused while locked.
    assert_eq!(error_code(&attempt(PASSWORD).await), Some("LOCKED"));

    // Fifteen minutes later (moved on in the database), the right password works again.
    app.sql("UPDATE login_lockout SET locked_until = '2020-01-01 00:00:00+00:00' WHERE username = '210102-filler'")
        .await;
    let after = attempt(PASSWORD).await;
    assert!(after["data"]["login"]["token"].is_string(), "{after}");
    app.stop().await;
}

#[tokio::test]
async fn login_attempts_are_rate_limited_per_address() {
    let app = spawn_app_with(|c| c.auth.login_attempts_per_minute = 3).await;
    World::build(&app).await;
    for _ in 0..3 {
        let r = app
            .graphql(None, LOGIN, json!({ "u": "nobody", "p": "x" }))
            .await;
        assert_eq!(error_code(&r), Some("UNAUTHENTICATED"));
    }
    // Rate limiting comes before the password check: the right one is refused too.
    let r = app
        .graphql(None, LOGIN, json!({ "u": "210102-filler", "p": PASSWORD }))
        .await;
    assert_eq!(error_code(&r), Some("RATE_LIMITED"), "{r}");
    app.stop().await;
}

#[tokio::test]
async fn a_hundred_aliased_logins_in_one_request_each_count() {
    let app = spawn_app().await;
    World::build(&app).await;
    let fields: String = (0..100)
        .map(|i| format!("a{i}: login(username: \"210102-filler\", password: \"Guess#{i:04}xyz\") {{ token }} "))
        .collect();
    let response = app
        .graphql(None, &format!("mutation {{ {fields} }}"), json!({}))
        .await;
    let errors = response["errors"].as_array().expect("errors");
    let count = |code: &str| {
        errors
            .iter()
            .filter(|e| e["extensions"]["code"] == code)
            .count()
    };
    // 20 attempts per minute per address; the account locks after 5 wrong passwords.
    assert_eq!(count("RATE_LIMITED"), 80, "{response}");
    assert_eq!(count("UNAUTHENTICATED") + count("LOCKED"), 20);
    assert!(count("LOCKED") >= 1);
    assert!(response["data"].is_null() || response["data"]["a0"].is_null());
    app.stop().await;
}

#[tokio::test]
async fn a_password_hashed_with_old_parameters_is_rehashed_at_login() {
    let app = spawn_app().await;
    World::build(&app).await;
    // A hash with t=3, as an older configuration would have written it.
    let old = touming_api::auth::PasswordHasher::new(19456, 3, 1)
        .unwrap()
        .hash(PASSWORD)
        .await
        .unwrap();
    assert!(old.contains("t=3"));
    app.sql(&format!(
        "UPDATE \"user\" SET password_hash = '{old}' WHERE username = '210102-filler'"
    ))
    .await;
    app.login("210102-filler", PASSWORD).await;
    let stored = touming_store::entity::user::Entity::find()
        .filter(touming_store::entity::user::Column::Username.eq("210102-filler"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    assert!(
        stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{stored}"
    );
    app.stop().await;
}

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[tokio::test]
async fn changing_the_password_enforces_the_rules_and_ends_every_session() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let first = world.login(&app, &world.heping, Role::Filler).await;
    let second = world.login(&app, &world.heping, Role::Filler).await;
    let change =
        "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }";

    for (new, problem) in [
        ("short1A!", "too short"),
        ("alllowercaseletters", "one class"),
        ("Xx210102-filler9", "contains the username"),
    ] {
        let r = app
            .graphql(Some(&first), change, json!({ "o": PASSWORD, "n": new }))
            .await;
        assert_eq!(error_code(&r), Some("VALIDATION"), "{problem}: {r}");
        assert_eq!(error_fields(&r), vec!["newPassword"], "{problem}");
    }
    let wrong_old = app
        .graphql(
            Some(&first),
            change,
            json!({ "o": "Nope#2025nope", "n": "Fresh#2026password" }),
        )
        .await;
    assert_eq!(error_fields(&wrong_old), vec!["oldPassword"]);

    let ok = app
        .graphql(
            Some(&first),
            change,
            json!({ "o": PASSWORD, "n": "Fresh#2026password" }),
        )
        .await;
    assert_eq!(ok["data"]["changePassword"], true, "{ok}");
    for token in [&first, &second] {
        let r = app
            .graphql(Some(token), "{ me { user { username } } }", json!({}))
            .await;
        assert_eq!(error_code(&r), Some("UNAUTHENTICATED"), "{r}");
    }
    let old = app
        .graphql(None, LOGIN, json!({ "u": "210102-filler", "p": PASSWORD }))
        .await;
    assert_eq!(error_code(&old), Some("UNAUTHENTICATED"));
    app.login("210102-filler", "Fresh#2026password").await;
    app.stop().await;
}

#[tokio::test]
async fn the_browser_logs_in_with_an_http_only_strict_cookie() {
    let app = spawn_app().await;
    World::build(&app).await;
    let response = app
        .client
        .post(app.url("/auth/login"))
        .json(&json!({ "username": "210102-FILLER", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("touming_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();

    let me: serde_json::Value = app.me_with_cookie(&pair).await;
    assert_eq!(me["data"]["me"]["user"]["username"], "210102-filler");

    let out = app
        .client
        .post(app.url("/auth/logout"))
        .header("cookie", &pair)
        .send()
        .await
        .unwrap();
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after: serde_json::Value = app.me_with_cookie(&pair).await;
    assert_eq!(error_code(&after), Some("UNAUTHENTICATED"));

    let bad = app
        .client
        .post(app.url("/auth/login"))
        .json(&json!({ "username": "210102-filler", "password": "nope" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["code"], "UNAUTHENTICATED");
    app.stop().await;
}
