//! Fuzz the escaper (issue 13): arbitrary values go into the cache and secret targets, `copy`
//! sources and destinations, `chown` and `workdir` of a fixed build.toml; stagegen must either
//! refuse it or write a Dockerfile that a model of BuildKit's parser (`tests/support/buildkit.rs`:
//! line scanner, flag lexer, flag parser, mount CSV, shell-word expansion, heredoc sources)
//! reads back as the plan's values: every mount field, every COPY flag, source and destination.
//!
//! The input is text split at `\u{1}` into up to 9 values (missing ones are plain defaults).
//! Run: `cargo +nightly fuzz run escape fuzz/corpus/escape -- -max_total_time=120` (seeds kept in
//! `fuzz/corpus/escape/`).
#![no_main]

#[path = "../../tests/support/buildkit.rs"]
mod buildkit;

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stagegen::driver::{load_source, render, source_from_bytes, RenderRequest};

fn context() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join("stagegen-fuzz-escape");
        let _ = std::fs::create_dir_all(&dir);
        dir
    })
}

/// A TOML basic string holding `s` exactly.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const DEFAULTS: [&str; 9] = ["/run/t", "/c1", "/c2", "a.txt", "b", "/x/", "app:app", "/w", "/o/f"];

fn build_toml(values: &[&str; 9]) -> String {
    let v: Vec<String> = values.iter().map(|s| toml_str(s)).collect();
    format!(
        "version = 1\n\n[secrets.tok]\ntarget = {secret}\n\n\
         [[stage]]\nname = \"src\"\nimage = \"debian:12\"\nsteps = [{{ run = \"true\" }}]\n\n\
         [[stage]]\nname = \"app\"\nimage = \"debian:12\"\nworkdir = {workdir}\n\
         steps = [\n  {{ run = \"true\", cache = [{c1}, {c2}], secrets = [\"tok\"] }},\n  \
         {{ copy = [{p1}, {p2}], to = {to}, chown = {owner} }},\n  \
         {{ copy = [{from_path}], from = \"src\", to = {to} }},\n]\n",
        secret = v[0],
        c1 = v[1],
        c2 = v[2],
        p1 = v[3],
        p2 = v[4],
        to = v[5],
        owner = v[6],
        workdir = v[7],
        from_path = v[8],
    )
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut values = DEFAULTS;
    for (slot, part) in values.iter_mut().zip(text.split('\u{1}')) {
        *slot = part;
    }
    let toml = build_toml(&values);
    let request = RenderRequest {
        dockerfile: true,
        plan: true,
        ..RenderRequest::default()
    };
    let outputs = source_from_bytes("build.toml".into(), toml.clone().into_bytes())
        .and_then(|file| load_source(file, context().clone()))
        .and_then(|loaded| render(loaded, &request));
    let Ok(outputs) = outputs else {
        return; // refused: fine
    };
    let (Some(dockerfile), Some(plan)) = (outputs.dockerfile, outputs.plan) else {
        panic!("compiled without a Dockerfile or a plan:\n{toml}");
    };
    let plan: serde_json::Value = match serde_json::from_str(&plan.text) {
        Ok(p) => p,
        Err(e) => panic!("the plan is no JSON ({e}):\n{toml}"),
    };
    if let Err(e) = buildkit::readback(&dockerfile.text, &plan) {
        panic!("{e}\n--- build.toml\n{toml}\n--- Dockerfile\n{}", dockerfile.text);
    }
});
