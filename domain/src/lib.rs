//! The pure domain of Touming: the facts and rules of health-sector government
//! information disclosure, as types and functions.
//!
//! Invariant: nothing in this crate does I/O (no database, network, files or clock);
//! everything is a function of its inputs, so it can be tested exhaustively and run
//! anywhere.

pub mod assessment;
pub mod calendar;
pub mod catalogue;
pub mod credit_code;
pub mod division_code;
pub mod org;
pub mod password_policy;
pub mod role;
pub mod scoring;

pub use calendar::{Calendar, CalendarError, YearSchedule};
pub use credit_code::{CreditCode, CreditCodeError};
pub use division_code::{DivisionCode, DivisionCodeError, DivisionLevel};
pub use org::{OrgKind, OrgPath, PlacementError, check_placement};
pub use password_policy::{PasswordPolicyError, check_password};
pub use role::{Role, RoleParseError};
