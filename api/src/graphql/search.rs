//! The `search` argument of lists: bounded, and matched literally — `%` and `_` are
//! the characters a user typed, not wildcards.

use sea_orm::ColumnTrait;
use sea_orm::sea_query::{LikeExpr, SimpleExpr};

use crate::error::{ApiError, ApiResult};

/// Longer than any name or code a list is searched by.
pub const MAX_SEARCH_CHARS: usize = 100;

/// The trimmed search text; `None` when there is nothing to search for.
pub fn term(raw: Option<String>) -> ApiResult<Option<String>> {
    let Some(term) = raw.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if term.chars().count() > MAX_SEARCH_CHARS {
        return Err(ApiError::field(
            "search",
            format!("搜索内容最多 {MAX_SEARCH_CHARS} 个字符"),
        ));
    }
    Ok(Some(term))
}

/// `column` contains `term`.
pub fn contains(column: impl ColumnTrait, term: &str) -> SimpleExpr {
    column.like(LikeExpr::new(format!("%{}%", escape(term))).escape('\\'))
}

/// `column` begins with `term`.
pub fn starts_with(column: impl ColumnTrait, term: &str) -> SimpleExpr {
    column.like(LikeExpr::new(format!("{}%", escape(term))).escape('\\'))
}

fn escape(term: &str) -> String {
    let mut escaped = String::with_capacity(term.len());
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_are_escaped() {
        assert_eq!(super::escape("100%_a\\b"), "100\\%\\_a\\\\b");
    }
}
