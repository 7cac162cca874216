//! How the container starts the app: a JSON-form command straight to `node` (npm as PID 1 would
//! not pass signals on). Taken from the `start` knob, else the `start` script when it is plain
//! `node <file>`, else `main`, else npm's own default `server.js`, else the compiled entry of a
//! TypeScript app (`src/index.ts` -> `dist/index.js`), else a conventional file name.

use crate::presets::node::codes;
use crate::presets::node::manifest::Manifest;
use crate::presets::node::package_manager::join;
use crate::presets::node::script::{self, LockBins};
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// Node flags that take the next word as their value.
const FLAGS_WITH_VALUE: &[&str] = &[
    "-r",
    "--require",
    "--import",
    "--loader",
    "--experimental-loader",
    "--env-file",
    "--conditions",
    "-C",
    "--title",
];
/// The scripts that start the app in production, in the order they are read: `start`, then
/// the production variants of apps whose `start` runs a dev tool (Nest's `start:prod`).
const START_SCRIPTS: &[&str] = &["start", "start:prod", "start:production"];
/// Entry files looked for, in order, when nothing names one: sources that compile to
/// `<outDir>/<name>.js`, then plain scripts run as they are.
const TS_ENTRIES: &[&str] = &[
    "src/index.ts",
    "src/server.ts",
    "src/main.ts",
    "src/app.ts",
    "index.ts",
    "server.ts",
    "main.ts",
    "app.ts",
];
const JS_ENTRIES: &[&str] = &[
    "index.js",
    "app.js",
    "main.js",
    "src/index.js",
    "src/server.js",
    "src/main.js",
    "src/app.js",
    "index.mjs",
    "server.mjs",
];

/// The command and the file it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Entry {
    /// `["node", "dist/index.js"]`, relative to the project root.
    pub words: Vec<String>,
    /// The script `node` runs, relative to the project root, when known.
    pub file: Option<String>,
    /// Where it came from, for `detected`.
    pub source: String,
    /// Environment the command needs, set in the image (`PORT=3000 node app.js`).
    pub env: Vec<(String, String)>,
    /// Whether it needs more than `node`: a shell for a script file, `/usr/bin/env` for a
    /// `.bin` link (none of them on distroless).
    pub needs_shell: bool,
    /// Whether it runs with `sh -c` for the shell syntax of a Procfile's command
    /// (`--port $PORT`).
    pub shell_syntax: bool,
    /// The port the command listens on when the app names none (fastify-cli's 3000), and why.
    pub default_port: Option<(u16, String)>,
}

/// The TypeScript output folder and root folder from `tsconfig.json` (`compilerOptions.outDir`,
/// `rootDir`), read leniently: tsconfig files hold comments and trailing commas.
pub(super) fn tsconfig_dirs(text: &str) -> (Option<String>, Option<String>) {
    let find = |key: &str| -> Option<String> {
        let at = text.find(&format!("\"{key}\""))?;
        let rest = text[at + key.len() + 2..].trim_start().strip_prefix(':')?;
        let rest = rest.trim_start().strip_prefix('"')?;
        let value = &rest[..rest.find('"')?];
        Some(clean(value)).filter(|v| !v.is_empty())
    };
    (find("outDir"), find("rootDir"))
}

/// `./dist/` -> `dist`.
pub(super) fn clean(path: &str) -> String {
    let p = path.trim();
    let p = p.strip_prefix("./").unwrap_or(p);
    p.trim_end_matches('/').to_string()
}

/// Infer the start command of the project at `root`. `out_dir` is where a build writes
/// compiled files (TypeScript's `outDir`, else `dist`).
pub(super) fn infer(
    knob: Option<&[String]>,
    manifest: &Manifest,
    files: &ProjectFiles,
    root: &str,
    out_dir: &str,
    root_dir: Option<&str>,
    has_build: bool,
) -> Result<Entry, PresetError> {
    if let Some(words) = knob {
        return from_knob(words);
    }
    let mut start_script_note = None;
    if let Some(entry) = from_scripts(manifest, files, root, &mut start_script_note) {
        return Ok(entry);
    }
    let compiled = has_build.then_some((out_dir, root_dir));
    match from_files(manifest, files, root, compiled) {
        Some(entry) => Ok(entry),
        None => Err(no_start(start_script_note)),
    }
}

/// The `start` knob, as written.
fn from_knob(words: &[String]) -> Result<Entry, PresetError> {
    if let Some(e) = check_words(words) {
        return Err(e);
    }
    let file = (words[0] == "node")
        .then(|| node_file(&words[1..]))
        .flatten();
    Ok(Entry {
        needs_shell: words[0] != "node",
        words: words.to_vec(),
        file,
        source: "the `start` knob".to_string(),
        ..Entry::default()
    })
}

/// The first start script (of [`START_SCRIPTS`]) that runs without npm; why an earlier one
/// does not goes to `note`, for `detected` and the error.
fn from_scripts(
    manifest: &Manifest,
    files: &ProjectFiles,
    root: &str,
    note: &mut Option<String>,
) -> Option<Entry> {
    let bins = LockBins::read(files);
    for name in START_SCRIPTS {
        let Some(script) = manifest.script(name) else {
            continue;
        };
        match node_command(script) {
            Some(words) if words.get(1).map(String::as_str) != Some(".") => {
                let file = node_file(&words[1..]);
                return Some(Entry {
                    words,
                    file,
                    source: match note {
                        Some(note) => {
                            format!("package.json `{name}` script; the `start` script {note}")
                        }
                        None => format!("package.json `{name}` script"),
                    },
                    ..Entry::default()
                });
            }
            Some(_) => {}
            None => match script::from_script(name, script, manifest, files, root, &bins) {
                Some(Ok(mut entry)) => {
                    if let Some(note) = note {
                        entry.source = format!("{}; the `start` script {note}", entry.source);
                    }
                    return Some(entry);
                }
                Some(Err(why)) => {
                    note.get_or_insert(format!("`{script}`: {why}"));
                }
                None => {
                    note.get_or_insert(format!(
                        "`{script}` is not a command stagegen can run without npm"
                    ));
                }
            },
        }
    }
    None
}

