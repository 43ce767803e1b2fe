//! The Touming server: GraphQL API, authentication, tenancy guard, and the `touming`
//! command line. See ARCHITECTURE.md for the map.

pub mod app;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod bench;
pub mod calendar;
pub mod catalogue;
pub mod comparison;
pub mod config;
pub mod db;
pub mod demo;
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
