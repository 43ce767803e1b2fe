//! Answers for the demo round, so that every page has something real to show: most
//! counties and institutions have filled in, submitted and been approved, some are
//! still drafting, and each org discloses well or badly in its own steady way. The
//! story's own orgs (和平区 and its hospital) are left untouched for the user to fill.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use touming_domain::assessment::{Answer, AnswerStatus, PeriodRecord};
use touming_domain::assessment::{AssignmentStatus, RectificationStatus};
use touming_domain::catalogue::{Item, TimeLimit};
use touming_domain::scoring::expected_periods;
use touming_store::entity::{answer, assignment, org};
use touming_store::stored;

use touming_api::assessment::answers;
use touming_api::catalogue::store;
use touming_api::state::AppState;

/// 和平区's checklist is a draft with three items open: the browser test's filler
/// answers them and submits. Its hospital's is left untouched for the README.
const ALMOST_DONE: &str = "210102";
const UNTOUCHED: &str = "12210102";

/// How a round is filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Story {
    /// Last year's: everyone submitted and was approved.
    Done,
    /// This year's: some not started, some drafting, 和平区 three items short.
    ThreeItemsOpen,
}
/// Items 和平区 still has to answer.
pub const OPEN_ITEMS: usize = 3;

/// A small deterministic generator: the demo looks the same every time.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }
}

fn answer_for(item: &Item, quality: u64, dice: &mut Dice, year: i32) -> Answer {
    let roll = dice.roll(100);
    let status = if roll < quality {
        AnswerStatus::Disclosed
    } else if roll < quality + (100 - quality) / 2 {
        AnswerStatus::Partial
    } else {
        AnswerStatus::NotDisclosed
    };
    let formed = NaiveDate::from_ymd_opt(year, 1 + dice.roll(8) as u32, 1 + dice.roll(27) as u32)
        .expect("a day in the first eight months");
    // Good orgs publish within the limit; others are sometimes weeks late.
    let late = if dice.roll(100) < quality {
        0
    } else {
        10 + dice.roll(30) as i64
    };
    let on_time = match item.time_limit {
        TimeLimit::WorkingDays { days } => i64::from(days) * 7 / 5 - 2,
        _ => 5,
    };
    let published = formed + chrono::Duration::days(on_time.max(1) + late);
    let channels = if dice.roll(100) < quality {
        item.channels.clone()
    } else {
        item.channels.iter().take(1).copied().collect()
    };
    let disclosed = status != AnswerStatus::NotDisclosed;
    Answer {
        item_code: item.code.clone(),
        status,
        na_reason: None,
        formed_on: Some(formed),
        published_on: disclosed.then_some(published),
        channels: if disclosed {
            channels
        } else {
            Default::default()
        },
        evidence_urls: if disclosed {
            vec![format!(
                "https://wsjk.ln.gov.cn/zfxxgk/{}/{}.html",
                year, item.code
            )]
        } else {
            vec![]
        },
        interpretation_on: (disclosed && item.needs_interpretation).then_some(published),
        interpretation_forms: Default::default(),
        note: None,
        periods: match item.time_limit {
            TimeLimit::Periodic { period, due } if disclosed => {
                let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January");
                let end = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December");
                expected_periods(period, due, start, end, touming_api::assessment::today())
                    .into_iter()
                    .map(|(label, due_on)| PeriodRecord {
                        period: label,
                        published_on: Some(
                            due_on - chrono::Duration::days(3) + chrono::Duration::days(late),
                        ),
                    })
                    .collect()
            }
            _ => vec![],
        },
    }
}

/// The story's open items: the last few a filler can answer with the form's plain fields
/// (a dated item without periods or an interpretation).
fn left_open(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .rev()
        .filter(|i| {
            !i.needs_interpretation
                && matches!(
                    i.time_limit,
                    TimeLimit::WorkingDays { .. } | TimeLimit::Realtime | TimeLimit::None
                )
        })
        .take(OPEN_ITEMS)
        .map(|i| i.code.clone())
        .collect()
}

