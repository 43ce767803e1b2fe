//! `touming bench`: generates provinces of a given size with every checklist answered
//! and submitted, then measures a full rescore and roll-up of each province's round
//! and, optionally, the freshness of a province's figure while checklists are being
//! submitted. Results are for docs/benchmarks.md; the command is what anyone reruns.

mod freshness;
mod generate;

use std::time::Instant;

pub use freshness::Freshness;

use crate::state::AppState;

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub provinces: usize,
    pub cities: usize,
    pub counties_per_city: usize,
    pub institutions_per_county: usize,
    pub items: usize,
}

#[derive(Debug)]
pub struct Report {
    pub provinces: usize,
    pub orgs: usize,
    pub checklists: usize,
    pub answers: usize,
    pub setup_seconds: f64,
    /// All provinces' rounds rescored one after another.
    pub rescore_seconds: f64,
    pub peak_rss_mb: Option<f64>,
    pub freshness: Option<Freshness>,
}

/// How many submissions to time, and how fast they come.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub submissions: usize,
    pub per_second: f64,
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn run(state: &AppState, size: Size, load: Option<Load>) -> anyhow::Result<Report> {
    let started = Instant::now();
    let country = generate::country(state, size).await?;
    let setup_seconds = started.elapsed().as_secs_f64();
    tracing::info!(
        checklists = country.checklists,
        answers = country.answers,
        setup_seconds,
        "generated"
    );

    let scorer = touming_worker::scoring::Scorer::new(state.db.clone());
    let timer = Instant::now();
    for province in &country.provinces {
        scorer
            .rescore_round(province.round.id)
            .await
            .map_err(|e| anyhow::anyhow!("rescore: {e}"))?;
    }
    let rescore_seconds = timer.elapsed().as_secs_f64();
    let peak_rss_mb = peak_rss_mb();

    let freshness = match load {
        Some(load) => Some(
            freshness::measure(
                state,
                &country.provinces[0],
                load.submissions,
                load.per_second,
            )
            .await?,
        ),
        None => None,
    };
    Ok(Report {
        provinces: country.provinces.len(),
        orgs: country.orgs,
        checklists: country.checklists,
        answers: country.answers,
        setup_seconds,
        rescore_seconds,
        peak_rss_mb,
        freshness,
    })
}
