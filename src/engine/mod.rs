//! Container engines that run a build: Docker (BuildKit, through buildx when present), Podman
//! and Buildah, one file each behind [`Engine`]. An engine only turns a [`Job`] into the
//! programs to run ([`Invocation`]s); [`run::execute`] runs them, shows progress and reads the
//! failing step out of the engine's output ([`progress`]). [`detect`] finds the engine to use.
//! Imports nothing of the pipeline: the driver hands it a Dockerfile on disk.

mod buildah;
mod docker;
mod invocation;
mod job;
mod podman;
pub mod progress;
mod run;

use std::process::{Command, Stdio};

pub use invocation::{Invocation, Role};
pub use job::{parse_build_arg, Job, Output, Progress, SecretArg, SecretSource};
pub use run::{execute, Finished};

/// An engine: a name for messages, and the invocations that build a job.
pub trait Engine {
    fn name(&self) -> &'static str;
    /// The programs to run, in order: the build, then any export, push and clean-up.
    fn invocations(&self, job: &Job) -> Result<Vec<Invocation>, EngineError>;
}

/// Why an engine could not be found or did not build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// No engine (or not the one asked for) can be used here.
    Unavailable { message: String, help: String },
    /// The build ran and failed.
    Failed {
        engine: String,
        command: String,
        code: Option<i32>,
        step: Option<Box<progress::FailedStep>>,
        /// The last lines the engine printed, when no step was named.
        tail: Vec<String>,
    },
}

/// `--engine`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Auto,
    Docker,
    Podman,
    Buildah,
}

/// What is installed, as [`detect`] sees it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Installed {
    /// `docker` answers and its daemon runs.
    pub docker: bool,
    /// `docker buildx` answers.
    pub buildx: bool,
    /// `docker` is on the PATH but its daemon does not answer.
    pub docker_without_daemon: bool,
    pub podman: bool,
    pub buildah: bool,
}

impl Installed {
    /// Ask the system: each program is run with a harmless query.
    pub fn probe(choice: Choice) -> Installed {
        let wanted = |c: Choice| choice == Choice::Auto || choice == c;
        let mut found = Installed::default();
        if wanted(Choice::Docker) && answers("docker", &["--version"]) {
            found.docker = answers("docker", &["info", "--format", "{{.ServerVersion}}"]);
            found.docker_without_daemon = !found.docker;
            found.buildx = found.docker && answers("docker", &["buildx", "version"]);
        }
        let needed = |c: Choice| wanted(c) && !(choice == Choice::Auto && found.docker);
        if needed(Choice::Podman) {
            found.podman = answers("podman", &["--version"]);
        }
        if needed(Choice::Buildah) && !(choice == Choice::Auto && found.podman) {
            found.buildah = answers("buildah", &["--version"]);
        }
        found
    }
}

