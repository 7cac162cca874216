//! Which Node release line to build with: the `version` knob, else `.nvmrc`, `.node-version`,
//! `engines.node`, else the default. Images are tagged by major version (`node:22`,
//! `nodejs22-debian12`), so the answer is a major: the builder and the runtime always share it.

use crate::presets::node::codes;
use crate::presets::{Blame, PresetError};

/// The release lines the preset knows, oldest first: Node's LTS lines, which have official and
/// distroless images. A range in `engines.node` resolves to one of these.
pub(super) const LTS_MAJORS: &[u32] = &[18, 20, 22, 24];
/// The lines before and between the LTS ones that an `engines.node` range may still ask for
/// (`16.x`): built on that line's image, with a warning that it gets no security fixes.
const OTHER_MAJORS: &[u32] = &[14, 15, 16, 17, 19, 21, 23, 25];
/// The line used when the app names none, and preferred when a range allows it.
pub(super) const DEFAULT_MAJOR: u32 = 22;
/// LTS code names (`lts/iron` in `.nvmrc`).
const CODENAMES: &[(&str, u32)] = &[
    ("argon", 4),
    ("boron", 6),
    ("carbon", 8),
    ("dubnium", 10),
    ("erbium", 12),
    ("fermium", 14),
    ("gallium", 16),
    ("hydrogen", 18),
    ("iron", 20),
    ("jod", 22),
    ("krypton", 24),
];

/// The chosen major version and where it came from (`None`: the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NodeVersion {
    pub major: u32,
    pub source: Option<String>,
}

/// Resolve the Node major from the knob, the version files of the project in folder `dir`
/// (`""` for the context root) and `engines.node`.
pub(super) fn resolve(
    dir: &str,
    knob: Option<&str>,
    nvmrc: Option<&str>,
    node_version_file: Option<&str>,
    tool: Option<crate::presets::common::ToolVersion>,
    engines: Option<&str>,
) -> Result<NodeVersion, PresetError> {
    if let Some(v) = knob {
        return from_knob(v);
    }
    for (name, text) in [(".nvmrc", nvmrc), (".node-version", node_version_file)] {
        let Some(text) = text else { continue };
        let file = crate::presets::node::package_manager::join(dir, name);
        let Some(line) = first_line(text) else {
            continue;
        };
        return match parse_version_line(line) {
            Some(major) => Ok(NodeVersion {
                major,
                source: Some(format!("{file}: {line}")),
            }),
            None => Err(PresetError::new(
                codes::INVALID_VERSION_FILE,
                Blame::Knob("version"),
                format!("`{file}` says `{line}`, which is not a Node version the preset can map to an image"),
            )
            .help(format!("write a version such as `22` in `{file}`, or set `version = \"22\"` in `[preset]`"))),
        };
    }
    if let Some(tool) = tool {
        if let Some(major) = parse_version_line(&tool.version) {
            return Ok(NodeVersion {
                major,
                source: Some(format!("{}: {}", tool.source, tool.version)),
            });
        }
    }
    if let Some(range) = engines {
        return match resolve_range(range).map(|m| (m, false)).or_else(|| {
            other_major(range).map(|m| (m, true))
        }) {
            Some((major, false)) => Ok(NodeVersion {
                major,
                source: Some(format!("package.json engines.node: {range}")),
            }),
            Some((major, true)) => Ok(NodeVersion {
                major,
                source: Some(format!(
                    "package.json engines.node: {range}; warning: Node {major} is none of the supported LTS lines ({}), so it is end-of-life or short-lived: widen the range to one of them",
                    majors_list()
                )),
            }),
            None => Err(PresetError::new(
                codes::ENGINES_UNSATISFIABLE,
                Blame::Knob("version"),
                format!(
                    "no Node LTS line ({}) satisfies engines.node `{range}`",
                    majors_list()
                ),
            )
            .help("set `version = \"22\"` in `[preset]`, or widen `engines.node` in package.json")),
        };
    }
    Ok(NodeVersion {
        major: DEFAULT_MAJOR,
        source: None,
    })
}

/// The `version` knob: a major version, or an error about its value.
pub(super) fn from_knob(v: &str) -> Result<NodeVersion, PresetError> {
    match parse_version_line(v) {
        Some(major) => Ok(NodeVersion {
            major,
            source: None,
        }),
        None => Err(PresetError::new(
            codes::INVALID_VERSION,
            Blame::KnobValue("version"),
            format!("`{v}` is not a Node version"),
        )
        .label("not a Node line")
        .help("write a major version such as `\"22\"` (images are tagged by major version)")),
    }
}

fn majors_list() -> String {
    LTS_MAJORS
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first line that is not blank or a comment.
fn first_line(text: &str) -> Option<&str> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .find(|l| !l.is_empty())
}

