//! Every table as a sea-orm entity. Status and kind columns are typed
//! ([`crate::Stored`]); JSON and comma-list columns are read and written only through
//! this crate's conversion modules. Rules about who may read what live in the api's
//! tenancy guard.

pub mod answer;
pub mod assignment;
pub mod assignment_event;
pub mod assignment_snapshot;
pub mod audit_event;
pub mod calendar_year;
pub mod catalogue;
pub mod catalogue_item;
pub mod catalogue_version;
pub mod evidence_file;
pub mod login_lockout;
pub mod notification;
pub mod org;
pub mod recovery_code;
pub mod rectification;
pub mod review_comment;
pub mod rollup;
pub mod round;
pub mod round_catalogue;
pub mod round_scope;
pub mod score;
pub mod session;
pub mod user;
