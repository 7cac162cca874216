//! The editor set-up, proved with taplo (the TOML toolkit behind Even Better TOML): a fresh
//! `stagegen init` file lints clean with `taplo lint` and no network (its `#:schema` line names
//! the schema init wrote beside it), a broken one fails with a schema error, the same holds for
//! `stagegen schema install`'s `.taplo.toml` rules, and taplo's language server, spoken to over
//! stdio, completes our keys inside `[runtime]` and reports a schema error as a diagnostic.
//!
//! taplo is looked for in `$STAGEGEN_TAPLO`, then `target/tools/bin/taplo` (what
//! `scripts/engine.sh taplo` installs: `cargo install --locked taplo-cli`), then on the PATH.
//! Where none is found the tests print why and pass, except under CI (`CI` set), where
//! scripts/test.sh has installed it and a missing taplo fails.

mod support;

use std::io::{BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{copy_dir, repo, run};

/// How long the language server gets to answer one request.
const LSP_TIMEOUT: Duration = Duration::from_secs(60);

fn taplo() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("STAGEGEN_TAPLO") {
        return Some(PathBuf::from(path));
    }
    let local = repo().join("target/tools/bin/taplo");
    if local.is_file() {
        return Some(local);
    }
    let on_path = Command::new("taplo")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    on_path
        .is_ok_and(|s| s.success())
        .then(|| PathBuf::from("taplo"))
}

/// taplo, or why the test cannot run: a skip on a developer's machine, a failure under CI.
fn taplo_or_skip(test: &str) -> Option<PathBuf> {
    let found = taplo();
    if found.is_none() {
        let why =
            "taplo is not installed (`scripts/engine.sh taplo` installs it into target/tools)";
        assert!(std::env::var_os("CI").is_none(), "{test}: {why}");
        eprintln!("skipped {test}: {why}");
    }
    found
}

/// A fresh app (tests/init/node-express) with the build.toml `stagegen init` wrote.
fn initialized_app() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    copy_dir(&repo().join("tests/init/node-express"), tmp.path());
    for f in ["args", "build.toml.expected", "stderr.expected"] {
        let _ = std::fs::remove_file(tmp.path().join(f));
    }
    let init = run(tmp.path(), &["init"]);
    assert_eq!(init.code, 0, "init: {}", init.stderr);
    tmp
}

/// taplo as the tests run it: quiet logs, and any request it would make to the network (the
/// language server fetches a schema catalog while it starts) sent to a closed port on this
/// machine, so nothing leaves it and nothing waits.
fn taplo_command(taplo: &Path) -> Command {
    let mut command = Command::new(taplo);
    command
        .env("RUST_LOG", "warn")
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    command
}

