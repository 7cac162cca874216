//! Buildah (`buildah build`), and the Podman engine that shares its command line (Podman builds
//! with Buildah's code). The image goes to containers-storage; `tar:` and `oci:` are a push of it
//! to `docker-archive:` or `oci:`, and `--push` a push to each tag's registry. The ignore rules
//! go through `--ignorefile`. Images are built in Docker's format (`--format docker`): the OCI
//! format has no HEALTHCHECK, which Buildah would drop.

use std::ffi::OsString;

use super::invocation::{Invocation, Role};
use super::job::{Job, Output};
use super::{Engine, EngineError};

pub(super) struct Buildah;

impl Engine for Buildah {
    fn name(&self) -> &'static str {
        "buildah"
    }

    fn invocations(&self, job: &Job) -> Result<Vec<Invocation>, EngineError> {
        Ok(containers_invocations("buildah", job))
    }
}

/// The invocations of `program` (`buildah` or `podman`): both take `build` with the same flags
/// and `push IMAGE DEST`.
pub(super) fn containers_invocations(program: &str, job: &Job) -> Vec<Invocation> {
    let scratch = !matches!(job.output, Output::Image) && job.tags.is_empty();
    let tags: Vec<&str> = if scratch {
        vec![job.scratch_tag.as_str()]
    } else {
        job.tags.iter().map(String::as_str).collect()
    };
    let mut build = Invocation::new(program, Role::Build)
        .arg("build")
        .arg("--layers")
        .arg("--format")
        .arg("docker")
        .arg("--file")
        .path(&job.dockerfile)
        .arg("--ignorefile")
        .path(&job.ignore_file)
        .each("--tag", tags.iter().copied());
    build = super::invocation::shared_build_flags(build, job);
    let mut all = vec![build.path(&job.context)];
    let image = tags.first().copied().unwrap_or_default();
    let push_to = |dest: OsString| {
        Invocation::new(program, Role::After)
            .arg("push")
            .arg("--quiet")
            .arg(image)
            .arg(dest)
    };
    match &job.output {
        Output::Image => {}
        Output::Tar(file) => {
            let mut dest = OsString::from("docker-archive:");
            dest.push(file.as_os_str());
            if !scratch {
                dest.push(":");
                dest.push(image);
            }
            all.push(push_to(dest));
        }
        Output::Oci(dir) => {
            let mut dest = OsString::from("oci:");
            dest.push(dir.as_os_str());
            all.push(push_to(dest));
        }
    }
    if job.push {
        for tag in &tags {
            all.push(
                Invocation::new(program, Role::After)
                    .arg("push")
                    .arg("--quiet")
                    .arg(*tag),
            );
        }
    }
    if scratch {
        all.push(
            Invocation::new(program, Role::After)
                .arg("rmi")
                .arg(image)
                .best_effort(),
        );
    }
    all
}
