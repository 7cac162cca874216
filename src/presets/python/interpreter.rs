//! A Python that distroless does not publish (or no longer updates), on distroless cc: the
//! `interpreter` stage copies the python image's own interpreter out of `python:<v>-slim-<debian>`
//! into a folder, and the final image (`gcr.io/distroless/cc-<release>`: glibc, OpenSSL,
//! libstdc++, CA certificates, no shell) gets that folder. What is copied, each at its own
//! path, so that the venv built in `python:<v>-<debian>` finds its interpreter where it was:
//! - the interpreter by each of its names (`python3.12`, `python3`, `python`), links as links;
//! - its standard library, without tests, IDLE, Tk, `ensurepip`, `lib2to3`, site-packages (the
//!   image's pip) and the static library, compiled to bytecode that is never checked against
//!   its sources (the image's files do not change);
//! - every shared library the interpreter and its extension modules link that distroless cc
//!   does not have (libffi, libsqlite3, liblzma, libbz2, zlib, libexpat, ncurses, readline,
//!   libpython where it is one), into the system's library folder, where the loader looks
//!   without a cache.

use crate::ir::{Base, Copy, Run, Stage};
use crate::presets::python::{BUILDER_IMAGE, COPIED};

/// The folder the `interpreter` stage fills, copied whole onto the final image's `/`.
pub(crate) const ROOT: &str = "/rootfs";

/// The program that copies the interpreter: `python -c PROGRAM <root> [bytecode]`. The C
/// library, the C++ runtime, OpenSSL and the loader are distroless cc's own, never copied.
const PROGRAM: &str = r#"import compileall, os, py_compile, re, shutil, subprocess, sys, sysconfig
r = sys.argv[1]
def keep(p):
    os.makedirs(os.path.dirname(r + p), exist_ok=True)
    shutil.copy2(p, r + p, follow_symlinks=False)
def chain(p):
    while os.path.lexists(p) and not os.path.lexists(r + p):
        keep(p)
        if not os.path.islink(p):
            break
        p = os.path.join(os.path.dirname(p), os.readlink(p))
b = os.path.dirname(sys.executable)
for n in sorted(os.listdir(b)):
    if n.startswith('python') and not n.endswith('-config'):
        chain(os.path.join(b, n))
chain(os.path.realpath(sys.executable))
lib = sysconfig.get_path('stdlib')
skip = {'test', 'tests', 'idle_test', 'idlelib', 'tkinter', 'turtledemo', 'lib2to3', 'ensurepip', '__pycache__', 'site-packages', 'dist-packages'}
shutil.copytree(lib, r + lib, ignore=lambda d, ns: [n for n in ns if n in skip or n.startswith('config-')], ignore_dangling_symlinks=True)
dyn = sysconfig.get_config_var('DESTSHARED')
objs = [os.path.realpath(sys.executable)] + sorted(os.path.join(dyn, n) for n in os.listdir(dyn) if n.endswith('.so'))
own = re.compile(r'(ld-linux.*|lib(c|m|dl|rt|pthread|resolv|util|anl|nss_\w+|gcc_s|stdc\+\+|ssl|crypto)\.so(\.\d+)*)$')
dest = r + '/usr/lib/' + sysconfig.get_config_var('MULTIARCH') + '/'
os.makedirs(dest, exist_ok=True)
for line in subprocess.run(['ldd'] + objs, capture_output=True, text=True, check=True).stdout.splitlines():
    w = line.split()
    if len(w) > 2 and w[1] == '=>' and w[2].startswith('/') and not own.match(w[0]) and not os.path.exists(dest + w[0]):
        shutil.copy(w[2], dest + w[0])
if sys.argv[2:] == ['bytecode']:
    compileall.compile_dir(r + lib, ddir=lib, quiet=1, workers=0, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
"#;

/// The image the interpreter is copied from: the python image's slim flavour of distroless
/// cc's Debian release, for Python `minor`.
pub(crate) fn source_image(minor: &str) -> String {
    format!("{BUILDER_IMAGE}:{minor}-slim-{}", COPIED.debian)
}

/// The `interpreter` stage; `bytecode`: the standard library compiled too.
pub(crate) fn stage(minor: &str, bytecode: bool) -> Stage {
    let mut words = vec![
        format!("python{minor}"),
        "-c".to_string(),
        PROGRAM.to_string(),
        ROOT.to_string(),
    ];
    if bytecode {
        words.push("bytecode".to_string());
    }
    Stage::new(
        "interpreter",
        "the python image's interpreter, standard library and the libraries they link, for distroless cc",
        Base::Image(source_image(minor)),
    )
    .step(Run::exec(words))
}

/// The final image's copy of the interpreter: the stage's folder onto `/`.
pub(crate) fn copy() -> Copy {
    Copy::from_stage("interpreter", &[&format!("{ROOT}/")], "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    #[test]
    fn the_stage_copies_from_the_slim_image_of_distroless_cc_s_release() {
        assert_eq!(source_image("3.12"), "python:3.12-slim-trixie");
        let stage = stage("3.12", true);
        assert_eq!(stage.name, "interpreter");
        assert!(matches!(&stage.base, Base::Image(i) if i == "python:3.12-slim-trixie"));
    }

    /// The program on this machine's Python: the interpreter, its standard library and the
    /// libraries its modules link end up at their own paths under the root, and nothing of
    /// glibc or OpenSSL.
    #[test]
    fn the_program_copies_the_interpreter_it_runs_on() {
        let probe = Command::new("python3")
            .args([
                "-c",
                "import sysconfig, sys; print(sysconfig.get_config_var('MULTIARCH') or '')",
            ])
            .output();
        let multiarch = match probe {
            Ok(out) if out.status.success() && !out.stdout.trim_ascii().is_empty() => {
                String::from_utf8_lossy(out.stdout.trim_ascii()).to_string()
            }
            _ => {
                eprintln!("skipped: no python3 with a multiarch triplet on this machine");
                return;
            }
        };
        let root = tempfile::tempdir().expect("tempdir");
        let root_s = root.path().to_str().expect("utf-8 path");
        let status = Command::new("python3")
            .args(["-c", PROGRAM, root_s])
            .status()
            .expect("python3 runs");
        assert!(status.success());
        let out = Command::new("python3")
            .args(["-c", "import os, sys, sysconfig; print(os.path.realpath(sys.executable)); print(sysconfig.get_path('stdlib'))"])
            .output()
            .expect("python3 runs");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let mut lines = text.lines();
        let (exe, stdlib) = (lines.next().expect("exe"), lines.next().expect("stdlib"));
        let under = |p: &str| root.path().join(p.trim_start_matches('/'));
        assert!(under(exe).is_file(), "{exe}");
        assert!(under(&format!("{stdlib}/os.py")).is_file());
        assert!(under(&format!("{stdlib}/json/__init__.py")).is_file());
        for gone in ["ensurepip", "test", "site-packages", "idlelib"] {
            assert!(!under(&format!("{stdlib}/{gone}")).exists(), "{gone}");
        }
        let libs: Vec<String> = std::fs::read_dir(under(&format!("/usr/lib/{multiarch}")))
            .expect("lib folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
            .collect();
        for own in ["libc.so.6", "libm.so.6", "libssl.so.3", "libcrypto.so.3"] {
            assert!(!libs.contains(&own.to_string()), "{own} in {libs:?}");
        }
        if Path::new(&format!("{stdlib}/lib-dynload")).is_dir() {
            assert!(libs.iter().any(|l| l.starts_with("libffi")), "{libs:?}");
        }
    }
}
