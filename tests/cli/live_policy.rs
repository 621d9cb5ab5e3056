//! `watch` (native events and `--poll`) applies the symlink policy of `build` to links made
//! while it runs: a link out of the site, added to `incidents/` after the start, is refused at
//! once and at every later edit, its target's text never reaches `public/`, the last good site
//! stays whole, and removing the link publishes the edits made meanwhile.

use crate::support::*;

const NOW: &str = "2022-10-25T00:00:00+09:00";
const TAXI: &str = "incidents/2022-09-20-kakao-t-slow-taxi-dispatch.yaml";
const SECRET: &str = "Outside-the-site secret title";

#[cfg(unix)]
#[test]
fn a_link_out_of_the_site_made_while_watch_runs_is_refused_as_build_refuses_it() {
    for mode in [None, Some("--poll")] {
        refused_while_running(mode);
    }
}

#[cfg(unix)]
fn refused_while_running(mode: Option<&str>) {
    let (site, outside) = (sample_site(), tempfile::tempdir().expect("tempdir"));
    let taxi = site.path().join(TAXI);
    let text = read(&taxi);
    // A valid incident: were it read, it would be published.
    let secret = outside.path().join("secret.yaml");
    std::fs::write(
        &secret,
        text.replacen("title:\n  en: ", &format!("title:\n  en: {SECRET} "), 1),
    )
    .expect("secret");
    let root = site.path().to_string_lossy().into_owned();
    let mut args = vec!["watch", "--root", &root, "--now", NOW];
    args.extend(mode);
    let running = Running::start(&args);
    running.wait_for("watching");
    let public = site.path().join("public");
    let before = read(&public.join("index.html"));

    let link = site.path().join("incidents/2022-10-24-linked.yaml");
    std::os::unix::fs::symlink(&secret, &link).expect("symlink");
    let refusal = "this is a symlink to";
    running.wait_for(refusal);
    running.wait_for("the last good site stays in place");

    // The next edit of a good file is refused too: the folder still holds the link.
    std::fs::write(
        &taxi,
        text.replacen("title:\n  en: ", "title:\n  en: Edited meanwhile, ", 1),
    )
    .expect("edit");
    let line = running.wait_for(refusal);
    assert!(
        line.contains(
            &outside
                .path()
                .canonicalize()
                .expect("resolve")
                .display()
                .to_string()
        )
    );
    running.wait_for("the last good site stays in place");
    for file in files(&public) {
        let bytes = std::fs::read(public.join(&file)).expect("read");
        let published = String::from_utf8_lossy(&bytes);
        assert!(
            !published.contains(SECRET),
            "{mode:?}: {file} holds the secret"
        );
        assert!(
            !published.contains("Edited meanwhile"),
            "{mode:?}: {file} changed"
        );
    }
    assert_eq!(read(&public.join("index.html")), before, "{mode:?}");

    // The fix publishes the edit made meanwhile.
    std::fs::remove_file(&link).expect("rm");
    running.wait_for("rendered");
    let page = public.join("incidents/2022-09-20-kakao-t-slow-taxi-dispatch/index.html");
    assert!(read(&page).contains("Edited meanwhile"), "{mode:?}");
}

/// A live rebuild checks the paths that changed and the folder's links, not every file: a loop
/// made while `watch` runs is refused at the next save as `build` refuses it, and the save after
/// its removal is published.
#[cfg(unix)]
#[test]
fn a_symlink_loop_made_while_watch_runs_is_refused() {
    let site = sample_site();
    let root = site.path().to_string_lossy().into_owned();
    let running = Running::start(&["watch", "--root", &root, "--now", NOW]);
    running.wait_for("watching");
    let link = site.path().join("incidents/loop");
    std::os::unix::fs::symlink(".", &link).expect("symlink");
    // A link with no `.yaml` name starts no rebuild; the next save meets it.
    let taxi = site.path().join(TAXI);
    let text = read(&taxi);
    std::fs::write(
        &taxi,
        text.replacen("title:\n  en: ", "title:\n  en: During the loop, ", 1),
    )
    .expect("edit");
    running.wait_for("symlink leads back to");
    std::fs::remove_file(&link).expect("rm");
    std::fs::write(
        &taxi,
        text.replacen("title:\n  en: ", "title:\n  en: After the loop, ", 1),
    )
    .expect("edit");
    running.wait_for("rendered");
    let page = read(
        &site
            .path()
            .join("public/incidents/2022-09-20-kakao-t-slow-taxi-dispatch/index.html"),
    );
    assert!(
        page.contains("After the loop,"),
        "the edit after the fix is published"
    );
}
