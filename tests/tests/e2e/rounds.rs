//! Setting up and following a round as a province office would: the catalogues it names
//! must be meant for the orgs that fill them in, and its figures say whether they are
//! current.

use serde_json::{Value, json};
use touming_api::audit::Actor;
use touming_api::orgs::{self, NewOrg};
use touming_domain::{OrgKind, Role};
use touming_tests::{TestApp, World, error_fields, spawn_app, spawn_app_with};
use touming_worker::scoring::Scorer;

use super::assignments::{SAVE, full_answers, mine, open_round};

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

/// A province admin creates a round from `input` (a `CreateRoundInput`) and opens it;
/// returns its id.
pub async fn create_and_open(app: &TestApp, admin: &str, input: Value) -> String {
    let created = app
        .graphql(Some(admin), CREATE, json!({ "i": input }))
        .await;
    let round = created["data"]["createRound"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    let opened = app
        .graphql(
            Some(admin),
            "mutation($id: ID!) { openRound(id: $id) { status } }",
            json!({ "id": round }),
        )
        .await;
    assert_eq!(opened["data"]["openRound"]["status"], "OPEN", "{opened}");
    round
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

const ROLLUP: &str = "query($r: ID!, $o: ID!) { rollup(roundId: $r, orgId: $o) { composite coverage { expected submitted } stale computedAt } }";

async fn heping_rollup(app: &TestApp, token: &str, round: &str, world: &World) -> Value {
    let r = app
        .graphql(
            Some(token),
            ROLLUP,
            json!({ "r": round, "o": world.heping.id.to_string() }),
        )
        .await;
    r["data"]["rollup"].clone()
}

/// For the first seconds of a round a roll-up read `composite: null, expected: 0` —
/// the same as "nothing submitted here". Coverage now counts the checklists from the
/// moment the round opens, and a figure says when it was computed and whether a
/// checklist below changed since.
#[tokio::test]
async fn a_roll_up_says_whether_it_is_current_and_counts_checklists_from_the_start() {
    // No worker: nothing is rolled up until this story scores it by hand.
    let app = spawn_app_with(|c| c.worker.embedded = false).await;
    let world = World::build(&app).await;
    let round = open_round(&app, &world, None).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    let heping_checklists = app
        .count_where(
            "assignment",
            &format!(
                "round_id = {round} and org_id in (select id from org where path like '{}%')",
                world.heping.path
            ),
        )
        .await;
    assert_eq!(heping_checklists, 2, "和平区 and its hospital");

    let fresh = heping_rollup(&app, &province, &round, &world).await;
    assert_eq!(
        fresh["coverage"],
        json!({ "expected": 2, "submitted": 0 }),
        "{fresh}"
    );
    assert_eq!(fresh["composite"], Value::Null);
    assert_eq!(
        fresh["stale"], true,
        "never computed, checklists waiting: {fresh}"
    );
    assert_eq!(fresh["computedAt"], Value::Null);

    Scorer::new(app.db.clone()).reconcile(10_000).await.unwrap();
    let current = heping_rollup(&app, &province, &round, &world).await;
    assert_eq!(current["stale"], false, "{current}");
    let computed_at = current["computedAt"].as_str().expect("computed").to_owned();
    assert_eq!(current["coverage"]["expected"], 2);

    // The county's filler saves one answer: the figure above is no longer current.
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let mine = mine(&app, &filler).await;
    let saved = app
        .graphql(
            Some(&filler),
            SAVE,
            json!({ "id": mine["id"], "v": mine["version"], "a": full_answers(&mine, 1)[..1] }),
        )
        .await;
    assert!(saved["errors"].is_null(), "{saved}");
    let changed = heping_rollup(&app, &province, &round, &world).await;
    assert_eq!(changed["stale"], true, "{changed}");
    assert_eq!(
        changed["computedAt"],
        computed_at.as_str(),
        "not recomputed yet"
    );

    Scorer::new(app.db.clone()).reconcile(10_000).await.unwrap();
    let again = heping_rollup(&app, &province, &round, &world).await;
    assert_eq!(again["stale"], false, "{again}");
    assert_ne!(again["computedAt"], computed_at.as_str());
    app.stop().await;
}

/// A province first assesses a pilot (试点): two of its counties, or one county with
/// its hospitals. Only they get checklists, and the city's coverage expects only them.
#[tokio::test]
async fn a_pilot_round_of_two_counties_expects_two_checklists() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    // Two more counties under 沈阳市 that are not in the pilot.
    for (code, name) in [("210104", "大东区"), ("210105", "皇姑区")] {
        let county = NewOrg {
            kind: OrgKind::County,
            code: code.into(),
            name: name.into(),
        };
        orgs::create(&app.db, &Actor::default(), Some(&world.shenyang), county)
            .await
            .unwrap();
    }
    let county = published_version(&app, &admin, "county-health").await;
    let hospitals = published_version(&app, &admin, "medical-institution").await;
    let create = |catalogues: Value, scope: Value| {
        let mut input = round_input(catalogues);
        input["scope"] = scope;
        app.graphql(
            Some(&admin),
            "mutation($i: CreateRoundInput!) { createRound(input: $i) { id scope { wholeProvince subtrees { code } orgs { code } } } }",
            json!({ "i": input }),
        )
    };
    let open = |id: String| {
        let app = &app;
        let admin = admin.clone();
        async move {
            app.graphql(
                Some(&admin),
                "mutation($id: ID!) { openRound(id: $id) { status progress { assignments } } }",
                json!({ "id": id }),
            )
            .await["data"]["openRound"]["progress"]["assignments"]
                .clone()
        }
    };

    let pilot = create(
        json!([{ "orgKind": "COUNTY", "versionId": county }]),
        json!({ "orgs": [world.heping.id.to_string(), world.shenhe.id.to_string()] }),
    )
    .await;
    let round = &pilot["data"]["createRound"];
    assert_eq!(
        round["scope"],
        json!({ "wholeProvince": false, "subtrees": [], "orgs": [{ "code": "210102" }, { "code": "210103" }] }),
        "{pilot}"
    );
    let id = round["id"].as_str().unwrap().to_owned();
    assert_eq!(open(id.clone()).await, 2, "only the two pilot counties");
    let city = app
        .graphql(
            Some(&admin),
            "query($r: ID!, $o: ID!) { rollup(roundId: $r, orgId: $o) { coverage { expected } } }",
            json!({ "r": id, "o": world.shenyang.id.to_string() }),
        )
        .await;
    assert_eq!(city["data"]["rollup"]["coverage"]["expected"], 2, "{city}");

    // A county with its hospitals, by subtree.
    let subtree = create(
        json!([
            { "orgKind": "COUNTY", "versionId": county },
            { "orgKind": "INSTITUTION", "versionId": hospitals },
        ]),
        json!({ "subtrees": [world.heping.id.to_string()] }),
    )
    .await;
    let id = subtree["data"]["createRound"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{subtree}"))
        .to_owned();
    assert_eq!(open(id).await, 2, "和平区 and its hospital");

    // A listed org must be of one of the round's kinds.
    let wrong = create(
        json!([{ "orgKind": "COUNTY", "versionId": county }]),
        json!({ "orgs": [world.hospital.id.to_string()] }),
    )
    .await;
    assert_eq!(error_fields(&wrong), ["scope.orgs"], "{wrong}");
    app.stop().await;
}
