//! Output files, streams and exit codes as a user meets them (issue 13): what `-o` and `init`
//! may replace, that nothing hangs or reads a huge file, that a refusal leaves nothing
//! half-written, that writes are atomic and honour the umask, what a killed run leaves behind,
//! where the ignore file goes, how a failed write to stdout is reported, and that no control
//! character reaches the terminal raw. Each test is named after the bug it pins.

use std::os::unix::fs::{FileTypeExt as _, PermissionsExt as _};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_stagegen")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary app: the go-stdlib case's files.
fn app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/go-stdlib");
    for name in ["build.toml", "go.mod", "main.go"] {
        std::fs::copy(case.join(name), dir.path().join(name)).expect("copy");
    }
    dir
}

fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stagegen runs")
}

/// Wait for `child`, killing it and failing the test when it takes longer than `limit`. Its
/// pipes are drained meanwhile, so a long message cannot fill them and stall it.
fn finish(mut child: Child, limit: Duration, what: &str) -> Output {
    fn drain(
        pipe: Option<impl std::io::Read + Send + 'static>,
    ) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let start = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait") {
            Some(status) => break status,
            None if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{what}: stagegen hung (killed after {limit:?})");
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
    }
}

/// Run stagegen in `dir`; a run that does not end within 30 s fails the test.
fn run(dir: &Path, args: &[&str]) -> Output {
    finish(spawn(dir, args), Duration::from_secs(30), &args.join(" "))
}

/// Run stagegen through `sh -c` with `setup` first (`umask 077`, `ulimit -v ...`).
fn run_sh(dir: &Path, setup: &str, args: &[&str]) -> Output {
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("{setup} && exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    finish(child, Duration::from_secs(30), &args.join(" "))
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}

/// Names in `dir` that look like stagegen's temporary files.
fn temps(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".stagegen-") && n.ends_with(".tmp"))
        .collect();
    names.sort();
    names
}

/// The pause hook (`STAGEGEN_TEST_PAUSE_BEFORE_COMMIT`) is compiled into debug builds only; a
/// test that needs it says so and passes in a release build.
fn pause_hook_missing() -> bool {
    if cfg!(debug_assertions) {
        return false;
    }
    eprintln!("skipped: the pause hook exists in debug builds only");
    true
}

