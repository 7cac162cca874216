//! `stagegen lock` against a real registry: Debian's `docker-registry`, started by the test on a
//! loopback port, with a stand-in image pushed to it. The digests locked are the ones `docker
//! inspect` shows after the push; `dockerfile`, `plan` and `build` then use them; `--check` is
//! a gate; a tag the registry lacks is named with the registry's answer. Skips, saying why,
//! without Docker, the base image or `docker-registry` (Debian: `apt-get install
//! docker-registry`).

#![allow(clippy::unwrap_used, reason = "test helpers: a panic is the failure")]

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BASE: &str = "debian:bookworm-slim";

/// A registry this test started; stopped (by its own process id) when dropped.
struct LocalRegistry {
    child: Child,
    host: String,
    _dir: tempfile::TempDir,
}

impl Drop for LocalRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn answers(host: &str) -> bool {
    let Ok(mut s) = TcpStream::connect(host) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /v2/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    if s.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

fn start_registry() -> Result<LocalRegistry, String> {
    if !Command::new("docker-registry")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Err(
            "`docker-registry` is not installed (Debian: `apt-get install docker-registry`)".into(),
        );
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let host = format!("127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yml");
    std::fs::write(
        &config,
        format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: {host}\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let child = Command::new("docker-registry")
        .arg("serve")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let registry = LocalRegistry {
        child,
        host,
        _dir: dir,
    };
    let start = Instant::now();
    while !answers(&registry.host) {
        if start.elapsed() > Duration::from_secs(20) {
            return Err("the registry did not answer within 20 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(registry)
}

fn docker(args: &[&str]) -> std::process::Output {
    Command::new("docker").args(args).output().unwrap()
}

fn docker_ok(args: &[&str]) -> bool {
    Command::new("docker")
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn spec(images: &[&str]) -> String {
    let mut text = String::from("version = 1\n");
    for (i, image) in images.iter().enumerate() {
        text.push_str(&format!(
            "\n[[stage]]\nname = \"s{i}\"\nimage = \"{image}\"\ncmd = [\"true\"]\nsteps = [{{ run = \"true\" }}]\n"
        ));
    }
    text
}

fn write_spec(dir: &Path, images: &[&str]) {
    std::fs::write(dir.join("build.toml"), spec(images)).unwrap();
}

#[test]
fn the_lock_round_trip_against_a_local_registry() {
    if !docker_ok(&["info", "--format", "{{.ServerVersion}}"]) {
        eprintln!("skipping: no running Docker engine");
        return;
    }
    if !docker_ok(&["image", "inspect", BASE])
        || !docker_ok(&["image", "inspect", "docker/dockerfile:1"])
    {
        eprintln!("skipping: `{BASE}` or `docker/dockerfile:1` is not in Docker's store");
        return;
    }
    let registry = match start_registry() {
        Ok(r) => r,
        Err(why) => {
            eprintln!("skipping: {why}");
            return;
        }
    };
    let image = format!("{}/stand/debian:bookworm-slim", registry.host);
    assert!(docker_ok(&["tag", BASE, &image]));
    let pushed = docker(&["push", &image]);
    assert!(
        pushed.status.success(),
        "{}",
        String::from_utf8_lossy(&pushed.stderr)
    );
    let inspect = docker(&[
        "image",
        "inspect",
        "--format",
        "{{json .RepoDigests}}",
        &image,
    ]);
    let repo_digests: Vec<String> = serde_json::from_slice(&inspect.stdout).unwrap();
    let repo = format!("{}/stand/debian@", registry.host);
    let pushed_digest = repo_digests
        .iter()
        .find_map(|d| d.strip_prefix(repo.as_str()))
        .unwrap_or_else(|| panic!("{repo_digests:?}"))
        .to_string();

    let app = tempfile::tempdir().unwrap();
    let dir = app.path();
    write_spec(dir, &[&image]);
    let run = support::run(dir, &["lock", "--check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("stagegen.lock` is missing"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: run `stagegen lock -f build.toml`"),
        "{}",
        run.stderr
    );

    let run = support::run(dir, &["lock"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "locked `{image}` to {pushed_digest} (from {})",
            registry.host
        )),
        "{}",
        run.stderr
    );
    let lock_text = std::fs::read_to_string(dir.join("stagegen.lock")).unwrap();
    assert!(
        lock_text.starts_with("# Generated by stagegen from build.toml"),
        "{lock_text}"
    );
    assert!(
        lock_text.contains(&format!("[images.\"{image}\"]")),
        "{lock_text}"
    );
    assert!(
        lock_text.contains(&format!("digest = \"{pushed_digest}\"")),
        "{lock_text}"
    );
    assert!(lock_text.contains("locked = \"20"), "{lock_text}");

    let run = support::run(dir, &["lock", "--check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Nothing to do: the file is left as it was, date included.
    let run = support::run(dir, &["lock"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("stagegen.lock")).unwrap(),
        lock_text
    );
    let run = support::run(dir, &["lock", "--update"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("stagegen.lock")).unwrap(),
        lock_text
    );

    let pinned = format!("{image}@{pushed_digest}");
    let run = support::run(dir, &["dockerfile"]);
    assert!(
        run.stdout.contains(&format!("FROM {pinned} AS s0")),
        "{}",
        run.stdout
    );
    let run = support::run(dir, &["plan"]);
    assert!(
        run.stdout.contains(&format!("\"image\": \"{pinned}\"")),
        "{}",
        run.stdout
    );
    // The locked Dockerfile builds.
    let tag = format!("stagegen-test-lock:{}", std::process::id());
    let run = support::run(dir, &["build", "-t", &tag, "--progress", "plain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(&pushed_digest), "{}", run.stderr);
    docker(&["rmi", &tag]);

    // Offline, from Docker's store: the same digest.
    let run = support::run(dir, &["lock", "--update", "--offline"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("to {pushed_digest} (from docker)")),
        "{}",
        run.stderr
    );

    // An image the registry lacks: named, with the registry's answer; the lock is untouched.
    let before = std::fs::read_to_string(dir.join("stagegen.lock")).unwrap();
    let missing = format!("{}/stand/nope:1", registry.host);
    write_spec(dir, &[&image, &missing]);
    let run = support::run(dir, &["lock", "--check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("it has no digest for `{missing}`")),
        "{}",
        run.stderr
    );
    let run = support::run(dir, &["lock"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: cannot lock `{missing}`: {}: answered 404",
            registry.host
        )),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("stagegen.lock")).unwrap(),
        before
    );

    // An image the spec no longer uses makes the lock stale, and `lock` drops it.
    write_spec(dir, &[BASE]);
    let run = support::run(dir, &["lock", "--check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("which the spec no longer uses"),
        "{}",
        run.stderr
    );
    docker(&["rmi", &image]);
}

#[test]
fn a_lock_file_stagegen_did_not_write_is_kept_without_force() {
    let app = tempfile::tempdir().unwrap();
    let dir = app.path();
    write_spec(dir, &["scratch"]);
    std::fs::write(dir.join("stagegen.lock"), "version = 1\n").unwrap();
    // Nothing to lock, and the file already says so: left alone.
    let run = support::run(dir, &["lock"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("stagegen.lock")).unwrap(),
        "version = 1\n"
    );
    std::fs::write(dir.join("stagegen.lock"), "version = 7\n").unwrap();
    let run = support::run(dir, &["dockerfile"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("is of version 7; this stagegen reads version 1"),
        "{}",
        run.stderr
    );
}

/// A registry that answers like Docker Hub (a `Bearer` challenge, a token from its `/token`) or,
/// with `basic`, like one behind a password; for `connections` requests. Records each
/// request's first line and `Authorization` header.
fn fake_registry(
    connections: usize,
    basic: bool,
) -> (String, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead, BufReader};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    let realm = format!("http://{host}/token");
    let digest = format!("sha256:{}", "0123456789abcdef".repeat(4));
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for _ in 0..connections {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut first = String::new();
            reader.read_line(&mut first).unwrap();
            let mut auth = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("authorization") {
                        auth = value.trim().to_string();
                    }
                }
            }
            seen.push(format!("{} | {auth}", first.trim()));
            let response = if first.starts_with("GET /token") {
                let body = "{\"token\":\"T0K3N\"}";
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
            } else if (basic && auth == "Basic dTpw") || auth == "Bearer T0K3N" {
                format!("HTTP/1.1 200 OK\r\nDocker-Content-Digest: {digest}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            } else if basic {
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"fake\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
            } else {
                format!("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"{realm}\",service=\"fake\",scope=\"repository:team/app:pull\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            };
            let mut stream = reader.into_inner();
            stream.write_all(response.as_bytes()).unwrap();
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        seen
    });
    (host, handle)
}

/// `stagegen lock` in `dir` with `config` as the Docker config folder.
fn lock_with_config(dir: &Path, config: &Path) -> support::Run {
    let out = Command::new(support::stagegen())
        .arg("lock")
        .current_dir(dir)
        .env("DOCKER_CONFIG", config)
        .output()
        .unwrap();
    support::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn the_anonymous_token_flow_gets_the_digest() {
    let (host, server) = fake_registry(3, false);
    let app = tempfile::tempdir().unwrap();
    write_spec(app.path(), &[&format!("{host}/team/app:1")]);
    let config = tempfile::tempdir().unwrap();
    let run = lock_with_config(app.path(), config.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seen = server.join().unwrap();
    assert_eq!(seen[0], "HEAD /v2/team/app/manifests/1 HTTP/1.1 | ");
    assert!(
        seen[1].starts_with("GET /token?scope=repository%3Ateam%2Fapp%3Apull&service=fake "),
        "{seen:?}"
    );
    assert_eq!(
        seen[2],
        "HEAD /v2/team/app/manifests/1 HTTP/1.1 | Bearer T0K3N"
    );
    let lock = std::fs::read_to_string(app.path().join("stagegen.lock")).unwrap();
    assert!(
        lock.contains("digest = \"sha256:0123456789abcdef"),
        "{lock}"
    );
}

#[test]
fn basic_auth_takes_the_credentials_of_the_docker_config() {
    let (host, server) = fake_registry(2, true);
    let app = tempfile::tempdir().unwrap();
    write_spec(app.path(), &[&format!("{host}/team/app:1")]);
    let config = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("config.json"),
        format!("{{\"auths\": {{\"{host}\": {{\"auth\": \"dTpw\"}}}}}}"),
    )
    .unwrap();
    let run = lock_with_config(app.path(), config.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seen = server.join().unwrap();
    assert_eq!(
        seen[1],
        "HEAD /v2/team/app/manifests/1 HTTP/1.1 | Basic dTpw"
    );
    // Without credentials, the error says how to get them.
    let (host, server) = fake_registry(1, true);
    write_spec(app.path(), &[&format!("{host}/team/app:1")]);
    let empty = tempfile::tempdir().unwrap();
    let run = lock_with_config(app.path(), empty.path());
    server.join().unwrap();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: cannot lock `{host}/team/app:1`: {host} asks for a user name and password"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("run `docker login {host}`")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_workspace_locks_every_member_beside_its_spec_asking_once_per_image() {
    // Three connections: one image, asked once (HEAD, token, HEAD) however many members use it;
    // a second ask would find no server and fail the run.
    let (host, server) = fake_registry(3, false);
    let image = format!("{host}/team/app:1");
    let root = tempfile::tempdir().unwrap();
    let d = root.path();
    std::fs::write(
        d.join("stagegen.toml"),
        "[workspace]\nmembers = [\"api\", \"worker\"]\n",
    )
    .unwrap();
    for member in ["api", "worker"] {
        std::fs::create_dir(d.join(member)).unwrap();
        write_spec(&d.join(member), &[&image]);
    }
    let config = tempfile::tempdir().unwrap();
    let out = Command::new(support::stagegen())
        .args(["lock", "--all"])
        .current_dir(d)
        .env("DOCKER_CONFIG", config.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(server.join().unwrap().len(), 3);
    let digest = format!("sha256:{}", "0123456789abcdef".repeat(4));
    for member in ["api", "worker"] {
        let lock = std::fs::read_to_string(d.join(member).join("stagegen.lock")).unwrap();
        assert!(lock.contains(&format!("digest = \"{digest}\"")), "{lock}");
        assert!(
            stderr.contains(&format!("wrote {member}/stagegen.lock")),
            "{stderr}"
        );
    }
    // The pins reach every member's Dockerfile, the bake file's members and `-p`'s plan.
    let run = support::run(d, &["dockerfile", "--all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for member in ["api", "worker"] {
        let df = std::fs::read_to_string(d.join(member).join("Dockerfile")).unwrap();
        assert!(df.contains(&format!("FROM {image}@{digest} AS s0")), "{df}");
    }
    let run = support::run(d, &["plan", "-p", "worker"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!("{image}@{digest}")),
        "{}",
        run.stdout
    );
    let run = support::run(d, &["lock", "--all", "--check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A member without its lock fails the gate, and says which file.
    std::fs::remove_file(d.join("worker/stagegen.lock")).unwrap();
    let run = support::run(d, &["lock", "--all", "--check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: `worker/stagegen.lock` is missing")
            && run
                .stderr
                .contains("error: 1 of 2 members could not be checked"),
        "{}",
        run.stderr
    );
}
