//! A rectification entry's evidence list.

use crate::codec::{At, from_json, to_json};
use crate::entity::rectification;
use crate::error::StoreResult;

/// The `fix_evidence` column for these URLs.
pub fn evidence_text(urls: &[String]) -> String {
    to_json(&urls)
}

/// The evidence URLs recorded with the latest fix.
pub fn fix_evidence(row: &rectification::Model) -> StoreResult<Vec<String>> {
    from_json(
        At::new("rectification", "fix_evidence", row.id),
        &row.fix_evidence,
    )
}
