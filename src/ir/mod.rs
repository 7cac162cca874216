//! The IR: the stage graph stagegen builds, apart from what the user wrote. Stages hold steps;
//! steps have typed inputs (the build context, another stage, an image) and mounts (cache,
//! secret). Every emitter reads only this. The IR never imports the config types.
//!
//! The same types, serialized, are the JSON build plan (`schemas/plan.schema.json`): the contract
//! `stagegen build` and other tools execute, so it holds everything a Dockerfile holds.

mod graph;
mod stage;
mod step;
mod workspace;

pub use graph::{BuildArg, BuildGraph, Secret, PLAN_VERSION};
pub use stage::{Base, Healthcheck, ImageConfig, Port, Protocol, Stage, StagePlatform};
pub use step::{CacheSharing, Command, Copy, CopySource, Mount, Run, SharingHazard, Step};
pub use workspace::{MemberBuild, WorkspaceBuild};
