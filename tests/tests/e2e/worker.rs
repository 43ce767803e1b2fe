//! The worker takes jobs off the queue (Redis Streams when configured, in-process
//! otherwise) and runs them.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, NotSet, Set};
use touming_domain::Role;
use touming_store::entity::session;
use touming_tests::{World, spawn_app};
use touming_worker::Job;

#[tokio::test]
async fn purging_sessions_removes_only_those_that_ended_a_day_ago() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    world.login(&app, &world.heping, Role::Filler).await;
    let user_id = touming_store::entity::user::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = Utc::now();
    let old = session::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        token_hash: Set("0".repeat(64)),
        created_at: Set(now - Duration::days(3)),
        last_seen_at: Set(now - Duration::days(3)),
        expires_at: Set(now - Duration::days(2)),
        revoked_at: Set(None),
        ip: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap();
    assert_eq!(app.count("session").await, 2);

    app.state()
        .queue
        .enqueue(&Job::PurgeSessions)
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while session::Entity::find_by_id(old.id)
        .one(&app.db)
        .await
        .unwrap()
        .is_some()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker did not purge in 10 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.count("session").await, 1, "the live session stays");
    app.stop().await;
}

#[tokio::test]
async fn a_job_that_keeps_failing_is_retried_then_dead_lettered_with_its_error() {
    let app = touming_tests::spawn_app_with(|c| {
        c.worker.retry_base_ms = 50;
        c.worker.reconcile_seconds = 3600;
    })
    .await;
    let world = World::build(&app).await;
    super::assignments::open_round(&app, &world, None).await;
    let assignment = touming_store::entity::assignment::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    // A policy no version of Touming writes: scoring this round fails every time.
    app.sql(&format!(
        "UPDATE round SET policy = 'not json' WHERE id = {}",
        assignment.round_id
    ))
    .await;
    app.state()
        .queue
        .enqueue(&Job::ScoreAssignment {
            assignment_id: assignment.id,
        })
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let letters = loop {
        let letters = app.state().queue.dead_letters().await.unwrap();
        if !letters.is_empty() {
            break letters;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not dead-lettered in 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].attempts, touming_worker::MAX_ATTEMPTS);
    assert!(
        letters[0].error.contains("unreadable stored value"),
        "{:?}",
        letters[0]
    );
    assert!(letters[0].job.contains(&assignment.id.to_string()));
    app.stop().await;
}
