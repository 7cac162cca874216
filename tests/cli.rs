//! The command line as a user meets it: exit codes, writing files, the drift check, schemas.

use std::path::Path;
use std::process::{Command, Output};

fn stagegen(dir: &Path, args: &[&str]) -> Output {
    stagegen_env(dir, args, &[])
}

/// stagegen with the colour switches of the environment cleared, then `env` set.
fn stagegen_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stagegen"));
    cmd.args(args).current_dir(dir);
    for name in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "STAGEGEN_SET"] {
        cmd.env_remove(name);
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("stagegen runs")
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

#[test]
fn checked_in_schemas_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (which, file) in [
        ("build", "build.schema.json"),
        ("workspace", "workspace.schema.json"),
        ("plan", "plan.schema.json"),
    ] {
        let out = stagegen(root, &["schema", which]);
        assert!(out.status.success());
        let on_disk =
            std::fs::read_to_string(root.join("schemas").join(file)).expect("schema file");
        assert_eq!(
            text(&out.stdout),
            on_disk,
            "schemas/{file} is stale: run `stagegen schema {which} > schemas/{file}`"
        );
    }
}

#[test]
fn examples_validate_against_the_checked_in_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("examples")).expect("examples") {
        let dir = entry.expect("entry").path();
        if dir.join("build.toml").is_file() {
            let out = stagegen(&dir, &["check"]);
            assert!(
                out.status.success(),
                "{}: {}",
                dir.display(),
                text(&out.stderr)
            );
        }
    }
}

