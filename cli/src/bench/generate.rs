//! Generating a country of provinces to measure against: bureaus through the normal
//! code path, institutions and answers in bulk (the national size has 16 million
//! answers; one insert per row would take hours).

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, Set};
use touming_domain::assessment::AssignmentStatus;
use touming_domain::assessment::{Answer, AnswerStatus, ScoringPolicy};
use touming_domain::catalogue::{
    Audience, Channel, DisclosureMode, Item, TimeLimit, VersionStatus,
};
use touming_domain::{CreditCode, OrgKind, Role};
use touming_store::Stored;
use touming_store::entity::{answer, assignment, org, round, user};
use touming_store::stored;

use super::Size;
use touming_api::assessment::{answers, rounds};
use touming_api::audit::Actor;
use touming_api::catalogue::store::{self, NewVersion, Target};
use touming_api::orgs::{self, NewOrg};
use touming_api::state::AppState;
use touming_api::tenancy::Guard;
use touming_api::users::{self, NewUser};

/// The 31 provincial divisions' code prefixes.
const PROVINCES: [&str; 31] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
];

/// Answer templates: checklists get one of this many answer patterns.
const TEMPLATES: i64 = 10;

pub(super) fn items(n: usize) -> Vec<Item> {
    (0..n)
        .map(|i| Item {
            code: format!("{:04}", i + 1),
            category: vec![format!("类别{}", i % 10 + 1)],
            title: format!("事项{}", i + 1),
            content: vec!["公开内容".into()],
            basis: "《中华人民共和国政府信息公开条例》".into(),
            time_limit: if i % 10 == 0 {
                TimeLimit::Realtime
            } else {
                TimeLimit::WorkingDays { days: 20 }
            },
            time_limit_text: String::new(),
            body: "县级卫生健康行政部门".into(),
            audience: Audience::Public,
            mode: DisclosureMode::Proactive,
            levels: vec!["县级".into()],
            channels: [Channel::Website, Channel::NewMedia].into(),
            needs_interpretation: i % 7 == 0,
            evidence_required: false,
            weight_milli: 1000 + (i as u32 % 3) * 500,
            veto: i == 0,
        })
        .collect()
}

fn answer_for(item: &Item, seed: usize) -> Answer {
    let formed = chrono::NaiveDate::from_ymd_opt(2025, 3, 3).expect("date");
    let late = (seed % 5) as i64 * 7;
    Answer {
        item_code: item.code.clone(),
        status: match seed % 10 {
            0 => AnswerStatus::Partial,
            1 => AnswerStatus::NotDisclosed,
            _ => AnswerStatus::Disclosed,
        },
        na_reason: None,
        formed_on: Some(formed),
        published_on: Some(formed + chrono::Duration::days(14 + late)),
        channels: if seed.is_multiple_of(3) {
            [Channel::Website].into()
        } else {
            [Channel::Website, Channel::NewMedia].into()
        },
        evidence_urls: vec![],
        interpretation_on: item
            .needs_interpretation
            .then(|| formed + chrono::Duration::days(20)),
        interpretation_forms: Default::default(),
        note: None,
        periods: vec![],
    }
}

/// One generated province: its org, its open round with every checklist answered and
/// submitted.
pub(super) struct Province {
    pub org: org::Model,
    pub round: round::Model,
    /// The province's admin, who reads its comparisons.
    pub admin: user::Model,
    pub cities: Vec<org::Model>,
}

pub(super) struct Generated {
    pub provinces: Vec<Province>,
    pub orgs: usize,
    pub assignments: usize,
    pub answers: usize,
}

pub(super) async fn country(state: &AppState, size: Size) -> anyhow::Result<Generated> {
    anyhow::ensure!(
        (1..=PROVINCES.len()).contains(&size.provinces),
        "--provinces must be between 1 and {}",
        PROVINCES.len()
    );
    let mut out = Generated {
        provinces: Vec::new(),
        orgs: 0,
        assignments: 0,
        answers: 0,
    };
    let mut serial = 0u32;
    for prefix in &PROVINCES[..size.provinces] {
        let province = province(state, size, prefix, &mut serial, &mut out).await?;
        out.provinces.push(province);
    }
    Ok(out)
}

