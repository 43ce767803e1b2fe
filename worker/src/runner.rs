//! The worker loop: take jobs off the queue, run them, acknowledge them; and enqueue
//! the periodic ones.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::watch;
use tracing::Instrument;

use crate::clock::today_in_china;
use crate::queue::{Delivery, JobQueue};
use crate::reminders::{self, DatabaseNotifier};
use crate::{Job, housekeeping};

pub struct Worker {
    db: DatabaseConnection,
    queue: Arc<dyn JobQueue>,
    housekeeping_every: Duration,
}

impl Worker {
    pub fn new(
        db: DatabaseConnection,
        queue: Arc<dyn JobQueue>,
        housekeeping_every: Duration,
    ) -> Self {
        Self {
            db,
            queue,
            housekeeping_every,
        }
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!("worker started");
        let mut tick = tokio::time::interval(self.housekeeping_every);
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

    async fn handle(&self, delivery: &Delivery) {
        let span = tracing::info_span!("job", id = %delivery.id, job = ?delivery.job);
        async {
            let outcome = match &delivery.job {
                Job::PurgeSessions => housekeeping::purge_sessions(&self.db)
                    .await
                    .map(|n| tracing::info!(deleted = n, "ended sessions purged")),
                Job::Reminders => {
                    let notifier = DatabaseNotifier {
                        db: self.db.clone(),
                    };
                    reminders::send(&self.db, &notifier, today_in_china())
                        .await
                        .map(|n| tracing::info!(checklists = n, "deadline reminders sent"))
                }
            };
            match outcome {
                // Unacknowledged messages are redelivered; handlers are idempotent.
                Err(e) => tracing::warn!(error = %e, "job failed; left for redelivery"),
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
