//! `touming`: the one binary. `serve`, `work`, `migrate`, `demo`, `schema`,
//! `create-province`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use tokio::sync::watch;
use touming::{bench, demo};
use touming_api::audit::Actor;
use touming_api::config::Config;
use touming_api::{app, db, graphql, orgs, telemetry, users};
use touming_domain::{OrgKind, Role};

#[derive(Parser)]
#[command(
    name = "touming",
    version,
    about = "透明 Touming：卫生健康领域政务公开考核平台"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (with the worker in-process when no Redis URL is configured).
    Serve,
    /// Run the worker only (scoring, roll-up, reminders, housekeeping).
    Work,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Start a demo: a fresh SQLite database with 辽宁省 and its demo accounts.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        #[arg(long, default_value = "./touming-data")]
        data_dir: PathBuf,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Generate a province with every checklist answered and submitted, and measure a
    /// full rescore and roll-up (figures for docs/benchmarks.md).
    Bench {
        /// Provinces to generate, each with its own round (31 for the national size).
        #[arg(long, default_value_t = 1)]
        provinces: usize,
        #[arg(long, default_value_t = 15)]
        cities: usize,
        #[arg(long, default_value_t = 7)]
        counties_per_city: usize,
        #[arg(long, default_value_t = 30)]
        institutions_per_county: usize,
        #[arg(long, default_value_t = 150)]
        items: usize,
        /// An empty database to fill; default: a fresh SQLite file in a temporary directory.
        #[arg(long)]
        database_url: Option<String>,
        /// Jobs and events over this Redis (a stream of the bench's own); default: in-process.
        #[arg(long)]
        redis_url: Option<String>,
        /// Submissions to time from commit to the province's figure (0: skip).
        #[arg(long, default_value_t = 1000)]
        submissions: usize,
        /// Submissions per second while timing.
        #[arg(long, default_value_t = 20.0)]
        rate: f64,
        /// Comparison page queries to time for a city and for the province (0: skip).
        #[arg(long, default_value_t = 200)]
        comparisons: usize,
        /// Seconds of load test over HTTP with wrk (0: skip).
        #[arg(long, default_value_t = 0)]
        load_seconds: u64,
        /// People at once in the load test: half autosave, half read comparisons.
        #[arg(long, default_value_t = 200)]
        load_users: usize,
        /// Each person's average pause between requests in the load test (0: none).
        #[arg(long, default_value_t = 0)]
        think_ms: u64,
    },
    /// Platform operator: create an operator account (manages the calendar and the
    /// built-in catalogues).
    CreateOperator {
        #[arg(long)]
        username: String,
        #[arg(long, env = "TOUMING_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Platform operator: create a province (a top-level tenant) and its first admin.
    CreateProvince {
        /// GB/T 2260 code ending in 0000, e.g. 350000.
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_username: String,
        /// Read from the environment so it stays out of shell history.
        #[arg(long, env = "TOUMING_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Schema = cli.command {
        print!("{}", graphql::sdl());
        return Ok(());
    }
    let mut config = Config::load()?;
    if let Command::Bench {
        database_url,
        redis_url,
        ..
    } = &cli.command
    {
        config.database.url = match database_url {
            Some(url) => url.clone(),
            None => {
                let dir =
                    std::env::temp_dir().join(format!("touming-bench-{}", std::process::id()));
                std::fs::create_dir_all(&dir)?;
                format!("sqlite://{}/bench.db?mode=rwc", dir.display())
            }
        };
        config.redis.url = redis_url.clone().unwrap_or_default();
        let run = std::process::id();
        config.redis.stream = format!("touming:bench:{run}:jobs");
        config.redis.events_channel = format!("touming:bench:{run}:events");
        config.evidence.store = std::env::temp_dir()
            .join("touming-bench-evidence")
            .display()
            .to_string();
    }
    if let Command::Demo { listen, data_dir } = &cli.command {
        config.listen = listen.clone();
        config.database.url = demo_database(data_dir)?;
        config.evidence.store = data_dir.join("evidence").display().to_string();
        config.redis.url = String::new();
        // The demo's accounts share a published password; a second factor would only
        // stand between a visitor and the tour.
        config.auth.require_second_factor = false;
    }
    telemetry::init(&config);
    match cli.command {
        Command::Schema => unreachable!("handled above"),
        Command::Migrate => {
            let db = db::connect(&config.database).await?;
            app::prepare(&db).await?;
            println!("数据库已是最新结构，内置目录已载入。");
        }
        Command::Serve => {
            let db = db::connect(&config.database).await?;
            let running = app::spawn(config, db).await?;
            println!("Touming 已启动：http://{}", running.addr);
            app::termination().await;
            running.stop().await;
        }
        Command::Work => {
            let db = db::connect(&config.database).await?;
            app::prepare(&db).await?;
            let state = app::build_state(config, db).await?;
            let (stop, signal) = watch::channel(false);
            let worker = tokio::spawn(app::worker(&state).run(signal));
            app::termination().await;
            let _ = stop.send(true);
            worker.await?;
        }
        Command::Demo { .. } => {
            let db = db::connect(&config.database).await?;
            // Seeded before the first request is answered, so nobody signs in to an
            // empty province; the banner says it is usable.
            let (running, seeded) =
                app::spawn_after(config, db, |state| async move { demo::seed(&state).await })
                    .await?;
            print_banner(&running, &seeded);
            app::termination().await;
            running.stop().await;
        }
        Command::Bench {
            provinces,
            cities,
            counties_per_city,
            institutions_per_county,
            items,
            submissions,
            rate,
            comparisons,
            load_seconds,
            load_users,
            think_ms,
            ..
        } => {
            let db = db::connect(&config.database).await?;
            app::prepare(&db).await?;
            let backend = format!("{:?}", db.get_database_backend());
            let state = app::build_state(config, db).await?;
            let queue = if state.redis.is_some() {
                "Redis Streams"
            } else {
                "in-process"
            };
            let size = bench::Size {
                provinces,
                cities,
                counties_per_city,
                institutions_per_county,
                items,
            };
            let measure = bench::Measure {
                submissions,
                per_second: rate,
                comparisons,
                crowd: bench::Crowd {
                    users: load_users,
                    seconds: load_seconds,
                    think_ms,
                },
            };
            let report = bench::run(&state, size, measure).await?;
            bench::report::print(&backend, queue, think_ms, &report);
        }
        Command::CreateOperator { username, password } => {
            create_operator(config, username, password).await?
        }
        Command::CreateProvince {
            code,
            name,
            admin_username,
            admin_password,
        } => {
            let db = db::connect(&config.database).await?;
            app::prepare(&db).await?;
            let state = app::build_state(config, db).await?;
            let operator = Actor {
                id: None,
                name: Some("platform-operator".into()),
                ip: None,
            };
            let new = orgs::NewOrg {
                kind: OrgKind::Province,
                code,
                name,
            };
            let province = orgs::create(&state.db, &operator, None, new).await?;
            let admin = users::NewUser {
                username: admin_username,
                display_name: format!("{}管理员", province.name),
                roles: vec![Role::Admin],
                password: admin_password,
            };
            let admin = users::create(&state, &operator, &province, admin).await?;
            println!(
                "已创建 {}（{}），管理员 {}",
                province.name, province.code, admin.username
            );
        }
    }
    Ok(())
}

