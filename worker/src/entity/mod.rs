//! The persisted model, shared by the api and the worker processes. Plain sea-orm
//! entities; rules about who may read what live in the api's tenancy guard.

pub mod audit_event;
pub mod calendar_year;
pub mod catalogue;
pub mod catalogue_item;
pub mod catalogue_version;
pub mod org;
pub mod session;
pub mod user;
