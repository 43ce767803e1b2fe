//! Layered configuration: `config/default.toml` (compiled in) under `TOUMING_*`
//! environment variables.

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;

const DEFAULTS: &str = include_str!("../../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub listen: String,
    pub log_format: String,
    pub log_filter: String,
    pub trust_forwarded_for: bool,
    /// `scheme://host[:port]` browsers use to reach the site; cookie-authenticated
    /// requests from any other `Origin` are refused. Empty: the request's own `Host`.
    pub public_origin: String,
    pub web_dir: String,
    pub database: DatabaseConfig,
    pub redis: RedisConfig,
    pub auth: AuthConfig,
    pub graphql: GraphqlConfig,
    pub worker: WorkerConfig,
    pub evidence: EvidenceConfig,
    pub metrics: MetricsConfig,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MetricsConfig {
    /// Bearer token `/metrics` asks for; empty: `/metrics` is not served.
    pub token: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EvidenceConfig {
    pub store: String,
    pub max_file_mb: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseConfig {
    pub url: String,
    pub max_connections: u32,
    pub sqlite_busy_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RedisConfig {
    pub url: String,
    pub stream: String,
    pub events_channel: String,
}

impl RedisConfig {
    /// `None` when Redis is not configured (the embedded default).
    pub fn url(&self) -> Option<&str> {
        Some(self.url.trim()).filter(|u| !u.is_empty())
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthConfig {
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub max_failed_logins: i32,
    pub lockout_minutes: i64,
    pub login_attempts_per_minute: u32,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub max_concurrent_hashes: usize,
    pub cookie_secure: bool,
    /// ADMINs (the platform operator included) sign in with a TOTP code as well.
    pub require_second_factor: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GraphqlConfig {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_query_bytes: usize,
    /// Longest string any argument or variable may carry, in characters.
    pub max_string_chars: usize,
    /// Send `x-sql-statements` (statements per request) with every response: a
    /// debugging aid that tests turn on; off, it cannot serve as an existence oracle.
    pub statement_header: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct WorkerConfig {
    pub housekeeping_minutes: u64,
    pub reconcile_seconds: u64,
    pub retry_base_ms: u64,
    pub consumer: String,
    pub embedded: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    #[error("configuration: {0}")]
    Rule(String),
}

impl Config {
    /// Defaults, then the environment.
    pub fn load() -> Result<Self, ConfigError> {
        Self::from_figment(
            Figment::from(Toml::string(DEFAULTS)).merge(Env::prefixed("TOUMING_").split("__")),
        )
    }

    /// Defaults only; tests start from these and change what they need.
    pub fn defaults() -> Self {
        Self::from_figment(Figment::from(Toml::string(DEFAULTS)))
            .expect("embedded defaults are valid")
    }

    fn from_figment(figment: Figment) -> Result<Self, ConfigError> {
        let config: Config = figment.extract().map_err(Box::new)?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        // OWASP's floor for argon2id; weaker settings are refused rather than warned about.
        if self.auth.argon2_memory_kib < 19456 || self.auth.argon2_iterations < 2 {
            return Err(ConfigError::Rule(
                "auth.argon2_memory_kib must be >= 19456 and auth.argon2_iterations >= 2".into(),
            ));
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(ConfigError::Rule(
                "log_format must be \"text\" or \"json\"".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
// figment's error type is large; it is not ours to shrink.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("TOUMING_DATABASE__URL", "postgres://localhost/x");
            jail.set_env("TOUMING_LISTEN", "0.0.0.0:9000");
            jail.set_env("TOUMING_AUTH__LOCKOUT_MINUTES", "30");
            let config = Config::load().expect("loads");
            assert_eq!(config.database.url, "postgres://localhost/x");
            assert_eq!(config.listen, "0.0.0.0:9000");
            assert_eq!(config.auth.lockout_minutes, 30);
            assert_eq!(config.auth.max_failed_logins, 5);
            assert_eq!(config.redis.url(), None);
            Ok(())
        });
    }

    #[test]
    fn weak_argon2_settings_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("TOUMING_AUTH__ARGON2_MEMORY_KIB", "4096");
            assert!(matches!(Config::load(), Err(ConfigError::Rule(_))));
            Ok(())
        });
    }
}
