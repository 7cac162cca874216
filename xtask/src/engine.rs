//! A small wrapper over the docker client: build (BuildKit, plain progress, build arguments,
//! secrets, a target), run, create, exec, inspect, history, save, export, image checks. The
//! client is `$DOCKER`, else `/usr/bin/docker` (Debian's 20.10, BuildKit built in), else
//! `docker` on the PATH; every command runs with `DOCKER_BUILDKIT=1`.
//!
//! A container is a [`Container`], removed by id when it is dropped: on success, on failure,
//! on `?`, on a panic, and after Ctrl-C (see `interrupt`).
//!
//! Imports `buildlog`, `interrupt`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::buildlog::BuildLog;

pub struct Engine {
    docker: PathBuf,
}

/// What to build.
#[derive(Debug, Default, Clone)]
pub struct BuildRequest {
    pub context: PathBuf,
    /// default: `<context>/Dockerfile`
    pub dockerfile: Option<PathBuf>,
    pub tag: Option<String>,
    pub target: Option<String>,
    /// `NAME=value`
    pub build_args: Vec<String>,
    /// (id, file)
    pub secrets: Vec<(String, PathBuf)>,
    pub no_cache: bool,
}

/// A finished build: its log (kept in a file and parsed).
pub struct Build {
    pub ok: bool,
    pub seconds: f64,
    pub raw: String,
    pub log: BuildLog,
}

impl Build {
    /// The lines to show when the build failed.
    pub fn failure_report(&self, lines: usize) -> Vec<String> {
        self.log.failure_report(&self.raw, lines)
    }
}

