//! Tests of the writer on real folders: paths that climb out, unchanged files kept, the atomic
//! swap seen by a reader, a folder candor did not make, a build that never commits. Each works
//! in a temp folder of its own and never touches another.

use super::*;

/// The lock of `out`, which no other test holds.
fn lock(out: &Path) -> OutputLock {
    OutputLock::acquire(out, &mut |w| panic!("{w:?}: no other writer here")).expect("lock")
}

#[test]
fn paths_that_climb_out_are_refused() {
    for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\b", "./"] {
        assert!(safe_relative(bad).is_err(), "{bad:?}");
    }
    assert!(safe_relative("incidents/fire/index.html").is_ok());
}

#[test]
fn unchanged_files_keep_their_inode_and_removed_files_go() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("public");
    let file = |path: &str, text: &str| OutputFile {
        path: path.to_owned(),
        bytes: text.as_bytes().to_vec(),
    };
    let l = lock(&out);
    let w = Writer::begin(&l).expect("begin");
    w.write(&file("a.html", "same")).expect("write");
    w.write(&file("gone.html", "old")).expect("write");
    w.commit().expect("commit");
    let before = std::fs::metadata(out.join("a.html"))
        .expect("a")
        .modified()
        .expect("mtime");

    let w = Writer::begin(&l).expect("begin");
    w.write(&file("a.html", "same")).expect("write");
    w.write(&file("b.html", "new")).expect("write");
    let committed = w.commit().expect("commit");
    assert_eq!(
        committed.stats,
        WriteStats {
            written: 1,
            unchanged: 1
        }
    );
    let after = std::fs::metadata(out.join("a.html"))
        .expect("a")
        .modified()
        .expect("mtime");
    assert_eq!(before, after);
    assert!(!out.join("gone.html").exists());
    assert!(out.join(MARKER).exists());
    assert_eq!(
        Some(committed.outputs),
        fingerprint::outputs(&out, MARKER),
        "the writer's record of the output is what a walk of it finds"
    );
}

#[test]
fn a_reader_never_finds_the_output_folder_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("public");
    let page = |n: usize| OutputFile {
        path: "index.html".into(),
        bytes: format!("v{n}").into_bytes(),
    };
    let l = lock(&out);
    let w = Writer::begin(&l).expect("begin");
    w.write(&page(0)).expect("write");
    w.commit().expect("commit");
    let done = std::sync::atomic::AtomicBool::new(false);
    let missing = std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let mut missing = 0;
            while !done.load(Ordering::Relaxed) {
                if !out.join("index.html").exists() {
                    missing += 1;
                }
            }
            missing
        });
        for n in 1..300 {
            let w = Writer::begin(&l).expect("begin");
            w.write(&page(n)).expect("write");
            w.commit().expect("commit");
        }
        done.store(true, Ordering::Relaxed);
        reader.join().expect("reader")
    });
    assert_eq!(
        missing, 0,
        "the site was missing {missing} times during 300 swaps"
    );
}

#[test]
fn a_folder_candor_did_not_create_is_never_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("thesis.tex"), "years of work").expect("write");
    assert!(matches!(
        Writer::begin(&lock(dir.path())),
        Err(WriteError::NotOurs(_))
    ));
}

#[test]
fn an_uncommitted_build_leaves_the_old_site() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("public");
    let l = lock(&out);
    let w = Writer::begin(&l).expect("begin");
    w.write(&OutputFile {
        path: "index.html".into(),
        bytes: b"v1".to_vec(),
    })
    .expect("write");
    w.commit().expect("commit");
    let w = Writer::begin(&l).expect("begin");
    w.write(&OutputFile {
        path: "index.html".into(),
        bytes: b"v2".to_vec(),
    })
    .expect("write");
    drop(w);
    drop(l);
    assert_eq!(std::fs::read(out.join("index.html")).expect("read"), b"v1");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no staging folder left behind");
}
