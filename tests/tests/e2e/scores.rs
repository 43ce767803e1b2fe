//! Scores flow up: a county submits, the worker scores it with a reason for every item,
//! and the city's and the province's figures move; a full recompute agrees.

use serde_json::{Value, json};
use touming_domain::Role;
use touming_tests::{TestApp, World, spawn_app};
use touming_worker::Job;

use super::assignments::{SAVE, SUBMIT, fill_and_submit, full_answers, mine, open_round};

const ROLLUP: &str = "query($r: ID!, $o: ID!) { rollup(roundId: $r, orgId: $o) { composite grade coverage { expected submitted approved } indicators { disclosureRate } stale } }";

/// Polls `query` until `done` holds (the worker is asynchronous), for up to 15 s.
pub async fn until(
    app: &TestApp,
    token: &str,
    query: &str,
    vars: Value,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let r = app.graphql(Some(token), query, vars.clone()).await;
        if done(&r) {
            return r;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not reached in 15 s: {r}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_submitted_assignment_is_scored_and_the_regions_above_follow() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let round = open_round(&app, &world, None).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    let vars =
        |org: &touming_store::entity::org::Model| json!({ "r": round, "o": org.id.to_string() });

    // The county: half its applicable items disclosed on time, the rest not applicable.
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &filler).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    let mut answers = full_answers(&assignment, 10);
    answers[1]["status"] = json!("NOT_DISCLOSED");
    app.graphql(
        Some(&filler),
        SAVE,
        json!({ "id": id, "v": 0, "a": answers }),
    )
    .await;
    let r = app
        .graphql(Some(&filler), SUBMIT, json!({ "id": id, "v": 1 }))
        .await;
    assert_eq!(r["data"]["submitAssignment"]["status"], "SUBMITTED", "{r}");

    let score = until(
        &app,
        &filler,
        "query($id: ID!) { score(assignmentId: $id) { percent total max grade stale items { code points max applicable explanation } } }",
        json!({ "id": id }),
        |r| r["data"]["score"]["stale"] == false,
    )
    .await;
    let score = &score["data"]["score"];
    let items = score["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .all(|i| !i["explanation"].as_str().unwrap().is_empty()),
        "a reason for every point"
    );
    let not_disclosed = &items[1];
    assert_eq!(not_disclosed["points"], 0.0);
    assert!(
        not_disclosed["explanation"]
            .as_str()
            .unwrap()
            .starts_with("未公开"),
        "{not_disclosed}"
    );
    let county_percent = score["percent"].as_f64().unwrap();
    assert!(county_percent > 0.0 && county_percent < 100.0, "{score}");
    assert_eq!(items.iter().filter(|i| i["applicable"] == true).count(), 10);

    // The city and the province show the county's figure: nothing else counts yet.
    let city = until(&app, &province, ROLLUP, vars(&world.shenyang), |r| {
        r["data"]["rollup"]["composite"].is_number()
    })
    .await;
    assert_eq!(
        city["data"]["rollup"]["composite"].as_f64().unwrap(),
        county_percent,
        "{city}"
    );
    assert_eq!(
        city["data"]["rollup"]["coverage"],
        json!({ "expected": 3, "submitted": 1, "approved": 0 })
    );
    let top = until(&app, &province, ROLLUP, vars(&world.liaoning), |r| {
        r["data"]["rollup"]["composite"].is_number()
    })
    .await;
    assert_eq!(
        top["data"]["rollup"]["composite"].as_f64().unwrap(),
        county_percent
    );

    // The hospital submits: the county's composite moves to
    // (0.4 × county + 0.2 × hospital) ÷ 0.6, and the province's with it.
    let (nurse, hid) = fill_and_submit(&app, &world, &world.hospital, 5).await;
    let hospital_score = until(
        &app,
        &nurse,
        "query($id: ID!) { score(assignmentId: $id) { percent stale } }",
        json!({ "id": hid }),
        |r| r["data"]["score"]["stale"] == false,
    )
    .await;
    let hospital_milli =
        (hospital_score["data"]["score"]["percent"].as_f64().unwrap() * 1000.0).round() as u64;
    let county_milli = (county_percent * 1000.0).round() as u64;
    let expected = ((county_milli * 400 + hospital_milli * 200) * 2 + 600) / 1200;
    let moved = until(&app, &province, ROLLUP, vars(&world.liaoning), |r| {
        r["data"]["rollup"]["coverage"]["submitted"] == 2
            && r["data"]["rollup"]["stale"] == false
            && r["data"]["rollup"]["composite"].as_f64() != Some(county_percent)
    })
    .await;
    assert_eq!(
        moved["data"]["rollup"]["composite"].as_f64().unwrap(),
        expected as f64 / 1000.0,
        "{moved}"
    );

    // The city compares its counties: 和平区 ranked, 沈河区 not counted yet.
    let comparison = app
        .graphql(
            Some(&province),
            "query($r: ID!, $p: ID!) { comparison(roundId: $r, parentId: $p, childKind: COUNTY) { rows { org { code } composite rank coverage { submitted } } } }",
            json!({ "r": round, "p": world.shenyang.id.to_string() }),
        )
        .await;
    let rows = comparison["data"]["comparison"]["rows"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rows[0]["org"]["code"], "210102");
    assert_eq!(rows[0]["rank"], 1);
    assert!(
        rows[1]["composite"].is_null() && rows[1]["rank"].is_null(),
        "{rows:?}"
    );

    // A full recompute of the round, from nothing, gives exactly the same figures.
    let before: Vec<Value> = all_rollups(&app, &province, &round, &world).await;
    app.sql("DELETE FROM rollup").await;
    app.sql("DELETE FROM score").await;
    app.state()
        .queue
        .enqueue(&Job::RescoreRound {
            round_id: round.parse().unwrap(),
        })
        .await
        .unwrap();
    // The recompute runs in the worker; wait for it to finish, then compare.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let mut after = all_rollups(&app, &province, &round, &world).await;
    while after != before && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        after = all_rollups(&app, &province, &round, &world).await;
    }
    assert_eq!(
        before, after,
        "a full recompute gives exactly the incremental figures"
    );
    app.stop().await;
}