/// The parts of `docker image inspect` the suite reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageInfo {
    pub size: u64,
    pub config: ImageConfig,
    #[serde(rename = "RootFS")]
    pub root_fs: RootFs,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageConfig {
    #[serde(default)]
    pub user: String,
    pub healthcheck: Option<Healthcheck>,
    pub labels: Option<BTreeMap<String, String>>,
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Healthcheck {
    pub test: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RootFs {
    #[serde(default)]
    pub layers: Vec<String>,
}

/// A command's result, with a time limit.
pub struct Output {
    /// `None`: killed at the time limit
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    /// stderr, else stdout, one line, for messages
    pub fn message(&self) -> String {
        let text = if self.stderr.trim().is_empty() {
            &self.stdout
        } else {
            &self.stderr
        };
        one_line(text, 300)
    }
}

pub fn one_line(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > max {
        format!("{}...", joined.chars().take(max).collect::<String>())
    } else {
        joined
    }
}

impl Engine {
    pub fn from_env() -> Engine {
        let docker = match std::env::var_os("DOCKER") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ if Path::new("/usr/bin/docker").exists() => PathBuf::from("/usr/bin/docker"),
            _ => PathBuf::from("docker"),
        };
        Engine { docker }
    }

    pub fn client(&self) -> &Path {
        &self.docker
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(&self.docker);
        c.env("DOCKER_BUILDKIT", "1");
        c.stdin(Stdio::null());
        c
    }

    /// Runs a docker command to its end (at most `timeout`).
    pub fn run<I, S>(&self, args: I, timeout: Duration) -> Output
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let mut c = self.cmd();
        c.args(args.into_iter().map(Into::into));
        output_with_timeout(c, timeout)
    }

    /// Whether a daemon answers.
    pub fn answers(&self) -> bool {
        self.run(
            ["info", "--format", "{{.ServerVersion}}"],
            Duration::from_secs(20),
        )
        .success()
    }

    pub fn server_version(&self) -> String {
        let out = self.run(
            ["version", "--format", "{{.Server.Version}}"],
            Duration::from_secs(20),
        );
        if out.success() {
            out.stdout.trim().to_string()
        } else {
            "unknown".to_string()
        }
    }

    pub fn image_exists(&self, image: &str) -> bool {
        self.run(
            ["image", "inspect", "--format", "{{.Id}}", image],
            Duration::from_secs(30),
        )
        .success()
    }

    pub fn pull(&self, image: &str) -> Result<(), String> {
        let out = self.run(["pull", "--quiet", image], Duration::from_secs(900));
        if out.success() {
            Ok(())
        } else {
            Err(out.message())
        }
    }

    /// `docker build --progress=plain ...`, the log (stdout and stderr) written to `log_file`.
    pub fn build(&self, req: &BuildRequest, log_file: &Path) -> Build {
        let mut c = self.cmd();
        c.arg("build").arg("--progress=plain");
        if req.no_cache {
            c.arg("--no-cache");
        }
        if let Some(t) = &req.target {
            c.arg("--target").arg(t);
        }
        for a in &req.build_args {
            c.arg("--build-arg").arg(a);
        }
        for (id, src) in &req.secrets {
            let mut s = OsString::from(format!("id={id},src="));
            s.push(src);
            c.arg("--secret").arg(s);
        }
        if let Some(tag) = &req.tag {
            c.arg("-t").arg(tag);
        }
        if let Some(f) = &req.dockerfile {
            c.arg("-f").arg(f);
        }
        c.arg(&req.context);
        let start = Instant::now();
        let ok = match File::create(log_file).and_then(|f| Ok((f.try_clone()?, f))) {
            Ok((out, err)) => {
                c.stdout(out).stderr(err);
                match c.status() {
                    Ok(s) => s.success(),
                    Err(e) => {
                        let _ = std::fs::write(
                            log_file,
                            format!("cannot run {}: {e}\n", self.docker.display()),
                        );
                        false
                    }
                }
            }
            Err(e) => {
                return Build {
                    ok: false,
                    seconds: 0.0,
                    raw: format!("cannot write the build log {}: {e}", log_file.display()),
                    log: BuildLog::default(),
                }
            }
        };
        let seconds = start.elapsed().as_secs_f64();
        let raw = std::fs::read(log_file)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let log = BuildLog::parse(&raw);
        Build {
            ok,
            seconds,
            raw,
            log,
        }
    }

    pub fn inspect_image(&self, image: &str) -> Result<ImageInfo, String> {
        let raw = self.inspect_image_raw(image)?;
        let mut list: Vec<ImageInfo> = serde_json::from_str(&raw)
            .map_err(|e| format!("cannot read `docker image inspect {image}`: {e}"))?;
        list.pop()
            .ok_or_else(|| format!("`docker image inspect {image}` printed no image"))
    }

    pub fn inspect_image_raw(&self, image: &str) -> Result<String, String> {
        let out = self.run(["image", "inspect", image], Duration::from_secs(30));
        if out.success() {
            Ok(out.stdout)
        } else {
            Err(format!("docker image inspect {image}: {}", out.message()))
        }
    }

    pub fn history(&self, image: &str) -> Result<String, String> {
        let out = self.run(
            ["history", "--no-trunc", "--format", "{{json .}}", image],
            Duration::from_secs(30),
        );
        if out.success() {
            Ok(out.stdout)
        } else {
            Err(format!("docker history {image}: {}", out.message()))
        }
    }

    /// `docker save`: the archive on the child's stdout.
    pub fn save(&self, image: &str) -> Result<Child, String> {
        let mut c = self.cmd();
        c.args(["save", image])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c.spawn()
            .map_err(|e| format!("cannot run docker save: {e}"))
    }

    /// `docker create <args> <image> [cmd...]`.
    pub fn create(
        &self,
        image: &str,
        options: &[&str],
        cmd: &[&str],
    ) -> Result<Container<'_>, String> {
        let mut args: Vec<&str> = vec!["create"];
        args.extend_from_slice(options);
        args.push(image);
        args.extend_from_slice(cmd);
        let out = self.run(args, Duration::from_secs(60));
        let id = out.stdout.trim().to_string();
        if out.success() && !id.is_empty() {
            Ok(Container::track(self, id))
        } else {
            Err(format!("docker create {image}: {}", out.message()))
        }
    }

    /// `docker create -P` + `docker start`: running, every exposed port published. Created
    /// first so that a container that fails to start is still removed.
    pub fn run_detached(&self, image: &str) -> Result<Container<'_>, String> {
        let c = self.create(image, &["-P"], &[])?;
        let out = self.run(["start", c.id.as_str()], Duration::from_secs(60));
        if out.success() {
            Ok(c)
        } else {
            Err(format!("docker start ({image}): {}", out.message()))
        }
    }

    /// `docker run --rm --entrypoint <entrypoint> <image> <args...>`, at most `timeout`.
    pub fn run_once(
        &self,
        image: &str,
        entrypoint: &str,
        args: &[&str],
        timeout: Duration,
    ) -> Result<String, String> {
        let c = self.create(image, &["--entrypoint", entrypoint], args)?;
        let out = c.start_attached(timeout);
        if out.success() {
            Ok(out.stdout)
        } else {
            Err(out.message())
        }
    }

    pub fn remove_image(&self, image: &str) {
        let _ = self.run(["image", "rm", image], Duration::from_secs(60));
    }
}

