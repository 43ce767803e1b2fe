//! Rectification (整改): publishing a round turns what fell short in approved checklists
//! into entries; the county fixes with new evidence, the city reopens, the province
//! verifies, and the comparison shows the rate; the next round looks back (回头看).

use calamine::Data;
use serde_json::{Value, json};
use touming_domain::Role;
use touming_tests::{TestApp, World, error_code, error_fields, spawn_app};

use super::assignments::open_round;
use super::comparison::{compare, submit_with_gaps, until_city_counts};
use super::scores::until;

const LIST: &str = "query($r: ID, $o: ID, $s: RectificationStatus, $late: Boolean, $q: String) {
  rectifications(roundId: $r, orgId: $o, status: $s, overdue: $late, search: $q) {
    totalCount edges { node { id itemCode itemTitle finding points max deadline status overdue version owner { code } } } } }";
const UPDATE: &str = "mutation($id: ID!, $i: RectificationInput!) {
  updateRectification(id: $id, input: $i) { id status version fixNote fixEvidenceUrls reviewComment } }";
pub type Sheets = calamine::Xlsx<std::io::Cursor<Vec<u8>>>;

pub async fn download(app: &TestApp, token: &str, path: &str) -> Sheets {
    let response = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an xlsx file")
}

pub fn names(sheets: &Sheets) -> Vec<String> {
    use calamine::Reader;
    sheets.sheet_names()
}

pub fn rows(sheets: &mut Sheets, name: &str) -> Vec<Vec<Data>> {
    use calamine::Reader;
    sheets
        .worksheet_range(name)
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect()
}

const REVIEW: &str =
    "mutation($id: ID!) { reviewAssignment(id: $id, decision: APPROVE) { status } }";

async fn list(app: &TestApp, token: &str, vars: Value) -> Value {
    let r = app.graphql(Some(token), LIST, vars).await;
    assert!(r.get("errors").is_none(), "{r}");
    r["data"]["rectifications"].clone()
}

/// What the page may offer `token` on entry `id`: (canFix, canVerify, canReopen).
async fn offers(app: &TestApp, token: &str, id: &str) -> (bool, bool, bool) {
    let r = app
        .graphql(
            Some(token),
            "{ rectifications(first: 200) { edges { node { id canFix canVerify canReopen } } } }",
            json!({}),
        )
        .await;
    let node = r["data"]["rectifications"]["edges"]
        .as_array()
        .and_then(|edges| edges.iter().find(|e| e["node"]["id"] == id))
        .unwrap_or_else(|| panic!("{id} not listed: {r}"))["node"]
        .clone();
    let flag = |f: &str| node[f].as_bool().unwrap();
    (flag("canFix"), flag("canVerify"), flag("canReopen"))
}

