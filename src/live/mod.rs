//! Live mode: a session that keeps the site built as the inputs and the clock move, the loop
//! that feeds it file events and clock ticks, a poller for file systems without events, the
//! preview server, and `command`, which runs them together for `watch` and `serve`.
//!
//! Never prints and never reads the clock: progress goes to a callback, and the time comes
//! from what the binary hands in.

pub mod command;
mod links;
mod poll;
pub mod serve;
pub mod session;
pub mod watch;
