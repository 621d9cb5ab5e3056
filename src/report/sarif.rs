//! `check --format sarif`: a SARIF 2.1.0 log (OASIS), the format GitHub code scanning and other
//! tools import. One rule per code (`Code::ALL`, so a rule's index never depends on the run),
//! one result per diagnostic, a fix where the diagnostic has a replacement, and a run that could
//! not check (exit 2) as a tool notification.
//!
//! Never prints. Validated against the OASIS schema in tests/cli/check_formats.rs.

use super::Failed;
use super::json::{end_column, level_word};
use crate::error::{Code, Diagnostic};
use serde_json::{Value, json};

/// The log for `found`, or for a run that failed; `path` turns a diagnostic's file (relative to
/// the site root) into the path from the repository's root, as a URI reference.
pub fn log(
    found: &[Diagnostic],
    failure: Option<&Failed>,
    path: &dyn Fn(&str) -> String,
) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.id(),
                "name": code.name(),
                "shortDescription": { "text": code.about() },
            })
        })
        .collect();
    let results: Vec<Value> = found.iter().map(|d| result(d, path)).collect();
    let mut invocation = json!({ "executionSuccessful": failure.is_none() });
    if let Some(f) = failure {
        let mut text = f.message.clone();
        if let Some(help) = &f.help {
            text.push_str("; ");
            text.push_str(help);
        }
        invocation["toolExecutionNotifications"] = json!([{
            "level": "error",
            "message": { "text": text },
            "descriptor": { "id": f.code.id() },
        }]);
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "candor",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": results,
        }],
    });
    serde_json::to_string(&log).expect("a JSON value always serializes")
}

fn result(d: &Diagnostic, path: &dyn Fn(&str) -> String) -> Value {
    let uri = uri(&path(&d.file));
    let mut location = json!({ "artifactLocation": { "uri": uri } });
    if let Some(line) = d.line {
        let mut region = json!({ "startLine": line });
        if let (Some(col), Some(end)) = (d.column, end_column(d)) {
            region["startColumn"] = json!(col);
            region["endColumn"] = json!(end);
        }
        location["region"] = region;
    }
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
    let mut result = json!({
        "ruleId": d.code.id(),
        "ruleIndex": index,
        "level": level_word(d.level),
        "message": { "text": text },
        "locations": [{ "physicalLocation": location }],
    });
    if let Some(s) = &d.suggestion {
        result["fixes"] = json!([{
            "description": { "text": d.help.clone().unwrap_or_else(|| d.message.clone()) },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri },
                "replacements": [{
                    "deletedRegion": {
                        "startLine": s.line,
                        "startColumn": s.column,
                        "endColumn": s.end_column,
                    },
                    "insertedContent": { "text": s.replacement },
                }],
            }],
        }]);
    }
    if let Some(from) = d.promoted_from {
        result["properties"] = json!({ "promotedFrom": level_word(from) });
    }
    result
}

/// A relative path as a URI reference: every byte but unreserved characters and `/`
/// percent-encoded, so a space or `#` in a file name stays part of the path.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("site/incidents/a b#1.yaml"),
            "site/incidents/a%20b%231.yaml"
        );
        assert_eq!(uri("장애.yaml"), "%EC%9E%A5%EC%95%A0.yaml");
    }
}
