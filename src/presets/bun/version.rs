//! Which Bun: the `oven/bun` image tag. Read from the `version` knob, else `packageManager`
//! (`bun@1.2.23`, exact), else `.bun-version`, else `.tool-versions` / `mise.toml`, else
//! `engines.bun` (a range: the newest line of Bun it allows), else the default line. The
//! official images are tagged by every release (`1.2.23`), minor line (`1.2`) and major (`1`).

use crate::presets::bun::codes;
use crate::presets::common::ToolVersion;
use crate::presets::{Blame, PresetError};

/// Bun majors that have `oven/bun` images, newest first (0.x images predate Bun 1.0 and its
/// lock files, and are not offered).
const MAJORS: &[u32] = &[1];
/// The tag when nothing names a version: the newest Bun 1.
pub(crate) const DEFAULT_TAG: &str = "1";

/// The Bun image tag and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BunVersion {
    /// `1`, `1.2`, `1.2.23`.
    pub tag: String,
    /// What named it, for `detected`.
    pub source: String,
}

/// What each source says, in the order they are read.
pub(crate) struct Sources<'a> {
    pub knob: Option<&'a str>,
    /// `packageManager`, when it names bun.
    pub package_manager: Option<&'a str>,
    pub bun_version_file: Option<&'a str>,
    pub tool_versions: Option<ToolVersion>,
    pub engines: Option<&'a str>,
}

/// The tag the first source that names one says.
pub(crate) fn resolve(s: Sources<'_>) -> Result<BunVersion, PresetError> {
    if let Some(v) = s.knob {
        let tag = exact_or_line(v)
            .ok_or_else(|| invalid(Blame::KnobValue("version"), &format!("`{v}`")))?;
        return Ok(found(tag, "the `version` knob"));
    }
    if let Some(v) = s.package_manager {
        let tag = exact_or_line(v).ok_or_else(|| {
            invalid(
                Blame::Table,
                &format!("package.json packageManager `bun@{v}`"),
            )
        })?;
        return Ok(found(tag, &format!("package.json packageManager: bun@{v}")));
    }
    let files = s
        .bun_version_file
        .map(|v| (v.trim().to_string(), ".bun-version".to_string()))
        .or(s.tool_versions.map(|t| (t.version, t.source)));
    if let Some((v, file)) = files {
        if v == "latest" {
            return Ok(found(DEFAULT_TAG.to_string(), &format!("{file}: latest")));
        }
        let tag = exact_or_line(v.trim_start_matches('v'))
            .ok_or_else(|| invalid(Blame::Table, &format!("`{v}` in {file}")))?;
        return Ok(found(tag, &file));
    }
    if let Some(range) = s.engines {
        let major = newest_major(range).ok_or_else(|| unsatisfiable(range))?;
        return Ok(found(
            major.to_string(),
            &format!("package.json engines.bun: {range}"),
        ));
    }
    Ok(found(DEFAULT_TAG.to_string(), "the default line"))
}

fn found(tag: String, source: &str) -> BunVersion {
    BunVersion {
        tag,
        source: source.to_string(),
    }
}

/// `1`, `1.2`, `1.2.23` (an image tag) when `v` is one, of a Bun major that has images.
fn exact_or_line(v: &str) -> Option<String> {
    let v = v.trim();
    let parts: Vec<&str> = v.split('.').collect();
    let numeric = parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let major: u32 = parts.first()?.parse().ok()?;
    (numeric && MAJORS.contains(&major)).then(|| v.to_string())
}

/// The newest Bun major with images that a semver range allows (`^1.1`, `>=1.0.0 <2`,
/// `1.x || 2.x`, `*`): a line qualifies when some release of it can. npm's range grammar, as
/// the Node preset reads `engines.node`.
fn newest_major(range: &str) -> Option<u32> {
    crate::presets::node::version::newest_major_in(range, MAJORS)
}

fn invalid(blame: Blame, what: &str) -> PresetError {
    let majors: Vec<String> = MAJORS.iter().map(|m| m.to_string()).collect();
    PresetError::new(
        codes::INVALID_VERSION,
        blame,
        format!("{what} is not a Bun version that has an `oven/bun` image"),
    )
    .help(format!(
        "write a Bun {} version: `1`, a minor line `1.2`, or a release `1.2.23`",
        majors.join(", ")
    ))
}

fn unsatisfiable(range: &str) -> PresetError {
    PresetError::new(
        codes::VERSION_UNSATISFIABLE,
        Blame::Table,
        format!("package.json engines.bun `{range}` allows no Bun that has an `oven/bun` image"),
    )
    .help("widen `engines.bun` to allow Bun 1 (`>=1.1`), or set `version = \"1\"` in `[preset]`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> Sources<'static> {
        Sources {
            knob: None,
            package_manager: None,
            bun_version_file: None,
            tool_versions: None,
            engines: None,
        }
    }

    #[test]
    fn ranges_by_major() {
        assert_eq!(newest_major("^1.1.30"), Some(1));
        assert_eq!(newest_major(">=1.0.0 <2"), Some(1));
        assert_eq!(newest_major("*"), Some(1));
        assert_eq!(newest_major("0.8.x || 1.x"), Some(1));
        assert_eq!(newest_major("^0.8"), None);
        assert_eq!(newest_major(">=2"), None);
        assert_eq!(newest_major("<1.0.0"), None);
        assert_eq!(newest_major("<1.2"), Some(1));
    }

    #[test]
    fn the_first_source_wins() {
        let pm = resolve(Sources {
            package_manager: Some("1.4.5"),
            engines: Some(">=1.1"),
            ..sources()
        });
        assert_eq!(pm.map(|v| v.tag).ok().as_deref(), Some("1.4.5"));
        let engines = resolve(Sources {
            engines: Some(">=1.1"),
            ..sources()
        });
        assert_eq!(engines.map(|v| v.tag).ok().as_deref(), Some("1"));
        assert_eq!(resolve(sources()).map(|v| v.tag).ok().as_deref(), Some("1"));
        let file = resolve(Sources {
            bun_version_file: Some("v1.1.45\n"),
            ..sources()
        });
        assert_eq!(file.map(|v| v.tag).ok().as_deref(), Some("1.1.45"));
        let bad = resolve(Sources {
            knob: Some("1.2 beta"),
            ..sources()
        });
        assert_eq!(bad.err().map(|e| e.code), Some(codes::INVALID_VERSION));
        let none = resolve(Sources {
            engines: Some("^2"),
            ..sources()
        });
        assert_eq!(
            none.err().map(|e| e.code),
            Some(codes::VERSION_UNSATISFIABLE)
        );
    }
}
