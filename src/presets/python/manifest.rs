//! Reading the app's Python manifests: `pyproject.toml` (PEP 621, Poetry, uv and PEP 735
//! sections), `requirements*.txt` (with their `-r`/`-c` includes), `Pipfile`. Only what the
//! preset decides with: dependency names, dev dependency groups, whether the project is a
//! package, its console scripts and its Python constraint. Nothing here writes IR.

use indexmap::IndexMap;

use crate::project::ProjectFiles;

/// Includes followed from one requirements file at most this deep (a cycle stops earlier).
const MAX_INCLUDE_DEPTH: usize = 8;

/// A dependency as declared: its normalized name and the extras it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dep {
    /// PEP 503 normalized: lowercase, runs of `-`, `_`, `.` become `-`.
    pub name: String,
    pub extras: Vec<String>,
}

/// What `pyproject.toml` says.
#[derive(Debug, Default)]
pub(super) struct Pyproject {
    /// `[project] name`, else `[tool.poetry] name`.
    pub name: Option<String>,
    /// `[project] requires-python`.
    pub requires_python: Option<String>,
    /// `[project] dependencies`.
    pub dependencies: Vec<Dep>,
    /// `dependencies` is listed in `[project] dynamic` (a build backend computes it).
    pub dynamic_dependencies: bool,
    /// `[project] dynamic` lists anything: its metadata needs the sources to be known.
    pub dynamic_any: bool,
    /// `[project.optional-dependencies]`, by extra.
    pub optional: IndexMap<String, Vec<Dep>>,
    /// `[dependency-groups]` (PEP 735), by group; `{include-group = ...}` entries are skipped.
    pub groups: IndexMap<String, Vec<Dep>>,
    /// A `[build-system]` table: the project is a package its build backend can install.
    pub build_system: bool,
    /// Console scripts: `[project.scripts]` and `[tool.poetry.scripts]`.
    pub scripts: Vec<Script>,
    pub poetry: Option<Poetry>,
    pub uv: Option<Uv>,
}

/// A console script: its name and the module its function is in (`demo.cli` of
/// `demo = "demo.cli:main"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Script {
    pub name: String,
    pub module: Option<String>,
}

/// `[tool.poetry]`.
#[derive(Debug, Default)]
pub(super) struct Poetry {
    /// `python = "^3.11"` of `[tool.poetry.dependencies]`.
    pub python: Option<String>,
    /// `[tool.poetry.dependencies]` without `python`.
    pub dependencies: Vec<Dep>,
    /// Groups other than `main`: `[tool.poetry.group.<name>]`, and the legacy
    /// `[tool.poetry.dev-dependencies]` as `dev`.
    pub groups: IndexMap<String, Vec<Dep>>,
    /// `package-mode = false` turns the root package off.
    pub package_mode: bool,
    /// `packages = [...]` names what to ship explicitly.
    pub explicit_packages: bool,
}

/// `[tool.uv]`.
#[derive(Debug, Default)]
pub(super) struct Uv {
    /// `package = true/false` overrides the `[build-system]` rule.
    pub package: Option<bool>,
    /// `[tool.uv.workspace]`: members' manifests are needed to sync.
    pub workspace: bool,
    /// `[tool.uv.workspace] members` and `exclude`: folder globs.
    pub members: Vec<String>,
    pub exclude: Vec<String>,
    /// The legacy `dev-dependencies` list (the `dev` group).
    pub dev_dependencies: Vec<Dep>,
}

/// A requirements file and everything it includes.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Requirements {
    /// Every file read, the root first (context-relative): the inputs of the install.
    pub files: Vec<String>,
    pub deps: Vec<Dep>,
    /// Some requirement carries `--hash=`: pip runs in hash-checking mode.
    pub hashes: bool,
    /// Local folders installed from (`./vendor/pkg`), context-relative, as `vendor/pkg/.`.
    pub local_dirs: Vec<String>,
    /// A requirement that reads the whole context (`.`, `-e .`, a path outside the known ones).
    pub reads_context: bool,
    /// Included files that do not exist.
    pub missing: Vec<String>,
    /// Packages `--no-binary` builds from source (normalized names; `:all:` for every one).
    pub no_binary: Vec<String>,
}

