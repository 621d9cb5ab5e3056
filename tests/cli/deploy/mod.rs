//! `candor deploy` for real: the sample built and published to a folder, to S3 (moto on
//! 127.0.0.1) and over SSH (sshd on 127.0.0.1, rsync), then an incident edited and another
//! deleted, published again: exactly the files whose bytes changed move, the lost ones are
//! removed, `--dry-run` lists both and changes nothing.

mod crawl;
mod servers;

use crate::support::{self, Run, files, read, someone_elses_folder};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const NOW: &str = "2026-11-01T00:00:00Z";
const EDITED: &str = "incidents/2022-08-23-mail-storage-maintenance.yaml";
const DELETED: &str = "incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml";

/// A file path and its bytes, for a whole tree.
type Tree = BTreeMap<String, Vec<u8>>;

/// A file path and the MD5 of its bytes: what a target holds, as S3 tells it too.
type Digests = BTreeMap<String, String>;

fn digests(tree: &Tree) -> Digests {
    (tree.iter())
        .map(|(path, bytes)| (path.clone(), candor::deploy::md5_hex(bytes)))
        .collect()
}

/// The sample site with `deploy:` entries appended to its status.yaml.
fn site_with(targets: &str) -> tempfile::TempDir {
    let site = support::sample_site();
    let status = site.path().join("status.yaml");
    let text = format!("{}\ndeploy:\n{targets}", read(&status));
    std::fs::write(&status, text).expect("write status.yaml");
    site
}

fn build(site: &Path) -> Tree {
    let out = site.join("public");
    support::build(site, &out, NOW);
    tree(&out)
}

/// Every file below `dir` but candor's markers.
fn tree(dir: &Path) -> Tree {
    (files(dir).into_iter())
        .filter(|f| f != ".candor" && f != ".candor-deploy")
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).expect("read");
            (f, bytes)
        })
        .collect()
}

fn deploy(site: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
    command
        .args(["deploy", "--root"])
        .arg(site)
        .args(args)
        .envs(env.iter().copied());
    support::run(command, None)
}

/// The paths a deploy listed after `  upload ` or `  remove `, sorted.
fn listed(run: &Run, what: &str) -> Vec<String> {
    let prefix = format!("  {what} ");
    let mut paths: Vec<String> = (run.stdout.lines())
        .filter_map(|l| l.strip_prefix(&prefix).map(str::to_owned))
        .collect();
    paths.sort();
    paths
}

/// Edits one incident's title and deletes another, rebuilds, and gives the files whose bytes
/// changed (or are new) and those the site lost.
fn edit_and_rebuild(site: &Path, before: &Tree) -> (Tree, Vec<String>, Vec<String>) {
    let edited = site.join(EDITED);
    let text = read(&edited).replace(
        "title:\n  en: Planned maintenance of Daum Mail and Kakao Mail storage\n",
        "title:\n  en: Planned maintenance of the mail storage\n",
    );
    std::fs::write(&edited, text).expect("edit");
    std::fs::remove_file(site.join(DELETED)).expect("delete");
    let after = build(site);
    let changed: Vec<String> = (after.iter())
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .collect();
    let lost: Vec<String> = (before.keys())
        .filter(|path| !after.contains_key(*path))
        .cloned()
        .collect();
    assert!(
        !changed.is_empty() && changed.len() < after.len() / 2,
        "{changed:?}"
    );
    assert!(
        lost.iter().any(|p| p.starts_with("incidents/2022-09-20")),
        "{lost:?}"
    );
    (after, changed, lost)
}

