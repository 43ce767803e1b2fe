//! Malformed, oversized, too deep or too costly documents are refused with
//! `VALIDATION` naming the `query`, before any resolver runs.

use serde_json::json;
use touming_domain::Role;
use touming_tests::{World, error_code, error_fields, spawn_app};

#[tokio::test]
async fn hostile_documents_are_refused() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.liaoning, Role::Admin).await;

    let malformed = app
        .graphql(Some(&token), "{ me { user { username }", json!({}))
        .await;
    assert_eq!(error_code(&malformed), Some("VALIDATION"), "{malformed}");
    assert_eq!(error_fields(&malformed), vec!["query"]);

    let mut deep = String::from("{ me { org ");
    for _ in 0..50 {
        deep.push_str("{ parent ");
    }
    deep.push_str("{ id }");
    deep.push_str(&"}".repeat(50));
    deep.push_str(" } }");
    let deep = app.graphql(Some(&token), &deep, json!({})).await;
    assert_eq!(error_code(&deep), Some("VALIDATION"), "{deep}");
    assert!(deep["data"].is_null());

    let costly = "{ orgs(first: 200) { edges { node { children(first: 200) { edges { node { children(first: 200) { edges { node { id name code } } } } } } } } } }";
    let costly = app.graphql(Some(&token), costly, json!({})).await;
    assert_eq!(error_code(&costly), Some("VALIDATION"), "{costly}");

    let huge = format!(
        "{{ me {{ user {{ username }} }} }} # {}",
        "x".repeat(70_000)
    );
    let huge = app.graphql(Some(&token), &huge, json!({})).await;
    assert_eq!(error_code(&huge), Some("VALIDATION"), "{huge}");
    assert!(
        huge["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("过大")
    );

    let bad_argument = app
        .graphql(
            Some(&token),
            "{ orgs(first: -1) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_fields(&bad_argument), vec!["first"], "{bad_argument}");

    // An ordinary page still fits the budget.
    let fine = app
        .graphql(
            Some(&token),
            "{ orgs(first: 200) { totalCount edges { node { id name code kind } } } }",
            json!({}),
        )
        .await;
    assert_eq!(fine["data"]["orgs"]["totalCount"], 5, "{fine}");
    app.stop().await;
}

#[tokio::test]
async fn a_batch_runs_each_operation_with_its_own_errors() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Filler).await;
    let batch = json!([
        { "query": "{ me { user { username } } }" },
        { "query": "query($id: ID!) { org(id: $id) { name } }", "variables": { "id": world.shenhe.id.to_string() } },
    ]);
    let responses: serde_json::Value = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .json(&batch)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        responses[0]["data"]["me"]["user"]["username"],
        "210102-filler"
    );
    assert_eq!(error_code(&responses[1]), Some("NOT_FOUND"));
    app.stop().await;
}

#[tokio::test]
async fn a_sixty_thousand_character_search_is_a_validation_error_naming_it() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.liaoning, Role::Admin).await;
    let long = "卫".repeat(60_000);
    for query in [
        "query($s: String) { orgs(search: $s) { totalCount } }",
        "query($s: String) { users(search: $s) { totalCount } }",
    ] {
        let r = app.graphql(Some(&token), query, json!({ "s": long })).await;
        assert_eq!(error_code(&r), Some("VALIDATION"), "{r}");
        assert_eq!(error_fields(&r), vec!["search"]);
    }
    // Written into the document instead of a variable: the same answer.
    let inline = format!(
        "{{ orgs(search: \"{}\") {{ totalCount }} }}",
        "a".repeat(60_000)
    );
    let r = app.graphql(Some(&token), &inline, json!({})).await;
    assert_eq!(error_code(&r), Some("VALIDATION"), "{r}");
    assert_eq!(error_fields(&r), vec!["search"]);
    // Within the general limit but longer than any name: still named.
    let r = app
        .graphql(
            Some(&token),
            "query($s: String) { orgs(search: $s) { totalCount } }",
            json!({ "s": "x".repeat(500) }),
        )
        .await;
    assert_eq!(error_fields(&r), vec!["search"], "{r}");
    // Any string argument, however deep in an input.
    let r = app
        .graphql(
            Some(&token),
            "mutation($i: CreateOrgInput!) { createOrg(input: $i) { id } }",
            json!({ "i": { "parentId": world.shenyang.id.to_string(), "kind": "COUNTY", "code": "210199", "name": "x".repeat(20_000) } }),
        )
        .await;
    assert_eq!(error_code(&r), Some("VALIDATION"), "{r}");
    assert_eq!(error_fields(&r), vec!["input.name"]);
    app.stop().await;
}

#[tokio::test]
async fn a_search_for_percent_or_underscore_finds_only_those_characters() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.liaoning, Role::Admin).await;
    for wildcard in ["%", "_"] {
        let r = app
            .graphql(
                Some(&token),
                "query($s: String) { orgs(search: $s) { totalCount } users(search: $s) { totalCount } }",
                json!({ "s": wildcard }),
            )
            .await;
        assert_eq!(r["data"]["orgs"]["totalCount"], 0, "{wildcard}: {r}");
        assert_eq!(r["data"]["users"]["totalCount"], 0, "{wildcard}: {r}");
    }
    let r = app
        .graphql(
            Some(&token),
            "{ orgs(search: \"人民医院\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["orgs"]["totalCount"], 1, "{r}");
    app.stop().await;
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_a_graphql_error_with_a_code() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body("{ not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.expect("a JSON body");
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert_eq!(error_fields(&body), vec!["body"]);
    assert!(
        !body.to_string().contains("Error("),
        "no Rust debug text: {body}"
    );
    app.stop().await;
}
