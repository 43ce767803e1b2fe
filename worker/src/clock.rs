//! The day in China (UTC+8): what deadlines and "no future dates" are judged by.

use chrono::{FixedOffset, NaiveDate, Utc};

pub fn today_in_china() -> NaiveDate {
    Utc::now()
        .with_timezone(&FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
        .date_naive()
}
