//! The sign-in lock holds however the guesses arrive: in parallel, batched, aliased,
//! as `changePassword` guesses, and for names that belong to nobody.

use futures_util::future::join_all;
use serde_json::{Value, json};
use touming_domain::Role;
use touming_tests::world::PASSWORD;
use touming_tests::{TestApp, World, error_code, spawn_app_with};

const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";

async fn login(app: &TestApp, username: &str, password: &str) -> Value {
    app.graphql(None, LOGIN, json!({ "u": username, "p": password }))
        .await
}

/// Password checks made for `username` (each wrong one is audited with its reason).
async fn password_checks(app: &TestApp, username: &str) -> i64 {
    app.count_where(
        "audit_event",
        &format!(
            "action = 'login_failed' AND actor_name = '{username}' \
             AND (after LIKE '%wrong_password%' OR after LIKE '%locked_now%' OR after LIKE '%unknown_user%')"
        ),
    )
    .await
}

#[tokio::test]
async fn twenty_simultaneous_guesses_lock_the_account_at_the_sixth() {
    let app = spawn_app_with(|c| c.auth.login_attempts_per_minute = 100).await;
    World::build(&app).await;
    let guesses = (0..20).map(|i| {
        let password = format!("Guess#{i:04}wrong");
        let app = &app;
        async move { login(app, "210102-filler", &password).await }
    });
    let answers = join_all(guesses).await;
    let codes: Vec<_> = answers
        .iter()
        .map(|a| error_code(a).unwrap_or("?"))
        .collect();
    let wrong = codes.iter().filter(|c| **c == "UNAUTHENTICATED").count();
    let locked = codes.iter().filter(|c| **c == "LOCKED").count();
    assert_eq!((wrong, locked), (4, 16), "{codes:?}");
    assert_eq!(
        password_checks(&app, "210102-filler").await,
        5,
        "only five guesses were checked"
    );
    let right = login(&app, "210102-filler", PASSWORD).await;
    assert_eq!(error_code(&right), Some("LOCKED"), "{right}");
    app.stop().await;
}

#[tokio::test]
async fn a_batch_of_aliased_logins_counts_each_attempt() {
    let app = spawn_app_with(|c| c.auth.login_attempts_per_minute = 1000).await;
    World::build(&app).await;
    let aliases: String = (0..5)
        .map(|i| format!("a{i}: login(username: \"210102-filler\", password: \"Guess#{i}wrong\") {{ token }} "))
        .collect();
    let batch: Vec<Value> = (0..20)
        .map(|_| json!({ "query": format!("mutation {{ {aliases} }}") }))
        .collect();
    let answers: Vec<Value> = app
        .client
        .post(app.url("/graphql"))
        .json(&batch)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<String> = answers
        .iter()
        .flat_map(|a| a["errors"].as_array().cloned().unwrap_or_default())
        .map(|e| e["extensions"]["code"].as_str().unwrap_or("?").to_owned())
        .collect();
    assert_eq!(codes.len(), 100);
    assert_eq!(codes.iter().filter(|c| *c == "UNAUTHENTICATED").count(), 4);
    assert_eq!(codes.iter().filter(|c| *c == "LOCKED").count(), 96);
    assert_eq!(password_checks(&app, "210102-filler").await, 5);
    let right = login(&app, "210102-filler", PASSWORD).await;
    assert_eq!(error_code(&right), Some("LOCKED"));
    app.stop().await;
}

#[tokio::test]
async fn known_and_unknown_names_both_lock_after_five_failures() {
    let app = spawn_app_with(|c| c.auth.login_attempts_per_minute = 100).await;
    World::build(&app).await;
    let mut answers = Vec::new();
    for name in ["210102-filler", "nobody-at-all"] {
        let mut codes = Vec::new();
        for _ in 0..6 {
            codes.push(error_code(&login(&app, name, "Wrong#2025pass").await).map(str::to_owned));
        }
        answers.push(codes);
    }
    let expected: Vec<Option<String>> = [
        "UNAUTHENTICATED",
        "UNAUTHENTICATED",
        "UNAUTHENTICATED",
        "UNAUTHENTICATED",
        "LOCKED",
        "LOCKED",
    ]
    .iter()
    .map(|c| Some(c.to_string()))
    .collect();
    assert_eq!(answers[0], expected, "a real user");
    assert_eq!(answers[1], expected, "a name nobody has answers the same");
    app.stop().await;
}

#[tokio::test]
async fn wrong_old_passwords_are_guesses_too() {
    let app = spawn_app_with(|c| c.auth.login_attempts_per_minute = 100).await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Filler).await;
    const CHANGE: &str =
        "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }";
    let mut codes = Vec::new();
    for i in 0..6 {
        let r = app
            .graphql(
                Some(&token),
                CHANGE,
                json!({ "o": format!("Guess#{i}wrong"), "n": "Fresh#2026password" }),
            )
            .await;
        codes.push(error_code(&r).unwrap_or("?").to_owned());
    }
    assert_eq!(
        codes,
        [
            "VALIDATION",
            "VALIDATION",
            "VALIDATION",
            "VALIDATION",
            "LOCKED",
            "LOCKED"
        ],
        "the fifth wrong old password locks the name"
    );
    // Locked means locked: even the right old password, and a fresh sign-in, wait.
    let right = app
        .graphql(
            Some(&token),
            CHANGE,
            json!({ "o": PASSWORD, "n": "Fresh#2026password" }),
        )
        .await;
    assert_eq!(error_code(&right), Some("LOCKED"), "{right}");
    let again = login(&app, "210102-filler", PASSWORD).await;
    assert_eq!(error_code(&again), Some("LOCKED"));
    app.stop().await;
}

#[tokio::test]
async fn change_password_guesses_are_throttled_per_address() {
    let app = spawn_app_with(|c| c.auth.login_attempts_per_minute = 3).await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Filler).await;
    let mut codes = Vec::new();
    for i in 0..3 {
        let r = app
            .graphql(
                Some(&token),
                "mutation($o: String!) { changePassword(oldPassword: $o, newPassword: \"Fresh#2026password\") }",
                json!({ "o": format!("Guess#{i}wrong") }),
            )
            .await;
        codes.push(error_code(&r).unwrap_or("?").to_owned());
    }
    // The sign-in used one attempt of the three.
    assert_eq!(codes, ["VALIDATION", "VALIDATION", "RATE_LIMITED"]);
    app.stop().await;
}
