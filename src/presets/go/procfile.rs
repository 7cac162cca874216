//! The `Procfile`'s `web` process (or its lone `worker`) as the Go program's command: the
//! program it names (`bin/api`, `./api`, `api`: the name `go install` gives a main package, as
//! Heroku's Go buildpack builds them) decides the main package when the module has several,
//! and the words after it are the program's arguments. A command that needs no shell runs in
//! exec form; one that does (`bin/api -port=$PORT`) runs with `sh -c`, as `exec`, which
//! distroless and scratch do not have.

use crate::presets::common::{not_started, plain_words, Procfile};
use crate::presets::go::codes;
use crate::presets::go::packages::default_binary;
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// How the Procfile starts the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    /// The program's arguments, in exec form.
    Exec(Vec<String>),
    /// A shell command line, the program's word still as the Procfile wrote it (the stage
    /// puts the program's path in its place).
    Shell { line: String, program: String },
}

/// The Procfile's process, read against the module's main packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProcfileStart {
    /// `web` or the lone process's name.
    pub process: String,
    /// The main package its program is built from (`./cmd/api`).
    pub main: String,
    pub command: Command,
    /// Whether the command reads `$PORT`.
    pub reads_port: bool,
    /// The Procfile's other processes (not `release`), which the image does not start.
    pub others: Vec<String>,
}

/// What the Procfile names, against the candidate main packages: all those found, or the one
/// `main` names. `binary` (the knob) is also a name of the program when there is one candidate.
pub(super) struct Programs<'a> {
    pub mains: &'a [String],
    pub module: Option<&'a str>,
    pub binary: Option<&'a str>,
}

impl Programs<'_> {
    /// The main package built into the program `word` names (`bin/api` -> `./cmd/api`).
    fn main_of(&self, word: &str) -> Option<&str> {
        let name = program_name(word)?;
        self.mains
            .iter()
            .find(|m| {
                default_binary(m, self.module) == name
                    || (self.mains.len() == 1 && self.binary == Some(name))
            })
            .map(String::as_str)
    }

    /// `bin/api` (`./cmd/api`), for the help of an error.
    fn listed(&self) -> String {
        self.mains
            .iter()
            .map(|m| {
                let name = match (self.mains.len(), self.binary) {
                    (1, Some(b)) => b.to_string(),
                    _ => default_binary(m, self.module),
                };
                format!("`bin/{name}` ({m})")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `bin/api`, `./bin/api`, `/app/bin/api`, `./api`, `api` -> `api`; `None` for a word that
/// is no program path (`$PORT`, `-flag`).
fn program_name(word: &str) -> Option<&str> {
    let name = word.rsplit('/').next()?;
    let valid = !name.is_empty()
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    valid.then_some(name)
}

/// The app's Procfile process, if it has one that serves the app; an error when its command
/// runs no program of the module.
pub(super) fn read(
    files: &ProjectFiles,
    programs: &Programs<'_>,
) -> Option<Result<ProcfileStart, PresetError>> {
    let procfile = Procfile::read(files)?;
    let (name, command) = procfile.app()?;
    let others = procfile.others(name);
    let reads_port = command.contains("$PORT") || command.contains("${PORT");
    let found = match plain_words(command) {
        Some(words) => programs
            .main_of(&words[0])
            .map(|main| (main, Command::Exec(words[1..].to_vec()))),
        None => command.split_whitespace().find_map(|word| {
            let main = programs.main_of(word)?;
            let line = command.strip_prefix("exec ").unwrap_or(command).to_string();
            Some((
                main,
                Command::Shell {
                    line,
                    program: word.to_string(),
                },
            ))
        }),
    };
    Some(match found {
        Some((main, command)) => Ok(ProcfileStart {
            process: name.to_string(),
            main: main.to_string(),
            command,
            reads_port,
            others,
        }),
        None => Err(runs_no_program(name, command, programs)),
    })
}

fn runs_no_program(name: &str, command: &str, programs: &Programs<'_>) -> PresetError {
    let help = if programs.mains.is_empty() {
        "the module has no main package to build: add one, or remove the Procfile".to_string()
    } else {
        format!(
            "start the `{name}` process with the program of a main package: {}",
            programs.listed()
        )
    };
    PresetError::new(
        codes::PROCFILE_RUNS_NO_PROGRAM,
        Blame::Table,
        format!("the Procfile's `{name}` command `{command}` runs no program this module builds"),
    )
    .help(help)
}

/// The `detected` line of the start command, with the processes the image does not start.
pub(super) fn detected(p: &ProcfileStart, binary: &str) -> String {
    let path = format!("/app/{binary}");
    let command = match &p.command {
        Command::Exec(args) => std::iter::once(path)
            .chain(args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" "),
        Command::Shell { line, program } => format!("sh -c {}", shell_line(line, program, &path)),
    };
    let mut line = format!(
        "start: {command} (the `{}` process of the Procfile",
        p.process
    );
    line.push_str(&not_started(&p.others));
    line.push(')');
    line
}

/// The error for a Procfile command that needs a shell on a final image without one.
pub(super) fn needs_shell(start: &ProcfileStart, flavour: &str) -> Option<PresetError> {
    let Command::Shell { line, .. } = &start.command else {
        return None;
    };
    Some(
        PresetError::new(
            codes::PROCFILE_NEEDS_SHELL,
            Blame::RuntimeBase,
            format!("the Procfile's command `{line}` needs a shell, and `{flavour}` has none"),
        )
        .help("use `base = \"alpine\"` or `\"slim\"` in `[runtime]`, or write the command without shell syntax (a Go program reads `PORT` itself with `os.Getenv`)"),
    )
}

/// The shell line that runs the program at `path`, as `exec` so it gets the container's
/// signals.
pub(super) fn shell_line(line: &str, program: &str, path: &str) -> String {
    let line = line
        .split_whitespace()
        .map(|w| if w == program { path } else { w })
        .collect::<Vec<_>>()
        .join(" ");
    if line.contains(['&', ';', '|']) {
        line
    } else {
        format!("exec {line}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programs<'a>(mains: &'a [String], binary: Option<&'a str>) -> Programs<'a> {
        Programs {
            mains,
            module: Some("github.com/acme/shop"),
            binary,
        }
    }

    #[test]
    fn names_of_programs() {
        let mains = vec!["./cmd/api".to_string(), "./cmd/worker".to_string()];
        let p = programs(&mains, None);
        assert_eq!(p.main_of("bin/worker"), Some("./cmd/worker"));
        assert_eq!(p.main_of("./bin/api"), Some("./cmd/api"));
        assert_eq!(p.main_of("/app/bin/api"), Some("./cmd/api"));
        assert_eq!(p.main_of("api"), Some("./cmd/api"));
        assert_eq!(p.main_of("go"), None);
        assert_eq!(p.main_of("$PORT"), None);
        let root = vec![".".to_string()];
        assert_eq!(programs(&root, None).main_of("bin/shop"), Some("."));
        assert_eq!(programs(&root, Some("server")).main_of("server"), Some("."));
        assert_eq!(programs(&mains, Some("server")).main_of("server"), None);
        assert_eq!(
            p.listed(),
            "`bin/api` (./cmd/api), `bin/worker` (./cmd/worker)"
        );
    }

    #[test]
    fn shell_lines_run_the_built_program() {
        assert_eq!(
            shell_line("bin/api -port=$PORT", "bin/api", "/app/api"),
            "exec /app/api -port=$PORT"
        );
        assert_eq!(
            shell_line("bin/api migrate && bin/api", "bin/api", "/app/api"),
            "/app/api migrate && /app/api"
        );
    }
}
