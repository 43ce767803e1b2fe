//! A province loads the catalogue spreadsheet it already publishes, sees exactly what is
//! wrong with a broken one, publishes a clean one and compares it with the built-in one.

use serde_json::{Value, json};
use touming_domain::Role;
use touming_tests::spreadsheet::{Row, published_style};
use touming_tests::{TestApp, World, error_code, spawn_app};

const IMPORT: &str = "mutation($file: Upload!, $format: CatalogueFormat!, $title: String!, $kinds: [OrgKind!]) { importCatalogue(file: $file, format: $format, title: $title, appliesTo: $kinds) { id label status itemCount catalogue { id code title appliesTo builtIn } } }";
const PUBLISH: &str =
    "mutation($id: ID!) { publishCatalogueVersion(id: $id) { id status publishedAt } }";
const CATALOGUES: &str =
    "{ catalogues { id code title builtIn versions { id status itemCount } } }";
const WD20: &str = "自信息形成或者变更之日起20个工作日内予以公开";

fn clean_rows() -> Vec<Row> {
    vec![
        Row::new("0101", "政策文件", "规范性文件", WD20),
        Row::new("0104", "政策文件", "权责清单", "20个工作日内"),
        Row::new(
            "0108",
            "政策文件",
            "政府信息公开工作年度报告",
            "每年1月31日前",
        ),
        Row {
            channels: "■政府网站\n■公开查阅点",
            ..Row::new("0201", "医疗机构执业登记", "办事指南", WD20)
        },
        Row {
            public: false,
            ..Row::new(
                "0204",
                "医疗机构执业登记",
                "结果信息",
                "自作出行政决定之日起7个工作日内",
            )
        },
        Row::new("1214", "公共卫生服务", "法定传染病疫情", "每月"),
        Row::new(
            "1299",
            "公共卫生服务",
            "省级新增：家庭医生签约服务",
            "按季度",
        ),
    ]
}

async fn versions_in_db(app: &TestApp) -> (i64, i64) {
    (
        app.count("catalogue_version").await,
        app.count("catalogue_item").await,
    )
}

