//! A standard-library Python program, run by the builder's own Python (3.11 or newer, for
//! `tomllib`), that reads a Poetry lock of lock-version 2.1 and writes the hashed requirements
//! `poetry export` writes for the chosen groups, so the dependency install needs only the
//! image's pip: no tools venv, no uv, no Poetry (their install was most of a cold build).
//! [`super::poetry_lock_check`] decides at compile time that the lock is one it reads exactly;
//! the program checks again at build time and fails, naming the package and saying to run
//! `stagegen dockerfile` again, rather than write a partial or wrong file.
//!
//! Arguments: `PATH=GROUP,GROUP...` for each requirements file, `--`, then the command to run
//! once every file is written (pip, installing the first). It reads `pyproject.toml` and
//! `poetry.lock` in the working directory and, as Poetry's export does:
//! - refuses a lock whose `content-hash` no longer matches `pyproject.toml` (with Poetry's
//!   message: run `poetry lock`), Poetry's hash of the same sections;
//! - keeps a package when one of its `groups` is selected, with the union of its `markers`
//!   (a string for all its groups, or a table by group; a group missing from the table, or no
//!   markers, means everywhere) over the selected groups;
//! - leaves out a package whose marker holds only with an extra (`optional = true` ones: no
//!   extra is asked for, as `poetry export` without `--extras`);
//! - writes `name==version ; marker`, the name normalized, and one `--hash=algo:hex` per file
//!   (sha256, sha384, sha512; a bare hex is sha256), sorted, the lines sorted.
//!
//! One difference by design: `poetry export` adds the project's Python range to every marker
//! (`python_version >= "3.11" and ...`); the compile-time check only takes this path when the
//! build's Python is in that range, where the added clause is true, so pip installs the same.
//! Strings in the program are single-quoted, so the Dockerfile's JSON escapes little but
//! newlines.

/// The program, for `python3.X -c`.
pub(crate) const SCRIPT: &str = r#"import hashlib, json, os, re, sys, tomllib

AGAIN = 'run `stagegen dockerfile` again: it installs such a lock with Poetry'
HASHES = ('sha256', 'sha384', 'sha512')
NEXT = ' ' + chr(92) + chr(10) + '    --hash='


def fail(why):
    sys.exit('error: poetry.lock: ' + why)


def canon(name):
    return re.sub('[-_.]+', '-', name).lower()


def content_hash(pyproject, with_groups):
    project = pyproject.get('project', {})
    groups = pyproject.get('dependency-groups', {}) if with_groups else {}
    poetry = pyproject.get('tool', {}).get('poetry', {})
    keys = ('requires-python', 'dependencies', 'optional-dependencies')
    mine = {k: project[k] for k in keys if project.get(k) is not None}
    legacy = ('dependencies', 'source', 'extras', 'dev-dependencies')
    tool = {}
    for k in legacy + ('group',):
        if poetry.get(k) is not None or (k in legacy and not mine and not groups):
            tool[k] = poetry.get(k)
    content = {}
    if mine:
        content['project'] = mine
    if groups:
        content['dependency-groups'] = groups
    content = dict(content, tool={'poetry': tool}) if content else tool
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def fresh(pyproject, metadata, first_line):
    want = metadata.get('content-hash')
    if want == content_hash(pyproject, True):
        return True
    by = re.search('Poetry ([0-9]+)[.]([0-9]+)', first_line)
    old = by is not None and (int(by[1]), int(by[2])) < (2, 3)
    return old and want == content_hash(pyproject, False)


def extra_only(marker):
    # True: the marker holds only with an extra (none is installed); False: it names no extra
    if 'extra' not in marker:
        return False
    if '(' in marker:
        return None
    for part in marker.split(' or '):
        atoms = [a.strip() for a in part.split(' and ')]
        if not any(re.fullmatch('extra == "[^"]*"', a) for a in atoms):
            return None
    return True


