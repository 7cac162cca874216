//! Does `merge-runs` keep the meaning of the steps it joins? Run them both ways in a real shell
//! and compare.
//!
//! A list of steps (one shell command each, as a user writes them) becomes a one-stage build;
//! stagegen emits its Dockerfile without the pass and with it; each RUN of each Dockerfile is
//! read back the way BuildKit reads it (line continuations joined, flags dropped, exec form
//! `["/bin/sh", "-c", script]` unwrapped) and run like BuildKit runs it: a fresh shell process
//! per RUN in the same work folder, stopping at the first that fails, and every process it left
//! behind killed when it ends. The two runs must agree on the exit status, stdout, and every
//! file and folder of the work folder (contents and permission bits). A probe step at the end
//! prints the directory, variables, options, the environment and the umask, so state that leaks
//! from a merged step shows even when no later step happens to look.
//!
//! Shared by `tests/optimize.rs` and the fuzz target `fuzz/fuzz_targets/merge_runs.rs` (as a
//! `#[path]` module): it uses only std, serde_json, tempfile and stagegen.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read as _;
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use stagegen::ir::{Base, BuildGraph, Run, Stage, Step, PLAN_VERSION};
use stagegen::optimize::{Options, PASSES};

/// A shell to run the steps in.
#[derive(Debug, Clone)]
pub(crate) struct Shell {
    pub name: &'static str,
    pub argv: Vec<&'static str>,
}

/// `dash` (Debian's /bin/sh; required), `bash`, and `bash --posix` (as /bin/sh elsewhere),
/// those found.
pub(crate) fn shells() -> Vec<Shell> {
    let found = |p: &str| Path::new(p).is_file();
    assert!(
        found("/usr/bin/dash") || found("/bin/dash"),
        "dash is needed for the merge-runs equivalence tests (apt-get install dash)"
    );
    let mut out = vec![Shell {
        name: "dash",
        argv: vec!["dash"],
    }];
    if found("/usr/bin/bash") || found("/bin/bash") {
        out.push(Shell {
            name: "bash",
            argv: vec!["bash"],
        });
        out.push(Shell {
            name: "bash --posix",
            argv: vec!["bash", "--posix"],
        });
    }
    out
}

/// Printed at the end of every scenario: what a leaked state would change.
pub(crate) const PROBE: &str = "pwd; echo \"V=${V-unset} X=${X-unset} args=$# opts=$-\"; \
                         env | LC_ALL=C sort | grep -v -e '^_='; sh -c umask";

/// What running a list of RUNs did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// The exit status of the RUN that failed, or 0.
    pub status: i32,
    pub stdout: String,
    /// Every path under the work folder: a folder as `path/`, with its mode and contents.
    pub files: BTreeMap<String, (u32, Vec<u8>)>,
}

/// The one-stage build of `steps`, optimized by `merge-runs` when `merge`.
pub(crate) fn build(steps: &[String], merge: bool) -> BuildGraph {
    let mut stage = Stage::new("app", "equivalence", Base::Image("debian".into()));
    stage.steps = steps
        .iter()
        .map(|s| Step::Run(Run::shell(s.as_str())))
        .collect();
    let mut graph = BuildGraph {
        plan_version: PLAN_VERSION,
        context: None,
        target: "app".into(),
        platforms: vec![],
        args: vec![],
        secrets: vec![],
        stages: vec![stage],
        ignore: vec![],
        detected: vec![],
    };
    if merge {
        let (_, pass) = PASSES
            .iter()
            .find(|(name, _)| *name == "merge-runs")
            .expect("a merge-runs pass");
        pass(&mut graph, &Options::default());
    }
    graph
}

/// The scripts of the RUN instructions of `dockerfile`, as BuildKit hands them to `/bin/sh -c`.
pub(crate) fn run_scripts(dockerfile: &str) -> Vec<String> {
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in dockerfile.lines() {
        if current.is_empty() && line.trim_start().starts_with('#') {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => current.push_str(part),
            None => {
                current.push_str(line);
                instructions.push(std::mem::take(&mut current));
            }
        }
    }
    instructions
        .into_iter()
        .filter_map(|i| i.strip_prefix("RUN ").map(str::to_string))
        .map(|mut rest| {
            loop {
                let trimmed = rest.trim_start();
                if !trimmed.starts_with("--") {
                    rest = trimmed.to_string();
                    break;
                }
                let end = trimmed.find([' ', '\t']).unwrap_or(trimmed.len());
                rest = trimmed[end..].to_string();
            }
            if rest.starts_with('[') {
                if let Ok(words) = serde_json::from_str::<Vec<String>>(&rest) {
                    match words.as_slice() {
                        [sh, c, script] if sh == "/bin/sh" && c == "-c" => return script.clone(),
                        _ => panic!("an exec-form RUN the harness cannot run: {rest}"),
                    }
                }
            }
            rest
        })
        .collect()
}

