//! Where jobs wait: one trait, two backends.

use std::sync::Arc;
use std::time::Duration;

use redis::AsyncCommands;
use redis::streams::{StreamReadOptions, StreamReadReply};
use tokio::sync::{Mutex, mpsc};

use crate::Job;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("job encoding: {0}")]
    Encoding(#[from] serde_json::Error),
    #[error("the in-process queue is closed")]
    Closed,
}

/// A delivered job; acknowledge it once handled, or it is delivered again.
#[derive(Debug)]
pub struct Delivery {
    pub id: String,
    pub job: Job,
    /// 1 on first delivery.
    pub attempt: u32,
}

/// A job that failed [`MAX_ATTEMPTS`] times, kept with its last error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub job: String,
    pub error: String,
    pub attempts: u32,
}

/// Deliveries of one job before it goes to the dead letters.
pub const MAX_ATTEMPTS: u32 = 5;

/// Wait before retry `attempt` (1-based): the base, doubled per attempt, at most 10 min.
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    (base * 2u32.pow(attempt.saturating_sub(1).min(6))).min(Duration::from_secs(600))
}

#[async_trait::async_trait]
pub trait JobQueue: Send + Sync {
    async fn enqueue(&self, job: &Job) -> Result<(), QueueError>;
    /// Waits up to about a second for jobs; an empty answer is normal.
    async fn receive(&self) -> Result<Vec<Delivery>, QueueError>;
    async fn ack(&self, delivery: &Delivery) -> Result<(), QueueError>;
    /// The handler failed: the job is retried after a backoff, and after
    /// [`MAX_ATTEMPTS`] deliveries it goes to the dead letters with `error`.
    async fn fail(&self, delivery: &Delivery, error: &str) -> Result<(), QueueError>;
    async fn dead_letters(&self) -> Result<Vec<DeadLetter>, QueueError>;
}

/// The embedded default: a channel inside the one process. Retries wait in a task;
/// they are lost with the process, which the reconciler makes up for.
pub struct InProcessQueue {
    tx: mpsc::UnboundedSender<(Job, u32)>,
    rx: Mutex<mpsc::UnboundedReceiver<(Job, u32)>>,
    retry_base: Duration,
    dead: std::sync::Mutex<Vec<DeadLetter>>,
}

impl InProcessQueue {
    pub fn new() -> Arc<Self> {
        Self::with_retry_base(Duration::from_secs(30))
    }

    pub fn with_retry_base(retry_base: Duration) -> Arc<Self> {
        let (tx, rx) = mpsc::unbounded_channel();
        Arc::new(Self {
            tx,
            rx: Mutex::new(rx),
            retry_base,
            dead: std::sync::Mutex::new(Vec::new()),
        })
    }
}

#[async_trait::async_trait]
impl JobQueue for InProcessQueue {
    async fn enqueue(&self, job: &Job) -> Result<(), QueueError> {
        self.tx
            .send((job.clone(), 1))
            .map_err(|_| QueueError::Closed)
    }

    async fn receive(&self) -> Result<Vec<Delivery>, QueueError> {
        let mut rx = self.rx.lock().await;
        match tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
            Ok(Some(first)) => {
                // Whatever else is already waiting comes along, as XREADGROUP's COUNT does.
                let mut batch = vec![first];
                while batch.len() < RECEIVE_BATCH {
                    match rx.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                Ok(batch
                    .into_iter()
                    .map(|(job, attempt)| Delivery {
                        id: String::new(),
                        job,
                        attempt,
                    })
                    .collect())
            }
            Ok(None) => Err(QueueError::Closed),
            Err(_) => Ok(Vec::new()),
        }
    }

    async fn ack(&self, _delivery: &Delivery) -> Result<(), QueueError> {
        Ok(())
    }

