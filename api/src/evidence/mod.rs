//! Evidence files (佐证材料): uploaded per checklist item, type judged from the content,
//! kept in an object store — a local directory in the embedded default, S3-compatible
//! storage in production — and served only through the tenancy guard.

use std::sync::Arc;

use chrono::Utc;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use touming_store::entity::{assignment, evidence_file, org};

use crate::audit::{self, Entry};
use crate::config::EvidenceConfig;
use crate::error::{ApiError, ApiResult};
use crate::tenancy::Guard;

/// The file types accepted as evidence, by what their bytes say they are.
const ACCEPTED: &[(&str, &str)] = &[
    ("application/pdf", "PDF"),
    ("image/jpeg", "JPEG 图片"),
    ("image/png", "PNG 图片"),
    ("image/gif", "GIF 图片"),
    ("image/webp", "WebP 图片"),
    ("image/bmp", "BMP 图片"),
    ("application/msword", "Word 文档"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word 文档",
    ),
    ("application/vnd.ms-excel", "Excel 表格"),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel 表格",
    ),
    ("application/vnd.ms-powerpoint", "PowerPoint 演示文稿"),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint 演示文稿",
    ),
    (
        "application/vnd.oasis.opendocument.text",
        "OpenDocument 文本",
    ),
    (
        "application/vnd.oasis.opendocument.spreadsheet",
        "OpenDocument 表格",
    ),
];

#[derive(Clone, Debug)]
pub struct EvidenceStore {
    store: Arc<dyn ObjectStore>,
    max_bytes: u64,
}

impl EvidenceStore {
    pub fn from_config(config: &EvidenceConfig) -> anyhow::Result<Self> {
        let store: Arc<dyn ObjectStore> = if config.store.starts_with("s3://") {
            Arc::new(
                AmazonS3Builder::from_env()
                    .with_url(&config.store)
                    .build()?,
            )
        } else {
            std::fs::create_dir_all(&config.store)?;
            Arc::new(LocalFileSystem::new_with_prefix(&config.store)?)
        };
        Ok(Self {
            store,
            max_bytes: config.max_file_mb * 1024 * 1024,
        })
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    pub async fn get(&self, key: &str) -> ApiResult<bytes::Bytes> {
        let path = Path::parse(key).map_err(ApiError::internal)?;
        let result = self.store.get(&path).await.map_err(ApiError::internal)?;
        result.bytes().await.map_err(ApiError::internal)
    }

    async fn put(&self, key: &str, bytes: Vec<u8>) -> ApiResult<()> {
        let path = Path::parse(key).map_err(ApiError::internal)?;
        self.store
            .put(&path, PutPayload::from(bytes))
            .await
            .map_err(ApiError::internal)?;
        Ok(())
    }
}

/// What the bytes are, if they are an accepted kind: (MIME type, label).
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let kind = infer::get(bytes)?;
    ACCEPTED
        .iter()
        .copied()
        .find(|(mime, _)| *mime == kind.mime_type())
}

/// A file sent for one item of a checklist.
pub struct Upload {
    pub item_code: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Stores an evidence file for one item of a checklist the caller fills in.
pub async fn upload(
    db: &DatabaseConnection,
    round_items: &touming_store::catalogue::RoundItems,
    store: &EvidenceStore,
    guard: &Guard<'_>,
    assignment: &assignment::Model,
    org: &org::Model,
    upload: Upload,
) -> ApiResult<evidence_file::Model> {
    let item_code = upload.item_code.as_str();
    guard.require_filler_of(org)?;
    let editable = assignment.status.save().is_ok();
    if !editable {
        return Err(ApiError::field(
            "assignmentId",
            "已提交的填报表不能再上传佐证",
        ));
    }
    let items = round_items.of(db, assignment.version_id).await?;
    if !items.iter().any(|i| i.code == item_code) {
        return Err(ApiError::field(
            "itemCode",
            format!("目录中没有事项 {item_code}"),
        ));
    }
    let name: String = upload.file_name.trim().chars().take(200).collect();
    if upload.bytes.is_empty() {
        return Err(ApiError::field("file", "文件为空"));
    }
    if upload.bytes.len() as u64 > store.max_bytes {
        return Err(ApiError::field(
            "file",
            format!("文件过大，上限为 {} MB", store.max_bytes / 1024 / 1024),
        ));
    }
    let Some((content_type, _)) = sniff(&upload.bytes) else {
        let seen = infer::get(&upload.bytes)
            .map_or("未知类型".to_owned(), |k| k.mime_type().to_owned());
        return Err(ApiError::field(
            "file",
            format!("“{name}”按内容识别为 {seen}，只接受 PDF、图片和 Office 文档"),
        ));
    };
    let mut random = [0u8; 12];
    rand::rng().fill_bytes(&mut random);
    let key = format!("assignments/{}/{}", assignment.id, hex::encode(random));
    let sha256 = hex::encode(Sha256::digest(&upload.bytes));
    let size = upload.bytes.len() as i64;
    // The bytes go first: a row never points at a missing object. An object left by a
    // failed insert is unreachable and harmless.
    store.put(&key, upload.bytes).await?;
    let txn = db.begin().await?;
    let file = evidence_file::ActiveModel {
        id: NotSet,
        assignment_id: Set(assignment.id),
        item_code: Set(item_code.to_owned()),
        file_name: Set(name),
        content_type: Set(content_type.to_owned()),
        size: Set(size),
        sha256: Set(sha256),
        storage_key: Set(key),
        created_at: Set(Utc::now()),
        created_by: Set(Some(guard.viewer().user.id)),
    }
    .insert(&txn)
    .await?;
    assignment::Entity::update_many()
        .col_expr(assignment::Column::ScoreStale, Expr::value(true))
        .filter(assignment::Column::Id.eq(assignment.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        &guard.viewer().actor(),
        Entry {
            action: "evidence.upload",
            entity: "evidence_file",
            entity_id: Some(file.id),
            org: Some(org),
            before: None,
            after: Some(json!({
                "assignmentId": assignment.id,
                "itemCode": file.item_code,
                "fileName": file.file_name,
                "contentType": file.content_type,
                "size": file.size,
                "sha256": file.sha256,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(file)
}

/// An evidence file, if the caller may see its checklist.
pub async fn find(
    db: &DatabaseConnection,
    guard: &Guard<'_>,
    id: i64,
) -> ApiResult<evidence_file::Model> {
    let file = evidence_file::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("佐证文件"))?;
    guard
        .assignment(db, file.assignment_id)
        .await
        .map_err(|_| ApiError::NotFound("佐证文件"))?;
    Ok(file)
}

pub async fn of_assignment(
    db: &DatabaseConnection,
    assignment_id: i64,
) -> ApiResult<Vec<evidence_file::Model>> {
    Ok(evidence_file::Entity::find()
        .filter(evidence_file::Column::AssignmentId.eq(assignment_id))
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_judged_by_content() {
        assert_eq!(
            sniff(b"%PDF-1.7\n%....").map(|t| t.0),
            Some("application/pdf")
        );
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]).map(|t| t.0),
            Some("image/png")
        );
        // A Windows executable stays one whatever it is called.
        assert_eq!(
            sniff(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
            None
        );
        assert_eq!(sniff(b"just some text"), None);
    }
}