/// What `Pipfile` says.
#[derive(Debug, Default)]
pub(super) struct Pipfile {
    pub packages: Vec<Dep>,
    pub dev_packages: Vec<Dep>,
    /// `[requires] python_version` (or `python_full_version`).
    pub python: Option<String>,
}

/// `name[extra1,extra2]>=1; marker` -> the normalized name and extras; `None` for a line that is
/// not a named requirement (a path, a URL, an option).
pub(super) fn parse_dep(text: &str) -> Option<Dep> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(text.len());
    let name = &text[..end];
    if name.is_empty() || name.starts_with(['.', '-', '_']) {
        return None;
    }
    let rest = text[end..].trim_start();
    if rest.starts_with([':', '/', '+']) {
        return None; // a URL (`https://`, `git+https://`) or a path (`pkgs/a`)
    }
    let extras = match rest.strip_prefix('[') {
        Some(inner) => inner
            .split(']')
            .next()
            .unwrap_or("")
            .split(',')
            .map(|e| normalize(e.trim()))
            .filter(|e| !e.is_empty())
            .collect(),
        None => Vec::new(),
    };
    Some(Dep {
        name: normalize(name),
        extras,
    })
}

/// PEP 503 name normalization.
pub(super) fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if "-_.".contains(c) {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

impl Pyproject {
    /// Parse the text of `pyproject.toml`; `Err` carries the TOML error.
    pub(super) fn parse(text: &str) -> Result<Pyproject, String> {
        let doc: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let mut p = Pyproject {
            build_system: doc.get("build-system").is_some_and(|v| v.is_table()),
            ..Pyproject::default()
        };
        if let Some(project) = doc.get("project").and_then(|v| v.as_table()) {
            p.name = str_of(project, "name");
            p.requires_python = str_of(project, "requires-python");
            p.dependencies = deps_of(project.get("dependencies"));
            p.dynamic_dependencies = project
                .get("dynamic")
                .and_then(|v| v.as_array())
                .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("dependencies")));
            p.dynamic_any = project
                .get("dynamic")
                .and_then(|v| v.as_array())
                .is_some_and(|a| !a.is_empty());
            if let Some(extras) = project
                .get("optional-dependencies")
                .and_then(|v| v.as_table())
            {
                for (extra, list) in extras {
                    p.optional.insert(normalize(extra), deps_of(Some(list)));
                }
            }
            p.scripts.extend(scripts_of(project.get("scripts")));
        }
        if let Some(groups) = doc.get("dependency-groups").and_then(|v| v.as_table()) {
            for (group, list) in groups {
                p.groups.insert(normalize(group), deps_of(Some(list)));
            }
        }
        let tool = doc.get("tool").and_then(|v| v.as_table());
        if let Some(poetry) = tool
            .and_then(|t| t.get("poetry"))
            .and_then(|v| v.as_table())
        {
            if p.name.is_none() {
                p.name = str_of(poetry, "name");
            }
            for script in scripts_of(poetry.get("scripts")) {
                if !p.scripts.iter().any(|s| s.name == script.name) {
                    p.scripts.push(script);
                }
            }
            p.poetry = Some(Poetry::from_table(poetry));
        }
        if let Some(uv) = tool.and_then(|t| t.get("uv")).and_then(|v| v.as_table()) {
            p.uv = Some(Uv {
                package: uv.get("package").and_then(|v| v.as_bool()),
                workspace: uv.get("workspace").is_some_and(|v| v.is_table()),
                members: strings_of(uv.get("workspace").and_then(|w| w.get("members"))),
                exclude: strings_of(uv.get("workspace").and_then(|w| w.get("exclude"))),
                dev_dependencies: deps_of(uv.get("dev-dependencies")),
            });
        }
        Ok(p)
    }

    /// The project's runtime dependencies, whichever section declares them.
    pub(super) fn runtime_deps(&self) -> Vec<Dep> {
        let mut deps = self.dependencies.clone();
        if let Some(poetry) = &self.poetry {
            deps.extend(poetry.dependencies.iter().cloned());
        }
        deps
    }
}

