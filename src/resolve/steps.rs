//! A step as written (`TomlStep`) -> an IR step. Validation guarantees each step is exactly a
//! `run` or a `copy`.

use crate::config::TomlStep;
use crate::ir::{CacheSharing, Command, Copy, CopySource, Mount, Run, Step};

/// Secret mounts name their id only; [`super::resolve`] fills in the declared settings.
pub(super) fn step(s: &TomlStep) -> Step {
    if let Some(paths) = &s.copy {
        let source = match (&s.from, &s.image) {
            (Some(stage), _) => CopySource::Stage(stage.clone()),
            (None, Some(image)) => CopySource::Image(image.clone()),
            (None, None) => CopySource::Context,
        };
        return Step::Copy(Copy {
            source,
            paths: paths.clone(),
            dest: s.to.clone().unwrap_or_else(|| ".".to_string()),
            chown: s.chown.clone(),
        });
    }
    let mut mounts: Vec<Mount> = s
        .cache
        .iter()
        .map(|target| Mount::Cache {
            target: target.clone(),
            id: None,
            sharing: CacheSharing::Shared,
        })
        .collect();
    mounts.extend(s.secrets.iter().map(|id| Mount::Secret {
        id: id.clone(),
        target: None,
        required: false,
    }));
    Step::Run(Run {
        commands: vec![Command::Shell(s.run.clone().unwrap_or_default())],
        mounts,
        inputs: s.inputs.clone(),
    })
}
