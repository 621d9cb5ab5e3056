//! Integration tests: the real `candor` binary on copies of `tests/fixtures/`, always with `--now`.
//! One test binary, as each `tests/*.rs` is a slow link.

mod asof;
mod authoring;
mod clock;
mod corpus;
mod live;
mod output;
mod properties;
mod replay;
mod sample;
mod session;
mod support;
