//! Text as editors save it: a byte-order mark, CRLF and CR line ends, wide characters, and YAML
//! mistakes reported as what they are, where they are.

use super::*;

/// Rewrites every `.yaml` file below `dir` with `end` for each line end.
fn with_line_ends(dir: &Path, end: &str) {
    for f in files(dir) {
        if !f.ends_with(".yaml") {
            continue;
        }
        let path = dir.join(&f);
        let text = read(&path).replace("\r\n", "\n");
        std::fs::write(&path, text.replace('\n', end)).expect("write");
    }
}

/// A file saved by Windows Notepad starts with U+FEFF; it is read as the same site
/// (regression: "missing key `base_url`" for a key on screen, shared case 09-utf8-bom).
#[test]
fn a_byte_order_mark_is_read_as_nothing() {
    let bom = copy_site(&fixture("input/bom"));
    assert!(
        std::fs::read(bom.path().join("status.yaml"))
            .expect("read")
            .starts_with(b"\xEF\xBB\xBF")
    );
    assert_eq!(
        check(bom.path()),
        (0, "candor: 0 errors, 0 warnings\n".into())
    );
    let plain = copy_site(&fixture("input/site"));
    assert!(build(bom.path()) == build(plain.path()), "the same site");

    // Columns count from the first visible character, and the mark is not shown.
    let path = bom.path().join(INCIDENT);
    let text = read(&path).replacen("title:", "titel:", 1);
    std::fs::write(&path, text).expect("write");
    let (code, stderr) = check(bom.path());
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: unknown key `titel`\n --> incidents/2024-03-05-outage.yaml:1:1\n  |\n1 | titel: Website and API errors\n  | ^^^^^\n"
        ),
        "{stderr}"
    );
}

/// Files with CRLF (Windows) or CR line ends report every problem exactly as with LF — line,
/// column, the line shown and the caret — for every broken, warning and input case we keep.
#[test]
fn crlf_and_cr_files_report_exactly_as_lf_files() {
    let mut failures = Vec::new();
    let mut cases = Vec::new();
    for corpus in ["broken", "warnings", "input"] {
        for entry in std::fs::read_dir(fixture(corpus)).expect("corpus") {
            let path = entry.expect("entry").path();
            if path.join("status.yaml").is_file() {
                cases.push(path);
            }
        }
    }
    cases.sort();
    assert!(cases.len() > 40, "the corpora are there");
    for case in &cases {
        let lf = copy_site(case);
        let want = check(lf.path());
        for end in ["\r\n", "\r"] {
            let site = copy_site(case);
            with_line_ends(site.path(), end);
            let got = check(site.path());
            if got != want {
                failures.push(format!(
                    "{} with {end:?}:\n{}\ninstead of\n{}",
                    case.display(),
                    got.1,
                    want.1
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A site saved with CRLF builds byte for byte the site saved with LF: block texts, folded
/// lines and quoted texts across lines included.
#[test]
fn a_crlf_site_builds_the_same_site() {
    let mut sites = vec![fixture("input/site")];
    for entry in std::fs::read_dir(fixture("real")).expect("real") {
        sites.push(entry.expect("entry").path());
    }
    for case in sites.iter().filter(|p| p.join("status.yaml").is_file()) {
        let lf = copy_site(case);
        let crlf = copy_site(case);
        with_line_ends(crlf.path(), "\r\n");
        assert!(
            build(lf.path()) == build(crlf.path()),
            "{}: CRLF builds another site",
            case.display()
        );
    }
}

/// A mis-indented line that opens a quote is the YAML error it is, at its line (it was
/// reported as "missing key `message`" at the entry above).
#[test]
fn a_misindented_line_with_an_unclosed_quote_is_reported_at_that_line() {
    let (code, stderr) = check(&fixture("input/misindented-quote"));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "\
error: did not find expected '-' indicator, while parsing a block collection
  --> incidents/2024-03-05-outage.yaml:10:3
   |
10 |   message: \"We are investigating errors on the website.
   |   ^^^^^^^
   = help: check the indentation and quoting of this line and the one above

candor: 1 error, 0 warnings
"
    );
}

/// An unclosed quote is reported where it opens, not at the end of the file.
#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    let site = site_with(
        "message: We are investigating errors on the website and the API.",
        "message: \"We are investigating errors on the website and the API.",
    );
    let (code, stderr) = check(site.path());
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: the quoted text that starts here goes on to a line indented less than it: is its closing \" missing?\n  --> incidents/2024-03-05-outage.yaml:20:14\n"
        ),
        "{stderr}"
    );
}

/// A repeated key names the line of its second writing (it said 1:1, or the entry's line).
#[test]
fn a_duplicate_key_is_reported_at_its_second_line() {
    let (code, stderr) = check(&fixture("input/duplicate-key"));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "\
error: `title` is written twice
  --> incidents/2024-03-05-outage.yaml:11:1
   |
11 | title: Website errors
   | ^^^^^
   = help: keep one: the first `title:` is on line 1

error: `impact` is written twice in service #1
 --> incidents/2024-04-01-api.yaml:7:5
  |
7 |     impact: partial_outage
  |     ^^^^^^
  = help: keep one: the first `impact:` is on line 6

candor: 2 errors, 0 warnings
"
    );
}

/// After Korean text (two cells a character on a terminal) the caret stands under the value
/// and covers it; in a flow mapping it stops at the value's comma or brace.
#[test]
fn a_caret_after_wide_characters_stands_under_the_value() {
    let (code, stderr) = check(&fixture("input/wide-caret"));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "\
error: unknown service \"카카오페이\"
 --> incidents/2024-03-05-outage.yaml:5:28
  |
5 |   - { note: 판교 화재로 중단, id: 카카오페이, impact: major_outage }
  |                                   ^^^^^^^^^^
  = help: did you mean `web`? known services: web, api

error: unknown impact `전면장애`
 --> incidents/2024-03-05-outage.yaml:6:41
  |
6 |   - { note: 판교 화재로 중단, id: web, impact: 전면장애 }
  |                                                ^^^^^^^^
  = help: allowed: degraded_performance | partial_outage | major_outage | under_maintenance

candor: 2 errors, 0 warnings
"
    );
}
