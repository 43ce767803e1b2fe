//! End-to-end: the real server, a real database, a real queue. One binary, so the
//! application is linked once.

mod accounts;
mod assignments;
mod audit;
mod calendar;
mod catalogues;
mod comparison;
mod cross_site;
mod evidence;
mod faults;
mod graphql_limits;
mod identity;
mod lockout;
mod operations;
mod orgs;
mod rectification;
mod rounds;
mod scores;
mod second_factor;
mod sessions;
mod sockets;
mod statements;
mod tenancy;
mod worker;
