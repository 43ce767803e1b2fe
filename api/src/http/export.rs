//! Spreadsheet downloads, with the same session and tenancy as the API.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::App;
use super::auth::error_response;
use super::client::{client_ip, require_viewer};
use crate::catalogue::{export, store};
use crate::error::{ApiError, ApiResult};
use crate::tenancy::Guard;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `GET /export/catalogue-versions/{id}.xlsx`
pub async fn catalogue_version(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    match catalogue_version_xlsx(&app, peer, &headers, &file).await {
        Ok(response) => response,
        Err(e) => error_response(e),
    }
}

async fn catalogue_version_xlsx(
    app: &App,
    peer: SocketAddr,
    headers: &HeaderMap,
    file: &str,
) -> ApiResult<Response> {
    let state = &app.state;
    let viewer = require_viewer(
        state,
        headers,
        client_ip(headers, peer, state.config.trust_forwarded_for),
    )
    .await?;
    let id = file
        .strip_suffix(".xlsx")
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or(ApiError::NotFound("目录版本"))?;
    let (catalogue, version) = Guard::new(&viewer).catalogue_version(&state.db, id).await?;
    let items = store::items(&state.db, version.id).await?;
    let title = format!("{}（{}）", catalogue.title, version.label);
    let bytes = tokio::task::spawn_blocking({
        let title = title.clone();
        move || export::to_xlsx(&title, &items)
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    Ok((
        [
            (CONTENT_TYPE, XLSX.to_owned()),
            (
                CONTENT_DISPOSITION,
                attachment(&format!("{title}.xlsx"), &format!("catalogue-{id}.xlsx")),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /evidence/{id}`: an evidence file, if the caller may see its checklist.
pub async fn evidence(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let state = &app.state;
    let result: ApiResult<Response> = async {
        let viewer = require_viewer(
            state,
            &headers,
            client_ip(&headers, peer, state.config.trust_forwarded_for),
        )
        .await?;
        let id = id
            .parse::<i64>()
            .map_err(|_| ApiError::NotFound("佐证文件"))?;
        let file = crate::evidence::find(&state.db, &Guard::new(&viewer), id).await?;
        let bytes = state.evidence.get(&file.storage_key).await?;
        Ok((
            [
                (CONTENT_TYPE, file.content_type.clone()),
                (
                    CONTENT_DISPOSITION,
                    attachment(&file.file_name, &format!("evidence-{id}")),
                ),
            ],
            bytes,
        )
            .into_response())
    }
    .await;
    result.unwrap_or_else(error_response)
}

/// `Content-Disposition` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987).
pub fn attachment(name: &str, fallback: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn chinese_file_names_are_percent_encoded() {
        assert_eq!(
            super::attachment("目录.xlsx", "c-1.xlsx"),
            "attachment; filename=\"c-1.xlsx\"; filename*=UTF-8''%E7%9B%AE%E5%BD%95.xlsx"
        );
    }
}
