//! Rounds and checklists: the services behind the assessment mutations. Each checks
//! the caller through the tenancy guard first, writes in one transaction, and records
//! the history and the audit line in that transaction.

pub mod answers;
pub mod checklist;
pub mod rounds;

use chrono::{FixedOffset, NaiveDate, Utc};

/// Today in China (UTC+8), the day deadlines and "no future dates" are judged by.
pub fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
        .date_naive()
}
