//! No query per row: the statements a GraphQL request sends stay the same however many
//! rows it returns, and within 1 + the number of entity types it involves. The server
//! counts them per request and reports them in `x-sql-statements`.

use serde_json::{Value, json};
use touming_api::audit::Actor;
use touming_api::orgs::{self, NewOrg};
use touming_domain::{OrgKind, Role};
use touming_tests::{TestApp, World, spawn_app};

use super::assignments::open_round;
use super::comparison::{submit_with_gaps, until_city_counts};

/// Runs `query` and returns the statements it took.
async fn statements(app: &TestApp, token: &str, query: &str, vars: Value) -> u32 {
    answered(app, token, query, vars).await.0
}

/// Runs `query`: the statements it took and its `data`.
async fn answered(app: &TestApp, token: &str, query: &str, vars: Value) -> (u32, Value) {
    let (n, body) = app.graphql_counted(token, query, vars).await;
    assert!(body.get("errors").is_none(), "{body}");
    (n, body["data"].clone())
}

const COMPARISON: &str = "query($r: ID!, $p: ID!) { comparison(roundId: $r, parentId: $p) {
  summary { composite } rows { org { code name kind } composite grade rank change sharedChange assignmentId categories { name percent } rectification { rate } }
  heatMap { categories rows { org { code } cells } } failedItems { item { code title } failed } sharedItems { shared } } }";
const TREND: &str = "query($o: ID!) { trend(orgId: $o) { roundId composite coverage { submitted } categories { name } } }";

#[tokio::test]
async fn comparison_and_trend_take_the_same_statements_for_two_rows_or_thirty_two() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let round = open_round(&app, &world, None).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    submit_with_gaps(&app, &world, &world.heping, &[1]).await;
    submit_with_gaps(&app, &world, &world.shenhe, &[2]).await;
    until_city_counts(&app, &province, &round, &world, 2).await;
    let vars = json!({ "r": round, "p": world.shenyang.id.to_string() });

    let few = statements(&app, &province, COMPARISON, vars.clone()).await;
    // round, org, rollup, assignment, score, round_catalogue, catalogue_item (and
    // rectification once published): 7 entity types.
    assert!(few <= 1 + 7, "{few} statements");
    assert!(few >= 5, "the counter counts: {few}");
    let trend_one = statements(
        &app,
        &province,
        TREND,
        json!({ "o": world.heping.id.to_string() }),
    )
    .await;

    let operator = Actor::default();
    for i in 0..30 {
        let county = NewOrg {
            kind: OrgKind::County,
            code: format!("2101{:02}", 40 + i),
            name: format!("测试区{i}"),
        };
        orgs::create(&app.db, &operator, Some(&world.shenyang), county)
            .await
            .unwrap();
    }
    let _second = open_round(&app, &world, Some(&round)).await;
    let many = statements(&app, &province, COMPARISON, vars).await;
    assert_eq!(many, few, "32 rows cost what 2 did");
    let trend_two = statements(
        &app,
        &province,
        TREND,
        json!({ "o": world.heping.id.to_string() }),
    )
    .await;
    assert_eq!(trend_two, trend_one, "two rounds cost what one did");
    assert!(
        (2..=1 + 4).contains(&trend_one),
        "round, rollup, assignment, score: {trend_one}"
    );
    app.stop().await;
}

const QUEUE: &str = "query { reviewQueue { id status scorePercent scoreStale org { name parent { name } }
  progress { answered applicable percent } history { action toStatus } openRectifications { id } } }";

#[tokio::test]
async fn a_review_queue_of_thirty_one_costs_what_a_queue_of_one_does() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let operator = Actor::default();
    let mut added = Vec::new();
    for i in 0..30 {
        let county = NewOrg {
            kind: OrgKind::County,
            code: format!("2101{:02}", 40 + i),
            name: format!("测试区{i}"),
        };
        let county = orgs::create(&app.db, &operator, Some(&world.shenyang), county)
            .await
            .unwrap();
        added.push(county.id.to_string());
    }
    let round = open_round(&app, &world, None).await;
    submit_with_gaps(&app, &world, &world.heping, &[1]).await;
    let reviewer = world.login(&app, &world.shenyang, Role::Admin).await;
    let queue = async || {
        let (n, data) = answered(&app, &reviewer, QUEUE, json!({})).await;
        (n, data["reviewQueue"].as_array().unwrap().clone())
    };
    let (one, rows) = queue().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0]["org"]["parent"]["name"],
        world.shenyang.name.as_str()
    );
    assert_eq!(rows[0]["progress"]["answered"], 10);
    assert!(
        rows[0]["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["toStatus"] == "SUBMITTED"),
        "{rows:?}"
    );
    // assignment, org, catalogue_item, answer, assignment_event, rectification, round
    // (the self-check step), score: 8 entity types.
    assert!(one <= 1 + 8, "{one} statements");

    // The thirty new districts' checklists arrive in the queue together.
    app.sql(&format!(
        "UPDATE assignment SET status = 'SUBMITTED', submitted_at = updated_at \
         WHERE round_id = {round} AND org_id IN ({})",
        added.join(",")
    ))
    .await;
    let (many, rows) = queue().await;
    assert_eq!(rows.len(), 31);
    assert!(
        rows.iter()
            .all(|r| r["org"]["parent"]["name"] == world.shenyang.name.as_str())
    );
    assert_eq!(many, one, "31 rows cost what 1 did");
    app.stop().await;
}

/// An autosave reads the catalogue once per process, not once per save: the items of
/// a published version never change.
#[tokio::test]
async fn an_autosave_does_not_read_the_catalogue_again() {
    use super::assignments::{SAVE, full_answers, mine};
    let app = spawn_app().await;
    let world = World::build(&app).await;
    open_round(&app, &world, None).await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &filler).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    let answers = full_answers(&assignment, 3);
    // Already being filled in, so no save below changes the status (which would add a
    // statement of its own).
    app.sql(&format!(
        "UPDATE assignment SET status = 'DRAFT' WHERE id = {id}"
    ))
    .await;
    let mut counts = Vec::new();
    for version in 0..3 {
        let (n, _) = answered(
            &app,
            &filler,
            SAVE,
            json!({ "id": id, "v": assignment["version"].as_i64().unwrap() + version, "a": answers }),
        )
        .await;
        counts.push(n);
    }
    assert_eq!(counts[1], counts[2], "{counts:?}");
    assert!(
        counts[1] < counts[0],
        "the first save reads the items, later ones do not: {counts:?}"
    );
    // Session, checklist and org, round, then in one transaction the version claim
    // (returning the row), the answers before, the upsert and the audit line.
    assert!(counts[1] <= 10, "statements per save: {counts:?}");
    assert!(counts[1] <= 12, "statements per save: {counts:?}");
    app.stop().await;
}