def marker(package, groups, name):
    # The package's marker for the groups: None leaves it out, '' installs it everywhere
    table = package.get('markers', '*')
    found = []
    for group in package['groups']:
        if canon(group) in groups:
            found.append(table.get(group, '*') if isinstance(table, dict) else table)
    if not found:
        return None
    if '*' in found:
        return ''
    found = list(dict.fromkeys(found))
    kinds = {extra_only(m) for m in found}
    if kinds == {True}:
        return None
    if kinds == {False}:
        return ' or '.join(found)
    fail(f'package {name} has markers on extras this reader cannot evaluate: {found}; ' + AGAIN)


def hashes(package, name):
    out = []
    for file in package.get('files', []):
        parts = file['hash'].split(':')
        if len(parts) == 1:
            parts.insert(0, 'sha256')
        if len(parts) != 2:
            fail(f'package {name} has a hash this reader cannot read: {file["hash"]}; ' + AGAIN)
        if parts[0] in HASHES:
            out.append(':'.join(parts))
    if not out:
        fail(f'package {name} has no file hashes; ' + AGAIN)
    return sorted(out)


def requirements(lock, groups):
    lines = set()
    for package in lock.get('package', []):
        name = f'`{package.get("name")}` {package.get("version")}'
        if not isinstance(package.get('groups'), list):
            fail(f'package {name} has no groups; ' + AGAIN)
        if 'source' in package:
            fail(f'package {name} is not from PyPI ({package["source"].get("type")}); ' + AGAIN)
        found = marker(package, groups, name)
        if found is None:
            continue
        line = canon(package['name']) + '==' + package['version']
        if found:
            line += ' ; ' + found
        lines.add(line + ''.join(NEXT + h for h in hashes(package, name)))
    return ''.join(line + chr(10) for line in sorted(lines)) or chr(10)


def main(args):
    end = args.index('--')
    with open('pyproject.toml', 'rb') as f:
        pyproject = tomllib.load(f)
    with open('poetry.lock', 'rb') as f:
        first_line = f.readline().decode()
        f.seek(0)
        lock = tomllib.load(f)
    metadata = lock.get('metadata', {})
    if metadata.get('lock-version') != '2.1':
        fail(f'lock-version {metadata.get("lock-version")} is not 2.1; ' + AGAIN)
    if not fresh(pyproject, metadata, first_line):
        fail('pyproject.toml changed significantly since poetry.lock was last generated: run `poetry lock` to fix the lock file')
    texts = {}
    for output in args[:end]:
        path, _, groups = output.partition('=')
        texts[path] = requirements(lock, {canon(g) for g in groups.split(',')})
    for path, text in texts.items():
        with open(path + '.tmp', 'w', encoding='utf-8') as f:
            f.write(text)
        os.replace(path + '.tmp', path)
    os.execv(args[end + 1], args[end + 1:])


