//! How the app starts, when `start` does not say: a web app served by gunicorn or uvicorn (both
//! in the dependencies, the app object found in the sources), else the project's one console
//! script, else a package's `__main__.py` (`python -m pkg`), else the one entry file (`app.py`,
//! `main.py`, ...). Each rule that finds several candidates is an error, never a guess.

use crate::presets::python::codes;
use crate::presets::python::manifest::{Dep, Script};
use crate::presets::python::web::web_apps;
use crate::presets::{Blame, KnobValue, PresetError};
use crate::project::ProjectFiles;

/// Scripts run with `python <file>`, when nothing else says how to start.
const ENTRY_FILES: &[&str] = &["app.py", "main.py", "server.py", "run.py"];
/// Folders that never hold the app.
const NOT_APP_DIRS: &[&str] = &[
    "tests",
    "test",
    "docs",
    "doc",
    "venv",
    "env",
    "node_modules",
    "build",
    "dist",
    "migrations",
    "scripts",
];
/// Top-level scripts that are a project's tools, never the app, even with a `__main__` block
/// (Django's `manage.py` prints its help and exits).
const TOOL_SCRIPTS: &[&str] = &[
    "manage.py",
    "setup.py",
    "conftest.py",
    "noxfile.py",
    "fabfile.py",
    "tasks.py",
];
/// Python files read when looking for a web app, at most.
pub(super) const MAX_SCANNED: usize = 400;

/// The start command and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Start {
    pub command: Vec<String>,
    /// Why (for `detected`).
    pub why: String,
    /// The port a server it starts listens on.
    pub port: Option<u16>,
    /// The file it runs, whose source may say which port it listens on.
    pub source: Option<String>,
    /// It reads `$PORT`: the image sets it to `port`.
    pub port_env: bool,
}

impl Start {
    /// It runs with `sh -c` (a Procfile command with shell syntax).
    pub(crate) fn needs_shell(&self) -> bool {
        self.command.first().is_some_and(|w| w == "sh")
    }
}

/// What start inference reads besides the files.
pub(super) struct Project<'a> {
    pub deps: &'a [Dep],
    /// The project is installed into the venv (its console scripts exist, `src/` is importable).
    pub installed: bool,
    pub scripts: &'a [Script],
}

/// The one way to start the app; an error when there is none, and an ambiguity (whose
/// [`Choice`](crate::presets::Choice) is the first) when there are several.
pub(super) fn infer(files: &ProjectFiles, project: &Project<'_>) -> Result<Start, PresetError> {
    let found = candidates(files, project);
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(no_start()),
        [first, ..] => Err(several_starts(&found, first)),
    }
}

fn several_starts(found: &[Start], first: &Start) -> PresetError {
    let list: Vec<String> = found.iter().map(|s| s.why.clone()).collect();
    let words: Vec<String> = first.command.iter().map(|w| format!("\"{w}\"")).collect();
    PresetError::new(
        codes::SEVERAL_STARTS,
        Blame::Table,
        format!("the app can start in several ways: {}", list.join("; ")),
    )
    .help(format!(
        "choose one with `start = [{}]` in `[preset]`",
        words.join(", ")
    ))
    .choice(
        "start",
        KnobValue::List(first.command.clone()),
        format!("one of {} ways to start the app", found.len()),
    )
}

/// The last start rule, in words (init's "looked for" line and the help below).
pub(super) const LONE_SCRIPT: &str =
    "a top-level script with an `if __name__ == \"__main__\":` block";

