//! Administrators sign in with a second factor when the setting says so: an ADMIN
//! without an authenticator gets no session, only the secret to enrol with; then every
//! sign-in needs a fresh code or a one-time recovery code, and wrong codes count
//! towards the lock.

use serde_json::{Value, json};
use touming_tests::world::PASSWORD;
use touming_tests::{TestApp, World, error_code, spawn_app_with};

const LOGIN: &str = "mutation($u: String!, $p: String!, $c: String) { login(username: $u, password: $p, code: $c) { token recoveryCodes } }";

async fn login(app: &TestApp, username: &str, code: Option<&str>) -> Value {
    app.graphql(
        None,
        LOGIN,
        json!({ "u": username, "p": PASSWORD, "c": code }),
    )
    .await
}

/// What the authenticator app shows now for `secret`.
fn code_now(secret: &str, username: &str) -> String {
    totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .with_account_name(username)
        .with_issuer(Some("Touming"))
        .build()
        .unwrap()
        .generate_current()
        .to_string()
}

#[tokio::test]
async fn an_admin_enrols_at_sign_in_and_then_always_needs_a_code() {
    let app = spawn_app_with(|c| c.auth.require_second_factor = true).await;
    World::build(&app).await;
    let admin = "210000-admin";

    // The right password alone: no session, the secret to enrol with.
    let first = login(&app, admin, None).await;
    assert_eq!(
        error_code(&first),
        Some("SECOND_FACTOR_ENROLMENT"),
        "{first}"
    );
    assert!(first["data"].is_null() || first["data"]["login"].is_null());
    let secret = first["errors"][0]["extensions"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = first["errors"][0]["extensions"]["otpauthUrl"]
        .as_str()
        .unwrap();
    assert!(url.starts_with("otpauth://totp/"), "{url}");
    assert!(url.contains(&secret), "{url}");
    assert_eq!(app.count("session").await, 0);
    // Asking again shows the same secret (a reload must not spoil a scanned QR code).
    let again = login(&app, admin, None).await;
    assert_eq!(again["errors"][0]["extensions"]["secret"], secret.as_str());

    let code = code_now(&secret, admin);
    let enrolled = login(&app, admin, Some(&code)).await;
    assert!(enrolled["data"]["login"]["token"].is_string(), "{enrolled}");
    let recovery: Vec<String> = enrolled["data"]["login"]["recoveryCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recovery.len(), 10);
    // Stored as digests: ten 64-hex-digit hashes, none of them a code as shown or typed.
    assert_eq!(app.count("recovery_code").await, 10);
    assert_eq!(
        app.count_where("recovery_code", "LENGTH(code_hash) = 64")
            .await,
        10
    );
    for code in &recovery {
        let typed = code.replace('-', "");
        let clear = format!("code_hash IN ('{code}', '{typed}')");
        assert_eq!(
            app.count_where("recovery_code", &clear).await,
            0,
            "{code} stored in clear"
        );
    }

    // From now on the password alone is not enough, and a code is good once.
    let password_only = login(&app, admin, None).await;
    assert_eq!(
        error_code(&password_only),
        Some("SECOND_FACTOR_REQUIRED"),
        "{password_only}"
    );
    let replayed = login(&app, admin, Some(&code)).await;
    assert_eq!(error_code(&replayed), Some("UNAUTHENTICATED"), "{replayed}");

    // A recovery code stands in for the phone, once.
    let rescued = login(&app, admin, Some(&recovery[0])).await;
    assert!(rescued["data"]["login"]["token"].is_string(), "{rescued}");
    assert!(
        rescued["data"]["login"]["recoveryCodes"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let reused = login(&app, admin, Some(&recovery[0])).await;
    assert_eq!(error_code(&reused), Some("UNAUTHENTICATED"), "{reused}");

    // A filler is not asked.
    let filler = login(&app, "210102-filler", None).await;
    assert!(filler["data"]["login"]["token"].is_string(), "{filler}");
    app.stop().await;
}

#[tokio::test]
async fn wrong_second_factors_count_towards_the_lock() {
    let app = spawn_app_with(|c| c.auth.require_second_factor = true).await;
    World::build(&app).await;
    let admin = "210100-admin";
    let first = login(&app, admin, None).await;
    let secret = first["errors"][0]["extensions"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let enrolled = login(&app, admin, Some(&code_now(&secret, admin))).await;
    assert!(enrolled["data"]["login"]["token"].is_string(), "{enrolled}");

    let mut codes = Vec::new();
    for _ in 0..6 {
        codes.push(
            error_code(&login(&app, admin, Some("000000")).await)
                .unwrap_or("?")
                .to_owned(),
        );
    }
    assert_eq!(
        codes,
        [
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "LOCKED",
            "LOCKED"
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn the_browser_sign_in_asks_for_the_second_factor_the_same_way() {
    let app = spawn_app_with(|c| c.auth.require_second_factor = true).await;
    World::build(&app).await;
    let post = |code: Option<String>| {
        app.client
            .post(app.url("/auth/login"))
            .json(&json!({ "username": "210000-admin", "password": PASSWORD, "code": code }))
            .send()
    };
    let first = post(None).await.unwrap();
    assert_eq!(first.status(), 401);
    assert!(first.headers().get("set-cookie").is_none());
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["code"], "SECOND_FACTOR_ENROLMENT", "{body}");
    let secret = body["secret"].as_str().unwrap().to_owned();
    let signed_in = post(Some(code_now(&secret, "210000-admin"))).await.unwrap();
    assert_eq!(signed_in.status(), 200);
    assert!(signed_in.headers().get("set-cookie").is_some());
    let body: Value = signed_in.json().await.unwrap();
    assert_eq!(body["recoveryCodes"].as_array().unwrap().len(), 10);
    app.stop().await;
}
