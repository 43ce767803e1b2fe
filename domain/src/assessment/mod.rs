//! Assessment rounds and checklists: the answers a filler gives, what a draft and a
//! submission must satisfy, the review workflow, and the round's scoring policy.

mod answer;
mod checks;
mod policy;
mod rectification;
mod workflow;

pub use answer::{Answer, AnswerStatus, InterpretationForm, PeriodRecord};
pub use checks::{AnswerProblem, check_draft, check_submission};
pub use policy::ScoringPolicy;
pub use rectification::{RectificationAction, RectificationStatus};
pub use workflow::{AssignmentStatus, ReviewDecision, RoundStatus, WorkflowError};