async fn province(
    state: &AppState,
    size: Size,
    prefix: &str,
    serial: &mut u32,
    out: &mut Generated,
) -> anyhow::Result<Province> {
    let db = &state.db;
    let actor = Actor {
        name: Some("touming-bench".into()),
        ..Actor::default()
    };
    async fn bureau(
        db: &sea_orm::DatabaseConnection,
        parent: Option<&org::Model>,
        kind: OrgKind,
        code: String,
        name: String,
    ) -> touming_api::error::ApiResult<org::Model> {
        let actor = Actor {
            name: Some("touming-bench".into()),
            ..Actor::default()
        };
        orgs::create(db, &actor, parent, NewOrg { kind, code, name }).await
    }
    let province = bureau(
        db,
        None,
        OrgKind::Province,
        format!("{prefix}0000"),
        format!("基准省{prefix}"),
    )
    .await?;
    out.orgs += 1;
    let mut institutions = Vec::new();
    let mut cities = Vec::new();
    for c in 0..size.cities {
        let city_code = format!("{prefix}{:02}00", c + 1);
        let city = bureau(
            db,
            Some(&province),
            OrgKind::City,
            city_code,
            format!("基准市{prefix}-{}", c + 1),
        )
        .await?;
        out.orgs += 1;
        cities.push(city.clone());
        for k in 0..size.counties_per_city {
            let county_code = format!("{prefix}{:02}{:02}", c + 1, k + 1);
            let county = bureau(
                db,
                Some(&city),
                OrgKind::County,
                county_code.clone(),
                format!("基准县{prefix}-{}-{}", c + 1, k + 1),
            )
            .await?;
            out.orgs += 1;
            for _ in 0..size.institutions_per_county {
                *serial += 1;
                let credit = CreditCode::complete(&format!("12{county_code}MB{serial:07}"))?;
                institutions.push(org::ActiveModel {
                    id: NotSet,
                    parent_id: Set(Some(county.id)),
                    kind: Set(Stored(OrgKind::Institution)),
                    // Unique until the real path is known below.
                    path: Set(format!("tmp/{credit}")),
                    code: Set(credit.to_string()),
                    name: Set(format!("基准医院{serial}")),
                    depth: Set(county.depth + 1),
                    created_at: Set(Utc::now()),
                });
            }
        }
    }
    out.orgs += institutions.len();
    for chunk in institutions.chunks(1000) {
        org::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    db.execute_unprepared(
        "UPDATE org SET path = (SELECT p.path FROM org p WHERE p.id = org.parent_id) \
         || CAST(org.id AS TEXT) || '/' WHERE path LIKE 'tmp/%'",
    )
    .await?;

    let admin = users::create(
        state,
        &actor,
        &province,
        NewUser {
            username: format!("bench-admin-{prefix}"),
            display_name: "基准管理员".into(),
            roles: vec![Role::Admin],
            password: "Bench#2025touming".into(),
        },
    )
    .await?;
    let catalogue_items = items(size.items);
    let target = Target::New {
        code: format!("bench-{prefix}"),
        title: "基准目录".into(),
        applies_to: vec![OrgKind::County, OrgKind::Institution],
    };
    let new = NewVersion {
        label: "基准版".into(),
        format: "builtin",
        source_name: None,
        status: VersionStatus::Published,
    };
    let (_, version) =
        store::create_version(db, &actor, &province, target, new, &catalogue_items).await?;
    let viewer = touming_api::auth::Viewer {
        roles: admin.roles(),
        user: admin.clone(),
        org: province.clone(),
        session_id: 0,
        ip: None,
    };
    let guard = Guard::new(&viewer);
    let round = rounds::create(
        db,
        &guard,
        rounds::NewRound {
            title: "基准考核".into(),
            period_start: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
            period_end: chrono::NaiveDate::from_ymd_opt(2025, 12, 31).expect("date"),
            deadline: touming_api::assessment::today() + chrono::Duration::days(30),
            catalogues: vec![
                (OrgKind::County, version.id),
                (OrgKind::Institution, version.id),
            ],
            other_kind_allowed: vec![],
            scope: Default::default(),
            policy: ScoringPolicy::default(),
            reminder_days_before: 3,
            prefill_from: None,
            self_check: false,
        },
    )
    .await?;
    let (round, _) = rounds::open(db, &guard, round).await?;
    let (assignments, answers) = answer_all(state, &round, &catalogue_items).await?;
    out.assignments += assignments;
    out.answers += answers;
    Ok(Province {
        org: province,
        round,
        admin,
        cities,
    })
}

/// Answers every checklist of the round: a few templates written row by row, copied to
/// the rest in one statement each; then every checklist is submitted.
async fn answer_all(
    state: &AppState,
    round: &round::Model,
    items: &[Item],
) -> anyhow::Result<(usize, usize)> {
    let db = &state.db;
    let ids: Vec<i64> = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut templates: Vec<(i64, i64)> = Vec::new();
    for k in 0..TEMPLATES {
        if let Some(id) = ids.iter().find(|id| *id % TEMPLATES == k) {
            templates.push((k, *id));
        }
    }
    for (k, id) in &templates {
        let rows: Vec<answer::ActiveModel> = items
            .iter()
            .enumerate()
            .map(|(i, item)| answers::to_row(*id, &answer_for(item, *k as usize + i), false, None))
            .collect();
        for chunk in rows.chunks(500) {
            answer::Entity::insert_many(chunk.to_vec()).exec(db).await?;
        }
    }
    let template_list = templates
        .iter()
        .map(|(_, id)| id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    const COLUMNS: &str = "item_code, status, na_reason, formed_on, published_on, channels, \
        evidence_urls, interpretation_on, interpretation_forms, note, periods, prefilled, \
        updated_at, updated_by";
    let prefixed = COLUMNS
        .split(", ")
        .map(|c| format!("t.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    for (k, template) in &templates {
        db.execute_unprepared(&format!(
            "INSERT INTO answer (assignment_id, {COLUMNS}) SELECT a.id, {prefixed} \
             FROM assignment a CROSS JOIN answer t \
             WHERE t.assignment_id = {template} AND a.round_id = {round} \
             AND a.id % {TEMPLATES} = {k} AND a.id NOT IN ({template_list})",
            round = round.id,
        ))
        .await?;
    }
    assignment::Entity::update_many()
        .col_expr(
            assignment::Column::Status,
            Expr::value(stored(AssignmentStatus::Submitted)),
        )
        .col_expr(
            assignment::Column::SubmittedAt,
            Expr::value(Some(Utc::now())),
        )
        .filter(assignment::Column::RoundId.eq(round.id))
        .exec(db)
        .await?;
    Ok((ids.len(), ids.len() * items.len()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_items_are_valid() {
        let items = super::items(150);
        assert!(touming_domain::catalogue::check_items(&items).is_empty());
    }
}
