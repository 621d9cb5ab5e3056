//! candor: a folder of YAML incident logs in, a static status site out.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod diagnostic;
pub mod error;
pub mod load;
mod locate;
pub mod markdown;
pub mod model;
pub mod raw;
pub mod time;
