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
mod ids;
mod import;
mod init_workflow;
mod input;
mod install;
mod languages;
mod live;
mod newcomer;
mod output;
mod output_safety;
mod page;
mod properties;
mod reader_top;
mod replay;
mod said_and_now;
mod sample;
mod serve_load;
mod session;
mod support;
mod typed_values;
mod under_pressure;
