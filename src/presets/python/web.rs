//! Web apps found in the sources, and the server that serves them: the app objects a module
//! makes at its top level (`app = Flask(__name__)`, FastHTML's `app, rt = fast_app()`, `app =
//! create_app()` of a factory that makes one), else the factories themselves (`def
//! create_app():` returning a Flask app, served as `module:create_app()`), each served by the
//! server the dependencies bring: uvicorn, Hypercorn or Daphne for ASGI, gunicorn for WSGI,
//! Sanic's own server for Sanic, and the `flask` command for a Flask app with no WSGI server.

use crate::presets::python::manifest::Dep;
use crate::presets::python::start::{app_dirs, has_main_block, Project, Start, MAX_SCANNED};
use crate::presets::python::DEFAULT_PORT;
use crate::project::ProjectFiles;

/// How a kind of app is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Asgi,
    Wsgi,
    /// Sanic, served by its own server.
    Sanic,
}

/// Classes and factories whose result is an app, and how it is served. `fast_app` returns a
/// tuple whose first item is the app.
const APP_KINDS: &[(&str, Family)] = &[
    ("FastAPI", Family::Asgi),
    ("Starlette", Family::Asgi),
    ("Quart", Family::Asgi),
    ("Litestar", Family::Asgi),
    ("FastHTML", Family::Asgi),
    ("fast_app", Family::Asgi),
    ("get_asgi_application", Family::Asgi),
    ("Flask", Family::Wsgi),
    ("Bottle", Family::Wsgi),
    ("get_wsgi_application", Family::Wsgi),
    ("Sanic", Family::Sanic),
];

/// The servers, with the dependencies that bring them (a name, and an extra it needs or `""`).
/// In the order a family prefers them.
const SERVERS: &[(Server, &[(&str, &str)])] = &[
    (
        Server::Uvicorn,
        &[
            ("uvicorn", ""),
            ("fastapi", "standard"),
            ("fastapi", "all"),
            ("litestar", "standard"),
            ("python-fasthtml", ""),
        ],
    ),
    (Server::Hypercorn, &[("hypercorn", ""), ("quart", "")]),
    (Server::Daphne, &[("daphne", ""), ("channels", "daphne")]),
    (Server::Gunicorn, &[("gunicorn", "")]),
    (Server::Sanic, &[("sanic", "")]),
    (Server::Flask, &[("flask", "")]),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Server {
    Uvicorn,
    Hypercorn,
    Daphne,
    Gunicorn,
    Sanic,
    /// `flask run`: Flask's own server, for a Flask app with no WSGI server in the dependencies.
    Flask,
}

impl Server {
    fn name(self) -> &'static str {
        match self {
            Server::Uvicorn => "uvicorn",
            Server::Hypercorn => "hypercorn",
            Server::Daphne => "daphne",
            Server::Gunicorn => "gunicorn",
            Server::Sanic => "sanic",
            Server::Flask => "flask",
        }
    }

    /// Whether it serves `app` (the `flask` command only Flask apps whose file does not say how
    /// it runs, with a `__main__` block: then `python <file>` starts it; Daphne, Hypercorn and
    /// Sanic no factories).
    fn serves(self, app: &App) -> bool {
        let family = match self {
            Server::Uvicorn | Server::Hypercorn | Server::Daphne => Family::Asgi,
            Server::Gunicorn | Server::Flask => Family::Wsgi,
            Server::Sanic => Family::Sanic,
        };
        family == app.family
            && (self != Server::Flask || (app.kind == "Flask" && !app.main_block))
            && !(app.factory && matches!(self, Server::Hypercorn | Server::Daphne | Server::Sanic))
    }

    /// The command serving `app` on the default port.
    fn command(self, app: &App) -> Vec<String> {
        let port = DEFAULT_PORT.to_string();
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let target = app.target();
        let mut command = match self {
            Server::Uvicorn if app.factory => words(&[
                "uvicorn",
                "--factory",
                &format!("{}:{}", app.module, app.variable),
            ]),
            Server::Uvicorn => words(&["uvicorn", &target]),
            Server::Hypercorn => words(&["hypercorn", &target]),
            Server::Daphne => words(&["daphne", "-b", "0.0.0.0", "-p", &port, &target]),
            Server::Gunicorn => words(&["gunicorn", "--bind", &format!("0.0.0.0:{port}"), &target]),
            Server::Sanic => words(&["sanic", &target]),
            Server::Flask => words(&["flask", "--app", &target, "run"]),
        };
        match self {
            Server::Uvicorn | Server::Sanic | Server::Flask => {
                command.extend(words(&["--host", "0.0.0.0", "--port", &port]));
            }
            Server::Hypercorn => command.extend(words(&["--bind", &format!("0.0.0.0:{port}")])),
            Server::Daphne | Server::Gunicorn => {}
        }
        command
    }
}

