//! Java versions as build files, version managers and the `version` knob write them, and which
//! one the builder and the runtime follow.

use super::OLDEST_VERSION;
use crate::project::ProjectFiles;

/// `17`, `1.8` (-> 8), `21.0.2` (-> 21), `[17,)` (-> 17): the Java feature release.
pub(super) fn parse_java_version(text: &str) -> Option<u32> {
    let t = text.trim().trim_start_matches(['[', '(']);
    let mut parts = t.split(['.', ',', ')', ']']);
    let first: u32 = parts.next()?.trim().parse().ok()?;
    let v = if first == 1 {
        parts.next()?.trim().parse().ok()?
    } else {
        first
    };
    (OLDEST_VERSION..=99).contains(&v).then_some(v)
}

/// A JDK as version managers name it: SDKMAN's `21.0.2-tem`, asdf-java's
/// `temurin-21.0.5+11.0.LTS`, mise's `temurin-21`, `corretto-17`, `21` -> the feature release.
pub(super) fn parse_jdk(text: &str) -> Option<u32> {
    let t = text.trim();
    // A vendor before the version (`temurin-`, `openjdk-`, `zulu-`); SDKMAN's vendor is after.
    let t = match t.split_once('-') {
        Some((vendor, rest)) if vendor.chars().all(|c| c.is_ascii_alphabetic()) => rest,
        _ => t,
    };
    let end = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    parse_java_version(&t[..end])
}

/// The JDK `.sdkmanrc` (`java=21.0.2-tem`), then asdf's `.tool-versions`, then a mise file
/// pins, as written, with the file it was read from.
pub(super) fn pinned_jdk(files: &ProjectFiles) -> Option<(String, String)> {
    let sdkman = files.read(".sdkmanrc").and_then(|text| {
        text.lines().find_map(|line| {
            let line = line.split('#').next().unwrap_or("");
            let (tool, version) = line.split_once('=')?;
            (tool.trim() == "java").then(|| version.trim().to_string())
        })
    });
    if let Some(v) = sdkman.filter(|v| !v.is_empty()) {
        return Some((v, ".sdkmanrc".to_string()));
    }
    crate::presets::common::tool_version(files, &["java"]).map(|t| (t.version, t.source))
}

/// Where the Java version came from, for `detected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Chosen {
    pub version: u32,
    /// `None` when the knob names it.
    pub why: Option<String>,
    /// A version file that was not followed, and why.
    pub note: Option<String>,
}

/// The Java version: the knob's; else the JDK the build's toolchain asks for (the build runs
/// on it); else the one the app's version manager pins (`.sdkmanrc`, `.tool-versions`,
/// `mise.toml`: what its authors build with), unless it is older than the release the build
/// compiles for; else that release; else `default`.
pub(super) fn choose(
    knob: Option<u32>,
    build: Option<&(u32, String)>,
    pinned: Option<(String, String)>,
    default: u32,
) -> Chosen {
    let chosen = |version, why: String| Chosen {
        version,
        why: Some(why),
        note: None,
    };
    if let Some(version) = knob {
        return Chosen {
            version,
            why: None,
            note: None,
        };
    }
    let toolchain = build.filter(|(_, source)| source.to_lowercase().contains("toolchain"));
    if let Some((v, source)) = toolchain {
        return chosen(*v, source.clone());
    }
    let mut note = None;
    if let Some((text, file)) = pinned {
        match (parse_jdk(&text), build) {
            (Some(v), Some((release, source))) if v < *release => {
                note = Some(format!(
                    "{file} pins java `{text}`, older than the release the build compiles for ({release}, {source}): not used"
                ));
            }
            (Some(v), _) => return chosen(v, format!("{file} `{text}`")),
            (None, _) => {
                note = Some(format!(
                    "{file} pins java `{text}`, not a Java feature release: not used"
                ));
            }
        }
    }
    let (version, why) = match build {
        Some((v, source)) => (*v, source.clone()),
        None => (default, "no Java version in the build".to_string()),
    };
    Chosen {
        version,
        why: Some(why),
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_versions() {
        assert_eq!(parse_java_version("17"), Some(17));
        assert_eq!(parse_java_version(" 1.8 "), Some(8));
        assert_eq!(parse_java_version("21.0.2"), Some(21));
        assert_eq!(parse_java_version("[17,)"), Some(17));
        assert_eq!(parse_java_version("[11,18)"), Some(11));
        assert_eq!(parse_java_version("1.5"), None);
        assert_eq!(parse_java_version("7"), None);
        assert_eq!(parse_java_version("${java.version}"), None);
        assert_eq!(parse_java_version("latest"), None);
    }

    #[test]
    fn jdks_of_version_managers() {
        assert_eq!(parse_jdk("21.0.2-tem"), Some(21));
        assert_eq!(parse_jdk("8.0.392-zulu"), Some(8));
        assert_eq!(parse_jdk("temurin-21.0.5+11.0.LTS"), Some(21));
        assert_eq!(parse_jdk("temurin-21"), Some(21));
        assert_eq!(parse_jdk("corretto-17.0.9.8.1"), Some(17));
        assert_eq!(parse_jdk("adoptopenjdk-8.0.412+8"), Some(8));
        assert_eq!(parse_jdk("17"), Some(17));
        assert_eq!(parse_jdk("lts"), None);
        assert_eq!(parse_jdk("latest"), None);
    }

    #[test]
    fn the_toolchain_then_the_version_manager_then_the_release() {
        let release = (17, "pom.xml `maven.compiler.release`".to_string());
        let toolchain = (
            17,
            "build.gradle `java toolchain languageVersion`".to_string(),
        );
        let pinned = || Some(("21.0.2-tem".to_string(), ".sdkmanrc".to_string()));
        assert_eq!(choose(Some(11), Some(&release), pinned(), 21).version, 11);
        assert_eq!(choose(None, Some(&toolchain), pinned(), 21).version, 17);
        let c = choose(None, Some(&release), pinned(), 21);
        assert_eq!(
            (c.version, c.why.as_deref()),
            (21, Some(".sdkmanrc `21.0.2-tem`"))
        );
        let old = Some(("11".to_string(), "mise.toml".to_string()));
        let c = choose(None, Some(&release), old, 21);
        assert_eq!(c.version, 17);
        assert!(c.note.unwrap().contains("older than the release"));
        let lts = Some(("lts".to_string(), ".tool-versions".to_string()));
        let c = choose(None, None, lts, 21);
        assert_eq!(c.version, 21);
        assert!(c.note.unwrap().contains("not a Java feature release"));
    }
}
