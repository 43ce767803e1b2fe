//! Provincial staff compare their regions: ranks, the category heat map, the items most
//! often failed, the change since the last round, and drill-down to an item's reason.

use serde_json::{Value, json};
use touming_domain::Role;
use touming_store::entity::org;
use touming_tests::{TestApp, World, error_code, spawn_app};

use super::assignments::{SAVE, SUBMIT, full_answers, mine, open_round};
use super::rectification::{download, names, rows};
use super::scores::until;

const COMPARISON: &str = "query($r: ID!, $p: ID!, $k: OrgKind, $s: ComparisonSort, $d: Boolean, $f: ComparisonFilter) {
  comparison(roundId: $r, parentId: $p, childKind: $k, sortBy: $s, descending: $d, filter: $f) {
    previousRoundId
    summary { composite coverage { expected submitted } }
    rows { org { code name } composite strictComposite grade rank strictRank change sharedChange previousComposite assignmentId
           coverage { expected submitted } categories { name percent } rectification { total verified overdue rate } }
    heatMap { categories rows { org { code } cells } }
    failedItems(first: 20) { item { code title } checked failed failureRate }
    sharedItems { shared changed onlyBefore { code } onlyNow { code } }
  } }";

/// `org`'s filler answers ten items, leaving those at `missing` undisclosed, and
/// submits; returns the checklist's id and the codes left undisclosed.
pub async fn submit_with_gaps(
    app: &TestApp,
    world: &World,
    org: &org::Model,
    missing: &[usize],
) -> (String, Vec<String>) {
    let token = world.login(app, org, Role::Filler).await;
    let assignment = mine(app, &token).await;
    let id = assignment["id"].as_str().unwrap().to_owned();
    let version = assignment["version"].as_i64().unwrap();
    let mut answers = full_answers(&assignment, 10);
    let mut codes = Vec::new();
    for i in missing {
        answers[*i]["status"] = json!("NOT_DISCLOSED");
        codes.push(answers[*i]["itemCode"].as_str().unwrap().to_owned());
    }
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
    (id, codes)
}

pub async fn compare(
    app: &TestApp,
    token: &str,
    round: &str,
    parent: &org::Model,
    extra: Value,
) -> Value {
    let mut vars = json!({ "r": round, "p": parent.id.to_string(), "k": "COUNTY" });
    for (k, v) in extra.as_object().unwrap() {
        vars[k] = v.clone();
    }
    let r = app.graphql(Some(token), COMPARISON, vars).await;
    assert!(r.get("errors").is_none(), "{r}");
    r["data"]["comparison"].clone()
}

fn codes(rows: &Value) -> Vec<&str> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["org"]["code"].as_str().unwrap())
        .collect()
}

/// Waits until the city's roll-up counts `n` submitted checklists.
pub async fn until_city_counts(app: &TestApp, token: &str, round: &str, world: &World, n: u64) {
    until(
        app,
        token,
        "query($r: ID!, $o: ID!) { rollup(roundId: $r, orgId: $o) { coverage { submitted } stale } }",
        json!({ "r": round, "o": world.shenyang.id.to_string() }),
        // Coverage counts checklists at once; the figure is rolled up once it is current.
        |r| {
            r["data"]["rollup"]["coverage"]["submitted"] == n
                && r["data"]["rollup"]["stale"] == false
        },
    )
    .await;
}

