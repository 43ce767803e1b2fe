//! The life of a round and of a checklist (assignment).

use serde::{Deserialize, Serialize};

/// DRAFT → OPEN → CLOSED → PUBLISHED
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoundStatus {
    Draft,
    Open,
    Closed,
    Published,
}

/// NOT_STARTED → DRAFT → SUBMITTED → APPROVED, or → RETURNED → DRAFT again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AssignmentStatus {
    NotStarted,
    Draft,
    Submitted,
    Approved,
    Returned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewDecision {
    /// SUBMITTED → APPROVED
    Approve,
    /// SUBMITTED → RETURNED (a comment is required)
    Return,
    /// Reopen a checklist (a comment is required): a submitted or approved one goes back
    /// to RETURNED; one not yet submitted stays as it is but may be filled in after the
    /// deadline.
    Reopen,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("当前状态“{0}”下不能执行此操作")]
    NotAllowed(&'static str),
    #[error("退回或重新打开需要填写意见")]
    CommentRequired,
}

macro_rules! names {
    ($t:ty { $($v:ident => $s:literal / $l:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
            pub fn label(self) -> &'static str {
                match self { $(Self::$v => $l),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)* _ => None }
            }
        }
    };
}

pub(super) use names;

names!(RoundStatus {
    Draft => "DRAFT" / "草稿",
    Open => "OPEN" / "进行中",
    Closed => "CLOSED" / "已截止",
    Published => "PUBLISHED" / "已发布",
});

names!(AssignmentStatus {
    NotStarted => "NOT_STARTED" / "未开始",
    Draft => "DRAFT" / "填报中",
    Submitted => "SUBMITTED" / "已提交",
    Approved => "APPROVED" / "已通过",
    Returned => "RETURNED" / "已退回",
});

impl RoundStatus {
    pub fn open(self) -> Result<RoundStatus, WorkflowError> {
        match self {
            RoundStatus::Draft | RoundStatus::Open => Ok(RoundStatus::Open),
            other => Err(WorkflowError::NotAllowed(other.label())),
        }
    }

    pub fn close(self) -> Result<RoundStatus, WorkflowError> {
        match self {
            RoundStatus::Open => Ok(RoundStatus::Closed),
            other => Err(WorkflowError::NotAllowed(other.label())),
        }
    }

    /// Results go out and rectification begins.
    pub fn publish(self) -> Result<RoundStatus, WorkflowError> {
        match self {
            RoundStatus::Closed => Ok(RoundStatus::Published),
            other => Err(WorkflowError::NotAllowed(other.label())),
        }
    }
}

impl AssignmentStatus {
    /// Saving answers: anything not yet submitted becomes (or stays) a draft.
    pub fn save(self) -> Result<AssignmentStatus, WorkflowError> {
        match self {
            AssignmentStatus::NotStarted | AssignmentStatus::Draft | AssignmentStatus::Returned => {
                Ok(AssignmentStatus::Draft)
            }
            other => Err(WorkflowError::NotAllowed(other.label())),
        }
    }

    pub fn submit(self) -> Result<AssignmentStatus, WorkflowError> {
        match self {
            AssignmentStatus::NotStarted | AssignmentStatus::Draft | AssignmentStatus::Returned => {
                Ok(AssignmentStatus::Submitted)
            }
            other => Err(WorkflowError::NotAllowed(other.label())),
        }
    }

    pub fn review(
        self,
        decision: ReviewDecision,
        comment: Option<&str>,
    ) -> Result<AssignmentStatus, WorkflowError> {
        let has_comment = comment.is_some_and(|c| !c.trim().is_empty());
        match (self, decision) {
            (AssignmentStatus::Submitted, ReviewDecision::Approve) => {
                Ok(AssignmentStatus::Approved)
            }
            (AssignmentStatus::Submitted, ReviewDecision::Return)
            | (AssignmentStatus::Submitted | AssignmentStatus::Approved, ReviewDecision::Reopen) => {
                if has_comment {
                    Ok(AssignmentStatus::Returned)
                } else {
                    Err(WorkflowError::CommentRequired)
                }
            }
            (open, ReviewDecision::Reopen) => {
                if has_comment {
                    Ok(open)
                } else {
                    Err(WorkflowError::CommentRequired)
                }
            }
            (other, _) => Err(WorkflowError::NotAllowed(other.label())),
        }
    }

    /// Counts as handed in (for coverage and reminders).
    pub fn is_submitted(self) -> bool {
        matches!(
            self,
            AssignmentStatus::Submitted | AssignmentStatus::Approved
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssignmentStatus::*;

    #[test]
    fn the_assignment_workflow() {
        assert_eq!(NotStarted.save(), Ok(Draft));
        assert_eq!(Draft.submit(), Ok(Submitted));
        assert!(Submitted.save().is_err(), "a submitted checklist is frozen");
        assert_eq!(
            Submitted.review(ReviewDecision::Return, None),
            Err(WorkflowError::CommentRequired)
        );
        assert_eq!(
            Submitted.review(ReviewDecision::Return, Some("  ")),
            Err(WorkflowError::CommentRequired)
        );
        assert_eq!(
            Submitted.review(ReviewDecision::Return, Some("第3项缺少佐证")),
            Ok(Returned)
        );
        assert_eq!(Returned.save(), Ok(Draft));
        assert_eq!(
            Submitted.review(ReviewDecision::Approve, None),
            Ok(Approved)
        );
        assert!(Approved.review(ReviewDecision::Approve, None).is_err());
        assert_eq!(
            Approved.review(ReviewDecision::Reopen, Some("复核发现问题")),
            Ok(Returned)
        );
        assert!(Draft.review(ReviewDecision::Approve, None).is_err());
        assert_eq!(
            Draft.review(ReviewDecision::Reopen, Some("逾期补报")),
            Ok(Draft)
        );
        assert_eq!(
            NotStarted.review(ReviewDecision::Reopen, None),
            Err(WorkflowError::CommentRequired)
        );
    }

    #[test]
    fn names_round_trip() {
        for s in [NotStarted, Draft, Submitted, Approved, Returned] {
            assert_eq!(AssignmentStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(RoundStatus::Draft.open(), Ok(RoundStatus::Open));
        assert!(RoundStatus::Closed.open().is_err());
    }
}