fn lint(taplo: &Path, dir: &Path, file: &str) -> (bool, String) {
    let out = taplo_command(taplo)
        .args(["lint", "--no-auto-config", "--colors", "never", file])
        .current_dir(dir)
        .output()
        .expect("taplo runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A broken copy of the file init wrote: a misspelt key and a port that is a string.
fn broken(text: &str) -> String {
    assert!(text.contains("ports = [3000]"), "{text}");
    text.replace("ports = [3000]", "ports = \"3000\"\nportz = [1]")
}

#[test]
fn taplo_lint_passes_on_a_fresh_init_file_and_fails_on_a_broken_one() {
    let Some(taplo) = taplo_or_skip("taplo lint") else {
        return;
    };
    let app = initialized_app();
    let text = std::fs::read_to_string(app.path().join("build.toml")).expect("build.toml");
    assert!(
        text.starts_with("#:schema ./.stagegen/build.schema.json\n"),
        "{text}"
    );
    let (ok, out) = lint(&taplo, app.path(), "build.toml");
    assert!(ok, "taplo lint of a fresh init file:\n{out}");
    assert!(!out.contains("failed to fetch"), "{out}");

    std::fs::write(app.path().join("build.toml"), broken(&text)).expect("write");
    let (ok, out) = lint(&taplo, app.path(), "build.toml");
    assert!(!ok, "taplo lint passed a broken file:\n{out}");
    assert!(out.contains("\"3000\" is not of type \"array\""), "{out}");
    assert!(out.contains("'portz' was unexpected"), "{out}");
}

#[test]
fn taplo_lint_uses_the_rules_of_schema_install_for_files_without_a_schema_line() {
    let Some(taplo) = taplo_or_skip("taplo lint with .taplo.toml") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let install = run(tmp.path(), &["schema", "install"]);
    assert_eq!(install.code, 0, "schema install: {}", install.stderr);
    let member = tmp.path().join("services/api");
    std::fs::create_dir_all(&member).expect("mkdir");
    std::fs::write(
        member.join("build.toml"),
        "version = 1\n\n[preset]\nname = \"go\"\n\n[runtime]\nports = [8080]\n",
    )
    .expect("write");
    let lint_with_config = |file: &str| {
        let out = taplo_command(&taplo)
            .args(["lint", "--colors", "never", file])
            .current_dir(tmp.path())
            .output()
            .expect("taplo runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out) = lint_with_config("services/api/build.toml");
    assert!(ok, "{out}");
    std::fs::write(
        member.join("build.toml"),
        "version = 1\n\n[preset]\nname = \"go\"\n\n[runtime]\nportz = [8080]\n",
    )
    .expect("write");
    let (ok, out) = lint_with_config("services/api/build.toml");
    assert!(
        !ok && out.contains("portz"),
        "the rule did not apply:\n{out}"
    );
}

/// stagegen.toml under `schema install`'s rules: taplo flags a member that leaves the folder of
/// stagegen.toml (SG901) and a misspelt key, and passes a member that stays inside.
#[test]
fn taplo_lint_flags_a_stagegen_toml_member_outside_the_workspace() {
    let Some(taplo) = taplo_or_skip("taplo lint of stagegen.toml") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let install = run(tmp.path(), &["schema", "install"]);
    assert_eq!(install.code, 0, "schema install: {}", install.stderr);
    let lint_workspace = |text: &str| {
        std::fs::write(tmp.path().join("stagegen.toml"), text).expect("write");
        let out = taplo_command(&taplo)
            .args(["lint", "--colors", "never", "stagegen.toml"])
            .current_dir(tmp.path())
            .output()
            .expect("taplo runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out) = lint_workspace("[workspace]\nmembers = [\"services/*\", \"web\"]\n");
    assert!(ok, "{out}");
    let (ok, out) = lint_workspace("[workspace]\nmembers = [\".\", \"../shared\"]\n");
    assert!(
        !ok && out.contains("is not allowed for \"../shared\""),
        "a member outside passed:\n{out}"
    );
    let (ok, out) = lint_workspace("[workspace]\nmembers = [\".\"]\nexlude = [\"x\"]\n");
    assert!(
        !ok && out.contains("exlude"),
        "a misspelt key passed:\n{out}"
    );
}

/// A language server client over the child's stdin and stdout, one JSON-RPC message at a time.
struct Lsp {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Lsp {
    fn start(taplo: &Path, dir: &Path) -> Lsp {
        let mut child = taplo_command(taplo)
            .args(["lsp", "--no-auto-config", "--colors", "never", "stdio"])
            .current_dir(dir)
            .env("RUST_LOG", "off")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("taplo lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        Lsp {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("send");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request; answer the server's own requests meanwhile; return the result.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let reply = self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none());
        assert!(reply.get("error").is_none(), "{method}: {reply}");
        reply.get("result").cloned().unwrap_or(Value::Null)
    }

    /// The first message that `wanted` accepts, within [`LSP_TIMEOUT`].
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + LSP_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.messages.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("taplo lsp gave no answer in {LSP_TIMEOUT:?}")
                }
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "taplo lsp stopped ({:?}): a taplo without its language server? \
                     `scripts/engine.sh taplo` installs one that has it",
                    self.child.wait().ok()
                ),
            };
            if wanted(&message) {
                return message;
            }
            if let (Some(id), Some(method)) = (message.get("id"), message.get("method")) {
                let result = server_request(method.as_str().unwrap_or_default(), &message);
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
            }
        }
    }
}

impl Drop for Lsp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the client answers to the server's requests: settings with no schema catalog (nothing
/// to fetch from the network), and null for anything else.
fn server_request(method: &str, message: &Value) -> Value {
    match method {
        "workspace/configuration" => {
            let items = message["params"]["items"].as_array().map_or(1, Vec::len);
            let settings = json!({"schema": {"enabled": true, "catalogs": []}});
            Value::Array(vec![settings; items])
        }
        _ => Value::Null,
    }
}

fn read_message(reader: &mut impl std::io::BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn taplo_language_server_completes_our_keys_in_runtime_and_flags_schema_errors() {
    let Some(taplo) = taplo_or_skip("taplo lsp") else {
        return;
    };
    let app = initialized_app();
    let root = app.path().canonicalize().expect("canonical");
    let text = std::fs::read_to_string(root.join("build.toml")).expect("build.toml");
    let mut lsp = Lsp::start(&taplo, &root);
    lsp.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": file_uri(&root),
            "workspaceFolders": [{"uri": file_uri(&root), "name": "app"}],
            "capabilities": {"workspace": {"configuration": true}},
        }),
    );
    lsp.notify("initialized", json!({}));

    // The file as init wrote it, with an empty line to complete at inside `[runtime]` in place
    // of its `ports` (a key already written is not offered again).
    let at = text.find("[runtime]\n").expect("a [runtime] table") + "[runtime]\n".len();
    let rest: String = text[at..]
        .lines()
        .filter(|l| !l.starts_with("ports ="))
        .map(|l| format!("{l}\n"))
        .collect();
    let edited = format!("{}\n{rest}", &text[..at]);
    let line = edited[..at].lines().count();
    let uri = file_uri(&root.join("build.toml"));
    lsp.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": edited}}),
    );
    let completion = lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 0}}),
    );
    let items = completion
        .get("items")
        .or(Some(&completion))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let labels: Vec<&str> = items
        .iter()
        .filter_map(|i| i.get("label").and_then(Value::as_str))
        .collect();
    for key in ["base", "ports", "user", "env", "healthcheck"] {
        assert!(
            labels.contains(&key),
            "no `{key}` among the completions in [runtime]: {labels:?}"
        );
    }
    assert!(
        !labels.contains(&"name"),
        "[preset]'s `name` offered in [runtime]: {labels:?}"
    );

    // A broken file: the server publishes the schema error on its line.
    let broken_uri = file_uri(&root.join("broken/build.toml"));
    lsp.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": broken_uri, "languageId": "toml", "version": 1,
               "text": broken(&text).replace("./.stagegen/", "../.stagegen/")}}),
    );
    let published = lsp.wait_for(|m| {
        m.get("method") == Some(&json!("textDocument/publishDiagnostics"))
            && m["params"]["uri"] == json!(broken_uri)
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| !d.is_empty())
    });
    let messages = published["params"]["diagnostics"].to_string();
    assert!(messages.contains("portz"), "{messages}");
}

#[test]
fn schema_install_of_a_missing_folder_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = run(tmp.path(), &["schema", "install", "no/such/dir"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: `no/such/dir` is not a folder\nhelp: name the project's root: `stagegen schema install path/to/project`\n"
    );
}

#[test]
fn schema_install_keeps_files_of_the_users_and_says_how_to_replace_them() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join(".taplo.toml"), "# mine\n").expect("write");
    let out = run(tmp.path(), &["schema", "install"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("kept ./.taplo.toml (stagegen did not write it; `--force` replaces it)"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("[[rule]]"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(".taplo.toml")).expect("read"),
        "# mine\n"
    );
    std::fs::write(tmp.path().join(".stagegen/build.schema.json"), "{}\n").expect("write");
    let out = run(tmp.path(), &["schema", "install"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "refusing to overwrite `./.stagegen/build.schema.json`: stagegen did not write it"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(".stagegen/build.schema.json")).expect("read"),
        "{}\n"
    );
    let out = run(tmp.path(), &["schema", "install", "--force"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(std::fs::read_to_string(tmp.path().join(".taplo.toml"))
        .expect("read")
        .contains("[[rule]]"));
}
