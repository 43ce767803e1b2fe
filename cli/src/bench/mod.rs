//! `touming bench`: generates provinces of a given size with every checklist answered
//! and submitted, then measures a full rescore and roll-up of each province's round
//! and, optionally, the freshness of a province's figure while checklists are being
//! submitted. Results are for docs/benchmarks.md; the command is what anyone reruns.

mod comparison;
mod freshness;
mod generate;
mod load;
pub mod report;

use std::time::Instant;

pub use comparison::ComparisonTiming;
pub use freshness::Freshness;
pub use load::{Crowd, Observed};

use touming_api::state::AppState;

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
    pub assignments: usize,
    pub answers: usize,
    pub setup_seconds: f64,
    /// All provinces' rounds rescored one after another.
    pub rescore_seconds: f64,
    pub peak_rss_mb: Option<f64>,
    pub freshness: Option<Freshness>,
    pub comparisons: Vec<ComparisonTiming>,
    pub load: Vec<Observed>,
}

/// What to measure after the full rescore; a zero skips that measurement.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    /// Submissions to time from commit to the province's figure, and how fast they come.
    pub submissions: usize,
    pub per_second: f64,
    /// Comparison page queries to time, per region.
    pub comparisons: usize,
    /// The load test; `seconds` 0 skips it.
    pub crowd: Crowd,
}

/// The value below which `p` percent of `sorted` lie (nearest rank).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn run(state: &AppState, size: Size, measure: Measure) -> anyhow::Result<Report> {
    let started = Instant::now();
    let country = generate::country(state, size).await?;
    let setup_seconds = started.elapsed().as_secs_f64();
    tracing::info!(
        assignments = country.assignments,
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

    let first = &country.provinces[0];
    let freshness = match measure.submissions {
        0 => None,
        n => Some(freshness::measure(state, first, n, measure.per_second).await?),
    };
    let comparisons = match measure.comparisons {
        0 => Vec::new(),
        n => comparison::measure(state, first, n).await?,
    };
    let load = match measure.crowd.seconds {
        0 => Vec::new(),
        _ => load::run(state, first, measure.crowd).await?,
    };
    Ok(Report {
        provinces: country.provinces.len(),
        orgs: country.orgs,
        assignments: country.assignments,
        answers: country.answers,
        setup_seconds,
        rescore_seconds,
        peak_rss_mb,
        freshness,
        comparisons,
        load,
    })
}
