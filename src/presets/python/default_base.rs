//! The default final image. With `[runtime] base` unset, a Python app runs without a shell, pip
//! or apt when it needs none of them: on distroless python3 (Debian's Python, the venv and the
//! app) when distroless has and updates its Python (3.13, Debian 13's), else on distroless cc
//! with the python image's own interpreter copied in ([`interpreter`]: 3.10-3.12, 3.14, and
//! 3.11, whose Debian 12 image distroless no longer updates; `base = "distroless"` still builds
//! on that one). Else it runs on `python:<v>-slim`, and `detected` says why in one line
//! ([`BaseChoice`]). What distroless lacks, in the order it is asked:
//! - a shell for the Procfile's command (shell syntax, `$PORT`);
//! - a shell for the app's own code ([`spawns`](super::spawns): `os.system`, `shell=True`);
//! - apt for run-time Debian packages: `runtime-packages`, or the libraries and programs the
//!   dependencies need (`libpq5` for psycopg2 built from source, `poppler-utils` for pdf2image);
//! - what the user's `[runtime]` asks ([`RuntimeNeeds`](crate::presets::common::RuntimeNeeds)):
//!   a health check whose program is not Python, a `cmd` or `entrypoint` of their own, `run`
//!   steps.
//!
//! The Python version is chosen first, and never for the image: an app on 3.12 stays on 3.12.
//! An explicit `base` is taken at its word: `base = "distroless"` is distroless python3, keeps
//! its errors (SG614, SG618, SG619) and never falls back.

use crate::presets::common::BaseChoice;
use crate::presets::python::runtime::Runtime;
use crate::presets::python::start::Start;
use crate::presets::python::system_packages::SystemPackages;
use crate::presets::python::{interpreter, spawns, BUILDER_IMAGE, DISTROLESS};
use crate::presets::Context;

/// The final image of the app: the `base` the user gave, else distroless when the app needs
/// nothing distroless lacks, else slim and why.
pub(super) fn choose(
    cx: &Context<'_>,
    minor: &str,
    start: &Start,
    system: &SystemPackages,
) -> BaseChoice {
    BaseChoice::of(cx.base, || why_not(cx, minor, start, system))
}

/// The runtime of a choice: distroless python3 where it has the app's Python and is updated,
/// else the python image's interpreter copied onto distroless cc; or the one `base` gave.
pub(super) fn runtime(choice: &BaseChoice, given: Runtime, minor: &str) -> Runtime {
    match choice {
        BaseChoice::Distroless if has_updated(minor) => Runtime::distroless(),
        BaseChoice::Distroless => Runtime::copied(),
        _ => given,
    }
}

/// Whether distroless publishes, and still updates, a python3 image of Python `minor`.
fn has_updated(minor: &str) -> bool {
    DISTROLESS.iter().any(|d| d.minor == minor && d.updated)
}

/// The `detected` line of a default, `None` for an image the user named.
pub(super) fn line(choice: &BaseChoice, runtime: &Runtime, minor: &str) -> Option<String> {
    let slim = format!("{BUILDER_IMAGE}:{minor}-slim");
    if runtime.is_copied() && matches!(choice, BaseChoice::Distroless) {
        return Some(format!(
            "final image: {}, distroless cc with the interpreter of {} copied in (no shell, pip or apt), as distroless python3 has no updated image of Python {minor} and nothing needs a shell or apt (`base = \"slim\"` in `[runtime]` for {slim}, which has a shell)",
            runtime.image(minor),
            interpreter::source_image(minor)
        ));
    }
    choice.line(&runtime.image(minor), &slim)
}

