//! The limits of the README's "Limits" section as a user meets them (issue 13): inputs built
//! in the test (never checked in), run through the real binary, each ending in a diagnostic
//! and exit 1 (never a crash, a hang or a read without end), and the README listing every
//! limit of `stagegen::limits`. Each test is named after the bug it pins.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_stagegen")
}

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Run stagegen in `dir`, failing the test when it takes longer than `limit`.
fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn stagegen: {e}"));
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("stagegen {args:?} took longer than {limit:?}");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("wait: {e}"),
        }
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("stagegen output: {e}"))
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_within(dir, args, Duration::from_secs(60))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `init`, `check`, `dockerfile` and `plan` on the app in `dir` (init in a copy without
/// build.toml): each must exit 1 with `code` in its message.
fn every_command_refuses(dir: &Path, spec: &str, code: &str) {
    let init = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let name = entry.file_name();
        if name != "build.toml" && entry.path().is_file() {
            std::fs::copy(entry.path(), init.path().join(&name))
                .unwrap_or_else(|e| panic!("copy: {e}"));
        }
    }
    let out = run(init.path(), &["init"]);
    assert_eq!(out.status.code(), Some(1), "init: {}", stderr(&out));
    assert!(stderr(&out).contains(code), "init: {}", stderr(&out));
    write(dir, "build.toml", spec);
    for cmd in ["check", "dockerfile", "plan"] {
        let out = run(dir, &[cmd, "-f", "build.toml"]);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {}", stderr(&out));
        assert!(stderr(&out).contains(code), "{cmd}: {}", stderr(&out));
    }
}

/// A 450 KB `pom.xml` of 150,000 nested elements overflowed the stack (exit 134) in `init`,
/// `check`, `dockerfile` and `plan`, when the tree was dropped.
#[test]
fn pom_of_150000_nested_elements_is_a_diagnostic_not_a_crash() {
    let app = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write(
        app.path(),
        "pom.xml",
        format!("<project>\n{}", "<a>".repeat(150_000)),
    );
    every_command_refuses(
        app.path(),
        "version = 1\n[preset]\nname = \"java\"\n",
        "SG818",
    );
}

/// JSON and TOML of the app nest as deep as their parsers allow (128 and 80 levels): deeper is
/// the app's file reported as invalid, never a crash.
#[test]
fn deeply_nested_package_json_and_pyproject_are_diagnostics_not_crashes() {
    let node = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let deep = format!(
        "{{\"name\":\"a\",\"x\":{}1{}}}",
        "[".repeat(150_000),
        "]".repeat(150_000)
    );
    write(node.path(), "package.json", &deep);
    write(node.path(), "package-lock.json", "{}");
    every_command_refuses(
        node.path(),
        "version = 1\n[preset]\nname = \"node\"\n",
        "package.json",
    );

    let python = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let deep = format!(
        "[project]\nname = \"a\"\nx = {}1{}\n",
        "[".repeat(150_000),
        "]".repeat(150_000)
    );
    write(python.path(), "pyproject.toml", &deep);
    every_command_refuses(
        python.path(),
        "version = 1\n[preset]\nname = \"python\"\n",
        "pyproject.toml",
    );
}

/// The README's "Limits" table lists every limit of `stagegen::limits`, with its value.
#[test]
fn the_readme_lists_every_limit() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"));
    let section = readme
        .split("\n## Limits\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("README.md has no `## Limits` section"));
    for (name, value) in stagegen::limits::ALL {
        let row = format!("| {name} | {value} ");
        assert!(
            section.lines().any(|l| l.starts_with(&row)),
            "README.md's Limits table has no row `{row}...`"
        );
    }
}

/// `-f /dev/zero` read until memory ran out: the size limit was checked after reading.
#[test]
fn spec_from_dev_zero_is_refused_without_reading_it_all() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for cmd in ["check", "dockerfile", "plan"] {
        let out = run_within(
            dir.path(),
            &[cmd, "-f", "/dev/zero"],
            Duration::from_secs(20),
        );
        assert_eq!(out.status.code(), Some(1), "{cmd}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("SG003") && stderr(&out).contains("more than 1048576 bytes"),
            "{cmd}: {}",
            stderr(&out)
        );
    }
    // A huge regular file is refused from its size, not read: a sparse 8 GiB file.
    let big = dir.path().join("build.toml");
    let file = std::fs::File::create(&big).unwrap_or_else(|e| panic!("{e}"));
    file.set_len(8 << 30).unwrap_or_else(|e| panic!("{e}"));
    let out = run_within(
        dir.path(),
        &["check", "-f", "build.toml"],
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the file is 8589934592 bytes"),
        "{}",
        stderr(&out)
    );
}

