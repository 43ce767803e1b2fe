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
}

#[async_trait::async_trait]
pub trait JobQueue: Send + Sync {
    async fn enqueue(&self, job: &Job) -> Result<(), QueueError>;
    /// Waits up to about a second for jobs; an empty answer is normal.
    async fn receive(&self) -> Result<Vec<Delivery>, QueueError>;
    async fn ack(&self, delivery: &Delivery) -> Result<(), QueueError>;
}

/// The embedded default: a channel inside the one process.
pub struct InProcessQueue {
    tx: mpsc::UnboundedSender<Job>,
    rx: Mutex<mpsc::UnboundedReceiver<Job>>,
}

impl InProcessQueue {
    pub fn new() -> Arc<Self> {
        let (tx, rx) = mpsc::unbounded_channel();
        Arc::new(Self {
            tx,
            rx: Mutex::new(rx),
        })
    }
}

#[async_trait::async_trait]
impl JobQueue for InProcessQueue {
    async fn enqueue(&self, job: &Job) -> Result<(), QueueError> {
        self.tx.send(job.clone()).map_err(|_| QueueError::Closed)
    }

    async fn receive(&self) -> Result<Vec<Delivery>, QueueError> {
        let mut rx = self.rx.lock().await;
        match tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
            Ok(Some(job)) => Ok(vec![Delivery {
                id: String::new(),
                job,
            }]),
            Ok(None) => Err(QueueError::Closed),
            Err(_) => Ok(Vec::new()),
        }
    }

    async fn ack(&self, _delivery: &Delivery) -> Result<(), QueueError> {
        Ok(())
    }
}

/// Redis Streams with a consumer group: every worker process is a distinct consumer,
/// messages stay pending until acknowledged.
pub struct RedisQueue {
    stream: String,
    group: String,
    consumer: String,
    /// For XADD and XACK.
    commands: redis::aio::MultiplexedConnection,
    /// A blocking XREADGROUP would hold up every other command on a shared connection.
    reader: Mutex<redis::aio::MultiplexedConnection>,
}

const BLOCK_MS: usize = 1000;

impl RedisQueue {
    pub async fn connect(url: &str, stream: &str, consumer: &str) -> Result<Arc<Self>, QueueError> {
        let client = redis::Client::open(url)?;
        let commands = client.get_multiplexed_async_connection().await?;
        let reader_config = redis::AsyncConnectionConfig::new()
            .set_response_timeout(Some(Duration::from_millis(BLOCK_MS as u64 + 5000)));
        let reader = client
            .get_multiplexed_async_connection_with_config(&reader_config)
            .await?;
        let queue = Self {
            stream: stream.to_owned(),
            group: "touming-workers".to_owned(),
            consumer: consumer.to_owned(),
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

    pub fn consumer(&self) -> &str {
        &self.consumer
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
        let options = StreamReadOptions::default()
            .group(&self.group, &self.consumer)
            .count(16)
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
                    Some(Ok(job)) => deliveries.push(Delivery { id: entry.id, job }),
                    // A message no version of us can read would be redelivered forever.
                    _ => {
                        tracing::error!(id = %entry.id, "unreadable job message dropped");
                        let mut con = self.commands.clone();
                        let _: i64 = con.xack(&self.stream, &self.group, &[&entry.id]).await?;
                    }
                }
            }
        }
        Ok(deliveries)
    }

    async fn ack(&self, delivery: &Delivery) -> Result<(), QueueError> {
        let mut con = self.commands.clone();
        let _: i64 = con.xack(&self.stream, &self.group, &[&delivery.id]).await?;
        Ok(())
    }
}
