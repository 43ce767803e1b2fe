//! The load test: many people at once against a served instance over HTTP, driven by
//! wrk — half of them fillers autosaving their own checklist, half provincial staff
//! reading comparisons, each kind from its own wrk process so each gets its own latency
//! figures. wrk runs one connection per thread, so a connection is one person and each
//! autosave carries the version that person's last save returned.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use touming_domain::assessment::AssignmentStatus;
use touming_domain::{OrgKind, Role};
use touming_store::entity::{assignment, org};
use touming_store::stored;

use super::comparison::PAGE_QUERY;
use super::generate::Province;
use touming_api::audit::Actor;
use touming_api::state::AppState;
use touming_api::users::{self, NewUser};

const SAVE_QUERY: &str = "mutation($a: ID!, $v: Int!, $x: [AnswerInput!]!) { \
    saveAnswers(assignmentId: $a, expectedVersion: $v, answers: $x) { version } }";

/// What one kind of user saw.
#[derive(Debug)]
pub struct Observed {
    pub kind: &'static str,
    pub users: usize,
    pub requests: u64,
    pub per_second: f64,
    /// GraphQL errors and non-200 answers.
    pub errors: u64,
    /// Connect, read, write errors and timeouts.
    pub socket_errors: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// The first error's body, to say what went wrong.
    pub first_error: Option<String>,
}

/// A person: their session token and what they work on.
enum Person {
    Filler {
        token: String,
        assignment_id: i64,
        version: i32,
    },
    Reader {
        token: String,
        region_id: i64,
        /// `childKind`: "null" for the direct children.
        child_kind: &'static str,
    },
}

/// How many people, for how long, and how long each waits between requests.
#[derive(Debug, Clone, Copy)]
pub struct Crowd {
    pub users: usize,
    pub seconds: u64,
    pub think_ms: u64,
}