#[tokio::test]
async fn a_published_round_leaves_rectification_that_is_fixed_reopened_and_verified() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let round = open_round(&app, &world, None).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    let city = world.login(&app, &world.shenyang, Role::Admin).await;
    let county = world.login(&app, &world.heping, Role::Filler).await;

    let (assignment, missing) = submit_with_gaps(&app, &world, &world.heping, &[1]).await;
    until_city_counts(&app, &province, &round, &world, 1).await;
    let r = app
        .graphql(Some(&city), REVIEW, json!({ "id": assignment }))
        .await;
    assert_eq!(r["data"]["reviewAssignment"]["status"], "APPROVED", "{r}");

    // Only a closed round can be published, and only by the province.
    let publish = "mutation($id: ID!, $d: Date) { publishRound(id: $id, rectificationDeadline: $d) { round { status rectificationDeadline } rectificationsCreated } }";
    let r = app
        .graphql(Some(&province), publish, json!({ "id": round }))
        .await;
    assert_eq!(error_fields(&r), vec!["id"], "{r}");
    let r = app
        .graphql(
            Some(&province),
            "mutation($id: ID!) { closeRound(id: $id) { status } }",
            json!({ "id": round }),
        )
        .await;
    assert_eq!(r["data"]["closeRound"]["status"], "CLOSED", "{r}");
    let r = app
        .graphql(Some(&city), publish, json!({ "id": round }))
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"));
    let r = app
        .graphql(
            Some(&province),
            publish,
            json!({ "id": round, "d": "2020-01-01" }),
        )
        .await;
    assert_eq!(error_fields(&r), vec!["rectificationDeadline"]);
    let deadline = (chrono::Utc::now().date_naive() + chrono::Days::new(20)).to_string();
    // The worker may still be rescoring after the close; publishing waits for it.
    let published = until(
        &app,
        &province,
        publish,
        json!({ "id": round, "d": deadline }),
        |r| r.get("errors").is_none(),
    )
    .await;
    let published = &published["data"]["publishRound"];
    assert_eq!(published["round"]["status"], "PUBLISHED");

    // One entry per item below full points in the approved checklist: as many as its
    // score shows, the undisclosed item among them, with the score's reason.
    let score = app
        .graphql(
            Some(&province),
            "query($id: ID!) { score(assignmentId: $id) { items { code points max applicable explanation } } }",
            json!({ "id": assignment }),
        )
        .await;
    let short: Vec<Value> = score["data"]["score"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["applicable"] == true && i["points"].as_f64() < i["max"].as_f64())
        .cloned()
        .collect();
    assert_eq!(published["rectificationsCreated"], short.len());
    let all = list(&app, &province, json!({ "r": round })).await;
    assert_eq!(all["totalCount"], short.len());
    let entry = all["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .find(|n| n["itemCode"] == missing[0].as_str())
        .expect("the undisclosed item is to be rectified");
    let expected = short
        .iter()
        .find(|i| i["code"] == missing[0].as_str())
        .unwrap();
    assert_eq!(entry["finding"], expected["explanation"]);
    assert_eq!(entry["status"], "OPEN");
    assert_eq!(entry["deadline"], deadline.as_str());
    assert_eq!(entry["owner"]["code"], "210102");
    assert_eq!(entry["overdue"], false);
    let id = entry["id"].as_str().unwrap().to_owned();

    // The county sees its own; the hospital below it and the other province do not.
    assert_eq!(
        list(&app, &county, json!({})).await["totalCount"],
        short.len()
    );
    let nurse = world.login(&app, &world.hospital, Role::Filler).await;
    assert_eq!(list(&app, &nurse, json!({})).await["totalCount"], 0);
    let fujian = world.login(&app, &world.fujian, Role::Admin).await;
    let fix = |v: i64, urls: Value| json!({ "id": id, "i": { "action": "FIX", "expectedVersion": v, "note": "已在门户网站补充公开", "evidenceUrls": urls } });
    let new_link = json!(["https://wjw.shenyang.gov.cn/zwgk/zhenggai/1.html"]);
    let r = app
        .graphql(Some(&fujian), UPDATE, fix(1, new_link.clone()))
        .await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"));

    // The comparison shows the rate: nothing verified yet.
    let c = compare(
        &app,
        &province,
        &round,
        &world.shenyang,
        json!({ "s": "CODE" }),
    )
    .await;
    assert_eq!(
        c["rows"][0]["rectification"],
        json!({ "total": short.len(), "verified": 0, "overdue": 0, "rate": 0.0 })
    );

    // What the page offers is what the server lets through: the owner fixes an open
    // entry; nobody verifies or reopens it before a fix.
    assert_eq!(offers(&app, &county, &id).await, (true, false, false));
    assert_eq!(offers(&app, &city, &id).await, (false, false, false));

    // A fix needs new evidence, from the owner.
    let r = app
        .graphql(
            Some(&county),
            UPDATE,
            fix(1, json!(["https://wjw.shenyang.gov.cn/zwgk/1.html"])),
        )
        .await;
    assert_eq!(
        error_fields(&r),
        vec!["evidenceUrls"],
        "the old link is not new: {r}"
    );
    let r = app
        .graphql(Some(&city), UPDATE, fix(1, new_link.clone()))
        .await;
    assert_eq!(
        error_code(&r),
        Some("FORBIDDEN"),
        "the city does not fix the county's"
    );
    let r = app
        .graphql(Some(&county), UPDATE, fix(1, new_link.clone()))
        .await;
    assert_eq!(r["data"]["updateRectification"]["status"], "FIXED", "{r}");
    assert_eq!(
        r["data"]["updateRectification"]["fixEvidenceUrls"],
        new_link
    );
    let r = app
        .graphql(Some(&county), UPDATE, fix(1, new_link.clone()))
        .await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "a stale version");

    // Fixed: the city above may verify or reopen; the county may do neither.
    assert_eq!(offers(&app, &city, &id).await, (false, true, true));
    assert_eq!(offers(&app, &county, &id).await, (false, false, false));

    // The county cannot verify itself; the city reopens, with a reason.
    let review = |action: &str, v: i64, note: Option<&str>| json!({ "id": id, "i": { "action": action, "expectedVersion": v, "note": note } });
    let r = app
        .graphql(Some(&county), UPDATE, review("VERIFY", 2, None))
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"));
    let r = app
        .graphql(Some(&city), UPDATE, review("REOPEN", 2, None))
        .await;
    assert_eq!(error_fields(&r), vec!["note"]);
    let r = app
        .graphql(
            Some(&city),
            UPDATE,
            review("REOPEN", 2, Some("链接无法打开")),
        )
        .await;
    assert_eq!(
        r["data"]["updateRectification"]["status"], "REOPENED",
        "{r}"
    );

    // Past the deadline it is flagged.
    app.sql(&format!(
        "UPDATE rectification SET deadline = '2026-01-05' WHERE id = {id}"
    ))
    .await;
    let late = list(&app, &province, json!({ "late": true })).await["edges"].clone();
    assert_eq!(late.as_array().unwrap().len(), 1);
    assert_eq!(late[0]["node"]["overdue"], true);
    let c = compare(
        &app,
        &province,
        &round,
        &world.shenyang,
        json!({ "s": "CODE" }),
    )
    .await;
    assert_eq!(
        c["rows"][0]["rectification"]["overdue"], 0,
        "the round's deadline decides the rate's overdue count"
    );

    // The next round looks back at what is still open (回头看).
    let next = open_round(&app, &world, Some(&round)).await;
    let mine = app
        .graphql(
            Some(&county),
            "query($r: ID) { myAssignments(roundId: $r) { openRectifications { id itemCode status } } }",
            json!({ "r": next }),
        )
        .await;
    let open = mine["data"]["myAssignments"][0]["openRectifications"]
        .as_array()
        .unwrap();
    assert_eq!(open.len(), short.len(), "{mine}");
    assert!(
        open.iter()
            .any(|o| o["id"] == id.as_str() && o["status"] == "REOPENED")
    );

    // Fixed again, and verified by the province: the rate moves, the look-back shrinks.
    let r = app
        .graphql(
            Some(&county),
            UPDATE,
            fix(
                3,
                json!(["https://wjw.shenyang.gov.cn/zwgk/zhenggai/2.html"]),
            ),
        )
        .await;
    assert_eq!(r["data"]["updateRectification"]["status"], "FIXED", "{r}");
    let r = app
        .graphql(Some(&province), UPDATE, review("VERIFY", 4, Some("已核实")))
        .await;
    assert_eq!(
        r["data"]["updateRectification"]["status"], "VERIFIED",
        "{r}"
    );
    let c = compare(
        &app,
        &province,
        &round,
        &world.shenyang,
        json!({ "s": "CODE" }),
    )
    .await;
    let progress = &c["rows"][0]["rectification"];
    assert_eq!(progress["verified"], 1);
    let rate = (1000.0 * 100.0 / short.len() as f64).round() / 1000.0;
    assert_eq!(progress["rate"].as_f64().unwrap(), rate);
    // One item across every region: by its code, or by words of its title.
    let entries = list(&app, &province, json!({ "r": round })).await;
    let entry = entries["edges"][0]["node"].clone();
    let by_code = list(&app, &province, json!({ "q": entry["itemCode"] })).await;
    assert!(by_code["totalCount"].as_u64().unwrap() >= 1, "{by_code}");
    assert!(
        by_code["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["node"]["itemCode"] == entry["itemCode"]),
        "{by_code}"
    );
    let title: String = entry["itemTitle"]
        .as_str()
        .unwrap()
        .chars()
        .skip(1)
        .take(4)
        .collect();
    let by_title = list(&app, &province, json!({ "q": title })).await;
    assert!(
        by_title["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["node"]["id"] == entry["id"]),
        "{title}: {by_title}"
    );
    assert_eq!(
        list(&app, &province, json!({ "q": "%" })).await["totalCount"],
        0,
        "% is a character, not a wildcard"
    );
    let verified = list(&app, &province, json!({ "s": "VERIFIED" })).await;
    assert_eq!(verified["totalCount"], 1);
    assert_eq!(
        list(&app, &province, json!({ "late": true })).await["totalCount"],
        0
    );

    // The offices download it all as spreadsheets, under the same tenancy.
    let mut sheets = download(
        &app,
        &province,
        &format!(
            "/export/rounds/{round}/comparison/{}.xlsx",
            world.liaoning.id
        ),
    )
    .await;
    assert_eq!(
        names(&sheets),
        ["市", "县（区）", "分类得分率", "失分最多的事项"]
    );
    let cities = rows(&mut sheets, "市");
    assert_eq!(
        cities[0][..4],
        ["排名", "代码", "名称", "综合得分"].map(Data::from)
    );
    assert_eq!(cities[0][16], Data::from("整改完成率(%)"));
    assert_eq!(cities[1][1], Data::from("210100"));
    assert!(
        matches!(cities[1][3], Data::Float(_)),
        "numbers are numbers: {:?}",
        cities[1]
    );
    let counties = rows(&mut sheets, "县（区）");
    assert_eq!(counties[0][0], Data::from("所属地区"));
    let heping = counties.iter().find(|r| r[2] == "210102").unwrap();
    assert_eq!(heping[0], Data::from("沈阳市"));
    assert_eq!(heping[15], Data::Float(1.0), "verified entries: {heping:?}");
    let mut assignment_sheets = download(
        &app,
        &city,
        &format!("/export/assignments/{assignment}.xlsx"),
    )
    .await;
    assert_eq!(names(&assignment_sheets), ["逐项得分", "汇总"]);
    let items = rows(&mut assignment_sheets, "逐项得分");
    let undisclosed = items.iter().find(|r| r[0] == missing[0].as_str()).unwrap();
    assert_eq!(undisclosed[4], Data::Float(0.0));
    assert_eq!(
        undisclosed[7],
        Data::from(expected["explanation"].as_str().unwrap())
    );
    let mut list_sheets = download(
        &app,
        &county,
        &format!("/export/rounds/{round}/rectifications.xlsx"),
    )
    .await;
    let listed = rows(&mut list_sheets, "整改清单");
    assert_eq!(listed.len(), 1 + short.len());
    assert_eq!(listed[0][7], Data::from("存在问题"));
    assert!(listed.iter().any(|r| r[9] == "已销号"));
    let denied = app
        .client
        .get(app.url(&format!("/export/assignments/{assignment}.xlsx")))
        .bearer_auth(&fujian)
        .send()
        .await
        .unwrap();
    assert_eq!(
        denied.status(),
        404,
        "another province's checklist does not exist for it"
    );

    // Every step is in the audit log.
    for action in [
        "round.publish",
        "rectification.fix",
        "rectification.reopen",
        "rectification.verify",
    ] {
        assert!(
            app.count_where("audit_event", &format!("action = '{action}'"))
                .await
                >= 1,
            "{action} audited"
        );
    }
    app.stop().await;
}
