//! Growing the tree: codes must agree with their parents, and bad input names its field
//! and writes nothing.

use serde_json::json;
use touming_domain::{CreditCode, Role};
use touming_tests::{World, error_code, error_fields, spawn_app};

const CREATE_ORG: &str = "mutation($p: ID!, $k: OrgKind!, $c: String!, $n: String!) { createOrg(input: { parentId: $p, kind: $k, code: $c, name: $n }) { id code kind parent { code } path { code } } }";
const CREATE_USER: &str = "mutation($o: ID!, $u: String!, $n: String!, $r: [Role!]!, $p: String!) { createUser(input: { orgId: $o, username: $u, displayName: $n, roles: $r, password: $p }) { id username roles org { code } } }";

#[tokio::test]
async fn a_city_admin_adds_a_county_and_a_hospital_under_it() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.shenyang, Role::Admin).await;
    let county = app
        .graphql(
            Some(&token),
            CREATE_ORG,
            json!({ "p": world.shenyang.id.to_string(), "k": "COUNTY", "c": "210104", "n": "大东区" }),
        )
        .await;
    let county = &county["data"]["createOrg"];
    assert_eq!(county["code"], "210104", "{county}");
    assert_eq!(county["parent"]["code"], "210100");
    assert_eq!(
        county["path"],
        json!([{ "code": "210100" }, { "code": "210104" }])
    );

    let credit = CreditCode::complete("12210104MB0000001").unwrap();
    let hospital = app
        .graphql(
            Some(&token),
            CREATE_ORG,
            json!({ "p": county["id"], "k": "INSTITUTION", "c": credit.as_str().to_lowercase(), "n": "大东区人民医院" }),
        )
        .await;
    assert_eq!(
        hospital["data"]["createOrg"]["code"],
        credit.as_str(),
        "{hospital}"
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_org_input_names_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.liaoning, Role::Admin).await;
    let orgs_before = app.count("org").await;
    let audit_before = app.count("audit_event").await;
    let shenyang = world.shenyang.id.to_string();
    let hospital = world.hospital.id.to_string();
    let cases = [
        (
            json!({ "p": shenyang, "k": "COUNTY", "c": "2101", "n": "短代码" }),
            "code",
            "6 位",
        ),
        (
            json!({ "p": shenyang, "k": "COUNTY", "c": "350402", "n": "外省县" }),
            "code",
            "前 4 位",
        ),
        (
            json!({ "p": shenyang, "k": "COUNTY", "c": "210100", "n": "市级代码" }),
            "code",
            "县级",
        ),
        (
            json!({ "p": shenyang, "k": "COUNTY", "c": "210102", "n": "重复" }),
            "code",
            "已被使用",
        ),
        (
            json!({ "p": hospital, "k": "COUNTY", "c": "210105", "n": "机构下的县" }),
            "parentId",
            "不能设在",
        ),
        (
            json!({ "p": shenyang, "k": "PROVINCE", "c": "220000", "n": "省下之省" }),
            "parentId",
            "省级",
        ),
        (
            json!({ "p": shenyang, "k": "INSTITUTION", "c": "12210100MB00000010", "n": "校验错" }),
            "code",
            "校验位",
        ),
        (
            json!({ "p": shenyang, "k": "COUNTY", "c": "210105", "n": "   " }),
            "name",
            "名称",
        ),
    ];
    for (variables, field, words) in cases {
        let r = app
            .graphql(Some(&token), CREATE_ORG, variables.clone())
            .await;
        assert_eq!(error_code(&r), Some("VALIDATION"), "{variables}: {r}");
        assert_eq!(error_fields(&r), vec![field], "{variables}: {r}");
        let message = r["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(words), "{variables}: {message}");
    }
    assert_eq!(app.count("org").await, orgs_before);
    assert_eq!(
        app.count("audit_event").await,
        audit_before,
        "refused changes leave no audit line"
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_user_input_lists_every_field_and_duplicates_are_refused() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.heping, Role::Admin).await;
    let heping = world.heping.id.to_string();
    let users_before = app.count("user").await;

    let r = app
        .graphql(
            Some(&token),
            CREATE_USER,
            json!({ "o": heping, "u": "A", "n": "", "r": [], "p": "weak" }),
        )
        .await;
    assert_eq!(error_code(&r), Some("VALIDATION"));
    assert_eq!(
        error_fields(&r),
        vec!["username", "displayName", "roles", "password"],
        "{r}"
    );

    let duplicate = app
        .graphql(
            Some(&token),
            CREATE_USER,
            json!({ "o": heping, "u": "210102-Filler", "n": "重名", "r": ["FILLER"], "p": "Strong#2025pass" }),
        )
        .await;
    assert_eq!(error_fields(&duplicate), vec!["username"], "{duplicate}");
    assert_eq!(app.count("user").await, users_before);

    let created = app
        .graphql(
            Some(&token),
            CREATE_USER,
            json!({ "o": heping, "u": "hp.clerk", "n": "和平区新填报员", "r": ["FILLER", "VIEWER"], "p": "Strong#2025pass" }),
        )
        .await;
    assert_eq!(
        created["data"]["createUser"]["roles"],
        json!(["FILLER", "VIEWER"]),
        "{created}"
    );
    assert_eq!(created["data"]["createUser"]["org"]["code"], "210102");
    app.login("hp.clerk", "Strong#2025pass").await;

    let filler = world.login(&app, &world.heping, Role::Filler).await;
    let forbidden = app
        .graphql(
            Some(&filler),
            CREATE_USER,
            json!({ "o": heping, "u": "sneaky", "n": "越权", "r": ["ADMIN"], "p": "Strong#2025pass" }),
        )
        .await;
    assert_eq!(error_code(&forbidden), Some("FORBIDDEN"));
    app.stop().await;
}
