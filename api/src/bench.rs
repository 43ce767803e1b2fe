//! `touming bench`: generates a province of a given size with every checklist answered
//! and submitted, then measures a full rescore and roll-up of the round. Results are for
//! docs/benchmarks.md; the command is what anyone reruns.

use std::time::Instant;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use touming_domain::assessment::{Answer, AnswerStatus, ScoringPolicy};
use touming_domain::catalogue::{
    Audience, Channel, DisclosureMode, Item, TimeLimit, VersionStatus,
};
use touming_domain::{CreditCode, OrgKind, Role};
use touming_worker::entity::{answer, assignment};

use crate::assessment::{answers, rounds};
use crate::audit::Actor;
use crate::catalogue::store::{self, NewVersion, Target};
use crate::orgs::{self, NewOrg};
use crate::state::AppState;
use crate::tenancy::Guard;
use crate::users::{self, NewUser};

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub cities: usize,
    pub counties_per_city: usize,
    pub institutions_per_county: usize,
    pub items: usize,
}

#[derive(Debug)]
pub struct Report {
    pub orgs: usize,
    pub checklists: usize,
    pub answers: usize,
    pub setup_seconds: f64,
    pub rescore_seconds: f64,
    pub peak_rss_mb: Option<f64>,
}

fn items(n: usize) -> Vec<Item> {
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

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn run(state: &AppState, size: Size) -> anyhow::Result<Report> {
    let started = Instant::now();
    let db = &state.db;
    let actor = Actor {
        name: Some("touming-bench".into()),
        ..Actor::default()
    };
    async fn create(
        db: &sea_orm::DatabaseConnection,
        actor: &Actor,
        parent: Option<&touming_worker::entity::org::Model>,
        kind: OrgKind,
        code: String,
        name: String,
    ) -> crate::error::ApiResult<touming_worker::entity::org::Model> {
        orgs::create(db, actor, parent, NewOrg { kind, code, name }).await
    }
    let province = create(
        db,
        &actor,
        None,
        OrgKind::Province,
        "650000".into(),
        "基准省".into(),
    )
    .await?;
    let mut org_count = 1;
    let mut serial = 0u32;
    for c in 0..size.cities {
        let city_code = format!("65{:02}00", c + 1);
        let city = create(
            db,
            &actor,
            Some(&province),
            OrgKind::City,
            city_code.clone(),
            format!("基准市{}", c + 1),
        )
        .await?;
        org_count += 1;
        for k in 0..size.counties_per_city {
            let county_code = format!("65{:02}{:02}", c + 1, k + 1);
            let county = create(
                db,
                &actor,
                Some(&city),
                OrgKind::County,
                county_code.clone(),
                format!("基准县{}-{}", c + 1, k + 1),
            )
            .await?;
            org_count += 1;
            for _ in 0..size.institutions_per_county {
                serial += 1;
                let credit = CreditCode::complete(&format!("12{county_code}MB{serial:07}"))?;
                create(
                    db,
                    &actor,
                    Some(&county),
                    OrgKind::Institution,
                    credit.to_string(),
                    format!("基准医院{serial}"),
                )
                .await?;
                org_count += 1;
            }
        }
    }
    let admin = users::create(
        state,
        &actor,
        &province,
        NewUser {
            username: "bench-admin".into(),
            display_name: "基准管理员".into(),
            roles: vec![Role::Admin],
            password: "Bench#2025touming".into(),
        },
    )
    .await?;
    let catalogue_items = items(size.items);
    let target = Target::New {
        code: "bench".into(),
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
    let viewer = crate::auth::Viewer {
        roles: admin.roles(),
        user: admin,
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
            deadline: crate::assessment::today() + chrono::Duration::days(30),
            catalogues: vec![
                (OrgKind::County, version.id),
                (OrgKind::Institution, version.id),
            ],
            policy: ScoringPolicy::default(),
            reminder_days_before: 3,
            prefill_from: None,
            self_check: false,
        },
    )
    .await?;
    let (round, _) = rounds::open(db, &guard, round).await?;
    let all = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round.id))
        .all(db)
        .await?;
    let mut answer_count = 0;
    for (n, a) in all.iter().enumerate() {
        let rows: Vec<answer::ActiveModel> = catalogue_items
            .iter()
            .enumerate()
            .map(|(i, item)| answers::to_row(a.id, &answer_for(item, n + i), false, None))
            .collect();
        answer_count += rows.len();
        for chunk in rows.chunks(60) {
            answer::Entity::insert_many(chunk.to_vec()).exec(db).await?;
        }
    }
    assignment::Entity::update_many()
        .col_expr(assignment::Column::Status, Expr::value("SUBMITTED"))
        .col_expr(
            assignment::Column::SubmittedAt,
            Expr::value(Some(Utc::now())),
        )
        .filter(assignment::Column::RoundId.eq(round.id))
        .exec(db)
        .await?;
    let setup_seconds = started.elapsed().as_secs_f64();

    let timer = Instant::now();
    touming_worker::scoring::Scorer::new(db.clone())
        .rescore_round(round.id)
        .await
        .map_err(|e| anyhow::anyhow!("rescore: {e}"))?;
    let rescore_seconds = timer.elapsed().as_secs_f64();
    Ok(Report {
        orgs: org_count,
        checklists: all.len(),
        answers: answer_count,
        setup_seconds,
        rescore_seconds,
        peak_rss_mb: peak_rss_mb(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_items_are_valid() {
        let items = super::items(150);
        assert!(touming_domain::catalogue::check_items(&items).is_empty());
    }
}