/// A container of ours: removed (`docker rm -f <id>`) when dropped.
pub struct Container<'e> {
    engine: &'e Engine,
    id: String,
}

impl<'e> Container<'e> {
    fn track(engine: &'e Engine, id: String) -> Self {
        crate::interrupt::register_container(&id);
        Container { engine, id }
    }

    /// `docker start -a`: its stdout and stderr, at most `timeout`.
    pub fn start_attached(&self, timeout: Duration) -> Output {
        self.engine.run(["start", "-a", &self.id], timeout)
    }

    pub fn exit_code(&self) -> Option<i64> {
        let out = self.engine.run(
            ["inspect", "--format", "{{.State.ExitCode}}", &self.id],
            Duration::from_secs(30),
        );
        out.stdout.trim().parse().ok()
    }

    pub fn running(&self) -> bool {
        let out = self.engine.run(
            ["inspect", "--format", "{{.State.Running}}", &self.id],
            Duration::from_secs(30),
        );
        out.stdout.trim() == "true"
    }

    /// The host port a container port is published on.
    pub fn host_port(&self, port: u16) -> Option<u16> {
        let out = self.engine.run(
            ["port", &self.id, &format!("{port}/tcp")],
            Duration::from_secs(30),
        );
        out.stdout
            .lines()
            .find_map(|l| l.rsplit(':').next().and_then(|p| p.trim().parse().ok()))
    }

    pub fn exec(&self, cmd: &[String], timeout: Duration) -> Output {
        let mut args = vec!["exec".to_string(), self.id.clone()];
        args.extend(cmd.iter().cloned());
        self.engine.run(args, timeout)
    }

    /// The last `tail` lines of its output.
    pub fn logs(&self, tail: usize) -> String {
        let out = self.engine.run(
            ["logs", "--tail", &tail.to_string(), &self.id],
            Duration::from_secs(30),
        );
        format!("{}{}", out.stdout, out.stderr)
    }

    /// `docker export`: its filesystem as a tar on the child's stdout.
    pub fn export(&self) -> Result<Child, String> {
        let mut c = self.engine.cmd();
        c.args(["export", &self.id])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c.spawn()
            .map_err(|e| format!("cannot run docker export: {e}"))
    }
}

impl Drop for Container<'_> {
    fn drop(&mut self) {
        let _ = self
            .engine
            .run(["rm", "-f", "-v", &self.id], Duration::from_secs(60));
        crate::interrupt::forget_container(&self.id);
    }
}

/// Waits for a child whose stdout was read to the end: its status, and its stderr when it failed.
pub fn finish(mut child: Child, what: &str) -> Result<(), String> {
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    match child.wait() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{what} failed ({s}): {}", one_line(&err, 300))),
        Err(e) => Err(format!("{what}: {e}")),
    }
}

/// Runs a command with its output captured, killed after `timeout`.
pub fn output_with_timeout(mut c: Command, timeout: Duration) -> Output {
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = match c.spawn() {
        Ok(child) => child,
        Err(e) => {
            return Output {
                status: None,
                stdout: String::new(),
                stderr: format!("cannot run {:?}: {e}", c.get_program()),
            }
        }
    };
    let read = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = read(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = read(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let stdout = out.join().unwrap_or_default();
    let mut stderr = err.join().unwrap_or_default();
    if status.is_none() {
        stderr.push_str(&format!("\n(killed after {} s)", timeout.as_secs()));
    }
    Output {
        status,
        stdout,
        stderr,
    }
}