/// The whole round: first deploy, a deploy with nothing to do, an edit seen with `--dry-run`
/// (nothing moves), then deployed (exactly the changed files move). `remote` reads what the
/// target holds.
fn round_trip(site: &Path, env: &[(&str, &str)], remote: &dyn Fn() -> Digests) {
    let first = build(site);
    let run = deploy(site, env, &["--verbose"]);
    run.exits(0);
    assert_eq!(
        listed(&run, "upload"),
        first.keys().cloned().collect::<Vec<_>>()
    );
    assert!(
        remote() == digests(&first),
        "the target differs from the build"
    );

    let again = deploy(site, env, &["--verbose"]);
    again.exits(0);
    assert!(
        again.stdout.contains(" 0 uploaded, 0 removed,"),
        "{}",
        again.stdout
    );

    let (second, changed, lost) = edit_and_rebuild(site, &first);
    let dry = deploy(site, env, &["--dry-run"]);
    dry.exits(0);
    assert_eq!(listed(&dry, "upload"), changed, "{}", dry.stdout);
    assert_eq!(listed(&dry, "remove"), lost, "{}", dry.stdout);
    assert!(remote() == digests(&first), "--dry-run changed the target");

    let run = deploy(site, env, &["--verbose"]);
    run.exits(0);
    assert_eq!(listed(&run, "upload"), changed, "{}", run.stdout);
    assert_eq!(listed(&run, "remove"), lost, "{}", run.stdout);
    assert!(
        remote() == digests(&second),
        "the target differs from the new build"
    );
    deploy(site, env, &[]).exits(0);
}

#[test]
fn a_folder_gets_exactly_the_changed_files() {
    let site = site_with("  - name: mirror\n    folder: mirror\n");
    let mirror = site.path().join("mirror");
    round_trip(site.path(), &[], &|| digests(&tree(&mirror)));
    // Folders the deleted incident left empty are removed with it.
    assert!(
        !mirror
            .join("incidents/2022-09-20-kakao-t-slow-taxi-dispatch")
            .exists()
    );
}

#[test]
fn a_failing_target_stops_no_other_and_the_exit_code_says_so() {
    let site = site_with("  - name: theirs\n    folder: mine\n  - name: ours\n    folder: ours\n");
    let theirs = someone_elses_folder(site.path());
    let built = build(site.path());
    let run = deploy(site.path(), &[], &[]);
    run.exits(2)
        .says("error: theirs (folder mine): it holds 1 file or folder and no `.candor-deploy`")
        .says("1 of 2 targets failed; the others were published");
    let line = format!(
        "candor: ours (folder ours): {} uploaded, 0 removed",
        built.len()
    );
    assert!(run.stdout.contains(&line), "{}", run.stdout);
    assert_eq!(files(&theirs), ["notes.txt"]);
    assert!(tree(&site.path().join("ours")) == built);
}

#[test]
fn a_mirror_is_never_published_into_the_output() {
    let site = site_with(
        "  - name: inside\n    folder: public/mirror\n    base_url: https://mirror.example/\n",
    );
    let built = build(site.path());
    deploy(site.path(), &[], &["--now", NOW])
        .exits(2)
        .says("inside (folder public/mirror, served at https://mirror.example/)")
        .says("the target is inside the output folder");
    assert!(tree(&site.path().join("public")) == built);
}

#[test]
fn deploy_names_what_is_missing() {
    let site = site_with("  - name: mirror\n    folder: mirror\n");
    deploy(site.path(), &[], &[])
        .exits(2)
        .says("holds no built site")
        .says("run `candor build` first");
    build(site.path());
    deploy(site.path(), &[], &["--target", "backup"])
        .exits(2)
        .says("status.yaml names no deploy target `backup` (it names: mirror)");
    let bare = support::sample_site();
    build(bare.path());
    deploy(bare.path(), &[], &[])
        .exits(2)
        .says("status.yaml names no deploy target");
}