/// Whether `program args` runs and exits 0.
fn answers(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

const INSTALL_HELP: &str = "install one of Docker (with the buildx plugin; Debian: `apt-get install docker.io docker-buildx`), Podman (`apt-get install podman`) or Buildah (`apt-get install buildah`), or pick one with `--engine`";

/// The engine to use: the one asked for, or with `auto` the first present of Docker, Podman,
/// Buildah (Docker first: it is the one most users have running).
pub fn detect(choice: Choice, found: Installed) -> Result<Box<dyn Engine>, EngineError> {
    let docker = || -> Box<dyn Engine> {
        Box::new(docker::Docker {
            buildx: found.buildx,
        })
    };
    let unavailable = |what: &str, help: &str| EngineError::Unavailable {
        message: what.to_string(),
        help: help.to_string(),
    };
    let daemon_help = "start the Docker daemon (`systemctl start docker`, or `dockerd`), or pick another engine with `--engine podman` or `--engine buildah`";
    match choice {
        Choice::Docker if found.docker => Ok(docker()),
        Choice::Docker if found.docker_without_daemon => Err(unavailable(
            "`docker` is installed but its daemon does not answer",
            daemon_help,
        )),
        Choice::Docker => Err(unavailable(
            "`--engine docker`: no `docker` program was found",
            "install Docker with the buildx plugin (Debian: `apt-get install docker.io docker-buildx`)",
        )),
        Choice::Podman if found.podman => Ok(Box::new(podman::Podman)),
        Choice::Podman => Err(unavailable(
            "`--engine podman`: no `podman` program was found",
            "install Podman (Debian: `apt-get install podman`)",
        )),
        Choice::Buildah if found.buildah => Ok(Box::new(buildah::Buildah)),
        Choice::Buildah => Err(unavailable(
            "`--engine buildah`: no `buildah` program was found",
            "install Buildah (Debian: `apt-get install buildah`)",
        )),
        Choice::Auto if found.docker => Ok(docker()),
        Choice::Auto if found.podman => Ok(Box::new(podman::Podman)),
        Choice::Auto if found.buildah => Ok(Box::new(buildah::Buildah)),
        Choice::Auto if found.docker_without_daemon => Err(unavailable(
            "no container engine can build: `docker` is installed but its daemon does not answer, and neither `podman` nor `buildah` was found",
            daemon_help,
        )),
        Choice::Auto => Err(unavailable(
            "no container engine was found: stagegen builds with `docker`, `podman` or `buildah`",
            INSTALL_HELP,
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn job() -> Job {
        Job {
            dockerfile: PathBuf::from("/tmp/x/Dockerfile"),
            ignore_file: PathBuf::from("/tmp/x/Dockerfile.dockerignore"),
            context: PathBuf::from("app"),
            stages: vec!["build".into(), "runtime".into()],
            tags: vec!["api:1".into()],
            target: None,
            output: Output::Image,
            push: false,
            platforms: Vec::new(),
            secrets: Vec::new(),
            build_args: Vec::new(),
            no_cache: false,
            progress: Progress::Plain,
            scratch_tag: "localhost/stagegen-build:1-2".into(),
        }
    }

    fn installed(docker: bool, buildx: bool, podman: bool, buildah: bool) -> Installed {
        Installed {
            docker,
            buildx,
            docker_without_daemon: false,
            podman,
            buildah,
        }
    }

    #[test]
    fn auto_prefers_docker_then_podman_then_buildah() {
        let name = |i| detect(Choice::Auto, i).map(|e| e.name()).ok();
        assert_eq!(
            name(installed(true, true, true, true)),
            Some("docker (buildx)")
        );
        assert_eq!(
            name(installed(true, false, false, false)),
            Some("docker (DOCKER_BUILDKIT=1)")
        );
        assert_eq!(name(installed(false, false, true, true)), Some("podman"));
        assert_eq!(name(installed(false, false, false, true)), Some("buildah"));
    }

    #[test]
    fn no_engine_names_what_to_install() {
        let Err(EngineError::Unavailable { message, help }) =
            detect(Choice::Auto, Installed::default())
        else {
            panic!("an engine was found");
        };
        assert!(message.contains("no container engine"), "{message}");
        assert!(help.contains("apt-get install buildah"), "{help}");
        let Err(EngineError::Unavailable { message, .. }) =
            detect(Choice::Buildah, installed(true, true, false, false))
        else {
            panic!("buildah was found");
        };
        assert!(message.contains("`buildah`"), "{message}");
    }

    #[test]
    fn docker_buildx_gets_every_flag() {
        let mut j = job();
        j.target = Some("test".into());
        j.platforms = vec!["linux/amd64".into(), "linux/arm64".into()];
        j.secrets = vec![SecretArg::parse("id=npm,env=NPM_TOKEN").expect("secret")];
        j.build_args = vec![("V".into(), "1".into())];
        j.no_cache = true;
        let all = docker::Docker { buildx: true }
            .invocations(&j)
            .expect("invocations");
        assert_eq!(all.len(), 1);
        assert_eq!(
            all[0].words().join(" "),
            "buildx build --file /tmp/x/Dockerfile --progress plain --tag api:1 --target test \
             --platform linux/amd64,linux/arm64 --secret id=npm,env=NPM_TOKEN --build-arg V=1 \
             --no-cache --load app"
        );
    }

    #[test]
    fn docker_exports_a_tar_with_docker_save_and_drops_the_scratch_tag() {
        let mut j = job();
        j.tags.clear();
        j.output = Output::Tar("out/app.tar".into());
        let all = docker::Docker { buildx: false }
            .invocations(&j)
            .expect("invocations");
        let lines: Vec<String> = all.iter().map(Invocation::display).collect();
        assert_eq!(
            lines,
            [
                "DOCKER_BUILDKIT=1 docker build --file /tmp/x/Dockerfile --progress plain --tag localhost/stagegen-build:1-2 app",
                "docker save --output out/app.tar localhost/stagegen-build:1-2",
                "docker rmi localhost/stagegen-build:1-2",
            ]
        );
        assert!(all[2].best_effort);
    }

    #[test]
    fn buildah_passes_the_ignore_file_and_pushes_to_oci() {
        let mut j = job();
        j.output = Output::Oci("out/oci".into());
        j.push = true;
        let lines: Vec<String> = buildah::Buildah
            .invocations(&j)
            .expect("invocations")
            .iter()
            .map(Invocation::display)
            .collect();
        assert_eq!(
            lines,
            [
                "buildah build --layers --format docker --file /tmp/x/Dockerfile --ignorefile /tmp/x/Dockerfile.dockerignore --tag api:1 app",
                "buildah push --quiet api:1 oci:out/oci",
                "buildah push --quiet api:1",
            ]
        );
    }
}