/// A web app found in the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
struct App {
    /// Context-relative file.
    file: String,
    /// Dotted module path as the server imports it.
    module: String,
    /// The variable, or the factory function.
    variable: String,
    /// The class or factory (`Flask`).
    kind: String,
    family: Family,
    /// `variable` is a function that makes the app.
    factory: bool,
    /// The factory of the sources whose call made `variable` (`create_app`).
    made_by: Option<String>,
    /// Its file has an `if __name__ == "__main__":` block: the author's way to run it.
    main_block: bool,
}

impl App {
    /// `module:app`, or `module:create_app()` for a factory.
    fn target(&self) -> String {
        if self.factory {
            format!("{}:{}()", self.module, self.variable)
        } else {
            format!("{}:{}", self.module, self.variable)
        }
    }
}

/// The dependency that brings `server` (`uvicorn`, `litestar[standard]`), if one does.
fn brought_by(deps: &[Dep], server: Server) -> Option<String> {
    SERVERS
        .iter()
        .filter(|(s, _)| *s == server)
        .flat_map(|(_, by)| by.iter())
        .find(|(name, extra)| {
            deps.iter().any(|d| {
                d.name == *name && (extra.is_empty() || d.extras.iter().any(|e| e == extra))
            })
        })
        .map(|(name, extra)| {
            if extra.is_empty() {
                name.to_string()
            } else {
                format!("{name}[{extra}]")
            }
        })
}

/// The apps a server in the dependencies serves, served by the first server that serves any,
/// in the order of [`SERVERS`] (an ASGI server before gunicorn, Flask's own server last).
pub(super) fn web_apps(files: &ProjectFiles, project: &Project<'_>) -> Vec<Start> {
    let servers: Vec<(Server, String)> = SERVERS
        .iter()
        .filter_map(|(s, _)| brought_by(project.deps, *s).map(|by| (*s, by)))
        .collect();
    if servers.is_empty() {
        return Vec::new();
    }
    let apps = find_apps(files, project.installed);
    for (server, by) in servers {
        let served: Vec<&App> = apps.iter().filter(|a| server.serves(a)).collect();
        if !served.is_empty() {
            return served
                .into_iter()
                .map(|app| serve(server, &by, app))
                .collect();
        }
    }
    Vec::new()
}

fn serve(server: Server, by: &str, app: &App) -> Start {
    let what = if app.factory {
        format!("factory `{}()` making a {} app", app.variable, app.kind)
    } else if app.kind == "fast_app" {
        format!("FastHTML `{}` of `fast_app()`", app.variable)
    } else if let Some(factory) = &app.made_by {
        format!("{} `{}` made by `{factory}()`", app.kind, app.variable)
    } else {
        format!("{} `{}`", app.kind, app.variable)
    };
    let server_name = server.name();
    let from = if by == server_name {
        format!("{server_name} in the dependencies")
    } else {
        format!("`{by}` brings {server_name}")
    };
    let mut why = format!("{from}, {what} in {}", app.file);
    if server == Server::Flask {
        why.push_str(
            "; Flask's own server, as no WSGI server is a dependency: add gunicorn for production",
        );
    }
    Start {
        command: server.command(app),
        why,
        port: Some(DEFAULT_PORT),
        source: Some(app.file.clone()),
        port_env: false,
    }
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

/// The module a server imports `file` as.
fn module_of(file: &str, installed: bool) -> String {
    let mut module = file.trim_end_matches(".py").replace('/', ".");
    if let Some(pkg) = module.strip_suffix(".__init__") {
        module = pkg.to_string();
    }
    if installed {
        if let Some(rest) = module.strip_prefix("src.") {
            module = rest.to_string();
        }
    }
    module
}

/// The family of a known kind.
fn family(kind: &str) -> Option<Family> {
    APP_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, f)| *f)
}