impl Poetry {
    fn from_table(poetry: &toml::Table) -> Poetry {
        let mut out = Poetry {
            package_mode: poetry
                .get("package-mode")
                .and_then(|v| v.as_bool())
                .unwrap_or(true),
            explicit_packages: poetry.get("packages").is_some_and(|v| v.is_array()),
            ..Poetry::default()
        };
        if let Some(deps) = poetry.get("dependencies").and_then(|v| v.as_table()) {
            for (name, spec) in deps {
                if name == "python" {
                    out.python = spec.as_str().map(str::to_string).or_else(|| {
                        spec.as_table()
                            .and_then(|t| t.get("version"))
                            .and_then(|v| v.as_str())
                            .map(str::to_string)
                    });
                } else {
                    out.dependencies.push(poetry_dep(name, spec));
                }
            }
        }
        if let Some(dev) = poetry.get("dev-dependencies").and_then(|v| v.as_table()) {
            out.groups.insert(
                "dev".into(),
                dev.iter().map(|(n, s)| poetry_dep(n, s)).collect(),
            );
        }
        if let Some(groups) = poetry.get("group").and_then(|v| v.as_table()) {
            for (group, table) in groups {
                let deps: Vec<Dep> = table
                    .get("dependencies")
                    .and_then(|v| v.as_table())
                    .map(|t| t.iter().map(|(n, s)| poetry_dep(n, s)).collect())
                    .unwrap_or_default();
                if group != "main" {
                    out.groups.entry(normalize(group)).or_default().extend(deps);
                }
            }
        }
        out
    }
}

fn poetry_dep(name: &str, spec: &toml::Value) -> Dep {
    let extras = spec
        .as_table()
        .and_then(|t| t.get("extras"))
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|e| e.as_str().map(normalize)).collect())
        .unwrap_or_default();
    Dep {
        name: normalize(name),
        extras,
    }
}

impl Pipfile {
    pub(super) fn parse(text: &str) -> Result<Pipfile, String> {
        let doc: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let names = |key: &str| -> Vec<Dep> {
            doc.get(key)
                .and_then(|v| v.as_table())
                .map(|t| t.iter().map(|(n, s)| poetry_dep(n, s)).collect())
                .unwrap_or_default()
        };
        let requires = doc.get("requires").and_then(|v| v.as_table());
        Ok(Pipfile {
            packages: names("packages"),
            dev_packages: names("dev-packages"),
            python: requires.and_then(|r| {
                str_of(r, "python_version").or_else(|| str_of(r, "python_full_version"))
            }),
        })
    }
}

impl Requirements {
    /// Read `path` and the files it includes (`-r`, `-c`), relative to the including file.
    pub(super) fn read(files: &ProjectFiles, path: &str) -> Requirements {
        let mut out = Requirements::default();
        read_into(files, path, 0, &mut out);
        out
    }
}

fn read_into(files: &ProjectFiles, path: &str, depth: usize, out: &mut Requirements) {
    if out.files.iter().any(|f| f == path) || depth > MAX_INCLUDE_DEPTH {
        return;
    }
    let Some(text) = files.read(path) else {
        out.missing.push(path.to_string());
        return;
    };
    out.files.push(path.to_string());
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    for line in logical_lines(&text) {
        if line.contains("--hash") {
            out.hashes = true;
        }
        match RequirementLine::parse(&line) {
            RequirementLine::Include(file) => {
                if file.contains("://") || file.starts_with('/') {
                    out.reads_context = true;
                    continue;
                }
                let joined = join(dir, &file);
                match joined {
                    Some(p) => read_into(files, &p, depth + 1, out),
                    None => out.reads_context = true,
                }
            }
            RequirementLine::Path { path: p, editable } => {
                match join(dir, &p).filter(|_| !editable) {
                    Some(rel) if !rel.is_empty() && files.is_dir(&rel) => {
                        // `dir/.`: its contents, and not a whole-folder copy, which the
                        // optimizer would take for the sources (and hoist an install past).
                        let rel = format!("{}/.", rel.trim_end_matches('/'));
                        if !out.local_dirs.contains(&rel) {
                            out.local_dirs.push(rel);
                        }
                    }
                    _ => out.reads_context = true,
                }
            }
            RequirementLine::Dep(dep) => out.deps.push(dep),
            RequirementLine::NoBinary(names) => {
                for name in names {
                    if !out.no_binary.contains(&name) {
                        out.no_binary.push(name);
                    }
                }
            }
            RequirementLine::Other => {}
        }
    }
}

