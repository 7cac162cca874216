//! How the container starts a Bun app, with `bun` as PID 1 wherever the app allows it: the
//! `start` knob; else the Procfile's `web` process ([`procfile`]); else the `start` script when it is a plain `bun` command (watch flags
//! dropped), else `bun run start` (which needs a shell); else `main` or `module`; else the file
//! the `dev` script runs, without `--hot`/`--watch` (Hono's guide has only a dev script); else
//! a conventional entry file. Also what tells a Bun app from a Node app ([`runs_on_bun`]).

use crate::presets::bun::{codes, procfile};
use crate::presets::common::plain_words;
use crate::presets::node::manifest::Manifest;
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// The scripts that start the app in production, in the order they are read.
const START_SCRIPTS: &[&str] = &["start", "start:prod", "start:production"];
/// Entry files looked for when nothing names one, in order.
const ENTRIES: &[&str] = &[
    "index.ts",
    "src/index.ts",
    "server.ts",
    "src/server.ts",
    "main.ts",
    "src/main.ts",
    "app.ts",
    "src/app.ts",
    "index.tsx",
    "src/index.tsx",
    "index.js",
    "src/index.js",
    "server.js",
    "index.mjs",
];
/// What a file bun runs ends with.
const SCRIPT_EXTENSIONS: &[&str] = &[".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts"];
/// Flags of `bun` for development only: a container runs the file once.
const WATCH_FLAGS: &[&str] = &["--hot", "--watch", "--no-clear-screen"];
/// Type packages only a Bun app installs.
const BUN_TYPES: &[&str] = &["@types/bun", "bun-types"];

/// The command, the file it runs, and where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Start {
    /// `["bun", "src/index.ts"]`.
    pub words: Vec<String>,
    /// The file bun runs, when known (for ports and the health check).
    pub file: Option<String>,
    /// Where it came from, for `detected`.
    pub source: String,
    /// Whether it needs a shell (`bun run start` runs the script with `sh`).
    pub needs_shell: bool,
    /// Whether it runs with `sh -c` for the shell syntax of a Procfile's command
    /// (`--port $PORT`).
    pub shell_syntax: bool,
    /// Environment the command needs, set in the image (`PORT` for a Procfile's `$PORT`).
    pub env: Vec<(String, String)>,
}

/// Why the app at the root of `files` runs on Bun rather than Node, if it does: a start script
/// that runs bun; else, without a start script, a dev script that runs bun or Bun's type
/// package. A `package.json` that is not JSON is Node's to report.
pub(crate) fn runs_on_bun(files: &ProjectFiles) -> Option<String> {
    let m = Manifest::parse(&files.read("package.json")?).ok()?;
    if let Some(runtime) = procfile::runtime(files) {
        return runtime;
    }
    if let Some((name, script)) = start_script(&m) {
        return is_bun(script).then(|| format!("the `{name}` script runs bun"));
    }
    if m.script("dev").is_some_and(is_bun) {
        return Some("the `dev` script runs bun, and no start script names another runtime".into());
    }
    let types = m
        .all_dependencies()
        .find(|d| BUN_TYPES.contains(&d.as_str()))
        .cloned();
    types.map(|d| {
        format!("package.json depends on `{d}`, and no start script names another runtime")
    })
}

/// The first production start script.
fn start_script(m: &Manifest) -> Option<(&'static str, &str)> {
    START_SCRIPTS
        .iter()
        .find_map(|n| m.script(n).map(|s| (*n, s)))
}

/// Whether a script starts with `bun` (after environment assignments).
fn is_bun(script: &str) -> bool {
    script
        .split_whitespace()
        .find(|w| !w.contains('='))
        .is_some_and(|w| w == "bun")
}

