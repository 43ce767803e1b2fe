//! Opening the database: SQLite (embedded default) or PostgreSQL, by URL.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sea_orm::sqlx::postgres::PgSslMode;
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;
use touming_migrations::Migrator;

use crate::config::DatabaseConfig;

pub async fn connect(config: &DatabaseConfig) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_file(&config.url)
        && let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| DbErr::Custom(format!("creating {}: {e}", dir.display())))?;
    }
    let mut options = ConnectOptions::new(config.url.clone());
    options
        .max_connections(config.max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    let busy = Duration::from_millis(config.sqlite_busy_timeout_ms);
    // WAL lets readers go on while one writer writes; foreign keys are off by default
    // in SQLite itself, so they are set on every connection.
    options.map_sqlx_sqlite_opts(move |o| {
        o.journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(busy)
            .create_if_missing(true)
    });
    if loopback_without_tls(&config.url) {
        options.map_sqlx_postgres_opts(|o| o.ssl_mode(PgSslMode::Disable));
    }
    let mut db = Database::connect(options).await?;
    db.set_metric_callback(|_| {
        // Outside a counted request there is nothing to add to.
        let _ = STATEMENTS.try_with(|n| n.fetch_add(1, Ordering::Relaxed));
    });
    Ok(db)
}

/// A PostgreSQL server on this machine is reached without TLS unless the URL (or
/// `PGSSLMODE`) asks for it: on loopback TLS protects nothing a neighbour could read,
/// and its handshake and encryption cost a fifth of an autosave's CPU. Any other host
/// keeps the driver's default (`prefer`: TLS whenever the server offers it).
pub fn loopback_without_tls(url: &str) -> bool {
    if std::env::var_os("PGSSLMODE").is_some() {
        return false;
    }
    let Some(rest) = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
    else {
        return false;
    };
    let (authority, query) = match rest.split_once('?') {
        Some((a, q)) => (a, q),
        None => (rest, ""),
    };
    let asks = query
        .split('&')
        .any(|pair| matches!(pair.split('=').next(), Some("sslmode" | "ssl-mode")));
    if asks {
        return false;
    }
    let host_port = authority.split('/').next().unwrap_or("");
    let host_port = host_port.rsplit('@').next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    matches!(host, "localhost" | "::1") || host.starts_with("127.")
}

tokio::task_local! {
    static STATEMENTS: Arc<AtomicU32>;
}

/// Runs `work`, counting the SQL statements it sends from this task: the GraphQL
/// handler reports them per request (`x-sql-statements`), which is how the tests catch
/// a resolver that queries once per row.
pub async fn count_statements<F: Future>(work: F) -> (F::Output, u32) {
    let counter = Arc::new(AtomicU32::new(0));
    let out = STATEMENTS.scope(counter.clone(), work).await;
    (out, counter.load(Ordering::Relaxed))
}

/// Spawns `work` so that its statements count towards the request it was spawned from
/// (the GraphQL batch loaders run their queries in tasks of their own).
pub fn spawn_counted<F>(work: F) -> tokio::task::JoinHandle<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    match STATEMENTS.try_with(Arc::clone) {
        Ok(counter) => tokio::spawn(STATEMENTS.scope(counter, work)),
        Err(_) => tokio::spawn(work),
    }
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// The file behind a `sqlite://` URL, if it names one.
pub fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_file_is_read_from_the_url() {
        assert_eq!(
            sqlite_file("sqlite://touming-data/touming.db?mode=rwc"),
            Some("touming-data/touming.db")
        );
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://localhost/test"), None);
    }

    #[test]
    fn only_a_server_on_this_machine_is_reached_without_tls() {
        for url in [
            "postgres://postgres@127.0.0.1:5432/touming",
            "postgres://u:p@localhost/touming",
            "postgresql://u@[::1]:5432/db?application_name=x",
        ] {
            assert!(super::loopback_without_tls(url), "{url}");
        }
        for url in [
            "postgres://u@db.internal:5432/touming",
            "postgres://u@10.0.0.5/touming",
            "postgres://u@127.0.0.1/touming?sslmode=require",
            "postgres://u@localhost/touming?application_name=x&sslmode=verify-full",
            "sqlite://touming.db?mode=rwc",
        ] {
            assert!(!super::loopback_without_tls(url), "{url}");
        }
    }
}
