//! The Java preset's checks of its knobs' values alone, run while `build.toml` is validated (so
//! they are reported with the file's other mistakes). The settings step reads the knobs through
//! the same functions, so `stagegen init` (which sets knobs from flags) gets the same rules.

use super::codes;
use super::options::TomlJavaOptions;
use super::project::Tool;
use super::version::parse_java_version;
use super::OLDEST_VERSION;
use crate::presets::{Blame, PresetError};

/// Every problem of the knobs' values, in the order the knobs are documented.
pub(super) fn check(o: &TomlJavaOptions) -> Vec<PresetError> {
    let mut out = Vec::new();
    out.extend(version(o).err());
    out.extend(tool(o).err());
    out.extend(jar(o));
    out.extend(jvm_flags(o.jvm_flags.as_deref().unwrap_or_default()));
    out
}

/// The `version` knob as a feature release, if set.
pub(super) fn version(o: &TomlJavaOptions) -> Result<Option<u32>, PresetError> {
    let Some(v) = &o.version else { return Ok(None) };
    parse_java_version(v).map(Some).ok_or_else(|| {
        PresetError::new(
            codes::INVALID_VERSION,
            Blame::Knob("version"),
            format!("`{v}` is not a Java version"),
        )
        .help(format!(
            "write the feature release, e.g. `\"21\"` (Java {OLDEST_VERSION} or later)"
        ))
    })
}

/// The build tool `package-manager` names, if set.
pub(super) fn tool(o: &TomlJavaOptions) -> Result<Option<Tool>, PresetError> {
    match o.package_manager.as_deref() {
        None => Ok(None),
        Some("maven" | "mvn") => Ok(Some(Tool::Maven)),
        Some("gradle") => Ok(Some(Tool::Gradle)),
        Some(other) => Err(PresetError::new(
            codes::UNKNOWN_BUILD_TOOL,
            Blame::Knob("package-manager"),
            format!("`{other}` is not a build tool the java preset knows"),
        )
        .help("use `\"maven\"` or `\"gradle\"`")),
    }
}

/// The error for a `jar` that is not a relative path or glob of the project ending in `.jar`.
pub(super) fn jar(o: &TomlJavaOptions) -> Option<PresetError> {
    let jar = o.jar.as_deref().filter(|j| !valid_jar(j))?;
    Some(
        PresetError::new(
            codes::INVALID_JAR,
            Blame::Knob("jar"),
            format!("`{jar}` is not a jar path of the project"),
        )
        .help("name the jar the build writes, relative to the project, e.g. `\"target/app.jar\"` (`*` and `?` match any name)"),
    )
}

/// A `jar` knob: a relative path or glob of plain characters ending in `.jar`.
fn valid_jar(jar: &str) -> bool {
    jar.ends_with(".jar")
        && !jar.starts_with('/')
        && !jar.split('/').any(|p| p == ".." || p.is_empty())
        && jar
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/+@*?[]".contains(c))
}

/// An error for each of `flags` that is not a JVM flag.
pub(super) fn jvm_flags(flags: &[String]) -> Vec<PresetError> {
    flags
        .iter()
        .filter(|flag| !flag.starts_with('-') || flag.len() < 2)
        .map(|flag| {
            PresetError::new(
                codes::INVALID_JVM_FLAG,
                Blame::Knob("jvm-flags"),
                format!("`{flag}` is not a JVM flag"),
            )
            .help("JVM flags start with `-`, e.g. `\"-Xss512k\"`; the app's own arguments go in `[runtime] cmd`")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jar_knob_values() {
        assert!(valid_jar("target/app.jar"));
        assert!(valid_jar("app/build/libs/app-*-all.jar"));
        assert!(!valid_jar("/abs/app.jar"));
        assert!(!valid_jar("../app.jar"));
        assert!(!valid_jar("target/app"));
        assert!(!valid_jar("target/a b.jar"));
        assert!(!valid_jar("target/$(id).jar"));
    }

    #[test]
    fn every_bad_knob_is_reported() {
        let o = TomlJavaOptions {
            version: Some("latest".into()),
            package_manager: Some("ant".into()),
            jar: Some("../app.jar".into()),
            jvm_flags: Some(vec!["-Xmx1g".into(), "Xss1m".into(), "-".into()]),
            ..Default::default()
        };
        let codes: Vec<_> = check(&o).iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [
                codes::INVALID_VERSION,
                codes::UNKNOWN_BUILD_TOOL,
                codes::INVALID_JAR,
                codes::INVALID_JVM_FLAG,
                codes::INVALID_JVM_FLAG
            ]
        );
        assert!(check(&TomlJavaOptions::default()).is_empty());
    }
}
