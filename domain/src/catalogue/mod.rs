//! The standard catalogue (标准目录): items to disclose, each with its category path,
//! content, legal basis, time limit, channels and scoring weight (DOMAIN.md §2).

mod channel;
mod diff;
mod item;
mod time_limit;

pub use channel::{Channel, ChannelParseError, parse_channel_label};
pub use diff::{FieldChange, ItemChange, VersionDiff, diff};
pub use item::{
    Audience, DisclosureMode, Item, ItemProblem, VersionStatus, check_items, parse_weight,
    weight_text,
};
pub use time_limit::{DueRule, Period, TimeLimit, TimeLimitError};
