//! Fuzz parse + validate + resolve + optimize + emit: any bytes as a build.toml must give
//! diagnostics or outputs, never a panic. The context folder holds a small Go module so the
//! preset path is reached too. Run: `cargo +nightly fuzz run compile -- -max_total_time=600`
//! (seed corpus: the case directories, `fuzz/seed-corpus.sh`).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn context() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join("stagegen-fuzz-context");
        let _ = std::fs::create_dir_all(dir.join("cmd/api"));
        let _ = std::fs::write(dir.join("go.mod"), "module example.com/x\n\ngo 1.22\n\nrequire a.b/c v1.0.0\n");
        let _ = std::fs::write(dir.join("go.sum"), "");
        let _ = std::fs::write(dir.join("cmd/api/main.go"), "package main\n");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = stagegen::driver::compile_bytes_to_text("build.toml", data.to_vec(), context());
});
