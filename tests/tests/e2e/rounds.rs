//! Setting up a round as a province office would: the catalogues it names must be meant
//! for the orgs that will fill them in.

use serde_json::{Value, json};
use touming_domain::Role;
use touming_tests::{TestApp, World, error_fields, spawn_app};

const CREATE: &str = "mutation($i: CreateRoundInput!) { createRound(input: $i) { id status catalogues { orgKind } } }";

async fn published_version(app: &TestApp, token: &str, code: &str) -> Value {
    let catalogues = app
        .graphql(
            Some(token),
            "{ catalogues { code versions { id status } } }",
            json!({}),
        )
        .await;
    catalogues["data"]["catalogues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("{code}: {catalogues}"))["versions"][0]["id"]
        .clone()
}

fn round_input(catalogues: Value) -> Value {
    json!({
        "title": "2026 年度医疗机构院务公开考核",
        "periodStart": "2026-01-01",
        "periodEnd": "2026-12-31",
        "deadline": "2027-01-20",
        "catalogues": catalogues,
    })
}

/// `createRound` once accepted the county catalogue for hospitals; the mismatch is now
/// a field error naming both, unless the office says it means it.
#[tokio::test]
async fn a_catalogue_meant_for_counties_is_refused_for_hospitals_unless_chosen_deliberately() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    let county = published_version(&app, &admin, "county-health").await;
    let rounds_before = app.count("round").await;

    let refused = app
        .graphql(
            Some(&admin),
            CREATE,
            json!({ "i": round_input(json!([{ "orgKind": "INSTITUTION", "versionId": county }])) }),
        )
        .await;
    assert_eq!(error_fields(&refused), ["catalogues"], "{refused}");
    let message = refused["errors"][0]["extensions"]["fields"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("县/区") && message.contains("医疗卫生机构"),
        "names what the catalogue is for and what it was asked for: {message}"
    );
    assert_eq!(app.count("round").await, rounds_before, "nothing saved");

    let deliberate = app
        .graphql(
            Some(&admin),
            CREATE,
            json!({ "i": round_input(json!([
                { "orgKind": "INSTITUTION", "versionId": county, "allowOtherKind": true }
            ])) }),
        )
        .await;
    assert_eq!(
        deliberate["data"]["createRound"]["catalogues"],
        json!([{ "orgKind": "INSTITUTION" }]),
        "{deliberate}"
    );
    let audit = app
        .graphql(
            Some(&admin),
            "{ auditLog(entity: \"round\") { edges { node { action after } } } }",
            json!({}),
        )
        .await;
    let after = &audit["data"]["auditLog"]["edges"][0]["node"]["after"];
    let after: Value = match after {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        other => other.clone(),
    };
    assert_eq!(
        after["catalogues"][0]["otherKindAllowed"], true,
        "the deliberate choice is on record: {audit}"
    );
    app.stop().await;
}
