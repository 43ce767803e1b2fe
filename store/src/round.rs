//! A round's scoring policy column and the status rules the queries share.

use touming_domain::assessment::{RoundStatus, ScoringPolicy};

use crate::codec::{At, from_json, to_json};
use crate::entity::round;
use crate::error::StoreResult;

pub fn policy(round: &round::Model) -> StoreResult<ScoringPolicy> {
    from_json(At::new("round", "policy", round.id), &round.policy)
}

pub fn policy_text(policy: &ScoringPolicy) -> String {
    to_json(policy)
}

/// Closed rounds count unsubmitted checklists as 0.
pub fn is_closed(round: &round::Model) -> bool {
    matches!(*round.status, RoundStatus::Closed | RoundStatus::Published)
}
