//! The worker loop: take jobs off the queue, run them, acknowledge them; and enqueue
//! the periodic ones.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::watch;
use tracing::Instrument;

use crate::clock::today_in_china;
use crate::events::{Publisher, RollupChanged};
use crate::queue::{Delivery, JobQueue};
use crate::reminders::{self, DatabaseNotifier};
use crate::{Job, housekeeping, scoring};

/// Stale checklists scored per reconciler tick.
const RECONCILE_BATCH: u64 = 500;

pub struct Worker {
    db: DatabaseConnection,
    scorer: scoring::Scorer,
    queue: Arc<dyn JobQueue>,
    events: Arc<dyn Publisher>,
    housekeeping_every: Duration,
    reconcile_every: Duration,
}

impl Worker {
    pub fn new(
        db: DatabaseConnection,
        queue: Arc<dyn JobQueue>,
        events: Arc<dyn Publisher>,
        housekeeping_every: Duration,
        reconcile_every: Duration,
    ) -> Self {
        Self {
            scorer: scoring::Scorer::new(db.clone()),
            db,
            queue,
            events,
            housekeeping_every,
            reconcile_every,
        }
    }

    /// The next `receive`, owning what it needs so it can live across loop turns.
    fn next_receive(
        &self,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Vec<Delivery>, crate::QueueError>> + Send>,
    > {
        let queue = self.queue.clone();
        Box::pin(async move { queue.receive().await })
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!("worker started");
        let mut tick = tokio::time::interval(self.housekeeping_every);
        let mut reconcile = tokio::time::interval(self.reconcile_every);
        // One receive in flight across the loop: dropping it when a tick wins the select
        // would lose a message Redis had already handed to this consumer until it is
        // claimed again (`claim_idle` later), so the same future is polled until it ends.
        let mut receiving = self.next_receive();
        loop {
            tokio::select! {
                _ = shutdown.changed() => break,
                _ = tick.tick() => {
                    for job in [Job::PurgeSessions, Job::Reminders] {
                        if let Err(e) = self.queue.enqueue(&job).await {
                            tracing::warn!(error = %e, "could not enqueue a periodic job");
                        }
                    }
                }
                _ = reconcile.tick() => {
                    // Messages are only nudges: whatever is stale is scored here anyway.
                    match self.scorer.reconcile(RECONCILE_BATCH).await {
                        Ok(changes) if changes.is_empty() => {}
                        Ok(changes) => {
                            tracing::info!(rounds = changes.len(), "stale scores reconciled");
                            for change in &changes {
                                self.events.publish(change).await;
                            }
                        }
                        Err(e) => tracing::warn!(error = %e, "reconciling scores failed"),
                    }
                }
                received = &mut receiving => {
                    receiving = self.next_receive();
                    match received {
                    Ok(deliveries) => {
                        let (scores, others): (Vec<Delivery>, Vec<Delivery>) = deliveries
                            .into_iter()
                            .partition(|d| matches!(d.job, Job::ScoreAssignment { .. }));
                        self.score_batch(&scores).await;
                        for delivery in others {
                            self.handle(&delivery).await;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "queue unavailable; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    }
                }
            }
            if *shutdown.borrow() {
                break;
            }
        }
        tracing::info!("worker stopped");
    }

    async fn publish(
        &self,
        outcome: Result<Option<RollupChanged>, crate::scoring::ScoringError>,
    ) -> Result<(), String> {
        match outcome {
            Ok(Some(change)) => {
                self.events.publish(&change).await;
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }

    async fn settle(&self, delivery: &Delivery, outcome: Result<(), String>) {
        match outcome {
            // Retried after a backoff, then dead-lettered; handlers are idempotent.
            Err(e) => {
                tracing::warn!(error = %e, attempt = delivery.attempt, "job failed");
                if let Err(q) = self.queue.fail(delivery, &e).await {
                    tracing::warn!(error = %q, "could not record the failure");
                }
            }
            Ok(()) => {
                if let Err(e) = self.queue.ack(delivery).await {
                    tracing::warn!(error = %e, "could not acknowledge job");
                }
            }
        }
    }

    /// Checklists scored together roll up together: each ancestor is recomputed once
    /// per batch, which is what keeps a province's figure fresh when many submit at once.
    async fn score_batch(&self, deliveries: &[Delivery]) {
        if deliveries.is_empty() {
            return;
        }
        let ids: Vec<i64> = deliveries
            .iter()
            .filter_map(|d| match d.job {
                Job::ScoreAssignment { assignment_id } => Some(assignment_id),
                _ => None,
            })
            .collect();
        let span = tracing::info_span!("job", job = "ScoreAssignment", assignments = ids.len());
        async {
            let outcome = match self.scorer.score_assignments(&ids).await {
                Ok(changes) => {
                    for change in &changes {
                        self.events.publish(change).await;
                    }
                    Ok(())
                }
                Err(e) => Err(e.to_string()),
            };
            for delivery in deliveries {
                self.settle(delivery, outcome.clone()).await;
            }
        }
        .instrument(span)
        .await
    }

    async fn handle(&self, delivery: &Delivery) {
        let span = tracing::info_span!("job", id = %delivery.id, job = ?delivery.job);
        async {
            let outcome = match &delivery.job {
                Job::PurgeSessions => housekeeping::purge_sessions(&self.db)
                    .await
                    .map(|n| tracing::info!(deleted = n, "ended sessions purged"))
                    .map_err(|e| e.to_string()),
                Job::ScoreAssignment { assignment_id } => {
                    match self.scorer.score_assignments(&[*assignment_id]).await {
                        Ok(changes) => {
                            for change in &changes {
                                self.events.publish(change).await;
                            }
                            Ok(())
                        }
                        Err(e) => Err(e.to_string()),
                    }
                }
                Job::RescoreRound { round_id } => {
                    self.publish(self.scorer.rescore_round(*round_id).await)
                        .await
                }
                Job::Reminders => {
                    let notifier = DatabaseNotifier {
                        db: self.db.clone(),
                    };
                    reminders::send(&self.db, &notifier, today_in_china())
                        .await
                        .map(|n| tracing::info!(assignments = n, "deadline reminders sent"))
                        .map_err(|e| e.to_string())
                }
            };
            self.settle(delivery, outcome).await;
        }
        .instrument(span)
        .await
    }
}