/// What the app needs that distroless lacks, in a few words; `None` when it needs nothing.
fn why_not(
    cx: &Context<'_>,
    minor: &str,
    start: &Start,
    system: &SystemPackages,
) -> Option<String> {
    if start.needs_shell() {
        return Some("the Procfile's command needs a shell".to_string());
    }
    if let Some(why) = spawns::why(cx.files) {
        return Some(why);
    }
    if !system.run.is_empty() {
        let what = if cx.common.runtime_packages.is_empty() {
            "the dependencies need Debian packages at run time,"
        } else {
            "`runtime-packages` are"
        };
        return Some(format!(
            "{what} installed with apt ({})",
            system.run.join(", ")
        ));
    }
    let python = format!("python{minor}");
    let usr_bin = format!("/usr/bin/{python}");
    cx.runtime
        .need_beyond("distroless", &["python", "python3", &python, &usr_bin])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::common::{RuntimeNeeds, TomlCommonOptions};
    use crate::project::ProjectFiles;

    fn start(words: &[&str]) -> Start {
        Start {
            command: words.iter().map(|w| w.to_string()).collect(),
            why: String::new(),
            port: None,
            source: None,
            port_env: false,
        }
    }

    /// The choice for an app whose only file is `app.py` with `code`.
    fn choice(
        base: Option<&str>,
        minor: &str,
        start: &Start,
        code: &str,
        run: &[&str],
        runtime: &RuntimeNeeds,
    ) -> BaseChoice {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("app.py"), code).expect("write");
        let files = ProjectFiles::new(dir.path());
        let common = TomlCommonOptions::default();
        let cx = Context {
            files: &files,
            common: &common,
            base,
            args: &[],
            platforms: &[],
            app_dir: None,
            runtime,
        };
        let system = SystemPackages {
            run: run.iter().map(|p| p.to_string()).collect(),
            ..SystemPackages::default()
        };
        choose(&cx, minor, start, &system)
    }

    fn slim_because(choice: BaseChoice, words: &str) {
        assert!(
            matches!(&choice, BaseChoice::Slim(why) if why.contains(words)),
            "{choice:?} should say {words:?}"
        );
    }

    #[test]
    fn distroless_unless_the_app_needs_more() {
        let none = RuntimeNeeds::default();
        let gunicorn = start(&["gunicorn", "app:app"]);
        let flask = "from flask import Flask\napp = Flask(__name__)\n";
        assert_eq!(
            choice(None, "3.13", &gunicorn, flask, &[], &none),
            BaseChoice::Distroless
        );
        assert_eq!(
            choice(Some("slim"), "3.13", &gunicorn, flask, &[], &none),
            BaseChoice::Given
        );
        // Another Python: the same choice; `runtime` copies its interpreter onto distroless cc.
        for minor in ["3.12", "3.11", "3.14"] {
            assert_eq!(
                choice(None, minor, &gunicorn, flask, &[], &none),
                BaseChoice::Distroless
            );
        }
        let shell = start(&["sh", "-c", "exec gunicorn app:app --bind 0.0.0.0:$PORT"]);
        slim_because(
            choice(None, "3.13", &shell, flask, &[], &none),
            "the Procfile's command needs a shell",
        );
        let spawns = format!("{flask}import os\nos.system('date')\n");
        slim_because(
            choice(None, "3.13", &gunicorn, &spawns, &[], &none),
            "`app.py` runs a shell at run time (`os.system(`)",
        );
        slim_because(
            choice(None, "3.13", &gunicorn, flask, &["libpq5=17.*"], &none),
            "Debian packages at run time, installed with apt (libpq5=17.*)",
        );
        let curl = RuntimeNeeds {
            healthcheck: Some(vec!["curl".into(), "-f".into(), "localhost:8000".into()]),
            ..RuntimeNeeds::default()
        };
        slim_because(
            choice(None, "3.13", &gunicorn, flask, &[], &curl),
            "runs `curl`",
        );
        let python = RuntimeNeeds {
            healthcheck: Some(vec!["python".into(), "-c".into(), "import urllib".into()]),
            ..RuntimeNeeds::default()
        };
        assert_eq!(
            choice(None, "3.13", &gunicorn, flask, &[], &python),
            BaseChoice::Distroless
        );
    }

    #[test]
    fn a_python_distroless_does_not_update_is_copied_onto_distroless_cc() {
        let runtime = |minor| runtime(&BaseChoice::Distroless, Runtime::slim(), minor);
        assert!(runtime("3.13").debian_python() && !runtime("3.13").is_copied());
        for minor in ["3.10", "3.11", "3.12", "3.14"] {
            assert!(
                runtime(minor).is_copied() && !runtime(minor).debian_python(),
                "{minor}"
            );
        }
        let slim = Runtime::slim();
        let given = super::runtime(&BaseChoice::Slim("why".into()), slim.clone(), "3.12");
        assert_eq!(given, slim);
        let said = line(&BaseChoice::Distroless, &runtime("3.12"), "3.12").expect("line");
        assert!(
            said.contains("gcr.io/distroless/cc-debian13:nonroot")
                && said.contains("python:3.12-slim-trixie")
                && said.contains("`base = \"slim\"`"),
            "{said}"
        );
    }
}
