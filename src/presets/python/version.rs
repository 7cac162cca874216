//! Which Python the image gets: the `version` knob, else `.python-version`, the `python` of
//! asdf's `.tool-versions` or mise's `mise.toml`, `pyproject.toml`'s
//! `requires-python` (or Poetry's `python` dependency), `Pipfile`'s `[requires]`, `runtime.txt`.
//! An exact version names the minor; a range picks the default minor when it fits, else the
//! newest known minor that fits.

use crate::presets::common::tool_version;
use crate::presets::python::app_files::Manifests;
use crate::presets::python::codes;
use crate::presets::python::runtime::Runtime;
use crate::presets::python::{Distroless, DEFAULT_VERSION, KNOWN_VERSIONS, OLDEST_MINOR};
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// A Python constraint and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Wanted {
    /// One minor version (`3.12`), from the spec or a version file.
    Exact(String),
    /// A PEP 440 specifier set (`>=3.10,<3.13`) or a Poetry constraint (`^3.11`).
    Range(String),
}

/// `3.12.1`, `3.12`, `python-3.12.1`, `cpython-3.12` -> `3.12`; `None` for anything else
/// (`pypy3.10`, `system`, a pyenv virtualenv name).
pub(super) fn minor_of(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_prefix("python-")
        .or_else(|| t.strip_prefix("cpython-"))
        .or_else(|| t.strip_prefix("python"))
        .unwrap_or(t);
    let mut parts = t.split('.');
    let major = parts.next()?;
    let minor = parts.next()?;
    let patch_ok = parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if major != "3" || minor.is_empty() || !minor.chars().all(|c| c.is_ascii_digit()) || !patch_ok {
        return None;
    }
    let minor: u32 = minor.parse().ok()?;
    Some(format!("3.{minor}"))
}

