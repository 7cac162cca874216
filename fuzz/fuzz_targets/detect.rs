//! Fuzz every preset's detection over generated app folders: the input picks files (manifests,
//! lock files, sources, nested folders) with contents built from templates and the input's own
//! bytes, and symlinks (to `/`, to `..`, to itself, to a folder beside the app), writes them
//! into a fresh temporary folder, and runs `stagegen init`'s detection and then `dockerfile` on
//! the build.toml it wrote (or on one naming each preset, when init found nothing). Neither may
//! panic or hang (libFuzzer's `-timeout`), and no output may name a path outside the folder:
//! no `COPY` source that is absolute or climbs with `..`, and nothing of the folder beside it
//! (its name is a sentinel). Run: `cargo +nightly fuzz run detect fuzz/corpus/detect` (seed
//! corpus: `fuzz/corpus/detect/`, kept in the repo; fuzz/run-bounded.sh runs it in CI).
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stagegen::init::{init, InitRequest};

/// The folder beside every generated app, which the input's values may name (`../beside/*`).
const BESIDE: &str = "beside";
/// A name that appears only inside the folder beside the app (its package names, a file
/// name): an output that contains it read a file outside the app's folder.
const SENTINEL: &str = "sentinel-outside-the-context";

/// The folder that holds every generated app, and beside them the sentinel folder.
fn parent() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("stagegen-fuzz-detect-{}", std::process::id()));
        let outside = dir.join(BESIDE);
        let _ = std::fs::create_dir_all(outside.join("pkg"));
        let manifest = format!("{{\"name\":\"{SENTINEL}\",\"version\":\"1.0.0\"}}");
        let _ = std::fs::write(outside.join("package.json"), &manifest);
        let _ = std::fs::write(outside.join("pkg/package.json"), &manifest);
        let _ = std::fs::write(outside.join("pom.xml"), format!("<project><artifactId>{SENTINEL}</artifactId></project>"));
        let _ = std::fs::write(outside.join(format!("{SENTINEL}.cjs")), "x");
        dir
    })
}

/// Reads choices from the input, then zeros.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn pick<'t>(&mut self, from: &[&'t str]) -> &'t str {
        from[self.byte() as usize % from.len()]
    }

    /// Up to 64 raw bytes of the input, as text (lossy).
    fn text(&mut self) -> String {
        let n = (self.byte() as usize % 64).min(self.0.len());
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8_lossy(taken).into_owned()
    }

    /// A value: one of a few meaningful ones, the input's bytes, or something repeated long.
    fn value(&mut self) -> String {
        match self.byte() % 8 {
            0 => self.text(),
            1 => "../outside".to_string(),
            2 => format!("../{BESIDE}/*"),
            3 => "/etc/passwd".to_string(),
            4 => self.pick(&["packages/*", "apps/*", "./a", "a/../..", "*", "**", "!x"]).to_string(),
            5 => {
                let unit = self.pick(&["[", "{\"a\":", "<a>", "../", ":80", "a."]);
                unit.repeat(1 + self.byte() as usize * 8)
            }
            6 => self.pick(&["8080", "3.12", "22", "17", "1.22", "pnpm@9.1.0", "yarn@4.5.0"]).to_string(),
            _ => format!("v{}", self.byte()),
        }
    }
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The text of a file named `name`, from a template filled with values from the input.
fn content(name: &str, b: &mut Bytes<'_>) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    if b.byte() % 5 == 0 {
        return b.text();
    }
    match base {
        "package.json" => {
            let workspaces = match b.byte() % 3 {
                0 => String::new(),
                1 => format!(",\"workspaces\":[{},{}]", json(&b.value()), json(&b.value())),
                _ => format!(",\"workspaces\":{{\"packages\":[{}]}}", json(&b.value())),
            };
            format!(
                "{{\"name\":{},\"main\":{},\"scripts\":{{\"start\":{},\"build\":{}}},\"dependencies\":{{{}:\"*\"}},\"engines\":{{\"node\":{}}},\"packageManager\":{}{workspaces}}}",
                json(&b.value()),
                json(&b.value()),
                json(&format!("node {}", b.value())),
                json(&b.value()),
                json(&b.value()),
                json(&b.value()),
                json(&b.value()),
            )
        }
        "pnpm-workspace.yaml" => format!("packages:\n  - {}\n  - \"{}\"\n", b.value(), b.value()),
        ".yarnrc.yml" => format!("yarnPath: {}\nnodeLinker: {}\n", b.value(), b.value()),
        "pnpm-lock.yaml" => format!("lockfileVersion: '{}'\n", b.value()),
        "yarn.lock" => format!("__metadata:\n  version: {}\n", b.value()),
        "package-lock.json" => format!("{{\"lockfileVersion\":{}}}", b.byte() % 4),
        "pyproject.toml" => format!(
            "[project]\nname = {}\nrequires-python = {}\ndependencies = [{}]\n[project.scripts]\napp = {}\n[tool.poetry]\npackages = [{{ include = {} }}]\n",
            json(&b.value()),
            json(&b.value()),
            json(&b.value()),
            json(&b.value()),
            json(&b.value()),
        ),
        "requirements.txt" => format!("-r {}\n-c {}\n{}\nflask\n", b.value(), b.value(), b.value()),
        "pom.xml" => format!(
            "<project><modules><module>{}</module></modules><parent><relativePath>{}</relativePath></parent><properties><maven.compiler.release>{}</maven.compiler.release></properties><build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><configuration><archive><manifest><mainClass>{}</mainClass></manifest></archive></configuration></plugin></plugins></build>{}</project>",
            b.value(),
            b.value(),
            b.value(),
            b.value(),
            b.value(),
        ),
        "build.gradle" => format!("plugins {{ id 'application' }}\napplication {{ mainClass = '{}' }}\n", b.value()),
        "settings.gradle" => format!("include '{}'\n", b.value()),
        "go.mod" => format!("module {}\n\ngo {}\n\nreplace a => {}\n", b.value(), b.value(), b.value()),
        "go.work" => format!("go 1.22\n\nuse {}\n", b.value()),
        "main.go" => format!(
            "package main\n\nimport \"net/http\"\n\nfunc main() {{ http.ListenAndServe(\":{}\", nil) }}\n{}\n",
            b.value(),
            b.value()
        ),
        "App.java" => format!("class App {{ void m() {{ server.listen({}); }} }}\n", b.value()),
        "app.py" | "main.py" | "manage.py" => {
            format!("import flask\napp = flask.Flask(__name__)\nPORT = {}\nif __name__ == \"__main__\":\n    app.run()\n", b.value())
        }
        "index.js" | "server.js" => format!("require('http').createServer().listen({});\n", b.value()),
        _ => b.value(),
    }
}

