//! Runs inputs through the fuzz target's body outside AFL, rendering at every instant the
//! fuzzer may have picked, so a crash shows its panic message and (with RUST_BACKTRACE=1) its
//! backtrace: `replay FILE…`, or a folder of inputs. Prints one line per input with its time;
//! exits 1 if any input panicked.
//!
//! Never changes an input file; writes only the harness's scratch folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let mut inputs: Vec<PathBuf> = Vec::new();
    for arg in std::env::args_os().skip(1) {
        let path = PathBuf::from(arg);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
                .expect("read the folder")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && !is_readme(p))
                .collect();
            files.sort();
            inputs.extend(files);
        } else {
            inputs.push(path);
        }
    }
    if inputs.is_empty() {
        eprintln!("usage: replay FILE_OR_FOLDER…");
        std::process::exit(2);
    }
    let mut harness = candor_fuzz::Harness::new();
    // Every instant the fuzzer might have rendered at, whatever the input's length now.
    harness.every_render = true;
    let mut failed = 0;
    for input in &inputs {
        let data = std::fs::read(input).expect("read the input");
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| harness.run(&data)));
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match outcome {
            Ok(()) => println!("ok     {ms:9.1} ms  {}", input.display()),
            Err(_) => {
                failed += 1;
                println!("PANIC  {ms:9.1} ms  {}", input.display());
            }
        }
    }
    println!("{} inputs, {failed} panicked", inputs.len());
    std::process::exit(i32::from(failed > 0));
}

fn is_readme(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("README"))
}
