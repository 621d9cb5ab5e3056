//! Integration tests: the real `candor` binary on copies of `tests/fixtures/`, always with `--now`.
//! One test binary, as each `tests/*.rs` is a slow link.

mod corpus;
mod output;
mod sample;
mod support;