/// `22`, `v20.11.1`, `20.x`, `lts/iron`, `lts/*`, `node` -> a major version.
pub(super) fn parse_version_line(text: &str) -> Option<u32> {
    let t = text.trim().to_ascii_lowercase();
    if let Some(name) = t.strip_prefix("lts/") {
        if name == "*" || name == "latest" {
            return LTS_MAJORS.last().copied();
        }
        return CODENAMES.iter().find(|(n, _)| *n == name).map(|(_, m)| *m);
    }
    if matches!(t.as_str(), "node" | "stable" | "latest" | "current") {
        return LTS_MAJORS.last().copied();
    }
    let t = t.strip_prefix('v').unwrap_or(&t);
    let major = t.split('.').next()?;
    let rest_ok = t
        .split('.')
        .skip(1)
        .all(|p| p == "x" || p == "*" || (!p.is_empty() && p.chars().all(|c| c.is_ascii_digit())));
    match (major.parse::<u32>(), rest_ok) {
        (Ok(m), true) if m > 0 => Some(m),
        _ => None,
    }
}

/// A semver version as a comparable triple.
type Ver = (u64, u64, u64);
const MAX: u64 = u64::MAX / 2;

/// The LTS line a semver range picks: the default when the range allows its newest release,
/// else the newest line whose newest release satisfies it, else the newest line with some
/// release in range.
pub(super) fn resolve_range(range: &str) -> Option<u32> {
    let sets = parse_range(range)?;
    let newest = |m: u32| -> Ver { (u64::from(m), MAX, MAX) };
    let contains = |v: Ver| sets.iter().any(|(lo, hi)| *lo <= v && v < *hi);
    let overlaps = |m: u32| {
        let (a, b) = ((u64::from(m), 0, 0), (u64::from(m) + 1, 0, 0));
        sets.iter().any(|(lo, hi)| *lo < b && a < *hi)
    };
    if contains(newest(DEFAULT_MAJOR)) {
        return Some(DEFAULT_MAJOR);
    }
    LTS_MAJORS
        .iter()
        .rev()
        .find(|m| contains(newest(**m)))
        .or_else(|| LTS_MAJORS.iter().rev().find(|m| overlaps(**m)))
        .copied()
}

/// The newest non-LTS line with a release in `range`, for a range no LTS line satisfies.
fn other_major(range: &str) -> Option<u32> {
    newest_major_in(range, OTHER_MAJORS)
}

/// The newest of `majors` (oldest first) with some release in the semver `range`; `None` when
/// none has or the range does not parse. Bun's `engines.bun` is read with it too.
pub(crate) fn newest_major_in(range: &str, majors: &[u32]) -> Option<u32> {
    let sets = parse_range(range)?;
    majors
        .iter()
        .rev()
        .find(|m| {
            let (a, b) = ((u64::from(**m), 0, 0), (u64::from(**m) + 1, 0, 0));
            sets.iter().any(|(lo, hi)| *lo < b && a < *hi)
        })
        .copied()
}

/// A range as a union of half-open intervals `[lo, hi)`; `None` when it does not parse.
fn parse_range(range: &str) -> Option<Vec<(Ver, Ver)>> {
    let mut out = Vec::new();
    for set in range.split("||") {
        let set = set.trim();
        let mut lo: Ver = (0, 0, 0);
        let mut hi: Ver = (MAX, 0, 0);
        let words: Vec<&str> = set.split_whitespace().collect();
        let comparators: Vec<String> = if let [a, "-", b] = words.as_slice() {
            vec![format!(">={a}"), format!("<={b}")]
        } else {
            // `>= 18` is written with a space now and then: join an operator with its version.
            let mut joined: Vec<String> = Vec::new();
            for w in words {
                match joined.last_mut() {
                    Some(prev) if prev.chars().all(|c| "<>=^~".contains(c)) => prev.push_str(w),
                    _ => joined.push(w.to_string()),
                }
            }
            joined
        };
        for c in comparators {
            let (l, h) = comparator(&c)?;
            lo = lo.max(l);
            hi = hi.min(h);
        }
        if lo < hi {
            out.push((lo, hi));
        }
    }
    Some(out)
}

