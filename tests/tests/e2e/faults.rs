//! Crashes lose nothing: a worker killed with SIGKILL in the middle of a batch, or
//! Redis gone while checklists are being submitted — afterwards every submission is
//! there and every score and roll-up equals a full recompute.

use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, Set};
use serde_json::json;
use touming_domain::{OrgKind, Role};
use touming_store::Stored;
use touming_store::entity::{org, rollup, score};
use touming_tests::process::{RedisServer, WorkerProcess};
use touming_tests::{TestApp, World, spawn_app_with};
use touming_worker::scoring::Scorer;

use super::assignments::{fill_and_submit, open_round};

/// `n` hospitals under `county`, written in bulk (the API would take minutes in a
/// debug build); the round opened afterwards gives each a checklist.
async fn add_hospitals(app: &TestApp, county: &org::Model, n: usize) {
    let rows: Vec<org::ActiveModel> = (0..n)
        .map(|i| org::ActiveModel {
            id: NotSet,
            parent_id: Set(Some(county.id)),
            kind: Set(Stored(OrgKind::Institution)),
            code: Set(format!("FAULT{i:013}")),
            name: Set(format!("测试医院{i}")),
            path: Set(format!("tmp/{i}")),
            depth: Set(county.depth + 1),
            created_at: Set(Utc::now()),
        })
        .collect();
    for chunk in rows.chunks(500) {
        org::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .unwrap();
    }
    app.sql(
        "UPDATE org SET path = (SELECT p.path FROM org p WHERE p.id = org.parent_id) \
         || CAST(org.id AS TEXT) || '/' WHERE path LIKE 'tmp/%'",
    )
    .await;
}

/// Gives every other checklist on the template's catalogue version the template's
/// answers and submits it, as many fillers would; returns the round's checklists
/// now submitted.
async fn submit_all_like(app: &TestApp, round: &str, template: &str) -> i64 {
    const COLUMNS: &str = "item_code, status, na_reason, formed_on, published_on, channels, \
        evidence_urls, interpretation_on, interpretation_forms, note, periods, prefilled, \
        updated_at, updated_by";
    let from_template = COLUMNS
        .split(", ")
        .map(|c| format!("t.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let same_version = format!(
        "a.round_id = {round} AND a.id <> {template} AND a.version_id = \
         (SELECT version_id FROM assignment WHERE id = {template})"
    );
    app.sql(&format!(
        "INSERT INTO answer (assignment_id, {COLUMNS}) SELECT a.id, {from_template} \
         FROM assignment a CROSS JOIN answer t WHERE t.assignment_id = {template} AND {same_version}"
    ))
    .await;
    app.sql(&format!(
        "UPDATE assignment SET status = 'SUBMITTED', version = version + 1, score_stale = TRUE \
         WHERE id IN (SELECT a.id FROM assignment a WHERE {same_version})"
    ))
    .await;
    app.count_where(
        "assignment",
        &format!("round_id = {round} AND status = 'SUBMITTED'"),
    )
    .await
}

/// Every figure of the round, in a comparable form (without computation times).
async fn figures(app: &TestApp, round: i64) -> (Vec<String>, Vec<String>) {
    let scores = score::Entity::find()
        .filter(score::Column::RoundId.eq(round))
        .order_by_asc(score::Column::AssignmentId)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| {
            format!(
                "{} v{} {} {} {} {} {} {}",
                s.assignment_id,
                s.answers_version,
                s.total_milli,
                s.percent_milli,
                s.grade,
                s.veto_failed,
                s.indicators,
                s.detail
            )
        })
        .collect();
    let rollups = rollup::Entity::find()
        .filter(rollup::Column::RoundId.eq(round))
        .order_by_asc(rollup::Column::OrgId)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            format!(
                "{} {:?} {}/{}/{} {} {:?}",
                r.org_id,
                r.composite_milli,
                r.expected,
                r.submitted,
                r.approved,
                r.indicators,
                r.spread
            )
        })
        .collect();
    (scores, rollups)
}

