//! The tools around the server: `touming demo`'s data (`demo`) and `touming bench`
//! (`bench`). The `touming` binary (`main.rs`) dispatches to them and to the server
//! library, `touming-api`.

pub mod bench;
pub mod demo;
