//! Comparison server time: the comparison page's whole query (rows with categories and
//! rectification, heat map, most failed items) executed by the GraphQL schema as the
//! province's admin, timed from request to finished response — what the server spends,
//! without the network.

use std::time::Instant;

use async_graphql::{Request, Variables};
use serde_json::json;

use super::generate::Province;
use super::percentile;
use touming_api::graphql::context::RequestContext;
use touming_api::state::AppState;

/// The same selection the comparison page makes.
pub(super) const PAGE_QUERY: &str = "query($r: ID!, $p: ID!, $k: OrgKind) {
  comparison(roundId: $r, parentId: $p, childKind: $k) {
    previousRoundId
    summary { composite grade coverage { expected submitted } }
    rows { org { id code name } composite grade rank change sharedChange previousComposite
           assignmentId spread { min median max } coverage { expected submitted } categories { name percent }
           rectification { total verified overdue rate } }
    heatMap { categories rows { org { code } cells } }
    failedItems(first: 10) { item { code title } checked failed failureRate }
    sharedItems { shared changed }
  } }";

#[derive(Debug)]
pub struct ComparisonTiming {
    /// What was compared: the region's name and its number of children.
    pub region: String,
    pub children: usize,
    pub requests: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// Times `requests` comparisons of all the province's counties, of its first city's
/// counties and of its cities, one after another after a warm-up.
pub async fn measure(
    state: &AppState,
    province: &Province,
    requests: usize,
) -> anyhow::Result<Vec<ComparisonTiming>> {
    let schema = touming_api::graphql::build(&state.config.graphql, state.metrics.clone());
    let viewer = touming_api::auth::Viewer {
        roles: province.admin.roles(),
        user: province.admin.clone(),
        org: province.org.clone(),
        session_id: 0,
        ip: None,
    };
    let mut out = Vec::new();
    let mut regions = vec![(&province.org, Some("COUNTY"), "全部县")];
    regions.extend(province.cities.first().map(|c| (c, None, "下辖县")));
    regions.push((&province.org, None, "下辖市"));
    for (region, kind, what) in regions {
        let run = |viewer: touming_api::auth::Viewer| {
            let request = Request::new(PAGE_QUERY)
                .variables(Variables::from_json(json!({
                    "r": province.round.id.to_string(),
                    "p": region.id.to_string(),
                    "k": kind,
                })))
                .data(state.clone())
                .data(RequestContext::new(&state.db, Some(viewer), None, false));
            schema.execute(request)
        };
        let warm = run(viewer.clone()).await;
        anyhow::ensure!(warm.errors.is_empty(), "comparison: {:?}", warm.errors);
        let children = warm.data.into_json()?["comparison"]["rows"]
            .as_array()
            .map_or(0, Vec::len);
        let mut times = Vec::with_capacity(requests);
        for _ in 0..requests {
            let started = Instant::now();
            let response = run(viewer.clone()).await;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(response.errors.is_empty(), "{:?}", response.errors);
        }
        times.sort_by(f64::total_cmp);
        out.push(ComparisonTiming {
            region: format!("{} {what}", region.name),
            children,
            requests,
            p50_ms: percentile(&times, 50.0),
            p95_ms: percentile(&times, 95.0),
            p99_ms: percentile(&times, 99.0),
            max_ms: times.last().copied().unwrap_or(f64::NAN),
        });
    }
    Ok(out)
}
