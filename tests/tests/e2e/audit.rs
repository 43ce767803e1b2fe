//! Every login attempt, logout and mutation leaves a line; admins read their subtree's.

use serde_json::{Value, json};
use touming_domain::Role;
use touming_tests::world::PASSWORD;
use touming_tests::{World, error_code, spawn_app};

const LOG: &str = "query($e: String) { auditLog(entity: $e, first: 200) { totalCount edges { node { action entity entityId actorName orgId before after ip } } } }";

fn actions(log: &Value) -> Vec<String> {
    log["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{log}"))
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_mutation_and_login_attempt_is_recorded_with_before_and_after() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.heping, Role::Admin).await;
    let failed = app
        .graphql(
            None,
            "mutation { login(username: \"210102-filler\", password: \"Wrong#2025x\") { token } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&failed), Some("UNAUTHENTICATED"));

    let credit = touming_domain::CreditCode::complete("12210102MB0000077").unwrap();
    let created = app
        .graphql(
            Some(&admin),
            "mutation($p: ID!, $c: String!) { createOrg(input: { parentId: $p, kind: INSTITUTION, code: $c, name: \"和平区妇幼保健院\" }) { id } }",
            json!({ "p": world.heping.id.to_string(), "c": credit.as_str() }),
        )
        .await;
    let org_id = created["data"]["createOrg"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.graphql(
        Some(&admin),
        "mutation($o: ID!) { createUser(input: { orgId: $o, username: \"fy.filler\", displayName: \"妇幼填报员\", roles: [FILLER], password: \"Strong#2025pass\" }) { id } }",
        json!({ "o": org_id }),
    )
    .await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    app.graphql(
        Some(&filler),
        "mutation($o: String!) { changePassword(oldPassword: $o, newPassword: \"Fresh#2026password\") }",
        json!({ "o": PASSWORD }),
    )
    .await;
    app.graphql(Some(&admin), "mutation { logout }", json!({}))
        .await;
    let admin = world.login(&app, &world.heping, Role::Admin).await;

    let log = app.graphql(Some(&admin), LOG, json!({})).await;
    let seen = actions(&log);
    for action in [
        "login",
        "login_failed",
        "org.create",
        "user.create",
        "user.change_password",
        "logout",
    ] {
        assert!(
            seen.contains(&action.to_owned()),
            "{action} missing from {seen:?}"
        );
    }
    // Newest first.
    assert_eq!(seen[0], "login");

    let orgs = app.graphql(Some(&admin), LOG, json!({ "e": "org" })).await;
    let node = &orgs["data"]["auditLog"]["edges"][0]["node"];
    assert_eq!(node["action"], "org.create");
    assert_eq!(node["actorName"], "210102-admin");
    assert_eq!(node["entityId"], org_id);
    assert!(node["before"].is_null());
    let after: Value = serde_json::from_str(node["after"].as_str().unwrap()).unwrap();
    assert_eq!(after["code"], credit.as_str());
    assert_eq!(node["ip"], "127.0.0.1");

    let users = app.graphql(Some(&admin), LOG, json!({ "e": "user" })).await;
    let text = users.to_string();
    assert!(
        !text.contains("argon2"),
        "no password hash in the audit log: {text}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_audit_log_is_for_admins_and_scoped_to_their_subtree() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    world.login(&app, &world.heping, Role::Filler).await;
    world.login(&app, &world.shenhe, Role::Filler).await;

    let filler = world.login(&app, &world.heping, Role::Filler).await;
    assert_eq!(
        error_code(&app.graphql(Some(&filler), LOG, json!({})).await),
        Some("FORBIDDEN")
    );

    let fujian = world.login(&app, &world.fujian, Role::Admin).await;
    let theirs = app
        .graphql(Some(&fujian), LOG, json!({ "e": "session" }))
        .await;
    assert_eq!(
        theirs["data"]["auditLog"]["totalCount"], 1,
        "only its own login: {theirs}"
    );

    let heping = world.login(&app, &world.heping, Role::Admin).await;
    let mine = app
        .graphql(Some(&heping), LOG, json!({ "e": "session" }))
        .await;
    let orgs: Vec<&str> = mine["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["orgId"].as_str().unwrap())
        .collect();
    assert_eq!(orgs.len(), 3, "two filler logins and its own: {mine}");
    assert!(orgs.iter().all(|o| *o == world.heping.id.to_string()));

    // Pagination walks the whole log without repeats.
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    let total =
        app.graphql(Some(&province), LOG, json!({})).await["data"]["auditLog"]["totalCount"]
            .as_u64()
            .unwrap();
    let mut after: Option<String> = None;
    let mut walked = 0;
    loop {
        let page = app
            .graphql(
                Some(&province),
                "query($a: String) { auditLog(first: 3, after: $a) { edges { cursor } pageInfo { hasNextPage endCursor } } }",
                json!({ "a": after }),
            )
            .await;
        walked += page["data"]["auditLog"]["edges"].as_array().unwrap().len() as u64;
        if !page["data"]["auditLog"]["pageInfo"]["hasNextPage"]
            .as_bool()
            .unwrap()
        {
            break;
        }
        after = page["data"]["auditLog"]["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
    assert_eq!(walked, total);
    app.stop().await;
}