/// The app objects of the sources; when there are none, the factories that make one.
fn find_apps(files: &ProjectFiles, installed: bool) -> Vec<App> {
    let sources: Vec<(String, String)> = candidate_files(files)
        .into_iter()
        .filter_map(|f| files.read(&f).map(|t| (f, t)))
        .collect();
    let factories: Vec<(String, String, String)> = sources
        .iter()
        .flat_map(|(file, text)| {
            factory_defs(text)
                .into_iter()
                .map(move |(name, kind)| (file.clone(), name, kind))
        })
        .collect();
    let mut apps = Vec::new();
    for (file, text) in &sources {
        for line in text.lines() {
            let Some((variable, callee)) = assignment(line) else {
                continue;
            };
            // A known class, else a factory defined in the sources.
            let (kind, made_by) = if family(&callee).is_some() {
                (callee, None)
            } else {
                match factories.iter().find(|(_, name, _)| *name == callee) {
                    Some((_, _, kind)) => (kind.clone(), Some(callee)),
                    None => continue,
                }
            };
            let Some(family) = family(&kind) else {
                continue;
            };
            apps.push(App {
                file: file.clone(),
                module: module_of(file, installed),
                variable,
                kind,
                family,
                factory: false,
                made_by,
                main_block: has_main_block(text),
            });
        }
    }
    if apps.is_empty() {
        for (file, name, kind) in factories {
            let Some(family) = family(&kind) else {
                continue;
            };
            let main_block = sources
                .iter()
                .any(|(f, text)| *f == file && has_main_block(text));
            apps.push(App {
                main_block,
                module: module_of(&file, installed),
                file,
                variable: name,
                kind,
                family,
                factory: true,
                made_by: None,
            });
        }
    }
    apps
}

