//! Docker with BuildKit: `docker buildx build` when the buildx plugin is there, else
//! `DOCKER_BUILDKIT=1 docker build`. The image goes to Docker's store; `tar:` is `docker save`
//! of it, and `oci:` is `skopeo copy` of it (Docker's default builder has no OCI exporter). The
//! ignore rules are `<Dockerfile>.dockerignore` beside the Dockerfile, which BuildKit reads
//! before the context's `.dockerignore`.

use super::invocation::{Invocation, Role};
use super::job::{Job, Output, Progress};
use super::{Engine, EngineError};

pub(super) struct Docker {
    /// Build through `docker buildx build`.
    pub(super) buildx: bool,
}

impl Engine for Docker {
    fn name(&self) -> &'static str {
        if self.buildx {
            "docker (buildx)"
        } else {
            "docker (DOCKER_BUILDKIT=1)"
        }
    }

    fn invocations(&self, job: &Job) -> Result<Vec<Invocation>, EngineError> {
        let mut build = if self.buildx {
            Invocation::new("docker", Role::Build)
                .arg("buildx")
                .arg("build")
        } else {
            Invocation::new("docker", Role::Build)
                .env("DOCKER_BUILDKIT", "1")
                .arg("build")
        };
        let progress = match job.progress {
            Progress::Tty => "tty",
            Progress::Plain | Progress::Json => "plain",
        };
        build = build
            .arg("--file")
            .path(&job.dockerfile)
            .arg("--progress")
            .arg(progress);
        let exported = !matches!(job.output, Output::Image);
        let scratch = exported && job.tags.is_empty();
        let tags: Vec<&str> = if scratch {
            vec![job.scratch_tag.as_str()]
        } else {
            job.tags.iter().map(String::as_str).collect()
        };
        build = build.each("--tag", tags.iter().copied());
        build = super::invocation::shared_build_flags(build, job);
        if self.buildx {
            build = build.arg(if job.push { "--push" } else { "--load" });
        }
        let mut all = vec![build.path(&job.context)];
        if job.push && !self.buildx {
            for tag in &tags {
                all.push(Invocation::new("docker", Role::After).arg("push").arg(*tag));
            }
        }
        let image = tags.first().copied().unwrap_or_default();
        match &job.output {
            Output::Image => {}
            Output::Tar(file) => all.push(
                Invocation::new("docker", Role::After)
                    .arg("save")
                    .arg("--output")
                    .path(file)
                    .arg(image),
            ),
            Output::Oci(dir) => {
                let mut dest = std::ffi::OsString::from("oci:");
                dest.push(dir.as_os_str());
                all.push(
                    Invocation::new("skopeo", Role::After)
                        .arg("copy")
                        .arg("--quiet")
                        .arg(format!("docker-daemon:{image}"))
                        .arg(dest),
                );
            }
        }
        if scratch {
            all.push(
                Invocation::new("docker", Role::After)
                    .arg("rmi")
                    .arg(image)
                    .best_effort(),
            );
        }
        Ok(all)
    }
}
