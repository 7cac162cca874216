//! The `Procfile`'s `web` process (or its lone `worker`) as the Bun app's start command, ahead
//! of the start scripts and `main` (only the `start` knob wins over it), with `bun` as PID 1:
//! `bun [run] <file>` as it is (watch flags dropped), `node <file>` run by bun (the image has no
//! Node), and `bun start`, `bun run <script>`, `npm start`, `npm run <script>` (yarn's, pnpm's)
//! the script it runs, as the start script would be. Words with shell syntax (`--port $PORT`)
//! are kept as written and the command runs with `sh -c`, as `exec`, which distroless does not
//! have; when the `web` command reads `$PORT`, the image sets `PORT` (a platform's wins). The
//! word reading is the Node preset's ([`crate::presets::node::procfile`]).

use crate::presets::bun::codes;
use crate::presets::bun::start::{bun_file, bun_words, from_script, Start};
use crate::presets::common::{not_started, sh_c, Procfile};
use crate::presets::node::manifest::Manifest;
use crate::presets::node::procfile::{
    first_program, holes, is_assignment, refilled, runnable, script_run, shell_words, HOLE,
    SHELL_LINE, SHELL_WORD,
};
use crate::presets::{Blame, Detection, PresetError};
use crate::project::ProjectFiles;

/// The port a `web` command that reads `$PORT` gets when its file names none (`Bun.serve`'s).
const DEFAULT_PORT: u16 = 3000;
/// How deep scripts that run scripts are followed.
const MAX_DEPTH: usize = 3;

/// Which runtime the Procfile's process names, for init: `Some(Some(why))` for bun,
/// `Some(None)` for node, `None` when it has none or runs a script (the scripts decide).
pub(crate) fn runtime(files: &ProjectFiles) -> Option<Option<String>> {
    let procfile = Procfile::read(files)?;
    let (name, command) = procfile.app()?;
    let first = command
        .split_whitespace()
        .find(|w| !is_assignment(w) && *w != "exec")?;
    match first {
        "bun" if !runs_script(command) => Some(Some(format!(
            "the `{name}` process of the Procfile runs bun"
        ))),
        "node" => Some(None),
        _ => None,
    }
}

/// Whether a `bun` command runs a package.json script (`bun start`, `bun run start`).
fn runs_script(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    matches!(words.as_slice(), ["bun", "start", ..])
        || matches!(words.as_slice(), ["bun", "run", name, ..] if !name.contains('.') && !name.contains('/'))
}

/// The app's Procfile command as its start, if it has a process that serves the app; an error
/// when bun cannot run it.
pub(super) fn start(files: &ProjectFiles, m: &Manifest) -> Option<Result<Start, PresetError>> {
    let procfile = Procfile::read(files)?;
    let (name, command) = procfile.app()?;
    let shown = format!("the `{name}` process of the Procfile");
    let mut start = match command_start(&shown, command, m, files) {
        Ok(start) => start,
        Err(why) => return Some(Err(cannot_run(name, command, &why))),
    };
    if start.words.join(" ") != command.trim() {
        start.source = start
            .source
            .replacen(&shown, &format!("{shown} (`{command}`)"), 1);
    }
    if name == "web" && (command.contains("$PORT") || command.contains("${PORT")) {
        let mut found = Detection::default();
        if let Some(file) = &start.file {
            found.ports_from(files, file);
        }
        let port = found.ports.first().map_or(DEFAULT_PORT, |(p, _)| *p);
        start.env.push(("PORT".into(), port.to_string()));
        start
            .source
            .push_str(&format!("; `PORT` is {port} unless the platform sets it"));
    }
    start.source.push_str(&not_started(&procfile.others(name)));
    Some(Ok(start))
}

