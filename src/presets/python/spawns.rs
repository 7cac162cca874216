//! Whether the app's own code runs a shell at run time: `os.system`, `os.popen`, `subprocess`
//! with `shell=True` and its `getoutput` helpers run their command with `/bin/sh -c`, and a
//! spawn of `sh` or `bash` by name needs those programs. Distroless has neither, so such an app
//! keeps a slim final image by default ([`default_base`](super::default_base)).
//!
//! Read: the `.py` files of the app, a few folders down ([`Sources`]), leaving out virtual
//! environments, build output, tests and the development tools' own files (`setup.py`,
//! `noxfile.py`, ...), which do not run in the image. A false alarm costs a larger image,
//! never a broken one.

use crate::presets::common::Sources;
use crate::project::ProjectFiles;

/// Folders that hold no source of the app's own run time.
const SKIPPED: &[&str] = &[
    ".venv",
    "venv",
    "env",
    ".git",
    ".tox",
    ".nox",
    "__pycache__",
    "node_modules",
    "site-packages",
    "build",
    "dist",
    "docs",
    "test",
    "tests",
];
/// Files of the development tools, never run in the image.
const TOOL_FILES: &[&str] = &[
    "setup.py",
    "conftest.py",
    "noxfile.py",
    "fabfile.py",
    "tasks.py",
    "dodo.py",
];
/// What runs a shell.
const SHELL_CALLS: &[&str] = &[
    "os.system(",
    "os.popen(",
    "shell=True",
    "getoutput(",
    "getstatusoutput(",
    "[\"sh\"",
    "['sh'",
    "[\"bash\"",
    "['bash'",
    "\"/bin/sh\"",
    "'/bin/sh'",
];

/// Why the app's code needs a shell at run time, in a few words, when it does.
pub(super) fn why(files: &ProjectFiles) -> Option<String> {
    let sources = Sources {
        is_source,
        skipped: SKIPPED,
    };
    sources
        .first(files, "", shell_call)
        .map(|(file, call)| format!("`{file}` runs a shell at run time (`{call}`)"))
}

fn is_source(name: &str) -> bool {
    name.ends_with(".py")
        && !TOOL_FILES.contains(&name)
        && !name.starts_with("test_")
        && !name.ends_with("_test.py")
}

fn shell_call(text: &str) -> Option<&'static str> {
    SHELL_CALLS.iter().copied().find(|call| text.contains(call))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shells_but_not_argument_lists() {
        assert_eq!(shell_call("import os\nos.system('ls')"), Some("os.system("));
        assert_eq!(
            shell_call("subprocess.run(cmd, shell=True, check=True)"),
            Some("shell=True")
        );
        assert_eq!(
            shell_call("subprocess.run(['sh', '-c', 'x'])"),
            Some("['sh'")
        );
        assert_eq!(shell_call("subprocess.run(['ffmpeg', '-i', path])"), None);
    }

    #[test]
    fn the_app_s_files_not_tests_tools_or_venvs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        };
        let shell = "import os\nos.system('date')\n";
        write(".venv/lib/x.py", shell);
        write("tests/test_app.py", shell);
        write("test_app.py", shell);
        write("setup.py", shell);
        write("app.py", "from flask import Flask\n");
        let files = ProjectFiles::new(dir.path());
        assert_eq!(why(&files), None);
        write("jobs/report.py", shell);
        assert_eq!(
            why(&files).as_deref(),
            Some("`jobs/report.py` runs a shell at run time (`os.system(`)")
        );
    }
}