/// One logical line of a requirements file, classified.
#[derive(Debug, PartialEq, Eq)]
enum RequirementLine {
    /// `-r file`, `-c file`.
    Include(String),
    /// A local path (`./pkg`, `-e ./pkg`, `file:pkg`).
    Path {
        path: String,
        editable: bool,
    },
    Dep(Dep),
    /// `--no-binary lxml,pillow`: built from source (`:none:` clears nothing here: it is left out).
    NoBinary(Vec<String>),
    /// Options, URLs, blank lines.
    Other,
}

impl RequirementLine {
    fn parse(line: &str) -> RequirementLine {
        let line = line.trim();
        if let Some(file) = option_value(line, &["-r", "--requirement", "-c", "--constraint"]) {
            return RequirementLine::Include(first_word(file));
        }
        if let Some(target) = option_value(line, &["-e", "--editable"]) {
            let target = first_word(target);
            return if target.contains("://") {
                RequirementLine::Other
            } else {
                RequirementLine::Path {
                    path: target.trim_start_matches("file:").to_string(),
                    editable: true,
                }
            };
        }
        if let Some(names) = option_value(line, &["--no-binary"]) {
            return RequirementLine::NoBinary(
                first_word(names)
                    .split(',')
                    .map(|n| {
                        if n == ":all:" {
                            n.to_string()
                        } else {
                            normalize(n)
                        }
                    })
                    .filter(|n| !n.is_empty() && n != ":none:")
                    .collect(),
            );
        }
        if line.is_empty() || line.starts_with('-') {
            return RequirementLine::Other;
        }
        let word = first_word(line);
        let word = word.split(';').next().unwrap_or("").to_string();
        if word.starts_with('.') || word.starts_with('/') || word.starts_with("file:") {
            return RequirementLine::Path {
                path: word.trim_start_matches("file:").to_string(),
                editable: false,
            };
        }
        match parse_dep(line) {
            Some(dep) => RequirementLine::Dep(dep),
            None if !line.contains("://") && word.contains('/') => RequirementLine::Path {
                path: word,
                editable: false,
            },
            None => RequirementLine::Other,
        }
    }
}

/// The value of an option written `-r file`, `-r=file` or `--requirement file`.
fn option_value<'a>(line: &'a str, flags: &[&str]) -> Option<&'a str> {
    flags.iter().find_map(|flag| {
        let rest = line.strip_prefix(flag)?;
        rest.strip_prefix('=')
            .or_else(|| rest.strip_prefix([' ', '\t']))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    })
}

fn first_word(s: &str) -> String {
    s.split_whitespace().next().unwrap_or("").to_string()
}

/// Lines with comments removed and `\` continuations joined.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for raw in text.lines() {
        let line = if raw.trim_start().starts_with('#') {
            ""
        } else {
            // ` #` starts a comment (pip's rule); a `#` inside a URL fragment does not.
            raw.split(" #").next().unwrap_or("")
        };
        let line = line.trim_end();
        if let Some(cont) = line.strip_suffix('\\') {
            current.push_str(cont);
            current.push(' ');
            continue;
        }
        current.push_str(line);
        if !current.trim().is_empty() {
            out.push(current.trim().to_string());
        }
        current.clear();
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// `dir` + `rel`, normalized; `None` when it leaves the context.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn str_of(table: &toml::Table, key: &str) -> Option<String> {
    table.get(key).and_then(|v| v.as_str()).map(str::to_string)
}

