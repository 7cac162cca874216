//! The package managers: which one the app uses (its lock file, or `package-manager`), and the
//! commands that install its locked dependencies into the virtual environment.
//!
//! pip installs `requirements.txt` as written (hash-checking when it has hashes) or the
//! `[project] dependencies` of `pyproject.toml`. Poetry and Pipenv export their lock file to
//! hashed requirements that pip installs with `--require-hashes --no-deps`: exactly the locked
//! set, verified, and the tool never touches the network. uv syncs its own lock with `--locked`.
//! Every tool is installed at a pinned version into `/opt/tools`, which stays in the build stage.

use crate::presets::PresetError;
use crate::project::ProjectFiles;
use crate::shell::shell_quote;

use super::manifest::{Dep, Pipfile, Pyproject, Requirements};
use super::{
    PIPENV_VERSION, PIP_CACHE, PIP_VERSION, POETRY_EXPORT_VERSION, POETRY_VERSION, TOOLS, UV_CACHE,
    UV_VERSION, VENV,
};

/// Dependency groups and extras that hold the test and development tools.
const DEV_GROUPS: &[&str] = &["dev", "test", "tests", "testing"];
/// Requirements files of the test and development tools, read in this order.
const DEV_REQUIREMENTS: &[&str] = &[
    "requirements-dev.txt",
    "dev-requirements.txt",
    "requirements-test.txt",
    "test-requirements.txt",
    "requirements/dev.txt",
    "requirements/test.txt",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    Pip,
    Poetry,
    Uv,
    Pipenv,
}

/// The lock files that name a package manager, in the order they are reported.
const LOCK_FILES: &[(&str, Manager)] = &[
    ("uv.lock", Manager::Uv),
    ("poetry.lock", Manager::Poetry),
    ("Pipfile.lock", Manager::Pipenv),
];

impl Manager {
    pub fn name(self) -> &'static str {
        match self {
            Manager::Pip => "pip",
            Manager::Poetry => "poetry",
            Manager::Uv => "uv",
            Manager::Pipenv => "pipenv",
        }
    }

    fn parse(name: &str) -> Option<Manager> {
        [Manager::Pip, Manager::Poetry, Manager::Uv, Manager::Pipenv]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// The app's manifests, read once.
pub struct Manifests {
    pub pyproject: Option<Pyproject>,
    pub pipfile: Option<Pipfile>,
    pub requirements: Option<Requirements>,
}

/// Which package manager, and a `detected` line when it was read from the app.
pub fn detect(
    requested: Option<&str>,
    files: &ProjectFiles,
    m: &Manifests,
) -> Result<(Manager, Option<String>), PresetError> {
    let knob = Some("package-manager");
    if let Some(name) = requested {
        let Some(manager) = Manager::parse(name) else {
            return Err(
                crate::presets::legacy(knob, format!("unknown package manager `{name}`"))
                    .help("use one of `pip`, `poetry`, `uv`, `pipenv`"),
            );
        };
        let needs: &[&str] = match manager {
            Manager::Uv => &["pyproject.toml", "uv.lock"],
            Manager::Poetry => &["pyproject.toml", "poetry.lock"],
            Manager::Pipenv => &["Pipfile", "Pipfile.lock"],
            Manager::Pip => &[],
        };
        if let Some(missing) = needs.iter().find(|f| !files.is_file(f)) {
            return Err(crate::presets::legacy(
                knob,
                format!(
                    "`{}` needs `{missing}`, and the build context has none",
                    manager.name()
                ),
            )
            .help(lock_help(manager)));
        }
        if manager == Manager::Pip
            && !files.is_file("requirements.txt")
            && !files.is_file("pyproject.toml")
        {
            return Err(crate::presets::legacy(
                knob,
                "`pip` needs `requirements.txt` or `pyproject.toml`, and the build context has neither",
            )
            .help("list the dependencies with pinned versions in `requirements.txt` (`pip freeze > requirements.txt`)"));
        }
        return Ok((manager, None));
    }

    let locks: Vec<&(&str, Manager)> = LOCK_FILES
        .iter()
        .filter(|(f, _)| files.is_file(f))
        .collect();
    match locks.as_slice() {
        [(file, manager)] => {
            return Ok((
                *manager,
                Some(format!("package manager {} ({file})", manager.name())),
            ));
        }
        [first, ..] => {
            let names: Vec<String> = locks.iter().map(|(f, _)| format!("`{f}`")).collect();
            return Err(crate::presets::legacy(
                None,
                format!("found the lock files of several package managers: {}", names.join(", ")),
            )
            .help(format!(
                "choose one with `package-manager = \"{}\"` in `[preset]`, or delete the stale lock file",
                first.1.name()
            )));
        }
        [] => {}
    }
    if files.is_file("Pipfile") {
        return Err(
            crate::presets::legacy(None, "found `Pipfile` but no `Pipfile.lock`")
                .help(lock_help(Manager::Pipenv)),
        );
    }
    let poetry_deps = m
        .pyproject
        .as_ref()
        .and_then(|p| p.poetry.as_ref())
        .is_some_and(|p| !p.dependencies.is_empty() || !p.groups.is_empty());
    if files.is_file("requirements.txt") {
        return Ok((
            Manager::Pip,
            Some("package manager pip (requirements.txt)".into()),
        ));
    }
    if poetry_deps {
        return Err(crate::presets::legacy(
            None,
            "`pyproject.toml` declares Poetry dependencies but there is no `poetry.lock`",
        )
        .help(lock_help(Manager::Poetry)));
    }
    if files.is_file("pyproject.toml") {
        return Ok((
            Manager::Pip,
            Some("package manager pip (pyproject.toml; no lock file, so versions resolve at build time)".into()),
        ));
    }
    Err(crate::presets::legacy(
        None,
        format!(
            "found no `requirements.txt`, `pyproject.toml`, `uv.lock`, `poetry.lock` or `Pipfile.lock` in the build context `{}`",
            files.root().display()
        ),
    )
    .help("the python preset installs the app's dependencies from one of them; an app without dependencies needs an empty `requirements.txt`"))
}

fn lock_help(manager: Manager) -> &'static str {
    match manager {
        Manager::Uv => {
            "run `uv lock` and commit `uv.lock`: the build installs exactly what it pins"
        }
        Manager::Poetry => {
            "run `poetry lock` and commit `poetry.lock`: the build installs exactly what it pins"
        }
        Manager::Pipenv => {
            "run `pipenv lock` and commit `Pipfile.lock`: the build installs exactly what it pins"
        }
        Manager::Pip => "list the dependencies in `requirements.txt`",
    }
}

