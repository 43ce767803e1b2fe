//! Touming's persisted model: every table's entity, its one encoding to and from the
//! domain, and the small queries both the api and the worker processes run.
//!
//! A column's format is written and read in one place: `catalogue` (items and
//! catalogues), `answers`, `scores` (scores and roll-ups), `round` (the scoring
//! policy), `calendar` (the operator's years), with the list encodings in `codec`.
//! Status and kind columns hold domain enums through [`Stored`]; a stored value that
//! none of them matches is an error naming its table, row and column, never a default.

pub mod answers;
pub mod calendar;
pub mod catalogue;
pub mod codec;
pub mod coverage;
pub mod entity;
pub mod error;
pub mod rectification;
pub mod round;
pub mod scores;
pub mod stored;

pub use error::{StoreError, StoreResult};
pub use stored::{Stored, StoredEnum, stored};
