//! The CI contract of `candor check` (docs/check-format.md): `--format json` with its version,
//! rule codes, end columns and fixes; `--strict` keeping each diagnostic's own level; exit-2
//! failures as JSON; `--format github` annotations; `--format sarif`, validated against the
//! OASIS SARIF 2.1.0 schema. Runs the binary on copies of the fixtures.

use crate::support::*;
use serde_json::Value;

const NOW: &str = "2024-06-01T00:00:00Z";
const CLOCK: i64 = 1_717_200_000;

/// `candor check --format FORMAT` (and `extra`) in a copy of the fixture `case`.
fn check(case: &str, format: &str, extra: &[&str]) -> Run {
    let site = copy_site(&fixture(case));
    let mut args = vec!["check", "--format", format, "--now", NOW];
    args.extend_from_slice(extra);
    candor_in(site.path(), CLOCK, &args)
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn every_diagnostic_has_a_code_an_end_column_and_the_version() {
    let run = check("broken/yaml-syntax-colon-in-value", "json", &[]);
    run.exits(1);
    let out = json(&run);
    assert_eq!(out["version"], 1);
    let d = &out["diagnostics"][0];
    assert_eq!(d["code"], "candor::yaml-needs-quotes");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(14), Some(14))
    );
    // `Root cause: a bad deploy, rolled back.` is 38 characters.
    assert_eq!(d["end_column"], 52);
    let fix = &d["suggestion"];
    assert_eq!(
        fix["replacement"],
        "\"Root cause: a bad deploy, rolled back.\""
    );
    assert_eq!(
        (fix["line"].as_u64(), fix["column"].as_u64()),
        (Some(14), Some(14))
    );
    assert_eq!(fix["end_column"], 52);
    assert!(out["failure"].is_null());
}

#[test]
fn strict_keeps_the_level_each_diagnostic_had() {
    let run = check("warnings/unresolved-over-30-days", "json", &["--strict"]);
    run.exits(1);
    let d = &json(&run)["diagnostics"][0];
    assert_eq!(d["level"], "error");
    assert_eq!(d["promoted_from"], "warning");
    assert_eq!(d["code"], "candor::long-unresolved");
    let plain = check("warnings/unresolved-over-30-days", "json", &[]);
    let d = &json(&plain)["diagnostics"][0];
    assert_eq!(
        (d["level"].as_str(), d["promoted_from"].is_null()),
        (Some("warning"), true)
    );
}

/// A site with an error as well as a warning: --strict still counts the warning as an error.
#[test]
fn strict_promotes_warnings_beside_errors_too() {
    let site = copy_site(&fixture("warnings/unresolved-over-30-days"));
    // Another incident with an error: the first one still loads, with its warning.
    let broken = site.path().join("incidents/2024-05-01-broken.yaml");
    std::fs::write(
        &broken,
        "title: Broken\nstart: 2024-05-01T10:00:00Z\ncolour: red\n",
    )
    .expect("write");
    let run = candor_in(
        site.path(),
        CLOCK,
        &["check", "--format", "json", "--now", NOW, "--strict"],
    );
    run.exits(1);
    let out = json(&run);
    let found: Vec<(String, Option<String>)> = out["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["promoted_from"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert!(
        found.contains(&("candor::unknown-field".to_owned(), None)),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "candor::long-unresolved".to_owned(),
            Some("warning".to_owned())
        )),
        "{found:?}"
    );
    assert_eq!(out["warnings"], 0, "{}", run.stdout);
}

#[test]
fn a_run_that_cannot_check_says_why_in_json() {
    let run = check("broken/no-status-yaml", "json", &[]);
    run.exits(2);
    let failure = &json(&run)["failure"];
    assert_eq!(failure["code"], "candor::no-site");
    assert!(
        failure["help"]
            .as_str()
            .is_some_and(|h| h.contains("candor init"))
    );
    let site = copy_site(&fixture("broken/unknown-impact"));
    let args = ["check", "--format", "json", "--now", "yesterday"];
    let run = candor_in(site.path(), CLOCK, &args);
    run.exits(2);
    let out = json(&run);
    assert_eq!(out["failure"]["code"], "candor::usage");
    assert!(
        out["failure"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("--now"))
    );
    assert_eq!(out["diagnostics"], Value::Array(vec![]));
}

#[test]
fn github_annotations_name_the_file_from_where_candor_runs() {
    let parent = tempfile::tempdir().expect("tempdir");
    copy_dir(
        &fixture("broken/unknown-impact"),
        &parent.path().join("status site"),
    );
    let args = [
        "check",
        "--root",
        "status site",
        "--format",
        "github",
        "--now",
        NOW,
    ];
    let run = candor_in(parent.path(), CLOCK, &args);
    run.exits(1);
    assert_eq!(
        run.stdout,
        "::error file=status site/incidents/2024-03-05-outage.yaml,line=8,endLine=8,col=13,\
         endColumn=26,title=candor%3A%3Aunknown-impact::unknown impact `major_outtage`%0Ahelp: \
         did you mean `major_outage`? allowed: degraded_performance | partial_outage | \
         major_outage | under_maintenance\n"
    );
    // People reading the CI log still see the diagnostic as in a terminal.
    run.says("--> incidents/2024-03-05-outage.yaml:8:13");
    let run = check("warnings/unsafe-links-everywhere", "github", &[]);
    run.exits(0);
    assert_eq!(run.stdout.lines().count(), 6);
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("::warning file=incidents/"))
    );
}

/// The OASIS schema, draft 4, as published with SARIF 2.1.0 (tests/schemas/README.md).
fn sarif_schema() -> jsonschema::Validator {
    let text = read(&repo().join("tests/schemas/sarif-schema-2.1.0.json"));
    let schema: Value = serde_json::from_str(&text).expect("schema parses");
    jsonschema::draft4::new(&schema).expect("a valid draft 4 schema")
}

#[track_caller]
fn assert_valid_sarif(validator: &jsonschema::Validator, log: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not SARIF 2.1.0:\n{}\n{log}",
        errors.join("\n")
    );
}

#[test]
fn sarif_logs_are_valid_sarif_with_one_rule_per_code() {
    let validator = sarif_schema();
    for (case, code) in [
        ("broken/yaml-syntax-colon-in-value", 1),
        ("warnings/unsafe-links-everywhere", 1),
        ("broken/no-status-yaml", 2),
    ] {
        let run = check(case, "sarif", &["--strict"]);
        run.exits(code);
        let log = json(&run);
        assert_valid_sarif(&validator, &log);
        let run0 = &log["runs"][0];
        let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
        let ids: std::collections::HashSet<_> = rules.iter().map(|r| r["id"].as_str()).collect();
        assert_eq!(ids.len(), rules.len(), "one rule per code");
        for result in run0["results"].as_array().expect("results") {
            let index = result["ruleIndex"].as_u64().expect("index") as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "{case}");
        }
        assert_eq!(
            run0["invocations"][0]["executionSuccessful"],
            code != 2,
            "{case}"
        );
    }
    let run = check("broken/yaml-syntax-colon-in-value", "sarif", &[]);
    let result = &json(&run)["runs"][0]["results"][0];
    let replacement = &result["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(
        replacement["insertedContent"]["text"],
        "\"Root cause: a bad deploy, rolled back.\""
    );
    assert_eq!(replacement["deletedRegion"]["startColumn"], 14);
    let strict = check("warnings/unresolved-over-30-days", "sarif", &["--strict"]);
    let result = &json(&strict)["runs"][0]["results"][0];
    assert_eq!(result["level"], "error");
    assert_eq!(result["properties"]["promotedFrom"], "warning");
}