/// Fills the round's checklists (all but the story's) and sets where each one stands;
/// the worker scores them and rolls them up shortly after start.
pub async fn fill(
    state: &AppState,
    round_id: i64,
    year: i32,
    story: Story,
) -> anyhow::Result<usize> {
    let db = &state.db;
    let assignments = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round_id))
        .all(db)
        .await?;
    let orgs: std::collections::HashMap<i64, org::Model> = org::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut items = std::collections::HashMap::new();
    let mut rows = Vec::new();
    let (mut approved, mut submitted) = (Vec::new(), Vec::new());
    for assignment in assignments {
        let Some(org) = orgs.get(&assignment.org_id) else {
            continue;
        };
        let open_now = story == Story::ThreeItemsOpen;
        if open_now && org.code.starts_with(UNTOUCHED) {
            continue;
        }
        let mut dice =
            Dice(0x9E37_79B9_7F4A_7C15 ^ (org.id as u64).wrapping_mul(0x2545_F491) ^ year as u64);
        // This year one in eight has not started yet and one in eight is still drafting.
        let almost_done = open_now && org.code == ALMOST_DONE;
        let stage = match story {
            Story::Done => 7,
            Story::ThreeItemsOpen if almost_done => 1,
            Story::ThreeItemsOpen => dice.roll(8),
        };
        if stage == 0 {
            continue;
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = items.entry(assignment.version_id)
        {
            slot.insert(store::items(db, assignment.version_id).await?);
        }
        let quality = 55 + dice.roll(45);
        let all = &items[&assignment.version_id];
        let open = if almost_done {
            left_open(all)
        } else {
            Vec::new()
        };
        for item in all.iter().filter(|i| !open.contains(&i.code)) {
            let answer = answer_for(item, quality, &mut dice, year);
            rows.push(answers::to_row(assignment.id, &answer, false, None));
        }
        match stage {
            1 => {}
            2 | 3 => submitted.push(assignment.id),
            _ => approved.push(assignment.id),
        }
    }
    let answered = rows.len();
    for chunk in rows.chunks(500) {
        answer::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    let now = Utc::now();
    for (ids, status) in [
        (&approved, AssignmentStatus::Approved),
        (&submitted, AssignmentStatus::Submitted),
    ] {
        if ids.is_empty() {
            continue;
        }
        assignment::Entity::update_many()
            .col_expr(assignment::Column::Status, Expr::value(stored(status)))
            .col_expr(assignment::Column::SubmittedAt, Expr::value(Some(now)))
            .col_expr(assignment::Column::ScoreStale, Expr::value(true))
            .filter(assignment::Column::Id.is_in(ids.iter().copied()))
            .exec(db)
            .await?;
    }
    // Drafts have answers but no status change beyond DRAFT.
    assignment::Entity::update_many()
        .col_expr(
            assignment::Column::Status,
            Expr::value(stored(AssignmentStatus::Draft)),
        )
        .filter(assignment::Column::RoundId.eq(round_id))
        .filter(assignment::Column::Status.eq(stored(AssignmentStatus::NotStarted)))
        .filter(
            assignment::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(answer::Column::AssignmentId)
                    .from(answer::Entity)
                    .to_owned(),
            ),
        )
        .exec(db)
        .await?;
    Ok(answered)
}

/// Rectification under way on last year's round: a third verified, a quarter fixed and
/// waiting for verification, the rest still open.
pub async fn rectify_some(state: &AppState, round_id: i64) -> anyhow::Result<()> {
    use touming_store::entity::rectification;

    let db = &state.db;
    let ids: Vec<i64> = rectification::Entity::find()
        .filter(rectification::Column::RoundId.eq(round_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let now = Utc::now();
    let verified: Vec<i64> = ids.iter().copied().filter(|id| id % 3 == 0).collect();
    let fixed: Vec<i64> = ids.iter().copied().filter(|id| id % 4 == 1).collect();
    for (ids, status) in [
        (fixed, RectificationStatus::Fixed),
        (verified, RectificationStatus::Verified),
    ] {
        rectification::Entity::update_many()
            .col_expr(rectification::Column::Status, Expr::value(stored(status)))
            .col_expr(
                rectification::Column::FixNote,
                Expr::value("已在政府网站补充公开并完善栏目"),
            )
            .col_expr(rectification::Column::FixedAt, Expr::value(Some(now)))
            .filter(rectification::Column::Id.is_in(ids))
            .exec(db)
            .await?;
    }
    Ok(())
}
