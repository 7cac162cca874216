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
        err.contains("error: 2 of 2 members have errors; nothing was written"),
        "{err}"
    );
    assert!(!d.join("services/api/Dockerfile").exists());
    assert!(!d.join("billing.Dockerfile").exists());
}

/// Members are compiled on several threads; what a run says must not depend on which finished
/// first: every failing member's diagnostics, in the members' order, the same bytes each run,
/// and nothing written while any member fails.
#[test]
fn diagnostics_of_many_failing_members_come_out_in_member_order_every_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    write(
        d,
        "stagegen.toml",
        "[workspace]\nmembers = [\"services/*\"]\n",
    );
    write(
        d,
        "templates/service.toml",
        "version = 1\n[preset]\nname = \"go\"\nbinary = \"{{ member.name }}\"\n",
    );
    let mut failing = Vec::new();
    for i in 0..24 {
        let name = format!("svc-{i:02}");
        let own = if i % 3 == 1 {
            failing.push(name.clone());
            // A mistake of its own on a line of its own (line 2 + i % 4), so each is told apart.
            let blank = "\n".repeat(i % 4);
            format!("extends = \"../../templates/service.toml\"\n{blank}[runtime]\nuser = {i}\n")
        } else {
            "extends = \"../../templates/service.toml\"\n".to_string()
        };
        go_app(d, &format!("services/{name}"), &own);
    }
    for args in [
        &["dockerfile", "--all"][..],
        &["check", "--all"],
        &["bake"],
        &["compose"],
    ] {
        let first = stagegen(d, args);
        assert_eq!(first.status.code(), Some(1), "{args:?}: {}", stderr(&first));
        let err = stderr(&first);
        let places: Vec<&str> = err
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("--> services/"))
            .collect();
        let members: Vec<&str> = places
            .iter()
            .map(|p| p.split('/').next().unwrap_or_default())
            .collect();
        assert_eq!(members, failing, "{args:?}: {err}");
        let summary = err.lines().last().unwrap_or_default();
        assert!(
            summary.starts_with("error: 8 of 24 members") && summary.contains("have errors"),
            "{args:?}: {err}"
        );
        for _ in 0..5 {
            let again = stagegen(d, args);
            assert_eq!(stderr(&again), err, "{args:?}: the same bytes every run");
        }
        assert!(!d.join("services/svc-00/Dockerfile").exists(), "{args:?}");
        assert!(!d.join("docker-bake.json").exists(), "{args:?}");
        assert!(!d.join("compose.yaml").exists(), "{args:?}");
    }
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
        err.contains("error: 2 of 2 members of `stagegen.toml` have errors"),
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

