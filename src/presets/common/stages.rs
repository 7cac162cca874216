//! Stage builders every preset uses: the `test` and `dev` stages, secret mounts for
//! `[preset] secrets`, and the build-only environment of `[preset] build-env`.

use indexmap::IndexMap;

use crate::ir::{Base, Mount, Run, Stage};

/// The `test` stage: made from `from` (the build stage), running the app's tests when built
/// with `--target test`. `detail` says what else it holds (` with the dev dependencies`).
pub fn test_stage(from: &str, detail: &str) -> Stage {
    Stage::new(
        "test",
        format!("run the tests{detail}: docker build --target test"),
        Base::Stage(from.to_string()),
    )
}

/// The `dev` stage: the toolchain and the sources, running the app from source.
pub fn dev_stage(base: Base, description: &str) -> Stage {
    Stage::new("dev", description, base)
}

/// `run` with each secret of `[preset] secrets` mounted (at the target `[secrets]` declares;
/// the resolver fills it in).
pub fn with_secrets(mut run: Run, secrets: &[String]) -> Run {
    for id in secrets {
        run.mounts.push(Mount::Secret {
            id: id.clone(),
            target: None,
            required: false,
        });
    }
    run
}

/// `stage` with the preset's own build variables, then `[preset] build-env` (which wins).
pub fn with_build_env(
    mut stage: Stage,
    own: &[(&str, String)],
    user: &IndexMap<String, String>,
) -> Stage {
    for (name, value) in own {
        stage = stage.env(*name, value.clone());
    }
    for (name, value) in user {
        stage = stage.env(name.clone(), value.clone());
    }
    stage
}
