//! The errors a client can see. Each variant becomes one `extensions.code`; internal
//! details go to the log, never into the response.

use chrono::{DateTime, Utc};

/// One invalid input field and what is wrong with it, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// For file imports: where in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            sheet: None,
            row: None,
            column: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// `UNAUTHENTICATED`: no session, an ended session, or wrong credentials.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// `FORBIDDEN`: signed in, but the role does not allow this.
    #[error("没有权限执行此操作")]
    Forbidden,
    /// `FORBIDDEN` (HTTP 403): a cookie-carrying request a browser could have been made
    /// to send from another site (wrong `Origin`, or a content type a form can send).
    #[error("已拒绝跨站请求：请在本系统页面中操作")]
    CrossSite,
    /// `NOT_FOUND`: does not exist, or lies outside the caller's subtree (the two are
    /// indistinguishable on purpose).
    #[error("{0}不存在")]
    NotFound(&'static str),
    /// `VALIDATION` with `extensions.fields: [{field, message}]`.
    #[error("{}", .0.first().map(|f| f.message.as_str()).unwrap_or("输入有误"))]
    Validation(Vec<FieldError>),
    /// `CONFLICT` with `extensions.currentVersion`: someone saved first.
    #[error("数据已被他人修改，请刷新后再试")]
    Conflict { current_version: i64 },
    /// `LOCKED`: too many failed logins; `extensions.lockedUntil` says until when.
    #[error("登录失败次数过多，账号已锁定至 {}", until.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")).format("%Y-%m-%d %H:%M"))]
    Locked { until: DateTime<Utc> },
    /// `SECOND_FACTOR_REQUIRED`: the password was right; sign in again with `code` (a
    /// code from the authenticator, or a recovery code).
    #[error("请输入身份验证器中的动态口令（或一个恢复码）")]
    SecondFactorRequired,
    /// `SECOND_FACTOR_ENROLMENT` with `extensions.secret` and `extensions.otpauthUrl`:
    /// the password was right, and this administrator must first add the secret to an
    /// authenticator app (the sign-in page shows it as a QR code), then sign in with a
    /// code from it.
    #[error("管理员须启用两步验证：请用身份验证器扫描二维码，并输入其中的动态口令")]
    SecondFactorEnrolment { secret: String, otpauth_url: String },
    /// `RATE_LIMITED`: too many attempts from this address; try again later.
    #[error("尝试过于频繁，请稍后再试")]
    RateLimited,
    /// `INTERNAL`: anything else. The cause is logged with the request's span.
    #[error("服务器内部错误，请稍后再试")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden | ApiError::CrossSite => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::Validation(_) => "VALIDATION",
            ApiError::Conflict { .. } => "CONFLICT",
            ApiError::Locked { .. } => "LOCKED",
            ApiError::SecondFactorRequired => "SECOND_FACTOR_REQUIRED",
            ApiError::SecondFactorEnrolment { .. } => "SECOND_FACTOR_ENROLMENT",
            ApiError::RateLimited => "RATE_LIMITED",
            ApiError::Internal(_) => "INTERNAL",
        }
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(e.into())
    }

    /// As a GraphQL error raised outside a resolver (by the HTTP layer or a schema
    /// extension), keeping itself as the source so [`finish_errors`] gives it its code.
    pub fn into_server_error(self) -> async_graphql::ServerError {
        let mut server_error = async_graphql::ServerError::new(self.to_string(), None);
        server_error.source = Some(std::sync::Arc::new(self));
        server_error
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        ApiError::Internal(e.into())
    }
}

/// A stored value the model cannot read, or a failed statement: `INTERNAL`, with the
/// table, row and column in the log.
impl From<touming_store::StoreError> for ApiError {
    fn from(e: touming_store::StoreError) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<sea_orm::TransactionError<ApiError>> for ApiError {
    fn from(e: sea_orm::TransactionError<ApiError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(e) => e.into(),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

impl ApiError {
    /// Writes this error's code and details into a GraphQL error's extensions. Resolvers
    /// simply return `ApiError` (async-graphql keeps it as the error's source); the
    /// response is finished by [`finish_errors`], the one place codes are assigned.
    fn write_extensions(&self, ext: &mut async_graphql::ErrorExtensionValues) {
        ext.set("code", self.code());
        match self {
            ApiError::Validation(fields) => {
                ext.set(
                    "fields",
                    async_graphql::to_value(fields).unwrap_or_default(),
                );
            }
            ApiError::Conflict { current_version } => ext.set("currentVersion", *current_version),
            ApiError::Locked { until } => ext.set("lockedUntil", until.to_rfc3339()),
            ApiError::SecondFactorEnrolment {
                secret,
                otpauth_url,
            } => {
                ext.set("secret", secret.as_str());
                ext.set("otpauthUrl", otpauth_url.as_str());
            }
            _ => {}
        }
    }

    /// The same details as JSON, for the plain HTTP endpoints (`POST /auth/login`).
    pub fn details(&self) -> serde_json::Value {
        let mut ext = async_graphql::ErrorExtensionValues::default();
        self.write_extensions(&mut ext);
        serde_json::to_value(&ext).unwrap_or_default()
    }
}

/// Gives every error of a response its `extensions.code`. Errors async-graphql raised
/// itself (syntax, unknown fields, depth or complexity limits, bad argument values) are
/// the client's malformed request: `VALIDATION`, naming the field `query`.
pub fn finish_errors(errors: &mut [async_graphql::ServerError]) {
    for error in errors {
        let source = error.source.clone();
        if let Some(api) = source.as_deref().and_then(|s| s.downcast_ref::<ApiError>()) {
            if let ApiError::Internal(cause) = api {
                tracing::error!(error = ?cause, path = ?error.path, "internal error");
            }
            let mut ext = error.extensions.take().unwrap_or_default();
            api.write_extensions(&mut ext);
            error.extensions = Some(ext);
        } else if error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .is_none()
        {
            let mut ext = error.extensions.take().unwrap_or_default();
            let fields = vec![FieldError::new("query", error.message.clone())];
            ext.set("code", "VALIDATION");
            ext.set(
                "fields",
                async_graphql::to_value(fields).unwrap_or_default(),
            );
            error.extensions = Some(ext);
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