/// The error for an app with no way to start found.
pub(super) fn no_start() -> PresetError {
    PresetError::new(codes::NO_START, Blame::Table, "cannot tell how to start the app").help(format!(
        "set `start = [\"python\", \"app.py\"]` (the command, as a list of words) in `[preset]` (`stagegen init --start \"python app.py\"`), or a `web:` process in a `Procfile`; found no web app for a server in the dependencies (uvicorn, hypercorn, daphne, gunicorn, sanic, flask), no console script, no `__main__.py`, none of {}, nor {LONE_SCRIPT}",
        ENTRY_FILES
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// A rule that finds ways to start the app.
type Rule = fn(&ProjectFiles, &Project<'_>) -> Vec<Start>;

/// The ways to start the app that the first rule with any finds: a web app for the server in
/// the dependencies, else console scripts, else packages with a `__main__.py`, else entry files.
pub(super) fn candidates(files: &ProjectFiles, project: &Project<'_>) -> Vec<Start> {
    const RULES: &[Rule] = &[
        scripts_or_web_apps,
        console_scripts,
        package_mains,
        entry_files,
        main_scripts,
    ];
    RULES
        .iter()
        .map(|rule| rule(files, project))
        .find(|found| !found.is_empty())
        .unwrap_or_default()
}

/// The web apps a server in the dependencies serves; but the console scripts whose module
/// defines one, when there are any: the project's own way to serve it (`pingsvc =
/// "pingsvc.server:main"` running uvicorn on its `app`).
fn scripts_or_web_apps(files: &ProjectFiles, project: &Project<'_>) -> Vec<Start> {
    let web = web_apps(files, project);
    if web.is_empty() {
        return web;
    }
    let own: Vec<Start> = console_scripts(files, project)
        .into_iter()
        .filter(|s| s.source.is_some() && web.iter().any(|w| w.source == s.source))
        .map(|mut s| {
            s.why.push_str(", whose module defines the web app");
            s
        })
        .collect();
    if own.is_empty() {
        web
    } else {
        own
    }
}

/// The console scripts of an installed project.
fn console_scripts(files: &ProjectFiles, project: &Project<'_>) -> Vec<Start> {
    if !project.installed {
        return Vec::new();
    }
    project
        .scripts
        .iter()
        .map(|script| Start {
            command: vec![script.name.clone()],
            why: format!("console script `{}` of pyproject.toml", script.name),
            port: None,
            source: script.module.as_deref().and_then(|m| module_file(files, m)),
            port_env: false,
        })
        .collect()
}

/// The file of a dotted module (`quotes.server`: `quotes/server.py` or its package's
/// `__init__.py`, at the root or in `src/`), when there is one; Django's settings module too.
pub(super) fn module_file(files: &ProjectFiles, module: &str) -> Option<String> {
    let path = module.replace('.', "/");
    ["", "src/"]
        .iter()
        .flat_map(|base| {
            [
                format!("{base}{path}.py"),
                format!("{base}{path}/__init__.py"),
            ]
        })
        .find(|file| files.is_file(file))
}

/// Packages with a `__main__.py` (`python -m pkg`): at the root, and in `src/` when the project
/// is installed.
fn package_mains(files: &ProjectFiles, project: &Project<'_>) -> Vec<Start> {
    let mut mains = Vec::new();
    for dir in app_dirs(files, "") {
        if files.is_file(&format!("{dir}/__main__.py")) {
            mains.push((dir.clone(), format!("{dir}/__main__.py")));
        }
    }
    if project.installed {
        for dir in app_dirs(files, "src") {
            if files.is_file(&format!("src/{dir}/__main__.py")) {
                mains.push((dir.clone(), format!("src/{dir}/__main__.py")));
            }
        }
    }
    mains
        .into_iter()
        .map(|(pkg, file)| Start {
            command: vec!["python".into(), "-m".into(), pkg],
            why: format!("`{file}`"),
            port: None,
            source: Some(file),
            port_env: false,
        })
        .collect()
}

/// The entry files there are (`app.py`, `main.py`, ...), run with `python <file>`.
fn entry_files(files: &ProjectFiles, _project: &Project<'_>) -> Vec<Start> {
    ENTRY_FILES
        .iter()
        .filter(|f| files.is_file(f))
        .map(|f| Start {
            command: vec!["python".into(), f.to_string()],
            why: format!("`{f}`"),
            port: None,
            source: Some(f.to_string()),
            port_env: false,
        })
        .collect()
}

/// The top-level scripts with a `__main__` block (`bot.py`), run with `python <file>`.
fn main_scripts(files: &ProjectFiles, _project: &Project<'_>) -> Vec<Start> {
    lone_scripts(files)
        .into_iter()
        .map(|f| Start {
            command: vec!["python".into(), f.clone()],
            why: format!("`{f}` has a `__main__` block"),
            port: None,
            source: Some(f),
            port_env: false,
        })
        .collect()
}

/// The top-level `*.py` files (at most [`MAX_SCANNED`] read) with an
/// `if __name__ == "__main__":` block: the scripts of an app that may have no dependency file.
pub(super) fn lone_scripts(files: &ProjectFiles) -> Vec<String> {
    files
        .list("")
        .into_iter()
        .filter(|f| f.ends_with(".py") && !is_tool_script(f) && files.is_file(f))
        .take(MAX_SCANNED)
        .filter(|f| files.read(f).is_some_and(|t| has_main_block(&t)))
        .collect()
}

/// A tool's or a test's script (`manage.py`, `test_app.py`), not the app.
fn is_tool_script(file: &str) -> bool {
    TOOL_SCRIPTS.contains(&file) || file.starts_with("test_") || file.ends_with("_test.py")
}

/// `if __name__ == "__main__":` (either quotes, either order) at the start of a line.
pub(super) fn has_main_block(text: &str) -> bool {
    text.lines().any(|line| {
        let l: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        line.starts_with("if")
            && [
                "__name__==\"__main__\"",
                "__name__=='__main__'",
                "\"__main__\"==__name__",
                "'__main__'==__name__",
            ]
            .iter()
            .any(|form| l.starts_with(&format!("if{form}")))
    })
}

/// Folders at `base` that may hold the app's modules, sorted.
pub(super) fn app_dirs(files: &ProjectFiles, base: &str) -> Vec<String> {
    files
        .list(base)
        .into_iter()
        .filter(|d| {
            let path = if base.is_empty() {
                d.clone()
            } else {
                format!("{base}/{d}")
            };
            !d.starts_with(['.', '_'])
                && !NOT_APP_DIRS.contains(&d.as_str())
                && d != "src"
                && d.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && files.is_dir(&path)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_scripts_are_not_the_app() {
        assert!(is_tool_script("manage.py") && is_tool_script("test_bot.py"));
        assert!(is_tool_script("bot_test.py") && !is_tool_script("bot.py"));
    }

    #[test]
    fn finds_main_blocks() {
        assert!(has_main_block(
            "x = 1\nif __name__ == \"__main__\":\n    main()\n"
        ));
        assert!(has_main_block("if '__main__' == __name__:\n    main()\n"));
        assert!(!has_main_block("    if __name__ == \"__main__\":\n"));
        assert!(!has_main_block(
            "# if __name__ == \"__main__\":\nprint(__name__)\n"
        ));
    }
}
