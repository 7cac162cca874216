//! The `Procfile`'s `web` process (or its lone `worker`) as the Node app's start command: the
//! author's own way to start the app, ahead of the framework's entry, the start scripts and
//! `main` (Heroku runs it over `npm start`); only the `start` knob wins over it. The command
//! becomes the exec-form start a start script would: `node <file>`, a production dependency's
//! binary run by node, `tsx` as node's loader, a script file with its interpreter; `npm start`,
//! `npm run <script>` (and yarn's, pnpm's) the script it runs, `npx <bin>` the binary, so node
//! stays PID 1 and the image needs no package manager. Words with shell syntax (`--port
//! $PORT`) are kept as written and the command runs with `sh -c`, as `exec`, which distroless
//! does not have; when the `web` command reads `$PORT`, the image sets `PORT` (a platform's
//! wins).

use crate::presets::common::{not_started, sh_c, Procfile};
use crate::presets::node::codes;
use crate::presets::node::manifest::Manifest;
use crate::presets::node::package_manager::join;
use crate::presets::node::script::{self, LockBins};
use crate::presets::node::start::{node_command, Entry};
use crate::presets::{Blame, Detection, PresetError};
use crate::project::ProjectFiles;

/// Characters that make a command a shell line kept whole: operators, quotes, escapes.
pub(crate) const SHELL_LINE: &str = "&|;<>`()\"'\\\n";
/// Characters that make one word need a shell (`$PORT`, a glob): it is kept as written.
pub(crate) const SHELL_WORD: &str = "$*?[]{}~!#";
/// What stands in for a word with shell syntax while the command is read (no shell syntax in
/// it, and nothing a file or a flag is named).
pub(crate) const HOLE: &str = "\u{1}word";
/// Package managers, which the final image does not hold.
const PACKAGE_MANAGERS: &[&str] = &["npm", "npx", "yarn", "pnpm", "pnpx", "corepack"];
/// Shell builtins a kept shell line may start with.
pub(crate) const BUILTINS: &[&str] = &[
    "cd", "export", "exec", "set", "ulimit", "umask", "test", "[",
];
/// The port a `web` command that reads `$PORT` gets when its sources name none.
const DEFAULT_PORT: u16 = 3000;
/// How deep `npm run` may run scripts that run scripts.
const MAX_DEPTH: usize = 3;

/// The app's Procfile command as its start, if it has a process that serves the app; an error
/// when the image cannot run it.
pub(super) fn start(
    files: &ProjectFiles,
    m: &Manifest,
    dir: &str,
) -> Option<Result<Entry, PresetError>> {
    let procfile = Procfile::read_at(files, &join(dir, "Procfile"))?;
    let (name, command) = procfile.app()?;
    let cx = Reader {
        m,
        files,
        dir,
        bins: LockBins::read(files),
    };
    let shown = format!("the `{name}` process of the Procfile");
    let mut entry = match cx.command(&shown, command, 0) {
        Ok(entry) => entry,
        Err(why) => return Some(Err(cannot_run(name, command, &why))),
    };
    if entry.words.join(" ") != command.trim() {
        // What the Procfile wrote, when the command differs from it.
        entry.source = entry
            .source
            .replacen(&shown, &format!("{shown} (`{command}`)"), 1);
    }
    if name == "web" && reads_port(command) {
        let port = port_of(&entry, files, dir);
        entry.env.push(("PORT".to_string(), port.to_string()));
        entry
            .source
            .push_str(&format!("; `PORT` is {port} unless the platform sets it"));
        entry.default_port = Some((port, "the `PORT` the Procfile's command reads".into()));
    }
    entry.source.push_str(&not_started(&procfile.others(name)));
    Some(Ok(entry))
}

/// Whether a command reads the `PORT` variable.
fn reads_port(command: &str) -> bool {
    command.contains("$PORT") || command.contains("${PORT")
}

/// The port the file the command runs names, else [`DEFAULT_PORT`].
fn port_of(entry: &Entry, files: &ProjectFiles, dir: &str) -> u16 {
    let mut found = Detection::default();
    if let Some(file) = &entry.file {
        found.ports_from(files, &join(dir, file));
    }
    found.ports.first().map_or(DEFAULT_PORT, |(p, _)| *p)
}

/// What a command is read against: the app's package.json, files and binaries.
struct Reader<'a> {
    m: &'a Manifest,
    files: &'a ProjectFiles,
    dir: &'a str,
    bins: LockBins,
}

