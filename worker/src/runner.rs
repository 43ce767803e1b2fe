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

pub struct Worker {
    db: DatabaseConnection,
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
            db,
            queue,
            events,
            housekeeping_every,
            reconcile_every,
        }
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!("worker started");
        let mut tick = tokio::time::interval(self.housekeeping_every);
        let mut reconcile = tokio::time::interval(self.reconcile_every);
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
                                        match scoring::reconcile(&self.db, 200).await {
                        Ok(changes) if changes.is_empty() => {}
                        Ok(changes) => {
                            tracing::info!(checklists = changes.len(), "stale scores reconciled");
                            for change in &changes {
                                self.events.publish(change).await;
                            }
                        }
                        Err(e) => tracing::warn!(error = %e, "reconciling scores failed"),
                    }
                }
                received = self.queue.receive() => match received {
                    Ok(deliveries) => {
                        for delivery in deliveries {
                            self.handle(&delivery).await;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "queue unavailable; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                },
            }
            if *shutdown.borrow() {
                break;
            }
        }
        tracing::info!("worker stopped");
    }

    async fn publish(
        &self,
        outcome: Result<Option<RollupChanged>, crate::model::ModelError>,
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

    async fn handle(&self, delivery: &Delivery) {
        let span = tracing::info_span!("job", id = %delivery.id, job = ?delivery.job);
        async {
            let outcome = match &delivery.job {
                Job::PurgeSessions => housekeeping::purge_sessions(&self.db)
                    .await
                    .map(|n| tracing::info!(deleted = n, "ended sessions purged"))
                    .map_err(|e| e.to_string()),
                Job::ScoreAssignment { assignment_id } => {
                    self.publish(scoring::score_assignment(&self.db, *assignment_id).await)
                        .await
                }
                Job::RescoreRound { round_id } => {
                    self.publish(scoring::rescore_round(&self.db, *round_id).await)
                        .await
                }
                Job::Reminders => {
                    let notifier = DatabaseNotifier {
                        db: self.db.clone(),
                    };
                    reminders::send(&self.db, &notifier, today_in_china())
                        .await
                        .map(|n| tracing::info!(checklists = n, "deadline reminders sent"))
                        .map_err(|e| e.to_string())
                }
            };
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
        .instrument(span)
        .await
    }
}
