//! Whether the app's own sources run a shell (or npm) at run time: `child_process`'s `exec` and
//! `execSync` run their command with `/bin/sh -c`, `spawn(..., { shell: true })` too, and a
//! spawn of `sh`, `bash`, `npm` or `npx` by name needs those programs. None of them is on
//! distroless, so such an app keeps a slim final image by default
//! ([`distroless`](super::distroless)); Node's and Bun's presets both ask.
//!
//! Read: the JavaScript and TypeScript files of the app's folder, a few folders down, leaving
//! out installed packages, build output and tests; a bounded number of files, each read only
//! when it is small. A false alarm costs a larger image, never a broken one.

use crate::presets::common::Sources;
use crate::project::ProjectFiles;

/// Source files read.
const EXTENSIONS: &[&str] = &[".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"];
/// Folders that hold no source of the app's own run time.
const SKIPPED: &[&str] = &[
    "node_modules",
    ".git",
    ".next",
    ".nuxt",
    ".output",
    ".svelte-kit",
    "dist",
    "build",
    "coverage",
    "test",
    "tests",
    "__tests__",
    "e2e",
];
/// What, in a file that uses `child_process`, runs a shell or a package manager.
const SHELL_CALLS: &[&str] = &[
    "exec(",
    "execSync(",
    "shell: true",
    "shell:true",
    "'sh'",
    "\"sh\"",
    "'bash'",
    "\"bash\"",
    "'/bin/sh'",
    "\"/bin/sh\"",
    "'npm'",
    "\"npm\"",
    "'npx'",
    "\"npx\"",
];

/// Why the app's sources under `dir` need a shell at run time, in a few words, when they do.
pub(crate) fn why(files: &ProjectFiles, dir: &str) -> Option<String> {
    shell_at_run_time(files, dir).map(|(file, call)| {
        format!("`{file}` runs a shell or npm at run time (child_process, `{call}`)")
    })
}

/// The first source file under `dir` that runs a shell or npm at run time, and the call.
fn shell_at_run_time(files: &ProjectFiles, dir: &str) -> Option<(String, &'static str)> {
    let sources = Sources {
        is_source,
        skipped: SKIPPED,
    };
    sources.first(files, dir, shell_call)
}

fn is_source(name: &str) -> bool {
    EXTENSIONS.iter().any(|e| name.ends_with(e))
        && !name.contains(".test.")
        && !name.contains(".spec.")
        && !name.ends_with(".d.ts")
}

/// The call in `text` that runs a shell, when the file uses `child_process`.
fn shell_call(text: &str) -> Option<&'static str> {
    if !text.contains("child_process") {
        return None;
    }
    SHELL_CALLS.iter().copied().find(|call| text.contains(call))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_and_shells_by_name_but_not_exec_file() {
        let cp = "const { exec } = require('node:child_process');\n";
        assert_eq!(shell_call(&format!("{cp}exec('ls', cb)")), Some("exec("));
        assert_eq!(
            shell_call("import { spawn } from 'child_process'; spawn('npm', ['run', 'x'])"),
            Some("'npm'")
        );
        assert_eq!(
            shell_call(
                "import { execFile } from 'child_process'; execFile(process.execPath, ['w.js'])"
            ),
            None
        );
        // A regular expression's `exec(` in a file that spawns nothing.
        assert_eq!(shell_call("/a/.exec(s)"), None);
    }

    #[test]
    fn sources_only_not_packages_tests_or_output() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        };
        let shell = "require('child_process').execSync('git rev-parse HEAD')";
        write("node_modules/x/index.js", shell);
        write("test/a.js", shell);
        write("src/a.test.js", shell);
        write("dist/a.js", shell);
        write("src/server.js", "require('http')");
        let files = ProjectFiles::new(dir.path());
        assert_eq!(shell_at_run_time(&files, ""), None);
        write("src/jobs/report.ts", shell);
        assert_eq!(
            shell_at_run_time(&files, ""),
            Some(("src/jobs/report.ts".to_string(), "execSync("))
        );
    }
}