impl Reader<'_> {
    /// The start a command makes, or why the image cannot run it.
    fn command(&self, shown: &str, command: &str, depth: usize) -> Result<Entry, String> {
        let command = command.trim();
        let command = command.strip_prefix("exec ").unwrap_or(command).trim();
        if command.contains(|c| SHELL_LINE.contains(c)) {
            return self.shell_line(shown, command);
        }
        let (prefix, plain, holes) = holes(command);
        if plain.starts_with(HOLE) {
            // The program itself is a variable's (`$HOME/bin/web`): the shell finds it.
            return self.shell_line(shown, command);
        }
        let mut entry = self.plain(shown, &plain, depth)?;
        if holes.is_empty() && prefix.is_empty() {
            return Ok(entry);
        }
        if entry.env.iter().any(|(_, v)| v.contains(HOLE)) {
            return self.shell_line(shown, command);
        }
        entry.words = refilled(&entry.words, &holes, &prefix);
        entry.file = entry.file.filter(|f| !f.contains(HOLE));
        entry.needs_shell = true;
        entry.shell_syntax = true;
        Ok(entry)
    }

    /// A command of plain words: a package manager running a script or a binary, else what a
    /// start script of the same words would start.
    fn plain(&self, shown: &str, command: &str, depth: usize) -> Result<Entry, String> {
        let words: Vec<&str> = command.split_whitespace().collect();
        let at = words
            .iter()
            .position(|w| !is_assignment(w))
            .unwrap_or(words.len());
        let (env, rest) = words.split_at(at);
        if let Some((name, args)) = script_run(rest) {
            return self.script(shown, env, name, args, depth);
        }
        if let ["npx" | "pnpx", rest @ ..] = rest {
            let rest: Vec<&str> = rest
                .iter()
                .copied()
                .skip_while(|w| matches!(*w, "--yes" | "-y" | "--no-install"))
                .collect();
            let line = env.iter().chain(&rest).copied().collect::<Vec<_>>();
            return self.plain(shown, &line.join(" "), depth);
        }
        if let Some(first) = rest.first().filter(|w| PACKAGE_MANAGERS.contains(w)) {
            return Err(format!(
                "`{}` is not a script run stagegen can read, and the image holds no `{first}`",
                rest.join(" ")
            ));
        }
        if let (true, Some(words)) = (env.is_empty(), node_command(command)) {
            let file = crate::presets::node::start::node_file(&words[1..]);
            return Ok(Entry {
                words,
                file,
                source: shown.to_string(),
                ..Entry::default()
            });
        }
        let found = script::from_command(shown, command, self.m, self.files, self.dir, &self.bins);
        match found {
            Some(entry) => entry,
            None => Err(format!(
                "`{command}` is not a command stagegen can run without a shell or npm"
            )),
        }
    }

    /// `npm run <name> [args]`: the script it runs, read as a command itself.
    fn script(
        &self,
        shown: &str,
        env: &[&str],
        name: &str,
        args: &[&str],
        depth: usize,
    ) -> Result<Entry, String> {
        let Some(script) = self.m.script(name) else {
            return Err(format!("package.json has no `{name}` script"));
        };
        if depth >= MAX_DEPTH {
            return Err(format!(
                "the `{name}` script runs scripts too deep to follow"
            ));
        }
        if script.contains(|c| SHELL_LINE.contains(c) || SHELL_WORD.contains(c)) {
            return Err(format!(
                "it runs the `{name}` script `{script}`, which needs npm and a shell"
            ));
        }
        let line: Vec<&str> = env
            .iter()
            .copied()
            .chain(script.split_whitespace())
            .chain(args.iter().copied())
            .collect();
        let shown = format!("{shown}: package.json `{name}` script (`{script}`)");
        self.plain(&shown, &line.join(" "), depth + 1)
    }

    /// A command kept whole for `sh -c`, as `exec` unless it chains commands; it must not need
    /// a package manager or a binary off the image's PATH.
    fn shell_line(&self, shown: &str, command: &str) -> Result<Entry, String> {
        let words = shell_words(command);
        if let Some(pm) = words.iter().find(|w| PACKAGE_MANAGERS.contains(w)) {
            return Err(format!(
                "it runs `{pm}` in a shell, and the image holds no `{pm}`"
            ));
        }
        let first = first_program(&words);
        if !runnable(first, "node", |f| self.files.is_file(&join(self.dir, f))) {
            return Err(format!(
                "it runs `{first}` in a shell, which is not on the image's PATH (write the binary's path, `node_modules/.bin/{first}`, or its command without quotes)"
            ));
        }
        Ok(Entry {
            words: sh_c(command),
            source: format!("{shown}, run by `sh -c`"),
            needs_shell: true,
            shell_syntax: true,
            ..Entry::default()
        })
    }
}

