//! Fuzz `merge-runs` equivalence: the input picks steps from the grammar of
//! `tests/support/shell_equivalence.rs` (stateful builtins, comments, background jobs, `;`,
//! `||`, compound commands, subshells, ...), stagegen emits them without and with the pass, and
//! the separate and the merged RUNs must agree when run in `dash` (and in `bash`, as the first
//! byte picks). Only templates of that grammar are ever run, never the raw bytes.
//!
//! The raw bytes also go through the shell reader and `and_operand` (as text), which must not
//! panic.
//!
//! Run: `cargo +nightly fuzz run merge_runs -- -max_total_time=300` (seed corpus:
//! `fuzz/corpus/merge_runs/`, kept in the repo).
#![no_main]

#[path = "../../tests/support/shell_equivalence.rs"]
mod shell_equivalence;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use shell_equivalence::{check, scenario, shells, FromBytes, Shell};

fn the_shells() -> &'static [Shell] {
    static SHELLS: OnceLock<Vec<Shell>> = OnceLock::new();
    SHELLS.get_or_init(shells)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = stagegen::shell::syntax::analyze(text);
        let _ = stagegen::shell::syntax::and_operand(text, false);
    }
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let shells = the_shells();
    let shell = &shells[*first as usize % shells.len()];
    let steps = scenario(&mut FromBytes(rest));
    let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
    if let Err(mismatch) = check(shell, &steps) {
        panic!("{mismatch}");
    }
});
