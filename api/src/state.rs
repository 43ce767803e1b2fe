//! What every request handler shares.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use touming_worker::JobQueue;

use crate::auth::login::Authenticator;
use crate::auth::{LoginThrottle, PasswordHasher};
use crate::config::Config;
use crate::telemetry::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub hasher: PasswordHasher,
    pub throttle: Arc<LoginThrottle>,
    pub queue: Arc<dyn JobQueue>,
    /// Set when Redis is configured; `/readyz` checks it.
    pub redis: Option<redis::aio::ConnectionManager>,
    pub metrics: Arc<Metrics>,
    pub evidence: crate::evidence::EvidenceStore,
    /// Roll-up changes, for `rollupChanged` subscriptions (fed from Redis when configured).
    pub events: tokio::sync::broadcast::Sender<touming_worker::events::RollupChanged>,
    /// Users whose sessions were just revoked here (logout, password change,
    /// deactivation): open sockets on this replica check their session at once.
    pub revocations: tokio::sync::broadcast::Sender<i64>,
    /// The items of the catalogue versions rounds use (never changed once published).
    pub round_items: Arc<touming_store::catalogue::RoundItems>,
}

impl AppState {
    pub fn authenticator(&self) -> Authenticator<'_> {
        Authenticator {
            db: &self.db,
            hasher: &self.hasher,
            throttle: &self.throttle,
            config: &self.config.auth,
        }
    }
}
