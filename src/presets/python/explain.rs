//! The `stagegen explain` texts of the Python preset's codes (SG6xx): what was found, what would
//! go wrong in the build or the image, and the knob or file that fixes it.

use super::codes;

/// The text of `id`, when it is one of this preset's codes.
pub(super) fn text(id: &str) -> Option<&'static str> {
    project(id).or_else(|| image(id))
}

/// The texts of the codes about the app's manifests, its package manager and its Python.
fn project(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::INVALID_VERSION.id => {
            "`version` in `[preset]` picks the CPython of the builder and the final image \
             (distroless python3 for 3.13, else `python:<version>-slim`), and the value is not a CPython 3 version: `latest`, \
             `2.7` or a word. Write a minor version: `version = \"3.12\"`."
        }
        id if id == codes::UNKNOWN_MANAGER.id => {
            "`package-manager` names a tool the preset cannot install with. It knows `pip`, \
             `poetry`, `uv` and `pipenv`, each installing from its own files into a virtual \
             environment. Write one of them, or leave the knob out: the preset picks the one \
             whose lock file (or manifest) the app has."
        }
        id if id == codes::UNREADABLE_MANIFEST.id => {
            "The preset reads `pyproject.toml` or `Pipfile` to find the dependencies, the Python \
             version and the console scripts, and the file is not valid TOML; `pip`, `poetry` \
             or `pipenv` would fail on it in the build too. The message gives the parser's \
             error; fix the file's syntax."
        }
        id if id == codes::MANAGER_NEEDS_FILE.id => {
            "`package-manager` names a tool whose files the build context lacks: `uv` needs \
             `pyproject.toml` and `uv.lock`, `poetry` needs `pyproject.toml` and `poetry.lock`, \
             `pipenv` needs `Pipfile` and `Pipfile.lock`, `pip` needs `requirements.txt` or \
             `pyproject.toml`. The build installs exactly what the lock pins: create it \
             (`uv lock`, `poetry lock`, `pipenv lock`) and commit it, or choose the manager \
             whose files the app has."
        }
        id if id == codes::SEVERAL_LOCK_FILES.id => {
            "The app has the lock files of more than one package manager (`uv.lock` and \
             `poetry.lock`, say), so which pins the build should install is unclear, and one of \
             them is likely stale. Name the one to use, `package-manager = \"uv\"` in \
             `[preset]`, or delete the stale lock file."
        }
        id if id == codes::NO_LOCK_FILE.id => {
            "The app declares its dependencies for a manager that installs from a lock file, a \
             `Pipfile` or Poetry dependencies in `pyproject.toml`, and the lock file is missing, \
             so the build could not install pinned versions. Run `pipenv lock` (or \
             `poetry lock`) and commit the lock file."
        }
        id if id == codes::NO_MANIFEST.id => {
            "The preset installs the app's dependencies from `requirements.txt`, \
             `pyproject.toml` or a lock file (`uv.lock`, `poetry.lock`, `Pipfile.lock`), and the \
             build context has none of them, nor a lone script to run. Add one; an app without \
             dependencies needs an empty `requirements.txt`. If the app is in a subfolder, \
             point `context` at it."
        }
        id if id == codes::INVALID_VERSION_FILE.id => {
            "A file that pins the app's Python (`.python-version`, `runtime.txt`, \
             `.tool-versions` or mise's file) names something that is not a CPython 3 \
             version, such as `python-2.7.18`, so no image fits it. Fix the file (`3.12` in \
             `.python-version`, `python-3.12.4` in `runtime.txt`), or set `version = \"3.12\"` \
             in `[preset]`, which wins over the files."
        }
        id if id == codes::UNREADABLE_CONSTRAINT.id => {
            "The app's Python constraint (`requires-python` in pyproject.toml, Poetry's \
             `python` dependency or the Pipfile's `[requires]`) is not a version range stagegen \
             can read, so it cannot choose the image's Python. Write a range such as \
             `requires-python = \">=3.11\"`, or set `version = \"3.12\"` in `[preset]`."
        }
        id if id == codes::NO_VERSION_FITS.id => {
            "The app's Python constraint (`requires-python` in pyproject.toml, Poetry's \
             `python` dependency or the Pipfile's `[requires]`) allows none of the Python \
             versions the preset builds with; the message lists them. Widen the constraint \
             (`>=3.10`), or set `version` in `[preset]` to one of the listed versions."
        }
        id if id == codes::VERSION_TOO_OLD.id => {
            "The Python the app asks for is older than the oldest the preset builds (3.10): \
             the pinned build tools (uv, Poetry, Pipenv) need 3.10 or newer. Upgrade the app and its \
             `version` (or the file it was read from) to a supported Python, such as \
             `version = \"3.12\"`."
        }
        id if id == codes::MISSING_INCLUDE.id => {
            "A requirements file includes another with `-r` or `-c` \
             (`-r requirements/base.txt`), and that file is not in the build context, so \
             `pip install` would fail in the build. Add the file to the context, or fix the \
             `-r`/`-c` line to name one that is there."
        }
        _ => return None,
    };
    Some(text)
}

