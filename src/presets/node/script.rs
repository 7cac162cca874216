//! Start scripts that are not `node <file>`: a binary of a dependency (`fastify start app.js`,
//! `tsx src/index.ts`), a script file (`./start.sh`), or either after environment assignments
//! (`PORT=3000 node app.js`). Each becomes an exec-form command that keeps `node` as PID 1
//! where it can: a dependency's binary is run as `node node_modules/<package>/<its file>` (the
//! file read from package-lock.json's `bin`), `tsx` as `node --import tsx`, a script file with
//! the interpreter its `#!` line names. A binary of a dev dependency is not in the image, so
//! such a script is left for the next way of starting (`start:prod`, `main`, ...).

use indexmap::IndexMap;

use crate::presets::node::manifest::Manifest;
use crate::presets::node::npm_lock;
use crate::presets::node::package_manager::join;
use crate::presets::node::start::{clean, Entry};
use crate::project::ProjectFiles;

/// Binaries whose package has another name, for apps without a package-lock.json to read.
const KNOWN_BINS: &[(&str, &str)] = &[
    ("fastify", "fastify-cli"),
    ("nest", "@nestjs/cli"),
    ("remix-serve", "@remix-run/serve"),
    ("react-router-serve", "@react-router/serve"),
    ("pm2-runtime", "pm2"),
    ("nuxi", "nuxi"),
];
/// The ports binaries listen on when the app names none (for `stagegen init`).
const BIN_PORTS: &[(&str, u16)] = &[
    ("fastify", 3000),
    ("next", 3000),
    ("remix-serve", 3000),
    ("react-router-serve", 3000),
];
/// Environment a binary needs in a container, e.g. to listen on every interface.
const BIN_ENV: &[(&str, &str, &str)] = &[("fastify", "FASTIFY_ADDRESS", "0.0.0.0")];

/// The binaries package-lock.json (v2, v3) records: name -> (package, file in it).
#[derive(Debug, Default)]
pub(super) struct LockBins(IndexMap<String, (String, String)>);

impl LockBins {
    /// Read the root `package-lock.json`, when there is one.
    pub(super) fn read(files: &ProjectFiles) -> LockBins {
        files
            .read("package-lock.json")
            .map(|t| LockBins::parse(&t))
            .unwrap_or_default()
    }

    /// The binaries of a package-lock.json's text; none when it is not JSON.
    fn parse(text: &str) -> LockBins {
        let Some(packages) = npm_lock::packages(text, top_level) else {
            return LockBins::default();
        };
        let mut bins = IndexMap::new();
        for (key, entry) in &packages {
            let Some(package) = key.strip_prefix("node_modules/") else {
                continue;
            };
            for (name, file) in entry.iter().flatten() {
                if let Some(file) = file {
                    bins.entry(name.clone())
                        .or_insert_with(|| (package.to_string(), clean(file)));
                }
            }
        }
        LockBins(bins)
    }
}

/// A package key of the lock whose binaries the app's scripts can run: `node_modules/<name>`,
/// not one nested in another package's `node_modules`.
fn top_level(key: &str) -> bool {
    key.strip_prefix("node_modules/")
        .is_some_and(|package| !package.contains("/node_modules/"))
}

/// What a script that is not plain `node <file>` starts, or why it cannot be the image's
/// command (`Err`, for the help of the error when nothing else starts the app).
pub(super) fn from_script(
    name: &str,
    script: &str,
    m: &Manifest,
    files: &ProjectFiles,
    root: &str,
    bins: &LockBins,
) -> Option<Result<Entry, String>> {
    let shown = format!("package.json `{name}` script (`{script}`)");
    from_command(&shown, script, m, files, root, bins)
}