fn import_errors(response: &Value) -> Vec<(String, Option<u64>, Option<String>, String)> {
    response["errors"][0]["extensions"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no field errors: {response}"))
        .iter()
        .map(|f| {
            (
                f["sheet"].as_str().unwrap_or_default().to_owned(),
                f["row"].as_u64(),
                f["column"].as_str().map(str::to_owned),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_province_imports_its_published_spreadsheet_and_compares_it_with_the_builtin_one() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;

    // A broken file: every problem is listed with its place, and nothing is saved.
    let mut broken = clean_rows();
    broken[1].time_limit = "看情况而定";
    broken[3].channels = "■政府网站\n■飞鸽传书";
    broken[5].code = "0101";
    broken[6].formula = true;
    let before = versions_in_db(&app).await;
    let response = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "XLSX", "title": "2025年版（有误）", "kinds": ["COUNTY"] }),
            "broken.xlsx",
            published_style("标准目录", &broken),
        )
        .await;
    assert_eq!(error_code(&response), Some("VALIDATION"), "{response}");
    let errors = import_errors(&response);
    let formula = errors
        .iter()
        .find(|e| e.3.contains("公式"))
        .expect("formula error");
    assert_eq!(
        (formula.0.as_str(), formula.1, formula.2.as_deref()),
        ("标准目录", Some(10), Some("D"))
    );
    assert_eq!(
        versions_in_db(&app).await,
        before,
        "a formula alone stops the file"
    );

    broken[6].formula = false;
    let response = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "XLSX", "title": "2025年版（有误）", "kinds": ["COUNTY"] }),
            "broken.xlsx",
            published_style("标准目录", &broken),
        )
        .await;
    let errors = import_errors(&response);
    let at = |row: u64, column: &str| {
        errors
            .iter()
            .find(|e| e.1 == Some(row) && e.2.as_deref() == Some(column))
            .unwrap_or_else(|| panic!("no error at {column}{row}: {errors:?}"))
    };
    assert!(
        at(5, "F").3.contains("看情况而定"),
        "unreadable time limit names the wording"
    );
    assert!(at(7, "H").3.contains("飞鸽传书"), "unknown channel");
    assert!(
        at(9, "A").3.contains("与第 4 行相同"),
        "duplicate code points at the first"
    );
    assert!(
        at(5, "F")
            .3
            .starts_with("工作表“标准目录”第 5 行 F 列（公开时限）"),
        "{:?}",
        at(5, "F")
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(
        versions_in_db(&app).await,
        before,
        "nothing saved from a broken file"
    );

    // The clean file becomes a draft…
    let imported = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "XLSX", "title": "2025年版", "kinds": ["COUNTY"] }),
            "liaoning-2025.xlsx",
            published_style("标准目录", &clean_rows()),
        )
        .await;
    let version = &imported["data"]["importCatalogue"];
    assert_eq!(version["status"], "DRAFT", "{imported}");
    assert_eq!(version["itemCount"], 7);
    assert_eq!(version["catalogue"]["builtIn"], false);
    let version_id = version["id"].as_str().unwrap().to_owned();

    let items = app
        .graphql(
            Some(&admin),
            "query($id: ID!) { catalogueVersion(id: $id) { items(first: 10) { totalCount edges { node { code category title content audience timeLimit { kind days period month day } requiredChannels } } } } }",
            json!({ "id": version_id }),
        )
        .await;
    let nodes: Vec<&Value> = items["data"]["catalogueVersion"]["items"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect();
    assert_eq!(
        nodes[0]["category"],
        json!(["政策文件"]),
        "merged 一级事项 reaches every row"
    );
    assert_eq!(nodes[1]["category"], json!(["政策文件"]));
    assert_eq!(
        nodes[0]["content"],
        json!(["文件标题、文号", "文件全文"]),
        "line breaks split elements"
    );
    assert_eq!(
        nodes[0]["requiredChannels"],
        json!(["WEBSITE", "NEW_MEDIA"]),
        "only ■ boxes count"
    );
    assert_eq!(
        nodes[2]["timeLimit"],
        json!({ "kind": "ANNUAL", "days": null, "period": null, "month": 1, "day": 31 })
    );
    assert_eq!(nodes[4]["timeLimit"]["days"], 7);
    assert_eq!(nodes[4]["audience"], "特定群体");
    assert_eq!(nodes[5]["timeLimit"]["period"], "MONTHLY");

    // …which the admin publishes; a published version cannot be published again.
    let published = app
        .graphql(Some(&admin), PUBLISH, json!({ "id": version_id }))
        .await;
    assert_eq!(
        published["data"]["publishCatalogueVersion"]["status"], "PUBLISHED",
        "{published}"
    );
    let again = app
        .graphql(Some(&admin), PUBLISH, json!({ "id": version_id }))
        .await;
    assert_eq!(error_code(&again), Some("VALIDATION"));
    let audit = app
        .graphql(
            Some(&admin),
            "{ auditLog(entity: \"catalogue_version\") { edges { node { action entityId actorName } } } }",
            json!({}),
        )
        .await;
    let actions: Vec<(&str, &str)> = audit["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["action"].as_str().unwrap(),
                e["node"]["entityId"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("catalogue_version.publish", version_id.as_str()),
            ("catalogue_version.create", version_id.as_str())
        ],
        "the broken imports left no trace, the import and the publication did"
    );

    // The diff against the built-in county catalogue, matched by code.
    let catalogues = app.graphql(Some(&admin), CATALOGUES, json!({})).await;
    let builtin_county = catalogues["data"]["catalogues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "county-health")
        .expect("the built-in catalogue is visible to the province");
    assert_eq!(builtin_county["builtIn"], true);
    let builtin_version = builtin_county["versions"][0]["id"].as_str().unwrap();
    let diff = app
        .graphql(
            Some(&admin),
            "query($a: ID!, $b: ID!) { catalogueDiff(fromId: $a, toId: $b) { added { code title } removed { code } changed { code fields { field before after } } unchanged } }",
            json!({ "a": builtin_version, "b": version_id }),
        )
        .await;
    let diff = &diff["data"]["catalogueDiff"];
    assert_eq!(
        diff["added"],
        json!([{ "code": "1299", "title": "省级新增：家庭医生签约服务" }]),
        "{diff}"
    );
    let builtin_count = builtin_county["versions"][0]["itemCount"].as_u64().unwrap();
    assert_eq!(
        diff["removed"].as_array().unwrap().len() as u64,
        builtin_count - 6
    );
    let changed = diff["changed"].as_array().unwrap();
    let regulation = changed
        .iter()
        .find(|c| c["code"] == "0101")
        .expect("0101 changed");
    let weight = regulation["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "weight")
        .unwrap();
    assert_eq!(
        (weight["before"].as_str(), weight["after"].as_str()),
        (Some("3"), Some("1"))
    );
    app.stop().await;
}

#[tokio::test]
async fn only_a_province_admin_imports_and_other_provinces_see_nothing() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    let imported = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "XLSX", "title": "2025年版", "kinds": ["COUNTY"] }),
            "a.xlsx",
            published_style("目录", &clean_rows()),
        )
        .await;
    let version_id = imported["data"]["importCatalogue"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    for (org, role) in [
        (&world.shenyang, Role::Admin),
        (&world.heping, Role::Filler),
    ] {
        let token = world.login(&app, org, role).await;
        let r = app
            .graphql_upload(
                &token,
                IMPORT,
                json!({ "format": "XLSX", "title": "越权", "kinds": ["COUNTY"] }),
                "a.xlsx",
                published_style("目录", &clean_rows()),
            )
            .await;
        assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
        let publish = app
            .graphql(Some(&token), PUBLISH, json!({ "id": version_id }))
            .await;
        assert_eq!(error_code(&publish), Some("FORBIDDEN"));
        // Everyone in the province reads it.
        let read = app
            .graphql(
                Some(&token),
                "query($id: ID!) { catalogueVersion(id: $id) { itemCount } }",
                json!({ "id": version_id }),
            )
            .await;
        assert_eq!(read["data"]["catalogueVersion"]["itemCount"], 7, "{read}");
    }

    let fujian = world.login(&app, &world.fujian, Role::Admin).await;
    let foreign = app
        .graphql(
            Some(&fujian),
            "query($id: ID!) { catalogueVersion(id: $id) { itemCount } }",
            json!({ "id": version_id }),
        )
        .await;
    assert_eq!(error_code(&foreign), Some("NOT_FOUND"));
    let publish = app
        .graphql(Some(&fujian), PUBLISH, json!({ "id": version_id }))
        .await;
    assert_eq!(error_code(&publish), Some("NOT_FOUND"));
    let listed = app.graphql(Some(&fujian), CATALOGUES, json!({})).await;
    let codes: Vec<&str> = listed["data"]["catalogues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["county-health", "medical-institution"],
        "only the built-in ones"
    );
    let export = app
        .client
        .get(app.url(&format!("/export/catalogue-versions/{version_id}.xlsx")))
        .bearer_auth(&fujian)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn an_exported_version_imports_back_unchanged() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    let catalogues = app.graphql(Some(&admin), CATALOGUES, json!({})).await;
    let builtin = catalogues["data"]["catalogues"][0]["versions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let response = app
        .client
        .get(app.url(&format!("/export/catalogue-versions/{builtin}.xlsx")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    let anonymous = app
        .client
        .get(app.url(&format!("/export/catalogue-versions/{builtin}.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    let imported = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "XLSX", "title": "导出再导入", "kinds": ["COUNTY"] }),
            "export.xlsx",
            bytes,
        )
        .await;
    let again = imported["data"]["importCatalogue"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{imported}"))
        .to_owned();
    let diff = app
        .graphql(
            Some(&admin),
            "query($a: ID!, $b: ID!) { catalogueDiff(fromId: $a, toId: $b) { added { code } removed { code } changed { code } unchanged } }",
            json!({ "a": builtin, "b": again }),
        )
        .await;
    let diff = &diff["data"]["catalogueDiff"];
    assert_eq!(diff["added"], json!([]), "{diff}");
    assert_eq!(diff["removed"], json!([]));
    assert_eq!(diff["changed"], json!([]));
    assert_eq!(
        diff["unchanged"],
        imported["data"]["importCatalogue"]["itemCount"]
    );
    app.stop().await;
}

#[tokio::test]
async fn csv_and_yaml_imports_and_their_errors() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    let csv = "辽宁省医疗机构信息公开目录\n序号,一级事项,二级事项,公开内容（要素）,公开时限,公开渠道和载体,公开对象,公开方式,权重,单项否决\n\
               0101,机构基本概况,机构简介,\"机构名称\n历史沿革\",20个工作日内,门户网站、公开栏,全社会,主动,2,否\n\
               0102,机构基本概况,联系方式,地址电话,实时,门户网站,全社会,主动,1.5,是\n";
    let r = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "CSV", "title": "CSV 版", "kinds": ["COUNTY"] }),
            "a.csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(r["data"]["importCatalogue"]["itemCount"], 2, "{r}");

    let bad_csv = csv
        .replace(",2,否", ",0,否")
        .replace("门户网站,全社会", "信鸽,全社会");
    let r = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "CSV", "title": "CSV 错", "kinds": ["COUNTY"] }),
            "b.csv",
            bad_csv.into_bytes(),
        )
        .await;
    let errors = import_errors(&r);
    assert!(
        errors
            .iter()
            .any(|e| e.1 == Some(3) && e.2.as_deref() == Some("I") && e.3.contains("大于 0")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.1 == Some(4) && e.2.as_deref() == Some("F") && e.3.contains("信鸽")),
        "{errors:?}"
    );

    let yaml = "code: ln-extra\ntitle: 辽宁省补充目录\napplies_to: [COUNTY]\nitems:\n  - code: \"9901\"\n    category: [补充事项]\n    title: 家庭医生签约\n    time_limit: 每季度\n    channels: [政府网站]\n    weight: 2\n  - code: \"9902\"\n    title: 坏事项\n    time_limit: 随缘\n    channels: [信鸽]\n    weight: -1\n";
    let r = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "YAML", "title": "YAML 版" }),
            "c.yaml",
            yaml.as_bytes().to_vec(),
        )
        .await;
    let messages: Vec<String> = import_errors(&r).into_iter().map(|e| e.3).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("第 2 项（time_limit）")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("第 2 项（channels）")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("第 2 项（weight）")),
        "{messages:?}"
    );
    let good = yaml.split("  - code: \"9902\"").next().unwrap().to_owned();
    let r = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "YAML", "title": "YAML 版" }),
            "c.yaml",
            good.into_bytes(),
        )
        .await;
    assert_eq!(
        r["data"]["importCatalogue"]["catalogue"]["code"], "ln-extra",
        "{r}"
    );
    assert_eq!(
        r["data"]["importCatalogue"]["catalogue"]["appliesTo"],
        json!(["COUNTY"])
    );

    let huge = vec![b'x'; 10 * 1024 * 1024 + 1];
    let r = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "CSV", "title": "过大", "kinds": ["COUNTY"] }),
            "huge.csv",
            huge,
        )
        .await;
    assert_eq!(error_code(&r), Some("VALIDATION"));
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("10 MB"),
        "{r}"
    );
    app.stop().await;
}

