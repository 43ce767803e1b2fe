//! Checklist scores and region roll-ups between their rows and the domain.

use chrono::{DateTime, Utc};
use sea_orm::{NotSet, Set};
use touming_domain::scoring::{AssignmentScore, Coverage, Indicators, Rollup, Tally};

use crate::codec::{At, from_json, to_json};
use crate::entity::{rollup, score};
use crate::error::{StoreError, StoreResult};
use crate::stored::Stored;

/// What a score row records besides the score itself.
#[derive(Debug, Clone, Copy)]
pub struct ScoreOf {
    pub assignment_id: i64,
    pub round_id: i64,
    pub org_id: i64,
    /// The checklist version the score was computed from.
    pub answers_version: i32,
}

pub fn score_to_row(of: ScoreOf, result: &AssignmentScore, tally: &Tally) -> score::ActiveModel {
    score::ActiveModel {
        assignment_id: Set(of.assignment_id),
        round_id: Set(of.round_id),
        org_id: Set(of.org_id),
        answers_version: Set(of.answers_version),
        total_milli: Set(result.total_milli as i64),
        max_milli: Set(result.max_milli as i64),
        percent_milli: Set(result.percent_milli as i32),
        grade: Set(Stored(result.grade)),
        veto_failed: Set(result.veto_failed),
        detail: Set(to_json(result)),
        indicators: Set(to_json(&result.indicators)),
        tally: Set(to_json(tally)),
        computed_at: Set(Utc::now()),
    }
}

/// The whole score with every item's explanation.
pub fn score_detail(row: &score::Model) -> StoreResult<AssignmentScore> {
    from_json(At::new("score", "detail", row.assignment_id), &row.detail)
}

/// A score's indicators column, read alone (lists select only the columns they need).
pub fn score_indicators(assignment_id: i64, text: &str) -> StoreResult<Indicators> {
    from_json(At::new("score", "indicators", assignment_id), text)
}

/// A score's tally column, read alone.
pub fn score_tally(assignment_id: i64, text: &str) -> StoreResult<Tally> {
    from_json(At::new("score", "tally", assignment_id), text)
}

fn count(row: &rollup::Model, column: &'static str, value: i32) -> StoreResult<u32> {
    u32::try_from(value).map_err(|_| StoreError::unreadable("rollup", column, row.id, value))
}

pub fn rollup_from_row(row: &rollup::Model) -> StoreResult<Rollup> {
    let at = |column| At::new("rollup", column, row.id);
    Ok(Rollup {
        composite_milli: row
            .composite_milli
            .map(|v| count(row, "composite_milli", v))
            .transpose()?,
        strict_composite_milli: row
            .strict_composite_milli
            .map(|v| count(row, "strict_composite_milli", v))
            .transpose()?,
        coverage: Coverage {
            expected: count(row, "expected", row.expected)?,
            submitted: count(row, "submitted", row.submitted)?,
            approved: count(row, "approved", row.approved)?,
        },
        indicators: from_json(at("indicators"), &row.indicators)?,
        spread: row
            .spread
            .as_deref()
            .map(|s| from_json(at("spread"), s))
            .transpose()?,
        tally: from_json(at("tally"), &row.tally)?,
    })
}

pub fn rollup_to_row(
    round_id: i64,
    org_id: i64,
    r: &Rollup,
    now: DateTime<Utc>,
) -> rollup::ActiveModel {
    rollup::ActiveModel {
        id: NotSet,
        round_id: Set(round_id),
        org_id: Set(org_id),
        composite_milli: Set(r.composite_milli.map(|c| c as i32)),
        strict_composite_milli: Set(r.strict_composite_milli.map(|c| c as i32)),
        expected: Set(r.coverage.expected as i32),
        submitted: Set(r.coverage.submitted as i32),
        approved: Set(r.coverage.approved as i32),
        indicators: Set(to_json(&r.indicators)),
        spread: Set(r.spread.as_ref().map(to_json)),
        tally: Set(to_json(&r.tally)),
        computed_at: Set(now),
    }
}
