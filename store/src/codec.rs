//! The two list encodings text columns use, written and read in this one place:
//! comma-joined codes (channels, interpretation forms, org kinds) and JSON arrays
//! (strings, URLs, period records).

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{StoreError, StoreResult};

/// Where a value was read from, for the error that names it.
#[derive(Debug, Clone, Copy)]
pub struct At {
    pub table: &'static str,
    pub column: &'static str,
    pub row: i64,
}

impl At {
    pub fn new(table: &'static str, column: &'static str, row: i64) -> Self {
        At { table, column, row }
    }

    pub fn error(self, detail: impl std::fmt::Display) -> StoreError {
        StoreError::unreadable(self.table, self.column, self.row, detail)
    }
}

pub fn join_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    codes.into_iter().collect::<Vec<_>>().join(",")
}

/// Each comma-separated code read by `parse`; one that does not parse fails the read.
pub fn split_codes<T, C: FromIterator<T>>(
    at: At,
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> StoreResult<C> {
    text.split(',')
        .filter(|p| !p.is_empty())
        .map(|code| parse(code).ok_or_else(|| at.error(format!("unknown code {code:?}"))))
        .collect()
}

pub fn to_json(value: &impl Serialize) -> String {
    // Serialising the model's own plain types cannot fail: no maps with non-string
    // keys, no custom serialisers that refuse.
    serde_json::to_string(value).expect("the stored model serialises to JSON")
}

pub fn from_json<T: DeserializeOwned>(at: At, text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| at.error(e))
}