/// The start from the app's files: `main`, npm's default `server.js`, a TypeScript entry
/// compiled to `out_dir` (`compiled`: the build's `(out_dir, root_dir)`, when it has a build),
/// then conventional JavaScript entries.
fn from_files(
    manifest: &Manifest,
    files: &ProjectFiles,
    root: &str,
    compiled: Option<(&str, Option<&str>)>,
) -> Option<Entry> {
    if let Some(main) = &manifest.main {
        let main = clean(main);
        if !main.is_empty() {
            return Some(plain(main, "package.json `main`"));
        }
    }
    if files.is_file(&join(root, "server.js")) {
        return Some(plain("server.js".into(), "server.js, npm's default start"));
    }
    if let Some((out_dir, root_dir)) = compiled {
        for src in TS_ENTRIES {
            if files.is_file(&join(root, src)) {
                let rel = match root_dir {
                    Some(r) => src.strip_prefix(&format!("{r}/")).unwrap_or(src),
                    None => src.strip_prefix("src/").unwrap_or(src),
                };
                let out = format!("{out_dir}/{}", rel.trim_end_matches(".ts")) + ".js";
                return Some(plain(out, &format!("{src} compiled to {out_dir}/")));
            }
        }
    }
    JS_ENTRIES
        .iter()
        .find(|js| files.is_file(&join(root, js)))
        .map(|js| plain(js.to_string(), js))
}

/// SG718: no start found; `note` says why the start script could not be used.
fn no_start(note: Option<String>) -> PresetError {
    let err = PresetError::new(
        codes::NO_START,
        Blame::Knob("start"),
        "cannot tell how to start the app",
    );
    match note {
        Some(note) => err.help(format!(
            "the `start` script {note}; set `start = [\"node\", \"dist/server.js\"]` in `[preset]` (`stagegen init --start \"node dist/server.js\"`), or set `main` in package.json"
        )),
        None => err.help("set `start = [\"node\", \"dist/server.js\"]` in `[preset]` (`stagegen init --start \"node dist/server.js\"`), or a `start` script `node <file>` or `main` in package.json"),
    }
}

/// The `start` knob's problem, if it has one: a command needs words, none of them empty.
pub(super) fn check_words(words: &[String]) -> Option<PresetError> {
    (words.is_empty() || words.iter().any(|w| w.is_empty())).then(|| {
        PresetError::new(
            codes::EMPTY_START_WORD,
            Blame::KnobValue("start"),
            "`start` has an empty word",
        )
        .label("a command of words, none empty")
        .help("write the command as a list of words, e.g. `[\"node\", \"dist/server.js\"]`")
    })
}

fn plain(file: String, source: &str) -> Entry {
    Entry {
        words: vec!["node".to_string(), file.clone()],
        file: Some(file),
        source: source.to_string(),
        ..Entry::default()
    }
}

/// `node [flags] <file> [args]` as words, when the script is exactly that (no shell syntax,
/// no environment assignments but a redundant `NODE_ENV=production`).
pub(super) fn node_command(script: &str) -> Option<Vec<String>> {
    if script.contains(|c: char| "&|;<>$`\"'\\()*?{}".contains(c)) {
        return None;
    }
    let mut words = script.split_whitespace().peekable();
    while let Some(w) = words.peek() {
        if *w == "NODE_ENV=production" {
            words.next();
        } else {
            break;
        }
    }
    let first = words.next()?;
    if first != "node" {
        return None;
    }
    let rest: Vec<String> = words.map(str::to_string).collect();
    node_file(&rest)?;
    Some(std::iter::once("node".to_string()).chain(rest).collect())
}

/// The script file among `node`'s arguments: the first word that is not a flag or a flag's
/// value. `None` for `-e`/`-p` (inline code) or no file.
pub(super) fn node_file(args: &[String]) -> Option<String> {
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if matches!(a, "-e" | "--eval" | "-p" | "--print" | "-") {
            return None;
        }
        if a.starts_with('-') {
            i += if FLAGS_WITH_VALUE.contains(&a) { 2 } else { 1 };
            continue;
        }
        return Some(clean(a));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn plain_node_start_scripts() {
        assert_eq!(
            node_command("node dist/index.js"),
            Some(words(&["node", "dist/index.js"]))
        );
        assert_eq!(
            node_command("NODE_ENV=production node -r dotenv/config --enable-source-maps ./server.js --port 80"),
            Some(words(&["node", "-r", "dotenv/config", "--enable-source-maps", "./server.js", "--port", "80"]))
        );
        assert_eq!(node_command("tsc && node dist/index.js"), None);
        assert_eq!(node_command("PORT=1 node a.js"), None);
        assert_eq!(node_command("next start"), None);
        assert_eq!(node_command("node -e 'x'"), None);
        assert_eq!(node_command("node"), None);
        assert_eq!(
            node_file(&words(&["--import", "tsx", "src/a.ts"])),
            Some("src/a.ts".into())
        );
    }

    #[test]
    fn tsconfig_with_comments() {
        let text = "{\n // comment\n \"compilerOptions\": { \"outDir\": \"./build/\", \"rootDir\" : \"src\", },\n}";
        assert_eq!(
            tsconfig_dirs(text),
            (Some("build".into()), Some("src".into()))
        );
        assert_eq!(tsconfig_dirs("{}"), (None, None));
    }
}