/// The start a command makes, or why bun cannot run it.
fn command_start(
    shown: &str,
    command: &str,
    m: &Manifest,
    files: &ProjectFiles,
) -> Result<Start, String> {
    let command = command.trim();
    let command = command.strip_prefix("exec ").unwrap_or(command).trim();
    let (prefix, plain, taken) = holes(command);
    if command.contains(|c| SHELL_LINE.contains(c)) || plain.starts_with(HOLE) {
        return shell_line(shown, command, files);
    }
    let mut start = plain_start(shown, &plain, m, files, 0)?;
    if taken.is_empty() && prefix.is_empty() {
        return Ok(start);
    }
    start.words = refilled(&start.words, &taken, &prefix);
    start.file = start.file.filter(|f| !f.contains(HOLE));
    start.needs_shell = true;
    start.shell_syntax = true;
    Ok(start)
}

/// A command of plain words: a script run, a `bun` command, `node <file>` run by bun.
fn plain_start(
    shown: &str,
    command: &str,
    m: &Manifest,
    files: &ProjectFiles,
    depth: usize,
) -> Result<Start, String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| !is_assignment(w))
        .unwrap_or(words.len());
    let (env, rest) = words.split_at(at);
    let env: Vec<(String, String)> = env
        .iter()
        .filter_map(|w| w.split_once('='))
        .filter(|(k, _)| *k != "NODE_ENV")
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let script = match rest {
        ["bun", "start", args @ ..] => Some(("start", args)),
        ["bun", "run", name, args @ ..] if m.script(name).is_some() => Some((*name, args)),
        _ => script_run(rest),
    };
    let mut start = match (script, rest) {
        (Some((name, args)), _) => script_start(shown, name, args, m, files, depth)?,
        (None, ["bun", ..]) => {
            let words = bun_words(&rest.join(" "))
                .ok_or_else(|| format!("`{}` is not a command bun runs", rest.join(" ")))?;
            Start {
                file: bun_file(&words[1..], files),
                words,
                source: shown.to_string(),
                ..Start::default()
            }
        }
        (None, ["node", args @ ..]) => {
            let words: Vec<String> = std::iter::once("bun")
                .chain(args.iter().copied())
                .map(str::to_string)
                .collect();
            Start {
                file: bun_file(&words[1..], files),
                words,
                source: format!("{shown}, run by bun (the image has no Node)"),
                ..Start::default()
            }
        }
        _ => {
            return Err(format!(
                "`{}` is not a `bun` or `node` command, or a package.json script",
                rest.first().unwrap_or(&"")
            ))
        }
    };
    start.env.splice(0..0, env);
    Ok(start)
}

/// A package.json script a command runs, with its arguments: read as a command itself when it
/// is plain, else run by `bun run` (with a shell).
fn script_start(
    shown: &str,
    name: &str,
    args: &[&str],
    m: &Manifest,
    files: &ProjectFiles,
    depth: usize,
) -> Result<Start, String> {
    let Some(script) = m.script(name) else {
        return Err(format!("package.json has no `{name}` script"));
    };
    let plain = !script.contains(|c| SHELL_LINE.contains(c) || SHELL_WORD.contains(c));
    let shown = format!("{shown}: package.json `{name}` script (`{script}`)");
    if plain && depth < MAX_DEPTH {
        let line: Vec<&str> = script
            .split_whitespace()
            .chain(args.iter().copied())
            .collect();
        if let Ok(start) = plain_start(&shown, &line.join(" "), m, files, depth + 1) {
            return Ok(start);
        }
    }
    let mut start = from_script(name, script, files);
    start.words.extend(args.iter().map(|a| a.to_string()));
    start.source = format!("{shown}, run by `bun run`");
    Ok(start)
}

/// A command kept whole for `sh -c`, as `exec` unless it chains commands; it must start with
/// bun, a path, a file of the app or a shell builtin.
fn shell_line(shown: &str, command: &str, files: &ProjectFiles) -> Result<Start, String> {
    let first = first_program(&shell_words(command));
    if !runnable(first, "bun", |f| files.is_file(f)) {
        return Err(format!(
            "it runs `{first}` in a shell, which is not on the image's PATH"
        ));
    }
    Ok(Start {
        words: sh_c(command),
        source: format!("{shown}, run by `sh -c`"),
        needs_shell: true,
        shell_syntax: true,
        ..Start::default()
    })
}

