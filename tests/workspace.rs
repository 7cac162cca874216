//! Workspaces as a user meets them: `stagegen.toml`, `dockerfile --all` (writing, `--check`,
//! all or nothing), `-p NAME`, contexts larger than the member, and the plan's `context`.

use std::path::Path;
use std::process::{Command, Output};

fn stagegen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stagegen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("stagegen runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A Go app (the go-stdlib case's files) in `rel`.
fn go_app(dir: &Path, rel: &str, build_toml: &str) {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/go-stdlib");
    for name in ["go.mod", "main.go"] {
        let text = std::fs::read_to_string(case.join(name)).expect("read");
        write(dir, &format!("{rel}/{name}"), &text);
    }
    write(dir, &format!("{rel}/build.toml"), build_toml);
}

/// Two Go services on a shared template, one of them building with the repository root as its
/// context.
fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    write(
        d,
        "stagegen.toml",
        "[workspace]\nmembers = [\"services/*\"]\nexclude = [\"services/legacy\"]\n\n[workspace.vars]\nversion = \"1.4.0\"\n\n[workspace.defaults.runtime.labels]\n\"org.example.version\" = \"{{ vars.version }}\"\n",
    );
    write(
        d,
        "templates/service.toml",
        "version = 1\n[preset]\nname = \"{{ preset }}\"\n[runtime.labels]\n\"org.example.service\" = \"{{ member.name }}\"\n",
    );
    go_app(
        d,
        "services/api",
        "extends = \"../../templates/service.toml\"\n",
    );
    go_app(
        d,
        "services/billing",
        "extends = \"../../templates/service.toml\"\ncontext = \"../..\"\n[preset]\nmain = \"./services/billing\"\n",
    );
    go_app(d, "services/legacy", "version = 1\nimgae = \"x\"\n");
    // billing builds from the root: the root needs a module that holds it.
    write(d, "go.mod", "module example.com/mono\n\ngo 1.22\n");
    tmp
}

#[test]
fn all_writes_every_member_where_docker_reads_it_and_check_gates_drift() {
    let tmp = workspace();
    let d = tmp.path();
    let out = stagegen(d, &["dockerfile", "--all"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("wrote 4 files for 2 members"),
        "{}",
        stderr(&out)
    );
    let api = std::fs::read_to_string(d.join("services/api/Dockerfile")).expect("api");
    assert!(api.contains("org.example.version=\"1.4.0\""), "{api}");
    assert!(api.contains("org.example.service=\"api\""), "{api}");
    assert!(d.join("services/api/.dockerignore").is_file());
    // The member whose context is the root: its files where a build of the root reads them.
    assert!(d.join("billing.Dockerfile").is_file());
    assert!(d.join("billing.Dockerfile.dockerignore").is_file());
    assert!(!d.join("services/billing/Dockerfile").exists());
    assert!(!d.join("services/legacy/Dockerfile").exists(), "excluded");

    let out = stagegen(d, &["dockerfile", "--all", "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 members are up to date"));

    // An edit to the shared template makes both stale.
    write(
        d,
        "templates/service.toml",
        "version = 1\n[preset]\nname = \"{{ preset }}\"\n[runtime.labels]\n\"org.example.service\" = \"svc-{{ member.name }}\"\n",
    );
    let out = stagegen(d, &["dockerfile", "--all", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("+      org.example.service=\"svc-api\""),
        "{err}"
    );
    assert!(
        err.contains("error: 2 generated files are out of date; run `stagegen dockerfile --all`"),
        "{err}"
    );
    let out = stagegen(d, &["dockerfile", "-p", "api", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("run `stagegen dockerfile -p api`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_plan_records_a_context_larger_than_the_member() {
    let tmp = workspace();
    let out = stagegen(tmp.path(), &["plan", "-p", "billing"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(plan["context"], "../..");
    let out = stagegen(tmp.path(), &["plan", "-p", "api"]);
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(plan.get("context").is_none());
}

#[test]
fn every_problem_of_every_member_at_once_and_nothing_written() {
    let tmp = workspace();
    let d = tmp.path();
    write(
        d,
        "services/api/build.toml",
        "extends = \"../../templates/service.toml\"\n[runtime]\nports = [0]\n",
    );
    write(
        d,
        "services/billing/build.toml",
        "extends = \"../../templates/service.toml\"\n[runtime]\nuser = 7\n",
    );
    let out = stagegen(d, &["dockerfile", "--all"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("--> services/api/build.toml:3:10"), "{err}");
    assert!(err.contains("--> services/billing/build.toml:3:8"), "{err}");
    assert!(
        err.contains("error: 2 of 2 members have problems; nothing was written"),
        "{err}"
    );
    assert!(!d.join("services/api/Dockerfile").exists());
    assert!(!d.join("billing.Dockerfile").exists());
}

#[test]
fn a_file_stagegen_did_not_write_is_kept_unless_force() {
    let tmp = workspace();
    let d = tmp.path();
    write(d, "services/api/Dockerfile", "FROM scratch\n");
    let out = stagegen(d, &["dockerfile", "--all"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(d.join("services/api/Dockerfile")).expect("kept"),
        "FROM scratch\n"
    );
    assert!(!d.join("billing.Dockerfile").exists(), "all or nothing");
    let out = stagegen(d, &["dockerfile", "--all", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn member_picks_one_by_name() {
    let tmp = workspace();
    let out = stagegen(tmp.path(), &["dockerfile", "-p", "api"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("org.example.service=\"api\""));
    let out = stagegen(tmp.path(), &["dockerfile", "-p", "apy"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("no member of the workspace is named `apy`"),
        "{err}"
    );
    assert!(err.contains("did you mean `api`?"), "{err}");
    // From inside a member's folder, `-f` finds the workspace above it.
    let out = stagegen(&tmp.path().join("services/api"), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_bad_value_in_a_template_points_into_the_template() {
    let tmp = workspace();
    let d = tmp.path();
    write(
        d,
        "templates/service.toml",
        "version = 1\n[preset]\nname = \"{{ preset }}\"\n[runtime]\nports = [70000]\n",
    );
    let out = stagegen(d, &["check", "--all"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("--> templates/service.toml:5:10"), "{err}");
    assert!(
        err.contains("error: 2 of 2 members of `stagegen.toml` have problems"),
        "{err}"
    );
}

#[test]
fn all_without_a_workspace_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = stagegen(tmp.path(), &["dockerfile", "--all"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no `stagegen.toml` at or above `.`"),
        "{}",
        stderr(&out)
    );
}