/// `app = Flask(__name__)`, `application: FastAPI = fastapi.FastAPI()` or `app, rt =
/// fast_app()` at the top level of a module -> (`app`, the callee's last name), for any call.
fn assignment(line: &str) -> Option<(String, String)> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    let (lhs, rhs) = line.split_once('=')?;
    if rhs.starts_with('=') || lhs.ends_with(['!', '<', '>', '=']) {
        return None;
    }
    let first = lhs.split(',').next()?;
    let variable = first.split(':').next()?.trim();
    if !is_identifier(variable) {
        return None;
    }
    let callee = rhs.trim().split('(').next()?.trim();
    let kind = callee.rsplit('.').next()?;
    let tuple = lhs.contains(',');
    // A tuple is unpacked from the factories that return one only.
    (rhs.contains('(') && is_identifier(kind) && (!tuple || kind == "fast_app"))
        .then(|| (variable.to_string(), kind.to_string()))
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The top-level functions of a module that make a known app (`def create_app():` whose body
/// calls `Flask(`), with the kind they make.
fn factory_defs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, Option<String>)> = None;
    let flush = |current: &mut Option<(String, Option<String>)>,
                 out: &mut Vec<(String, String)>| {
        if let Some((name, Some(kind))) = current.take() {
            out.push((name, kind));
        }
    };
    for line in text.lines() {
        let top_level = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if top_level && !line.starts_with('#') && !line.starts_with(')') {
            flush(&mut current, &mut out);
            let def = line
                .strip_prefix("def ")
                .or_else(|| line.strip_prefix("async def "));
            if let Some(name) = def.and_then(|d| d.split('(').next()) {
                if is_identifier(name.trim()) {
                    current = Some((name.trim().to_string(), None));
                }
            }
        } else if let Some((_, kind @ None)) = &mut current {
            *kind = called_kind(line);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// The known app class a line calls (`    app = Flask(__name__)`, `return FastAPI()`).
fn called_kind(line: &str) -> Option<String> {
    APP_KINDS
        .iter()
        .filter(|(k, _)| k.starts_with(|c: char| c.is_ascii_uppercase()))
        .find(|(k, _)| {
            line.match_indices(&format!("{k}(")).any(|(at, _)| {
                !line[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        })
        .map(|(k, _)| k.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_assignments() {
        let a = |l: &str| assignment(l).map(|(v, k)| format!("{v}={k}"));
        assert_eq!(a("app = Flask(__name__)").as_deref(), Some("app=Flask"));
        assert_eq!(
            a("api: FastAPI = fastapi.FastAPI(title='x')").as_deref(),
            Some("api=FastAPI")
        );
        assert_eq!(
            a("application = get_wsgi_application()").as_deref(),
            Some("application=get_wsgi_application")
        );
        assert_eq!(a("app, rt = fast_app()").as_deref(), Some("app=fast_app"));
        assert_eq!(a("app = create_app()").as_deref(), Some("app=create_app"));
        assert_eq!(a("a, b = divmod(1, 2)"), None);
        assert_eq!(a("    app = Flask(__name__)"), None);
        assert_eq!(a("app == Flask(x)"), None);
        assert_eq!(a("x = Flask"), None);
        assert_eq!(a("a.b = Flask(x)"), None);
    }

    #[test]
    fn finds_factories() {
        let text = "import os\n\ndef create_app(test_config=None):\n    app = Flask(\n        __name__)\n    return app\n\n\ndef helper():\n    return MyFlask()\n\nasync def make():\n    return Quart(__name__)\n";
        assert_eq!(
            factory_defs(text),
            [
                ("create_app".to_string(), "Flask".to_string()),
                ("make".to_string(), "Quart".to_string())
            ]
        );
        assert_eq!(
            called_kind("    return fastapi.FastAPI()").as_deref(),
            Some("FastAPI")
        );
        assert_eq!(called_kind("    x = get_wsgi_application()"), None);
    }

    #[test]
    fn servers_commands() {
        let app = |kind: &str, family, factory| App {
            file: "web.py".into(),
            module: "web".into(),
            variable: if factory { "create_app" } else { "app" }.into(),
            kind: kind.into(),
            family,
            factory,
            made_by: None,
            main_block: false,
        };
        let flask = app("Flask", Family::Wsgi, false);
        let cmd = |s: Server, a: &App| s.command(a).join(" ");
        assert_eq!(
            cmd(Server::Gunicorn, &flask),
            "gunicorn --bind 0.0.0.0:8000 web:app"
        );
        assert_eq!(
            cmd(Server::Flask, &flask),
            "flask --app web:app run --host 0.0.0.0 --port 8000"
        );
        let factory = app("Flask", Family::Wsgi, true);
        assert_eq!(
            cmd(Server::Gunicorn, &factory),
            "gunicorn --bind 0.0.0.0:8000 web:create_app()"
        );
        let quart = app("Quart", Family::Asgi, false);
        assert_eq!(
            cmd(Server::Hypercorn, &quart),
            "hypercorn web:app --bind 0.0.0.0:8000"
        );
        assert_eq!(
            cmd(Server::Daphne, &quart),
            "daphne -b 0.0.0.0 -p 8000 web:app"
        );
        let asgi_factory = app("FastAPI", Family::Asgi, true);
        assert_eq!(
            cmd(Server::Uvicorn, &asgi_factory),
            "uvicorn --factory web:create_app --host 0.0.0.0 --port 8000"
        );
        assert!(!Server::Hypercorn.serves(&asgi_factory));
        let bottle = app("Bottle", Family::Wsgi, false);
        assert!(Server::Gunicorn.serves(&bottle) && !Server::Flask.serves(&bottle));
        let sanic = app("Sanic", Family::Sanic, false);
        assert_eq!(
            cmd(Server::Sanic, &sanic),
            "sanic web:app --host 0.0.0.0 --port 8000"
        );
    }
}
