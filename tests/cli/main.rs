//! Integration tests: the real `candor` binary on copies of `tests/fixtures/`, always with `--now`.
//! One test binary, as each `tests/*.rs` is a slow link.

mod api;
mod asof;
mod authoring;
mod authoring_pressure;
mod authoring_safety;
mod check_formats;
mod clock;
mod corpus;
mod deploy;
mod docs_commands;
mod embed;
mod escaping;
mod feeds;
mod first_contact;
mod import;
mod input;
mod install;
mod languages;
mod live;
mod live_policy;
mod messages;
mod output;
mod output_safety;
mod page;
mod properties;
mod replay;
mod sample;
mod serve_load;
mod session;
mod support;
mod text_fields;
mod under_pressure;
