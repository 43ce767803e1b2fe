//! Rectification (整改): an item that fell short when a round's results were published
//! must be put right by its owner and checked by a superior.
//!
//! OPEN → FIXED (the owner records the fix with new evidence) → VERIFIED (销号), or
//! → REOPENED (the superior is not satisfied) → FIXED again.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::workflow::{WorkflowError, names};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RectificationStatus {
    Open,
    Fixed,
    Verified,
    Reopened,
}

names!(RectificationStatus {
    Open => "OPEN" / "待整改",
    Fixed => "FIXED" / "待核验",
    Verified => "VERIFIED" / "已销号",
    Reopened => "REOPENED" / "重新整改",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RectificationAction {
    /// The owner records what was done (new evidence required).
    Fix,
    /// A superior accepts the fix.
    Verify,
    /// A superior sends it back (a comment is required).
    Reopen,
}

impl RectificationStatus {
    pub fn apply(
        self,
        action: RectificationAction,
        comment: Option<&str>,
    ) -> Result<RectificationStatus, WorkflowError> {
        use RectificationAction as A;
        use RectificationStatus as S;
        let has_comment = comment.is_some_and(|c| !c.trim().is_empty());
        match (self, action) {
            (S::Open | S::Reopened, A::Fix) => Ok(S::Fixed),
            (S::Fixed, A::Verify) => Ok(S::Verified),
            (S::Fixed | S::Verified, A::Reopen) if has_comment => Ok(S::Reopened),
            (S::Fixed | S::Verified, A::Reopen) => Err(WorkflowError::CommentRequired),
            (other, _) => Err(WorkflowError::NotAllowed(other.label())),
        }
    }

    /// Still the owner's to do, or waiting for a superior.
    pub fn is_closed(self) -> bool {
        self == RectificationStatus::Verified
    }

    /// Past its deadline and not yet verified.
    pub fn is_overdue(self, deadline: NaiveDate, today: NaiveDate) -> bool {
        !self.is_closed() && today > deadline
    }
}

#[cfg(test)]
mod tests {
    use super::RectificationAction as A;
    use super::RectificationStatus as S;
    use super::*;

    #[test]
    fn life_cycle() {
        let fixed = S::Open.apply(A::Fix, None).unwrap();
        assert_eq!(fixed, S::Fixed);
        assert_eq!(
            fixed.apply(A::Reopen, None),
            Err(WorkflowError::CommentRequired)
        );
        let reopened = fixed.apply(A::Reopen, Some("佐证链接打不开")).unwrap();
        assert_eq!(reopened, S::Reopened);
        let verified = reopened
            .apply(A::Fix, None)
            .unwrap()
            .apply(A::Verify, None)
            .unwrap();
        assert_eq!(verified, S::Verified);
        assert!(S::Open.apply(A::Verify, None).is_err());
        assert!(verified.apply(A::Fix, None).is_err());
    }

    #[test]
    fn overdue_until_verified() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let after = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        assert!(!S::Open.is_overdue(d, d));
        assert!(S::Open.is_overdue(d, after));
        assert!(S::Fixed.is_overdue(d, after));
        assert!(!S::Verified.is_overdue(d, after));
    }
}