/// SG974: the Procfile's command is not one bun can run.
fn cannot_run(name: &str, command: &str, why: &str) -> PresetError {
    PresetError::new(
        codes::PROCFILE_CANNOT_RUN,
        Blame::Table,
        format!("the Procfile's `{name}` command `{command}` cannot start the app in the image: {why}"),
    )
    .help(format!(
        "write the `{name}` process as `bun <file>` (or `bun run <script>`), or set `start = [\"bun\", \"<file>\"]` in `[preset]`, which wins over the Procfile"
    ))
}

/// SG973: the Procfile's command needs a shell, and the final image has none.
pub(super) fn needs_shell(start: &Start) -> PresetError {
    let line = start.words.last().map_or("", String::as_str);
    PresetError::new(
        codes::PROCFILE_NEEDS_SHELL,
        Blame::RuntimeBase,
        format!(
            "the Procfile's command `{}` needs a shell, and distroless has none",
            line.strip_prefix("exec ").unwrap_or(line)
        ),
    )
    .help("use `base = \"slim\"` in `[runtime]`, or write the command without shell syntax (`Bun.serve` reads `PORT` itself)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start_of(procfile: &str, json: &str, more: &[(&str, &str)]) -> Result<Start, PresetError> {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("Procfile"), procfile).expect("write");
        for (path, text) in more {
            std::fs::write(dir.path().join(path), text).expect("write");
        }
        let files = ProjectFiles::new(dir.path());
        let m = Manifest::parse(json).expect("manifest");
        start(&files, &m).expect("a process")
    }

    #[test]
    fn bun_commands_and_scripts() {
        let json = r#"{"scripts":{"start":"bun src/index.ts","serve":"bun run start","build":"tsc && echo"}}"#;
        for procfile in [
            "web: bun src/index.ts",
            "web: bun --hot src/index.ts",
            "web: bun start",
            "web: npm run serve",
            "web: node src/index.ts",
        ] {
            let s = start_of(procfile, json, &[]).expect(procfile);
            assert_eq!(s.words, ["bun", "src/index.ts"], "{procfile}");
            assert!(!s.needs_shell, "{procfile}");
        }
        let s = start_of("web: bun run build", json, &[]).expect("a script with a shell");
        assert_eq!(s.words, ["bun", "run", "build"]);
        assert!(s.needs_shell && !s.shell_syntax);
        let s = start_of(
            "web: bun src/index.ts --port $PORT\nworker: bun jobs.ts\n",
            json,
            &[],
        )
        .expect("shell syntax");
        assert_eq!(s.words[2], "exec bun src/index.ts --port $PORT");
        assert!(s.shell_syntax);
        assert_eq!(s.env, [("PORT".to_string(), "3000".to_string())]);
        assert!(s.source.contains("not started: `worker`"));
        assert!(needs_shell(&s).message.contains("needs a shell"));
    }

    #[test]
    fn what_bun_cannot_run() {
        for procfile in [
            "web: gunicorn app:app",
            "web: npm run missing",
            "web: next start -p \"$PORT\"",
        ] {
            let e = start_of(procfile, "{}", &[]).expect_err(procfile);
            assert_eq!(e.code, codes::PROCFILE_CANNOT_RUN, "{procfile}");
        }
    }

    #[test]
    fn the_runtime_it_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = ProjectFiles::new(dir.path());
        let with = |text: &str| {
            std::fs::write(dir.path().join("Procfile"), text).expect("write");
            runtime(&files)
        };
        assert!(matches!(with("web: bun src/index.ts\n"), Some(Some(_))));
        assert_eq!(with("web: node server.js\n"), Some(None));
        assert_eq!(with("web: bun run start\n"), None);
        assert_eq!(with("web: npm start\n"), None);
    }
}