/// A command run in the build, with what it reads and the cache it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub commands: Vec<String>,
    /// Context files the commands read; empty means the whole context (run after the copy).
    pub inputs: Vec<String>,
    pub cache: &'static str,
}

/// How one package manager installs the app.
#[derive(Debug)]
pub struct Install {
    /// Pinned requirements of the tools venv (`/opt/tools`).
    pub tools: Vec<String>,
    /// Build-stage environment of the tool.
    pub env: Vec<(String, String)>,
    /// The locked runtime dependencies, keyed on the manifests only.
    pub deps: Option<Step>,
    /// The project itself, when it is a package (after the sources are copied).
    pub project: Option<Step>,
    /// Test and development dependencies (test and dev stages only).
    pub dev: Option<Step>,
    /// Runtime dependencies by name (to infer the start command).
    pub runtime_deps: Vec<Dep>,
    /// Test and development dependencies by name (to find pytest).
    pub dev_deps: Vec<Dep>,
    pub detected: Vec<String>,
}

/// `pip` of the tools venv, installing into the app's venv.
fn pip_install() -> String {
    format!("{TOOLS}/bin/pip --python {VENV}/bin/python install")
}

/// What each package manager runs, for the app's files.
pub fn install(
    manager: Manager,
    minor: &str,
    files: &ProjectFiles,
    m: &Manifests,
) -> Result<Install, PresetError> {
    let pyproject = m.pyproject.as_ref();
    let build_system = pyproject.is_some_and(|p| p.build_system);
    let pip = pip_install();
    let mut out = Install {
        tools: Vec::new(),
        env: Vec::new(),
        deps: None,
        project: None,
        dev: None,
        runtime_deps: Vec::new(),
        dev_deps: Vec::new(),
        detected: Vec::new(),
    };
    let pip_step = |commands: Vec<String>, inputs: Vec<String>| Step {
        commands,
        inputs,
        cache: PIP_CACHE,
    };
    match manager {
        Manager::Pip => {
            out.tools = vec![format!("pip=={PIP_VERSION}")];
            if let Some(req) = &m.requirements {
                if let Some(missing) = req.missing.first() {
                    return Err(crate::presets::legacy(
                        None,
                        format!("`requirements.txt` includes `{missing}`, which is not in the build context"),
                    )
                    .help("fix the `-r`/`-c` line, or add the file"));
                }
                let mut cmd = pip.clone();
                if req.hashes {
                    cmd.push_str(" --require-hashes");
                    out.detected
                        .push("hash-checking install (requirements.txt has hashes)".into());
                }
                cmd.push_str(" -r requirements.txt");
                let inputs = if req.reads_context {
                    out.detected.push(
                        "requirements.txt installs from the project's own folder: the dependency install runs after the sources are copied".into(),
                    );
                    Vec::new()
                } else {
                    req.files.iter().chain(&req.local_dirs).cloned().collect()
                };
                out.deps = Some(pip_step(vec![cmd], inputs));
                out.runtime_deps = req.deps.clone();
                if build_system {
                    out.project = Some(pip_step(vec![format!("{pip} --no-deps .")], vec![]));
                }
            } else if let Some(p) = pyproject {
                out.runtime_deps = p.dependencies.clone();
                if p.dynamic_dependencies {
                    out.detected.push(
                        "pyproject.toml's dependencies are dynamic: they install with the project, after the sources are copied".into(),
                    );
                } else if !p.dependencies.is_empty() {
                    // Read at build time, so the layer always matches pyproject.toml.
                    let file = "/tmp/requirements.pyproject.txt";
                    out.deps = Some(pip_step(
                        vec![
                            format!(
                                "{TOOLS}/bin/python -c {} > {file}",
                                shell_quote(&deps_script(minor))
                            ),
                            format!("{pip} -r {file}"),
                        ],
                        vec!["pyproject.toml".into()],
                    ));
                }
                if build_system || p.dynamic_dependencies {
                    out.project = Some(pip_step(vec![format!("{pip} .")], vec![]));
                }
            }
            let (dev, names) = pip_dev(files, pyproject, build_system)?;
            out.dev = dev.map(|c| pip_step(vec![c], vec![]));
            out.dev_deps = names;
        }
        Manager::Poetry => {
            out.tools = vec![
                format!("pip=={PIP_VERSION}"),
                format!("poetry=={POETRY_VERSION}"),
                format!("poetry-plugin-export=={POETRY_EXPORT_VERSION}"),
            ];
            let poetry = format!("{TOOLS}/bin/poetry");
            let mut inputs = vec!["pyproject.toml".to_string(), "poetry.lock".to_string()];
            if files.is_file("poetry.toml") {
                inputs.push("poetry.toml".into());
            }
            let lock = "/tmp/requirements.lock.txt";
            out.deps = Some(pip_step(
                vec![
                    format!("{poetry} export --only main --output {lock}"),
                    format!("{pip} --require-hashes --no-deps -r {lock}"),
                ],
                inputs,
            ));
            let p = pyproject.and_then(|p| p.poetry.as_ref());
            out.runtime_deps = pyproject.map(Pyproject::runtime_deps).unwrap_or_default();
            if let Some(p) = p {
                let groups: Vec<&String> = p
                    .groups
                    .keys()
                    .filter(|g| DEV_GROUPS.contains(&g.as_str()))
                    .collect();
                if !groups.is_empty() {
                    let dev_lock = "/tmp/requirements-dev.lock.txt";
                    let with: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
                    out.dev = Some(pip_step(
                        vec![
                            format!(
                                "{poetry} export --with {} --output {dev_lock}",
                                with.join(",")
                            ),
                            format!("{pip} --require-hashes --no-deps -r {dev_lock}"),
                        ],
                        vec![],
                    ));
                    out.dev_deps = groups
                        .iter()
                        .flat_map(|g| p.groups[*g].iter().cloned())
                        .collect();
                }
            }
            if let Some(why) = poetry_root(files, pyproject) {
                out.project = Some(pip_step(vec![format!("{pip} --no-deps .")], vec![]));
                out.detected.push(why);
            }
        }
        Manager::Pipenv => {
            out.tools = vec![
                format!("pip=={PIP_VERSION}"),
                format!("pipenv=={PIPENV_VERSION}"),
            ];
            out.env.push(("PIPENV_VERBOSITY".into(), "-1".into()));
            let pipenv = format!("{TOOLS}/bin/pipenv");
            let lock = "/tmp/requirements.lock.txt";
            out.deps = Some(pip_step(
                vec![
                    format!("{pipenv} verify"),
                    format!("{pipenv} requirements --hash > {lock}"),
                    format!("{pip} --require-hashes --no-deps -r {lock}"),
                ],
                vec!["Pipfile".into(), "Pipfile.lock".into()],
            ));
            if let Some(pf) = &m.pipfile {
                out.runtime_deps = pf.packages.clone();
                if !pf.dev_packages.is_empty() {
                    let dev_lock = "/tmp/requirements-dev.lock.txt";
                    out.dev = Some(pip_step(
                        vec![
                            format!("{pipenv} requirements --dev --hash > {dev_lock}"),
                            format!("{pip} --require-hashes --no-deps -r {dev_lock}"),
                        ],
                        vec![],
                    ));
                    out.dev_deps = pf.dev_packages.clone();
                }
            }
            if build_system {
                out.project = Some(pip_step(vec![format!("{pip} --no-deps .")], vec![]));
            }
        }
        Manager::Uv => {
            out.tools = vec![format!("uv=={UV_VERSION}")];
            out.env = vec![
                ("UV_COMPILE_BYTECODE".into(), "1".into()),
                ("UV_LINK_MODE".into(), "copy".into()),
                ("UV_PYTHON_DOWNLOADS".into(), "never".into()),
                // The venv made with the image's interpreter, as for every package manager.
                ("UV_PYTHON".into(), format!("{VENV}/bin/python")),
                ("UV_PROJECT_ENVIRONMENT".into(), VENV.into()),
                // Trust the image's CA store, as pip does (truststore): a private index or a
                // TLS-inspecting proxy whose CA is installed in the image works for both.
                ("UV_SYSTEM_CERTS".into(), "1".into()),
            ];
            let uv = format!("{TOOLS}/bin/uv");
            let p = pyproject;
            let workspace = p.and_then(|p| p.uv.as_ref()).is_some_and(|u| u.workspace);
            let (skip, inputs) = if workspace {
                out.detected.push(
                    "uv workspace: the members' manifests are needed, so the dependency sync runs after the sources are copied".into(),
                );
                ("--no-install-workspace", Vec::new())
            } else {
                let mut inputs = vec!["pyproject.toml".to_string(), "uv.lock".to_string()];
                if files.is_file("uv.toml") {
                    inputs.push("uv.toml".into());
                }
                ("--no-install-project", inputs)
            };
            out.deps = Some(Step {
                commands: vec![format!("{uv} sync --locked --no-dev {skip}")],
                inputs,
                cache: UV_CACHE,
            });
            let package = p
                .and_then(|p| p.uv.as_ref())
                .and_then(|u| u.package)
                .unwrap_or(build_system);
            if package || workspace {
                out.project = Some(Step {
                    commands: vec![format!("{uv} sync --locked --no-dev --no-editable")],
                    inputs: vec![],
                    cache: UV_CACHE,
                });
                if package {
                    out.detected
                        .push("the project is a package: uv installs it into the venv".into());
                }
            }
            if let Some(p) = p {
                out.runtime_deps = p.dependencies.clone();
                let mut groups: Vec<String> = p
                    .groups
                    .keys()
                    .filter(|g| DEV_GROUPS.contains(&g.as_str()))
                    .cloned()
                    .collect();
                out.dev_deps = groups
                    .iter()
                    .flat_map(|g| p.groups[g].iter().cloned())
                    .collect();
                if let Some(u) = p.uv.as_ref().filter(|u| !u.dev_dependencies.is_empty()) {
                    if !groups.iter().any(|g| g == "dev") {
                        groups.insert(0, "dev".into());
                    }
                    out.dev_deps.extend(u.dev_dependencies.iter().cloned());
                }
                if !groups.is_empty() {
                    let flags: Vec<String> =
                        groups.iter().map(|g| format!("--group {g}")).collect();
                    out.dev = Some(Step {
                        commands: vec![format!("{uv} sync --locked {}", flags.join(" "))],
                        inputs: vec![],
                        cache: UV_CACHE,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// A Python one-liner printing `[project] dependencies`, one a line. `tomllib` is in the standard
/// library from 3.11; before, the copy pip vendors is used (the tools venv has pip).
fn deps_script(minor: &str) -> String {
    let newer = minor
        .strip_prefix("3.")
        .and_then(|m| m.parse::<u32>().ok())
        .is_none_or(|m| m >= 11);
    let import = if newer {
        "import tomllib"
    } else {
        "from pip._vendor import tomli as tomllib"
    };
    format!(
        "{import}; print(\"\\n\".join(tomllib.load(open(\"pyproject.toml\", \"rb\"))[\"project\"].get(\"dependencies\", [])))"
    )
}

/// The pip command installing the test and development tools, and their names.
fn pip_dev(
    files: &ProjectFiles,
    pyproject: Option<&Pyproject>,
    package: bool,
) -> Result<(Option<String>, Vec<Dep>), PresetError> {
    let pip = pip_install();
    let found: Vec<&str> = DEV_REQUIREMENTS
        .iter()
        .copied()
        .filter(|f| files.is_file(f))
        .collect();
    if !found.is_empty() {
        let mut names = Vec::new();
        let mut hashes = false;
        for f in &found {
            let r = Requirements::read(files, f);
            if let Some(missing) = r.missing.first() {
                return Err(crate::presets::legacy(
                    None,
                    format!("`{f}` includes `{missing}`, which is not in the build context"),
                )
                .help("fix the `-r`/`-c` line, or add the file"));
            }
            hashes |= r.hashes;
            names.extend(r.deps);
        }
        let mut cmd = pip;
        if hashes {
            cmd.push_str(" --require-hashes");
        }
        for f in found {
            cmd.push_str(&format!(" -r {f}"));
        }
        return Ok((Some(cmd), names));
    }
    let Some(p) = pyproject else {
        return Ok((None, Vec::new()));
    };
    let groups: Vec<&String> = p
        .groups
        .keys()
        .filter(|g| DEV_GROUPS.contains(&g.as_str()))
        .collect();
    if !groups.is_empty() {
        let flags: Vec<String> = groups.iter().map(|g| format!("--group {g}")).collect();
        let names = groups.iter().flat_map(|g| p.groups[*g].clone()).collect();
        return Ok((Some(format!("{pip} {}", flags.join(" "))), names));
    }
    let extras: Vec<&String> = p
        .optional
        .keys()
        .filter(|g| DEV_GROUPS.contains(&g.as_str()))
        .collect();
    if package && !extras.is_empty() {
        let list: Vec<&str> = extras.iter().map(|e| e.as_str()).collect();
        let names = extras.iter().flat_map(|e| p.optional[*e].clone()).collect();
        let target = shell_quote(&format!(".[{}]", list.join(",")));
        return Ok((Some(format!("{pip} {target}")), names));
    }
    Ok((None, Vec::new()))
}

/// Whether Poetry's root package gets installed, and why: package mode, a build backend, and
/// something to ship (explicit `packages`, or a folder or module named after the project).
fn poetry_root(files: &ProjectFiles, pyproject: Option<&Pyproject>) -> Option<String> {
    let p = pyproject?;
    let poetry = p.poetry.as_ref()?;
    if !poetry.package_mode || !p.build_system {
        return None;
    }
    if poetry.explicit_packages {
        return Some(
            "the project is a package (`packages` in pyproject.toml): installed into the venv"
                .into(),
        );
    }
    let name = p.name.as_deref()?.replace(['-', '.'], "_").to_lowercase();
    ["", "src/"]
        .iter()
        .find(|prefix| {
            files.is_dir(&format!("{prefix}{name}")) || files.is_file(&format!("{prefix}{name}.py"))
        })
        .map(|prefix| {
            format!("the project is a package (`{prefix}{name}`): installed into the venv")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deps_script_uses_tomllib_from_3_11() {
        assert!(deps_script("3.12").starts_with("import tomllib;"));
        assert!(deps_script("3.10").starts_with("from pip._vendor import tomli"));
        assert!(deps_script("3.15").starts_with("import tomllib;"));
    }

    #[test]
    fn manager_names_round_trip() {
        for m in [Manager::Pip, Manager::Poetry, Manager::Uv, Manager::Pipenv] {
            assert_eq!(Manager::parse(m.name()), Some(m));
        }
        assert_eq!(Manager::parse("conda"), None);
    }
}
