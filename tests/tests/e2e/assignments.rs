//! The assessment story: a province opens a round; a county fills in and submits its
//! checklist; the county reviews its hospital; the city returns the county with item
//! comments; the county fixes and resubmits; the first submission is still readable.

use serde_json::{Value, json};
use touming_domain::Role;
use touming_tests::{TestApp, World, error_code, error_fields, spawn_app};

pub const SAVE: &str = "mutation($id: ID!, $v: Int!, $a: [AnswerInput!]!) { saveAnswers(assignmentId: $id, expectedVersion: $v, answers: $a) { id status version progress { answered applicable percent } } }";
pub const SUBMIT: &str = "mutation($id: ID!, $v: Int!) { submitAssignment(id: $id, expectedVersion: $v) { id status version } }";
const REVIEW: &str = "mutation($id: ID!, $d: ReviewDecision!, $c: String, $i: [ItemCommentInput!]) { reviewAssignment(id: $id, decision: $d, comment: $c, itemComments: $i) { id status } }";
const MINE: &str = "{ myAssignments { id status version org { code } catalogueVersion { items(first: 200) { edges { node { code timeLimit { kind } evidenceRequired } } } } } }";

fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// A province admin opens a round on the built-in catalogues; returns its id.
pub async fn open_round(app: &TestApp, world: &World, prefill_from: Option<&str>) -> String {
    open_round_due(app, world, prefill_from, 30, false).await
}

