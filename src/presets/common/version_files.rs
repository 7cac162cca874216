//! Tool versions written for version managers rather than for the language: asdf's
//! `.tool-versions` and mise's `mise.toml` (also `.mise.toml`, `.config/mise.toml`,
//! `mise/config.toml`). Each preset asks for its tool under the names these files use
//! (`nodejs`/`node`, `python`, `golang`/`go`, `java`) and decides where they rank among its own
//! version files.

use crate::project::ProjectFiles;

/// mise's config files, in the order mise itself prefers them.
const MISE_FILES: &[&str] = &[
    "mise.toml",
    ".mise.toml",
    ".config/mise.toml",
    "mise/config.toml",
];

/// A version and the file it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolVersion {
    /// As written (`20.11.1`, `3.12`, `temurin-21.0.2+13`, `lts`).
    pub version: String,
    /// `.tool-versions` or the mise file's path.
    pub source: String,
}

/// The version `.tool-versions` or a mise file pins for the tool called any of `names`
/// (`.tool-versions` first: asdf and mise both read it, and a repository that has it is read the
/// same way by both).
pub fn tool_version(files: &ProjectFiles, names: &[&str]) -> Option<ToolVersion> {
    if let Some(version) = files
        .read(".tool-versions")
        .and_then(|t| from_tool_versions(&t, names))
    {
        return Some(ToolVersion {
            version,
            source: ".tool-versions".to_string(),
        });
    }
    MISE_FILES.iter().find_map(|path| {
        let version = from_mise(&files.read(path)?, names)?;
        Some(ToolVersion {
            version,
            source: (*path).to_string(),
        })
    })
}

/// `nodejs 20.11.1 18.19.0  # comment` -> `20.11.1` (the first version is the one asdf uses).
pub(super) fn from_tool_versions(text: &str, names: &[&str]) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let tool = words.next()?;
        let version = words.next()?;
        names.contains(&tool).then(|| version.to_string())
    })
}

/// `[tools] node = "20"` (or `["20", "18"]`, or `{ version = "20" }`) -> `20`.
pub(super) fn from_mise(text: &str, names: &[&str]) -> Option<String> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    let tools = doc.get("tools")?.as_table()?;
    names.iter().find_map(|name| {
        let value = tools.get(*name)?;
        let version = match value {
            toml::Value::String(s) => s.as_str(),
            toml::Value::Array(items) => items.first()?.as_str()?,
            toml::Value::Table(t) => t.get("version")?.as_str()?,
            _ => return None,
        };
        Some(version.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_versions_lines() {
        let text = "# pinned\nnodejs 20.11.1 18.19.0\npython 3.12.1 # main\ngolang 1.22.0\n";
        assert_eq!(
            from_tool_versions(text, &["nodejs", "node"]).as_deref(),
            Some("20.11.1")
        );
        assert_eq!(
            from_tool_versions(text, &["python"]).as_deref(),
            Some("3.12.1")
        );
        assert_eq!(
            from_tool_versions(text, &["golang", "go"]).as_deref(),
            Some("1.22.0")
        );
        assert_eq!(from_tool_versions(text, &["java"]), None);
        assert_eq!(from_tool_versions("nodejs\n", &["nodejs"]), None);
    }

    #[test]
    fn mise_tools_shapes() {
        let text = "[tools]\nnode = \"22\"\npython = [\"3.12\", \"3.11\"]\njava = { version = \"temurin-21\" }\n";
        assert_eq!(from_mise(text, &["nodejs", "node"]).as_deref(), Some("22"));
        assert_eq!(from_mise(text, &["python"]).as_deref(), Some("3.12"));
        assert_eq!(from_mise(text, &["java"]).as_deref(), Some("temurin-21"));
        assert_eq!(from_mise(text, &["go"]), None);
        assert_eq!(from_mise("not toml [", &["go"]), None);
        assert_eq!(from_mise("[env]\nA = \"1\"\n", &["go"]), None);
    }
}
