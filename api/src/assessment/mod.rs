//! Rounds and checklists: the services behind the assessment mutations. Each checks
//! the caller through the tenancy guard first, writes in one transaction, and records
//! the history and the audit line in that transaction.

pub mod answers;
pub mod checklist;
pub mod rounds;

pub use touming_worker::clock::today_in_china as today;
