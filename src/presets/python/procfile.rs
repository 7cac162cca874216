//! The `Procfile`'s `web` process (or its lone `worker`) as the start command: the author's own
//! way to start the app, ahead of anything the preset would infer. A command that needs no
//! shell runs in exec form; one that does (`--bind 0.0.0.0:$PORT`) runs with `sh -c`, as
//! `exec` so the server gets the container's signals. `$PORT`, which platforms set, defaults
//! to the preset's port in the image.

use crate::presets::common::{not_started, plain_words, sh_c, Procfile};
use crate::presets::detect::ports_in_source;
use crate::presets::python::start::Start;
use crate::presets::python::{codes, DEFAULT_PORT};
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// The start command of the app's `Procfile`, if it has a process that serves the app.
pub(super) fn start(files: &ProjectFiles) -> Option<Start> {
    let procfile = Procfile::read(files)?;
    let (name, command) = procfile.app()?;
    let uses_port = command.contains("$PORT") || command.contains("${PORT");
    let words = plain_words(command).unwrap_or_else(|| sh_c(command));
    let port = if uses_port {
        Some(DEFAULT_PORT)
    } else {
        ports_in_source(command).first().copied()
    };
    let mut why = format!("the `{name}` process of the Procfile");
    if uses_port {
        why.push_str(&format!(
            "; `PORT` is {DEFAULT_PORT} unless the platform sets it"
        ));
    }
    why.push_str(&not_started(&procfile.others(name)));
    Some(Start {
        command: words,
        why,
        port,
        source: None,
        port_env: uses_port,
    })
}

/// The error for a Procfile command that needs a shell on a final image without one.
pub(super) fn check_shell(start: &Start, flavour: &str) -> Option<PresetError> {
    start.needs_shell().then(|| {
        PresetError::new(
            codes::PROCFILE_NEEDS_SHELL,
            Blame::RuntimeBase,
            format!(
                "the Procfile's command `{}` needs a shell, and `{flavour}` has none",
                start
                    .command
                    .last()
                    .map_or("", |c| c.strip_prefix("exec ").unwrap_or(c))
            ),
        )
        .help("use `base = \"slim\"` in `[runtime]`, or set `start` in `[preset]` to the command as a list of words")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::ProjectFiles;

    fn start_of(procfile: &str) -> Option<Start> {
        let dir = std::env::temp_dir().join(format!(
            "stagegen-python-procfile-{}-{}",
            std::process::id(),
            procfile.len()
        ));
        std::fs::create_dir_all(&dir).ok()?;
        std::fs::write(dir.join("Procfile"), procfile).ok()?;
        let files = ProjectFiles::new(&dir);
        let found = start(&files);
        std::fs::remove_dir_all(&dir).ok();
        found
    }

    #[test]
    fn web_with_port_runs_in_a_shell() {
        let s = start_of("web: gunicorn shop:app --bind 0.0.0.0:$PORT\nworker: python -m shop.tasks\nrelease: python manage.py migrate\n").unwrap();
        assert_eq!(
            s.command,
            ["sh", "-c", "exec gunicorn shop:app --bind 0.0.0.0:$PORT"]
        );
        assert_eq!((s.port, s.port_env), (Some(8000), true));
        assert!(s.why.contains("not started: `worker`") && !s.why.contains("release"));
        let e = check_shell(&s, "distroless").unwrap();
        assert!(e.message.contains("needs a shell"), "{}", e.message);
    }

    #[test]
    fn plain_commands_run_in_exec_form() {
        let s = start_of("web: uvicorn app:app --host 0.0.0.0 --port 9000\n").unwrap();
        assert_eq!(s.command[0], "uvicorn");
        assert_eq!((s.port, s.port_env), (Some(9000), false));
        assert!(check_shell(&s, "distroless").is_none());
        let w = start_of("worker: python worker.py\n").unwrap();
        assert_eq!(
            (w.command.join(" "), w.port),
            ("python worker.py".to_string(), None)
        );
        assert!(start_of("worker: a\nclock: b\n").is_none());
        let chained = start_of("web: cd web && gunicorn app:app\n").unwrap();
        assert_eq!(chained.command[2], "cd web && gunicorn app:app");
    }
}
