//! Live mode: a session that keeps the site built as the inputs and the clock move, the loop
//! that feeds it file events and clock ticks, a poller for file systems without events, and
//! the preview server. Reads the clock only through what the binary hands it.

mod poll;
pub mod serve;
pub mod session;
pub mod watch;
