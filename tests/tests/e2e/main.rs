//! End-to-end: the real server, a real database, a real queue. One binary, so the
//! application is linked once.

mod assignments;
mod audit;
mod calendar;
mod catalogues;
mod comparison;
mod evidence;
mod faults;
mod graphql_limits;
mod identity;
mod operations;
mod orgs;
mod rectification;
mod rounds;
mod scores;
mod sessions;
mod statements;
mod tenancy;
mod worker;