/// Like [`open_round`], with the deadline `days` from today.
pub async fn open_round_due(
    app: &TestApp,
    world: &World,
    prefill_from: Option<&str>,
    days: i64,
    self_check: bool,
) -> String {
    let admin = world.login(app, &world.liaoning, Role::Admin).await;
    let catalogues = app
        .graphql(
            Some(&admin),
            "{ catalogues { code versions { id status } } }",
            json!({}),
        )
        .await;
    let version = |code: &str| {
        catalogues["data"]["catalogues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()["versions"][0]["id"]
            .clone()
    };
    let input = json!({
        "title": "2026 年度政务公开考核",
        "periodStart": "2026-01-01",
        "periodEnd": "2026-12-31",
        "deadline": (today() + chrono::Duration::days(days)).to_string(),
        "catalogues": [
            { "orgKind": "COUNTY", "versionId": version("county-health") },
            { "orgKind": "INSTITUTION", "versionId": version("medical-institution") },
        ],
        "prefillFromRoundId": prefill_from,
        "selfCheck": self_check,
    });
    let created = app
        .graphql(Some(&admin), "mutation($i: CreateRoundInput!) { createRound(input: $i) { id status policy { disclosed late vetoCap } } }", json!({ "i": input }))
        .await;
    assert_eq!(
        created["data"]["createRound"]["status"], "DRAFT",
        "{created}"
    );
    assert_eq!(created["data"]["createRound"]["policy"]["late"], 500);
    let id = created["data"]["createRound"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let open = "mutation($id: ID!) { openRound(id: $id) { status progress { assignments } } }";
    let opened = app.graphql(Some(&admin), open, json!({ "id": id })).await;
    assert_eq!(opened["data"]["openRound"]["status"], "OPEN", "{opened}");
    let count = opened["data"]["openRound"]["progress"]["assignments"].clone();
    let again = app.graphql(Some(&admin), open, json!({ "id": id })).await;
    assert_eq!(
        again["data"]["openRound"]["progress"]["assignments"], count,
        "opening twice creates nothing more"
    );
    id
}

/// Answers for every item: 已公开 with what submission needs for the first `disclosed`
/// items, 不适用 with a reason for the rest.
pub fn full_answers(assignment: &Value, disclosed: usize) -> Vec<Value> {
    let day = (today() - chrono::Duration::days(40)).to_string();
    let formed = (today() - chrono::Duration::days(45)).to_string();
    assignment["catalogueVersion"]["items"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let item = &e["node"];
            if i >= disclosed {
                return json!({ "itemCode": item["code"], "status": "NOT_APPLICABLE", "naReason": "本单位无此类事项" });
            }
            let mut answer = json!({
                "itemCode": item["code"],
                "status": "DISCLOSED",
                "formedOn": formed,
                "publishedOn": day,
                "channels": ["WEBSITE"],
                "evidenceUrls": ["https://wjw.shenyang.gov.cn/zwgk/1.html"],
            });
            if item["timeLimit"]["kind"] == "PERIODIC" {
                answer["periods"] = json!([{ "period": "2026-01", "publishedOn": day }]);
            }
            answer
        })
        .collect()
}

pub async fn mine(app: &TestApp, token: &str) -> Value {
    let r = app.graphql(Some(token), MINE, json!({})).await;
    r["data"]["myAssignments"][0].clone()
}

#[tokio::test]
async fn a_county_fills_submits_is_returned_and_resubmits_while_its_hospital_is_approved() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    open_round(&app, &world, None).await;

    // The county filler finds its checklist and saves three answers.
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &filler).await;
    assert_eq!(assignment["org"]["code"], "210102");
    assert_eq!(assignment["status"], "NOT_STARTED");
    let id = assignment["id"].as_str().unwrap().to_owned();
    let answers = full_answers(&assignment, 3);
    let saved = app
        .graphql(
            Some(&filler),
            SAVE,
            json!({ "id": id, "v": 0, "a": answers[..3] }),
        )
        .await;
    let saved = &saved["data"]["saveAnswers"];
    assert_eq!(
        (saved["status"].as_str(), saved["version"].as_i64()),
        (Some("DRAFT"), Some(1)),
        "{saved}"
    );
    assert_eq!(saved["progress"]["answered"], 3);

    // A bad answer names its field and loses nothing saved before.
    let mut bad = answers[0].clone();
    bad["publishedOn"] = json!((today() + chrono::Duration::days(3)).to_string());
    bad["evidenceUrls"] = json!(["javascript:alert(1)"]);
    let r = app
        .graphql(Some(&filler), SAVE, json!({ "id": id, "v": 1, "a": [bad] }))
        .await;
    let code = answers[0]["itemCode"].as_str().unwrap();
    assert_eq!(
        error_fields(&r),
        vec![
            format!("answers[{code}].publishedOn"),
            format!("answers[{code}].evidenceUrls")
        ],
        "{r}"
    );
    let stale = app
        .graphql(
            Some(&filler),
            SAVE,
            json!({ "id": id, "v": 0, "a": [answers[3].clone()] }),
        )
        .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"));
    assert_eq!(stale["errors"][0]["extensions"]["currentVersion"], 1);

    // Submitting too early lists every problem item by item.
    let r = app
        .graphql(Some(&filler), SUBMIT, json!({ "id": id, "v": 1 }))
        .await;
    assert_eq!(error_code(&r), Some("VALIDATION"));
    let missing = error_fields(&r);
    assert_eq!(missing.len(), answers.len() - 3, "one per unanswered item");
    assert!(missing.iter().all(|f| f.ends_with(".status")));

    let r = app
        .graphql(
            Some(&filler),
            SAVE,
            json!({ "id": id, "v": 1, "a": answers }),
        )
        .await;
    assert_eq!(r["data"]["saveAnswers"]["progress"]["percent"], 100, "{r}");
    let r = app
        .graphql(Some(&filler), SUBMIT, json!({ "id": id, "v": 2 }))
        .await;
    assert_eq!(r["data"]["submitAssignment"]["status"], "SUBMITTED", "{r}");
    let frozen = app
        .graphql(
            Some(&filler),
            SAVE,
            json!({ "id": id, "v": 3, "a": [answers[0].clone()] }),
        )
        .await;
    assert_eq!(
        error_code(&frozen),
        Some("VALIDATION"),
        "a submitted checklist is frozen"
    );

    // The hospital fills and submits; the county reviewer approves it.
    let nurse = world.login(&app, &world.hospital, Role::Filler).await;
    let hospital = mine(&app, &nurse).await;
    let hospital_id = hospital["id"].as_str().unwrap().to_owned();
    let r = app
        .graphql(
            Some(&nurse),
            SAVE,
            json!({ "id": hospital_id, "v": 0, "a": full_answers(&hospital, 5) }),
        )
        .await;
    assert!(r.get("errors").is_none(), "{r}");
    let r = app
        .graphql(Some(&nurse), SUBMIT, json!({ "id": hospital_id, "v": 1 }))
        .await;
    assert_eq!(r["data"]["submitAssignment"]["status"], "SUBMITTED", "{r}");
    let county_reviewer = world.login(&app, &world.heping, Role::Reviewer).await;
    let queue = app
        .graphql(
            Some(&county_reviewer),
            "{ reviewQueue { id org { code } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        queue["data"]["reviewQueue"],
        json!([{ "id": hospital_id, "org": { "code": world.hospital.code } }])
    );
    let r = app
        .graphql(
            Some(&county_reviewer),
            REVIEW,
            json!({ "id": hospital_id, "d": "APPROVE" }),
        )
        .await;
    assert_eq!(r["data"]["reviewAssignment"]["status"], "APPROVED", "{r}");
    // The county cannot review its own checklist; that is the city's.
    let r = app
        .graphql(
            Some(&county_reviewer),
            REVIEW,
            json!({ "id": id, "d": "APPROVE" }),
        )
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"));

    // The city returns the county with item comments; a return needs a comment.
    let city = world.user(&app, &world.shenyang, Role::Reviewer).await;
    let city = app.login(&city, touming_tests::world::PASSWORD).await;
    let r = app
        .graphql(Some(&city), REVIEW, json!({ "id": id, "d": "RETURN" }))
        .await;
    assert_eq!(error_fields(&r), vec!["comment"]);
    let item_comments = json!([{ "itemCode": code, "comment": "公开日期与网站不一致，请核实" }]);
    let r = app
        .graphql(
            Some(&city),
            REVIEW,
            json!({ "id": id, "d": "RETURN", "c": "请按意见修改后重新提交", "i": item_comments }),
        )
        .await;
    assert_eq!(r["data"]["reviewAssignment"]["status"], "RETURNED", "{r}");

    // The county sees why, fixes the item, and resubmits.
    let returned = app
        .graphql(Some(&filler), "query($id: ID!) { assignment(id: $id) { status version comments { itemCode comment } } }", json!({ "id": id }))
        .await;
    let returned = &returned["data"]["assignment"];
    assert_eq!(returned["status"], "RETURNED");
    assert_eq!(
        returned["comments"][1],
        json!({ "itemCode": code, "comment": "公开日期与网站不一致，请核实" })
    );
    let version = returned["version"].as_i64().unwrap();
    let mut fixed = answers[0].clone();
    fixed["publishedOn"] = json!((today() - chrono::Duration::days(30)).to_string());
    let r = app
        .graphql(
            Some(&filler),
            SAVE,
            json!({ "id": id, "v": version, "a": [fixed] }),
        )
        .await;
    assert_eq!(r["data"]["saveAnswers"]["status"], "DRAFT", "{r}");
    let r = app
        .graphql(Some(&filler), SUBMIT, json!({ "id": id, "v": version + 1 }))
        .await;
    assert_eq!(r["data"]["submitAssignment"]["status"], "SUBMITTED", "{r}");
    let r = app
        .graphql(Some(&city), REVIEW, json!({ "id": id, "d": "APPROVE" }))
        .await;
    assert_eq!(r["data"]["reviewAssignment"]["status"], "APPROVED", "{r}");

    // Both submissions are kept; the first still shows the original date.
    let history = app
        .graphql(
            Some(&city),
            "query($id: ID!) { assignment(id: $id) { history { action fromStatus toStatus comment } snapshots { answers { itemCode publishedOn } } } }",
            json!({ "id": id }),
        )
        .await;
    let assignment = &history["data"]["assignment"];
    let actions: Vec<&str> = assignment["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["save", "submit", "return", "save", "submit", "approve"]
    );
    assert_eq!(
        assignment["history"][2]["comment"],
        "请按意见修改后重新提交"
    );
    let snapshots = assignment["snapshots"].as_array().unwrap();
    assert_eq!(snapshots.len(), 2);
    let first = snapshots[0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["itemCode"] == code)
        .unwrap();
    assert_eq!(first["publishedOn"], answers[0]["publishedOn"]);
    let second = snapshots[1]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["itemCode"] == code)
        .unwrap();
    assert_eq!(second["publishedOn"], fixed["publishedOn"]);

    // Every transition is in the audit log too.
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    let log = app
        .graphql(
            Some(&admin),
            "{ auditLog(entity: \"assignment\", first: 50) { edges { node { action } } } }",
            json!({}),
        )
        .await;
    let logged: Vec<&str> = log["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    for action in [
        "assignment.save_answers",
        "assignment.submit",
        "assignment.approve",
        "assignment.return",
    ] {
        assert!(logged.contains(&action), "{action} in {logged:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn neighbours_and_other_hospitals_see_nothing_of_an_assignment() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let other_hospital = {
        let credit = touming_domain::CreditCode::complete("12210103MB0000009").unwrap();
        let org = touming_api::orgs::create(
            &app.db,
            &touming_api::audit::Actor::default(),
            Some(&world.shenhe),
            touming_api::orgs::NewOrg {
                kind: touming_domain::OrgKind::Institution,
                code: credit.to_string(),
                name: "沈河区人民医院".into(),
            },
        )
        .await
        .unwrap();
        world.user(&app, &org, Role::Filler).await;
        org
    };
    open_round(&app, &world, None).await;
    let nurse = world.login(&app, &world.hospital, Role::Filler).await;
    let hospital = mine(&app, &nurse).await;
    let hospital_id = hospital["id"].as_str().unwrap().to_owned();
    app.graphql(
        Some(&nurse),
        SAVE,
        json!({ "id": hospital_id, "v": 0, "a": full_answers(&hospital, 2)[..2] }),
    )
    .await;

    let stranger = app
        .login(
            &World::username(&other_hospital, Role::Filler),
            touming_tests::world::PASSWORD,
        )
        .await;
    let neighbour = world.login(&app, &world.shenhe, Role::Admin).await;
    let fujian = world.login(&app, &world.fujian, Role::Admin).await;
    for (who, token) in [
        ("another hospital", &stranger),
        ("the neighbouring county", &neighbour),
        ("another province", &fujian),
    ] {
        let read = app
            .graphql(
                Some(token),
                "query($id: ID!) { assignment(id: $id) { answers { itemCode } } }",
                json!({ "id": hospital_id }),
            )
            .await;
        assert_eq!(error_code(&read), Some("NOT_FOUND"), "{who}: {read}");
        let write = app
            .graphql(
                Some(token),
                SAVE,
                json!({ "id": hospital_id, "v": 1, "a": [] }),
            )
            .await;
        assert_eq!(error_code(&write), Some("NOT_FOUND"), "{who}");
        let review = app
            .graphql(
                Some(token),
                REVIEW,
                json!({ "id": hospital_id, "d": "APPROVE" }),
            )
            .await;
        assert_eq!(error_code(&review), Some("NOT_FOUND"), "{who}");
    }
    // The county above can read it but not fill it in.
    let county = world.login(&app, &world.heping, Role::Admin).await;
    let read = app
        .graphql(
            Some(&county),
            "query($id: ID!) { assignment(id: $id) { answers { itemCode } canEdit } }",
            json!({ "id": hospital_id }),
        )
        .await;
    assert_eq!(
        read["data"]["assignment"]["answers"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "{read}"
    );
    assert_eq!(read["data"]["assignment"]["canEdit"], false);
    let write = app
        .graphql(
            Some(&county),
            SAVE,
            json!({ "id": hospital_id, "v": 1, "a": [] }),
        )
        .await;
    assert_eq!(error_code(&write), Some("FORBIDDEN"));
    app.stop().await;
}

#[tokio::test]
async fn concurrent_saves_never_lose_an_update() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    open_round(&app, &world, None).await;
    let laptop = world.login(&app, &world.heping, Role::Filler).await;
    let desktop = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &laptop).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    let items: Vec<String> = assignment["catalogueVersion"]["items"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap().to_owned())
        .collect();
    let answer = |code: &str, note: String| json!({ "itemCode": code, "status": "NOT_DISCLOSED", "note": note });

    let mut version = 0;
    let mut last = std::collections::HashMap::new();
    let (mut wins, mut conflicts) = (0, 0);
    for i in 0..25 {
        let a = app.graphql(
            Some(&laptop),
            SAVE,
            json!({ "id": id, "v": version, "a": [answer(&items[0], format!("laptop {i}"))] }),
        );
        let b = app.graphql(
            Some(&desktop),
            SAVE,
            json!({ "id": id, "v": version, "a": [answer(&items[1], format!("desktop {i}"))] }),
        );
        let (a, b) = tokio::join!(a, b);
        for (r, code, note) in [
            (&a, &items[0], format!("laptop {i}")),
            (&b, &items[1], format!("desktop {i}")),
        ] {
            match error_code(r) {
                None => {
                    wins += 1;
                    version = r["data"]["saveAnswers"]["version"].as_i64().unwrap();
                    last.insert(code.clone(), note);
                }
                Some("CONFLICT") => {
                    conflicts += 1;
                    assert!(
                        r["errors"][0]["extensions"]["currentVersion"]
                            .as_i64()
                            .unwrap()
                            > 0
                    );
                }
                other => panic!("unexpected {other:?}: {r}"),
            }
        }
    }
    assert_eq!(wins, 25, "exactly one of each pair wins");
    assert_eq!(conflicts, 25);
    let state = app
        .graphql(
            Some(&laptop),
            "query($id: ID!) { assignment(id: $id) { version answers { itemCode note } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(state["data"]["assignment"]["version"], 25);
    for a in state["data"]["assignment"]["answers"].as_array().unwrap() {
        assert_eq!(
            a["note"].as_str(),
            last.get(a["itemCode"].as_str().unwrap())
                .map(String::as_str),
            "every winning write is there"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn with_a_self_check_step_the_county_checks_before_the_city() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    open_round_due(&app, &world, None, 30, true).await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &filler).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    app.graphql(
        Some(&filler),
        SAVE,
        json!({ "id": id, "v": 0, "a": full_answers(&assignment, 2) }),
    )
    .await;
    let r = app
        .graphql(Some(&filler), SUBMIT, json!({ "id": id, "v": 1 }))
        .await;
    assert_eq!(r["data"]["submitAssignment"]["status"], "SUBMITTED", "{r}");

    let city = world.user(&app, &world.shenyang, Role::Reviewer).await;
    let city = app.login(&city, touming_tests::world::PASSWORD).await;
    let queue = "{ reviewQueue { id } }";
    assert_eq!(
        app.graphql(Some(&city), queue, json!({})).await["data"]["reviewQueue"],
        json!([])
    );
    let early = app
        .graphql(Some(&city), REVIEW, json!({ "id": id, "d": "APPROVE" }))
        .await;
    assert_eq!(error_fields(&early), vec!["decision"], "{early}");

    let own = world.login(&app, &world.heping, Role::Reviewer).await;
    assert_eq!(
        app.graphql(Some(&own), queue, json!({})).await["data"]["reviewQueue"],
        json!([{ "id": id }])
    );
    let checked = app
        .graphql(Some(&own), REVIEW, json!({ "id": id, "d": "APPROVE" }))
        .await;
    assert_eq!(
        checked["data"]["reviewAssignment"]["status"], "SUBMITTED",
        "{checked}"
    );
    assert_eq!(
        app.graphql(Some(&own), queue, json!({})).await["data"]["reviewQueue"],
        json!([])
    );
    assert_eq!(
        app.graphql(Some(&city), queue, json!({})).await["data"]["reviewQueue"],
        json!([{ "id": id }])
    );
    let approved = app
        .graphql(Some(&city), REVIEW, json!({ "id": id, "d": "APPROVE" }))
        .await;
    assert_eq!(
        approved["data"]["reviewAssignment"]["status"], "APPROVED",
        "{approved}"
    );
    let history = app
        .graphql(
            Some(&city),
            "query($id: ID!) { assignment(id: $id) { selfCheckedAt history { action } } }",
            json!({ "id": id }),
        )
        .await;
    let actions: Vec<&str> = history["data"]["assignment"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["save", "submit", "self_check", "approve"]);
    assert!(history["data"]["assignment"]["selfCheckedAt"].is_string());
    app.stop().await;
}

#[tokio::test]
async fn after_the_deadline_only_the_province_reopens_an_assignment() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    open_round_due(&app, &world, None, -1, false).await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &filler).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    let answers = full_answers(&assignment, 1);
    let late = app
        .graphql(
            Some(&filler),
            SAVE,
            json!({ "id": id, "v": 0, "a": answers[..1] }),
        )
        .await;
    assert!(
        late["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("截止"),
        "{late}"
    );

    let reopen = json!({ "id": id, "d": "REOPEN", "c": "因系统故障，准予补报" });
    let city = world.login(&app, &world.shenyang, Role::Admin).await;
    assert_eq!(
        error_code(&app.graphql(Some(&city), REVIEW, reopen.clone()).await),
        Some("FORBIDDEN")
    );
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    let r = app.graphql(Some(&province), REVIEW, reopen).await;
    assert_eq!(
        r["data"]["reviewAssignment"]["status"], "NOT_STARTED",
        "{r}"
    );
    let r = app
        .graphql(
            Some(&filler),
            SAVE,
            json!({ "id": id, "v": 1, "a": answers[..1] }),
        )
        .await;
    assert_eq!(
        r["data"]["saveAnswers"]["status"], "DRAFT",
        "the reopened checklist can be filled: {r}"
    );
    app.stop().await;
}