#[test]
fn deploy_targets_are_checked_at_their_line() {
    let site = site_with(
        "  - name: Mirror\n    folder: a\n    rsync: host:/srv\n\
         \x20 - name: b\n    s3: My_Bucket\n    prefix: ../x\n    endpoint: ftp://x\n\
         \x20 - name: c\n    rsync: -oProxyCommand=x:/y\n\
         \x20 - name: d\n    folder: d\n    region: eu\n\
         \x20 - name: m\n    folder: m\n    base_url: example.github.io/status\n\
         \x20 - name: e\n    s3: bucket\n    secret_access_key: hunter2-secret\n",
    );
    let run = support::on_site("check", site.path(), NOW);
    run.exits(1)
        .says("target name `Mirror` is not allowed")
        .says("this target names folder and rsync places at once")
        .says("`My_Bucket` is not a bucket name")
        .says("`../x` is not a folder in the bucket")
        .says("`ftp://x` is not an endpoint address")
        .says("`-oProxyCommand=x:/y` is not a host and folder for rsync over SSH")
        .says("`region` is for `s3` targets only")
        .says("`example.github.io/status` is not a full address")
        .says("credentials are never read from status.yaml");
    assert!(run.stderr.contains("--> status.yaml:"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("hunter2"),
        "a secret was printed:\n{}",
        run.stderr
    );
}

#[test]
fn the_mirrors_recipe_is_a_valid_deploy_list() {
    let block = support::doc_block("docs/deploy.md", "### Two mirrors, two homes", "yaml");
    assert!(
        block.contains("base_url: https://status.example.com/"),
        "{block}"
    );
    // The sample's status.yaml has its own `base_url:` (the same) and no `deploy:` yet.
    let targets = block.split_once("deploy:\n").expect("a deploy list").1;
    let site = site_with(targets);
    support::on_site("check", site.path(), NOW).exits(0);
}

#[test]
fn an_s3_bucket_gets_exactly_the_changed_files_with_their_headers() {
    let Some(server) = servers::present(&servers::moto_server(), "S3") else {
        return;
    };
    let moto = servers::moto(&server, "status-site");
    let endpoint = format!("http://127.0.0.1:{}", moto.port);
    let site = site_with(&format!(
        "  - name: bucket\n    s3: status-site\n    prefix: status\n    region: us-east-1\n    endpoint: {endpoint}\n"
    ));
    let env = [
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "sekrit-never-shown"),
    ];
    let python = server.with_file_name("python");
    let remote = || s3_digests(&python, &endpoint);
    round_trip(site.path(), &env, &remote);
    let heads = s3_heads(&python, &endpoint);
    for (path, content_type, cache) in [
        (
            "feed.atom",
            "application/atom+xml; charset=utf-8",
            "public, max-age=60",
        ),
        (
            "api/v2/summary.json",
            "application/json; charset=utf-8",
            "public, max-age=60",
        ),
        (
            "index.html",
            "text/html; charset=utf-8",
            "public, max-age=60",
        ),
        (
            "static/style.css",
            "text/css; charset=utf-8",
            "public, max-age=3600",
        ),
    ] {
        assert_eq!(
            heads.get(path).map(|(t, c)| (t.as_str(), c.as_str())),
            Some((content_type, cache)),
            "{path}"
        );
    }
}

/// The bucket's objects under `status/` and their ETags: the MD5 of an object put whole.
fn s3_digests(python: &Path, endpoint: &str) -> Digests {
    (s3_listing(python, endpoint).into_iter())
        .filter(|(path, _)| path != ".candor-deploy")
        .map(|(path, (etag, _, _))| (path, etag))
        .collect()
}

fn s3_heads(python: &Path, endpoint: &str) -> BTreeMap<String, (String, String)> {
    (s3_listing(python, endpoint).into_iter())
        .map(|(path, (_, t, c))| (path, (t, c)))
        .collect()
}

/// Key below `status/` → (ETag, Content-Type, Cache-Control), read with boto3 (moto's own
/// dependency) so the check does not go through candor's client.
fn s3_listing(python: &Path, endpoint: &str) -> BTreeMap<String, (String, String, String)> {
    const SCRIPT: &str = r#"
import boto3, json, sys
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
out = {}
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="status-site", Prefix="status/"):
    for o in page.get("Contents", []):
        h = s3.head_object(Bucket="status-site", Key=o["Key"])
        out[o["Key"][len("status/"):]] = [o["ETag"].strip('"'), h.get("ContentType", ""), h.get("CacheControl", "")]
print(json.dumps(out))
"#;
    let output = Command::new(python)
        .args(["-c", SCRIPT, endpoint])
        .output()
        .expect("run boto3");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("listing")
}

#[test]
fn a_host_over_ssh_gets_exactly_the_changed_files() {
    let Some(sshd) = servers::present(Path::new("/usr/sbin/sshd"), "SSH") else {
        return;
    };
    if servers::present(Path::new("/usr/bin/rsync"), "SSH").is_none() {
        return;
    }
    let keys = tempfile::tempdir().expect("tempdir");
    let ssh = servers::sshd(&sshd, keys.path());
    let dest: PathBuf = keys.path().join("www");
    let site = site_with(&format!(
        "  - name: server\n    rsync: {}@127.0.0.1:{}\n",
        ssh.user,
        dest.display()
    ));
    let env = [("RSYNC_RSH", ssh.rsync_rsh.as_str())];
    round_trip(site.path(), &env, &|| {
        if dest.exists() {
            digests(&tree(&dest))
        } else {
            Digests::new()
        }
    });
    let _ = &ssh.server;
}

