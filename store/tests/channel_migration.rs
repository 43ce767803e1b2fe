//! Migration 7 moves data written in the seven-channel vocabulary to the thirteen
//! carriers: whole codes only, in comma lists and in submission snapshots, and every
//! checklist is marked for rescoring. On a real SQLite file with the real migrations.

use sea_orm::{ConnectOptions, ConnectionTrait, Database, EntityTrait};
use sea_orm_migration::MigratorTrait;
use touming_domain::catalogue::Channel;
use touming_migrations::Migrator;
use touming_store::answers::answer_from_row;
use touming_store::entity::{answer, assignment, assignment_snapshot};

#[tokio::test]
async fn seven_channel_data_moves_to_the_nearest_carrier() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("m.db").display());
    let mut options = ConnectOptions::new(url);
    options.max_connections(1);
    let db = Database::connect(options).await.unwrap();
    Migrator::up(&db, Some(6)).await.unwrap();
    let sql = |s: &str| {
        let db = &db;
        let s = s.to_owned();
        async move { db.execute_unprepared(&s).await.unwrap() }
    };
    sql("PRAGMA foreign_keys = OFF").await;
    sql("INSERT INTO assignment (id, round_id, org_id, version_id, status, version, reopened, score_stale, updated_at) \
         VALUES (1, 1, 1, 1, 'SUBMITTED', 3, false, false, '2026-11-30T00:00:00Z')")
    .await;
    let answer = |id: i64, channels: &str| {
        format!(
            "INSERT INTO answer (id, assignment_id, item_code, status, channels, evidence_urls, interpretation_forms, periods, prefilled, updated_at) \
             VALUES ({id}, 1, '01{id:02}', 'DISCLOSED', '{channels}', '[]', '', '[]', false, '2026-11-30T00:00:00Z')"
        )
    };
    sql(&answer(1, "WEBSITE,PRESS")).await;
    sql(&answer(2, "HOTLINE,OTHER")).await;
    sql(&answer(3, "SERVICE_HALL")).await;
    sql(&answer(4, "")).await;
    sql(&answer(5, "BULLETIN_BOARD,NEW_MEDIA")).await;
    sql(r#"INSERT INTO assignment_snapshot (id, assignment_id, at, answers) VALUES (1, 1, '2026-11-30T00:00:00Z', '[{"item_code":"0101","channels":["PRESS","WEBSITE"],"note":"见\"PRESS\"栏"}]')"#).await;

    Migrator::up(&db, None).await.unwrap();

    let mut read = Vec::new();
    for row in answer::Entity::find().all(&db).await.unwrap() {
        read.push(
            answer_from_row(&row)
                .unwrap()
                .channels
                .into_iter()
                .collect::<Vec<_>>(),
        );
    }
    use Channel::*;
    assert_eq!(
        read,
        vec![
            vec![Website, Gazette],
            vec![Other],
            vec![ServiceCenter],
            vec![],
            vec![NewMedia, BulletinBoard],
        ]
    );
    let snapshot = assignment_snapshot::Entity::find_by_id(1)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        snapshot.answers.contains(r#"["GAZETTE","WEBSITE"]"#),
        "{}",
        snapshot.answers
    );
    assert!(
        snapshot.answers.contains(r#"见\"PRESS\"栏"#),
        "a note's own text is left alone: {}",
        snapshot.answers
    );
    let checklist = assignment::Entity::find_by_id(1)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(checklist.score_stale, "marked for rescoring");
}