async fn create_operator(config: Config, username: String, password: String) -> anyhow::Result<()> {
    let db = db::connect(&config.database).await?;
    app::prepare(&db).await?;
    let state = app::build_state(config, db).await?;
    let platform = orgs::ensure_platform(&state.db).await?;
    let operator = Actor {
        name: Some("platform-operator".into()),
        ..Actor::default()
    };
    let new = users::NewUser {
        username,
        display_name: "平台运营管理员".into(),
        roles: vec![Role::Admin],
        password,
    };
    let user = users::create(&state, &operator, &platform, new).await?;
    println!("已创建平台运营账号 {}", user.username);
    Ok(())
}

/// A fresh SQLite file in `data_dir`: the demo always starts from the same state.
fn demo_database(data_dir: &std::path::Path) -> anyhow::Result<String> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let file = data_dir.join("touming.db");
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", file.display()));
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    let evidence = data_dir.join("evidence");
    if evidence.exists() {
        std::fs::remove_dir_all(&evidence)
            .with_context(|| format!("removing {}", evidence.display()))?;
    }
    Ok(format!("sqlite://{}?mode=rwc", file.display()))
}

fn print_banner(running: &app::Running, seeded: &demo::Seeded) {
    println!();
    println!("透明 Touming 演示环境已启动：http://{}", running.addr);
    println!("GraphQL：http://{}/graphql", running.addr);
    println!(
        "演示数据：辽宁省，{} 个机构（其中医疗卫生机构 {} 个）",
        seeded.orgs, seeded.institutions
    );
    println!(
        "考核轮次：{}（进行中，{} 份填报表）",
        seeded.round.0, seeded.round.1
    );
    println!("演示账号（密码均为 {}）：", demo::DEMO_PASSWORD);
    for account in &seeded.accounts {
        println!(
            "  {:<28} {}  {}",
            account.username,
            account.role.label(),
            account.org_name
        );
    }
    println!("按 Ctrl-C 停止。");
}