/// What a command that is not plain `node <file>` starts, as [`from_script`]; `shown` names
/// where it was written, for `detected` (a Procfile's process).
pub(super) fn from_command(
    shown: &str,
    script: &str,
    m: &Manifest,
    files: &ProjectFiles,
    root: &str,
    bins: &LockBins,
) -> Option<Result<Entry, String>> {
    if script.contains(|c: char| "&|;<>$`\"'\\()*?{}".contains(c)) {
        return None;
    }
    let mut words = script.split_whitespace().peekable();
    let mut env = Vec::new();
    while let Some((k, v)) = words.peek().and_then(|w| w.split_once('=')) {
        if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            break;
        }
        if k != "NODE_ENV" {
            env.push((k.to_string(), v.to_string()));
        }
        words.next();
    }
    let first = words.next()?;
    let rest: Vec<String> = words.map(str::to_string).collect();
    let mut entry = if first == "node" {
        let file = crate::presets::node::start::node_file(&rest)?;
        Entry {
            words: std::iter::once("node".to_string()).chain(rest).collect(),
            file: Some(file),
            source: shown.to_string(),
            ..Entry::default()
        }
    } else if let Some(e) = script_file(first, &rest, files, root, shown) {
        e
    } else {
        match binary(first, &rest, m, bins, shown) {
            Ok(e) => e,
            Err(why) => return Some(Err(why)),
        }
    };
    if !env.is_empty() {
        entry.source = format!(
            "{}, with {} set in the image",
            entry.source,
            env.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    entry.env.splice(0..0, env);
    Some(Ok(entry))
}

/// `./start.sh`, `bin/server`: a file of the app, run by the interpreter of its `#!` line (by
/// its extension when it has none: `sh`, or `node` for JavaScript).
fn script_file(
    word: &str,
    args: &[String],
    files: &ProjectFiles,
    root: &str,
    shown: &str,
) -> Option<Entry> {
    let file = clean(word);
    if file.is_empty() || !files.is_file(&join(root, &file)) {
        return None;
    }
    let text = files.read(&join(root, &file)).unwrap_or_default();
    let shebang: Vec<String> = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("#!"))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let interpreter: Vec<String> = match shebang.first().map(String::as_str) {
        Some("/usr/bin/env") => shebang[1..]
            .iter()
            .filter(|w| *w != "-S")
            .cloned()
            .collect(),
        Some(_) => shebang,
        None if [".js", ".mjs", ".cjs"].iter().any(|e| file.ends_with(e)) => {
            vec!["node".to_string()]
        }
        None => vec!["sh".to_string()],
    };
    let is_node = interpreter
        .first()
        .is_some_and(|i| i == "node" || i.ends_with("/node"));
    let run = if file.contains('/') {
        file.clone()
    } else {
        format!("./{file}")
    };
    let (words, how) = if is_node {
        (
            std::iter::once("node".to_string())
                .chain(interpreter.into_iter().skip(1))
                .chain(std::iter::once(run))
                .chain(args.iter().cloned())
                .collect(),
            "run by node".to_string(),
        )
    } else {
        let how = format!("run by `{}` (its `#!` line or kind)", interpreter.join(" "));
        (
            interpreter
                .into_iter()
                .chain(std::iter::once(run))
                .chain(args.iter().cloned())
                .collect(),
            how,
        )
    };
    Some(Entry {
        needs_shell: !is_node,
        words,
        file: Some(file),
        source: format!("{shown}: a script file, {how}"),
        ..Entry::default()
    })
}

