//! Structured logs: text for people, JSON lines for collectors; a span per request
//! (http) and per job (worker); the Prometheus metrics (`metrics`).

pub mod metrics;

use tracing_subscriber::EnvFilter;

use crate::config::Config;

pub fn init(config: &Config) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&config.log_filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    // A second init (tests spawning several apps) is harmless and ignored.
    let _ = if config.log_format == "json" {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init()
    } else {
        builder.try_init()
    };
}
