//! The jobs a worker knows how to run. Handlers must be idempotent: delivery is
//! at-least-once.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Delete sessions that ended (expired or revoked) more than a day ago.
    PurgeSessions,
    /// Remind orgs whose checklists are not submitted as their deadline nears.
    Reminders,
    /// Score one checklist and roll the change up its ancestors.
    ScoreAssignment { assignment_id: i64 },
    /// Rescore a whole round and recompute every roll-up (repair).
    RescoreRound { round_id: i64 },
}
