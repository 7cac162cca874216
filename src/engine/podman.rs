//! Podman (`podman build`): Buildah's command line under another name
//! ([`super::buildah::containers_invocations`]).

use super::invocation::Invocation;
use super::job::Job;
use super::{Engine, EngineError};

pub(super) struct Podman;

impl Engine for Podman {
    fn name(&self) -> &'static str {
        "podman"
    }

    fn invocations(&self, job: &Job) -> Result<Vec<Invocation>, EngineError> {
        Ok(super::buildah::containers_invocations("podman", job))
    }
}
