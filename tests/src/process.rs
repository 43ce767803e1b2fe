//! Real processes for the fault tests: a `touming work` that can be killed with
//! SIGKILL, and a private `redis-server` that can be stopped and started again without
//! disturbing the Redis other tests share.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use touming_api::config::Config;

/// The `touming` binary next to the test executable (`make test` builds it first);
/// `TOUMING_BIN` overrides.
pub fn touming_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("TOUMING_BIN") {
        return path.into();
    }
    let exe = std::env::current_exe().expect("test executable");
    // target/debug/deps/e2e-… → target/debug/touming
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target directory")
        .join("touming");
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build -p touming --bin touming` (make test does)",
        path.display()
    );
    path
}

/// A `touming work` process on the same database and queue as `config`.
pub struct WorkerProcess(Child);

impl WorkerProcess {
    pub fn start(config: &Config) -> Self {
        let child = Command::new(touming_binary())
            .arg("work")
            .env("TOUMING_DATABASE__URL", &config.database.url)
            .env("TOUMING_REDIS__URL", &config.redis.url)
            .env("TOUMING_REDIS__STREAM", &config.redis.stream)
            .env(
                "TOUMING_REDIS__EVENTS_CHANNEL",
                &config.redis.events_channel,
            )
            .env(
                "TOUMING_WORKER__RECONCILE_SECONDS",
                config.worker.reconcile_seconds.to_string(),
            )
            .env("TOUMING_LOG_FILTER", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("touming work starts");
        Self(child)
    }

    /// SIGKILL: no shutdown, no acknowledgement, transactions cut off mid-way.
    pub fn kill(mut self) {
        self.0.kill().expect("SIGKILL");
        let _ = self.0.wait();
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `redis-server` of the test's own on a free port, keeping nothing on disk.
pub struct RedisServer {
    port: u16,
    child: Option<Child>,
}

impl RedisServer {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut server = Self { port, child: None };
        server.restart();
        server
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, empty, and waits until it answers.
    pub fn restart(&mut self) {
        self.stop();
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server on PATH");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
