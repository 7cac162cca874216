//! A Django project: `manage.py` beside Django in the dependencies. Its settings module (the
//! `DJANGO_SETTINGS_MODULE` that `manage.py` sets) says whether the static files are collected
//! (`STATIC_ROOT`): then `manage.py collectstatic` runs in the build stage and the final image
//! gets the collected folder, so the container serves them without writing to its own
//! filesystem. `STATIC_ROOT` is read as Django projects write it: under `BASE_DIR` (the folder
//! of `manage.py`: `BASE_DIR / "staticfiles"`, `os.path.join(BASE_DIR, "static")`) or an
//! absolute path; one written otherwise is reported, and nothing is collected. Migrations are never run at
//! container start (several replicas would race, and a failed one would loop the restarts):
//! `detected` says how to run them. The app itself is served like any other web app: gunicorn
//! on `WSGI_APPLICATION`, or an ASGI server on `ASGI_APPLICATION` (see [`super::web`]).

use crate::presets::python::manifest::Dep;
use crate::presets::python::APP_DIR;
use crate::project::ProjectFiles;

/// What the preset does for a Django project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Django {
    /// The settings file (`mysite/settings.py`), when `manage.py` names one that is there.
    pub settings: Option<String>,
    /// `STATIC_ROOT` as a path in the image: `collectstatic` runs in the build.
    pub static_root: Option<String>,
    /// `STATIC_ROOT` is set, but not in a way the preset reads.
    pub unread_static_root: bool,
}

/// The Django project of the app, if it is one.
pub(super) fn detect(files: &ProjectFiles, deps: &[Dep]) -> Option<Django> {
    if !deps.iter().any(|d| d.name == "django") {
        return None;
    }
    let manage = files.read("manage.py")?;
    let settings = settings_module(&manage).and_then(|m| super::start::module_file(files, &m));
    let value = settings
        .as_ref()
        .and_then(|f| files.read(f))
        .and_then(|text| setting(&text, "STATIC_ROOT"));
    let static_root = value.as_deref().and_then(static_root);
    Some(Django {
        settings,
        unread_static_root: value.is_some() && static_root.is_none(),
        static_root,
    })
}

/// The `detected` lines.
pub(super) fn detected(d: &Django) -> Vec<String> {
    let mut out = Vec::new();
    let settings = d.settings.as_deref().unwrap_or("the settings");
    if let Some(root) = &d.static_root {
        out.push(format!(
            "Django: `STATIC_ROOT` is set in {settings}: `python manage.py collectstatic --noinput` runs in the build, and the image gets `{root}`"
        ));
    } else if d.unread_static_root {
        out.push(format!(
            "Django: `STATIC_ROOT` in {settings} is neither under `BASE_DIR` nor an absolute path: collectstatic does not run (write `STATIC_ROOT = BASE_DIR / \"staticfiles\"`)"
        ));
    }
    out.push(
        "Django: migrations do not run at start; run them once per release, e.g. `docker run --rm <image> python manage.py migrate`".into(),
    );
    out
}

/// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")` -> `mysite.settings`.
fn settings_module(manage: &str) -> Option<String> {
    let line = manage
        .lines()
        .find(|l| l.contains("DJANGO_SETTINGS_MODULE") && l.contains(','))?;
    let (_, value) = line.split_once(',')?;
    let value = value.trim();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = value[1..].split(quote).next()?;
    let ok = !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    ok.then(|| inner.to_string())
}

/// The value of `NAME = <value>` at the top level of a settings file, unless `None`.
fn setting(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix(name)?.trim_start().strip_prefix('=')?;
        let value = value.split('#').next().unwrap_or("").trim();
        (!value.starts_with('=') && !value.is_empty() && value != "None").then(|| value.to_string())
    })
}

/// `STATIC_ROOT`'s value as a path in the image: `BASE_DIR / "staticfiles"`,
/// `os.path.join(BASE_DIR, "staticfiles")` (under the app's folder) or `"/var/www/static"`.
fn static_root(value: &str) -> Option<String> {
    let strings: Vec<&str> = value.split(['"', '\'']).skip(1).step_by(2).collect();
    let safe = |p: &str| {
        !p.is_empty()
            && p.split('/').all(|part| part != "..")
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_-.".contains(c))
    };
    if value.contains("BASE_DIR") {
        let rel = strings.join("/");
        let rel = rel.trim_matches('/');
        return safe(rel).then(|| format!("{APP_DIR}/{rel}"));
    }
    match strings.as_slice() {
        [path] if path.starts_with('/') && safe(path) && value.trim().len() == path.len() + 2 => {
            Some(path.trim_end_matches('/').to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_settings_module() {
        assert_eq!(
            settings_module(
                "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
            )
            .as_deref(),
            Some("mysite.settings")
        );
        assert_eq!(
            settings_module(
                "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings.prod\")"
            )
            .as_deref(),
            Some("config.settings.prod")
        );
        assert_eq!(
            settings_module("os.environ.setdefault('DJANGO_SETTINGS_MODULE', x)"),
            None
        );
    }

    #[test]
    fn static_root_set_or_not() {
        let root = |t: &str| setting(t, "STATIC_ROOT");
        assert_eq!(
            root("STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'  # collected\n")
                .as_deref(),
            Some("BASE_DIR / 'staticfiles'")
        );
        assert_eq!(root("STATIC_URL = 'static/'\n"), None);
        assert_eq!(root("STATIC_ROOT = None\n"), None);
        assert_eq!(root("# STATIC_ROOT = 'x'\n    STATIC_ROOT = 'y'\n"), None);
        assert_eq!(root("STATIC_ROOTS = 'x'\n"), None);
    }

    #[test]
    fn static_root_paths() {
        let p = |v: &str| static_root(v);
        assert_eq!(
            p("BASE_DIR / 'staticfiles'").as_deref(),
            Some("/app/staticfiles")
        );
        assert_eq!(
            p("os.path.join(BASE_DIR, \"static\", \"root\")").as_deref(),
            Some("/app/static/root")
        );
        assert_eq!(
            p("\"/var/www/static/\"").as_deref(),
            Some("/var/www/static")
        );
        assert_eq!(p("env('STATIC_ROOT')"), None);
        assert_eq!(p("BASE_DIR / '../x'"), None);
        assert_eq!(p("'relative'"), None);
    }
}