/// Renames the edited maintenance "Planned maintenance of the mail storage".
fn retitle(site: &Path) {
    let edited = site.join(EDITED);
    let text = read(&edited).replace(
        "title:\n  en: Planned maintenance of Daum Mail and Kakao Mail storage\n",
        "title:\n  en: Planned maintenance of the mail storage\n",
    );
    std::fs::write(&edited, text).expect("edit");
}

#[test]
fn watch_deploy_publishes_each_rebuild() {
    let site = site_with("  - name: mirror\n    folder: mirror\n");
    let root = site.path().to_string_lossy().into_owned();
    let running = support::Running::start(&["watch", "--root", &root, "--now", NOW, "--deploy"]);
    let first = running.wait_for("candor: mirror (folder mirror):");
    assert!(first.contains(" 0 removed, 0 unchanged"), "{first}");
    running.wait_for("watching");
    retitle(site.path());
    let second = running.wait_for("candor: mirror (folder mirror):");
    assert!(!second.contains(": 0 uploaded"), "{second}");
    drop(running);
    let mirror = tree(&site.path().join("mirror"));
    assert!(
        mirror == tree(&site.path().join("public")),
        "the mirror differs from the build"
    );
    let page = "incidents/2022-08-23-mail-storage-maintenance/index.html";
    let bytes = mirror.get(page).expect("the edited page");
    assert!(String::from_utf8_lossy(bytes).contains("Planned maintenance of the mail storage"));
}

/// A `public/` built before `watch --deploy` starts is published at once, not at the first
/// edit; a target that failed is tried again after the next build, even one that changed
/// nothing.
#[test]
fn watch_deploy_publishes_at_start_and_retries_a_failed_target() {
    let site = site_with("  - name: mirror\n    folder: mirror\n");
    build(site.path());
    let mirror = site.path().join("mirror");
    std::fs::create_dir_all(&mirror).expect("mkdir");
    std::fs::write(mirror.join("notes.txt"), "precious").expect("write");
    let root = site.path().to_string_lossy().into_owned();
    let running = support::Running::start(&["watch", "--root", &root, "--now", NOW, "--deploy"]);
    let refused = running.wait_for("mirror (folder mirror)");
    assert!(refused.contains("did not publish"), "{refused}");
    running.wait_for("watching");
    std::fs::remove_file(mirror.join("notes.txt")).expect("clear the folder");
    // A save that changes no byte of the output: the build writes nothing, the deploy is owed.
    let status = site.path().join("status.yaml");
    std::fs::write(&status, read(&status)).expect("save");
    let published = running.wait_for("candor: mirror (folder mirror):");
    assert!(published.contains(" 0 removed, 0 unchanged"), "{published}");
    drop(running);
    assert!(tree(&mirror) == tree(&site.path().join("public")));
}

#[test]
fn watch_deploy_publishes_each_rebuild_to_a_mirror_as_built_for_its_address() {
    let base = "https://example.github.io/status/";
    let site = site_with(&format!(
        "  - name: pages\n    folder: pages\n    base_url: {base}\n"
    ));
    let root = site.path().to_string_lossy().into_owned();
    let running = support::Running::start(&["watch", "--root", &root, "--now", NOW, "--deploy"]);
    running.wait_for(&format!("candor: pages (folder pages, served at {base}):"));
    running.wait_for("watching");
    retitle(site.path());
    let second = running.wait_for("candor: pages (folder pages, served at");
    assert!(!second.contains(": 0 uploaded"), "{second}");
    drop(running);
    // What the mirror got is the site built for its address at the session's instant.
    let expected = site.path().join("expected");
    let output = expected.to_string_lossy().into_owned();
    support::candor(&[
        "build",
        "--root",
        &root,
        "--now",
        NOW,
        "--base-url",
        base,
        "--output",
        &output,
    ])
    .exits(0);
    let mirror = tree(&site.path().join("pages"));
    assert!(
        mirror == tree(&expected),
        "the mirror differs from a build for {base}"
    );
    let feed = String::from_utf8_lossy(&mirror["feed.atom"]).into_owned();
    assert!(feed.contains("Planned maintenance of the mail storage"));
    assert!(feed.contains(&format!("href=\"{base}incidents/")), "{feed}");
}