async fn wait_for(what: &str, limit: Duration, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done().await {
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// After whatever happened: nothing stale is left, and a full recompute of the round
/// changes no figure.
async fn assert_converged(app: &TestApp, round: i64) {
    let stale = format!("round_id = {round} AND score_stale = TRUE");
    wait_for(
        "every score up to date",
        Duration::from_secs(120),
        async || app.count_where("assignment", &stale).await == 0,
    )
    .await;
    let assignments = app
        .count_where("assignment", &format!("round_id = {round}"))
        .await;
    assert_eq!(
        app.count_where("score", &format!("round_id = {round}"))
            .await,
        assignments,
        "every checklist has a score"
    );
    let converged = figures(app, round).await;
    Scorer::new(app.db.clone())
        .rescore_round(round)
        .await
        .unwrap();
    let recomputed = figures(app, round).await;
    assert_eq!(converged.1.len(), recomputed.1.len());
    for (a, b) in converged.0.iter().zip(&recomputed.0) {
        assert_eq!(a, b, "a score differs from the full recompute");
    }
    assert_eq!(converged.1, recomputed.1, "roll-ups equal a full recompute");
}

#[tokio::test]
async fn a_worker_killed_in_the_middle_of_a_batch_loses_nothing() {
    // No worker in the server: a `touming work` process of its own, killed with SIGKILL.
    let app = spawn_app_with(|c| {
        c.worker.embedded = false;
        c.worker.reconcile_seconds = 1;
    })
    .await;
    let world = World::build(&app).await;
    add_hospitals(&app, &world.heping, 1200).await;
    let round = open_round(&app, &world, None).await;
    let round_id: i64 = round.parse().unwrap();
    let (_, template) = fill_and_submit(&app, &world, &world.hospital, 20).await;
    fill_and_submit(&app, &world, &world.heping, 30).await;
    let submitted = submit_all_like(&app, &round, &template).await;
    assert!(submitted > 1200, "{submitted} checklists submitted");
    assert_eq!(app.count("score").await, 0, "no worker has run yet");

    // The reconciler takes 500 stale checklists at a time and writes their scores in
    // chunks of 100: kill the worker once some, not all, of the first batch is written.
    let worker = WorkerProcess::start(&app.state().config);
    let scored = format!("round_id = {round_id}");
    wait_for(
        "the first chunk of scores",
        Duration::from_secs(120),
        async || app.count_where("score", &scored).await > 0,
    )
    .await;
    worker.kill();
    let written = app.count_where("score", &scored).await;
    assert!(
        written > 0 && written < 500,
        "killed in the middle of the first batch: {written} scores written"
    );
    assert!(
        app.count_where("assignment", &format!("{scored} AND score_stale = TRUE"))
            .await
            > 0,
        "work was left undone"
    );

    let _worker = WorkerProcess::start(&app.state().config);
    assert_converged(&app, round_id).await;
    assert_eq!(
        app.count_where(
            "assignment",
            &format!("round_id = {round_id} AND status = 'SUBMITTED'")
        )
        .await,
        submitted,
        "no submission is missing"
    );
    app.stop().await;
}

#[tokio::test]
async fn submissions_while_redis_is_down_are_kept_and_scored() {
    let mut redis = RedisServer::start();
    let url = redis.url();
    let app = spawn_app_with(move |c| {
        c.redis.url = url;
        c.redis.stream = "touming:fault:jobs".into();
        c.redis.events_channel = "touming:fault:rollups".into();
        c.worker.reconcile_seconds = 1;
    })
    .await;
    let world = World::build(&app).await;
    let round = open_round(&app, &world, None).await;
    let round_id: i64 = round.parse().unwrap();
    let (_, heping) = fill_and_submit(&app, &world, &world.heping, 30).await;
    let heping_scored = format!("assignment_id = {heping}");
    wait_for(
        "the first score over Redis",
        Duration::from_secs(30),
        async || app.count_where("score", &heping_scored).await > 0,
    )
    .await;

    redis.stop();
    // Fillers go on submitting: their work is committed, the lost nudge only warns.
    let (_, shenhe) = fill_and_submit(&app, &world, &world.shenhe, 10).await;
    let (_, hospital) = fill_and_submit(&app, &world, &world.hospital, 15).await;
    let province = world.login(&app, &world.liaoning, Role::Admin).await;
    let r = app
        .graphql(
            Some(&province),
            "query($r: ID!, $o: ID!) { rollup(roundId: $r, orgId: $o) { coverage { submitted } } }",
            json!({ "r": round, "o": world.liaoning.id.to_string() }),
        )
        .await;
    assert!(r.get("errors").is_none(), "reads work without Redis: {r}");
    // The reconciler does not need Redis: the scores catch up while it is down.
    assert_converged(&app, round_id).await;

    // Redis comes back empty; the queue makes its stream again and carries jobs.
    redis.restart();
    let computed = || async {
        rollup::Entity::find()
            .filter(rollup::Column::RoundId.eq(round_id))
            .filter(rollup::Column::OrgId.eq(world.liaoning.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .computed_at
    };
    let before = computed().await;
    let job = touming_worker::Job::RescoreRound { round_id };
    wait_for(
        "a job enqueued after the restart",
        Duration::from_secs(30),
        async || app.state().queue.enqueue(&job).await.is_ok(),
    )
    .await;
    wait_for("the job delivered", Duration::from_secs(30), async || {
        computed().await != before
    })
    .await;
    for id in [&heping, &shenhe, &hospital] {
        assert_eq!(
            app.count_where("assignment", &format!("id = {id} AND status = 'SUBMITTED'"))
                .await,
            1,
            "submission {id} kept"
        );
    }
    assert_converged(&app, round_id).await;
    app.stop().await;
}
