//! Assembling and running the server: state, schema, worker, listener, shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use sea_orm::DatabaseConnection;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use touming_worker::events::{
    LocalPublisher, Publisher, RedisPublisher, RollupChanged, relay_from_redis,
};
use touming_worker::{InProcessQueue, JobQueue, RedisQueue, Worker};

use crate::auth::{LoginThrottle, PasswordHasher};
use crate::config::Config;
use crate::http::{App, router};
use crate::state::AppState;
use crate::telemetry::metrics::Metrics;

/// Brings the schema up to date and the built-in catalogues with it. Idempotent; in
/// production the migration job runs it before any server starts.
pub async fn prepare(db: &DatabaseConnection) -> anyhow::Result<()> {
    crate::db::migrate(db)
        .await
        .context("migrating the database")?;
    crate::catalogue::store::ensure_builtins(db)
        .await
        .map_err(|e| anyhow::anyhow!("loading the built-in catalogues: {e:?}"))?;
    Ok(())
}

/// The state every handler shares, with the queue the configuration asks for.
pub async fn build_state(config: Config, db: DatabaseConnection) -> anyhow::Result<AppState> {
    let auth = &config.auth;
    let hasher = PasswordHasher::new(
        auth.argon2_memory_kib,
        auth.argon2_iterations,
        auth.max_concurrent_hashes,
    )
    .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    let (queue, redis): (Arc<dyn JobQueue>, _) = match config.redis.url() {
        Some(url) => {
            let retry = std::time::Duration::from_millis(config.worker.retry_base_ms);
            let queue =
                RedisQueue::connect(url, &config.redis.stream, &consumer_name(&config), retry)
                    .await
                    .context("connecting to Redis")?;
            let client = redis::Client::open(url)?;
            (
                queue,
                Some(redis::aio::ConnectionManager::new(client).await?),
            )
        }
        None => (
            InProcessQueue::with_retry_base(std::time::Duration::from_millis(
                config.worker.retry_base_ms,
            )),
            None,
        ),
    };
    Ok(AppState {
        db,
        throttle: Arc::new(LoginThrottle::new(auth.login_attempts_per_minute)),
        hasher,
        queue,
        redis,
        metrics: Arc::new(Metrics::default()),
        events: events(&config),
        revocations: tokio::sync::broadcast::channel(256).0,
        round_items: Arc::default(),
        evidence: crate::evidence::EvidenceStore::from_config(&config.evidence)
            .context("opening the evidence store")?,
        config: Arc::new(config),
    })
}

/// The local channel of roll-up changes; with Redis, a task relays the shared channel
/// into it (reconnecting if Redis goes away).
fn events(config: &Config) -> tokio::sync::broadcast::Sender<RollupChanged> {
    let (sender, _) = tokio::sync::broadcast::channel(1024);
    if let Some(url) = config.redis.url() {
        let (url, channel, local) = (
            url.to_owned(),
            config.redis.events_channel.clone(),
            sender.clone(),
        );
        tokio::spawn(async move {
            loop {
                if let Err(e) = relay_from_redis(&url, &channel, local.clone()).await {
                    tracing::warn!(error = %e, "roll-up events from Redis interrupted; reconnecting");
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
    sender
}

/// This process's name in the Redis consumer group: configured, or host name plus a
/// random suffix so that two pods never share one.
pub fn consumer_name(config: &Config) -> String {
    if !config.worker.consumer.trim().is_empty() {
        return config.worker.consumer.trim().to_owned();
    }
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "touming".into());
    format!("{host}-{:06x}", rand::random::<u32>() & 0xff_ffff)
}

pub fn worker(state: &AppState) -> Worker {
    let events: Arc<dyn Publisher> = match &state.redis {
        Some(connection) => Arc::new(RedisPublisher {
            connection: connection.clone(),
            channel: state.config.redis.events_channel.clone(),
        }),
        None => Arc::new(LocalPublisher(state.events.clone())),
    };
    Worker::new(
        state.db.clone(),
        state.queue.clone(),
        events,
        Duration::from_secs(state.config.worker.housekeeping_minutes.max(1) * 60),
        Duration::from_secs(state.config.worker.reconcile_seconds.max(1)),
    )
}

/// A server running in the background.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, stops the in-process worker.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Migrates the database, binds `config.listen` (port 0 picks one), serves, and runs
/// the worker in-process when no Redis is configured (unless `worker.embedded` is off).
pub async fn spawn(config: Config, db: DatabaseConnection) -> anyhow::Result<Running> {
    let (running, ()) = spawn_after(config, db, |_| async { Ok(()) }).await?;
    Ok(running)
}

/// Like [`spawn`], but answers requests only once `before_serving` is done: the port is
/// bound and the worker runs meanwhile, and a request that arrives waits in the
/// listener's backlog instead of seeing a half-prepared database (the demo seeds here).
pub async fn spawn_after<T, F, Fut>(
    config: Config,
    db: DatabaseConnection,
    before_serving: F,
) -> anyhow::Result<(Running, T)>
where
    F: FnOnce(AppState) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    prepare(&db).await?;
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    let addr = listener.local_addr()?;
    let state = build_state(config, db).await?;
    let schema = crate::graphql::build(&state.config.graphql, state.metrics.clone());
    let (shutdown, signal) = watch::channel(false);
    let mut tasks = Vec::new();
    // The embedded worker starts once the preparation (the demo's seeding) is done: its
    // reconciler committing scores between a seeding transaction's read and its write
    // would fail that transaction on SQLite (SQLITE_BUSY_SNAPSHOT) — seen once in CI as
    // an internal error at demo start. Jobs queued meanwhile wait in the queue.
    let prepared = before_serving(state.clone()).await?;
    if state.redis.is_none() && state.config.worker.embedded {
        tasks.push(tokio::spawn(worker(&state).run(signal.clone())));
    }
    let app = router(App {
        state: state.clone(),
        schema,
    });
    let mut stop = signal.clone();
    tasks.push(tokio::spawn(async move {
        let served = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "server stopped with an error");
        }
    }));
    tracing::info!(%addr, "listening");
    let running = Running {
        addr,
        state,
        shutdown,
        tasks,
    };
    Ok((running, prepared))
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn termination() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler installs");
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutting down");
}
