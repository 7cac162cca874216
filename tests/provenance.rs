//! `[runtime] oci-labels`: the revision, source and created labels filled from a temporary git
//! repository and `SOURCE_DATE_EPOCH`, and only when the spec asks. Skips, saying why, without
//! git.

#![allow(clippy::unwrap_used, reason = "test helpers: a panic is the failure")]

mod support;

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2024-05-06T07:08:09Z")
        .env("GIT_COMMITTER_DATE", "2024-05-06T07:08:09Z")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A Go app whose spec asks for `labels` (a TOML array's items) and sets `extra` in `[runtime]`.
fn app(dir: &Path, labels: &str, extra: &str) {
    let case = support::repo().join("tests/cases/go-stdlib");
    for name in ["go.mod", "main.go"] {
        std::fs::copy(case.join(name), dir.join(name)).unwrap();
    }
    std::fs::write(
        dir.join("build.toml"),
        format!(
            "version = 1\n[preset]\nname = \"go\"\n[runtime]\noci-labels = [{labels}]\n{extra}"
        ),
    )
    .unwrap();
}

fn dockerfile(dir: &Path, env: &[(&str, &str)]) -> support::Run {
    let mut cmd = Command::new(support::stagegen());
    cmd.args(["dockerfile"])
        .current_dir(dir)
        .env("NO_COLOR", "1");
    cmd.env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    support::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn has_git() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn labels_come_from_git_and_source_date_epoch_only_when_asked() {
    if !has_git() {
        eprintln!("skipping: git is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    app(d, "\"revision\", \"source\", \"created\"", "");
    // Outside a checkout, each label says what it needs.
    let run = dockerfile(
        d,
        &[(
            "GIT_CEILING_DIRECTORIES",
            d.parent().unwrap().to_str().unwrap(),
        )],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: `oci-labels` asks for `revision`, and `git rev-parse HEAD`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: build from a git checkout, or take `revision` out of `oci-labels`"),
        "{}",
        run.stderr
    );

    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "first"]);
    let run = dockerfile(d, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("`oci-labels` asks for `source`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: add the repository's remote"),
        "{}",
        run.stderr
    );

    git(
        d,
        &[
            "remote",
            "add",
            "origin",
            "https://ci:t0ken@git.example.com/acme/api.git",
        ],
    );
    let head = git(d, &["rev-parse", "HEAD"]);
    let run = dockerfile(d, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let want = format!(
        "LABEL org.opencontainers.image.revision=\"{head}\" \\\n      org.opencontainers.image.source=\"https://git.example.com/acme/api\" \\\n      org.opencontainers.image.created=\"2024-05-06T07:08:09Z\"\n"
    );
    assert!(run.stdout.contains(&want), "{}", run.stdout);
    assert!(
        !run.stdout.contains("t0ken"),
        "credentials never reach the image"
    );
    // Same checkout, same bytes.
    assert_eq!(dockerfile(d, &[]).stdout, run.stdout);

    let run = dockerfile(d, &[("SOURCE_DATE_EPOCH", "86400")]);
    assert!(
        run.stdout
            .contains("org.opencontainers.image.created=\"1970-01-02T00:00:00Z\""),
        "{}",
        run.stdout
    );
    let run = dockerfile(d, &[("SOURCE_DATE_EPOCH", "yesterday")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: `SOURCE_DATE_EPOCH=yesterday` is not a number of seconds"),
        "{}",
        run.stderr
    );

    // A label the spec sets wins; a spec that asks for nothing gets nothing from git.
    app(
        d,
        "\"source\"",
        "labels = { \"org.opencontainers.image.source\" = \"https://example.com/mine\" }\n",
    );
    let run = dockerfile(d, &[]);
    assert!(
        run.stdout
            .contains("org.opencontainers.image.source=\"https://example.com/mine\""),
        "{}",
        run.stdout
    );
    app(d, "", "");
    let run = dockerfile(d, &[("SOURCE_DATE_EPOCH", "86400")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("org.opencontainers"), "{}", run.stdout);
}