/// The RUN scripts stagegen emits for `steps`, with or without `merge-runs`.
pub(crate) fn emitted_runs(steps: &[String], merge: bool) -> Vec<String> {
    let text = stagegen::emit::dockerfile::render(&build(steps, merge), "build.toml");
    run_scripts(&text)
}

/// A fresh work folder: a few files and folders the steps may use.
fn prepare(work: &Path) {
    for dir in ["sub/inner", "keep"] {
        std::fs::create_dir_all(work.join(dir)).expect("create a folder");
    }
    std::fs::write(work.join("f.txt"), "first\nsecond\n").expect("write f.txt");
    std::fs::write(work.join("sub/g.txt"), "in sub\n").expect("write sub/g.txt");
}

fn snapshot(root: &Path, dir: &Path, out: &mut BTreeMap<String, (u32, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        if rel == ".stdout" {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o7777;
        if meta.is_dir() {
            out.insert(format!("{rel}/"), (mode, Vec::new()));
            snapshot(root, &path, out);
        } else {
            out.insert(rel, (mode, std::fs::read(&path).unwrap_or_default()));
        }
    }
}

/// Run `scripts` one RUN after another in a fresh work folder.
pub(crate) fn execute(shell: &Shell, scripts: &[String]) -> Outcome {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    execute_in(shell, scripts, tmp.path())
}

/// Run `scripts` one RUN after another in `root/work`, made anew: two executions in the same
/// `root` see the same paths (`pwd`, `$PWD`), so their outcomes compare byte for byte.
pub(crate) fn execute_in(shell: &Shell, scripts: &[String], root: &Path) -> Outcome {
    let work = root.join("work");
    let stdout_path = root.join("stdout");
    let _ = std::fs::remove_dir_all(&work);
    let _ = std::fs::remove_file(&stdout_path);
    std::fs::create_dir_all(&work).expect("create work");
    prepare(&work);
    let mut status = 0;
    for script in scripts {
        let stdout = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&stdout_path)
            .expect("open stdout");
        let mut child = Command::new(shell.argv[0])
            .args(&shell.argv[1..])
            .arg("-c")
            .arg(script)
            .current_dir(&work)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", &work)
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start the shell");
        let started = Instant::now();
        let code = loop {
            match child.try_wait() {
                Ok(Some(s)) => break s.code().unwrap_or(128),
                Ok(None) if started.elapsed() > Duration::from_secs(20) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break 124;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(_) => break 125,
            }
        };
        // The end of a RUN ends every process it started (its container's init exits). Only
        // an `&` somewhere in the text (also in an `eval`ed string) starts one here.
        if script.contains('&') {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null())
                .status();
        }
        if code != 0 {
            status = code;
            break;
        }
    }
    let mut stdout = String::new();
    if let Ok(mut f) = std::fs::File::open(&stdout_path) {
        let _ = f.read_to_string(&mut stdout);
    }
    let mut files = BTreeMap::new();
    snapshot(&work, &work, &mut files);
    Outcome {
        status,
        stdout,
        files,
    }
}

/// What went wrong when the merged and the separate RUNs disagree.
#[derive(Debug)]
pub(crate) struct Mismatch {
    pub shell: &'static str,
    pub steps: Vec<String>,
    pub separate: (Vec<String>, Outcome),
    pub merged: (Vec<String>, Outcome),
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}: merging changed the outcome of {:?}",
            self.shell, self.steps
        )?;
        writeln!(
            f,
            "separate RUNs {:?}:\n  {:?}",
            self.separate.0, self.separate.1
        )?;
        write!(f, "merged RUNs {:?}:\n  {:?}", self.merged.0, self.merged.1)
    }
}

/// Run `steps` (and the probe) as separate RUNs and as stagegen merges them; `Ok(merged)` with
/// how many RUNs the merged form saved when they agree.
pub(crate) fn check(shell: &Shell, steps: &[&str]) -> Result<usize, Box<Mismatch>> {
    let mut steps: Vec<String> = steps.iter().map(|s| s.to_string()).collect();
    steps.push(PROBE.to_string());
    let separate = emitted_runs(&steps, false);
    let merged = emitted_runs(&steps, true);
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let a = execute_in(shell, &separate, tmp.path());
    let b = execute_in(shell, &merged, tmp.path());
    if a == b {
        Ok(separate.len() - merged.len())
    } else {
        Err(Box::new(Mismatch {
            shell: shell.name,
            steps,
            separate: (separate, a),
            merged: (merged, b),
        }))
    }
}