/// 工做日 for 工作日 once imported as the 20-day default and let late results score as
/// on time; now the row, the column and the wording are named and nothing is saved.
#[tokio::test]
async fn a_misspelt_time_limit_is_refused_with_its_place_never_loosened_to_the_default() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    let typo = "自信息形成或者变更之日起七个工做日内予以公开";
    let mut rows = clean_rows();
    rows[4].time_limit = typo;
    let before = versions_in_db(&app).await;
    let response = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "XLSX", "title": "2026年版", "kinds": ["COUNTY"] }),
            "typo.xlsx",
            published_style("标准目录", &rows),
        )
        .await;
    assert_eq!(error_code(&response), Some("VALIDATION"), "{response}");
    let errors = import_errors(&response);
    let (sheet, row, column, message) = errors
        .iter()
        .find(|e| e.3.contains(typo))
        .unwrap_or_else(|| panic!("no error quoting the wording: {errors:?}"));
    assert_eq!(
        (sheet.as_str(), *row, column.as_deref()),
        ("标准目录", Some(8), Some("F"))
    );
    assert!(
        message.contains("七个工做日") && message.contains("N个工作日"),
        "says what was expected: {message}"
    );
    assert_eq!(versions_in_db(&app).await, before, "nothing saved");

    // The same row with the count spelt right imports as 7 working days.
    rows[4].time_limit = "自信息形成或者变更之日起七个工作日内予以公开";
    let response = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "XLSX", "title": "2026年版", "kinds": ["COUNTY"] }),
            "fixed.xlsx",
            published_style("标准目录", &rows),
        )
        .await;
    let id = response["data"]["importCatalogue"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{response}"))
        .to_owned();
    let items = app
        .graphql(
            Some(&admin),
            "query($id: ID!) { catalogueVersion(id: $id) { items(first: 20) { edges { node { code timeLimit { kind days } } } } } }",
            json!({ "id": id }),
        )
        .await;
    let result = items["data"]["catalogueVersion"]["items"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["code"] == "0204")
        .unwrap_or_else(|| panic!("{items}"));
    assert_eq!(
        result["node"]["timeLimit"],
        json!({ "kind": "WORKING_DAYS", "days": 7 })
    );
    app.stop().await;
}

