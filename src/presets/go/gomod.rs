//! What stagegen reads of `go.mod`.

/// The parts of `go.mod` the preset uses.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct GoMod {
    /// The module path (`example.com/api`).
    pub path: Option<String>,
    /// The `go` line (`1.22.3`): the least version the module needs.
    pub go: Option<String>,
    /// The `toolchain` line's version (`toolchain go1.23.4` -> `1.23.4`): the one the module's
    /// authors build with; `toolchain default` names none.
    pub toolchain: Option<String>,
    /// Whether it requires any module (then dependencies download in a layer of their own).
    pub has_requires: bool,
}

impl GoMod {
    pub(super) fn parse(text: &str) -> GoMod {
        let mut m = GoMod::default();
        for line in text.lines() {
            let line = line.split("//").next().unwrap_or("").trim();
            let mut words = line.split_whitespace();
            match words.next() {
                Some("module") => m.path = words.next().map(|w| w.trim_matches('"').to_string()),
                Some("go") => m.go = words.next().map(str::to_string),
                Some("toolchain") => {
                    m.toolchain = words
                        .next()
                        .and_then(|w| w.strip_prefix("go"))
                        .map(str::to_string)
                }
                Some("require") => m.has_requires = true,
                _ => {}
            }
        }
        m
    }
}

/// `1.22.3` -> `1.22`: the image tag that carries the newest patch release.
pub(super) fn major_minor(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_toolchain_line() {
        let m = GoMod::parse("module a\n\ngo 1.21\n\ntoolchain go1.23.4\n");
        assert_eq!(m.go.as_deref(), Some("1.21"));
        assert_eq!(m.toolchain.as_deref(), Some("1.23.4"));
        assert_eq!(GoMod::parse("go 1.21\ntoolchain default\n").toolchain, None);
    }

    #[test]
    fn reads_go_mod() {
        let m = GoMod::parse("module example.com/a/b // c\n\ngo 1.22.3\nrequire (\n x v1\n)\n");
        assert_eq!(m.path.as_deref(), Some("example.com/a/b"));
        assert_eq!(m.go.as_deref(), Some("1.22.3"));
        assert!(m.has_requires);
        assert!(!GoMod::parse("module a\ngo 1.22\n").has_requires);
    }

    #[test]
    fn image_tags_are_major_minor() {
        assert_eq!(major_minor("1.22.3"), "1.22");
        assert_eq!(major_minor("1.22"), "1.22");
    }
}
