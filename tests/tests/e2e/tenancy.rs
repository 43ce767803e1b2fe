//! The tenancy matrix: for every operation that takes an id, callers from another
//! province, from a sibling county and from an institution get `NOT_FOUND` (or
//! `FORBIDDEN` for a role they lack), and nothing changes.

use serde_json::{Value, json};
use touming_domain::Role;
use touming_tests::{TestApp, World, error_code, spawn_app};

struct Case {
    name: &'static str,
    document: &'static str,
    mutation: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "org",
        document: "query($id: ID!) { org(id: $id) { id name } }",
        mutation: false,
    },
    Case {
        name: "orgs(parentId)",
        document: "query($id: ID!) { orgs(parentId: $id) { totalCount edges { node { id } } } }",
        mutation: false,
    },
    Case {
        name: "users(orgId)",
        document: "query($id: ID!) { users(orgId: $id) { totalCount } }",
        mutation: false,
    },
    Case {
        name: "auditLog(orgId)",
        document: "query($id: ID!) { auditLog(orgId: $id) { totalCount } }",
        mutation: false,
    },
    Case {
        name: "auditLog(actorId)",
        document: "query($actor: ID!) { auditLog(actorId: $actor) { totalCount } }",
        mutation: false,
    },
    Case {
        name: "createOrg(parentId)",
        document: "mutation($id: ID!, $code: String!) { createOrg(input: { parentId: $id, kind: INSTITUTION, code: $code, name: \"越权新建机构\" }) { id } }",
        mutation: true,
    },
    Case {
        name: "createUser(orgId)",
        document: "mutation($id: ID!) { createUser(input: { orgId: $id, username: \"intruder\", displayName: \"越权用户\", roles: [FILLER], password: \"Intrude#2025abc\" }) { id } }",
        mutation: true,
    },
];

async fn snapshot(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("org").await,
        app.count("user").await,
        app.count("session").await,
    )
}

async fn actor_id(app: &TestApp, username: &str) -> String {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use touming_store::entity::user;
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

#[tokio::test]
async fn outsiders_get_not_found_or_forbidden_and_nothing_changes() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let target = world.heping.id.to_string();
    let target_actor = actor_id(&app, "210102-filler").await;
    let code = touming_domain::CreditCode::complete("12210102MB0009999")
        .unwrap()
        .to_string();
    let variables = json!({ "id": target, "actor": target_actor, "code": code });

    // (who, token, is an admin there)
    let callers = [
        (
            "another province's admin",
            world.login(&app, &world.fujian, Role::Admin).await,
            true,
        ),
        (
            "a sibling county's admin",
            world.login(&app, &world.shenhe, Role::Admin).await,
            true,
        ),
        (
            "a sibling county's filler",
            world.login(&app, &world.shenhe, Role::Filler).await,
            false,
        ),
        (
            "an institution's filler",
            world.login(&app, &world.hospital, Role::Filler).await,
            false,
        ),
    ];
    let before = snapshot(&app).await;
    for (who, token, admin) in &callers {
        for case in CASES {
            let r: Value = app
                .graphql(Some(token), case.document, variables.clone())
                .await;
            let code = error_code(&r);
            let admin_only = case.mutation
                || case.name.starts_with("users")
                || case.name.starts_with("auditLog");
            let expected = if admin_only && !admin {
                "FORBIDDEN"
            } else {
                "NOT_FOUND"
            };
            assert_eq!(code, Some(expected), "{who} on {}: {r}", case.name);
        }
    }
    assert_eq!(snapshot(&app).await, before, "nothing was written");

    // The same operations succeed from inside: the city's admin sees and changes 和平区.
    let city_admin = world.login(&app, &world.shenyang, Role::Admin).await;
    for case in CASES {
        let r = app
            .graphql(Some(&city_admin), case.document, variables.clone())
            .await;
        assert!(
            r.get("errors").is_none(),
            "city admin on {}: {r}",
            case.name
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn an_institution_user_sees_only_its_institution() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.hospital, Role::Filler).await;
    let r = app
        .graphql(
            Some(&token),
            "{ orgs { totalCount edges { node { code } } } }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["orgs"]["totalCount"], 1, "{r}");
    assert_eq!(
        r["data"]["orgs"]["edges"][0]["node"]["code"],
        world.hospital.code
    );
    // Its parent county is outside its view.
    let parent = app
        .graphql(
            Some(&token),
            "{ me { org { parent { id } path { code } } } }",
            json!({}),
        )
        .await;
    assert!(parent["data"]["me"]["org"]["parent"].is_null(), "{parent}");
    assert_eq!(
        parent["data"]["me"]["org"]["path"],
        json!([{ "code": world.hospital.code }])
    );
    app.stop().await;
}

#[tokio::test]
async fn a_province_sees_its_whole_tree_and_never_another_province() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.login(&app, &world.liaoning, Role::Admin).await;
    let r = app
        .graphql(
            Some(&token),
            "{ orgs(first: 200) { totalCount edges { node { code } } } }",
            json!({}),
        )
        .await;
    let codes: Vec<&str> = r["data"]["orgs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 5, "{r}");
    assert!(!codes.contains(&"350000") && !codes.contains(&"350400"));
    let search = app
        .graphql(
            Some(&token),
            "{ orgs(search: \"三明\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(search["data"]["orgs"]["totalCount"], 0);
    let other = app
        .graphql(
            Some(&token),
            "query($id: ID!) { org(id: $id) { name } }",
            json!({ "id": world.sanming.id.to_string() }),
        )
        .await;
    assert_eq!(error_code(&other), Some("NOT_FOUND"));
    let nonsense = app
        .graphql(Some(&token), "{ org(id: \"abc\") { name } }", json!({}))
        .await;
    assert_eq!(error_code(&nonsense), Some("NOT_FOUND"));
    let missing = app
        .graphql(Some(&token), "{ org(id: \"999999\") { name } }", json!({}))
        .await;
    assert_eq!(
        missing["errors"][0]["message"], other["errors"][0]["message"],
        "absent and foreign look alike"
    );
    app.stop().await;
}

#[tokio::test]
async fn anonymous_callers_are_unauthenticated() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    for case in CASES {
        let variables = json!({ "id": world.heping.id.to_string(), "actor": "1", "code": "x" });
        let r = app.graphql(None, case.document, variables).await;
        assert_eq!(
            error_code(&r),
            Some("UNAUTHENTICATED"),
            "{}: {r}",
            case.name
        );
    }
    app.stop().await;
}