main(sys.argv[1:])"#;

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use super::SCRIPT;

    /// The machine's `python3` when it has `tomllib` (3.11 or newer); `None`, printed, when not.
    fn python() -> Option<&'static str> {
        let ok = Command::new("python3")
            .args(["-c", "import tomllib"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("skipped: no python3 with tomllib (3.11 or newer) on this machine");
        }
        ok.then_some("python3")
    }

    /// What the program did in `dir`: its exit status, stdout (the command it ran after `--`
    /// prints `ran`), stderr, and the requirements files it wrote (`None` when absent).
    struct Run {
        ok: bool,
        stdout: String,
        stderr: String,
        main: Option<String>,
        dev: Option<String>,
    }

    fn run(python: &str, dir: &Path, dev_groups: &str) -> Run {
        let main = dir.join("main.txt");
        let dev = dir.join("dev.txt");
        let out = Command::new(python)
            .current_dir(dir)
            .args(["-c", SCRIPT])
            .arg(format!("{}=main", main.display()))
            .arg(format!("{}={dev_groups}", dev.display()))
            .args(["--", "/bin/sh", "-c", "echo ran"])
            .output()
            .expect("python3 runs");
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            main: std::fs::read_to_string(main).ok(),
            dev: std::fs::read_to_string(dev).ok(),
        }
    }

    fn app(pyproject: &str, lock: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("pyproject.toml"), pyproject).expect("write");
        std::fs::write(dir.path().join("poetry.lock"), lock).expect("write");
        dir
    }

    fn example(file: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/python-poetry")
            .join(file);
        std::fs::read_to_string(path).expect("example file")
    }

    /// The example's lock, read by hand: click alone in main; the dev group adds pytest and
    /// what it needs, colorama only on Windows.
    #[test]
    fn reads_the_example_lock() {
        let Some(python) = python() else { return };
        let dir = app(&example("pyproject.toml"), &example("poetry.lock"));
        let r = run(python, dir.path(), "main,dev");
        assert!(r.ok, "{}", r.stderr);
        assert_eq!(r.stdout, "ran\n");
        let click = "click==8.5.1 \\\n    \
            --hash=sha256:8bb5376d2006950386f8c6427613334a2acadc5f559cb80e638d00b4df957e37 \\\n    \
            --hash=sha256:9bbfada76703fd1d784b83eea012e3e8c6a001a876543ef104fa56aaaeb072b4\n";
        assert_eq!(r.main.as_deref(), Some(click));
        let dev = r.dev.expect("dev requirements");
        let names: Vec<&str> = dev.lines().filter(|l| !l.starts_with(' ')).collect();
        assert_eq!(
            names,
            [
                "click==8.5.1 \\",
                "colorama==0.4.6 ; sys_platform == \"win32\" \\",
                "iniconfig==2.3.1 \\",
                "packaging==26.3 \\",
                "pluggy==1.7.0 \\",
                "pygments==2.21.0 \\",
                "pytest==8.4.2 \\",
            ]
        );
        assert!(dev.starts_with(click), "{dev}");
        assert!(dev.contains(
            "pytest==8.4.2 \\\n    \
            --hash=sha256:86c0d0b93306b961d58d62a4db4879f27fe25513d4b969df351abdddb3c30e01 \\\n    \
            --hash=sha256:872f880de3fc3a5bdc88a11b39c9710c3497a547cfa9320bc3c5e62fbf272e79\n"
        ));
    }

    /// Several groups, a marker table, an optional package, names to normalize and hashes to
    /// sort, keep or drop. `content-hash` is Poetry's for [`PYPROJECT`].
    const PYPROJECT: &str = include_str!("../../../tests/support/poetry-groups/pyproject.toml");

    const LOCK: &str = include_str!("../../../tests/support/poetry-groups/poetry.lock");

    /// The lock without its one package from another index (which `reads_no_other_source`
    /// keeps).
    fn pypi_only() -> String {
        let start = LOCK.find("[[package]]\nname = \"sphinx\"").expect("sphinx");
        let end = LOCK
            .find("[[package]]\nname = \"typing-extensions\"")
            .expect("next");
        format!("{}{}", &LOCK[..start], &LOCK[end..])
    }

    #[test]
    fn reads_groups_marker_tables_and_optional_packages() {
        let Some(python) = python() else { return };
        let dir = app(PYPROJECT, &pypi_only());
        let r = run(python, dir.path(), "main,dev,test");
        assert!(r.ok, "{}", r.stderr);
        // pdfkit is only for the `pdf` extra; typing-extensions has no main marker.
        let main = "colorama==0.4.6 ; platform_system == \"Windows\" \\\n    --hash=sha256:c1\n\
            requests==2.32.3 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n\
            typing-extensions==4.12.2 \\\n    --hash=sha256:7e\n\
            zope-interface==7.2 \\\n    --hash=sha256:de\n";
        assert_eq!(r.main.as_deref(), Some(main));
        // Both groups' markers for colorama; a bare hex is sha256, md5 is dropped; sphinx's
        // docs group is not asked for.
        let dev = "colorama==0.4.6 ; platform_system == \"Windows\" or sys_platform == \"win32\" \\\n    --hash=sha256:c1\n\
            coverage==7.6.10 \\\n    --hash=sha256:c0ffee\n\
            pytest==8.3.4 \\\n    --hash=sha512:ff\n\
            requests==2.32.3 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n\
            typing-extensions==4.12.2 \\\n    --hash=sha256:7e\n\
            zope-interface==7.2 \\\n    --hash=sha256:de\n";
        assert_eq!(r.dev.as_deref(), Some(dev));
    }

    /// What the program refuses: nothing written, the command not run, a message naming the
    /// package (or the lock) and what to run.
    fn refused(r: &Run, says: &str) {
        assert!(!r.ok, "accepted: {}", r.stderr);
        assert!(r.main.is_none() && r.dev.is_none(), "wrote a file");
        assert!(!r.stdout.contains("ran"), "ran the command");
        assert!(r.stderr.contains(says), "{}", r.stderr);
    }

    #[test]
    fn refuses_a_package_from_another_source() {
        let Some(python) = python() else { return };
        let dir = app(PYPROJECT, LOCK);
        let r = run(python, dir.path(), "main,dev");
        refused(&r, "package `sphinx` 8.1.3 is not from PyPI (legacy)");
        refused(&r, "run `stagegen dockerfile` again");
        let git = pypi_only().replace(
            "[[package]]\nname = \"typing-extensions\"",
            "[[package]]\nname = \"toolbar\"\nversion = \"3.2.4\"\noptional = false\n\
             groups = [\"dev\"]\nfiles = []\n\n[package.source]\ntype = \"git\"\n\
             url = \"https://github.com/x/toolbar\"\n\n[[package]]\nname = \"typing-extensions\"",
        );
        let dir = app(PYPROJECT, &git);
        refused(
            &run(python, dir.path(), "main,dev"),
            "package `toolbar` 3.2.4 is not from PyPI (git)",
        );
    }

    #[test]
    fn refuses_lock_version_1_1() {
        let Some(python) = python() else { return };
        let old = pypi_only().replace("lock-version = \"2.1\"", "lock-version = \"1.1\"");
        let dir = app(PYPROJECT, &old);
        let r = run(python, dir.path(), "main");
        refused(&r, "lock-version 1.1 is not 2.1");
        refused(&r, "run `stagegen dockerfile` again");
    }

    #[test]
    fn refuses_a_stale_lock_as_poetry_export_does() {
        let Some(python) = python() else { return };
        let changed = PYPROJECT.replace("pytest = \"^8\"", "pytest = \"^9\"");
        let dir = app(&changed, &pypi_only());
        refused(
            &run(python, dir.path(), "main"),
            "pyproject.toml changed significantly since poetry.lock was last generated: run `poetry lock`",
        );
        // A lock of Poetry before 2.3 hashed no `[dependency-groups]`; the description is not
        // hashed at all.
        let described = PYPROJECT.replace(
            "version = \"0.1.0\"",
            "version = \"0.1.0\"\ndescription = \"x\"",
        );
        let dir = app(&described, &pypi_only());
        assert!(run(python, dir.path(), "main").ok);
    }

    #[test]
    fn refuses_markers_on_extras_it_cannot_evaluate() {
        let Some(python) = python() else { return };
        let lock = pypi_only().replace(
            "markers = \"extra == \\\"pdf\\\"\"",
            "markers = \"extra != \\\"pdf\\\"\"",
        );
        let dir = app(PYPROJECT, &lock);
        refused(
            &run(python, dir.path(), "main"),
            "package `pdfkit` 1.0.0 has markers on extras",
        );
    }
}
