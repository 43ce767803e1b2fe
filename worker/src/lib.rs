//! Touming's background work: scoring and roll-up, reminders, housekeeping, and the
//! queue and events that carry it. The persisted model is `touming-store`.
//!
//! Jobs travel over a [`queue::JobQueue`]: Redis Streams with a consumer group in
//! production, a tokio channel in the embedded default. A message is only a nudge;
//! the database stays the truth, so a lost message delays work but loses nothing.

pub mod clock;
pub mod events;
pub mod housekeeping;
pub mod job;
pub mod queue;
pub mod reminders;
pub mod runner;
pub mod scoring;

pub use job::Job;
pub use queue::{DeadLetter, InProcessQueue, JobQueue, MAX_ATTEMPTS, QueueError, RedisQueue};
pub use runner::Worker;
