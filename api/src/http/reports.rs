//! Spreadsheet downloads of comparisons, checklists and rectification lists, with the
//! same session and tenancy guard as the API.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use touming_domain::OrgKind;
use touming_domain::scoring::AssignmentScore;
use touming_store::entity::{org, rectification, round, score};
use touming_worker::clock::today_in_china;

use super::App;
use super::auth::error_response;
use super::client::{client_ip, require_viewer};
use super::export::attachment;
use crate::auth::Viewer;
use crate::comparison;
use crate::error::{ApiError, ApiResult};
use crate::graphql::scalars::parse_id;
use crate::reports;
use crate::tenancy::Guard;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Rows in one rectification list download.
const MAX_RECTIFICATIONS: u64 = 100_000;

/// `{id}.xlsx` → id, or NOT_FOUND.
fn id_of(file: &str, what: &'static str) -> ApiResult<i64> {
    file.strip_suffix(".xlsx")
        .and_then(|id| id.parse().ok())
        .ok_or(ApiError::NotFound(what))
}

fn round_id(s: &str) -> ApiResult<i64> {
    s.parse().map_err(|_| ApiError::NotFound("考核轮次"))
}

/// Authenticates, runs `make` and sends its workbook as `name.xlsx`.
async fn download<F, Fut>(
    app: &App,
    peer: SocketAddr,
    headers: &HeaderMap,
    fallback: String,
    make: F,
) -> Response
where
    F: FnOnce(Viewer) -> Fut,
    Fut: Future<Output = ApiResult<(String, Vec<u8>)>>,
{
    let state = &app.state;
    let result = async {
        let viewer = require_viewer(
            state,
            headers,
            client_ip(headers, peer, state.config.trust_forwarded_for),
        )
        .await?;
        let (name, bytes) = make(viewer).await?;
        Ok::<_, ApiError>(
            (
                [
                    (CONTENT_TYPE, XLSX.to_owned()),
                    (
                        CONTENT_DISPOSITION,
                        attachment(&format!("{name}.xlsx"), &fallback),
                    ),
                ],
                bytes,
            )
                .into_response(),
        )
    }
    .await;
    result.unwrap_or_else(error_response)
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, rust_xlsxwriter::XlsxError> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

fn level_name(kind: Option<OrgKind>) -> &'static str {
    match kind {
        Some(OrgKind::City) => "市",
        Some(OrgKind::County) => "县（区）",
        Some(OrgKind::Institution) => "医疗卫生机构",
        _ => "下级",
    }
}

/// The view a comparison page shows, so its download is what the page shows.
#[derive(Deserialize, Default)]
pub struct ComparisonView {
    /// Every org of this kind below the parent (`COUNTY`: a province's counties)
    /// instead of its direct children.
    kind: Option<String>,
    /// A `ComparisonSort` name; `RANK` when absent.
    sort: Option<String>,
    descending: Option<bool>,
}

impl ComparisonView {
    fn read(&self) -> ApiResult<(Option<OrgKind>, comparison::SortKey, bool)> {
        let kind = self
            .kind
            .as_deref()
            .map(|k| k.parse::<OrgKind>().map_err(|m| ApiError::field("kind", m)))
            .transpose()?;
        let sort = self
            .sort
            .as_deref()
            .map(|s| {
                s.parse()
                    .map_err(|_| ApiError::field("sort", format!("未知排序方式：{s}")))
            })
            .transpose()?
            .unwrap_or_default();
        Ok((kind, sort, self.descending.unwrap_or(false)))
    }
}

/// `GET /export/rounds/{round}/comparison/{parent}.xlsx[?kind=&sort=&descending=]`: the
/// rows the page shows, in its order; when they are the parent's child regions, their
/// own children on a second sheet.
pub async fn comparison(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((round, file)): Path<(String, String)>,
    Query(view): Query<ComparisonView>,
) -> Response {
    let db = app.state.db.clone();
    let fallback = format!("comparison-{round}-{file}");
    download(&app, peer, &headers, fallback, |viewer| async move {
        let (kind, sort, descending) = view.read()?;
        let guard = Guard::new(&viewer);
        let rounds = comparison::round_and_previous(&db, &guard, round_id(&round)?).await?;
        let round: round::Model = rounds.0.clone();
        let parent = guard.org(&db, id_of(&file, "机构")?).await?;
        let mut top = comparison::load(&db, &guard, rounds.clone(), parent.clone(), kind).await?;
        top.sort_and_filter(sort, descending, &comparison::Filter::default());
        let child_kind = top.rows.first().map(|r| r.figure.org.kind());
        let mut below = Vec::new();
        let mut regions = None;
        if kind.is_some() {
            // Rows from anywhere below: name each one's region (one statement).
            let ids: Vec<i64> = top
                .rows
                .iter()
                .filter_map(|r| r.figure.org.parent_id)
                .collect();
            let mut names = HashMap::new();
            for chunk in ids.chunks(900) {
                for o in guard
                    .orgs()
                    .filter(org::Column::Id.is_in(chunk.to_vec()))
                    .all(&db)
                    .await?
                {
                    names.insert(o.id, o.name);
                }
            }
            regions = Some(names);
        } else if child_kind.is_some_and(|k| k != OrgKind::Institution) {
            // A bounded fan-out (a province has tens of cities), not a per-row query
            // of an API page.
            for row in &top.rows {
                let mut c =
                    comparison::load(&db, &guard, rounds.clone(), row.figure.org.clone(), None)
                        .await?;
                c.sort_and_filter(sort, descending, &comparison::Filter::default());
                below.push(c);
            }
        }
        let grandchild_kind = below
            .iter()
            .find_map(|c| c.rows.first().map(|r| r.figure.org.kind()));
        let what = if kind.is_some() { "全部" } else { "下级" };
        let name = format!(
            "{}·{}·{what}{}对比",
            round.title,
            parent.name,
            level_name(child_kind)
        );
        let bytes = blocking(move || {
            reports::comparison_xlsx(reports::ComparisonSheets {
                top: &top,
                top_regions: regions.as_ref(),
                below: &below,
                level_names: (level_name(child_kind), level_name(grandchild_kind)),
            })
        })
        .await?;
        Ok((name, bytes))
    })
    .await
}

