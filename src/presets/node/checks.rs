//! The Node preset's checks of its knobs' values alone, run while `build.toml` is validated so
//! they are reported with the file's other mistakes: the `version` a Node line, the
//! `package-manager` one the preset drives, `start` words that are not empty, `output` a folder
//! inside the app. The settings step makes the same checks (with the same functions) for
//! `stagegen init`, whose flags become knobs without a file to validate.

use crate::presets::node::inside;
use crate::presets::node::options::TomlNodeOptions;
use crate::presets::node::package_manager::{empty_name, split_spec, unsupported};
use crate::presets::node::settings::output_outside;
use crate::presets::node::start::{check_words, clean};
use crate::presets::node::version::from_knob;
use crate::presets::{Blame, PresetError};

pub(super) fn check(o: &TomlNodeOptions) -> Vec<PresetError> {
    let mut out = Vec::new();
    if let Some(v) = &o.version {
        out.extend(from_knob(v).err());
    }
    if let Some(spec) = &o.package_manager {
        out.extend(package_manager_name(spec));
    }
    if let Some(words) = &o.start {
        out.extend(check_words(words));
    }
    if let Some(output) = o.output.as_deref().map(clean) {
        if !inside(&output) {
            out.push(at_value(
                output_outside(&output),
                "output",
                "not inside the app",
            ));
        }
    }
    out
}

/// The tool `package-manager` names must be one the preset drives (its version is checked
/// where it is installed, by the settings step).
fn package_manager_name(spec: &str) -> Option<PresetError> {
    let (name, _) = split_spec(spec);
    let error = match name {
        "npm" | "pnpm" | "yarn" | "bun" => return None,
        "" => empty_name(),
        other => unsupported(other),
    };
    Some(at_value(
        error,
        "package-manager",
        "not npm, pnpm, yarn or bun",
    ))
}

/// `error`, pointing at the knob's value: what is written there is the problem.
fn at_value(mut error: PresetError, knob: &'static str, label: &str) -> PresetError {
    error.blame = Blame::KnobValue(knob);
    error.label(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knob_values() {
        let o = TomlNodeOptions {
            version: Some("iron".into()),
            package_manager: Some("cnpm@1".into()),
            start: Some(vec!["node".into(), String::new()]),
            output: Some("../dist".into()),
            ..TomlNodeOptions::default()
        };
        let found: Vec<&str> = check(&o).iter().map(|e| e.code.id).collect();
        assert_eq!(found, ["SG703", "SG707", "SG717", "SG716"]);
        let fine = TomlNodeOptions {
            version: Some("22".into()),
            package_manager: Some("pnpm@9.12.0".into()),
            start: Some(vec!["node".into(), "server.js".into()]),
            output: Some("./build/".into()),
            ..TomlNodeOptions::default()
        };
        assert!(check(&fine).is_empty());
        assert_eq!(package_manager_name("bun@1.2.23").map(|e| e.code.id), None);
        assert_eq!(package_manager_name("@9").map(|e| e.code.id), Some("SG708"));
    }
}
