//! Catalogues: reading versions and items, diffs, importing and publishing.

use std::io::Read;

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject, Upload};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use touming_domain::catalogue::{self as domain, DueRule, Item, TimeLimit, VersionStatus};
use touming_store::entity::{catalogue, catalogue_item, catalogue_version, org};

use super::context::ContextExt;
use super::page::{Order, Page, PageArgs, list_complexity, page};
use super::types::OrgKind;
use crate::catalogue::import::{self, Format, MAX_FILE_BYTES};
use crate::catalogue::store::{self, NewVersion, Target};
use crate::error::{ApiError, FieldError};
use crate::graphql::scalars::parse_id;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum CatalogueFormat {
    Xlsx,
    Csv,
    Yaml,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "touming_domain::catalogue::VersionStatus")]
pub enum CatalogueVersionStatus {
    Draft,
    Published,
    Retired,
}

/// 公开渠道和载体: the thirteen carriers of the published catalogue. PRESS, HOTLINE and
/// SERVICE_HALL are the names of the seven-channel vocabulary before 2026-12; they are
/// still accepted as input (as GAZETTE, OTHER and SERVICE_CENTER) and never returned.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Channel {
    /// 政府网站
    Website,
    /// 政府公报
    Gazette,
    /// 两微一端
    NewMedia,
    /// 发布会/听证会
    PressConference,
    /// 广播电视
    Broadcast,
    /// 纸质媒体
    PrintMedia,
    /// 公开查阅点
    ReadingPoint,
    /// 政务服务中心
    ServiceCenter,
    /// 便民服务站
    ServiceStation,
    /// 入户/现场
    OnSite,
    /// 社区/企事业单位/村公示栏（电子屏）
    BulletinBoard,
    /// 精准推送
    TargetedPush,
    /// 其他
    Other,
    #[graphql(
        deprecation = "Use GAZETTE, PRESS_CONFERENCE, BROADCAST or PRINT_MEDIA; read as GAZETTE."
    )]
    Press,
    #[graphql(deprecation = "Use OTHER; read as OTHER.")]
    Hotline,
    #[graphql(
        deprecation = "Use SERVICE_CENTER, READING_POINT or SERVICE_STATION; read as SERVICE_CENTER."
    )]
    ServiceHall,
}

impl From<Channel> for touming_domain::catalogue::Channel {
    fn from(c: Channel) -> Self {
        use touming_domain::catalogue::Channel as D;
        match c {
            Channel::Website => D::Website,
            Channel::Gazette | Channel::Press => D::Gazette,
            Channel::NewMedia => D::NewMedia,
            Channel::PressConference => D::PressConference,
            Channel::Broadcast => D::Broadcast,
            Channel::PrintMedia => D::PrintMedia,
            Channel::ReadingPoint => D::ReadingPoint,
            Channel::ServiceCenter | Channel::ServiceHall => D::ServiceCenter,
            Channel::ServiceStation => D::ServiceStation,
            Channel::OnSite => D::OnSite,
            Channel::BulletinBoard => D::BulletinBoard,
            Channel::TargetedPush => D::TargetedPush,
            Channel::Other | Channel::Hotline => D::Other,
        }
    }
}

