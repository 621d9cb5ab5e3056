//! The CI recipes of docs/deploy.md that cannot run here (no network), held together: the
//! folder each caches is the folder candor is installed into and run from, and the GitHub
//! cache is keyed on the commit the install builds. (`.ci/recipes` lints them with actionlint
//! and hadolint.)

use crate::support::doc_block;
use serde_json::Value;

fn yaml(text: &str) -> Value {
    yaml_serde::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

/// Every `run:` of a list of steps, joined.
fn runs(steps: &[Value]) -> String {
    (steps.iter())
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_github_workflow_installs_candor_once_per_commit_into_the_cached_folder() {
    let workflow = yaml(&doc_block("docs/deploy.md", "### GitHub Pages", "yaml"));
    let steps = workflow["jobs"]["publish"]["steps"]
        .as_array()
        .expect("steps");
    let uses = |action: &str| {
        (steps.iter())
            .find(|s| s["uses"].as_str() == Some(action))
            .unwrap_or_else(|| panic!("a step uses {action}"))
    };
    let restore = uses("actions/cache/restore@v4");
    let save = uses("actions/cache/save@v4");
    let run = runs(steps);
    assert_eq!(restore["with"]["path"], "~/.candor");
    assert_eq!(save["with"]["path"], "~/.candor");
    let key = restore["with"]["key"].as_str().expect("key");
    assert!(key.contains("${{ steps.candor.outputs.commit }}"), "{key}");
    assert_eq!(
        save["with"]["key"],
        "${{ steps.cache.outputs.cache-primary-key }}"
    );
    // Built at exactly the commit the key names, into the cached folder, only on a miss, and
    // found on the PATH either way.
    let install = (steps.iter())
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("cargo install"))
        })
        .expect("an install step");
    assert_eq!(install["if"], "steps.cache.outputs.cache-hit != 'true'");
    assert_eq!(save["if"], install["if"]);
    assert_eq!(
        install["env"]["COMMIT"],
        "${{ steps.candor.outputs.commit }}"
    );
    let command = install["run"].as_str().expect("run");
    assert!(
        command.contains("--rev \"$COMMIT\"") && command.contains("--root ~/.candor "),
        "{command}"
    );
    assert!(
        run.contains("echo \"$HOME/.candor/bin\" >> \"$GITHUB_PATH\""),
        "{run}"
    );
    assert!(
        run.contains("candor build") && !run.contains("build --strict"),
        "{run}"
    );
}

#[test]
fn the_gitlab_pipeline_caches_the_folder_candor_is_installed_into() {
    let pipeline = yaml(&doc_block("docs/deploy.md", "### GitLab Pages", "yaml"));
    let job = &pipeline["pages"];
    assert_eq!(job["cache"]["paths"][0], ".candor-install/");
    let script: Vec<&str> = (job["script"].as_array().expect("script").iter())
        .filter_map(Value::as_str)
        .collect();
    assert!(
        script[0].starts_with("cargo install ") && script[0].contains(" --root .candor-install "),
        "{script:?}"
    );
    assert_eq!(script[1], ".candor-install/bin/candor build");
    assert_eq!(job["artifacts"]["paths"][0], "public");
}
