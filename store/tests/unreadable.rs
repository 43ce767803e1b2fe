//! A stored value that no version of Touming writes — a hand edit, a bug — fails the
//! read with an error naming the table, the row and the column; it is never replaced
//! by a default. Runs against a real SQLite file with the real migrations.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, EntityTrait,
    NotSet, QuerySelect, Set,
};
use sea_orm_migration::MigratorTrait;
use touming_domain::OrgKind;
use touming_domain::assessment::{Answer, AnswerStatus, RoundStatus, ScoringPolicy};
use touming_migrations::Migrator;
use touming_store::answers::{answer_from_row, answer_to_row};
use touming_store::entity::{answer, assignment, org, round};
use touming_store::{StoreError, Stored};

struct Db {
    db: DatabaseConnection,
    _dir: tempfile::TempDir,
}

async fn migrated() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("store.db").display()
    );
    // One connection, so a PRAGMA a test sets holds for its later statements.
    let mut options = ConnectOptions::new(url);
    options.max_connections(1);
    let db = Database::connect(options).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    Db { db, _dir: dir }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn province(db: &DatabaseConnection) -> org::Model {
    let org = org::ActiveModel {
        id: NotSet,
        parent_id: Set(None),
        kind: Set(Stored(OrgKind::Province)),
        code: Set("210000".into()),
        name: Set("辽宁省".into()),
        path: Set("pending".into()),
        depth: Set(0),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
    .unwrap();
    let mut active: org::ActiveModel = org.into();
    active.path = Set(format!("/{}/", active.id.clone().unwrap()));
    active.update(db).await.unwrap()
}

async fn a_round(db: &DatabaseConnection, owner: &org::Model) -> round::Model {
    round::ActiveModel {
        id: NotSet,
        owner_org_id: Set(owner.id),
        title: Set("2026年度考核".into()),
        period_start: Set(d("2026-01-01")),
        period_end: Set(d("2026-12-31")),
        deadline: Set(d("2027-01-15")),
        status: Set(Stored(RoundStatus::Open)),
        policy: Set(touming_store::round::policy_text(&ScoringPolicy::default())),
        reminder_days_before: Set(3),
        prefill_from_round_id: Set(None),
        self_check: Set(false),
        created_at: Set(Utc::now()),
        created_by: Set(None),
        opened_at: Set(None),
        closed_at: Set(None),
        published_at: Set(None),
        rectification_deadline: Set(None),
    }
    .insert(db)
    .await
    .unwrap()
}

async fn exec(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql).await.unwrap();
}

#[tokio::test]
async fn a_status_code_no_variant_matches_names_table_row_and_column() {
    let Db { db, _dir } = migrated().await;
    let owner = province(&db).await;
    let round = a_round(&db, &owner).await;
    assert_eq!(
        round::Entity::find_by_id(round.id)
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .status,
        RoundStatus::Open
    );

    exec(
        &db,
        &format!("UPDATE round SET status = 'CLOSD' WHERE id = {}", round.id),
    )
    .await;
    let err = round::Entity::find_by_id(round.id)
        .one(&db)
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains(r#""CLOSD" in round.status (row id "#),
        "{message}"
    );
    assert!(message.contains(&format!("id {}", round.id)), "{message}");
    assert!(message.contains("RoundStatus"), "{message}");
}

#[tokio::test]
async fn a_kind_read_by_position_in_a_tuple_still_names_its_column() {
    let Db { db, _dir } = migrated().await;
    let owner = province(&db).await;
    exec(
        &db,
        &format!("UPDATE org SET kind = 'PREFECTURE' WHERE id = {}", owner.id),
    )
    .await;
    let err = org::Entity::find()
        .select_only()
        .columns([org::Column::Id, org::Column::Kind])
        .into_tuple::<(i64, Stored<OrgKind>)>()
        .all(&db)
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains(&format!(
            r#""PREFECTURE" in org.kind (row id {})"#,
            owner.id
        )),
        "{message}"
    );
}

#[tokio::test]
async fn an_unknown_channel_in_an_answer_is_an_error_not_a_dropped_channel() {
    let Db { db, _dir } = migrated().await;
    let owner = province(&db).await;
    let round = a_round(&db, &owner).await;
    let assignment = assignment::ActiveModel {
        id: NotSet,
        round_id: Set(round.id),
        org_id: Set(owner.id),
        version_id: Set(0),
        status: Set(Stored(touming_domain::assessment::AssignmentStatus::Draft)),
        version: Set(1),
        reopened: Set(false),
        self_checked_at: Set(None),
        score_stale: Set(false),
        submitted_at: Set(None),
        updated_at: Set(Utc::now()),
    };
    // A version id of 0 has no catalogue behind it: foreign keys off for this row only.
    exec(&db, "PRAGMA foreign_keys = OFF").await;
    let assignment = assignment.insert(&db).await.unwrap();
    let answer = Answer {
        item_code: "0101".into(),
        status: AnswerStatus::Disclosed,
        na_reason: None,
        formed_on: Some(d("2026-03-02")),
        published_on: Some(d("2026-03-05")),
        channels: [touming_domain::catalogue::Channel::Website].into(),
        evidence_urls: vec!["https://wsjkw.ln.gov.cn/a.html".into()],
        interpretation_on: None,
        interpretation_forms: Default::default(),
        note: None,
        periods: vec![],
    };
    let row = answer_to_row(assignment.id, &answer, false, None)
        .insert(&db)
        .await
        .unwrap();
    let read = answer::Entity::find_by_id(row.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(answer_from_row(&read).unwrap(), answer);

    exec(
        &db,
        &format!(
            "UPDATE answer SET channels = 'WEBSITE,TELEGRAPH' WHERE id = {}",
            row.id
        ),
    )
    .await;
    let read = answer::Entity::find_by_id(row.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    match answer_from_row(&read) {
        Err(StoreError::Unreadable {
            table,
            column,
            row: id,
            detail,
        }) => {
            assert_eq!((table, column, id), ("answer", "channels", row.id));
            assert!(detail.contains("TELEGRAPH"), "{detail}");
        }
        other => panic!("expected an unreadable channel, got {other:?}"),
    }
}
