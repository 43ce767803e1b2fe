//! An ADMIN looks after the accounts of its subtree: staff who leave are switched off
//! at once, locks are lifted, forgotten passwords replaced. Weak passwords never get in.

use serde_json::{Value, json};
use touming_domain::Role;
use touming_tests::world::PASSWORD;
use touming_tests::{TestApp, World, error_code, error_fields, spawn_app};

const ME: &str = "{ me { user { username } } }";
const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";

async fn user_id(app: &TestApp, admin: &str, username: &str) -> Value {
    let r = app
        .graphql(
            Some(admin),
            "query($s: String) { users(search: $s) { edges { node { id username } } } }",
            json!({ "s": username }),
        )
        .await;
    r["data"]["users"]["edges"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["node"]["username"] == username))
        .unwrap_or_else(|| panic!("{username}: {r}"))["node"]["id"]
        .clone()
}

#[tokio::test]
async fn a_deactivated_user_is_out_at_once_and_signs_in_like_a_wrong_password() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.shenyang, Role::Admin).await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let id = user_id(&app, &admin, "210102-filler").await;

    let off = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { deactivateUser(id: $id) { active } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(off["data"]["deactivateUser"]["active"], false, "{off}");
    let me = app.graphql(Some(&filler), ME, json!({})).await;
    assert_eq!(
        error_code(&me),
        Some("UNAUTHENTICATED"),
        "the token stopped working"
    );

    let switched_off = app
        .graphql(None, LOGIN, json!({ "u": "210102-filler", "p": PASSWORD }))
        .await;
    let wrong = app
        .graphql(
            None,
            LOGIN,
            json!({ "u": "210103-filler", "p": "Wrong#2025pass" }),
        )
        .await;
    assert_eq!(error_code(&switched_off), Some("UNAUTHENTICATED"));
    assert_eq!(
        switched_off["errors"][0]["message"], wrong["errors"][0]["message"],
        "the same answer as a wrong password"
    );
    assert_eq!(
        app.count_where("audit_event", "action = 'user.deactivate'")
            .await,
        1
    );

    let on = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { reactivateUser(id: $id) { active } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(on["data"]["reactivateUser"]["active"], true, "{on}");
    let back = app
        .graphql(None, LOGIN, json!({ "u": "210102-filler", "p": PASSWORD }))
        .await;
    assert!(back["data"]["login"]["token"].is_string(), "{back}");
    app.stop().await;
}

#[tokio::test]
async fn an_admin_lifts_a_lock_and_replaces_a_forgotten_password() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.heping, Role::Admin).await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    for _ in 0..5 {
        app.graphql(
            None,
            LOGIN,
            json!({ "u": "210102-filler", "p": "Wrong#2025pass" }),
        )
        .await;
    }
    let locked = app
        .graphql(None, LOGIN, json!({ "u": "210102-filler", "p": PASSWORD }))
        .await;
    assert_eq!(error_code(&locked), Some("LOCKED"));
    let id = user_id(&app, &admin, "210102-filler").await;
    let unlocked = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { unlockUser(id: $id) { username } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        unlocked["data"]["unlockUser"]["username"], "210102-filler",
        "{unlocked}"
    );
    let in_again = app
        .graphql(None, LOGIN, json!({ "u": "210102-filler", "p": PASSWORD }))
        .await;
    assert!(in_again["data"]["login"]["token"].is_string(), "{in_again}");

    const RESET: &str =
        "mutation($id: ID!, $p: String!) { resetPassword(id: $id, newPassword: $p) { username } }";
    let weak = app
        .graphql(Some(&admin), RESET, json!({ "id": id, "p": "Password1!" }))
        .await;
    assert_eq!(error_fields(&weak), vec!["newPassword"], "{weak}");
    let reset = app
        .graphql(
            Some(&admin),
            RESET,
            json!({ "id": id, "p": "Fresh#2026password" }),
        )
        .await;
    assert_eq!(
        reset["data"]["resetPassword"]["username"], "210102-filler",
        "{reset}"
    );
    assert_eq!(
        error_code(&app.graphql(Some(&filler), ME, json!({})).await),
        Some("UNAUTHENTICATED"),
        "the old sessions ended"
    );
    let new = app
        .graphql(
            None,
            LOGIN,
            json!({ "u": "210102-filler", "p": "Fresh#2026password" }),
        )
        .await;
    assert!(new["data"]["login"]["token"].is_string(), "{new}");
    app.stop().await;
}

#[tokio::test]
async fn only_admins_of_the_subtree_look_after_accounts() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    let id = user_id(&app, &province, "210102-filler").await;
    let sibling = world.login(&app, &world.shenhe, Role::Admin).await;
    let outsider = world.login(&app, &world.fujian, Role::Admin).await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    for (token, expected) in [
        (&sibling, "NOT_FOUND"),
        (&outsider, "NOT_FOUND"),
        (&filler, "FORBIDDEN"),
    ] {
        for mutation in ["deactivateUser", "unlockUser", "resetSecondFactor"] {
            let r = app
                .graphql(
                    Some(token),
                    &format!("mutation($id: ID!) {{ {mutation}(id: $id) {{ active }} }}"),
                    json!({ "id": id }),
                )
                .await;
            assert_eq!(error_code(&r), Some(expected), "{mutation}: {r}");
        }
    }
    let own = world.login(&app, &world.liaoning, Role::Admin).await;
    let me = user_id(&app, &own, "210000-admin").await;
    let myself = app
        .graphql(
            Some(&own),
            "mutation($id: ID!) { deactivateUser(id: $id) { active } }",
            json!({ "id": me }),
        )
        .await;
    assert_eq!(error_code(&myself), Some("VALIDATION"), "{myself}");
    assert!(app.graphql(Some(&filler), ME, json!({})).await["data"]["me"].is_object());
    app.stop().await;
}

#[tokio::test]
async fn common_passwords_and_ones_with_the_username_are_refused() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.heping, Role::Admin).await;
    const CREATE: &str = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    for password in ["Password1!", "Qwerty123!", "Admin@12345", "Xhp.clerk2025!"] {
        let r = app
            .graphql(
                Some(&admin),
                CREATE,
                json!({ "i": {
                    "orgId": world.heping.id.to_string(),
                    "username": "hp.clerk",
                    "displayName": "和平区新填报员",
                    "roles": ["FILLER"],
                    "password": password,
                } }),
            )
            .await;
        assert_eq!(error_fields(&r), vec!["password"], "{password}: {r}");
    }
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let change = app
        .graphql(
            Some(&filler),
            "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }",
            json!({ "o": PASSWORD, "n": "Qwerty123!" }),
        )
        .await;
    assert_eq!(error_fields(&change), vec!["newPassword"], "{change}");
    app.stop().await;
}