/// Where the generator takes its choices from: a seeded generator, or a fuzzer's bytes.
pub(crate) trait Choices {
    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize;
}

/// splitmix64, seeded.
pub(crate) struct Seeded(pub u64);

impl Choices for Seeded {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

/// A fuzzer's input, one byte per choice (then zeros).
pub(crate) struct FromBytes<'a>(pub &'a [u8]);

impl Choices for FromBytes<'_> {
    fn below(&mut self, n: usize) -> usize {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b as usize % n
            }
            None => 0,
        }
    }
}

/// Simple commands, many of them stateful or tricky to join. `DIR`, `FILE`, `WORD` and `VAR`
/// are filled in; every path stays inside the work folder.
const ATOMS: &[&str] = &[
    "echo WORD",
    "echo WORD > FILE",
    "echo WORD >> FILE",
    "cat FILE",
    "touch FILE",
    "mkdir -p DIR/new",
    "rm -rf DIR",
    "rm -f FILE",
    "ls",
    "pwd",
    "true",
    "false",
    "exit 0",
    "exit 3",
    "cd DIR",
    "export VAR=WORD",
    "VAR=WORD",
    "VAR=WORD env | grep -c VAR",
    "unset VAR",
    "echo ${VAR-unset}",
    "echo \"${VAR:-default}\"",
    ": ${VAR:=WORD}",
    "echo $((3 + 4))",
    "echo $((VAR = 7))",
    "echo $_",
    "set -e",
    "set -u",
    "set -- a b",
    "echo $# \"$@\"",
    "shift",
    "umask 077",
    "alias VAR=pwd",
    "VAR",
    "f() { echo in-f; }",
    "f",
    "trap 'echo trapped' EXIT",
    "eval 'cd DIR'",
    "command cd DIR",
    "builtin cd DIR",
    "(cd DIR && pwd)",
    "echo $(cd DIR && pwd)",
    "echo `echo WORD`",
    "test -d DIR",
    "[ -f FILE ]",
    "read VAR < FILE",
    // in braces: composed as `A || sleep 3 &`, the `&` would send all of `A` to the
    // background, whose output then races the end of the RUN in both forms (a fuzz finding of
    // the harness, not of merge-runs); a whole step ending in `&` is a fixed scenario in
    // tests/optimize.rs
    "{ sleep 3 & }",
    "printf '%s\\n' WORD",
    "exec 3>FILE",
    "exec echo replaced",
    "for VAR in a b; do echo $VAR; done",
    "case WORD in a) echo A;; *) echo other;; esac",
    "echo WORD # comment",
    "VAR=1 :",
    "echo \"#\" a#b",
    "getopts ab VAR",
    "wait",
    "hash -r",
];

const DIRS: &[&str] = &["sub", "sub/inner", "missing", "keep"];
const FILES: &[&str] = &["f.txt", "sub/g.txt", "out", "keep/k"];
const WORDS: &[&str] = &["a", "'b c'", "\"$V\"", "x\\;y"];
const VARS: &[&str] = &["V", "X"];

fn atom(c: &mut dyn Choices) -> String {
    let mut s = ATOMS[c.below(ATOMS.len())].to_string();
    for (hole, fill) in [
        ("DIR", DIRS),
        ("FILE", FILES),
        ("WORD", WORDS),
        ("VAR", VARS),
    ] {
        while let Some(at) = s.find(hole) {
            let with = fill[c.below(fill.len())];
            s.replace_range(at..at + hole.len(), with);
        }
    }
    s
}

fn command(c: &mut dyn Choices, depth: usize) -> String {
    if depth == 0 {
        return atom(c);
    }
    let d = depth - 1;
    match c.below(14) {
        0 => format!("{} && {}", command(c, d), command(c, d)),
        1 => format!("{} || {}", command(c, d), command(c, d)),
        2 => format!("{}; {}", command(c, d), command(c, d)),
        3 => format!("{} | cat", command(c, d)),
        4 => format!("if {}; then {}; fi", command(c, d), command(c, d)),
        5 => format!(
            "if {}; then {}; else {}; fi",
            command(c, d),
            command(c, d),
            command(c, d)
        ),
        6 => format!("{{ {}; }}", command(c, d)),
        7 => format!("( {} )", command(c, d)),
        8 => format!("! {}", command(c, d)),
        9 => format!("while false; do {}; done", command(c, d)),
        10 => format!("{};", command(c, d)),
        _ => atom(c),
    }
}

/// One to five steps.
pub(crate) fn scenario(c: &mut dyn Choices) -> Vec<String> {
    let n = 1 + c.below(5);
    (0..n)
        .map(|_| {
            let depth = c.below(3);
            command(c, depth)
        })
        .collect()
}