/// `GET /export/assignments/{id}.xlsx`: a checklist's scores with every item's reason.
pub async fn assignment(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let db = app.state.db.clone();
    let fallback = format!("checklist-{file}");
    download(&app, peer, &headers, fallback, |viewer| async move {
        let guard = Guard::new(&viewer);
        let (assignment, owner) = guard.assignment(&db, id_of(&file, "填报表")?).await?;
        let round = guard.round(&db, assignment.round_id).await?;
        let row = score::Entity::find_by_id(assignment.id)
            .one(&db)
            .await?
            .ok_or(ApiError::NotFound("评分结果"))?;
        let detail: AssignmentScore =
            serde_json::from_str(&row.detail).map_err(ApiError::internal)?;
        let name = format!("{}·{}·评分明细", round.title, owner.name);
        let title = format!("{}（{}）", owner.name, round.title);
        let bytes = blocking(move || reports::assignment_xlsx(&title, &detail)).await?;
        Ok((name, bytes))
    })
    .await
}

#[derive(Deserialize)]
pub struct RectificationFilter {
    /// Only entries owned in this org's subtree.
    org: Option<String>,
    /// Only entries of items whose code starts with it or whose title contains it, as
    /// the list's `search`.
    search: Option<String>,
}

/// `GET /export/rounds/{round}/rectifications.xlsx[?org=ID&search=]`
pub async fn rectifications(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(round): Path<String>,
    Query(filter): Query<RectificationFilter>,
) -> Response {
    let db = app.state.db.clone();
    let fallback = format!("rectifications-{round}.xlsx");
    download(&app, peer, &headers, fallback, |viewer| async move {
        let guard = Guard::new(&viewer);
        let round = guard.round(&db, round_id(&round)?).await?;
        let mut select = guard
            .rectifications()
            .filter(rectification::Column::RoundId.eq(round.id));
        if let Some(org) = filter.org {
            let id = parse_id(&async_graphql::ID(org), "机构")?;
            let org = guard.org(&db, id).await?;
            let (lo, hi) = org.org_path().subtree_range();
            select = select
                .filter(rectification::Column::OwnerPath.gte(lo))
                .filter(rectification::Column::OwnerPath.lt(hi));
        }
        if let Some(term) = crate::graphql::search::term(filter.search)? {
            select = select.filter(crate::graphql::rectifications::item_matches(&term));
        }
        use sea_orm::{PaginatorTrait, QuerySelect};
        if select.clone().count(&db).await? > MAX_RECTIFICATIONS {
            return Err(ApiError::field("org", "整改事项过多，请按地区分别导出"));
        }
        let entries = select
            .order_by_asc(rectification::Column::OwnerPath)
            .order_by_asc(rectification::Column::Id)
            .limit(MAX_RECTIFICATIONS)
            .all(&db)
            .await?;
        let mut owner_ids: Vec<i64> = entries.iter().map(|e| e.owner_org_id).collect();
        owner_ids.dedup();
        let mut owners: HashMap<i64, (String, String)> = HashMap::new();
        for chunk in owner_ids.chunks(900) {
            for o in guard
                .orgs()
                .filter(org::Column::Id.is_in(chunk.to_vec()))
                .all(&db)
                .await?
            {
                owners.insert(o.id, (o.name, o.code));
            }
        }
        let rows = entries
            .into_iter()
            .map(|e| {
                let (name, code) = owners.get(&e.owner_org_id).cloned().unwrap_or_default();
                let evidence = touming_store::rectification::fix_evidence(&e)?;
                Ok(reports::RectificationRow {
                    entry: e,
                    owner_name: name,
                    owner_code: code,
                    evidence,
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let name = format!("{}·整改清单", round.title);
        let today = today_in_china();
        let bytes = blocking(move || reports::rectifications_xlsx(&rows, today)).await?;
        Ok((name, bytes))
    })
    .await
}