pub async fn run(
    state: &AppState,
    province: &Province,
    crowd: Crowd,
) -> anyhow::Result<Vec<Observed>> {
    let users = crowd.users;
    anyhow::ensure!(users >= 2, "--load-users must be at least 2");
    let mut config = (*state.config).clone();
    config.listen = "127.0.0.1:0".into();
    let running = touming_api::app::spawn(config, state.db.clone()).await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    // With Redis the server leaves scoring to a worker process; run one beside it.
    let worker = running
        .state
        .redis
        .is_some()
        .then(|| tokio::spawn(touming_api::app::worker(&running.state).run(stopped)));

    let fillers = fillers(state, province, users / 2).await?;
    let readers = readers(state, province, users - users / 2).await?;
    let dir = std::env::temp_dir().join(format!("touming-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("http://{}/graphql", running.addr);
    let round = province.round.id;
    let (saves, reads) = tokio::join!(
        wrk(&dir, "autosave", &fillers, round, &url, crowd),
        wrk(&dir, "comparison", &readers, round, &url, crowd),
    );
    let _ = stop.send(true);
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    running.stop().await;
    Ok(vec![saves?, reads?])
}

/// `n` institutions' checklists put back to draft, each with a filler signed in.
async fn fillers(state: &AppState, province: &Province, n: usize) -> anyhow::Result<Vec<Person>> {
    let db = &state.db;
    let chosen: Vec<(i64, i64)> = assignment::Entity::find()
        .select_only()
        .columns([assignment::Column::Id, assignment::Column::OrgId])
        .filter(assignment::Column::RoundId.eq(province.round.id))
        .filter(
            assignment::Column::OrgId.in_subquery(
                Query::select()
                    .column(org::Column::Id)
                    .from(org::Entity)
                    .and_where(org::Column::Kind.eq(stored(OrgKind::Institution)))
                    .to_owned(),
            ),
        )
        .order_by_asc(assignment::Column::Id)
        .limit(n as u64)
        .into_tuple()
        .all(db)
        .await?;
    anyhow::ensure!(
        chosen.len() == n,
        "only {} checklists to fill",
        chosen.len()
    );
    let ids: Vec<i64> = chosen.iter().map(|c| c.0).collect();
    assignment::Entity::update_many()
        .col_expr(
            assignment::Column::Status,
            Expr::value(stored(AssignmentStatus::Draft)),
        )
        .col_expr(
            assignment::Column::SubmittedAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .filter(assignment::Column::Id.is_in(ids.clone()))
        .exec(db)
        .await?;
    let orgs = org::Entity::find()
        .filter(org::Column::Id.is_in(chosen.iter().map(|c| c.1)))
        .all(db)
        .await?;
    let versions: Vec<(i64, i32)> = assignment::Entity::find()
        .select_only()
        .columns([assignment::Column::Id, assignment::Column::Version])
        .filter(assignment::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    let mut people = Vec::new();
    for (assignment_id, org_id) in chosen {
        let org = orgs
            .iter()
            .find(|o| o.id == org_id)
            .ok_or_else(|| anyhow::anyhow!("org {org_id}"))?;
        let token = person(
            state,
            org,
            format!("bench-filler-{assignment_id}"),
            Role::Filler,
        )
        .await?;
        let version = versions
            .iter()
            .find(|v| v.0 == assignment_id)
            .map_or(1, |v| v.1);
        people.push(Person::Filler {
            token,
            assignment_id,
            version,
        });
    }
    Ok(people)
}

/// `n` provincial reviewers, reading by turns the comparison of all the province's
/// counties, of its cities, and of each city's counties.
async fn readers(state: &AppState, province: &Province, n: usize) -> anyhow::Result<Vec<Person>> {
    let regions: Vec<(i64, &'static str)> =
        [(province.org.id, "\"COUNTY\""), (province.org.id, "null")]
            .into_iter()
            .chain(province.cities.iter().map(|c| (c.id, "null")))
            .collect();
    let mut people = Vec::new();
    for i in 0..n {
        let username = format!("bench-reader-{}-{i}", province.org.code);
        let token = person(state, &province.org, username, Role::Reviewer).await?;
        let (region_id, child_kind) = regions[i % regions.len()];
        people.push(Person::Reader {
            token,
            region_id,
            child_kind,
        });
    }
    Ok(people)
}

/// A new account at `org` with a session; returns the session's token.
async fn person(
    state: &AppState,
    org: &org::Model,
    username: String,
    role: Role,
) -> anyhow::Result<String> {
    let actor = Actor {
        name: Some("touming-bench".into()),
        ..Actor::default()
    };
    let new = NewUser {
        username,
        display_name: "压测用户".into(),
        roles: vec![role],
        password: "Bench#2025touming".into(),
    };
    let user = users::create(state, &actor, org, new).await?;
    let started =
        touming_api::auth::session::start(&state.db, user.id, None, &state.config.auth).await?;
    Ok(started.token)
}

/// Runs one wrk process for `people` (one thread and one connection each) and reads the
/// figures its script prints at the end.
async fn wrk(
    dir: &Path,
    kind: &'static str,
    people: &[Person],
    round: i64,
    url: &str,
    crowd: Crowd,
) -> anyhow::Result<Observed> {
    let script = dir.join(format!("{kind}.lua"));
    std::fs::write(&script, lua(people, round, crowd.think_ms)?)?;
    let n = people.len().to_string();
    let output = tokio::process::Command::new("wrk")
        .args([
            "-t",
            &n,
            "-c",
            &n,
            "-d",
            &format!("{}s", crowd.seconds),
            "--timeout",
            "10s",
        ])
        .arg("-s")
        .arg(&script)
        .arg(url)
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| anyhow::anyhow!("wrk: {e} (Debian: apt-get install wrk)"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(
        output.status.success(),
        "wrk failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse(kind, people.len(), &stdout)
}

fn parse(kind: &'static str, users: usize, stdout: &str) -> anyhow::Result<Observed> {
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("TOUMING "))
        .ok_or_else(|| anyhow::anyhow!("wrk printed no figures: {stdout}"))?;
    let value = |key: &str| -> anyhow::Result<f64> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
            .ok_or_else(|| anyhow::anyhow!("{key} missing in {line}"))?
            .parse::<f64>()
            .map_err(|e| anyhow::anyhow!("{key}: {e}"))
    };
    let requests = value("requests")?;
    let seconds = Duration::from_micros(value("duration_us")? as u64).as_secs_f64();
    Ok(Observed {
        kind,
        users,
        requests: requests as u64,
        per_second: requests / seconds.max(f64::EPSILON),
        errors: value("errors")? as u64,
        socket_errors: value("socket_errors")? as u64,
        p50_ms: value("p50_us")? / 1000.0,
        p95_ms: value("p95_us")? / 1000.0,
        p99_ms: value("p99_us")? / 1000.0,
        max_ms: value("max_us")? / 1000.0,
        first_error: stdout
            .lines()
            .find_map(|l| l.strip_prefix("TOUMING_FIRST_ERROR "))
            .map(str::to_owned),
    })
}

/// The wrk script: the people as a Lua table, then the request and response logic.
fn lua(people: &[Person], round: i64, think_ms: u64) -> anyhow::Result<String> {
    let mut s = String::from(
        "-- Written by `touming bench`; one person per connection.\nlocal people = {\n",
    );
    for p in people {
        match p {
            Person::Filler {
                token,
                assignment_id,
                version,
            } => writeln!(
                s,
                "  {{kind = \"save\", token = \"{token}\", assignment = \"{assignment_id}\", version = {version}}},"
            )?,
            Person::Reader {
                token,
                region_id,
                child_kind,
            } => writeln!(
                s,
                "  {{kind = \"read\", token = \"{token}\", region = \"{region_id}\", child_kind = [[{child_kind}]]}},"
            )?,
        }
    }
    s.push_str("}\n");
    writeln!(s, "local round = \"{round}\"")?;
    writeln!(s, "local think_ms = {think_ms}")?;
    writeln!(
        s,
        "local save_query = [==[{}]==]",
        serde_json::to_string(SAVE_QUERY)?
    )?;
    writeln!(
        s,
        "local read_query = [==[{}]==]",
        serde_json::to_string(PAGE_QUERY)?
    )?;
    s.push_str(SCRIPT);
    Ok(s)
}

/// `save_query` and `read_query` are JSON string literals. Three items per autosave,
/// switching between 已公开 and 部分公开 so every save changes the checklist.
const SCRIPT: &str = r#"
local threads = {}
local assigned = 0

function setup(thread)
  assigned = assigned + 1
  thread:set("me", assigned)
  table.insert(threads, thread)
end

function init(args)
  person = people[me]
  n, errors, first_error = 0, 0, ""
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. person.token}
end

local function answer(code, status)
  return string.format('{"itemCode":"%s","status":"%s","formedOn":"2025-03-03","publishedOn":"2025-03-17","channels":["WEBSITE","NEW_MEDIA"]}', code, status)
end

function request()
  n = n + 1
  local body
  if person.kind == "save" then
    local status = (n % 2 == 0) and "PARTIAL" or "DISCLOSED"
    body = string.format('{"query":%s,"variables":{"a":"%s","v":%d,"x":[%s,%s,%s]}}',
      save_query, person.assignment, person.version,
      answer("0002", status), answer("0003", status), answer("0004", status))
  else
    body = string.format('{"query":%s,"variables":{"r":"%s","p":"%s","k":%s}}', read_query, round, person.region, person.child_kind)
  end
  return wrk.format("POST", nil, headers, body)
end

-- A person's pause between requests: think_ms on average, spread ±50% so people
-- drift apart instead of moving in lockstep.
function delay()
  if think_ms == 0 then return 0 end
  return math.random(think_ms / 2, think_ms * 3 / 2)
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    errors = errors + 1
    if first_error == "" then first_error = string.sub(body, 1, 400) end
  end
  if person.kind == "save" then
    local v = string.match(body, '"version":(%d+)')
    if v then person.version = tonumber(v) end
  end
end

function done(summary, latency, requests)
  local errors, first = 0, ""
  for _, t in ipairs(threads) do
    errors = errors + t:get("errors")
    local f = t:get("first_error")
    if first == "" and f ~= "" then first = f end
  end
  local e = summary.errors
  io.write(string.format(
    "TOUMING requests=%d errors=%d socket_errors=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d duration_us=%d\n",
    summary.requests, errors, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, summary.duration))
  if first ~= "" then io.write("TOUMING_FIRST_ERROR " .. first .. "\n") end
end
"#;