/// `npm start`, `npm run x -- args`, `yarn x args`, `pnpm run x`: the script and its arguments.
pub(crate) fn script_run<'a>(words: &'a [&'a str]) -> Option<(&'a str, &'a [&'a str])> {
    let (name, args) = match words {
        ["npm" | "yarn" | "pnpm", "start", args @ ..] => ("start", args),
        ["npm", "run" | "run-script", name, args @ ..] => (*name, args),
        ["yarn" | "pnpm", "run", name, args @ ..] => (*name, args),
        ["yarn" | "pnpm", name, args @ ..] if !name.starts_with('-') && !is_command(name) => {
            (*name, args)
        }
        _ => return None,
    };
    let args = match args {
        ["--", rest @ ..] => rest,
        _ => args,
    };
    Some((name, args))
}

/// A command of yarn or pnpm that is not a script's name.
fn is_command(word: &str) -> bool {
    matches!(
        word,
        "install" | "add" | "remove" | "exec" | "dlx" | "node" | "workspace" | "workspaces"
    )
}

/// `KEY=value`.
pub(crate) fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The command with each word of shell syntax replaced by a numbered [`HOLE`]: the leading
/// assignments with shell syntax (kept before `exec`), the command, and the words taken out.
pub(crate) fn holes(command: &str) -> (Vec<String>, String, Vec<String>) {
    let mut prefix = Vec::new();
    let mut plain = Vec::new();
    let mut taken = Vec::new();
    let mut leading = true;
    for word in command.split_whitespace() {
        leading = leading && is_assignment(word);
        if !word.contains(|c| SHELL_WORD.contains(c)) {
            plain.push(word.to_string());
        } else if leading {
            prefix.push(word.to_string());
        } else {
            plain.push(format!("{HOLE}{}", taken.len()));
            taken.push(word.to_string());
        }
    }
    (prefix, plain.join(" "), taken)
}

/// A word with its holes filled back.
/// The words of a shell line, split at blanks and at the operators that start a command.
pub(crate) fn shell_words(command: &str) -> Vec<&str> {
    command
        .split(|c: char| c.is_whitespace() || "&|;()".contains(c))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The program a shell line runs first: its first word that is not an assignment.
pub(crate) fn first_program<'a>(words: &[&'a str]) -> &'a str {
    words
        .iter()
        .find(|w| !is_assignment(w))
        .copied()
        .unwrap_or_default()
}

/// Whether the image can run `first` from a shell line: the `runtime`, a path, a shell builtin
/// or a file of the app.
pub(crate) fn runnable(first: &str, runtime: &str, is_file: impl Fn(&str) -> bool) -> bool {
    first == runtime || first.contains('/') || BUILTINS.contains(&first) || is_file(first)
}

/// The words of a plain start with the shell words `holes` took out put back, after the
/// leading assignments, as `sh -c "exec ..."`.
pub(crate) fn refilled(words: &[String], holes: &[String], prefix: &[String]) -> Vec<String> {
    let words: Vec<String> = words.iter().map(|w| fill(w, holes)).collect();
    let assignments: String = prefix.iter().map(|w| format!("{w} ")).collect();
    vec![
        "sh".into(),
        "-c".into(),
        format!("{assignments}exec {}", words.join(" ")),
    ]
}

pub(crate) fn fill(word: &str, holes: &[String]) -> String {
    match word
        .strip_prefix(HOLE)
        .and_then(|n| n.parse::<usize>().ok())
    {
        Some(n) => holes[n].clone(),
        None => word.to_string(),
    }
}

/// SG740: the Procfile's command is not one the image can run.
fn cannot_run(name: &str, command: &str, why: &str) -> PresetError {
    PresetError::new(
        codes::PROCFILE_CANNOT_RUN,
        Blame::Table,
        format!("the Procfile's `{name}` command `{command}` cannot start the app in the image: {why}"),
    )
    .help(format!(
        "write the `{name}` process as `node <file>` (or a production dependency's binary, or `npm start` with a `start` script `node <file>`), or set `start = [\"node\", \"<file>\"]` in `[preset]`, which wins over the Procfile"
    ))
}

