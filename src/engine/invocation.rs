//! One program an engine runs, as data: the program, its arguments, its environment, and what
//! it is for. Engines only describe invocations ([`super::Engine::invocations`]); the runner
//! ([`super::run`]) executes them. Keeping them data is what lets each engine's command lines be
//! tested without the engine.

use std::ffi::OsString;
use std::path::Path;

/// What an invocation does, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The build itself: its progress is shown.
    Build,
    /// Exporting, pushing or tidying after the build: run quietly, its output shown on failure.
    After,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub program: String,
    pub args: Vec<OsString>,
    pub env: Vec<(String, String)>,
    pub role: Role,
    /// A failure of this invocation is reported but does not fail the build (removing a
    /// temporary tag).
    pub best_effort: bool,
}

impl Invocation {
    pub fn new(program: &str, role: Role) -> Self {
        Invocation {
            program: program.to_string(),
            args: Vec::new(),
            env: Vec::new(),
            role,
            best_effort: false,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn path(self, path: &Path) -> Self {
        self.arg(path.as_os_str())
    }

    /// `flag value`, once per value.
    pub fn each<I, S>(mut self, flag: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        for v in values {
            self.args.push(flag.into());
            self.args.push(v.into());
        }
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    pub fn best_effort(mut self) -> Self {
        self.best_effort = true;
        self
    }

    /// The command line as a person would type it, for messages.
    pub fn display(&self) -> String {
        let mut words: Vec<String> = self.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        words.push(self.program.clone());
        words.extend(self.args.iter().map(|a| a.to_string_lossy().into_owned()));
        words.join(" ")
    }

    /// The arguments as text, for tests.
    pub fn words(&self) -> Vec<String> {
        self.args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }
}

/// The flags Docker, Buildah and Podman spell alike: `--target`, `--platform`, `--secret`,
/// `--build-arg` and `--no-cache`.
pub(super) fn shared_build_flags(mut build: Invocation, job: &super::job::Job) -> Invocation {
    if let Some(t) = &job.target {
        build = build.arg("--target").arg(t);
    }
    if !job.platforms.is_empty() {
        build = build.arg("--platform").arg(job.platforms.join(","));
    }
    build = build
        .each("--secret", job.secrets.iter().map(|s| s.engine_value()))
        .each(
            "--build-arg",
            job.build_args.iter().map(|(k, v)| format!("{k}={v}")),
        );
    if job.no_cache {
        build = build.arg("--no-cache");
    }
    build
}