    async fn fail(&self, delivery: &Delivery, error: &str) -> Result<(), QueueError> {
        if delivery.attempt >= MAX_ATTEMPTS {
            let letter = DeadLetter {
                job: serde_json::to_string(&delivery.job)?,
                error: error.to_owned(),
                attempts: delivery.attempt,
            };
            self.dead
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(letter);
            return Ok(());
        }
        let (tx, job, next) = (self.tx.clone(), delivery.job.clone(), delivery.attempt + 1);
        let wait = backoff(self.retry_base, delivery.attempt);
        tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            let _ = tx.send((job, next));
        });
        Ok(())
    }

    async fn dead_letters(&self) -> Result<Vec<DeadLetter>, QueueError> {
        Ok(self.dead.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }
}

/// Redis Streams with a consumer group: every worker process is a distinct consumer,
/// messages stay pending until acknowledged.
pub struct RedisQueue {
    stream: String,
    group: String,
    consumer: String,
    /// Idle time after which a pending message is claimed again (doubling per attempt).
    claim_idle: Duration,
    /// For XADD and XACK. Connection managers reconnect after Redis comes back.
    commands: redis::aio::ConnectionManager,
    /// A blocking XREADGROUP would hold up every other command on a shared connection.
    reader: Mutex<redis::aio::ConnectionManager>,
}

const BLOCK_MS: usize = 1000;

/// Deliveries handed to the worker at once; score jobs among them are scored together.
pub const RECEIVE_BATCH: usize = 16;

impl RedisQueue {
    pub async fn connect(
        url: &str,
        stream: &str,
        consumer: &str,
        claim_idle: Duration,
    ) -> Result<Arc<Self>, QueueError> {
        let client = redis::Client::open(url)?;
        let commands = redis::aio::ConnectionManager::new(client.clone()).await?;
        let reader_config = redis::aio::ConnectionManagerConfig::new()
            .set_response_timeout(Some(Duration::from_millis(BLOCK_MS as u64 + 5000)));
        let reader = redis::aio::ConnectionManager::new_with_config(client, reader_config).await?;
        let queue = Self {
            stream: stream.to_owned(),
            group: "touming-workers".to_owned(),
            consumer: consumer.to_owned(),
            claim_idle,
            commands,
            reader: Mutex::new(reader),
        };
        queue.ensure_group().await?;
        Ok(Arc::new(queue))
    }

