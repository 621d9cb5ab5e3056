//! Messages that say what is wrong where it is: a NUL at its own place (not a "missing quote"),
//! a non-UTF-8 byte at its line and column, control characters quoted from a file escaped in
//! the terminal, a tag or attribute the sanitizer drops warned about at its line, and every
//! symlink loop of a folder named.

use crate::support::*;

const NOW: &str = "2024-04-01T00:00:00Z";
const OUTAGE: &str = "incidents/2024-03-05-outage.yaml";

fn site_with(edit: impl FnOnce(&std::path::Path)) -> (tempfile::TempDir, Run) {
    let site = copy_site(&fixture("input/site"));
    edit(site.path());
    let root = site.path().to_string_lossy().into_owned();
    let run = candor(&["check", "--root", &root, "--now", NOW]);
    (site, run)
}

fn replace(root: &std::path::Path, from: &str, to: &[u8]) {
    let path = root.join(OUTAGE);
    let text = std::fs::read(&path).expect("read");
    let at = (text.windows(from.len()))
        .position(|w| w == from.as_bytes())
        .expect("text to replace");
    let mut edited = text[..at].to_vec();
    edited.extend_from_slice(to);
    edited.extend_from_slice(&text[at + from.len()..]);
    std::fs::write(path, edited).expect("write");
}

#[test]
fn a_nul_in_a_quoted_title_is_reported_at_the_nul() {
    let (_site, run) = site_with(|root| {
        replace(
            root,
            "title: Website and",
            b"title: \"Website \0 and\"\ntitle2:",
        );
    });
    run.exits(1).says(&format!(
        "error: the file holds U+0000, a control character no YAML file may hold\n \
         --> {OUTAGE}:1:17\n  |\n1 | title: \"Website \u{2400} and\"\n  |                 ^\n"
    ));
    assert!(!run.stderr.contains("never ends"), "{}", run.stderr);
    assert!(!run.stderr.contains('\0'), "a NUL reached the terminal");
}

#[test]
fn a_file_that_is_not_utf8_is_reported_at_the_line_and_column_of_the_first_bad_byte() {
    let (_site, run) = site_with(|root| {
        replace(
            root,
            "investigating errors",
            b"investigating caf\xe9 errors",
        );
    });
    run.exits(1)
        .says("error: file is not UTF-8: byte 0xE9 at line 20, column 38");
    run.says(&format!("  --> {OUTAGE}:20:38\n"));
}

#[test]
fn control_characters_quoted_from_a_file_are_escaped_in_the_terminal() {
    let (_site, run) = site_with(|root| {
        replace(
            root,
            "message: We are investigating",
            b"message: \"[x](java&#x0A;script:alert(1)) \\u001b[2J We are investigating",
        );
        replace(root, "the API.\n", b"the API.\"\n");
    });
    run.exits(1)
        .says("warning: unsafe link `java\\nscript:alert(1)` is dropped from the output")
        .says("`message` holds U+001B (a control character)");
    let controls = (run.stderr.chars()).filter(|c| c.is_control() && *c != '\n');
    assert_eq!(controls.count(), 0, "{:?}", run.stderr);
}

#[test]
fn html_the_sanitizer_drops_is_warned_about_at_its_line() {
    let (_site, run) = site_with(|root| {
        replace(
            root,
            "  The website and the API returned errors for two hours.\n",
            b"  The website and the API returned errors for two hours.\n  \
              <img src=\"/chart.png\" srcset=\"/big.png 2x\" alt=\"chart\">\n  \
              <iframe src=\"https://example.org/\"></iframe>\n",
        );
    });
    run.exits(0)
        .says(&format!(
            "warning: attribute `srcset` of `<img>` is dropped from the output\n \
             --> {OUTAGE}:7:25\n"
        ))
        .says(&format!(
            "warning: `<iframe>` is dropped from the output\n --> {OUTAGE}:8:3\n"
        ));
    // What it keeps is no warning.
    assert!(!run.stderr.contains("`alt`"), "{}", run.stderr);
    assert!(!run.stderr.contains("attribute `src`"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn every_symlink_loop_of_a_folder_is_named() {
    use std::os::unix::fs::symlink;
    let (_site, run) = site_with(|root| {
        for name in ["a", "b"] {
            symlink(".", root.join("incidents").join(name)).expect("symlink");
        }
    });
    run.exits(1)
        .says(" --> incidents/a\n")
        .says(" --> incidents/b\n")
        .says("candor: 2 errors");
}

#[test]
fn every_link_out_of_the_site_is_named() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    for name in ["one.yaml", "two.yaml"] {
        std::fs::write(outside.path().join(name), "title: x\n").expect("write");
    }
    let (_site, run) = site_with(|root| {
        for (link, to) in [
            ("2024-03-06-a.yaml", "one.yaml"),
            ("2024-03-07-b.yaml", "two.yaml"),
        ] {
            symlink(outside.path().join(to), root.join("incidents").join(link)).expect("symlink");
        }
    });
    run.exits(1)
        .says(" --> incidents/2024-03-06-a.yaml\n")
        .says(" --> incidents/2024-03-07-b.yaml\n")
        .says("candor: 2 errors");
}

/// U+2028, U+2029 and U+0085 are line breaks to YAML: pasted into a title they made the parser
/// report a missing `:` on another line; they are named at their own place.
#[test]
fn a_line_separator_pasted_into_a_text_is_reported_at_its_place() {
    for separator in ["\u{2028}", "\u{2029}", "\u{85}"] {
        let (_site, run) = site_with(|root| {
            replace(
                root,
                "title: Website and",
                format!("title: Website{separator}and").as_bytes(),
            );
        });
        let code = u32::from(separator.chars().next().expect("a character"));
        run.exits(1)
            .says(&format!(
                "error: the file holds U+{code:04X}, a line separator that YAML reads as a line break"
            ))
            .says(&format!("--> {OUTAGE}:1:15"))
            .says("replace it with a space");
        assert!(
            !run.stderr.contains("could not find expected"),
            "{}",
            run.stderr
        );
    }
}
