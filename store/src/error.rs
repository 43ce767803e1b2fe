//! What reading or writing the persisted model can fail with.

/// Neither variant is shown to a user as is: the api turns both into its internal
/// error (HTTP 200 with `extensions.code = INTERNAL`, message 服务器内部错误) and logs
/// the detail; the worker logs it and retries the job.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed the statement. A stored status or kind code that
    /// no variant matches also arrives here, from [`crate::Stored`], naming its table,
    /// row and column.
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// A stored value no version of Touming writes: a bug or a hand edit. Never
    /// replaced by a default.
    #[error("unreadable stored value in {table}.{column} (row {row}): {detail}")]
    Unreadable {
        table: &'static str,
        column: &'static str,
        row: i64,
        detail: String,
    },
}

impl StoreError {
    pub fn unreadable(
        table: &'static str,
        column: &'static str,
        row: i64,
        detail: impl std::fmt::Display,
    ) -> Self {
        StoreError::Unreadable {
            table,
            column,
            row,
            detail: detail.to_string(),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