    async fn ensure_group(&self) -> Result<(), QueueError> {
        let mut con = self.commands.clone();
        let created: Result<(), redis::RedisError> = con
            .xgroup_create_mkstream(&self.stream, &self.group, "0")
            .await;
        match created {
            Ok(()) => Ok(()),
            Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    async fn read(&self) -> Result<Vec<Delivery>, QueueError> {
        let reclaimed = self.reclaim().await?;
        if !reclaimed.is_empty() {
            return Ok(reclaimed);
        }
        let options = StreamReadOptions::default()
            .group(&self.group, &self.consumer)
            .count(RECEIVE_BATCH)
            .block(BLOCK_MS);
        let mut reader = self.reader.lock().await;
        let reply: Option<StreamReadReply> = reader
            .xread_options(&[&self.stream], &[">"], &options)
            .await?;
        let mut deliveries = Vec::new();
        for key in reply.map(|r| r.keys).unwrap_or_default() {
            for entry in key.ids {
                let body: Option<String> = entry.get("job");
                match body.as_deref().map(serde_json::from_str::<Job>) {
                    Some(Ok(job)) => deliveries.push(Delivery {
                        id: entry.id,
                        job,
                        attempt: 1,
                    }),
                    // A message no version of us can read would be redelivered forever.
                    _ => {
                        let mut con = self.commands.clone();
                        let _: usize = con
                            .hset(self.errors_key(), &entry.id, "unreadable job message")
                            .await?;
                        self.bury(&entry.id, 1).await?;
                    }
                }
            }
        }
        Ok(deliveries)
    }

    fn dead_stream(&self) -> String {
        format!("{}:dead", self.stream)
    }

    fn errors_key(&self) -> String {
        format!("{}:errors", self.stream)
    }

    /// Messages another consumer (or this one) took and never acknowledged — it crashed,
    /// or the job failed — are claimed again once idle long enough for their attempt;
    /// after the last attempt they go to the dead letters with their last error.
    async fn reclaim(&self) -> Result<Vec<Delivery>, QueueError> {
        let mut con = self.commands.clone();
        let pending: redis::streams::StreamPendingCountReply = con
            .xpending_count(&self.stream, &self.group, "-", "+", 100)
            .await?;
        let mut out = Vec::new();
        for p in pending.ids {
            let attempts = p.times_delivered as u32;
            let wait = backoff(self.claim_idle, attempts);
            if (p.last_delivered_ms as u128) < wait.as_millis() {
                continue;
            }
            if attempts >= MAX_ATTEMPTS {
                self.bury(&p.id, attempts).await?;
                continue;
            }
            let claimed: redis::streams::StreamClaimReply = con
                .xclaim(
                    &self.stream,
                    &self.group,
                    &self.consumer,
                    wait.as_millis() as u64,
                    &[&p.id],
                )
                .await?;
            for entry in claimed.ids {
                let body: Option<String> = entry.get("job");
                if let Some(Ok(job)) = body.as_deref().map(serde_json::from_str::<Job>) {
                    out.push(Delivery {
                        id: entry.id,
                        job,
                        attempt: attempts + 1,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Moves a message to the dead-letter stream with its last error, and acknowledges it.
    async fn bury(&self, id: &str, attempts: u32) -> Result<(), QueueError> {
        let mut con = self.commands.clone();
        let range: redis::streams::StreamRangeReply = con.xrange(&self.stream, id, id).await?;
        let body: String = range
            .ids
            .first()
            .and_then(|e| e.get("job"))
            .unwrap_or_default();
        let error: Option<String> = con.hget(self.errors_key(), id).await?;
        let fields = [
            ("job", body),
            ("error", error.unwrap_or_else(|| "unacknowledged".into())),
            ("attempts", attempts.to_string()),
            ("id", id.to_owned()),
        ];
        let _: String = con.xadd(self.dead_stream(), "*", &fields).await?;
        let _: i64 = con.xack(&self.stream, &self.group, &[id]).await?;
        let _: i64 = con.hdel(self.errors_key(), id).await?;
        tracing::error!(id, attempts, "job moved to the dead letters");
        Ok(())
    }
}

#[async_trait::async_trait]
impl JobQueue for RedisQueue {
    async fn enqueue(&self, job: &Job) -> Result<(), QueueError> {
        let body = serde_json::to_string(job)?;
        let mut con = self.commands.clone();
        let _: String = con.xadd(&self.stream, "*", &[("job", body)]).await?;
        Ok(())
    }

    async fn receive(&self) -> Result<Vec<Delivery>, QueueError> {
        match self.read().await {
            // Redis restarted without its data: the stream and the group are made again.
            Err(QueueError::Redis(e)) if e.code() == Some("NOGROUP") => {
                tracing::warn!("the job stream's consumer group was gone; created again");
                self.ensure_group().await?;
                Ok(Vec::new())
            }
            other => other,
        }
    }

    async fn ack(&self, delivery: &Delivery) -> Result<(), QueueError> {
        let mut con = self.commands.clone();
        let _: i64 = con.xack(&self.stream, &self.group, &[&delivery.id]).await?;
        if delivery.attempt > 1 {
            let _: i64 = con.hdel(self.errors_key(), &delivery.id).await?;
        }
        Ok(())
    }

    async fn fail(&self, delivery: &Delivery, error: &str) -> Result<(), QueueError> {
        // Left unacknowledged: `reclaim` retries it after the backoff, or buries it.
        let mut con = self.commands.clone();
        let _: usize = con.hset(self.errors_key(), &delivery.id, error).await?;
        Ok(())
    }

    async fn dead_letters(&self) -> Result<Vec<DeadLetter>, QueueError> {
        let mut con = self.commands.clone();
        let range: redis::streams::StreamRangeReply =
            con.xrange(self.dead_stream(), "-", "+").await?;
        Ok(range
            .ids
            .iter()
            .map(|e| DeadLetter {
                job: e.get("job").unwrap_or_default(),
                error: e.get("error").unwrap_or_default(),
                attempts: e
                    .get::<String>("attempts")
                    .and_then(|a| a.parse().ok())
                    .unwrap_or(0),
            })
            .collect())
    }
}
