//! `check --format json`: the versioned object CI scripts read (docs/check-format.md), for a
//! finished check and for a run that could not check at all (exit 2).
//!
//! Never prints; the shape changes only as the version policy of docs/check-format.md allows.

use super::Failed;
use crate::error::{Diagnostic, Level, Suggestion};
use serde::Serialize;

/// The version of the JSON object: raised when a field is removed, renamed or changes meaning;
/// a field added leaves it as it is.
pub const VERSION: u32 = 1;

/// Keys in alphabetical order, as the first version wrote them: a typed struct keeps that order
/// whatever features of serde_json the tree turns on.
#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: usize,
    /// Why the check could not run (exit 2); `null` when it ran.
    failure: Option<JsonFailure<'a>>,
    version: u32,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: String,
    column: Option<usize>,
    /// One past the last character the problem covers, on `line`.
    end_column: Option<usize>,
    file: &'a str,
    help: Option<&'a str>,
    level: &'static str,
    line: Option<usize>,
    message: &'a str,
    /// `warning` when `--strict` made this warning an error; else `null`.
    promoted_from: Option<&'static str>,
    suggestion: Option<JsonSuggestion<'a>>,
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    column: usize,
    end_column: usize,
    line: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonFailure<'a> {
    code: String,
    help: Option<&'a str>,
    message: &'a str,
}

pub fn level_word(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
    }
}

/// One past the last column `d` covers, when it has a place.
pub fn end_column(d: &Diagnostic) -> Option<usize> {
    d.column.map(|c| c + d.span.max(1))
}

fn suggestion(s: &Suggestion) -> JsonSuggestion<'_> {
    JsonSuggestion {
        column: s.column,
        end_column: s.end_column,
        line: s.line,
        replacement: &s.replacement,
    }
}

/// The object for `found`, on one line; line and columns are 1-based or null.
pub fn diagnostics(found: &[Diagnostic]) -> String {
    render(found, None)
}

/// The object for a run that could not check (exit 2): no diagnostics, and why.
pub fn failed(failure: &Failed) -> String {
    render(&[], Some(failure))
}

fn render(found: &[Diagnostic], failure: Option<&Failed>) -> String {
    let errors = found.iter().filter(|d| d.is_error()).count();
    let report = JsonReport {
        diagnostics: found
            .iter()
            .map(|d| JsonDiagnostic {
                code: d.code.id(),
                column: d.column,
                end_column: end_column(d),
                file: &d.file,
                help: d.help.as_deref(),
                level: level_word(d.level),
                line: d.line,
                message: &d.message,
                promoted_from: d.promoted_from.map(level_word),
                suggestion: d.suggestion.as_ref().map(suggestion),
            })
            .collect(),
        errors,
        failure: failure.map(|f| JsonFailure {
            code: f.code.id(),
            help: f.help.as_deref(),
            message: &f.message,
        }),
        version: VERSION,
        warnings: found.len() - errors,
    };
    serde_json::to_string(&report).expect("a struct of strings and numbers always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn json_diagnostics_keep_their_key_order_and_nulls() {
        let mut warning =
            Diagnostic::warning(Code::TimeAhead, "incidents/a.yaml", "late").with_help("check");
        warning.line = Some(3);
        warning.column = Some(8);
        warning.span = 4;
        let found = [
            Diagnostic::error(Code::InvalidBaseUrl, "status.yaml", "\"bad\""),
            warning.promoted(),
        ];
        assert_eq!(
            diagnostics(&found),
            concat!(
                r#"{"diagnostics":[{"code":"candor::invalid-base-url","column":null,"end_column":null,"file":"status.yaml","help":null,"level":"error","line":null,"message":"\"bad\"","promoted_from":null,"suggestion":null},"#,
                r#"{"code":"candor::time-ahead","column":8,"end_column":12,"file":"incidents/a.yaml","help":"check","level":"error","line":3,"message":"late","promoted_from":"warning","suggestion":null}],"errors":2,"failure":null,"version":1,"warnings":0}"#
            )
        );
    }

    #[test]
    fn a_failed_run_is_json_too() {
        let failure = Failed {
            code: Code::NoSite,
            message: "no status.yaml in site".to_owned(),
            help: Some("run `candor init site`".to_owned()),
        };
        assert_eq!(
            failed(&failure),
            r#"{"diagnostics":[],"errors":0,"failure":{"code":"candor::no-site","help":"run `candor init site`","message":"no status.yaml in site"},"version":1,"warnings":0}"#
        );
    }
}