/// Two spreadsheets imported in the same second once merged into one catalogue (the
/// second one's scope dropped). Without `catalogueId`, each import is a catalogue.
#[tokio::test]
async fn two_quick_imports_make_two_catalogues_each_with_its_own_scope() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    const SCOPED: &str = "mutation($file: Upload!, $title: String!, $kinds: [OrgKind!]) { importCatalogue(file: $file, format: XLSX, title: $title, appliesTo: $kinds) { id catalogue { id code appliesTo } } }";
    let file = published_style("标准目录", &clean_rows());
    let (first, second) = tokio::join!(
        app.graphql_upload(
            &admin,
            SCOPED,
            json!({ "title": "县级", "kinds": ["COUNTY"] }),
            "a.xlsx",
            file.clone(),
        ),
        app.graphql_upload(
            &admin,
            SCOPED,
            json!({ "title": "医院", "kinds": ["INSTITUTION"] }),
            "b.xlsx",
            file,
        ),
    );
    let a = &first["data"]["importCatalogue"]["catalogue"];
    let b = &second["data"]["importCatalogue"]["catalogue"];
    assert!(
        a["id"].is_string() && b["id"].is_string(),
        "{first} {second}"
    );
    assert_ne!(a["id"], b["id"], "two catalogues");
    assert_ne!(a["code"], b["code"]);
    assert_eq!(a["appliesTo"], json!(["COUNTY"]));
    assert_eq!(b["appliesTo"], json!(["INSTITUTION"]));

    // A spreadsheet says nothing of whom it is for: without kinds the import is refused
    // rather than assumed to be for counties.
    let unscoped = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "XLSX", "title": "无适用对象" }),
            "c.xlsx",
            published_style("标准目录", &clean_rows()),
        )
        .await;
    assert_eq!(error_code(&unscoped), Some("VALIDATION"), "{unscoped}");
    assert_eq!(
        unscoped["errors"][0]["extensions"]["fields"][0]["field"],
        "appliesTo"
    );

    // A YAML file naming a code the province already has is not silently a new version.
    let yaml = "code: ln-extra\ntitle: 辽宁省补充目录\napplies_to: [COUNTY]\nitems:\n  - code: \"9901\"\n    category: [补充事项]\n    title: 家庭医生签约\n    time_limit: 每季度\n    channels: [政府网站]\n    weight: 2\n";
    let upload = |title: &'static str| {
        app.graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "YAML", "title": title }),
            "extra.yaml",
            yaml.as_bytes().to_vec(),
        )
    };
    let created = upload("第一版").await;
    assert!(
        created["data"]["importCatalogue"]["id"].is_string(),
        "{created}"
    );
    let again = upload("第二版").await;
    assert_eq!(error_code(&again), Some("VALIDATION"), "{again}");
    assert_eq!(
        again["errors"][0]["extensions"]["fields"][0]["field"],
        "catalogueId"
    );
    app.stop().await;
}