/// Infer the start command.
pub(crate) fn infer(
    knob: Option<&[String]>,
    m: &Manifest,
    files: &ProjectFiles,
) -> Result<Start, PresetError> {
    if let Some(words) = knob {
        if words.is_empty() || words.iter().any(|w| w.trim().is_empty()) {
            return Err(PresetError::new(
                codes::EMPTY_START_WORD,
                Blame::KnobValue("start"),
                "`start` has an empty word",
            )
            .label("a command of words, none empty")
            .help("write the command as a list of words, e.g. `[\"bun\", \"src/index.ts\"]`"));
        }
        return Ok(Start {
            words: words.to_vec(),
            file: words.get(1..).and_then(|rest| bun_file(rest, files)),
            source: "the `start` knob".into(),
            ..Start::default()
        });
    }
    if let Some(procfile) = procfile::start(files, m) {
        return procfile;
    }
    if let Some((name, script)) = start_script(m) {
        return Ok(from_script(name, script, files));
    }
    let fields = [("main", m.main.as_deref()), ("module", m.module.as_deref())];
    if let Some((field, file)) = fields
        .into_iter()
        .find_map(|(f, v)| v.map(clean).filter(|v| files.is_file(v)).map(|v| (f, v)))
    {
        return Ok(plain(file, &format!("package.json `{field}`")));
    }
    if let Some(words) = m.script("dev").and_then(bun_words) {
        if let Some(file) = bun_file(&words[1..], files) {
            return Ok(plain(
                file,
                "the file of the `dev` script, run without --hot/--watch",
            ));
        }
    }
    if let Some(file) = ENTRIES.iter().find(|f| files.is_file(f)) {
        return Ok(plain(file.to_string(), "the conventional entry file"));
    }
    Err(PresetError::new(
        codes::NO_START,
        Blame::Table,
        "cannot tell how to start the app: package.json has no `start` script, `main` or `module`, and there is no `index.ts`",
    )
    .help("add `\"start\": \"bun src/index.ts\"` to package.json's scripts, or set `start = [\"bun\", \"<file>\"]` in `[preset]`"))
}

/// A start script: its words when it is a plain `bun` command, else `bun run <name>`.
pub(super) fn from_script(name: &str, script: &str, files: &ProjectFiles) -> Start {
    if let Some(words) = bun_words(script) {
        let file = bun_file(&words[1..], files);
        // `bun run <script>` or `bun run <binary>`: another script of the app, run by a shell.
        let needs_shell = file.is_none() && words.get(1).map(String::as_str) == Some("run");
        return Start {
            words,
            file,
            source: format!("package.json `{name}` script"),
            needs_shell,
            ..Start::default()
        };
    }
    Start {
        words: vec!["bun".into(), "run".into(), name.to_string()],
        file: None,
        source: format!(
            "package.json `{name}` script, run by `bun run` (it is not a plain `bun <file>` command)"
        ),
        needs_shell: true,
        ..Start::default()
    }
}

/// `bun [run] [flags] <file> [args]` as words without watch flags, when the script is exactly
/// that (no shell syntax).
pub(super) fn bun_words(script: &str) -> Option<Vec<String>> {
    let words = plain_words(script)?;
    (words.first().map(String::as_str) == Some("bun")).then(|| {
        words
            .into_iter()
            .filter(|w| !WATCH_FLAGS.contains(&w.as_str()))
            .collect()
    })
}

/// The file among `bun`'s arguments (after an optional `run`): the first word that is not a
/// flag, when it is a file of the app or a script the build writes (`dist/index.js`).
pub(super) fn bun_file(args: &[String], files: &ProjectFiles) -> Option<String> {
    let args = match args.first().map(String::as_str) {
        Some("run") => &args[1..],
        _ => args,
    };
    let first = args.iter().find(|a| !a.starts_with('-'))?;
    let file = clean(first);
    let script = SCRIPT_EXTENSIONS.iter().any(|e| file.ends_with(e));
    (script || files.is_file(&file)).then_some(file)
}

fn plain(file: String, source: &str) -> Start {
    Start {
        words: vec!["bun".into(), file.clone()],
        file: Some(file),
        source: source.to_string(),
        ..Start::default()
    }
}

/// `./src/index.ts` -> `src/index.ts`.
pub(crate) fn clean(path: &str) -> String {
    let p = path.trim();
    let p = p.strip_prefix("./").unwrap_or(p);
    p.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bun_scripts() {
        assert!(is_bun("bun run src/index.ts"));
        assert!(is_bun("NODE_ENV=production bun src/index.ts"));
        assert!(!is_bun("node server.js"));
        assert!(!is_bun("bunx tsc"));
        assert_eq!(
            bun_words("bun run --hot src/index.ts"),
            Some(vec!["bun".into(), "run".into(), "src/index.ts".into()])
        );
        assert_eq!(bun_words("bun build && bun dist/index.js"), None);
        assert_eq!(bun_words("node a.js"), None);
    }
}