fn wait_for(path: &Path, child: &mut Child) {
    let start = Instant::now();
    while !path.exists() {
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("stagegen ended ({status}) before pausing");
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "stagegen never paused"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

const NOT_REGULAR_HELP: &str = "help: stagegen writes only regular files, even with `--force`; to print to stdout, leave out `-o` or pass `-o -`\n";

#[test]
fn output_to_a_fifo_is_refused_without_hanging() {
    let dir = app();
    let fifo = dir.path().join("Dockerfile");
    mkfifo(&fifo);
    for extra in [&[][..], &["--force"][..], &["--check"][..]] {
        let mut args = vec!["dockerfile", "-o", "Dockerfile"];
        args.extend(extra);
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.starts_with(
                "error: `Dockerfile` is not a regular file: it is a named pipe (FIFO)\n"
            ),
            "{args:?}: {err}"
        );
    }
    let out = run(dir.path(), &["plan", "-o", "Dockerfile", "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!("error: `Dockerfile` is not a regular file: it is a named pipe (FIFO)\n{NOT_REGULAR_HELP}")
    );
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(!dir.path().join(".dockerignore").exists());
    assert!(temps(dir.path()).is_empty());
}

/// `-o /dev/stdout | cat` opened the pipe for reading and waited forever.
#[test]
fn output_to_dev_stdout_in_a_pipe_is_refused_without_hanging() {
    let dir = app();
    let out = run(dir.path(), &["dockerfile", "-o", "/dev/stdout"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("`/dev/stdout` is not a regular file: it is a named pipe (FIFO)")
            && err.ends_with(NOT_REGULAR_HELP),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

/// As root, `--force` renamed a temporary file over `/dev/null`.
#[test]
fn force_never_replaces_a_device_node() {
    let dir = app();
    std::os::unix::fs::symlink("/dev/null", dir.path().join("Dockerfile")).unwrap();
    for path in ["/dev/null", "Dockerfile"] {
        let out = run(dir.path(), &["dockerfile", "-o", path, "--force"]);
        assert_eq!(out.status.code(), Some(2), "{path}");
        assert_eq!(
            text(&out.stderr),
            format!("error: `{path}` is not a regular file: it is a character device\n{NOT_REGULAR_HELP}")
        );
    }
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    assert!(std::fs::symlink_metadata(dir.path().join("Dockerfile"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(!dir.path().join(".dockerignore").exists());
}

/// `-o out` for a folder `out` means the file in it, as `cp` reads it (`out/plan.json`); a
/// folder where that file would go is still refused.
#[test]
fn a_folder_is_refused_as_output() {
    let dir = app();
    std::fs::create_dir_all(dir.path().join("out/plan.json")).unwrap();
    let out = run(dir.path(), &["plan", "-o", "out", "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: `out/plan.json` is not a regular file: it is a folder\nhelp: name a file in it\n"
    );
}

#[test]
fn output_into_a_missing_folder_says_so() {
    let dir = app();
    let out = run(dir.path(), &["dockerfile", "-o", "ci/Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: cannot write `ci/Dockerfile`: the folder `ci` does not exist\nhelp: create the folder first\n"
    );
}

/// A symlink to a file stagegen wrote is followed: the file is replaced, the link stays.
#[test]
fn a_symlinked_output_is_written_through_the_link() {
    let dir = app();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    assert!(run(dir.path(), &["plan", "-o", "shared/plan.json"])
        .status
        .success());
    std::os::unix::fs::symlink("shared/plan.json", dir.path().join("plan.json")).unwrap();
    let out = run(
        dir.path(),
        &["plan", "-o", "plan.json", "--target", "build"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(dir.path().join("plan.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    let plan = std::fs::read_to_string(shared.join("plan.json")).unwrap();
    assert!(plan.contains("\"target\": \"build\""), "{plan}");
}

/// `-o` an existing 3 GB file read all of it to look for the header. An 8 GiB sparse file under
/// a 1 GiB address-space limit: reading it whole cannot succeed, reading its head does.
#[test]
fn a_huge_existing_file_is_not_read_whole() {
    let dir = app();
    let huge = dir.path().join("Dockerfile");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(8 << 30)
        .unwrap();
    let limit = "ulimit -v 1048576";
    let out = run_sh(dir.path(), limit, &["dockerfile", "-o", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "error: refusing to overwrite `Dockerfile`: stagegen did not write it\nhelp: pass `--force` to replace it\n"
    );
    // `--check` reads only a little more than the file it would write, and shows no diff of
    // a binary file.
    let out = run_sh(
        dir.path(),
        limit,
        &["dockerfile", "-o", "Dockerfile", "--check"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("Dockerfile: the file on disk is not text; stagegen would write ")
            && err.contains("out of date with `build.toml`"),
        "{err}"
    );
    // With `--force` it is replaced without being read.
    let out = run_sh(
        dir.path(),
        limit,
        &["dockerfile", "-o", "Dockerfile", "--force"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::metadata(&huge).unwrap().len() < 10_000);
}

/// An unreadable (here: not UTF-8) hand-written .dockerignore was taken for no file at all, so
/// the Dockerfile was rewritten and then the .dockerignore refused: half the output.
#[test]
fn a_refusal_leaves_no_half_output() {
    let dir = app();
    assert!(run(dir.path(), &["dockerfile", "-o", "Dockerfile"])
        .status
        .success());
    let path = dir.path().join("Dockerfile");
    let before = std::fs::read_to_string(&path)
        .unwrap()
        .replace("EXPOSE 8080", "EXPOSE 9999");
    std::fs::write(&path, &before).unwrap();
    std::fs::write(
        dir.path().join(".dockerignore"),
        b"node_modules\n\xff\xfe\n",
    )
    .unwrap();
    let out = run(dir.path(), &["dockerfile", "-o", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("refusing to overwrite `.dockerignore`"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    // The same when the second file is a FIFO.
    std::fs::remove_file(dir.path().join(".dockerignore")).unwrap();
    mkfifo(&dir.path().join(".dockerignore"));
    let out = run(dir.path(), &["dockerfile", "-o", "Dockerfile", "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    assert!(temps(dir.path()).is_empty(), "{:?}", temps(dir.path()));
}

/// New files were created 0644 whatever the umask.
#[test]
fn new_files_honour_the_umask_and_replaced_files_keep_their_mode() {
    let dir = app();
    let out = run_sh(dir.path(), "umask 077", &["dockerfile", "-o", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(mode(&dir.path().join("Dockerfile")), 0o600);
    assert_eq!(mode(&dir.path().join(".dockerignore")), 0o600);
    let out = run_sh(dir.path(), "umask 027", &["plan", "-o", "plan.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(mode(&dir.path().join("plan.json")), 0o640);
    // A replaced file keeps its mode, whatever the umask now.
    std::fs::set_permissions(
        dir.path().join("Dockerfile"),
        std::fs::Permissions::from_mode(0o664),
    )
    .unwrap();
    let out = run_sh(dir.path(), "umask 077", &["dockerfile", "-o", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(mode(&dir.path().join("Dockerfile")), 0o664);
    // init too.
    std::fs::remove_file(dir.path().join("build.toml")).unwrap();
    let out = run_sh(dir.path(), "umask 077", &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(mode(&dir.path().join("build.toml")), 0o600);
}

/// init checked for build.toml before detecting and then replaced whatever was there when it
/// wrote. Now the final step creates the file only if none exists, atomically.
#[test]
fn init_never_replaces_a_build_toml_created_while_it_was_detecting() {
    if pause_hook_missing() {
        return;
    }
    let dir = app();
    std::fs::remove_file(dir.path().join("build.toml")).unwrap();
    let flags = tempfile::tempdir().unwrap();
    let flag = flags.path().join("pause");
    let mut child = Command::new(bin())
        .arg("init")
        .current_dir(dir.path())
        .env("STAGEGEN_TEST_PAUSE_BEFORE_COMMIT", &flag)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&flags.path().join("pause.ready"), &mut child);
    // Detected, compiled and written to a temporary file; now the user's file appears.
    std::fs::write(dir.path().join("build.toml"), "# mine\n").unwrap();
    std::fs::write(flags.path().join("pause.go"), "").unwrap();
    let out = finish(child, Duration::from_secs(30), "init");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: `./build.toml` appeared while stagegen was working; it was left as it is\nhelp: pass `--force` to replace it, or `--stdout` to print\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("build.toml")).unwrap(),
        "# mine\n"
    );
    assert!(temps(dir.path()).is_empty(), "{:?}", temps(dir.path()));
}

#[test]
fn init_refuses_to_replace_a_fifo_even_with_force() {
    let dir = app();
    std::fs::remove_file(dir.path().join("build.toml")).unwrap();
    mkfifo(&dir.path().join("build.toml"));
    let out = run(dir.path(), &["init", "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(
            "error: `./build.toml` is not a regular file: it is a named pipe (FIFO)\n"
        ),
        "{}",
        text(&out.stderr)
    );
}

/// A run killed between writing its temporary files and renaming them left
/// `.tmpXXXXXX` files nobody could place. Now they are named after their target and the
/// process, and the next write into the folder removes those of processes that are gone.
#[test]
fn a_stray_temp_after_a_kill_is_recognised_and_removed() {
    if pause_hook_missing() {
        return;
    }
    let dir = app();
    let flags = tempfile::tempdir().unwrap();
    let flag = flags.path().join("pause");
    let mut child = Command::new(bin())
        .args(["dockerfile", "-o", "Dockerfile"])
        .current_dir(dir.path())
        .env("STAGEGEN_TEST_PAUSE_BEFORE_COMMIT", &flag)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(&flags.path().join("pause.ready"), &mut child);
    let pid = child.id();
    child.kill().unwrap();
    child.wait().unwrap();
    let left = temps(dir.path());
    assert_eq!(left.len(), 2, "{left:?}");
    for (name, target) in left.iter().zip(["..dockerignore", ".Dockerfile"]) {
        let prefix = format!("{target}.stagegen-{pid}-");
        assert!(name.starts_with(&prefix), "{name} is not {prefix}*.tmp");
    }
    assert!(
        !dir.path().join("Dockerfile").exists(),
        "killed before the rename"
    );
    // A temporary of a process that still runs (this test) is never touched.
    let live = format!(".Dockerfile.stagegen-{}-aB3dE6.tmp", std::process::id());
    std::fs::write(dir.path().join(&live), "").unwrap();
    let out = run(dir.path(), &["dockerfile", "-o", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(temps(dir.path()), vec![live]);
    assert!(dir.path().join("Dockerfile").is_file());
}

/// `-o ci/Dockerfile` wrote `ci/.dockerignore`, which no engine reads.
#[test]
fn the_ignore_file_goes_where_the_engine_reads_it() {
    let dir = app();
    std::fs::create_dir(dir.path().join("ci")).unwrap();
    let out = run(dir.path(), &["dockerfile", "-o", "ci/Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "wrote ci/Dockerfile and ci/Dockerfile.dockerignore\n"
    );
    assert!(!dir.path().join("ci/.dockerignore").exists());
    assert!(!dir.path().join(".dockerignore").exists());
    let ignore = std::fs::read_to_string(dir.path().join("ci/Dockerfile.dockerignore")).unwrap();
    for own in ["build.toml", "ci/Dockerfile", "ci/Dockerfile.dockerignore"] {
        assert!(ignore.lines().any(|l| l == own), "{own} not in:\n{ignore}");
    }
    // --check compares both files, where they are.
    let out = run(
        dir.path(),
        &["dockerfile", "-o", "ci/Dockerfile", "--check"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::write(
        dir.path().join("ci/Dockerfile.dockerignore"),
        ignore.replace("build.toml\n", ""),
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["dockerfile", "-o", "ci/Dockerfile", "--check"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("--- ci/Dockerfile.dockerignore (on disk)\n") && err.contains("+build.toml\n"),
        "{err}"
    );
    std::fs::remove_file(dir.path().join("ci/Dockerfile.dockerignore")).unwrap();
    let out = run(
        dir.path(),
        &["dockerfile", "-o", "ci/Dockerfile", "--check"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--- ci/Dockerfile.dockerignore (missing)\n"));
    // At the context root: `.dockerignore` for `Dockerfile`, `<name>.dockerignore` for another
    // name (so two Dockerfiles in one folder do not share one).
    let out = run(dir.path(), &["dockerfile", "-o", "./Dockerfile"]);
    assert_eq!(
        text(&out.stderr),
        "wrote ./Dockerfile and ./.dockerignore\n"
    );
    let out = run(
        dir.path(),
        &["dockerfile", "-o", "Dockerfile.test", "--target", "test"],
    );
    assert_eq!(
        text(&out.stderr),
        "wrote Dockerfile.test and Dockerfile.test.dockerignore\n"
    );
}

/// `--check` reads a file only a little past what stagegen writes, but far enough to show lines
/// added at its end, and names every file that drifted.
#[test]
fn check_shows_lines_appended_to_either_file() {
    let dir = app();
    assert!(run(dir.path(), &["dockerfile", "-o", "Dockerfile"])
        .status
        .success());
    for name in ["Dockerfile", ".dockerignore"] {
        let path = dir.path().join(name);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("added-by-hand\n");
        std::fs::write(&path, text).unwrap();
    }
    let out = run(dir.path(), &["dockerfile", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.matches("-added-by-hand\n").count(), 2, "{err}");
    assert!(
        err.ends_with("error: `Dockerfile` and `.dockerignore` are out of date with `build.toml`; run `stagegen dockerfile -f build.toml -o Dockerfile`\n"),
        "{err}"
    );
}

/// With `context = ".."`, `<spec folder>/Dockerfile` is not at the context root.
#[test]
fn a_dockerfile_beside_a_spec_whose_context_is_above_gets_its_own_ignore_file() {
    let root = tempfile::tempdir().unwrap();
    let svc = root.path().join("svc");
    std::fs::create_dir(&svc).unwrap();
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/go-stdlib");
    for name in ["go.mod", "main.go"] {
        std::fs::copy(case.join(name), root.path().join(name)).unwrap();
    }
    std::fs::write(
        svc.join("build.toml"),
        "version = 1\ncontext = \"..\"\n[preset]\nname = \"go\"\n",
    )
    .unwrap();
    let out = run(
        root.path(),
        &["dockerfile", "-f", "svc/build.toml", "-o", "svc/Dockerfile"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ignore = std::fs::read_to_string(svc.join("Dockerfile.dockerignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "svc/build.toml"), "{ignore}");
    let out = run(
        root.path(),
        &["dockerfile", "-f", "svc/build.toml", "--check"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

fn dev_full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full")
}

/// `check --format json > /dev/full` exited 0: the data was lost and nobody was told.
#[test]
fn a_full_stdout_is_an_error_for_every_command_and_format() {
    let dir = app();
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("build.toml"), "version = 1\nverison = 2\n").unwrap();
    let runs: [(&Path, &[&str]); 7] = [
        (dir.path(), &["check", "--format", "json"]),
        (bad.path(), &["check", "--format", "json"]),
        (dir.path(), &["dockerfile"]),
        (dir.path(), &["plan"]),
        (dir.path(), &["schema"]),
        (dir.path(), &["schema", "plan"]),
        (dir.path(), &["init", "--stdout"]),
    ];
    for (cwd, args) in runs {
        let out = Command::new(bin())
            .args(args)
            .current_dir(cwd)
            .stdout(dev_full())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).ends_with("error: cannot write to stdout: no space left on device\n"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

/// Messages go to stderr; when it cannot take them there is no one to tell, but that is no
/// reason to crash (`eprintln!` panics, exit 101).
#[test]
fn a_full_stderr_does_not_crash() {
    let dir = app();
    for (args, code) in [
        (&["check"][..], 0),
        (&["dockerfile", "--target", "nope"][..], 2),
        (&["dockerfile", "-o", "Dockerfile"][..], 0),
    ] {
        let out = Command::new(bin())
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(dev_full())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
}

#[test]
fn a_pipe_closed_early_keeps_the_exit_code_of_the_result() {
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("build.toml"), "version = 1\nverison = 2\n").unwrap();
    let mut child = Command::new(bin())
        .args(["check", "--format", "json"])
        .current_dir(bad.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

fn assert_no_raw_controls(what: &str, stderr: &[u8]) {
    let err = text(stderr);
    assert!(
        !err.chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
        "{what}: raw control characters on stderr: {err:?}"
    );
}

/// Terminal escape sequences in user values were printed raw: a key could clear the screen.
#[test]
fn escape_sequences_in_user_values_are_printed_escaped() {
    let dir = app();
    // A diagnostic quoting a key.
    std::fs::write(
        dir.path().join("build.toml"),
        "version = 1\n\"\\u001b[2J\\u001b]0;pwned\\u0007\" = 1\n[preset]\nname = \"go\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_no_raw_controls("check", &out.stderr);
    assert!(
        text(&out.stderr).contains("\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"),
        "{}",
        text(&out.stderr)
    );
    // The JSON format escapes them by its own rules.
    let out = run(dir.path(), &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v[0]["message"].as_str().unwrap().contains("\u{1b}[2J"));
    // A file name, in an I/O error.
    let out = run(dir.path(), &["check", "-f", "\u{1b}[31mred\u{9b}0m.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_no_raw_controls("-f", &out.stderr);
    assert_eq!(
        text(&out.stderr),
        "error: cannot read `\\u{1b}[31mred\\u{9b}0m.toml`: no such file\n"
    );
    // A flag value.
    let dir = app();
    let out = run(
        dir.path(),
        &["dockerfile", "--target", "\u{1b}[2J\u{202e}x"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_no_raw_controls("--target", &out.stderr);
    assert!(text(&out.stderr).starts_with("error: --target `\\u{1b}[2J\\u{202e}x` is not"));
    // An output path.
    let out = run(dir.path(), &["plan", "-o", "\u{1b}[8m/plan.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_no_raw_controls("-o", &out.stderr);
    // What init found, from the app's files: a main package in a folder named with an escape.
    let dir = app();
    std::fs::remove_file(dir.path().join("build.toml")).unwrap();
    std::fs::remove_file(dir.path().join("main.go")).unwrap();
    let cmd = dir.path().join("cmd").join("\u{1b}[2Japi");
    std::fs::create_dir_all(&cmd).unwrap();
    std::fs::write(cmd.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    let out = run(dir.path(), &["init", "--stdout"]);
    assert_no_raw_controls("init", &out.stderr);
    assert!(
        text(&out.stderr).contains("\\u{1b}[2Japi"),
        "{}",
        text(&out.stderr)
    );
}

/// `init --schema $'x\n[evil]'` wrote a line of TOML of the user's choosing after `#:schema`.
#[test]
fn init_schema_with_a_newline_is_a_usage_error() {
    let dir = app();
    std::fs::remove_file(dir.path().join("build.toml")).unwrap();
    for (schema, shown) in [
        ("x.json\n[evil]\nkey = 1", "U+000A"),
        ("x.json\r[evil]", "U+000D"),
        ("x.json\u{1b}[2J", "U+001B"),
        ("x.json\u{2028}", "U+2028"),
    ] {
        for extra in [&["--stdout"][..], &[][..]] {
            let mut args = vec!["init", "--schema", schema];
            args.extend(extra);
            let out = run(dir.path(), &args);
            assert_eq!(out.status.code(), Some(2), "{schema:?}");
            assert_eq!(
                text(&out.stderr),
                format!("error: `--schema` holds the control character {shown}; it must fit on the `#:schema` line\nhelp: pass a URL or a path to build.schema.json, e.g. `--schema https://stagegen.dev/schema/v1/build.schema.json`\n")
            );
            assert!(out.stdout.is_empty());
            assert!(!dir.path().join("build.toml").exists());
        }
    }
    let out = run(dir.path(), &["init", "--stdout", "--schema", " "]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: `--schema` is empty\n"));
    // A plain value still works and lands on the first line.
    let out = run(
        dir.path(),
        &[
            "init",
            "--stdout",
            "--schema",
            "./schemas/build.schema.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("#:schema ./schemas/build.schema.json\n"));
}

/// The engine reads `<Dockerfile>.dockerignore` beside a Dockerfile in a subfolder, and not a
/// `.dockerignore` there: build with `-f ci/Dockerfile` and look for an ignored `.env` in the
/// image. Needs the Docker engine and the `debian` and `docker/dockerfile:1` images:
/// `cargo test --test io -- --ignored`.
#[test]
#[ignore = "needs a Docker engine with the stand-in images"]
fn engine_leaves_out_the_ignored_files_with_a_dockerfile_in_a_subfolder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("ci")).unwrap();
    std::fs::write(
        root.join("build.toml"),
        "version = 1\nignore = [\".env\"]\n\n[[stage]]\nname = \"app\"\nimage = \"debian:bookworm-slim\"\nworkdir = \"/ctx\"\nsteps = [{ copy = [\".\"], to = \".\" }]\n",
    )
    .unwrap();
    std::fs::write(root.join(".env"), "SECRET=1\n").unwrap();
    std::fs::write(root.join("app.txt"), "hello\n").unwrap();
    let out = run(root, &["dockerfile", "-o", "ci/Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let listing = |tag: &str| -> String {
        let docker = |args: &[&str]| -> Output {
            Command::new("/usr/bin/docker")
                .args(args)
                .current_dir(root)
                .env("DOCKER_BUILDKIT", "1")
                .output()
                .expect("docker runs")
        };
        let built = docker(&["build", "-q", "-f", "ci/Dockerfile", "-t", tag, "."]);
        assert!(built.status.success(), "build: {}", text(&built.stderr));
        let ls = docker(&["run", "--rm", tag, "ls", "-A", "/ctx"]);
        let _ = docker(&["rmi", "-f", tag]);
        assert!(ls.status.success(), "run: {}", text(&ls.stderr));
        text(&ls.stdout)
    };
    let files = listing("stagegen-io-driver/ignore-subfolder:test");
    let names: Vec<&str> = files.lines().collect();
    assert!(names.contains(&"app.txt"), "{names:?}");
    assert!(
        !names.contains(&".env"),
        ".env entered the image: {names:?}"
    );
    assert!(!names.contains(&"build.toml"), "{names:?}");

    // The old place, `ci/.dockerignore`, is not read: the same build then ships `.env`. (Proves
    // the test sees the engine's rule, not an accident.)
    std::fs::rename(
        root.join("ci/Dockerfile.dockerignore"),
        root.join("ci/.dockerignore"),
    )
    .unwrap();
    let files = listing("stagegen-io-driver/ignore-subfolder:old");
    assert!(
        files.lines().any(|l| l == ".env"),
        "expected the engine to ignore ci/.dockerignore: {files}"
    );
}