/// The first version line of a `.python-version` file (comments and blank lines skipped).
pub(super) fn python_version_file(text: &str) -> Option<&str> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Whether Python `minor` (e.g. `3.12`, meaning its newest patch release) satisfies `spec`.
/// Accepts PEP 440 clauses (`>=`, `>`, `<=`, `<`, `==`, `!=`, `~=`, `.*`), Poetry's `^`, `~`, bare
/// versions and `||` alternatives. `None` when the specifier cannot be read.
pub(super) fn satisfies(spec: &str, minor: &str) -> Option<bool> {
    let candidate = parse_version(minor)?;
    let mut any = false;
    for alternative in spec.split("||") {
        let mut all = true;
        let clauses: Vec<&str> = alternative
            .split([',', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if clauses.is_empty() {
            return None;
        }
        // Poetry writes `>= 3.10` too: an operator alone joins the next word.
        let mut joined: Vec<String> = Vec::new();
        for c in clauses {
            match joined.last_mut() {
                Some(last) if last.chars().all(|ch| "<>=!~^".contains(ch)) => last.push_str(c),
                _ => joined.push(c.to_string()),
            }
        }
        for clause in &joined {
            all &= clause_holds(clause, &candidate)?;
        }
        any |= all;
    }
    Some(any)
}

/// A version as numbers; `*` ends it (a prefix match).
fn parse_version(text: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    for part in text.trim().split('.') {
        if part == "*" {
            break;
        }
        out.push(part.parse().ok()?);
    }
    (!out.is_empty()).then_some(out)
}

/// `candidate` is a minor `[3, M]`: it stands for every patch release of that minor, and the image
/// tag carries the newest, so a clause holds when the newest patch satisfies it. Patch numbers in
/// the clause are compared as if that newest patch were at least as new.
fn clause_holds(clause: &str, candidate: &[u32]) -> Option<bool> {
    let op_len = clause
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(clause.len());
    let (op, version) = clause.split_at(op_len);
    let prefix = version.ends_with(".*");
    let v = parse_version(version)?;
    let cmp_minor = |v: &[u32]| -> std::cmp::Ordering {
        let a = [candidate[0], candidate.get(1).copied().unwrap_or(0)];
        let b = [v[0], v.get(1).copied().unwrap_or(0)];
        a.cmp(&b)
    };
    use std::cmp::Ordering::*;
    let ord = cmp_minor(&v);
    let one = v.len() == 1;
    let same_major = candidate[0] == v[0];
    Some(match op.trim() {
        // `>=3.11.4`: the newest 3.11 is at least 3.11.4.
        ">=" => ord != Less,
        // `>3.11`: 3.11.1 and later count, so the newest 3.11 does; `>3` means 4 and later.
        ">" => (one && candidate[0] > v[0]) || (!one && ord != Less),
        // `<3.12` excludes 3.12; `<3.12.4` keeps early 3.12 patches only: not the newest.
        "<" => (one && candidate[0] < v[0]) || (!one && ord == Less),
        "<=" => ord != Greater,
        // Poetry's `~3.10` is >=3.10,<3.11: the same minor, as `==3.10` is.
        "==" | "===" | "" | "~" => (one && same_major) || (!one && ord == Equal),
        "!=" => !(prefix || v.len() == 2) || ord != Equal,
        // `~=3.10` means >=3.10,<4; `~=3.10.2` means >=3.10.2,<3.11.
        "~=" if v.len() >= 3 => ord == Equal,
        // Poetry: `^3.10` is >=3.10,<4.
        "~=" | "^" => ord != Less && same_major,
        _ => return None,
    })
}

/// Pick a minor for `wanted` among `known` (oldest first): the default when it fits, else the
/// newest that fits. `Err` carries a message when none fits or the specifier is unreadable.
pub(super) fn pick(wanted: &Wanted, default: &str, known: &[&str]) -> Result<String, String> {
    match wanted {
        Wanted::Exact(minor) => Ok(minor.clone()),
        Wanted::Range(spec) => {
            if satisfies(spec, default).is_none() {
                return Err(format!("cannot read the Python constraint `{spec}`"));
            }
            if satisfies(spec, default) == Some(true) {
                return Ok(default.to_string());
            }
            known
                .iter()
                .rev()
                .find(|m| satisfies(spec, m) == Some(true))
                .map(|m| m.to_string())
                .ok_or_else(|| {
                    format!(
                        "no Python stagegen knows ({}) satisfies `{spec}`",
                        known.join(", ")
                    )
                })
        }
    }
}

/// The Python minor version, and where it came from for the `detected` line (`None` when the
/// `version` knob names it).
pub(super) fn choose(
    spec: Option<&str>,
    files: &ProjectFiles,
    m: &Manifests,
    runtime: &Runtime,
) -> Result<(String, Option<String>), PresetError> {
    let (wanted, source) = wanted(spec, files, m)?;
    if runtime.debian_python() {
        return on_distroless(wanted, source, &runtime.distroless_images());
    }
    let Some(wanted) = wanted else {
        return Ok((
            DEFAULT_VERSION.to_string(),
            Some("the preset's default".into()),
        ));
    };
    let minor =
        pick(&wanted, DEFAULT_VERSION, KNOWN_VERSIONS).map_err(|e| no_fit(&wanted, e, source))?;
    let number = minor_number(&minor).unwrap_or(0);
    if number < OLDEST_MINOR {
        return Err(PresetError::new(
            codes::VERSION_TOO_OLD,
            blame(source, Blame::Table),
            format!("python {minor} ({source}) is older than the oldest the preset builds, 3.{OLDEST_MINOR}"),
        )
        .help("upgrade to a supported Python: the pinned tools need 3.10 or newer"));
    }
    let why = (source != KNOB).then(|| source.to_string());
    Ok((minor, why))
}

/// The minor number of a Python 3 minor version: `12` for `"3.12"`.
pub(super) fn minor_number(minor: &str) -> Option<u32> {
    minor.strip_prefix("3.").and_then(|m| m.parse().ok())
}

/// The source name of a version the `version` knob gives.
const KNOB: &str = "version";

/// What to blame for a version from `source`: the knob's value, else `otherwise`.
fn blame(source: &str, otherwise: Blame) -> Blame {
    if source == KNOB {
        Blame::KnobValue(KNOB)
    } else {
        otherwise
    }
}

/// The version the app asks for, and where it says so: the knob, else the first version file
/// there is. `None` when nothing asks.
fn wanted(
    spec: Option<&str>,
    files: &ProjectFiles,
    m: &Manifests,
) -> Result<(Option<Wanted>, &'static str), PresetError> {
    if let Some(v) = spec {
        return match minor_of(v) {
            Some(minor) => Ok((Some(Wanted::Exact(minor)), KNOB)),
            None => Err(invalid_version(v)),
        };
    }
    if let Some(text) = files.read(".python-version") {
        let line = python_version_file(&text).unwrap_or("");
        return match minor_of(line) {
            Some(minor) => Ok((Some(Wanted::Exact(minor)), ".python-version")),
            None => Err(invalid_file(".python-version", line, "write a version such as `3.12` in `.python-version`, or set `version` in `[preset]`")),
        };
    }
    if let Some(found) = wanted_by_version_manager(files)? {
        return Ok(found);
    }
    if let Some(found) = wanted_by_manifests(m) {
        return Ok(found);
    }
    if let Some(text) = files.read("runtime.txt") {
        let line = text.trim();
        return match minor_of(line) {
            Some(minor) => Ok((Some(Wanted::Exact(minor)), "runtime.txt")),
            None => Err(invalid_file(
                "runtime.txt",
                line,
                "write `python-3.12.4` in `runtime.txt`, or set `version` in `[preset]`",
            )),
        };
    }
    Ok((None, ""))
}

/// The files of asdf and mise, as [`tool_version`] reads them.
const VERSION_MANAGER_FILES: &[&str] = &[
    ".tool-versions",
    "mise.toml",
    ".mise.toml",
    ".config/mise.toml",
    "mise/config.toml",
];

/// The `python` of `.tool-versions` or `mise.toml`; `latest` and `system` say nothing.
fn wanted_by_version_manager(
    files: &ProjectFiles,
) -> Result<Option<(Option<Wanted>, &'static str)>, PresetError> {
    let Some(found) = tool_version(files, &["python"]) else {
        return Ok(None);
    };
    if ["latest", "system"].contains(&found.version.as_str()) {
        return Ok(None);
    }
    let source = VERSION_MANAGER_FILES
        .iter()
        .find(|f| **f == found.source)
        .copied()
        .unwrap_or(".tool-versions");
    match minor_of(&found.version) {
        Some(minor) => Ok(Some((Some(Wanted::Exact(minor)), source))),
        None => Err(invalid_file(
            source,
            &found.version,
            "write a version such as `3.12` for `python` there, or set `version` in `[preset]`",
        )),
    }
}

/// `requires-python`, else Poetry's `python` dependency, else the Pipfile's `[requires]`.
fn wanted_by_manifests(m: &Manifests) -> Option<(Option<Wanted>, &'static str)> {
    if let Some(spec) = m.pyproject.as_ref().and_then(|p| p.requires_python.clone()) {
        return Some((Some(Wanted::Range(spec)), "pyproject.toml requires-python"));
    }
    if let Some(spec) = m
        .pyproject
        .as_ref()
        .and_then(|p| p.poetry.as_ref())
        .and_then(|p| p.python.clone())
    {
        return Some((Some(Wanted::Range(spec)), "pyproject.toml, Poetry's python"));
    }
    let v = m.pipfile.as_ref().and_then(|p| p.python.clone())?;
    Some(match minor_of(&v) {
        Some(minor) => (Some(Wanted::Exact(minor)), "Pipfile"),
        None => (Some(Wanted::Range(v)), "Pipfile"),
    })
}

/// The error for a `version` knob that names no CPython 3.
pub(super) fn invalid_version(v: &str) -> PresetError {
    PresetError::new(
        codes::INVALID_VERSION,
        Blame::KnobValue(KNOB),
        format!("`{v}` is not a Python version"),
    )
    .help("write a CPython version such as `\"3.12\"`")
}

fn invalid_file(file: &str, line: &str, help: &str) -> PresetError {
    PresetError::new(
        codes::INVALID_VERSION_FILE,
        Blame::Table,
        format!("`{file}` says `{line}`, which is not a CPython 3 version"),
    )
    .help(help)
}

/// The error for a range no known Python satisfies, or that cannot be read.
fn no_fit(wanted: &Wanted, message: String, source: &str) -> PresetError {
    let unreadable =
        matches!(wanted, Wanted::Range(spec) if satisfies(spec, DEFAULT_VERSION).is_none());
    let code = if unreadable {
        codes::UNREADABLE_CONSTRAINT
    } else {
        codes::NO_VERSION_FITS
    };
    PresetError::new(
        code,
        blame(source, Blame::Table),
        format!("{message} ({source})"),
    )
    .help("set `version = \"3.12\"` in `[preset]`")
}

/// Each distroless python3 image has one Python: the app must allow one of `images`' (the
/// preset's default first, else the first that fits).
fn on_distroless(
    wanted: Option<Wanted>,
    source: &str,
    images: &[Distroless],
) -> Result<(String, Option<String>), PresetError> {
    let fits = |minor: &str| match &wanted {
        None => true,
        Some(Wanted::Exact(m)) => m == minor,
        Some(Wanted::Range(spec)) => satisfies(spec, minor) != Some(false),
    };
    let Some(image) = images.iter().find(|d| fits(d.minor)) else {
        let asked = match &wanted {
            Some(Wanted::Exact(m)) => m.clone(),
            Some(Wanted::Range(s)) => s.clone(),
            None => String::new(),
        };
        let blame = if source == KNOB {
            Blame::Knob(KNOB)
        } else {
            Blame::RuntimeBase
        };
        let has: Vec<String> = images
            .iter()
            .map(|d| format!("{} ({}:nonroot)", d.minor, d.image))
            .collect();
        return Err(PresetError::new(
            codes::DISTROLESS_VERSION,
            blame,
            format!(
                "distroless python3 has Python {}, but the app asks for `{asked}` ({source})",
                has.join(" or ")
            ),
        )
        .help(format!(
            "use `base = \"slim\"` in `[runtime]` for other versions, or allow Python {}",
            images
                .iter()
                .map(|d| d.minor)
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    };
    let why = match &wanted {
        _ if source == KNOB => None,
        Some(_) => Some(format!("{source}; the distroless python3 image")),
        None => Some("the distroless python3 image".to_string()),
    };
    Ok((image.minor.to_string(), why))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["3.10", "3.11", "3.12", "3.13", "3.14"];

    #[test]
    fn minors() {
        assert_eq!(minor_of("3.12.1").as_deref(), Some("3.12"));
        assert_eq!(minor_of(" 3.12\n").as_deref(), Some("3.12"));
        assert_eq!(minor_of("python-3.11.4").as_deref(), Some("3.11"));
        assert_eq!(minor_of("cpython-3.13").as_deref(), Some("3.13"));
        assert_eq!(minor_of("3.13t").as_deref(), None);
        assert_eq!(minor_of("3.13.0rc1").as_deref(), Some("3.13"));
        assert_eq!(minor_of("pypy3.10"), None);
        assert_eq!(minor_of("system"), None);
        assert_eq!(minor_of("2.7"), None);
        assert_eq!(minor_of("3"), None);
        assert_eq!(
            python_version_file("# pinned\n\n3.11.9\n3.12\n"),
            Some("3.11.9")
        );
    }

    #[test]
    fn specifiers() {
        let yes = |s: &str, m: &str| assert_eq!(satisfies(s, m), Some(true), "{s} vs {m}");
        let no = |s: &str, m: &str| assert_eq!(satisfies(s, m), Some(false), "{s} vs {m}");
        yes(">=3.10", "3.13");
        yes(">=3.11.4", "3.11");
        no(">=3.12", "3.11");
        yes(">=3.9,<3.12", "3.11");
        no(">=3.9,<3.12", "3.12");
        no("<3.12.4", "3.12");
        yes("==3.11.*", "3.11");
        no("==3.11.*", "3.12");
        yes("==3.11", "3.11");
        no("!=3.12.*", "3.12");
        yes("~=3.10", "3.13");
        no("~=3.10.2", "3.11");
        yes("^3.11", "3.13");
        no("^3.11", "3.10");
        yes("~3.11", "3.11");
        no("~3.11", "3.12");
        yes(">= 3.10, < 4", "3.14");
        yes("3.11", "3.11");
        yes("<=3.11", "3.11");
        no(">3", "3.12");
        yes(">3.11", "3.11");
        yes(">=3.8,<3.9 || >=3.11", "3.12");
        assert_eq!(satisfies("foo", "3.12"), None);
        assert_eq!(satisfies("", "3.12"), None);
    }

    #[test]
    fn picks() {
        let r = |s: &str| Wanted::Range(s.to_string());
        assert_eq!(pick(&r(">=3.10"), "3.13", KNOWN).as_deref(), Ok("3.13"));
        assert_eq!(
            pick(&r(">=3.9,<3.12"), "3.13", KNOWN).as_deref(),
            Ok("3.11")
        );
        assert_eq!(pick(&r(">=3.14"), "3.13", KNOWN).as_deref(), Ok("3.14"));
        assert!(pick(&r("<3.8"), "3.13", KNOWN).is_err());
        assert!(pick(&r("banana"), "3.13", KNOWN).is_err());
        assert_eq!(
            pick(&Wanted::Exact("3.9".into()), "3.13", KNOWN).as_deref(),
            Ok("3.9")
        );
    }
}
