//! The Touming server: GraphQL API, authentication, the tenancy guard and the services
//! behind the mutations. The `touming` command is the `cli/` crate. See
//! ARCHITECTURE.md for the map.

pub mod app;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod catalogue;
pub mod comparison;
pub mod config;
pub mod db;
pub mod error;
pub mod evidence;
pub mod figures;
pub mod graphql;
pub mod http;
pub mod orgs;
pub mod rectification;
pub mod reports;
pub mod state;
pub mod telemetry;
pub mod tenancy;
pub mod users;
