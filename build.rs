//! Build script: the example of each diagnostic code for `stagegen explain`, taken from the case
//! directories under `tests/cases/` (every code has one, a test checks): for each code, the
//! smallest `build.toml` whose `stderr.expected` reports it, and that report. Written to
//! `$OUT_DIR/explain_examples.rs`; the examples are therefore real inputs whose output the case
//! tests keep exact. Also the build schema as a table for the fast schema check
//! (`build/schema_table.rs`), written to `$OUT_DIR/schema_table.rs`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

#[path = "src/schema/checked.rs"]
mod checked;
#[path = "build/schema_table.rs"]
mod schema_table;

fn main() {
    write_schema_table();
    link_release();
    println!("cargo:rerun-if-changed=tests/cases");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=tests/init");
    let mut best: BTreeMap<String, (usize, String, String, String)> = BTreeMap::new();
    for root in ["tests/cases", "tests/init"] {
        let mut dirs: Vec<_> = std::fs::read_dir(root)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        dirs.sort();
        for dir in dirs {
            let Ok(stderr) = std::fs::read_to_string(dir.join("stderr.expected")) else {
                continue;
            };
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some((place, spec)) = example_input(&dir, root, &name) else {
                continue;
            };
            for block in stderr.split("\n\n") {
                let Some(code) = code_of(block) else {
                    continue;
                };
                let size = spec.len();
                // tests/cases first: a build.toml says more than a folder of app files.
                if !best.contains_key(&code)
                    || (root == "tests/cases" && best.get(&code).is_some_and(|(s, ..)| size < *s))
                {
                    best.insert(
                        code,
                        (size, place.clone(), spec.clone(), format!("{block}\n")),
                    );
                }
            }
        }
    }
    let mut out = String::from(
        "/// (code, case directory, its build.toml, what stagegen reports for the code).\n\
         pub(crate) static EXAMPLES: &[(&str, &str, &str, &str)] = &[\n",
    );
    for (code, (_, case, spec, report)) in &best {
        let _ = writeln!(out, "    ({code:?}, {case:?}, {spec:?}, {report:?}),");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("explain_examples.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}

/// How a release binary for Linux (glibc) is linked; debug builds and the tests keep the
/// defaults. A compile is a few milliseconds, most of them starting the process
/// (bench/RESULTS.md, 2026-12-07):
/// - at a fixed address (`-no-pie`): the loader then has none of the 26,000 relative relocations
///   of a position-independent binary to apply, nor their pages to copy, at every start (a sixth
///   of a compile). Not with `-C target-feature=+crt-static`: rustc then links a static PIE
///   itself, and `-no-pie` on top gave a binary that crashed at start;
/// - the functions a small compile runs side by side at the start of `.text`
///   (`build/hot-symbols.txt`, written by `bench/hot_symbols.sh`), so it faults in a few
///   hundred kilobytes of code rather than pages all over 6 MB of it (~30 % less process time
///   per compile). Only where the linker is Rust's own lld, which reads such a list (x86_64,
///   Rust 1.90 and later, no linker of the user's choosing); a name the list has and the code no
///   longer has is skipped.
fn link_release() {
    println!("cargo:rerun-if-env-changed=PROFILE");
    println!("cargo:rerun-if-changed=build/hot-symbols.txt");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("PROFILE") != "release"
        || var("CARGO_CFG_TARGET_OS") != "linux"
        || var("CARGO_CFG_TARGET_ENV") != "gnu"
    {
        return;
    }
    if !var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static")
    {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    if links_with_rust_lld() {
        let list = Path::new(&var("CARGO_MANIFEST_DIR")).join("build/hot-symbols.txt");
        if list.is_file() {
            println!(
                "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={},--no-warn-symbol-ordering",
                list.display()
            );
        }
    }
}

/// Whether the binary is linked by the lld that rustc brings: its default for
/// x86_64-unknown-linux-gnu since Rust 1.90, unless a linker or linker flavour was chosen.
fn links_with_rust_lld() -> bool {
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let chosen = var("CARGO_ENCODED_RUSTFLAGS")
        .split('\x1f')
        .any(|flag| flag.contains("linker") || flag.contains("link-self-contained"));
    let rustc =
        std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("-V")
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
            .unwrap_or_default();
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let minor = rustc
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(0);
    var("TARGET") == "x86_64-unknown-linux-gnu"
        && std::env::var_os("RUSTC_LINKER").is_none()
        && !chosen
        && minor >= 90
}

/// The build schema as Rust statics; on a schema it cannot read, a table that makes every check
/// fall back to the full validator (whose own test then fails loudly).
fn write_schema_table() {
    println!("cargo:rerun-if-changed=schemas/build.schema.json");
    println!("cargo:rerun-if-changed=build/schema_table.rs");
    let text = std::fs::read_to_string("schemas/build.schema.json").unwrap_or_default();
    let table = schema_table::generate(&text).unwrap_or_else(|e| {
        println!("cargo:warning=cannot read schemas/build.schema.json: {e}");
        "static NODES: &[Node] = &[];\n".to_string()
    });
    let dest =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("schema_table.rs");
    if let Err(e) = std::fs::write(&dest, table) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}

/// What a case gives stagegen, and where it is: a case's build.toml (with its workspace's
/// stagegen.toml, when it has one); an init case's files and the command that runs on them.
fn example_input(dir: &Path, root: &str, name: &str) -> Option<(String, String)> {
    if root == "tests/cases" {
        // Lossy: a case of invalid UTF-8 shows where its bytes are.
        let spec =
            String::from_utf8_lossy(&std::fs::read(dir.join("build.toml")).ok()?).into_owned();
        let spec = match std::fs::read_to_string(dir.join("stagegen.toml")) {
            Ok(ws) => format!("# stagegen.toml\n{ws}\n# build.toml\n{spec}"),
            Err(_) => spec,
        };
        return Some((format!("{root}/{name}/build.toml"), spec));
    }
    let args = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f != "args" && !f.ends_with(".expected"))
        .collect();
    files.sort();
    let shown = if files.is_empty() {
        "nothing".to_string()
    } else {
        files.join(", ")
    };
    Some((
        format!("{root}/{name}"),
        format!(
            "# a folder holding: {shown}\n{}\n",
            format!("$ stagegen init {}", args.trim()).trim_end()
        ),
    ))
}

/// `SG203` of a block that starts `error[SG203]: ...` or `warning[SG401]: ...`.
fn code_of(block: &str) -> Option<String> {
    let first = block.trim_start().lines().next()?;
    let rest = first
        .strip_prefix("error[")
        .or_else(|| first.strip_prefix("warning["))?;
    let (code, _) = rest.split_once(']')?;
    (code.starts_with("SG") && code.len() == 5).then(|| code.to_string())
}
