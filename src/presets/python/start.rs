//! How the app starts, when `start` does not say: a web app served by gunicorn or uvicorn (both
//! in the dependencies, the app object found in the sources), else the project's one console
//! script, else a package's `__main__.py` (`python -m pkg`), else the one entry file (`app.py`,
//! `main.py`, ...). Each rule that finds several candidates is an error, never a guess.

use crate::presets::python::codes;
use crate::presets::python::manifest::{Dep, Script};
use crate::presets::python::DEFAULT_PORT;
use crate::presets::{Blame, KnobValue, PresetError};
use crate::project::ProjectFiles;

/// Classes and factories whose result an ASGI server serves.
const ASGI_APPS: &[&str] = &[
    "FastAPI",
    "Starlette",
    "Quart",
    "Litestar",
    "get_asgi_application",
];
/// Classes and factories whose result a WSGI server serves.
const WSGI_APPS: &[&str] = &["Flask", "Bottle", "get_wsgi_application"];
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
const MAX_SCANNED: usize = 400;

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
        "set `start = [\"python\", \"app.py\"]` (the command, as a list of words) in `[preset]`; found no web app for gunicorn or uvicorn, no console script, no `__main__.py`, none of {}, nor {LONE_SCRIPT}",
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
        web_apps,
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

/// The app objects uvicorn (ASGI) or gunicorn (WSGI), whichever is a dependency, would serve.
fn web_apps(files: &ProjectFiles, project: &Project<'_>) -> Vec<Start> {
    let has = |name: &str| project.deps.iter().any(|d| d.name == name);
    let fastapi_standard = project
        .deps
        .iter()
        .any(|d| d.name == "fastapi" && d.extras.iter().any(|e| e == "standard" || e == "all"));
    let uvicorn = has("uvicorn") || fastapi_standard;
    let gunicorn = has("gunicorn");
    if !(uvicorn || gunicorn) {
        return Vec::new();
    }
    let apps = find_apps(files, project.installed);
    let asgi: Vec<&App> = apps.iter().filter(|a| a.asgi).collect();
    let wsgi: Vec<&App> = apps.iter().filter(|a| !a.asgi).collect();
    let (server, found) = if uvicorn && !asgi.is_empty() {
        ("uvicorn", asgi)
    } else if gunicorn && !wsgi.is_empty() {
        ("gunicorn", wsgi)
    } else {
        return Vec::new();
    };
    found.iter().map(|app| serve(server, app)).collect()
}

/// `server` serving `app` on the default port.
fn serve(server: &str, app: &App) -> Start {
    let port = DEFAULT_PORT.to_string();
    Start {
        command: match server {
            "uvicorn" => vec![
                "uvicorn".into(),
                app.target(),
                "--host".into(),
                "0.0.0.0".into(),
                "--port".into(),
                port,
            ],
            _ => vec![
                "gunicorn".into(),
                "--bind".into(),
                format!("0.0.0.0:{port}"),
                app.target(),
            ],
        },
        why: format!(
            "{server} in the dependencies, {} `{}` in {}",
            app.kind, app.variable, app.file
        ),
        port: Some(DEFAULT_PORT),
        source: None,
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
        })
        .collect()
}

/// The file of a dotted module (`quotes.server`: `quotes/server.py` or its package's
/// `__init__.py`, at the root or in `src/`), when there is one.
fn module_file(files: &ProjectFiles, module: &str) -> Option<String> {
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
fn has_main_block(text: &str) -> bool {
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

/// A web app object found in the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
struct App {
    /// Context-relative file.
    file: String,
    /// Dotted module path as the server imports it.
    module: String,
    variable: String,
    /// The class or factory (`Flask`).
    kind: String,
    asgi: bool,
}

impl App {
    fn target(&self) -> String {
        format!("{}:{}", self.module, self.variable)
    }
}

/// Folders at `base` that may hold the app's modules, sorted.
fn app_dirs(files: &ProjectFiles, base: &str) -> Vec<String> {
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

/// Python files that may define the app: at the root, one folder down, and in `src/<pkg>/`.
fn candidate_files(files: &ProjectFiles) -> Vec<String> {
    let is_source = |name: &str| {
        name.ends_with(".py")
            && !name.starts_with("test_")
            && !name.ends_with("_test.py")
            && name != "conftest.py"
            && name != "setup.py"
    };
    let mut out: Vec<String> = files
        .list("")
        .into_iter()
        .filter(|f| is_source(f) && files.is_file(f))
        .collect();
    for dir in app_dirs(files, "") {
        out.extend(
            files
                .list(&dir)
                .into_iter()
                .filter(|f| is_source(f))
                .map(|f| format!("{dir}/{f}")),
        );
    }
    for dir in app_dirs(files, "src") {
        out.extend(
            files
                .list(&format!("src/{dir}"))
                .into_iter()
                .filter(|f| is_source(f))
                .map(|f| format!("src/{dir}/{f}")),
        );
    }
    out.truncate(MAX_SCANNED);
    out
}

fn find_apps(files: &ProjectFiles, installed: bool) -> Vec<App> {
    let mut apps = Vec::new();
    for file in candidate_files(files) {
        let Some(text) = files.read(&file) else {
            continue;
        };
        for line in text.lines() {
            let Some((variable, kind)) = app_assignment(line) else {
                continue;
            };
            let asgi = ASGI_APPS.contains(&kind.as_str());
            let mut module = file.trim_end_matches(".py").replace('/', ".");
            if let Some(pkg) = module.strip_suffix(".__init__") {
                module = pkg.to_string();
            }
            if installed {
                if let Some(rest) = module.strip_prefix("src.") {
                    module = rest.to_string();
                }
            }
            apps.push(App {
                file: file.clone(),
                module,
                variable,
                kind,
                asgi,
            });
        }
    }
    apps
}

/// `app = Flask(__name__)` or `application: FastAPI = fastapi.FastAPI()` at the top level of a
/// module -> (`app`, `Flask`), when the callee is a known web app class or factory.
fn app_assignment(line: &str) -> Option<(String, String)> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    let (lhs, rhs) = line.split_once('=')?;
    if rhs.starts_with('=') || lhs.ends_with(['!', '<', '>', '=']) {
        return None;
    }
    let variable = lhs.split(':').next()?.trim();
    if variable.is_empty()
        || variable.starts_with(|c: char| c.is_ascii_digit())
        || !variable
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let callee = rhs.trim().split('(').next()?.trim();
    let kind = callee.rsplit('.').next()?;
    (rhs.contains('(') && (ASGI_APPS.contains(&kind) || WSGI_APPS.contains(&kind)))
        .then(|| (variable.to_string(), kind.to_string()))
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

    #[test]
    fn finds_app_assignments() {
        let a = |l: &str| app_assignment(l).map(|(v, k)| format!("{v}={k}"));
        assert_eq!(a("app = Flask(__name__)").as_deref(), Some("app=Flask"));
        assert_eq!(
            a("api: FastAPI = fastapi.FastAPI(title='x')").as_deref(),
            Some("api=FastAPI")
        );
        assert_eq!(
            a("application = get_wsgi_application()").as_deref(),
            Some("application=get_wsgi_application")
        );
        assert_eq!(a("    app = Flask(__name__)"), None);
        assert_eq!(a("app == Flask(x)"), None);
        assert_eq!(a("app = make_app()"), None);
        assert_eq!(a("x = Flask"), None);
        assert_eq!(a("a.b = Flask(x)"), None);
    }
}
