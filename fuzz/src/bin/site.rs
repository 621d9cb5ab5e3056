//! The AFL target: each input through `Harness::run` (load, check, state, render), in AFL's
//! persistent mode, one scratch folder and one theme per language for the whole process.
//! Built only with `cargo afl build --features afl`; never run outside AFL (use `replay`).

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;

fn main() {
    // A panic aborts the process (AFL's hook) before anything could observe a half-updated
    // harness, so it need not be unwind safe.
    let harness = AssertUnwindSafe(RefCell::new(candor_fuzz::Harness::new()));
    afl::fuzz!(|data: &[u8]| {
        harness.borrow_mut().run(data);
    });
}