#[tokio::test]
async fn rounds_belong_to_their_province() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let round = open_round(&app, &world, None).await;
    let read = "query($id: ID!) { round(id: $id) { title status } }";
    let close = "mutation($id: ID!) { closeRound(id: $id) { status } }";
    let reopen = "mutation($id: ID!) { openRound(id: $id) { status } }";

    let fujian = world.login(&app, &world.fujian, Role::Admin).await;
    for document in [read, close, reopen] {
        let r = app
            .graphql(Some(&fujian), document, json!({ "id": round }))
            .await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{document}: {r}");
    }
    assert_eq!(
        app.graphql(Some(&fujian), "{ rounds { id } }", json!({}))
            .await["data"]["rounds"],
        json!([])
    );
    let none = app
        .graphql(
            Some(&fujian),
            "{ myAssignments { id } reviewQueue { id } }",
            json!({}),
        )
        .await;
    assert_eq!(
        none["data"],
        json!({ "myAssignments": [], "reviewQueue": [] })
    );

    // Inside the province everyone reads the round; only its admin closes it.
    let county = world.login(&app, &world.shenhe, Role::Admin).await;
    let r = app
        .graphql(Some(&county), read, json!({ "id": round }))
        .await;
    assert_eq!(r["data"]["round"]["status"], "OPEN", "{r}");
    let r = app
        .graphql(Some(&county), close, json!({ "id": round }))
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"));
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    let r = app
        .graphql(Some(&province), close, json!({ "id": round }))
        .await;
    assert_eq!(r["data"]["closeRound"]["status"], "CLOSED", "{r}");
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &filler).await;
    let r = app
        .graphql(
            Some(&filler),
            SAVE,
            json!({ "id": assignment["id"], "v": 0, "a": full_answers(&assignment, 1)[..1] }),
        )
        .await;
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("不在填报期"),
        "a closed round takes no answers: {r}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_reviewer_rejects_a_not_applicable_and_it_counts_as_not_disclosed() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    open_round(&app, &world, None).await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &filler).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    let answers = full_answers(&assignment, 2);
    app.graphql(
        Some(&filler),
        SAVE,
        json!({ "id": id, "v": 0, "a": answers }),
    )
    .await;
    app.graphql(Some(&filler), SUBMIT, json!({ "id": id, "v": 1 }))
        .await;
    let na = answers[5]["itemCode"].as_str().unwrap().to_owned();
    let disclosed = answers[0]["itemCode"].as_str().unwrap().to_owned();
    let city = world.login(&app, &world.shenyang, Role::Admin).await;
    let reject = "mutation($id: ID!, $c: String, $r: [String!]) { reviewAssignment(id: $id, decision: RETURN, comment: $c, rejectNotApplicable: $r) { status answers { itemCode status } } }";
    let wrong = app
        .graphql(
            Some(&city),
            reject,
            json!({ "id": id, "c": "不适用理由不成立", "r": [disclosed] }),
        )
        .await;
    assert_eq!(error_fields(&wrong), vec!["rejectNotApplicable"], "{wrong}");
    let r = app
        .graphql(
            Some(&city),
            reject,
            json!({ "id": id, "c": "不适用理由不成立", "r": [na] }),
        )
        .await;
    let answers = r["data"]["reviewAssignment"]["answers"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"));
    let rejected = answers
        .iter()
        .find(|a| a["itemCode"] == na.as_str())
        .unwrap();
    assert_eq!(rejected["status"], "NOT_DISCLOSED");
    assert_eq!(r["data"]["reviewAssignment"]["status"], "RETURNED");
    app.stop().await;
}

/// Logs in as `org`'s filler, answers its checklist (`disclosed` items disclosed, the
/// rest 不适用) and submits it; returns the filler's token and the checklist's id.
pub async fn fill_and_submit(
    app: &TestApp,
    world: &World,
    org: &touming_store::entity::org::Model,
    disclosed: usize,
) -> (String, String) {
    let token = world.login(app, org, Role::Filler).await;
    let assignment = mine(app, &token).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    let version = assignment["version"].as_i64().unwrap();
    let answers = full_answers(&assignment, disclosed);
    let saved = app
        .graphql(
            Some(&token),
            SAVE,
            json!({ "id": id, "v": version, "a": answers }),
        )
        .await;
    assert!(saved.get("errors").is_none(), "{saved}");
    let r = app
        .graphql(Some(&token), SUBMIT, json!({ "id": id, "v": version + 1 }))
        .await;
    assert_eq!(r["data"]["submitAssignment"]["status"], "SUBMITTED", "{r}");
    (token, id)
}
