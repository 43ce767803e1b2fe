//! Deadline reminders: checklists not yet submitted N days before their round's
//! deadline (N per round) get one notification each. Delivery goes through a
//! [`Notifier`]; the database one records what the API lists, and e-mail or SMS can be
//! added beside it.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, NotSet, QueryFilter, Set};

use touming_domain::assessment::{AssignmentStatus, RoundStatus};
use touming_store::entity::{assignment, notification, round};
use touming_store::stored;

pub const DEADLINE_KIND: &str = "deadline_reminder";

/// One reminder for one org's checklist.
#[derive(Debug, Clone)]
pub struct Reminder {
    pub org_id: i64,
    pub round_id: i64,
    pub assignment_id: i64,
    pub kind: &'static str,
    pub message: String,
}

#[async_trait::async_trait]
pub trait Notifier: Send + Sync {
    /// Delivers a reminder at most once per (round, org, kind); repeated calls are no-ops.
    async fn notify(&self, reminder: &Reminder) -> Result<(), DbErr>;
}

/// Records notifications for the API to list.
pub struct DatabaseNotifier {
    pub db: DatabaseConnection,
}

#[async_trait::async_trait]
impl Notifier for DatabaseNotifier {
    async fn notify(&self, r: &Reminder) -> Result<(), DbErr> {
        let row = notification::ActiveModel {
            id: NotSet,
            org_id: Set(r.org_id),
            round_id: Set(r.round_id),
            assignment_id: Set(Some(r.assignment_id)),
            kind: Set(r.kind.to_owned()),
            message: Set(r.message.clone()),
            created_at: Set(Utc::now()),
        };
        let once = OnConflict::columns([
            notification::Column::RoundId,
            notification::Column::OrgId,
            notification::Column::Kind,
        ])
        .do_nothing()
        .to_owned();
        match notification::Entity::insert(row)
            .on_conflict(once)
            .exec(&self.db)
            .await
        {
            Ok(_) | Err(DbErr::RecordNotInserted) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// Checklists their org still has to submit.
const PENDING: [AssignmentStatus; 3] = [
    AssignmentStatus::NotStarted,
    AssignmentStatus::Draft,
    AssignmentStatus::Returned,
];

/// Finds the checklists due for a reminder on `today` and notifies each; returns how
/// many were considered (already-notified ones are skipped by the notifier).
pub async fn send(
    db: &DatabaseConnection,
    notifier: &dyn Notifier,
    today: NaiveDate,
) -> Result<usize, DbErr> {
    let rounds = round::Entity::find()
        .filter(round::Column::Status.eq(stored(RoundStatus::Open)))
        .all(db)
        .await?;
    let mut sent = 0;
    for round in rounds {
        let from = round.deadline - Duration::days(round.reminder_days_before.into());
        if today < from || today > round.deadline {
            continue;
        }
        let pending = assignment::Entity::find()
            .filter(assignment::Column::RoundId.eq(round.id))
            .filter(assignment::Column::Status.is_in(PENDING.map(stored)))
            .all(db)
            .await?;
        for a in pending {
            let days = (round.deadline - today).num_days();
            let reminder = Reminder {
                org_id: a.org_id,
                round_id: round.id,
                assignment_id: a.id,
                kind: DEADLINE_KIND,
                message: format!(
                    "“{}”将于 {}（{} 天后）截止，贵单位的填报表尚未提交，请尽快完成。",
                    round.title, round.deadline, days
                ),
            };
            notifier.notify(&reminder).await?;
            sent += 1;
        }
    }
    Ok(sent)
}