/// Where files may go (nested folders included).
const FILES: &[&str] = &[
    "package.json",
    "package-lock.json",
    "pnpm-lock.yaml",
    "pnpm-workspace.yaml",
    "yarn.lock",
    ".yarnrc.yml",
    ".yarn/releases/yarn-4.5.0.cjs",
    ".yarn/plugins/@yarnpkg/plugin.cjs",
    ".nvmrc",
    "index.js",
    "src/server.js",
    "packages/a/package.json",
    "packages/b/package.json",
    "apps/web/package.json",
    "pyproject.toml",
    "requirements.txt",
    "requirements/base.txt",
    "poetry.lock",
    "uv.lock",
    ".python-version",
    "app.py",
    "main.py",
    "manage.py",
    "pom.xml",
    "api/pom.xml",
    "mvnw",
    ".mvn/wrapper/maven-wrapper.properties",
    "build.gradle",
    "settings.gradle",
    "src/main/java/App.java",
    "go.mod",
    "go.sum",
    "go.work",
    "main.go",
    "cmd/api/main.go",
    "services/api/go.mod",
];

/// Where symlinks may go, and what they may point at.
const LINKS: &[&str] = &[
    ".yarn/releases/host",
    ".yarn/plugins/loop",
    ".yarn/patches/up",
    "packages/evil",
    "packages",
    "src/main/java/loop",
    "cmd/api",
    "requirements/base.txt",
    "pom.xml",
    "package.json",
    "web",
];
const TARGETS: &[&str] = &["/", "..", ".", "../..", "/etc/passwd", "/root", "loop"];

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let _ = std::fs::write(path, text);
}

/// Build the app folder the input describes in `dir`.
fn generate(dir: &Path, b: &mut Bytes<'_>) {
    let files = 1 + b.byte() % 12;
    for _ in 0..files {
        let name = b.pick(FILES);
        let text = content(name, b);
        write(dir, name, &text);
    }
    let links = b.byte() % 4;
    for _ in 0..links {
        let link = dir.join(b.pick(LINKS));
        let target = match b.byte() % (TARGETS.len() as u8 + 1) {
            i if (i as usize) < TARGETS.len() => PathBuf::from(TARGETS[i as usize]),
            _ => parent().join(BESIDE),
        };
        if let Some(p) = link.parent() {
            let _ = std::fs::create_dir_all(p);
        }
        let _ = std::fs::remove_file(&link);
        let _ = std::os::unix::fs::symlink(&target, &link);
    }
}

/// What must never be in an output: a path outside the app's folder.
fn check(what: &str, text: &str) {
    assert!(!text.contains(SENTINEL), "{what} names the folder beside the app:\n{text}");
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("COPY ") else {
            continue;
        };
        if rest.contains("--from=") {
            continue;
        }
        // The sources: every word but the flags and the destination. Escaped or quoted words
        // are read as written; a leading `/` or a `..` part is what matters.
        let words: Vec<&str> = rest.split_whitespace().filter(|w| !w.starts_with("--")).collect();
        let Some((_, sources)) = words.split_last() else {
            continue;
        };
        for s in sources {
            let s = s.trim_matches(['"', '[', ']', ',']);
            assert!(
                !s.starts_with('/') && !s.split('/').any(|p| p == ".."),
                "{what} copies `{s}` from outside the context:\n{line}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(app) = tempfile::tempdir_in(parent()) else {
        return;
    };
    let mut b = Bytes(data);
    generate(app.path(), &mut b);
    let specs: Vec<String> = match init(app.path(), &InitRequest::default()) {
        Ok(out) => {
            check("init's build.toml", &out.text);
            for line in &out.summary {
                check("init's summary", line);
            }
            vec![out.text]
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                check("init's diagnostic", &format!("{d:?}"));
            }
            // Nothing (or several kinds) found: try each preset on the folder anyway.
            ["go", "node", "python", "java"]
                .iter()
                .map(|p| format!("version = 1\n[preset]\nname = \"{p}\"\n"))
                .collect()
        }
    };
    for spec in specs {
        let out = stagegen::driver::compile_bytes_to_text("build.toml", spec.into_bytes(), app.path());
        check("the output", &out);
    }
});
