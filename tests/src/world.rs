//! A small world for the tests: two provinces, a city with two counties, an
//! institution, and users at each level. Built through the same code paths the platform
//! operator and the demo use.

use touming_api::audit::Actor;
use touming_api::orgs::{self, NewOrg};
use touming_api::users::{self, NewUser};
use touming_domain::{CreditCode, OrgKind, Role};
use touming_store::entity::org;

use crate::TestApp;

pub const PASSWORD: &str = "Test#2025touming";

pub struct World {
    pub liaoning: org::Model,
    pub shenyang: org::Model,
    /// 和平区 210102
    pub heping: org::Model,
    /// 沈河区 210103, 和平区's sibling
    pub shenhe: org::Model,
    /// A hospital under 和平区
    pub hospital: org::Model,
    pub fujian: org::Model,
    pub sanming: org::Model,
}

async fn org(
    app: &TestApp,
    parent: Option<&org::Model>,
    kind: OrgKind,
    code: &str,
    name: &str,
) -> org::Model {
    let operator = Actor {
        name: Some("test-operator".into()),
        ..Actor::default()
    };
    let new = NewOrg {
        kind,
        code: code.into(),
        name: name.into(),
    };
    orgs::create(&app.db, &operator, parent, new)
        .await
        .expect("org created")
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        let liaoning = org(app, None, OrgKind::Province, "210000", "辽宁省").await;
        let shenyang = org(app, Some(&liaoning), OrgKind::City, "210100", "沈阳市").await;
        let heping = org(app, Some(&shenyang), OrgKind::County, "210102", "和平区").await;
        let shenhe = org(app, Some(&shenyang), OrgKind::County, "210103", "沈河区").await;
        let credit = CreditCode::complete("12210102MB0000001").unwrap();
        let hospital = org(
            app,
            Some(&heping),
            OrgKind::Institution,
            credit.as_str(),
            "和平区人民医院",
        )
        .await;
        let fujian = org(app, None, OrgKind::Province, "350000", "福建省").await;
        let sanming = org(app, Some(&fujian), OrgKind::City, "350400", "三明市").await;
        let world = World {
            liaoning,
            shenyang,
            heping,
            shenhe,
            hospital,
            fujian,
            sanming,
        };
        for (org, role) in [
            (&world.liaoning, Role::Admin),
            (&world.shenyang, Role::Admin),
            (&world.heping, Role::Admin),
            (&world.heping, Role::Filler),
            (&world.heping, Role::Reviewer),
            (&world.shenhe, Role::Admin),
            (&world.shenhe, Role::Filler),
            (&world.hospital, Role::Filler),
            (&world.fujian, Role::Admin),
        ] {
            world.user(app, org, role).await;
        }
        world
    }

    /// Creates `<code>-<role>` in `org` with [`PASSWORD`].
    pub async fn user(&self, app: &TestApp, org: &org::Model, role: Role) -> String {
        let username = Self::username(org, role);
        let new = NewUser {
            username: username.clone(),
            display_name: format!("{}{}", org.name, role.label()),
            roles: vec![role],
            password: PASSWORD.into(),
        };
        users::create(app.state(), &Actor::default(), org, new)
            .await
            .expect("user created");
        username
    }

    pub fn username(org: &org::Model, role: Role) -> String {
        format!("{}-{}", org.code, role.as_str()).to_lowercase()
    }

    pub async fn login(&self, app: &TestApp, org: &org::Model, role: Role) -> String {
        app.login(&Self::username(org, role), PASSWORD).await
    }
}