/// A copy of the case `tests/cases/<name>` (its files and folders) in a temporary folder.
fn copy_case(name: &str) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
        for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")) {
            let entry = entry.unwrap_or_else(|e| panic!("{e}"));
            let (src, dst) = (entry.path(), to.join(entry.file_name()));
            if src.is_dir() {
                copy(&src, &dst);
            } else {
                std::fs::copy(&src, &dst).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
            }
        }
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cases")
            .join(name),
        dir.path(),
    );
    dir
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link)
        .unwrap_or_else(|e| panic!("{} -> {target}: {e}", link.display()));
}

/// The Dockerfile of the case in `dir`, which must compile.
fn dockerfile(dir: &Path) -> String {
    let out = run_within(
        dir,
        &["dockerfile", "-f", "build.toml"],
        Duration::from_secs(30),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The Yarn Berry release/plugin walk followed symlinks: `.yarn/releases/x -> /` gave a 3.2 MB
/// Dockerfile listing host files such as `/root/.npmrc`, and symlink loops 8.5 MB. Links out
/// of the context, and links to folders at all, are not walked: the Dockerfile is the one of
/// the app without them.
#[cfg(unix)]
#[test]
fn yarn_berry_walk_never_follows_a_symlink() {
    let case = "node-yarn-berry-yarnpath";
    let app = copy_case(case);
    let expected = dockerfile(app.path());
    let yarn = app.path().join(".yarn");
    symlink("/", &yarn.join("releases/host"));
    symlink("..", &yarn.join("plugins/loop"));
    symlink("../../..", &yarn.join("plugins/@yarnpkg/up"));
    std::fs::create_dir_all(yarn.join("patches")).unwrap_or_else(|e| panic!("{e}"));
    symlink(".", &yarn.join("patches/self"));
    symlink("/etc/passwd", &yarn.join("patches/passwd.patch"));
    let out = run_within(
        app.path(),
        &["dockerfile", "-f", "build.toml"],
        Duration::from_secs(30),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(text, expected, "the links changed the Dockerfile");
}

/// A workspace package folder that is a symlink out of the context (`packages/evil ->
/// /elsewhere`) is no package of the workspace: nothing outside the context is read or copied.
#[cfg(unix)]
#[test]
fn workspace_member_symlinked_out_of_the_context_is_not_a_member() {
    let app = copy_case("node-workspace-npm");
    // The package built uses `evil`: were it a member, its files would be copied.
    write(
        app.path(),
        "packages/api/package.json",
        "{ \"name\": \"@mono/api\", \"version\": \"1.0.0\", \"main\": \"dist/server.js\",
  \"scripts\": { \"build\": \"mkdir -p dist && cp src/server.js dist/server.js\" },
  \"dependencies\": { \"@mono/shared\": \"*\", \"evil\": \"1.0.0\" } }",
    );
    let expected = dockerfile(app.path());
    let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write(
        outside.path(),
        "evil/package.json",
        "{\"name\":\"evil\",\"version\":\"1.0.0\"}",
    );
    let target = outside.path().join("evil");
    symlink(
        &target.display().to_string(),
        &app.path().join("packages/evil"),
    );
    assert_eq!(dockerfile(app.path()), expected);
}

/// A 1 MB `pnpm-workspace.yaml` cost 795 MB of memory: every repeated pattern listed its
/// folder again. Under a 1 GiB address-space limit it now runs in a few megabytes.
#[cfg(unix)]
#[test]
fn one_megabyte_pnpm_workspace_yaml_runs_in_little_memory() {
    let app = copy_case("err-node-workspace-too-large");
    let mut yaml = String::from("packages:\n");
    let mut i = 0;
    while yaml.len() < 1_000_000 {
        if i % 2 == 0 {
            yaml.push_str("  - \"packages/*\"\n");
        } else {
            yaml.push_str(&format!("  - \"packages/p{i}/*\"\n"));
        }
        i += 1;
    }
    write(app.path(), "pnpm-workspace.yaml", &yaml);
    for n in 0..200 {
        write(
            app.path(),
            &format!("packages/m{n}/package.json"),
            format!("{{\"name\":\"m{n}\"}}"),
        );
    }
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1048576 && exec {} check -f build.toml",
            bin()
        ))
        .current_dir(app.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    let start = Instant::now();
    while child.try_wait().ok().flatten().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("check took longer than 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// 2,000 chained stages (78 KB) took 253 s in the stage-cycle check; now a spec may have
/// `MAX_STAGES`, and a cycle through all of them is found at once, and reported once.
#[test]
fn chained_stages_up_to_the_limit_are_checked_at_once() {
    let n = stagegen::limits::MAX_STAGES;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut spec = String::from(
        "version = 1\n[preset]\nname = \"go\"\n[runtime]\nsteps = [{ copy = [\"/x\"], from = \"s{}\", to = \"/x\" }]\n",
    )
    .replace("{}", &(n - 1).to_string());
    spec.push_str("[[stage]]\nname = \"s0\"\nfrom = \"runtime\"\n");
    for i in 1..n {
        spec.push_str(&format!(
            "[[stage]]\nname = \"s{i}\"\nfrom = \"s{}\"\nsteps = [{{ run = \"true\" }}]\n",
            i - 1
        ));
    }
    write(dir.path(), "build.toml", &spec);
    write(dir.path(), "go.mod", "module x\n\ngo 1.22\n");
    write(dir.path(), "main.go", "package main\n\nfunc main() {}\n");
    let out = run_within(
        dir.path(),
        &["check", "-f", "build.toml"],
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    assert_eq!(text.matches("error[SG205]").count(), 1, "{text}");
    assert!(
        text.contains(&format!(
            "stages depend on each other in a cycle: `runtime` -> `s{}` -> `s{}`",
            n - 1,
            n - 2
        )),
        "{}",
        &text[..text.len().min(400)]
    );
}

/// More steps than the limit is SG221 at the first step past it, reported at once (nothing
/// else is checked); exactly the limit is a spec like any other.
#[test]
fn steps_past_the_limit_are_refused_at_once() {
    let max = stagegen::limits::MAX_STEPS;
    let spec = |n: usize| {
        format!(
            "version = 1\n[[stage]]\nname = \"a\"\nimage = \"debian:bookworm-slim\"\nworkdir = \"/x\"\nsteps = [{}]\n",
            "{run=\"a\"},".repeat(n)
        )
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write(dir.path(), "build.toml", spec(max + 1));
    let out = run_within(
        dir.path(),
        &["check", "-f", "build.toml"],
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "error[SG221]: the file has {} steps; a build spec may have at most {max}",
            max + 1
        )) && stderr(&out).contains(&format!("build.toml:6:{}", 10 + 10 * max)),
        "{}",
        stderr(&out)
    );
    write(dir.path(), "build.toml", spec(max));
    let out = run_within(
        dir.path(),
        &["check", "-f", "build.toml"],
        Duration::from_secs(300),
    );
    assert!(!stderr(&out).contains("SG221"), "{}", stderr(&out));
}

/// Every code the README cites with its name (``SG221 `too-many` ``) is that code's name: the
/// Limits table kept SG220 and SG722/SG723 after those codes were renumbered.
#[test]
fn the_readme_cites_codes_by_their_names() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"));
    let codes = stagegen::driver::all_codes();
    let mut cited = 0;
    for (at, _) in readme.match_indices("SG") {
        let rest = &readme[at..];
        let id = &rest[..rest.len().min(5)];
        if id.len() < 5 || !id[2..].bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Some(name) = rest[5..]
            .strip_prefix(" `")
            .and_then(|r| r.split('`').next())
        else {
            continue;
        };
        cited += 1;
        assert!(
            codes.iter().any(|c| c.id == id && c.name == name),
            "README.md cites {id} `{name}`, but {id} is {:?}",
            codes.iter().find(|c| c.id == id).map(|c| c.name)
        );
    }
    assert!(cited > 20, "only {cited} codes cited: the pattern broke");
}