/// SG729: the Procfile's command needs a shell, and the final image has none.
pub(super) fn needs_shell(entry: &Entry) -> PresetError {
    let line = entry.words.last().map_or("", String::as_str);
    PresetError::new(
        codes::PROCFILE_NEEDS_SHELL,
        Blame::RuntimeBase,
        format!(
            "the Procfile's command `{}` needs a shell, and distroless has none",
            line.strip_prefix("exec ").unwrap_or(line)
        ),
    )
    .help("use `base = \"slim\"` in `[runtime]`, or write the command without shell syntax (a Node app reads `process.env.PORT` itself)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    fn start_of(procfile: &str, json: &str, more: &[(&str, &str)]) -> Result<Entry, PresetError> {
        let mut all = vec![("Procfile", procfile)];
        all.extend_from_slice(more);
        let dir = app(&all);
        let files = ProjectFiles::new(dir.path());
        let m = Manifest::parse(json).expect("manifest");
        start(&files, &m, "").expect("a process")
    }

    #[test]
    fn node_file_with_others_not_started() {
        let e = start_of(
            "web: node --max-old-space-size=460 server.js\nworker: node worker.js\nrelease: node migrate.js\n",
            "{}",
            &[],
        )
        .expect("a start");
        assert_eq!(e.words, ["node", "--max-old-space-size=460", "server.js"]);
        assert_eq!(e.file.as_deref(), Some("server.js"));
        assert!(!e.needs_shell && e.env.is_empty());
        assert!(e.source.contains("not started: `worker`") && !e.source.contains("release"));
    }

    #[test]
    fn npm_start_runs_the_script_it_names() {
        let json = r#"{"scripts":{"start":"node src/index.js","serve":"npm run start","dev":"nodemon app.js"},"devDependencies":{"nodemon":"3"}}"#;
        for procfile in [
            "web: npm start",
            "web: yarn start",
            "web: npm run serve",
            "web: pnpm serve",
        ] {
            let e = start_of(procfile, json, &[]).expect(procfile);
            assert_eq!(e.words, ["node", "src/index.js"], "{procfile}");
        }
        let e = start_of("web: npm start -- --port 80", json, &[]).expect("args");
        assert_eq!(e.words, ["node", "src/index.js", "--port", "80"]);
        let e = start_of("web: npm run dev", json, &[]).expect_err("a dev dependency");
        assert_eq!(e.code, codes::PROCFILE_CANNOT_RUN);
        assert!(e.message.contains("dev dependency"), "{}", e.message);
        let e = start_of("web: npm run missing", json, &[]).expect_err("no script");
        assert!(e.message.contains("no `missing` script"), "{}", e.message);
    }

    #[test]
    fn shell_words_run_with_sh_and_set_port() {
        let lock = r#"{"packages":{"node_modules/next":{"bin":{"next":"dist/bin/next"}}}}"#;
        let json = r#"{"dependencies":{"next":"15"}}"#;
        let e = start_of(
            "web: next start -p $PORT",
            json,
            &[("package-lock.json", lock)],
        )
        .expect("a start");
        assert_eq!(
            e.words,
            [
                "sh",
                "-c",
                "exec node node_modules/next/dist/bin/next start -p $PORT"
            ]
        );
        assert!(e.shell_syntax && e.needs_shell);
        assert_eq!(e.env, [("PORT".to_string(), "3000".to_string())]);
        let e = start_of(
            "web: node server.js --port ${PORT}",
            "{}",
            &[("server.js", "app.listen(process.env.PORT || 5006)\n")],
        )
        .expect("a start");
        assert_eq!(e.words[2], "exec node server.js --port ${PORT}");
        assert_eq!(e.env, [("PORT".to_string(), "5006".to_string())]);
        assert_eq!(e.file.as_deref(), Some("server.js"));
        let e = start_of("web: HOST=$HOST node a.js", "{}", &[]).expect("assignment");
        assert_eq!(e.words[2], "HOST=$HOST exec node a.js");
        let e = start_of("web: cd api && node a.js", "{}", &[]).expect("a line");
        assert_eq!(e.words[2], "cd api && node a.js");
    }

    #[test]
    fn what_the_image_cannot_run() {
        for procfile in [
            "web: nodemon app.js",
            "web: cd api && npm start",
            "web: next start -p \"$PORT\"",
            "web: npm install",
        ] {
            let e = start_of(procfile, "{}", &[]).expect_err(procfile);
            assert_eq!(e.code, codes::PROCFILE_CANNOT_RUN, "{procfile}");
        }
    }

    #[test]
    fn npx_runs_the_binary() {
        let e = start_of(
            "web: npx serve -s build",
            r#"{"dependencies":{"serve":"14"}}"#,
            &[],
        )
        .expect("a start");
        assert_eq!(e.words, ["node_modules/.bin/serve", "-s", "build"]);
        assert!(e.needs_shell && !e.shell_syntax);
    }
}