/// A dependency's binary: `node node_modules/<package>/<file>` when package-lock.json says
/// which file, else `node_modules/.bin/<name>` (its `#!/usr/bin/env node` line starts node).
/// `tsx` becomes `node --import tsx`: node stays PID 1, and tsx loads the TypeScript.
fn binary(
    name: &str,
    args: &[String],
    m: &Manifest,
    bins: &LockBins,
    shown: &str,
) -> Result<Entry, String> {
    let (package, file) = match bins.0.get(name) {
        Some((package, file)) => (package.clone(), Some(file.clone())),
        None => (
            KNOWN_BINS
                .iter()
                .find(|(bin, _)| *bin == name)
                .map(|(_, p)| p.to_string())
                .unwrap_or_else(|| name.to_string()),
            None,
        ),
    };
    if !m.dependencies.contains(&package) {
        return Err(if m.dev_dependencies.contains(&package) {
            format!("`{name}` comes from `{package}`, a dev dependency, which the image leaves out")
        } else {
            format!("`{name}` is no binary of a dependency in package.json")
        });
    }
    let env: Vec<(String, String)> = BIN_ENV
        .iter()
        .filter(|(bin, _, _)| *bin == name)
        .map(|(_, k, v)| (k.to_string(), v.to_string()))
        .collect();
    if name == "tsx" {
        let file = crate::presets::node::start::node_file(args);
        return Ok(Entry {
            words: ["node", "--import", "tsx"]
                .into_iter()
                .map(str::to_string)
                .chain(args.iter().cloned())
                .collect(),
            file,
            source: format!(
                "{shown}: tsx (a production dependency) as node's loader, so node is PID 1"
            ),
            env,
            ..Entry::default()
        });
    }
    let (words, needs_shell, how) = match file {
        Some(file) => (
            ["node".to_string(), format!("node_modules/{package}/{file}")]
                .into_iter()
                .chain(args.iter().cloned())
                .collect(),
            false,
            format!("`{name}` is {package}'s `{file}` (package-lock.json), run by node"),
        ),
        None => (
            std::iter::once(format!("node_modules/.bin/{name}"))
                .chain(args.iter().cloned())
                .collect(),
            true,
            format!("`{name}` from node_modules/.bin ({package})"),
        ),
    };
    Ok(Entry {
        words,
        file: None,
        source: format!("{shown}: {how}, a production dependency"),
        env,
        needs_shell,
        default_port: BIN_PORTS
            .iter()
            .find(|(bin, _)| *bin == name)
            .map(|(_, port)| (*port, format!("the default port of `{name}`"))),
        ..Entry::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (path, text) in files {
            std::fs::write(dir.path().join(path), text).expect("write");
        }
        dir
    }

    const LOCK: &str = r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/fastify-cli":{"bin":{"fastify":"cli.js"}},"node_modules/@nestjs/cli":{"dev":true,"bin":{"nest":"bin/nest.js"}},"node_modules/x/node_modules/y":{"bin":{"y":"y.js"}}}}"#;

    fn start(script: &str, json: &str, files: &[(&str, &str)]) -> Option<Result<Entry, String>> {
        let dir = app(files);
        let files = ProjectFiles::new(dir.path());
        let m = Manifest::parse(json).expect("manifest");
        from_script("start", script, &m, &files, "", &LockBins::read(&files))
    }

    #[test]
    fn a_binary_of_a_production_dependency_runs_under_node() {
        let json = r#"{"dependencies":{"fastify-cli":"7"}}"#;
        let e = start(
            "fastify start -l info app.js",
            json,
            &[("package-lock.json", LOCK)],
        )
        .expect("handled")
        .expect("an entry");
        assert_eq!(
            e.words,
            [
                "node",
                "node_modules/fastify-cli/cli.js",
                "start",
                "-l",
                "info",
                "app.js"
            ]
        );
        assert_eq!(
            e.env,
            [("FASTIFY_ADDRESS".to_string(), "0.0.0.0".to_string())]
        );
        assert!(!e.needs_shell);
        // without a lock file to read: the .bin link, whose `#!` needs /usr/bin/env
        let e = start("fastify start app.js", json, &[])
            .and_then(Result::ok)
            .expect("an entry");
        assert_eq!(e.words, ["node_modules/.bin/fastify", "start", "app.js"]);
        assert!(e.needs_shell);
    }

    #[test]
    fn a_dev_dependency_is_not_in_the_image() {
        let json = r#"{"devDependencies":{"@nestjs/cli":"11"}}"#;
        let why = start("nest start", json, &[("package-lock.json", LOCK)])
            .expect("handled")
            .expect_err("unusable");
        assert!(why.contains("`@nestjs/cli`, a dev dependency"));
    }

    #[test]
    fn tsx_is_nodes_loader() {
        let e = start("tsx src/index.ts", r#"{"dependencies":{"tsx":"4"}}"#, &[])
            .and_then(Result::ok)
            .expect("an entry");
        assert_eq!(e.words, ["node", "--import", "tsx", "src/index.ts"]);
        assert_eq!(e.file.as_deref(), Some("src/index.ts"));
    }

    #[test]
    fn a_script_file_runs_with_its_interpreter() {
        let e = start(
            "./start.sh",
            "{}",
            &[("start.sh", "#!/bin/sh\nexec node server.js\n")],
        )
        .and_then(Result::ok)
        .expect("an entry");
        assert_eq!(e.words, ["/bin/sh", "./start.sh"]);
        assert!(e.needs_shell);
        let e = start(
            "run.js --port 1",
            "{}",
            &[("run.js", "#!/usr/bin/env node\n")],
        )
        .and_then(Result::ok)
        .expect("an entry");
        assert_eq!(e.words, ["node", "./run.js", "--port", "1"]);
        assert!(start("./missing.sh", "{}", &[]).is_some_and(|r| r.is_err()));
    }

    /// The reading before `npm_lock`: the whole text as a `serde_json::Value`.
    fn parse_as_value(text: &str) -> IndexMap<String, (String, String)> {
        use serde_json::Value;
        let Ok(doc) = serde_json::from_str::<Value>(text) else {
            return IndexMap::new();
        };
        let mut bins = IndexMap::new();
        let packages = doc.get("packages").and_then(Value::as_object);
        for (key, entry) in packages.into_iter().flatten() {
            let Some(package) = key.strip_prefix("node_modules/") else {
                continue;
            };
            if package.contains("/node_modules/") {
                continue;
            }
            for (name, file) in entry
                .get("bin")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(file) = file.as_str() {
                    bins.entry(name.clone())
                        .or_insert_with(|| (package.to_string(), clean(file)));
                }
            }
        }
        bins
    }

    #[test]
    fn the_lock_reads_as_a_whole_value_would() {
        let texts = [
            LOCK,
            "",
            "[]",
            "null",
            r#"{"packages":[]}"#,
            r#"{"packages":{"node_modules/a":"x","node_modules/b":{"bin":"b.js"}}}"#,
            r#"{"packages":{"node_modules/a":{"bin":{"a":1,"b":"./b.js","c":null}}}}"#,
            // a key twice: the last value, at the first one's place
            r#"{"packages":{"node_modules/a":{"bin":{"x":"1.js"}},"node_modules/b":{"bin":{"x":"2.js","y":"y.js"}},"node_modules/a":{"bin":{"x":"3.js","z":"z.js"}}}}"#,
            r#"{"packages":{"node_modules/a":{"bin":{"a":"a.js"},"bin":"none"}}}"#,
            r#"{"packages":{"node_modules/a":{"bin":{"a":"a.js","a":"b.js"}}}}"#,
            r#"{"packages":{"node_modules/a":{"bin":{"a":"a.js"}}},"packages":{}}"#,
            // escapes in keys and values
            r#"{"packages":{"node_modules\/a":{"bin":{"a":"bin\/a.js"}}}}"#,
            // not JSON, or JSON that `Value` refuses
            r#"{"packages":{"node_modules/a":{"bin":{"a":"a.js"}}}} x"#,
            r#"{"packages":{"node_modules/a":{"bin":{"a":"a.js"}}},"n":1e999}"#,
            r#"{"packages":{"node_modules/a":{"bin":{"a":"a.js"}}},"s":"\ud800"}"#,
            r#"{"packages":{"node_modules/a":{"bin":{"a":"a.js"}}},"s":"\x"}"#,
            r#"{"packages":{"node_modules/a":{"bin":{"a":"a.js"}},}}"#,
            r#"{"packages":{"node_modules/a":{"bin":{"a":"a.js"}}}}"#,
            r#"{"packages":{"node_modules/a":{"dev":true,"n":[1,-2,3.5,{"k":[]}],"bin":{"a":"a.js"}}}}"#,
        ];
        let deep = format!(
            r#"{{"packages":{{"node_modules/a":{{"bin":{{"a":"a.js"}}}}}},"d":{}{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        for text in texts.iter().copied().chain([deep.as_str()]) {
            assert_eq!(LockBins::parse(text).0, parse_as_value(text), "{text}");
        }
        // every lock of the examples and the corpus
        let mut locks = 0;
        for root in ["examples", "tests/realworld"] {
            for dir in std::fs::read_dir(root).expect("a folder of apps").flatten() {
                for lock in [dir.path(), dir.path().join("app")] {
                    let Ok(text) = std::fs::read_to_string(lock.join("package-lock.json")) else {
                        continue;
                    };
                    locks += 1;
                    assert_eq!(LockBins::parse(&text).0, parse_as_value(&text), "{lock:?}");
                }
            }
        }
        assert!(locks > 10, "{locks} locks");
    }

    #[test]
    fn environment_assignments_go_to_the_image() {
        let e = start("PORT=8080 NODE_ENV=production node app.js", "{}", &[])
            .and_then(Result::ok)
            .expect("an entry");
        assert_eq!(e.words, ["node", "app.js"]);
        assert_eq!(e.env, [("PORT".to_string(), "8080".to_string())]);
        assert!(start("node a.js && node b.js", "{}", &[]).is_none());
    }
}