async fn all_rollups(app: &TestApp, token: &str, round: &str, world: &World) -> Vec<Value> {
    let mut out = Vec::new();
    for org in [
        &world.heping,
        &world.shenhe,
        &world.shenyang,
        &world.liaoning,
        &world.hospital,
    ] {
        let r = app
            .graphql(
                Some(token),
                ROLLUP,
                json!({ "r": round, "o": org.id.to_string() }),
            )
            .await;
        out.push(r["data"]["rollup"].clone());
    }
    out
}

#[tokio::test]
async fn the_province_sees_its_figure_change_live() {
    use touming_tests::socket::{Socket, socket_error_code};

    let app = spawn_app().await;
    let world = World::build(&app).await;
    let round = open_round(&app, &world, None).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    const LIVE: &str = "subscription($r: ID!, $o: ID!) { rollupChanged(roundId: $r, orgId: $o) { composite coverage { submitted } } }";
    let vars = json!({ "r": round, "o": world.liaoning.id.to_string() });
    let mut socket = Socket::signed_in(&app, json!({ "token": province })).await;
    socket.subscribe("1", LIVE, vars.clone()).await;

    // A county submits; the province's figure arrives over the socket.
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &filler).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    app.graphql(
        Some(&filler),
        SAVE,
        json!({ "id": id, "v": 0, "a": full_answers(&assignment, 4) }),
    )
    .await;
    app.graphql(Some(&filler), SUBMIT, json!({ "id": id, "v": 1 }))
        .await;
    loop {
        let body = socket.receive().await.expect("a live update");
        if body["type"] == "next"
            && body["payload"]["data"]["rollupChanged"]["coverage"]["submitted"] == 1
        {
            assert!(
                body["payload"]["data"]["rollupChanged"]["composite"].is_number(),
                "{body}"
            );
            break;
        }
    }

    // An outsider cannot subscribe to the province.
    let fujian = world.login(&app, &world.fujian, Role::Admin).await;
    let mut other = Socket::signed_in(&app, json!({ "token": fujian })).await;
    other.subscribe("1", LIVE, vars).await;
    let refused = other.receive().await.expect("an answer");
    assert_eq!(
        socket_error_code(&refused),
        Some("NOT_FOUND"),
        "subscription errors carry their code like any other: {refused}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_lost_nudge_is_made_up_for_by_the_reconciler() {
    let app = touming_tests::spawn_app_with(|c| c.worker.reconcile_seconds = 1).await;
    let world = World::build(&app).await;
    open_round(&app, &world, None).await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let assignment = mine(&app, &filler).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    app.graphql(
        Some(&filler),
        SAVE,
        json!({ "id": id, "v": 0, "a": full_answers(&assignment, 3) }),
    )
    .await;
    let query = "query($id: ID!) { score(assignmentId: $id) { percent stale } }";
    let first = until(&app, &filler, query, json!({ "id": id }), |r| {
        r["data"]["score"]["stale"] == false
    })
    .await;
    let before = first["data"]["score"]["percent"].clone();

    // An answer changes behind the queue's back (as if its message were lost): the
    // database marks the score stale, and the reconciler alone brings it up to date.
    app.sql(&format!(
        "UPDATE answer SET status = 'NOT_DISCLOSED' WHERE assignment_id = {id} AND item_code = '{}'",
        assignment["catalogueVersion"]["items"]["edges"][0]["node"]["code"].as_str().unwrap()
    ))
    .await;
    app.sql(&format!(
        "UPDATE assignment SET score_stale = true, version = version + 1 WHERE id = {id}"
    ))
    .await;
    let after = until(&app, &filler, query, json!({ "id": id }), |r| {
        r["data"]["score"]["stale"] == false
    })
    .await;
    assert!(
        after["data"]["score"]["percent"].as_f64().unwrap() < before.as_f64().unwrap(),
        "rescored from the database: {before} → {after}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_same_job_delivered_twice_changes_nothing() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let round = open_round(&app, &world, None).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    let (_, id) = fill_and_submit(&app, &world, &world.heping, 6).await;
    let done = |r: &Value| {
        r["data"]["rollup"]["coverage"]["submitted"] == 1 && r["data"]["rollup"]["stale"] == false
    };
    until(
        &app,
        &province,
        ROLLUP,
        json!({ "r": round, "o": world.liaoning.id.to_string() }),
        done,
    )
    .await;
    let once = all_rollups(&app, &province, &round, &world).await;

    let province_rollup = || async {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use touming_store::entity::rollup;
        rollup::Entity::find()
            .filter(rollup::Column::OrgId.eq(world.liaoning.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .computed_at
    };
    let computed_before = province_rollup().await;
    let job = Job::ScoreAssignment {
        assignment_id: id.parse().unwrap(),
    };
    app.state().queue.enqueue(&job).await.unwrap();
    app.state().queue.enqueue(&job).await.unwrap();
    app.state()
        .queue
        .enqueue(&Job::RescoreRound {
            round_id: round.parse().unwrap(),
        })
        .await
        .unwrap();
    // Jobs run in order: once the round's recompute has rewritten the province's
    // roll-up, both duplicate deliveries have been handled before it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while province_rollup().await == computed_before {
        assert!(
            std::time::Instant::now() < deadline,
            "the jobs did not run in 15 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(all_rollups(&app, &province, &round, &world).await, once);
    app.stop().await;
}

#[tokio::test]
async fn the_benchmark_generates_a_province_and_rolls_it_up() {
    let app = spawn_app().await;
    let size = touming::bench::Size {
        provinces: 2,
        cities: 2,
        counties_per_city: 2,
        institutions_per_county: 2,
        items: 12,
    };
    let measure = touming::bench::Measure {
        submissions: 5,
        per_second: 50.0,
        comparisons: 3,
        crowd: touming::bench::Crowd {
            users: 4,
            seconds: 2,
            think_ms: 50,
        },
    };
    let report = touming::bench::run(app.state(), size, measure)
        .await
        .unwrap();
    assert_eq!(report.orgs, 2 * (1 + 2 + 4 + 8));
    assert_eq!(report.assignments, 2 * (4 + 8), "counties and institutions");
    assert_eq!(report.answers, 2 * 12 * 12);
    assert_eq!(app.count("score").await, 24, "every checklist scored");
    assert_eq!(
        app.count("rollup").await,
        2 * (1 + 2 + 4),
        "every region rolled up"
    );
    let freshness = report.freshness.expect("measured");
    assert_eq!(freshness.submissions, 5);
    assert_eq!(
        freshness.missing, 0,
        "every submission reached the province"
    );
    assert!(freshness.p50_ms > 0.0 && freshness.p50_ms <= freshness.p99_ms);

    // Comparison timings: all counties of the province, a city's, the cities.
    let children: Vec<usize> = report.comparisons.iter().map(|c| c.children).collect();
    assert_eq!(children, [4, 2, 2]);
    assert!(
        report
            .comparisons
            .iter()
            .all(|c| c.requests == 3 && c.p50_ms > 0.0)
    );

    // The load test ran through wrk: two fillers autosaving, two readers, no errors.
    let kinds: Vec<&str> = report.load.iter().map(|o| o.kind).collect();
    assert_eq!(kinds, ["autosave", "comparison"]);
    for o in &report.load {
        assert!(o.requests > 0, "{o:?}");
        assert_eq!((o.errors, o.socket_errors), (0, 0), "{o:?}");
    }
    let bumped = app
        .count_where("assignment", "version > 1 AND status = 'DRAFT'")
        .await;
    assert_eq!(bumped, 2, "each filler's own checklist took the saves");
    app.stop().await;
}

/// DOMAIN.md §4: one rounding, at the end. A monthly item of weight 2 published on time
/// for 11 of the year's 12 months once scored 2 × 0.917 = 1.834; it is 2 × 11/12 = 1.833.
#[tokio::test]
async fn a_monthly_item_is_rounded_once_at_the_end() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    let yaml = "code: ln-monthly\ntitle: 月度公开\napplies_to: [COUNTY]\nitems:\n  - code: \"1214\"\n    category: [公共卫生服务]\n    title: 法定传染病疫情\n    time_limit: 每月\n    channels: [政府网站]\n    weight: 2\n";
    let imported = app
        .graphql_upload(
            &admin,
            "mutation($file: Upload!) { importCatalogue(file: $file, format: YAML, title: \"月度\") { id } }",
            json!({}),
            "monthly.yaml",
            yaml.as_bytes().to_vec(),
        )
        .await;
    let version = imported["data"]["importCatalogue"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{imported}"))
        .to_owned();
    app.graphql(
        Some(&admin),
        "mutation($id: ID!) { publishCatalogueVersion(id: $id) { status } }",
        json!({ "id": version }),
    )
    .await;
    // Last year: all twelve months are due whatever today is.
    super::rounds::create_and_open(
        &app,
        &admin,
        json!({
            "title": "2025 年度月度公开考核",
            "periodStart": "2025-01-01",
            "periodEnd": "2025-12-31",
            "deadline": "2030-01-20",
            "catalogues": [{ "orgKind": "COUNTY", "versionId": version }],
            "scope": { "orgs": [world.heping.id.to_string()] },
        }),
    )
    .await;
    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let mine = app
        .graphql(Some(&filler), "{ myAssignments { id version } }", json!({}))
        .await;
    let checklist = &mine["data"]["myAssignments"][0];
    let id = checklist["id"].as_str().unwrap().to_owned();
    let periods: Vec<Value> = (1..=11)
        .map(|m| {
            json!({ "period": format!("2025-{m:02}"), "publishedOn": format!("2025-{:02}-10", m + 1) })
        })
        .collect();
    let saved = app
        .graphql(
            Some(&filler),
            "mutation($id: ID!, $v: Int!, $a: [AnswerInput!]!) { saveAnswers(assignmentId: $id, expectedVersion: $v, answers: $a) { version } }",
            json!({ "id": id, "v": checklist["version"], "a": [{
                "itemCode": "1214", "status": "DISCLOSED", "channels": ["WEBSITE"],
                "evidenceUrls": ["https://wsjk.ln.gov.cn/yq/2025.html"], "periods": periods,
            }] }),
        )
        .await;
    let v = saved["data"]["saveAnswers"]["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("{saved}"));
    let score = until(
        &app,
        &filler,
        "query($id: ID!) { score(assignmentId: $id) { stale items { points max explanation } } assignment(id: $id) { version } }",
        json!({ "id": id }),
        |r| r["data"]["score"]["stale"] == false && r["data"]["assignment"]["version"] == v,
    )
    .await;
    let item = &score["data"]["score"]["items"][0];
    assert!(
        item["explanation"]
            .as_str()
            .unwrap()
            .contains("应公开 12 期，按时 11 期"),
        "{item}"
    );
    assert_eq!(item["points"], 1.833, "{item}");
    assert_eq!(item["max"], 2.0);
    app.stop().await;
}