/// One comparator (`>=18.2`, `^20`, `20.x`, `~20.1`) as `[lo, hi)`.
fn comparator(text: &str) -> Option<(Ver, Ver)> {
    let op_len = text
        .find(|c: char| !"<>=^~".contains(c))
        .unwrap_or(text.len());
    let (op, v) = text.split_at(op_len);
    let v = v.trim_start_matches(['v', '=']);
    let parts: Vec<Option<u64>> = if v.is_empty() || v == "*" || v == "x" || v == "X" {
        Vec::new()
    } else {
        v.split(['-', '+'])
            .next()
            .unwrap_or("")
            .split('.')
            .map(|p| {
                if matches!(p, "x" | "X" | "*") {
                    Ok(None)
                } else {
                    p.parse::<u64>().map(Some)
                }
            })
            .collect::<Result<_, _>>()
            .ok()?
    };
    // The given numbers, up to the first wildcard.
    let given: Vec<u64> = parts.iter().map_while(|p| *p).take(3).collect();
    let floor = |g: &[u64]| -> Ver {
        (
            g.first().copied().unwrap_or(0),
            g.get(1).copied().unwrap_or(0),
            g.get(2).copied().unwrap_or(0),
        )
    };
    // The first version past everything `given` matches: 20 -> 21.0.0, 20.1 -> 20.2.0.
    let past = |g: &[u64]| -> Ver {
        match g {
            [] => (MAX, 0, 0),
            [a] => (a + 1, 0, 0),
            [a, b] => (*a, b + 1, 0),
            [a, b, c, ..] => (*a, *b, c + 1),
        }
    };
    let any: (Ver, Ver) = ((0, 0, 0), (MAX, 0, 0));
    Some(match op {
        "" | "=" => (floor(&given), past(&given)),
        ">=" => (floor(&given), any.1),
        ">" => (past(&given), any.1),
        "<" => (any.0, floor(&given)),
        "<=" => (any.0, past(&given)),
        "^" => (floor(&given), past(&given[..given.len().min(1)])),
        "~" | "~>" => (floor(&given), past(&given[..given.len().min(2)])),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_lines() {
        assert_eq!(parse_version_line("22"), Some(22));
        assert_eq!(parse_version_line("v20.11.1"), Some(20));
        assert_eq!(parse_version_line("20.x"), Some(20));
        assert_eq!(parse_version_line("lts/iron"), Some(20));
        assert_eq!(parse_version_line("lts/*"), Some(24));
        assert_eq!(parse_version_line("node"), Some(24));
        assert_eq!(parse_version_line("system"), None);
        assert_eq!(parse_version_line("lts/nope"), None);
        assert_eq!(parse_version_line("20.a"), None);
    }

    #[test]
    fn ranges_prefer_the_default_then_the_newest() {
        assert_eq!(resolve_range(">=18"), Some(22));
        assert_eq!(resolve_range(">= 18"), Some(22));
        assert_eq!(resolve_range("^20.11.0"), Some(20));
        assert_eq!(resolve_range("18.x"), Some(18));
        assert_eq!(resolve_range("20 || 24"), Some(24));
        assert_eq!(resolve_range(">=18 <21"), Some(20));
        assert_eq!(resolve_range("18 - 20"), Some(20));
        assert_eq!(resolve_range("<=20"), Some(20));
        assert_eq!(
            resolve_range("~20.1"),
            Some(20),
            "only an old 20.1.x fits: still line 20"
        );
        assert_eq!(resolve_range("*"), Some(22));
        assert_eq!(resolve_range(">=30"), None);
        assert_eq!(resolve_range(">=abc"), None);
    }

    #[test]
    fn sources_in_order() {
        let v = resolve(
            "",
            None,
            Some("# pinned\nv20.11.1\n"),
            Some("18"),
            None,
            Some(">=22"),
        )
        .unwrap();
        assert_eq!(v.major, 20);
        assert_eq!(v.source.as_deref(), Some(".nvmrc: v20.11.1"));
        let v = resolve("", None, None, Some("18\n"), None, Some(">=22")).unwrap();
        assert_eq!(v.major, 18);
        let v = resolve("", None, None, None, None, Some("^24")).unwrap();
        assert_eq!((v.major, v.source.is_some()), (24, true));
        assert_eq!(
            resolve("", None, None, None, None, None).unwrap().major,
            DEFAULT_MAJOR
        );
        assert_eq!(
            resolve("", Some("20"), Some("18"), None, None, None)
                .unwrap()
                .major,
            20
        );
        assert_eq!(
            resolve("", Some("x"), None, None, None, None)
                .unwrap_err()
                .knob(),
            Some("version")
        );
        assert!(resolve("", None, Some("system"), None, None, None).is_err());
        assert!(resolve("", None, None, None, None, Some(">=99")).is_err());
    }

    #[test]
    fn version_manager_files_and_lines_past_lts() {
        let asdf = crate::presets::common::ToolVersion {
            version: "18.20.5".into(),
            source: ".tool-versions".into(),
        };
        let v = resolve("", None, None, None, Some(asdf), Some(">=22")).unwrap();
        assert_eq!(
            (v.major, v.source.as_deref()),
            (18, Some(".tool-versions: 18.20.5"))
        );
        let v = resolve("", None, None, None, None, Some("16.x")).unwrap();
        assert_eq!(v.major, 16);
        assert!(v.source.is_some_and(|s| s.contains("warning: Node 16")));
        let v = resolve("", None, None, None, None, Some("~23.1")).unwrap();
        assert_eq!(v.major, 23);
    }
}