#[test]
fn check_exits_zero_and_says_ok() {
    let dir = app();
    let out = stagegen(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("build.toml: ok (4 stages)"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "check prints no data");
}

#[test]
fn check_json_format_is_machine_readable() {
    let dir = app();
    std::fs::write(
        dir.path().join("build.toml"),
        "version = 1\nverison = 2\n[preset]\nname = \"go\"\n",
    )
    .unwrap();
    let out = stagegen(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v[0]["code"], "SG101");
    assert_eq!(v[0]["primary"]["line"], 2);
    assert_eq!(v[0]["help"], "did you mean `version`?");
}

#[test]
fn a_missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = stagegen(dir.path(), &["check", "-f", "nope.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: cannot read `nope.toml`: no such file\n"
    );
}

#[test]
fn usage_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let out = stagegen(dir.path(), &["dockerfile", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_unknown_target_flag_is_a_usage_error_with_a_hint() {
    let dir = app();
    let out = stagegen(dir.path(), &["dockerfile", "--target", "tset"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: --target `tset` is not a stage of `build.toml`\nhelp: did you mean `test`? the stages are: build, test, dev, runtime\n"
    );
    assert!(out.stdout.is_empty());
    // The same for `plan`, and without a suggestion when nothing is close.
    let out = stagegen(dir.path(), &["plan", "--target", "production"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: --target `production` is not a stage of `build.toml`\nhelp: the stages are: build, test, dev, runtime\n"
    );
    // Even with `-o`, nothing is written.
    let out = stagegen(
        dir.path(),
        &["dockerfile", "--target", "tset", "-o", "Dockerfile"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("Dockerfile").exists());
}

#[test]
fn output_writes_dockerfile_and_dockerignore_then_check_passes() {
    let dir = app();
    let out = stagegen(dir.path(), &["dockerfile", "-o", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dockerfile = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert!(dockerfile.starts_with("# syntax=docker/dockerfile:1\n# Generated by stagegen"));
    let ignore = std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap();
    assert!(
        ignore.lines().any(|l| l == "build.toml") && ignore.lines().any(|l| l == "Dockerfile"),
        "{ignore}"
    );
    let out = stagegen(dir.path(), &["dockerfile", "-o", "Dockerfile", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Overwriting our own file needs no --force.
    let out = stagegen(dir.path(), &["dockerfile", "-o", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn check_flag_shows_a_diff_and_fails_on_drift() {
    let dir = app();
    assert!(stagegen(dir.path(), &["dockerfile", "-o", "Dockerfile"])
        .status
        .success());
    let path = dir.path().join("Dockerfile");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("EXPOSE 8080", "EXPOSE 9999");
    std::fs::write(&path, edited).unwrap();
    let out = stagegen(dir.path(), &["dockerfile", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("-EXPOSE 9999") && err.contains("+EXPOSE 8080"),
        "{err}"
    );
    assert!(err.contains("is out of date with `build.toml`"), "{err}");
}

#[test]
fn a_hand_written_dockerfile_is_never_overwritten_without_force() {
    let dir = app();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, "FROM debian:bookworm-slim\n").unwrap();
    let out = stagegen(dir.path(), &["dockerfile", "-o", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: refusing to overwrite `Dockerfile`: stagegen did not write it\nhelp: pass `--force` to replace it\n"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "FROM debian:bookworm-slim\n"
    );
    assert!(
        !dir.path().join(".dockerignore").exists(),
        "nothing half-written"
    );
    let out = stagegen(dir.path(), &["dockerfile", "-o", "Dockerfile", "--force"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("Generated by stagegen"));
}

#[test]
fn a_hand_written_dockerignore_is_kept_too() {
    let dir = app();
    std::fs::write(dir.path().join(".dockerignore"), "node_modules\n").unwrap();
    let out = stagegen(dir.path(), &["dockerfile", "-o", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("refusing to overwrite `.dockerignore`"));
    assert!(!dir.path().join("Dockerfile").exists());
}

#[test]
fn plan_is_json_with_the_target_last() {
    let dir = app();
    let out = stagegen(dir.path(), &["plan"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["target"], "runtime");
    let stages = v["stages"].as_array().unwrap();
    assert_eq!(stages.last().unwrap()["name"], "runtime");
    assert_eq!(v["plan-version"], 1);
}

#[test]
fn plan_refuses_to_overwrite_a_foreign_file() {
    let dir = app();
    std::fs::write(dir.path().join("plan.json"), "{\"mine\": true}").unwrap();
    let out = stagegen(dir.path(), &["plan", "-o", "plan.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stagegen(dir.path(), &["plan", "-o", "plan.json", "--force"])
            .status
            .success()
    );
    assert!(
        stagegen(dir.path(), &["plan", "-o", "plan.json"])
            .status
            .success(),
        "our own plan is replaced"
    );
}

#[test]
fn target_prunes_to_what_it_needs() {
    let dir = app();
    let out = stagegen(dir.path(), &["dockerfile", "--target", "build"]);
    let df = text(&out.stdout);
    assert!(
        df.contains("AS build") && !df.contains("AS runtime") && !df.contains("AS dev"),
        "{df}"
    );
}

#[test]
fn every_command_help_shows_an_example() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["check", "dockerfile", "plan", "schema"] {
        let out = stagegen(dir.path(), &[cmd, "--help"]);
        assert!(out.status.success());
        assert!(
            text(&out.stdout).contains("Example"),
            "{cmd} --help has no example"
        );
    }
}

#[test]
fn a_pipe_closed_early_is_not_an_error() {
    let dir = app();
    let mut child = Command::new(env!("CARGO_BIN_EXE_stagegen"))
        .args(["schema"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "a reader that stops early is not an error"
    );
}

const SUBCOMMANDS: &[&str] = &[
    "check",
    "dockerfile",
    "plan",
    "init",
    "schema",
    "completions",
    "man",
];

#[test]
fn bash_completion_names_every_subcommand_and_parses() {
    let dir = tempfile::tempdir().unwrap();
    let out = stagegen(dir.path(), &["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let script = text(&out.stdout);
    for sub in SUBCOMMANDS {
        assert!(script.contains(sub), "bash completion lacks `{sub}`");
    }
    for flag in ["--toolchain-version", "--color", "--quiet", "--file"] {
        assert!(script.contains(flag), "bash completion lacks `{flag}`");
    }
    let path = dir.path().join("stagegen.bash");
    std::fs::write(&path, &script).unwrap();
    let bash = Command::new("bash").arg("-n").arg(&path).output();
    let bash = bash.expect("bash runs");
    assert!(bash.status.success(), "bash -n: {}", text(&bash.stderr));
}

#[test]
fn completions_exist_for_every_shell_and_refuse_others() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = stagegen(dir.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(text(&out.stdout).contains("dockerfile"), "{shell}");
    }
    let out = stagegen(dir.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bash"), "{}", text(&out.stderr));
}

#[test]
fn the_man_page_is_roff_with_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = stagegen(dir.path(), &["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
    assert!(page.contains(".TH stagegen 1"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(page.contains(sub), "the man page lacks `{sub}`");
    }
    let out = stagegen(dir.path(), &["man", "init"]);
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(page.contains(".TH stagegen-init 1"), "{page}");
    assert!(page.contains("toolchain\\-version"), "{page}");
    let out = stagegen(dir.path(), &["man", "bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: `bogus` is not a stagegen command\nhelp: the commands are: check, dockerfile, plan, init, schema, completions, man\n"
    );
}

/// `--version` prints stagegen's version wherever it is typed; init's toolchain flag has its
/// own name.
#[test]
fn version_is_the_tools_own_everywhere() {
    let dir = app();
    let version = env!("CARGO_PKG_VERSION");
    for (args, want) in [
        (&["--version"][..], format!("stagegen {version}\n")),
        (&["init", "--version"], format!("stagegen-init {version}\n")),
        (&["check", "-V"], format!("stagegen-check {version}\n")),
    ] {
        let out = stagegen(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(text(&out.stdout), want, "{args:?}");
    }
    let out = stagegen(
        dir.path(),
        &["init", "--stdout", "--toolchain-version", "1.23"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("version = \"1.23\""));
}

/// A spec with one error, for the colour tests.
fn broken_app() -> tempfile::TempDir {
    let dir = app();
    std::fs::write(
        dir.path().join("build.toml"),
        "version = 1\nverison = 2\n[preset]\nname = \"go\"\n",
    )
    .expect("write build.toml");
    dir
}

/// Flags, environment, and whether stderr should be coloured.
type ColorCase<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], bool);

const ESC: char = '\u{1b}';

#[test]
fn colour_follows_the_flag_then_no_color_then_clicolor_force() {
    let dir = broken_app();
    let cases: &[ColorCase<'_>] = &[
        // auto: stderr is a pipe here
        (&[], &[], false),
        (&["--color", "always"], &[], true),
        (&["--color", "always"], &[("NO_COLOR", "1")], true),
        (&["--color", "never"], &[("CLICOLOR_FORCE", "1")], false),
        (&[], &[("CLICOLOR_FORCE", "1")], true),
        (&["--color", "auto"], &[("CLICOLOR_FORCE", "1")], true),
        (&[], &[("CLICOLOR_FORCE", "0")], false),
        (&[], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")], false),
    ];
    for (flags, env, coloured) in cases {
        let mut args = vec!["check"];
        args.extend_from_slice(flags);
        let out = stagegen_env(dir.path(), &args, env);
        assert_eq!(out.status.code(), Some(1));
        let stderr = text(&out.stderr);
        assert_eq!(
            stderr.contains(ESC),
            *coloured,
            "{flags:?} {env:?}: {stderr:?}"
        );
        assert!(stderr.contains("unknown key `verison`"), "{stderr}");
    }
    // The colours are only around the text: the first line is the plain one, painted.
    let out = stagegen(dir.path(), &["check", "--color=always"]);
    assert!(
        text(&out.stderr).starts_with(
            "\u{1b}[1m\u{1b}[91merror[SG101]\u{1b}[0m\u{1b}[1m: unknown key `verison`"
        ),
        "{:?}",
        text(&out.stderr)
    );
}

#[test]
fn data_on_stdout_is_never_coloured() {
    let dir = app();
    let out = stagegen(dir.path(), &["dockerfile", "--color", "always"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!text(&out.stdout).contains(ESC));
    let out = stagegen(
        dir.path(),
        &["check", "--format", "json", "--color", "always"],
    );
    assert!(!text(&out.stdout).contains(ESC));
}

#[test]
fn quiet_prints_only_errors() {
    let dir = app();
    let out = stagegen(dir.path(), &["check", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
    let out = stagegen(dir.path(), &["dockerfile", "-o", "Dockerfile", "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
    assert!(dir.path().join("Dockerfile").is_file());
    let out = stagegen(
        dir.path(),
        &["dockerfile", "-o", "Dockerfile", "--check", "-q"],
    );
    assert_eq!(
        (out.status.code(), text(&out.stderr)),
        (Some(0), String::new())
    );
    // Errors are still printed.
    let dir = broken_app();
    let out = stagegen(dir.path(), &["-q", "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[SG101]"));
    // -q and -v together make no sense.
    let out = stagegen(dir.path(), &["check", "-q", "-v"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn quiet_drops_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/warn-root-user");
    std::fs::copy(case.join("build.toml"), dir.path().join("build.toml")).unwrap();
    let out = stagegen(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("warning["),
        "{}",
        text(&out.stderr)
    );
    let out = stagegen(dir.path(), &["check", "-q"]);
    assert_eq!(
        (out.status.code(), text(&out.stderr)),
        (Some(0), String::new())
    );
}

#[test]
fn verbose_says_what_was_read_and_made() {
    let dir = app();
    let out = stagegen(dir.path(), &["dockerfile", "-v", "--target", "build"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        "note: read `build.toml` (58 bytes)\nnote: build context `.`\nnote: 1 stage: build\n"
    );
    let out = stagegen(dir.path(), &["check", "--verbose"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.ends_with("note: 4 stages: build, test, dev, runtime\nbuild.toml: ok (4 stages)\n"),
        "{stderr}"
    );
}

/// stagegen with `stdin` on its standard input.
fn stagegen_stdin(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_stagegen"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("stagegen runs");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin).expect("write stdin");
    }
    child.wait_with_output().expect("stagegen ends")
}

#[test]
fn a_spec_on_stdin_is_read_in_the_current_folder() {
    let dir = app();
    let spec = std::fs::read(dir.path().join("build.toml")).unwrap();
    std::fs::remove_file(dir.path().join("build.toml")).unwrap();
    let out = stagegen_stdin(dir.path(), &["dockerfile", "-f", "-"], &spec);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dockerfile = text(&out.stdout);
    // The Go preset read go.mod from the current folder, and the header names stdin.
    assert!(dockerfile.contains("FROM golang:"), "{dockerfile}");
    assert!(dockerfile.contains("<stdin>"), "{dockerfile}");
    let out = stagegen_stdin(dir.path(), &["check", "-f", "-"], &spec);
    assert_eq!(text(&out.stderr), "<stdin>: ok (4 stages)\n");
}

#[test]
fn context_names_the_folder_a_spec_on_stdin_is_read_in() {
    let dir = app();
    let spec = std::fs::read(dir.path().join("build.toml")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let app_dir = dir.path().to_str().unwrap();
    let out = stagegen_stdin(
        elsewhere.path(),
        &["dockerfile", "-f", "-", "--context", app_dir, "-o", "-"],
        &spec,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("FROM golang:"));
    // Without it the current folder is the context: no go.mod there.
    let out = stagegen_stdin(elsewhere.path(), &["dockerfile", "-f", "-"], &spec);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--> <stdin>"),
        "{}",
        text(&out.stderr)
    );
    // --check writes nothing and compares with `<context>/Dockerfile`.
    let out = stagegen_stdin(
        elsewhere.path(),
        &["dockerfile", "-f", "-", "--context", app_dir, "--check"],
        &spec,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("; run `stagegen dockerfile -f - --context "),
        "{}",
        text(&out.stderr)
    );
    // A context that is not a folder is a usage error.
    let out = stagegen_stdin(
        elsewhere.path(),
        &["check", "-f", "-", "--context", "nope"],
        &spec,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: `--context nope` is not a folder\nhelp: pass the folder the spec's paths are relative to: `--context path/to/app`\n"
    );
}

#[test]
fn a_spec_on_stdin_is_not_left_out_of_the_context() {
    let dir = app();
    let spec = std::fs::read(dir.path().join("build.toml")).unwrap();
    let out = stagegen_stdin(
        dir.path(),
        &["dockerfile", "-f", "-", "-o", "Dockerfile"],
        &spec,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ignore = std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap();
    assert!(
        !ignore
            .lines()
            .any(|l| l.contains("stdin") && !l.starts_with('#')),
        "{ignore}"
    );
    let out = stagegen(dir.path(), &["dockerfile", "-o", "Dockerfile"]);
    assert!(out.status.success());
    let ignore = std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "build.toml"), "{ignore}");
}
