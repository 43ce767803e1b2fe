//! "These orgs' figures changed": published by whoever recomputed roll-ups, consumed by
//! the API's `rollupChanged` subscriptions. In one process a broadcast channel carries
//! them; across API replicas and workers, Redis pub/sub does, re-broadcast locally.

use redis::AsyncCommands;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollupChanged {
    pub round_id: i64,
    /// The orgs whose figure was recomputed (a checklist's org and its ancestors).
    pub org_ids: Vec<i64>,
}

#[async_trait::async_trait]
pub trait Publisher: Send + Sync {
    async fn publish(&self, event: &RollupChanged);
}

/// Within one process.
pub struct LocalPublisher(pub broadcast::Sender<RollupChanged>);

#[async_trait::async_trait]
impl Publisher for LocalPublisher {
    async fn publish(&self, event: &RollupChanged) {
        // No subscriber is not an error.
        let _ = self.0.send(event.clone());
    }
}

/// To every API replica through a Redis channel.
pub struct RedisPublisher {
    pub connection: redis::aio::ConnectionManager,
    pub channel: String,
}

#[async_trait::async_trait]
impl Publisher for RedisPublisher {
    async fn publish(&self, event: &RollupChanged) {
        let Ok(payload) = serde_json::to_string(event) else {
            return;
        };
        let mut con = self.connection.clone();
        let sent: Result<i64, _> = con.publish(&self.channel, payload).await;
        if let Err(e) = sent {
            // Live updates are a convenience; the figures themselves are in the database.
            tracing::warn!(error = %e, "could not publish a roll-up change");
        }
    }
}

/// Forwards a Redis channel into the local broadcast until the connection ends.
pub async fn relay_from_redis(
    url: &str,
    channel: &str,
    local: broadcast::Sender<RollupChanged>,
) -> Result<(), redis::RedisError> {
    use futures_util::StreamExt;
    let client = redis::Client::open(url)?;
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(channel).await?;
    let mut messages = pubsub.on_message();
    while let Some(message) = messages.next().await {
        let payload: String = message.get_payload()?;
        if let Ok(event) = serde_json::from_str::<RollupChanged>(&payload) {
            let _ = local.send(event);
        }
    }
    Ok(())
}