impl From<touming_domain::catalogue::Channel> for Channel {
    fn from(c: touming_domain::catalogue::Channel) -> Self {
        use touming_domain::catalogue::Channel as D;
        match c {
            D::Website => Channel::Website,
            D::Gazette => Channel::Gazette,
            D::NewMedia => Channel::NewMedia,
            D::PressConference => Channel::PressConference,
            D::Broadcast => Channel::Broadcast,
            D::PrintMedia => Channel::PrintMedia,
            D::ReadingPoint => Channel::ReadingPoint,
            D::ServiceCenter => Channel::ServiceCenter,
            D::ServiceStation => Channel::ServiceStation,
            D::OnSite => Channel::OnSite,
            D::BulletinBoard => Channel::BulletinBoard,
            D::TargetedPush => Channel::TargetedPush,
            D::Other => Channel::Other,
        }
    }
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum TimeLimitKind {
    None,
    Realtime,
    WorkingDays,
    Periodic,
    Annual,
}

/// A time-limit rule as data.
#[derive(SimpleObject)]
pub struct TimeLimitRule {
    pub kind: TimeLimitKind,
    /// WORKING_DAYS: the number of working days after formation or change.
    pub days: Option<u32>,
    /// PERIODIC: MONTHLY, QUARTERLY or YEARLY.
    pub period: Option<String>,
    /// PERIODIC: due by this day of the following period (null: by its end).
    pub due_day: Option<u32>,
    /// ANNUAL: month and day of the yearly deadline.
    pub month: Option<u32>,
    pub day: Option<u32>,
    /// The rule in words.
    pub text: String,
    /// The machine form (`working_days:20`, `monthly`, `annual:01-31`).
    pub code: String,
}

impl From<TimeLimit> for TimeLimitRule {
    fn from(rule: TimeLimit) -> Self {
        let mut out = TimeLimitRule {
            kind: TimeLimitKind::None,
            days: None,
            period: None,
            due_day: None,
            month: None,
            day: None,
            text: rule.to_string(),
            code: rule.code(),
        };
        match rule {
            TimeLimit::None => {}
            TimeLimit::Realtime => out.kind = TimeLimitKind::Realtime,
            TimeLimit::WorkingDays { days } => {
                out.kind = TimeLimitKind::WorkingDays;
                out.days = Some(days);
            }
            TimeLimit::Periodic { period, due } => {
                out.kind = TimeLimitKind::Periodic;
                out.period = Some(format!("{period:?}").to_uppercase());
                out.due_day = match due {
                    DueRule::EndOfFollowingPeriod => None,
                    DueRule::DayOfFollowingPeriod(d) => Some(d),
                };
            }
            TimeLimit::Annual { month, day } => {
                out.kind = TimeLimitKind::Annual;
                out.month = Some(month);
                out.day = Some(day);
            }
        }
        out
    }
}

/// One catalogue item.
pub struct CatalogueItem(pub Item);

#[Object]
impl CatalogueItem {
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// 一级事项 / 二级事项 above the item.
    async fn category(&self) -> &[String] {
        &self.0.category
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn content(&self) -> &[String] {
        &self.0.content
    }
    async fn basis(&self) -> &str {
        &self.0.basis
    }
    async fn time_limit(&self) -> TimeLimitRule {
        self.0.time_limit.into()
    }
    /// 公开时限 as the catalogue words it.
    async fn time_limit_text(&self) -> &str {
        &self.0.time_limit_text
    }
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// 全社会 or 特定群体
    async fn audience(&self) -> &str {
        self.0.audience.label()
    }
    /// 主动 or 依申请
    async fn mode(&self) -> &str {
        self.0.mode.label()
    }
    async fn levels(&self) -> &[String] {
        &self.0.levels
    }
    async fn required_channels(&self) -> Vec<Channel> {
        self.0.channels.iter().map(|c| (*c).into()).collect()
    }
    async fn needs_interpretation(&self) -> bool {
        self.0.needs_interpretation
    }
    async fn evidence_required(&self) -> bool {
        self.0.evidence_required
    }
    /// Points, exact to a thousandth.
    async fn weight(&self) -> f64 {
        self.0.weight_milli as f64 / 1000.0
    }
    async fn veto(&self) -> bool {
        self.0.veto
    }
}

pub struct Catalogue(pub catalogue::Model);

#[Object]
impl Catalogue {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn applies_to(&self) -> Result<Vec<OrgKind>> {
        Ok(store::applies_to(&self.0)?
            .into_iter()
            .map(OrgKind::from)
            .collect())
    }
    /// Shipped with Touming and shared by every province.
    async fn built_in(&self, ctx: &Context<'_>) -> Result<bool> {
        let owner = org::Entity::find_by_id(self.0.owner_org_id)
            .one(&ctx.state().db)
            .await?;
        Ok(owner.is_some_and(|o| o.kind() == touming_domain::OrgKind::Platform))
    }
    /// Newest first.
    async fn versions(&self, ctx: &Context<'_>) -> Result<Vec<CatalogueVersion>> {
        let rows = catalogue_version::Entity::find()
            .filter(catalogue_version::Column::CatalogueId.eq(self.0.id))
            .order_by_desc(catalogue_version::Column::Id)
            .all(&ctx.state().db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|v| CatalogueVersion(v, self.0.clone()))
            .collect())
    }
}

pub struct CatalogueVersion(pub catalogue_version::Model, pub catalogue::Model);

#[Object]
impl CatalogueVersion {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn label(&self) -> &str {
        &self.0.label
    }
    async fn status(&self) -> CatalogueVersionStatus {
        (*self.0.status).into()
    }
    async fn catalogue(&self) -> Catalogue {
        Catalogue(self.1.clone())
    }
    /// xlsx, csv, yaml or builtin
    async fn source_format(&self) -> &str {
        &self.0.source_format
    }
    async fn source_name(&self) -> Option<&str> {
        self.0.source_name.as_deref()
    }
    async fn item_count(&self) -> i32 {
        self.0.item_count
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// Where to download it as xlsx (same session as the API).
    async fn export_url(&self) -> String {
        format!("/export/catalogue-versions/{}.xlsx", self.0.id)
    }
    #[graphql(complexity = "list_complexity(first, child_complexity)")]
    async fn items(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<CatalogueItem>> {
        let select =
            catalogue_item::Entity::find().filter(catalogue_item::Column::VersionId.eq(self.0.id));
        // Items page in file order; position is unique within a version.
        Ok(page(
            &ctx.state().db,
            select,
            catalogue_item::Column::Position,
            Order::Ascending,
            PageArgs { first, after },
            |row| row.position as i64,
            |row| store::from_row(&row).map(CatalogueItem),
        )
        .await?)
    }
}

#[derive(SimpleObject)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(SimpleObject)]
pub struct ItemChange {
    pub code: String,
    pub title: String,
    pub before: CatalogueItem,
    pub after: CatalogueItem,
    pub fields: Vec<FieldChange>,
}

#[derive(SimpleObject)]
pub struct CatalogueDiff {
    pub added: Vec<CatalogueItem>,
    pub removed: Vec<CatalogueItem>,
    pub changed: Vec<ItemChange>,
    pub unchanged: u32,
}

#[derive(Default)]
pub struct CatalogueQuery;

#[Object]
impl CatalogueQuery {
    /// The catalogues of the caller's province and the built-in ones.
    async fn catalogues(&self, ctx: &Context<'_>) -> Result<Vec<Catalogue>> {
        let guard = ctx.guard()?;
        let rows = guard
            .catalogues()
            .order_by_asc(catalogue::Column::Id)
            .all(&ctx.state().db)
            .await?;
        Ok(rows.into_iter().map(Catalogue).collect())
    }

    async fn catalogue_version(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<Option<CatalogueVersion>> {
        let guard = ctx.guard()?;
        let (catalogue, version) = guard
            .catalogue_version(&ctx.state().db, parse_id(&id, "目录版本")?)
            .await?;
        Ok(Some(CatalogueVersion(version, catalogue)))
    }

    /// Items added, removed and changed field by field from one version to another.
    async fn catalogue_diff(
        &self,
        ctx: &Context<'_>,
        from_id: ID,
        to_id: ID,
    ) -> Result<CatalogueDiff> {
        let guard = ctx.guard()?;
        let db = &ctx.state().db;
        let (_, from) = guard
            .catalogue_version(db, parse_id(&from_id, "目录版本")?)
            .await?;
        let (_, to) = guard
            .catalogue_version(db, parse_id(&to_id, "目录版本")?)
            .await?;
        let diff = domain::diff(
            &store::items(db, from.id).await?,
            &store::items(db, to.id).await?,
        );
        Ok(CatalogueDiff {
            added: diff.added.into_iter().map(CatalogueItem).collect(),
            removed: diff.removed.into_iter().map(CatalogueItem).collect(),
            changed: diff
                .changed
                .into_iter()
                .map(|c| ItemChange {
                    code: c.after.code.clone(),
                    title: c.after.title.clone(),
                    fields: c
                        .fields
                        .into_iter()
                        .map(|f| FieldChange {
                            field: f.field.to_owned(),
                            before: f.before,
                            after: f.after,
                        })
                        .collect(),
                    before: CatalogueItem(c.before),
                    after: CatalogueItem(c.after),
                })
                .collect(),
            unchanged: diff.unchanged as u32,
        })
    }
}

#[derive(Default)]
pub struct CatalogueMutation;

fn import_errors(errors: Vec<crate::catalogue::ImportError>) -> ApiError {
    ApiError::Validation(
        errors
            .into_iter()
            .map(|e| FieldError {
                field: "file".into(),
                message: e.to_string(),
                sheet: (!e.sheet.is_empty()).then(|| e.sheet.clone()),
                row: e.row,
                column: e.column.clone(),
            })
            .collect(),
    )
}

#[Object]
impl CatalogueMutation {
    /// Imports a catalogue file as a new DRAFT version (province ADMIN or operator).
    /// Without `catalogueId` a new catalogue is always created (a YAML file's code must
    /// not be taken yet); it is for the org kinds in `appliesTo`, or those the file
    /// states — one of the two is required. Every error names its sheet, row and
    /// column; a file with any error saves nothing.
    async fn import_catalogue(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        format: CatalogueFormat,
        title: String,
        catalogue_id: Option<ID>,
        applies_to: Option<Vec<OrgKind>>,
    ) -> Result<CatalogueVersion> {
        let guard = ctx.guard()?;
        guard.require_catalogue_manager()?;
        let state = ctx.state();
        let title = title.trim().to_owned();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(ApiError::field("title", "版本名称不能为空，且不超过 200 个字符").into());
        }
        let upload = file
            .value(ctx)
            .map_err(|e| ApiError::field("file", format!("无法读取上传的文件：{e}")))?;
        let source_name = Some(upload.filename.clone());
        let size = upload
            .content
            .metadata()
            .map(|m| m.len() as usize)
            .unwrap_or(0);
        if size > MAX_FILE_BYTES {
            return Err(ApiError::field(
                "file",
                format!(
                    "文件过大（{:.1} MB），上限为 10 MB",
                    size as f64 / 1024.0 / 1024.0
                ),
            )
            .into());
        }
        let mut bytes = Vec::with_capacity(size);
        upload
            .into_read()
            .take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(ApiError::internal)?;
        let (format, format_name) = match format {
            CatalogueFormat::Xlsx => (Format::Xlsx, "xlsx"),
            CatalogueFormat::Csv => (Format::Csv, "csv"),
            CatalogueFormat::Yaml => (Format::Yaml, "yaml"),
        };
        // Parsing is CPU work on up to 10 MB; keep it off the async threads.
        let parsed = tokio::task::spawn_blocking(move || import::parse(format, &bytes))
            .await
            .map_err(ApiError::internal)?
            .map_err(import_errors)?;
        let db = &state.db;
        let owner = &guard.viewer().org;
        let target = match catalogue_id {
            Some(id) => {
                let catalogue = guard.catalogue(db, parse_id(&id, "目录")?).await?;
                if catalogue.owner_org_id != owner.id {
                    return Err(ApiError::Forbidden.into());
                }
                Target::Existing(catalogue)
            }
            // Without `catalogueId` an import always makes a new catalogue: a new version
            // of an existing one is asked for by naming it.
            None => {
                let code = match parsed.code.clone() {
                    Some(code) => {
                        let taken = catalogue::Entity::find()
                            .filter(catalogue::Column::OwnerOrgId.eq(owner.id))
                            .filter(catalogue::Column::Code.eq(&code))
                            .one(db)
                            .await?;
                        if taken.is_some() {
                            return Err(ApiError::field(
                                "catalogueId",
                                format!(
                                    "目录代码“{code}”已存在：要为该目录新增版本，请指定 catalogueId"
                                ),
                            )
                            .into());
                        }
                        code
                    }
                    // A spreadsheet carries no code: the time of import and a random
                    // suffix, so two imports in the same second stay two catalogues.
                    None => format!(
                        "imported-{}-{:04x}",
                        Utc::now().format("%Y%m%d%H%M%S"),
                        rand::random::<u16>()
                    ),
                };
                let kinds: Vec<touming_domain::OrgKind> = match applies_to {
                    Some(kinds) => kinds.into_iter().map(Into::into).collect(),
                    None => parsed.applies_to.clone(),
                };
                // A catalogue states whom it is for; nothing is assumed.
                if kinds.is_empty() {
                    return Err(ApiError::field(
                        "appliesTo",
                        "请选择目录适用的机构类型（如县/区、医疗卫生机构），或在文件中写明",
                    )
                    .into());
                }
                Target::New {
                    code,
                    title: parsed.title.clone().unwrap_or_else(|| title.clone()),
                    applies_to: kinds,
                }
            }
        };
        let new = NewVersion {
            label: title,
            format: format_name,
            source_name,
            status: VersionStatus::Draft,
        };
        let (catalogue, version) = store::create_version(
            db,
            &guard.viewer().actor(),
            owner,
            target,
            new,
            &parsed.items,
        )
        .await?;
        Ok(CatalogueVersion(version, catalogue))
    }

    /// DRAFT → PUBLISHED: the version's items never change again, and the catalogue's
    /// previously published version is retired.
    async fn publish_catalogue_version(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<CatalogueVersion> {
        let guard = ctx.guard()?;
        guard.require_catalogue_manager()?;
        let db = &ctx.state().db;
        let (catalogue, version) = guard
            .catalogue_version(db, parse_id(&id, "目录版本")?)
            .await?;
        let owner = &guard.viewer().org;
        if catalogue.owner_org_id != owner.id {
            return Err(ApiError::Forbidden.into());
        }
        let published = store::publish(db, &guard.viewer().actor(), owner, version).await?;
        Ok(CatalogueVersion(published, catalogue))
    }
}
