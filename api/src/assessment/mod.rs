//! Rounds and checklists: the services behind the assessment mutations. Each checks
//! the caller through the tenancy guard first, writes in one transaction, and records
//! the history and the audit line in that transaction.

pub mod answers;
pub mod assignments;
pub mod rounds;

pub use touming_worker::clock::today_in_china as today;

/// Asks the worker to score a checklist now. Only a nudge: the score is already marked
/// stale in the database, and the reconciler scores it even if this message is lost.
pub async fn nudge(state: &crate::state::AppState, job: touming_worker::Job) {
    if let Err(e) = state.queue.enqueue(&job).await {
        tracing::warn!(error = %e, ?job, "could not enqueue; the reconciler will pick it up");
    }
}