/// 政府公报, 发布会, 广播电视 and 纸质媒体 were one channel, so a required 政府公报 was met
/// by a newspaper notice. Each published carrier now counts for itself.
#[tokio::test]
async fn a_required_gazette_is_not_met_by_a_newspaper_notice() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let admin = world.login(&app, &world.liaoning, Role::Admin).await;
    let rows = vec![Row {
        channels: "■政府公报\n□纸质媒体",
        ..Row::new("0301", "规划信息", "卫生健康规划", "实时")
    }];
    let imported = app
        .graphql_upload(
            &admin,
            IMPORT,
            json!({ "format": "XLSX", "title": "公报目录", "kinds": ["COUNTY"] }),
            "gazette.xlsx",
            published_style("标准目录", &rows),
        )
        .await;
    let version = imported["data"]["importCatalogue"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{imported}"))
        .to_owned();
    app.graphql(Some(&admin), PUBLISH, json!({ "id": version }))
        .await;
    super::rounds::create_and_open(
        &app,
        &admin,
        json!({
            "title": "2026 年度规划公开考核",
            "periodStart": "2026-01-01",
            "periodEnd": "2026-12-31",
            "deadline": "2027-01-20",
            "catalogues": [{ "orgKind": "COUNTY", "versionId": version }],
        }),
    )
    .await;

    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let mine = app
        .graphql(Some(&filler), "{ myAssignments { id version } }", json!({}))
        .await;
    let checklist = mine["data"]["myAssignments"][0].clone();
    let id = checklist["id"].as_str().unwrap().to_owned();
    let save = "mutation($id: ID!, $v: Int!, $a: [AnswerInput!]!) { saveAnswers(assignmentId: $id, expectedVersion: $v, answers: $a) { version } }";
    let score = |expect_version: i64| {
        let app = &app;
        let filler = filler.clone();
        let id = id.clone();
        async move {
            super::scores::until(
                app,
                &filler,
                "query($id: ID!) { score(assignmentId: $id) { stale items { code points max explanation } } assignment(id: $id) { version } }",
                json!({ "id": id }),
                |r| {
                    r["data"]["score"]["stale"] == false
                        && r["data"]["assignment"]["version"] == expect_version
                },
            )
            .await["data"]["score"]["items"][0]
                .clone()
        }
    };
    let answer = |channels: Value| {
        json!([{ "itemCode": "0301", "status": "DISCLOSED", "channels": channels,
                 "evidenceUrls": ["https://wsjk.ln.gov.cn/gb/2026-1.html"] }])
    };
    let v = checklist["version"].as_i64().unwrap();
    let saved = app
        .graphql(
            Some(&filler),
            save,
            json!({ "id": id, "v": v, "a": answer(json!(["PRINT_MEDIA"])) }),
        )
        .await;
    let v = saved["data"]["saveAnswers"]["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("{saved}"));
    let newspaper = score(v).await;
    assert!(
        newspaper["points"].as_f64() < newspaper["max"].as_f64(),
        "{newspaper}"
    );
    assert!(
        newspaper["explanation"]
            .as_str()
            .unwrap()
            .contains("缺少渠道：政府公报"),
        "{newspaper}"
    );

    let saved = app
        .graphql(
            Some(&filler),
            save,
            json!({ "id": id, "v": v, "a": answer(json!(["GAZETTE"])) }),
        )
        .await;
    let v = saved["data"]["saveAnswers"]["version"].as_i64().unwrap();
    let gazette = score(v).await;
    assert_eq!(gazette["points"], gazette["max"], "{gazette}");
    app.stop().await;
}

#[tokio::test]
async fn another_provinces_version_costs_what_a_missing_one_costs() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let liaoning = world.login(&app, &world.liaoning, Role::Admin).await;
    let imported = app
        .graphql_upload(
            &liaoning,
            IMPORT,
            json!({ "format": "XLSX", "title": "2025年版", "kinds": ["COUNTY"] }),
            "a.xlsx",
            published_style("目录", &clean_rows()),
        )
        .await;
    let theirs = imported["data"]["importCatalogue"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let fujian = world.login(&app, &world.fujian, Role::Admin).await;
    let builtin = app.graphql(Some(&fujian), CATALOGUES, json!({})).await["data"]["catalogues"][0]
        ["versions"][0]["id"]
        .clone();
    let cases = [
        (
            "query($id: ID!) { catalogueVersion(id: $id) { id } }",
            "catalogueVersion",
        ),
        (
            "query($id: ID!, $b: ID!) { catalogueDiff(fromId: $id, toId: $b) { unchanged } }",
            "catalogueDiff",
        ),
        (
            "mutation($id: ID!) { publishCatalogueVersion(id: $id) { id } }",
            "publishCatalogueVersion",
        ),
        (
            "mutation($id: ID!) { createRound(input: { title: \"试探\", periodStart: \"2026-01-01\", periodEnd: \"2026-12-31\", deadline: \"2027-01-20\", catalogues: [{ orgKind: COUNTY, versionId: $id }] }) { id } }",
            "createRound",
        ),
    ];
    for (query, name) in cases {
        let vars = |id: &str| match name {
            "catalogueDiff" => json!({ "id": id, "b": builtin }),
            _ => json!({ "id": id }),
        };
        let (real, real_answer) = app.graphql_counted(&fujian, query, vars(&theirs)).await;
        let (missing, missing_answer) =
            app.graphql_counted(&fujian, query, vars("987654321")).await;
        assert_eq!(
            real, missing,
            "{name}: statements tell a real id from a missing one"
        );
        assert_eq!(
            real_answer, missing_answer,
            "{name}: the answers tell them apart"
        );
        let refused = match name {
            "catalogueVersion" => real_answer["data"]["catalogueVersion"].is_null(),
            // createRound names the field that holds the unknown version.
            "createRound" => error_code(&real_answer) == Some("VALIDATION"),
            _ => error_code(&real_answer) == Some("NOT_FOUND"),
        };
        assert!(refused, "{name}: {real_answer}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_statement_count_header_is_off_unless_asked_for() {
    let app = touming_tests::spawn_app_with(|c| c.graphql.statement_header = false).await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Filler).await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": "{ me { user { username } } }" }))
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("x-sql-statements").is_none());
    app.stop().await;
}