fn strings_of(value: Option<&toml::Value>) -> Vec<String> {
    value
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn deps_of(value: Option<&toml::Value>) -> Vec<Dep> {
    value
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .filter_map(parse_dep)
                .collect()
        })
        .unwrap_or_default()
}

/// The console scripts of a `scripts` table: name = "module:function" (a target that is not a
/// string, as Poetry's `{ reference = ... }` tables, has no module).
fn scripts_of(value: Option<&toml::Value>) -> Vec<Script> {
    value
        .and_then(|v| v.as_table())
        .map(|t| {
            t.iter()
                .map(|(name, target)| Script {
                    name: name.clone(),
                    module: target
                        .as_str()
                        .and_then(|t| t.split(':').next())
                        .map(|m| m.trim().to_string())
                        .filter(|m| !m.is_empty()),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dep(name: &str) -> Dep {
        Dep {
            name: name.into(),
            extras: vec![],
        }
    }

    #[test]
    fn names_are_normalized() {
        assert_eq!(normalize("Flask_SQLAlchemy"), "flask-sqlalchemy");
        assert_eq!(normalize("zope.interface"), "zope-interface");
        assert_eq!(normalize("a__-b"), "a-b");
        assert_eq!(
            parse_dep("Flask>=3.0; python_version >= '3.8'"),
            Some(dep("flask"))
        );
        assert_eq!(
            parse_dep("fastapi[standard, all] ==0.115"),
            Some(Dep {
                name: "fastapi".into(),
                extras: vec!["standard".into(), "all".into()]
            })
        );
        assert_eq!(
            parse_dep("pkg @ https://x/y.whl").map(|d| d.name),
            Some("pkg".into())
        );
        assert_eq!(parse_dep("./vendor/pkg"), None);
        assert_eq!(parse_dep("git+https://github.com/a/b"), None);
        assert_eq!(parse_dep("vendor/pkg"), None);
    }

    #[test]
    fn requirement_lines() {
        use RequirementLine::*;
        assert_eq!(
            RequirementLine::parse("-r base.txt"),
            Include("base.txt".into())
        );
        assert_eq!(
            RequirementLine::parse("--requirement=dev.txt"),
            Include("dev.txt".into())
        );
        assert_eq!(
            RequirementLine::parse("-c constraints.txt"),
            Include("constraints.txt".into())
        );
        assert_eq!(
            RequirementLine::parse("-e ."),
            Path {
                path: ".".into(),
                editable: true
            }
        );
        assert_eq!(
            RequirementLine::parse("./fastsum"),
            Path {
                path: "./fastsum".into(),
                editable: false
            }
        );
        assert_eq!(
            RequirementLine::parse("--no-binary ujson"),
            NoBinary(vec!["ujson".into()])
        );
        assert_eq!(
            RequirementLine::parse("--no-binary=:all:,Pillow"),
            NoBinary(vec![":all:".into(), "pillow".into()])
        );
        assert_eq!(RequirementLine::parse("-i https://x/simple"), Other);
        assert_eq!(
            RequirementLine::parse("gunicorn==23.0"),
            Dep(dep("gunicorn"))
        );
        assert_eq!(RequirementLine::parse("-rfoo"), Other);
    }

    #[test]
    fn logical_lines_join_and_strip() {
        let text = "# c\nflask==3.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n\nx # note\nhttps://h/p#egg=y\n";
        assert_eq!(
            logical_lines(text),
            [
                "flask==3.0      --hash=sha256:aa      --hash=sha256:bb",
                "x",
                "https://h/p#egg=y"
            ]
        );
    }

    #[test]
    fn joins_stay_in_the_context() {
        assert_eq!(join("req", "../base.txt").as_deref(), Some("base.txt"));
        assert_eq!(join("", "./a/b/").as_deref(), Some("a/b"));
        assert_eq!(join("", "../x"), None);
    }

    #[test]
    fn reads_requirements_with_includes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let w = |p: &str, t: &str| {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, t).expect("write");
        };
        w(
            "requirements.txt",
            "-r requirements/base.txt\n./pkgs/fast\n",
        );
        w(
            "requirements/base.txt",
            "flask==3.0 --hash=sha256:00\n-c ../constraints.txt\n-r missing.txt\n",
        );
        w("constraints.txt", "werkzeug<4\n-r requirements.txt\n");
        w("pkgs/fast/setup.py", "");
        let files = ProjectFiles::new(dir.path());
        let r = Requirements::read(&files, "requirements.txt");
        assert_eq!(
            r.files,
            [
                "requirements.txt",
                "requirements/base.txt",
                "constraints.txt"
            ]
        );
        assert_eq!(r.missing, ["requirements/missing.txt"]);
        assert!(r.hashes);
        assert_eq!(r.local_dirs, ["pkgs/fast/."]);
        assert!(!r.reads_context);
        let names: Vec<_> = r.deps.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["flask", "werkzeug"]);

        w("requirements.txt", "-e .\n");
        assert!(Requirements::read(&files, "requirements.txt").reads_context);
    }

    #[test]
    fn reads_pyproject() {
        let p = Pyproject::parse(
            r#"
[project]
name = "demo"
requires-python = ">=3.11"
dependencies = ["Flask>=3", "gunicorn"]
dynamic = ["version"]
[project.optional-dependencies]
test = ["pytest"]
[project.scripts]
demo = "demo.cli:main"
[dependency-groups]
dev = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff"]
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
[tool.uv]
package = true
"#,
        )
        .expect("parses");
        assert_eq!(p.name.as_deref(), Some("demo"));
        assert_eq!(p.requires_python.as_deref(), Some(">=3.11"));
        assert_eq!(p.dependencies, vec![dep("flask"), dep("gunicorn")]);
        assert!(!p.dynamic_dependencies);
        assert!(p.build_system);
        let script = Script {
            name: "demo".into(),
            module: Some("demo.cli".into()),
        };
        assert_eq!(p.scripts, [script]);
        assert_eq!(p.groups["dev"], vec![dep("pytest")]);
        assert_eq!(p.optional["test"], vec![dep("pytest")]);
        assert_eq!(p.uv.as_ref().and_then(|u| u.package), Some(true));
        assert!(Pyproject::parse("[project\n").is_err());
    }

    #[test]
    fn reads_poetry_sections() {
        let p = Pyproject::parse(
            r#"
[tool.poetry]
name = "greeter"
packages = [{ include = "greeter", from = "src" }]
[tool.poetry.dependencies]
python = "^3.11"
click = "^8.1"
uvicorn = { version = "^0.30", extras = ["standard"] }
[tool.poetry.dev-dependencies]
black = "*"
[tool.poetry.group.test.dependencies]
pytest = "^8"
[tool.poetry.scripts]
greet = "greeter.cli:main"
"#,
        )
        .expect("parses");
        let poetry = p.poetry.as_ref().expect("poetry");
        assert_eq!(poetry.python.as_deref(), Some("^3.11"));
        assert!(poetry.package_mode && poetry.explicit_packages);
        assert_eq!(p.runtime_deps()[1].extras, ["standard"]);
        let groups: Vec<_> = poetry.groups.keys().cloned().collect();
        assert_eq!(groups, ["dev", "test"]);
        assert_eq!(p.scripts[0].name, "greet");
        assert_eq!(p.scripts[0].module.as_deref(), Some("greeter.cli"));
        assert_eq!(p.name.as_deref(), Some("greeter"));
    }

    #[test]
    fn reads_pipfile() {
        let p = Pipfile::parse(
            "[packages]\nflask = \"*\"\n[dev-packages]\npytest = \"*\"\n[requires]\npython_version = \"3.12\"\n",
        )
        .expect("parses");
        assert_eq!(p.packages, vec![dep("flask")]);
        assert_eq!(p.dev_packages, vec![dep("pytest")]);
        assert_eq!(p.python.as_deref(), Some("3.12"));
    }
}
