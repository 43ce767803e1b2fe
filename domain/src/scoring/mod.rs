//! Scoring a checklist (DOMAIN.md §4): a pure function of the catalogue version's items,
//! the answers, the round's policy, the working-day calendar and the day of scoring.
//! Arithmetic is in integers — points in thousandths, factors in thousandths, percent
//! in thousandths of a percent — so the same inputs give the same figures to the last
//! digit and an incremental update equals a full recompute.

mod assignment;
mod indicators;
mod periods;
mod rollup;
mod tally;

pub use assignment::{
    AssignmentScore, CategoryScore, Grade, ItemScore, ScoringInput, score_assignment,
};
pub use indicators::{Indicators, Ratio};
pub use periods::expected_periods;
pub use rollup::{ChildResult, Coverage, Rollup, Spread, competition_ranks, rollup_region};
pub use tally::{ItemTally, Points, Tally, item_key, parse_item_key};