#[tokio::test]
async fn the_province_ranks_counties_sees_the_heat_map_and_drills_down_to_an_item() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let round = open_round(&app, &world, None).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;

    let (heping_id, missing) = submit_with_gaps(&app, &world, &world.heping, &[1, 3]).await;
    submit_with_gaps(&app, &world, &world.shenhe, &[3]).await;
    until_city_counts(&app, &province, &round, &world, 2).await;

    let c = compare(&app, &province, &round, &world.shenyang, json!({})).await;
    // 沈河区 missed one item, 和平区 two: 沈河区 first.
    assert_eq!(codes(&c["rows"]), ["210103", "210102"], "{c}");
    assert_eq!(c["rows"][0]["rank"], 1);
    assert_eq!(c["rows"][1]["rank"], 2);
    assert!(
        c["rows"][0]["composite"].as_f64() > c["rows"][1]["composite"].as_f64(),
        "{c}"
    );
    assert!(c["previousRoundId"].is_null() && c["rows"][0]["change"].is_null());
    assert!(c["rows"][0]["rectification"].is_null(), "not published yet");
    assert_eq!(c["summary"]["coverage"]["submitted"], 2);

    // The most failed items: as many failures as the two checklists' scores show
    // below full points, most first.
    let mut expected: std::collections::BTreeMap<String, u64> = Default::default();
    for row in c["rows"].as_array().unwrap() {
        let score = app
            .graphql(
                Some(&province),
                "query($id: ID!) { score(assignmentId: $id) { items { code points max applicable } } }",
                json!({ "id": row["assignmentId"] }),
            )
            .await;
        for item in score["data"]["score"]["items"].as_array().unwrap() {
            if item["applicable"] == true && item["points"].as_f64() < item["max"].as_f64() {
                *expected
                    .entry(item["code"].as_str().unwrap().to_owned())
                    .or_default() += 1;
            }
        }
    }
    let failed = c["failedItems"].as_array().unwrap();
    let got: std::collections::BTreeMap<String, u64> = failed
        .iter()
        .map(|f| {
            (
                f["item"]["code"].as_str().unwrap().to_owned(),
                f["failed"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected, "{c}");
    assert_eq!(got[&missing[1]], 2, "both missed it");
    assert!(got[&missing[0]] >= 1);
    let counts: Vec<u64> = failed
        .iter()
        .map(|f| f["failed"].as_u64().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most first: {counts:?}"
    );
    assert!(
        failed
            .iter()
            .all(|f| f["checked"] == 2 && f["item"]["title"].is_string())
    );

    // The heat map: a column per category, a row per county in the rows' order, and
    // each cell that county's rate in that category.
    let heat = &c["heatMap"];
    let categories = heat["categories"].as_array().unwrap();
    assert!(!categories.is_empty());
    assert_eq!(codes(&heat["rows"]), ["210103", "210102"]);
    for (i, row) in c["rows"].as_array().unwrap().iter().enumerate() {
        let cells = heat["rows"][i]["cells"].as_array().unwrap();
        assert_eq!(cells.len(), categories.len());
        for (name, cell) in categories.iter().zip(cells) {
            let category = row["categories"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| &k["name"] == name);
            assert_eq!(
                category
                    .map(|k| k["percent"].clone())
                    .unwrap_or(Value::Null),
                *cell
            );
        }
    }
    let below_full = |row: usize| {
        heat["rows"][row]["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c.as_f64().is_some_and(|v| v < 100.0))
            .count()
    };
    assert!(below_full(1) >= 1 && below_full(0) >= 1, "{heat}");

    // Sorting and filtering.
    let by_code = compare(
        &app,
        &province,
        &round,
        &world.shenyang,
        json!({ "s": "CODE" }),
    )
    .await;
    assert_eq!(codes(&by_code["rows"]), ["210102", "210103"]);
    let desc = compare(
        &app,
        &province,
        &round,
        &world.shenyang,
        json!({ "s": "CODE", "d": true }),
    )
    .await;
    assert_eq!(codes(&desc["rows"]), ["210103", "210102"]);
    let search = compare(
        &app,
        &province,
        &round,
        &world.shenyang,
        json!({ "f": { "search": "和平" } }),
    )
    .await;
    assert_eq!(codes(&search["rows"]), ["210102"]);
    assert_eq!(search["rows"][0]["rank"], 2, "ranks are among all children");
    let top = c["rows"][0]["composite"].as_f64().unwrap();
    let high = compare(
        &app,
        &province,
        &round,
        &world.shenyang,
        json!({ "f": { "minComposite": top } }),
    )
    .await;
    assert_eq!(codes(&high["rows"]), ["210103"]);
    let bad = app
        .graphql(
            Some(&province),
            COMPARISON,
            json!({ "r": round, "p": world.shenyang.id.to_string(), "f": { "minComposite": 120 } }),
        )
        .await;
    assert_eq!(error_code(&bad), Some("VALIDATION"), "{bad}");

    // Drill down: province → city → county → checklist → the item's reason.
    let cities = app
        .graphql(
            Some(&province),
            COMPARISON,
            json!({ "r": round, "p": world.liaoning.id.to_string(), "k": "CITY" }),
        )
        .await;
    assert_eq!(codes(&cities["data"]["comparison"]["rows"]), ["210100"]);
    // A kind reaches below the children: the province ranks its counties directly.
    let counties = app
        .graphql(
            Some(&province),
            COMPARISON,
            json!({ "r": round, "p": world.liaoning.id.to_string(), "k": "COUNTY" }),
        )
        .await;
    let counties = &counties["data"]["comparison"];
    assert_eq!(codes(&counties["rows"]), codes(&c["rows"]));
    assert_eq!(counties["heatMap"], c["heatMap"]);
    assert!(
        counties["rows"]
            .as_array()
            .unwrap()
            .iter()
            .zip(c["rows"].as_array().unwrap())
            .all(|(p, c)| p["rank"] == c["rank"] && p["composite"] == c["composite"])
    );
    let heping = &c["rows"][1];
    let assignment = heping["assignmentId"].as_str().unwrap();
    assert_eq!(assignment, heping_id);
    let score = app
        .graphql(
            Some(&province),
            "query($id: ID!) { score(assignmentId: $id) { items { code points explanation } } }",
            json!({ "id": assignment }),
        )
        .await;
    let item = score["data"]["score"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == missing[0].as_str())
        .unwrap()
        .clone();
    assert_eq!(item["points"], 0.0);
    assert!(
        item["explanation"].as_str().unwrap().starts_with("未公开"),
        "{item}"
    );

    // Another province sees none of it.
    let fujian = world.login(&app, &world.fujian, Role::Admin).await;
    let r = app
        .graphql(
            Some(&fujian),
            COMPARISON,
            json!({ "r": round, "p": world.shenyang.id.to_string() }),
        )
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"));
    app.stop().await;
}

#[tokio::test]
async fn the_next_round_shows_the_change_on_shared_items() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let first = open_round(&app, &world, None).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    submit_with_gaps(&app, &world, &world.heping, &[1, 3]).await;
    until_city_counts(&app, &province, &first, &world, 1).await;
    let then = compare(&app, &province, &first, &world.shenyang, json!({})).await;
    let then_composite = then["rows"][0]["composite"].as_f64().unwrap();

    let second = open_round(&app, &world, Some(&first)).await;
    // Prefilled from the first round: fill the gaps this time.
    submit_with_gaps(&app, &world, &world.heping, &[]).await;
    until_city_counts(&app, &province, &second, &world, 1).await;
    let now = compare(&app, &province, &second, &world.shenyang, json!({})).await;
    assert_eq!(now["previousRoundId"], first.as_str());
    let row = &now["rows"][0];
    assert_eq!(row["org"]["code"], "210102");
    assert_eq!(row["previousComposite"], then_composite);
    let change = row["change"].as_f64().unwrap();
    let expected =
        ((row["composite"].as_f64().unwrap() - then_composite) * 1000.0).round() / 1000.0;
    assert!((change - expected).abs() < 1e-9 && change > 0.0, "{row}");
    assert!(row["sharedChange"].as_f64().unwrap() > 0.0, "{row}");
    // Same catalogue versions: everything compares, nothing left out.
    let shared = &now["sharedItems"];
    assert!(shared["shared"].as_u64().unwrap() >= 10, "{shared}");
    assert_eq!(shared["onlyBefore"], json!([]));
    assert_eq!(shared["onlyNow"], json!([]));
    // 沈河区 took part in neither round: no change to show.
    assert!(now["rows"][1]["change"].is_null());

    let across = app
        .graphql(
            Some(&province),
            "query($o: ID!, $a: ID!, $b: ID!) { compareRounds(orgId: $o, fromRoundId: $a, toRoundId: $b) { change sharedFrom sharedTo sharedChange items { shared onlyBefore { code } } } }",
            json!({ "o": world.heping.id.to_string(), "a": first, "b": second }),
        )
        .await;
    let across = &across["data"]["compareRounds"];
    assert_eq!(across["change"], change, "{across}");
    let (from, to) = (
        across["sharedFrom"].as_f64().unwrap(),
        across["sharedTo"].as_f64().unwrap(),
    );
    assert!(to > from, "{across}");
    assert_eq!(
        across["sharedChange"].as_f64().unwrap(),
        ((to - from) * 1000.0).round() / 1000.0
    );
    assert_eq!(across["sharedChange"], row["sharedChange"]);
    let trend = app
        .graphql(
            Some(&province),
            "query($o: ID!) { trend(orgId: $o) { roundId composite } }",
            json!({ "o": world.heping.id.to_string() }),
        )
        .await;
    let trend = trend["data"]["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 2);
    assert_eq!(trend[0]["roundId"], first.as_str());
    assert_eq!(trend[0]["composite"], then_composite);
    app.stop().await;
}

#[tokio::test]
async fn a_county_that_submitted_half_its_checklists_does_not_rank_first_when_the_unsubmitted_count_as_zero()
 {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let round = open_round(&app, &world, None).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    // 和平区 submits a perfect checklist, its hospital nothing; 沈河区 (no hospital)
    // submits with one gap.
    submit_with_gaps(&app, &world, &world.heping, &[]).await;
    submit_with_gaps(&app, &world, &world.shenhe, &[3]).await;
    until_city_counts(&app, &province, &round, &world, 2).await;

    let c = compare(&app, &province, &round, &world.liaoning, json!({})).await;
    assert_eq!(codes(&c["rows"]), ["210102", "210103"], "{c}");
    let (heping, shenhe) = (&c["rows"][0], &c["rows"][1]);
    assert_eq!(
        (heping["rank"].clone(), shenhe["rank"].clone()),
        (json!(1), json!(2))
    );
    // Counted strictly, 和平区 is its own checklist (weight 0.4) and an unsubmitted
    // hospital (0.2) at 0: two thirds of its composite.
    let own = heping["composite"].as_f64().unwrap();
    let strict = heping["strictComposite"].as_f64().unwrap();
    assert!((strict - own * 0.4 / 0.6).abs() < 0.001, "{heping}");
    assert_eq!(
        shenhe["strictComposite"], shenhe["composite"],
        "all submitted"
    );
    assert_eq!(heping["strictRank"], 2, "{c}");
    assert_eq!(shenhe["strictRank"], 1, "{c}");
    let strictly = compare(
        &app,
        &province,
        &round,
        &world.liaoning,
        json!({ "s": "STRICT_RANK" }),
    )
    .await;
    assert_eq!(codes(&strictly["rows"]), ["210103", "210102"]);

    // The download follows the view: the province's counties, strictly ranked, each
    // with its city.
    let mut sheets = download(
        &app,
        &province,
        &format!(
            "/export/rounds/{round}/comparison/{}.xlsx?kind=COUNTY&sort=STRICT_RANK",
            world.liaoning.id
        ),
    )
    .await;
    assert_eq!(names(&sheets), ["县（区）", "分类得分率", "失分最多的事项"]);
    let counties = rows(&mut sheets, "县（区）");
    let column = |title: &str| counties[0].iter().position(|c| c == title).unwrap();
    assert_eq!(counties[0][0], calamine::Data::from("所属市"));
    let listed: Vec<String> = counties[1..]
        .iter()
        .map(|r| r[column("代码")].to_string())
        .collect();
    assert_eq!(listed, ["210103", "210102"]);
    assert!(counties[1..].iter().all(|r| r[0] == "沈阳市"));
    assert_eq!(
        counties[2][column("按0分计排名")],
        calamine::Data::Float(2.0)
    );
    assert_eq!(
        counties[2][column("未提交按0分计得分")],
        calamine::Data::Float(strict)
    );
    let bad = app
        .client
        .get(app.url(&format!(
            "/export/rounds/{round}/comparison/{}.xlsx?sort=BEST",
            world.liaoning.id
        )))
        .bearer_auth(&province)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("sort"));
    app.stop().await;
}