/// Whether `docker` with buildx and compose runs here (the e2e machine has both).
fn docker_has(plugin: &str) -> bool {
    Command::new("docker")
        .args([plugin, "version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A workspace for bake and compose: `base` publishes an image that `api` builds on.
fn publishing_workspace() -> tempfile::TempDir {
    let tmp = workspace();
    let d = tmp.path();
    write(
        d,
        "stagegen.toml",
        "[workspace]\nmembers = [\"services/*\", \"base\"]\nexclude = [\"services/legacy\"]\n\n[workspace.vars]\nversion = \"1.4.0\"\n\n[workspace.defaults]\ntags = [\"registry.example.com/{{ member.name }}:{{ vars.version }}\"]\ncache-from = [\"type=registry,ref=registry.example.com/{{ member.name }}:cache\"]\ncache-to = [\"type=registry,ref=registry.example.com/{{ member.name }}:cache,mode=max\"]\n",
    );
    write(
        d,
        "base/build.toml",
        "version = 1\nplatforms = [\"linux/amd64\", \"linux/arm64\"]\n\n[args]\nDEBIAN_FRONTEND = \"noninteractive\"\n\n[secrets.apt-auth]\n\n[[stage]]\nname = \"base\"\nimage = \"debian:12\"\nuser = \"65532:65532\"\nargs = [\"DEBIAN_FRONTEND\"]\nsteps = [{ run = \"true\", secrets = [\"apt-auth\"] }]\n",
    );
    write(
        d,
        "services/api/build.toml",
        "extends = \"../../templates/service.toml\"\n[runtime]\nbase = \"registry.example.com/base:1.4.0\"\nports = [8080]\nenv = { MODE = \"prod\" }\n[runtime.healthcheck]\ncmd = [\"/app/hello\", \"-health\"]\ninterval = \"30s\"\n",
    );
    write(
        d,
        "services/billing/build.toml",
        "extends = \"../../templates/service.toml\"\ncontext = \"../..\"\ncache-from = [\"...\", \"type=gha,scope=billing\"]\ncache-to = [\"type=gha,scope=billing,mode=max\"]\n[preset]\nmain = \"./services/billing\"\n[runtime]\nports = [8080]\n",
    );
    tmp
}

#[test]
fn bake_has_a_target_per_member_and_stage_groups_and_contexts() {
    let tmp = publishing_workspace();
    let d = tmp.path();
    let out = stagegen(d, &["bake"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        d.join("services/api/Dockerfile").is_file(),
        "the Dockerfiles it names"
    );
    let text = std::fs::read_to_string(d.join("docker-bake.json")).expect("bake file");
    let bake: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        bake["group"]["default"]["targets"],
        serde_json::json!(["base", "api", "billing"])
    );
    assert_eq!(
        bake["group"]["test"]["targets"],
        serde_json::json!(["api-test", "billing-test"])
    );
    let api = &bake["target"]["api"];
    assert_eq!(api["context"], "services/api");
    assert_eq!(api["dockerfile"], "Dockerfile");
    assert_eq!(api["target"], "runtime");
    assert_eq!(
        api["tags"],
        serde_json::json!(["registry.example.com/api:1.4.0"])
    );
    assert_eq!(
        api["contexts"]["registry.example.com/base:1.4.0"],
        "target:base"
    );
    assert_eq!(bake["target"]["api-test"]["target"], "test");
    assert!(bake["target"]["api-test"].get("tags").is_none());
    // The cache: read by every target of the member, written by its image only.
    assert_eq!(
        api["cache-from"],
        serde_json::json!(["type=registry,ref=registry.example.com/api:cache"])
    );
    assert_eq!(
        api["cache-to"],
        serde_json::json!(["type=registry,ref=registry.example.com/api:cache,mode=max"])
    );
    assert_eq!(bake["target"]["api-test"]["cache-from"], api["cache-from"]);
    assert!(bake["target"]["api-test"].get("cache-to").is_none());
    let billing = &bake["target"]["billing"];
    assert_eq!(billing["context"], ".");
    assert_eq!(billing["dockerfile"], "billing.Dockerfile");
    // The member's list extends the default's (`"..."`), and its cache-to replaces it.
    assert_eq!(
        billing["cache-from"],
        serde_json::json!([
            "type=registry,ref=registry.example.com/billing:cache",
            "type=gha,scope=billing"
        ])
    );
    assert_eq!(
        billing["cache-to"],
        serde_json::json!(["type=gha,scope=billing,mode=max"])
    );
    let base = &bake["target"]["base"];
    assert_eq!(
        base["platforms"],
        serde_json::json!(["linux/amd64", "linux/arm64"])
    );
    assert_eq!(base["args"]["DEBIAN_FRONTEND"], "noninteractive");
    assert_eq!(
        base["secret"],
        serde_json::json!(["id=apt-auth,env=APT_AUTH"])
    );

    let out = stagegen(d, &["bake", "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A file stagegen did not write is kept.
    std::fs::write(d.join("docker-bake.json"), "{}\n").expect("write");
    let out = stagegen(d, &["bake"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(d.join("docker-bake.json")).expect("kept"),
        "{}\n"
    );

    if docker_has("buildx") {
        let out = stagegen(d, &["bake", "--force"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let print = Command::new("docker")
            .args(["buildx", "bake", "--print", "default", "test"])
            .current_dir(d)
            .output()
            .expect("docker runs");
        assert!(print.status.success(), "bake --print: {}", stderr(&print));
    } else {
        eprintln!("docker buildx is not installed: `docker buildx bake --print` not run");
    }
}

#[test]
fn compose_has_a_service_per_member() {
    let tmp = publishing_workspace();
    let d = tmp.path();
    let out = stagegen(d, &["compose"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(d.join("compose.yaml")).expect("compose file");
    assert!(
        text.starts_with("# Generated by stagegen from stagegen.toml"),
        "{text}"
    );
    for want in [
        "  \"api\":\n    build:\n      context: \"services/api\"\n      dockerfile: \"Dockerfile\"\n      target: \"runtime\"\n    image: \"registry.example.com/api:1.4.0\"\n    ports:\n      - \"8080:8080\"\n    environment:\n      \"MODE\": \"prod\"\n    healthcheck:\n      test: [\"CMD\", \"/app/hello\", \"-health\"]\n      interval: \"30s\"\n",
        // The second service on 8080 gets a free host port.
        "    ports:\n      - \"8080\"\n",
        "      secrets: [\"apt-auth\"]\n",
        "secrets:\n  \"apt-auth\":\n    environment: \"APT_AUTH\"\n",
    ] {
        assert!(text.contains(want), "{want}\nin\n{text}");
    }
    let out = stagegen(d, &["compose", "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    if docker_has("compose") {
        let config = Command::new("docker")
            .args(["compose", "config", "-q"])
            .current_dir(d)
            .output()
            .expect("docker runs");
        assert!(
            config.status.success(),
            "compose config: {}",
            stderr(&config)
        );
    } else {
        eprintln!("docker compose is not installed: `docker compose config` not run");
    }
}

/// examples/monorepo: every member compiles, bake and compose write files the docker CLI
/// accepts, and the drift gate notices an edit.
#[test]
fn the_example_monorepo_compiles_to_bake_and_compose() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/monorepo");
    copy_tree(&example, d);
    for args in [&["check", "--all"][..], &["bake"], &["compose"]] {
        let out = stagegen(d, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    assert!(
        d.join("api.Dockerfile").is_file(),
        "the Go API builds from the root"
    );
    assert!(d.join("api.Dockerfile.dockerignore").is_file());
    assert!(
        d.join("worker.Dockerfile").is_file(),
        "the Python worker builds from the root, for libs/shared"
    );
    assert!(d.join("worker.Dockerfile.dockerignore").is_file());
    // The worker's context is the repository root, for libs/shared; its image gets its own
    // folder only (libs/shared is installed into the venv), and the dependency sync is keyed on
    // the uv workspace's manifests, so a change in web/ or a source reinstalls nothing.
    let worker = std::fs::read_to_string(d.join("worker.Dockerfile")).expect("worker");
    let runtime = &worker[worker.find("AS runtime").expect("a runtime stage")..];
    assert!(
        runtime.contains("\nCOPY services/worker/ services/worker/\n"),
        "{runtime}"
    );
    assert!(!runtime.contains("COPY . ."), "{runtime}");
    let keyed = "COPY services/worker/pyproject.toml ./services/worker/\n\
                 RUN --mount=type=cache,target=/root/.cache/uv \\\n    \
                 /opt/tools/bin/uv sync --locked --no-dev --no-install-workspace\n\
                 COPY . .\n";
    assert!(worker.contains(keyed), "{worker}");
    assert!(d.join("web/Dockerfile").is_file());
    let api = std::fs::read_to_string(d.join("api.Dockerfile")).expect("api");
    assert!(
        api.contains("org.opencontainers.image.vendor=\"stagegen examples\""),
        "{api}"
    );
    assert!(
        api.contains("org.opencontainers.image.title=\"api\""),
        "{api}"
    );
    let out = stagegen(d, &["dockerfile", "--all", "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    write(
        d,
        "templates/service.toml",
        &std::fs::read_to_string(d.join("templates/service.toml"))
            .expect("template")
            .replace("{{ member.name }}\"", "{{ member.name }}-svc\""),
    );
    let out = stagegen(d, &["dockerfile", "--all", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("3 generated files are out of date"),
        "{}",
        stderr(&out)
    );
    if docker_has("buildx") && docker_has("compose") {
        for args in [
            &["buildx", "bake", "--print", "default", "test"][..],
            &["compose", "config", "-q"],
        ] {
            let out = Command::new("docker")
                .args(args)
                .current_dir(d)
                .output()
                .expect("docker runs");
            assert!(out.status.success(), "docker {args:?}: {}", stderr(&out));
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn a_rewrite_that_changes_nothing_leaves_the_files_alone() {
    let tmp = workspace();
    let d = tmp.path();
    let out = stagegen(d, &["dockerfile", "--all"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = std::fs::metadata(d.join("services/api/Dockerfile"))
        .and_then(|m| m.modified())
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = stagegen(d, &["dockerfile", "--all"]);
    assert!(
        stderr(&out).contains("wrote 0 files for 2 members (4 already up to date)"),
        "{}",
        stderr(&out)
    );
    let after = std::fs::metadata(d.join("services/api/Dockerfile"))
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(before, after);
    // One member changed: only its files are written.
    write(
        d,
        "services/api/build.toml",
        "extends = \"../../templates/service.toml\"\n[runtime]\nports = [9000]\n",
    );
    let out = stagegen(d, &["dockerfile", "--all"]);
    assert!(
        stderr(&out).contains("wrote 1 file for 2 members (3 already up to date)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn platform_on_bake_and_all_reaches_every_member_and_its_dockerfile() {
    let tmp = publishing_workspace();
    let d = tmp.path();
    let out = stagegen(d, &["bake", "--platform", "linux/arm64,linux/riscv64"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(d.join("docker-bake.json")).expect("bake file");
    let bake: serde_json::Value = serde_json::from_str(&text).expect("json");
    for member in ["base", "api", "billing"] {
        assert_eq!(
            bake["target"][member]["platforms"],
            serde_json::json!(["linux/arm64", "linux/riscv64"]),
            "{member}: the flag wins over the spec's platforms"
        );
    }
    let api = std::fs::read_to_string(d.join("services/api/Dockerfile")).expect("Dockerfile");
    assert!(
        api.contains("FROM --platform=$BUILDPLATFORM golang:")
            && api.contains("GOARCH=$TARGETARCH"),
        "the Go member cross-compiles:\n{api}"
    );
    // Without the flag the members say no platforms: the Go build is a native one again.
    let out = stagegen(d, &["dockerfile", "--all"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let api = std::fs::read_to_string(d.join("services/api/Dockerfile")).expect("Dockerfile");
    assert!(!api.contains("BUILDPLATFORM"), "{api}");
    let out = stagegen(d, &["dockerfile", "--all", "--platform", "linux/arm64"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let api = std::fs::read_to_string(d.join("services/api/Dockerfile")).expect("Dockerfile");
    assert!(api.contains("FROM --platform=$BUILDPLATFORM"), "{api}");
    // A bad platform is every member's error, pointing at the flag.
    let out = stagegen(d, &["check", "--all", "--platform", "linux/arm64,arm64"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = stagegen(d, &["bake", "--platform", "arm64"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("error[SG104]: `arm64` is not a platform")
            && err.contains("--> --platform:1:"),
        "{err}"
    );
}

/// `plan --explain` on examples/monorepo: each value with the file:line that wrote it and its
/// layer (workspace default, template, member), then what the preset chose.
#[test]
fn plan_explain_names_the_file_and_layer_of_each_value() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/monorepo");
    let out = stagegen(&example, &["plan", "-p", "api", "--explain"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no `{key}` in:\n{text}"))
            .to_string()
    };
    assert!(
        text.starts_with("# member `api`: services/api/build.toml\n"),
        "{text}"
    );
    assert!(
        line("tags[0]").contains("\"stagegen-example/api:0.1.0\"")
            && line("tags[0]").ends_with("# stagegen.toml:11 (workspace default)"),
        "{text}"
    );
    assert!(
        line("runtime.labels.\"org.opencontainers.image.title\"")
            .ends_with("# templates/service.toml:10 (template)"),
        "{text}"
    );
    assert!(
        line("preset.name").ends_with("# templates/service.toml:7 (template)"),
        "{text}"
    );
    assert!(
        line("context").ends_with("# services/api/build.toml:5 (member)"),
        "{text}"
    );
    assert!(
        text.contains("# chosen by the preset (preset default)"),
        "{text}"
    );
    assert!(
        text.contains("#   Go 1.22: builder image golang:1.22 (go.work)"),
        "{text}"
    );

    // The worker names its preset itself: the member wins over the template's `{{ preset }}`;
    // a `--set` is an override on top.
    let out = stagegen(
        &example,
        &[
            "--format",
            "json",
            "plan",
            "-p",
            "worker",
            "--explain",
            "--set",
            "runtime.user=app",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["member"], "worker");
    assert_eq!(json["spec"], "services/worker/build.toml");
    let kinds: Vec<&str> = json["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| l["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        ["workspace-default", "template", "member", "override"]
    );
    let value = |key: &str| {
        json["values"]
            .as_array()
            .expect("values")
            .iter()
            .find(|v| v["key"] == key)
            .unwrap_or_else(|| panic!("no `{key}` in {json}"))
            .clone()
    };
    let name = value("preset.name");
    assert_eq!(name["value"], "python");
    assert_eq!(name["file"], "services/worker/build.toml");
    assert_eq!(name["line"], 9);
    assert_eq!(name["kind"], "member");
    let vendor = value("runtime.labels.\"org.opencontainers.image.vendor\"");
    assert_eq!(vendor["file"], "stagegen.toml");
    assert_eq!(vendor["kind"], "workspace-default");
    let user = value("runtime.user");
    assert_eq!(user["file"], "--set");
    assert_eq!(user["kind"], "override");
    assert!(
        json["preset-defaults"]
            .as_array()
            .expect("preset defaults")
            .iter()
            .any(|l| l == "Python 3.13 (the preset's default)"),
        "{json}"
    );
}

/// A spec outside any workspace is explained too: its values are the spec's, and a bad one is
/// reported as `plan` reports it.
#[test]
fn plan_explain_of_a_lone_spec_and_of_a_bad_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    go_app(d, ".", "version = 1\n[preset]\nname = \"go\"\n");
    let out = stagegen(d, &["plan", "--explain"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("# build.toml\n"), "{text}");
    assert!(
        text.contains("preset.name = \"go\"  # build.toml:3 (spec)"),
        "{text}"
    );
    write(
        d,
        "build.toml",
        "version = 1\n[preset]\nname = \"go\"\nimgae = \"x\"\n",
    );
    let out = stagegen(d, &["plan", "--explain"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("build.toml:4"), "{}", stderr(&out));
}

/// Editors find and apply the workspace schema: examples/monorepo/stagegen.toml names it on its
/// `#:schema` line, validates against it, and a misspelled key of `[workspace.defaults]` does not.
#[test]
fn the_example_stagegen_toml_names_the_workspace_schema_and_validates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = root.join("examples/monorepo/stagegen.toml");
    let text = std::fs::read_to_string(&example).expect("stagegen.toml");
    let first = text.lines().next().unwrap_or_default();
    let named = first
        .strip_prefix("#:schema ")
        .expect("a #:schema line first");
    let schema_path = example.parent().expect("folder").join(named);
    assert_eq!(
        std::fs::canonicalize(&schema_path).expect("the schema it names exists"),
        std::fs::canonicalize(root.join("schemas/workspace.schema.json")).expect("schema")
    );
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).expect("read")).expect("json");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let as_json = |text: &str| {
        serde_json::to_value(text.parse::<toml::Table>().expect("toml")).expect("to json")
    };
    let doc = as_json(&text);
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let typo = as_json(&text.replace("[workspace.defaults]\ntags", "[workspace.defaults]\ntagz"));
    assert!(
        !validator.is_valid(&typo),
        "a misspelled default key is flagged"
    );
}
