//! What the spec asks of the preset's final image besides its start command
//! ([`RuntimeNeeds`]): read from `[runtime]` and from the `[[stage]]`s built on the final image,
//! for the preset that chooses its default image.

use crate::config::{TomlBuild, TomlImageSettings};
use crate::presets::common::RuntimeNeeds;

/// The needs of `build`'s final image, whose stage is named `runtime_stage`.
pub(super) fn of(build: &TomlBuild, runtime_stage: &str) -> RuntimeNeeds {
    let settings = build.runtime.as_ref().map(|r| &r.settings);
    let command = settings.and_then(|s| {
        if s.cmd.is_some() {
            Some("cmd")
        } else if s.entrypoint.is_some() {
            Some("entrypoint")
        } else {
            None
        }
    });
    let runs = settings
        .filter(|s| runs(s))
        .map(|_| "`[runtime] steps`".to_string())
        .or_else(|| {
            build
                .stage
                .iter()
                .find(|s| s.from.as_deref() == Some(runtime_stage) && runs(&s.settings))
                .map(|s| format!("the stage `{}`, built on the final image,", s.name))
        });
    RuntimeNeeds {
        healthcheck: settings.and_then(|s| s.healthcheck.as_ref().map(|h| h.cmd.clone())),
        command,
        runs,
    }
}

/// Whether the settings have a `run` step.
fn runs(s: &TomlImageSettings) -> bool {
    s.steps.iter().any(|step| step.run.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(toml: &str) -> TomlBuild {
        toml::from_str(toml).expect("a build.toml")
    }

    #[test]
    fn runtime_settings_and_stages_built_on_the_final_image() {
        let plain = build("version = 1\n[runtime]\nports = [3000]\n");
        assert_eq!(of(&plain, "runtime"), RuntimeNeeds::default());
        let all = build(
            "version = 1\n[runtime]\ncmd = [\"node\", \"a.js\"]\nhealthcheck = { cmd = [\"curl\", \"-f\", \"localhost\"] }\nsteps = [{ run = \"echo hi\" }]\n",
        );
        let needs = of(&all, "runtime");
        assert_eq!(needs.command, Some("cmd"));
        assert_eq!(needs.runs.as_deref(), Some("`[runtime] steps`"));
        assert_eq!(
            needs
                .healthcheck
                .as_deref()
                .and_then(|h| h.first())
                .map(String::as_str),
            Some("curl")
        );
        let stage = build(
            "version = 1\n[[stage]]\nname = \"debug\"\nfrom = \"runtime\"\nsteps = [{ run = \"ls\" }]\n",
        );
        assert!(of(&stage, "runtime")
            .runs
            .is_some_and(|r| r.contains("`debug`")));
        assert_eq!(of(&stage, "final").runs, None);
    }
}