/// The texts of the codes about the final image and the start command.
fn image(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::EMPTY_START.id => {
            "`start` is the command the image runs, as a list of words, and it is empty (or its \
             first word is), so the container would have no program to run. Write the command: \
             `start = [\"gunicorn\", \"app:app\"]`, or leave `start` out to let the preset find \
             it."
        }
        id if id == codes::UNSUPPORTED_BASE.id => {
            "`base` in `[runtime]` names an image the Python app cannot run on: `scratch` has no \
             interpreter, and on `alpine` (musl) the wheels pip installs for glibc do not load. \
             Use `base = \"slim\"` (`python:<version>-slim`) or `base = \"distroless\"`, \
             or leave `base` out for the default: distroless when the app can run on it."
        }
        id if id == codes::DISTROLESS_VERSION.id => {
            "`base = \"distroless\"` runs the app on distroless python3, whose images have one \
             Python each: 3.13 (`python3-debian13`) and 3.11 (`python3-debian12`, no longer \
             updated), and the app asks for another, in `version` or its version file or \
             constraint. The venv would be built for an interpreter the image lacks. Use \
             `base = \"slim\"` in `[runtime]` for other versions, or allow Python 3.13. \
             Without `base`, such an app gets `python:<version>-slim` by default."
        }
        id if id == codes::NO_START.id => {
            "The preset found no way to start the app: no server in the dependencies with a web \
             app to serve (uvicorn, gunicorn, flask, ...), no console script, no `__main__.py`, \
             none of `app.py`, `main.py`, `server.py`, `run.py`, no script with an \
             `if __name__ == \"__main__\":` block, and no Procfile. Set the command: \
             `start = [\"python\", \"app.py\"]` in `[preset]`, or a `web:` line in a `Procfile`."
        }
        id if id == codes::SEVERAL_STARTS.id => {
            "The preset found more than one way to start the app (say `app.py` and `main.py`, or \
             a console script and a web app), and an image runs one command, so it does not \
             guess. The message lists them; choose one with `start` in `[preset]`: \
             `start = [\"python\", \"app.py\"]` (`stagegen init --start \"python app.py\"`)."
        }
        id if id == codes::SYSTEM_PACKAGES_NEED_APT.id => {
            "Some dependencies load system libraries or run programs at run time \
             (`mysqlclient` needs `libmariadb3`, `pdf2image` needs `poppler-utils`), which the \
             preset installs with apt into the final image, and the `distroless` image has no \
             apt. Use `base = \"slim\"` in `[runtime]`, or an image of your own that has apt."
        }
        id if id == codes::PROCFILE_NEEDS_SHELL.id => {
            "The Procfile's command uses shell syntax (`$PORT`, `&&`, a pipe), which the image \
             would run with `sh -c`, and the final image (`distroless`) has no shell. Use \
             `base = \"slim\"` in `[runtime]`, or set `start` in `[preset]` to the command as a \
             list of words without shell syntax: \
             `start = [\"gunicorn\", \"app:app\", \"--bind\", \"0.0.0.0:8000\"]`."
        }
        _ => return None,
    };
    Some(text)
}
