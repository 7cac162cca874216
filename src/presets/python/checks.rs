//! Our own lint for what the preset writes, run over the plan of every Python case and example:
//! hadolint knows pip and apt but has no rules for uv, Poetry or Pipenv, nor for what makes a
//! Python image right (a venv without tools, locked installs). Each rule is one function over the
//! stages; a test runs them all and names the rule and the app on failure.

use std::path::{Path, PathBuf};

use crate::config::TomlPreset;
use crate::ir::{Base, Command, CopySource, Mount, Run, Stage, Step};
use crate::presets::Context;
use crate::project::ProjectFiles;

use super::{APP_DIR, PIP_CACHE, TOOLS, UV_CACHE, VENV};

/// Every shell command of a stage, with the mounts of its step.
fn commands(stage: &Stage) -> Vec<(&str, &[Mount])> {
    stage
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Run(r) => Some(r),
            Step::Copy(_) => None,
        })
        .flat_map(|r| {
            r.commands.iter().filter_map(move |c| match c {
                Command::Shell(s) => Some((s.as_str(), r.mounts.as_slice())),
                Command::Exec(_) => None,
            })
        })
        .collect()
}

/// The interpreter and code of a `python3.X -c <code>` step in exec form (`/usr/bin/python3.X`
/// on Debian's).
fn python_code(run: &Run) -> Option<(&str, &str)> {
    match run.commands.as_slice() {
        [Command::Exec(words)] => match words.as_slice() {
            [python, c, code] if c == "-c" => {
                let python = python.trim_start_matches("/usr/bin/");
                python
                    .starts_with("python3.")
                    .then_some((python, code.as_str()))
            }
            _ => None,
        },
        _ => None,
    }
}

/// What a bytecode-compiling step compiles (the first argument of `compile_dir`), if it is one:
/// `pythonX.Y -c "import compileall...; compileall.compile_dir(<what>, ...)"`, in exec form.
fn compiles_bytecode(run: &Run) -> Option<&str> {
    python_code(run)?
        .1
        .split_once("compileall.compile_dir(")
        .and_then(|(_, args)| args.split(',').next())
}

/// Whether a step is the venv's link to Debian's Python (on distroless), FastHTML's session key
/// link, or both, and nothing else.
fn links_only(run: &Run) -> bool {
    let Some((python, code)) = python_code(run) else {
        return false;
    };
    let key = super::stages::SESSION_KEY_LINK;
    let relink = super::stages::relink(python);
    [
        format!("import os; {key}"),
        format!("import os; {relink}"),
        format!("import os; {relink}; {key}"),
    ]
    .contains(&code.to_string())
}

/// Whether a step is the `runtime-packages` install: apt-get only, without recommends, leaving
/// no lists behind.
fn installs_packages(run: &Run) -> bool {
    match run.commands.as_slice() {
        [Command::Shell(update), Command::Shell(install), Command::Shell(clean)] => {
            update == "apt-get update"
                && install.starts_with("apt-get install -y --no-install-recommends ")
                && clean == "rm -rf /var/lib/apt/lists/*"
        }
        _ => false,
    }
}

/// Steps of the runtime before the app's own: the `runtime-packages` install, if any.
fn package_steps(runtime: &Stage) -> usize {
    match runtime.steps.first() {
        Some(Step::Run(r)) if installs_packages(r) => 1,
        _ => 0,
    }
}

/// The pinned tools a command installs into the tools venv, if it is that line: with the tools
/// venv's own pip, with its uv, or with the image's pip aimed at it.
fn tools_install(cmd: &str) -> Option<&str> {
    cmd.strip_prefix(&format!("{TOOLS}/bin/pip install "))
        .or_else(|| {
            cmd.strip_prefix(&format!(
                "UV_SYSTEM_CERTS=1 {TOOLS}/bin/uv pip install --compile-bytecode --python {TOOLS}/bin/python "
            ))
        })
        .or_else(|| {
            cmd.strip_prefix("python3.")
                .and_then(|rest| rest.split_once(' '))
                .and_then(|(_, rest)| {
                    rest.strip_prefix(&format!("-m pip --python {TOOLS}/bin/python install "))
                })
        })
}

fn has_cache(mounts: &[Mount], target: &str) -> bool {
    mounts
        .iter()
        .any(|m| matches!(m, Mount::Cache { target: t, .. } if t == target))
}

type Rule = (&'static str, fn(&[Stage]) -> Result<(), String>);

/// Tools are pinned: `pip install X==1.2` in the tools venv, never a bare name.
fn tools_pinned(stages: &[Stage]) -> Result<(), String> {
    for stage in stages {
        for (cmd, _) in commands(stage) {
            if let Some(rest) = tools_install(cmd) {
                if let Some(bad) = rest.split_whitespace().find(|w| !w.contains("==")) {
                    return Err(format!("unpinned tool `{bad}` in `{cmd}`"));
                }
            }
        }
    }
    Ok(())
}

/// Every download has its cache mount (and pip's is never baked into a layer).
fn download_caches(stages: &[Stage]) -> Result<(), String> {
    for stage in stages {
        for (cmd, mounts) in commands(stage) {
            let pip =
                (cmd.contains("/bin/pip ") || cmd.contains(" -m pip ")) && cmd.contains(" install");
            let uv = cmd.contains("/bin/uv sync") || cmd.contains("/bin/uv pip install");
            if pip && !has_cache(mounts, PIP_CACHE) {
                return Err(format!("pip without a cache mount: `{cmd}`"));
            }
            if uv && !has_cache(mounts, UV_CACHE) {
                return Err(format!("uv without a cache mount: `{cmd}`"));
            }
        }
    }
    Ok(())
}

/// Locked installs: uv checks its lock (`--locked`), Poetry and Pipenv exports keep their
/// hashes and pip installs them verified and without resolving anything else.
fn locked_installs(stages: &[Stage]) -> Result<(), String> {
    for stage in stages {
        for (cmd, _) in commands(stage) {
            if cmd.contains("/bin/uv sync") && !cmd.contains("--locked") {
                return Err(format!("uv sync without --locked: `{cmd}`"));
            }
            if cmd.contains("poetry install") || cmd.contains("poetry lock") {
                return Err(format!("poetry may resolve: `{cmd}`"));
            }
            if cmd.contains("--without-hashes") {
                return Err(format!("export drops the hashes: `{cmd}`"));
            }
            if cmd.contains("pipenv install") || cmd.contains("pipenv lock") {
                return Err(format!("pipenv may resolve: `{cmd}`"));
            }
            if cmd.contains(".lock.txt")
                && cmd.contains(" install")
                && !(cmd.contains("--require-hashes") && cmd.contains("--no-deps"))
            {
                return Err(format!("an exported lock installed unverified: `{cmd}`"));
            }
        }
    }
    Ok(())
}

/// pip installs go into the app's venv, never into an image's Python or the tools venv
/// (the tools line is the one exception).
fn installs_into_the_venv(stages: &[Stage]) -> Result<(), String> {
    for stage in stages {
        for (cmd, _) in commands(stage) {
            let tools_line = tools_install(cmd).is_some();
            if cmd.contains("pip")
                && cmd.contains(" install")
                && !tools_line
                && !cmd.contains(&format!("--python {VENV}/bin/python"))
            {
                return Err(format!("pip outside the venv: `{cmd}`"));
            }
        }
    }
    Ok(())
}

/// The venv is made by the image's own versioned interpreter, without pip.
fn venv_without_pip(stages: &[Stage]) -> Result<(), String> {
    let made = stages.iter().flat_map(commands).any(|(cmd, _)| {
        cmd.starts_with("python3.") && cmd.ends_with(&format!("-m venv --without-pip {VENV}"))
    });
    made.then_some(())
        .ok_or_else(|| "the venv is not made with `pythonX.Y -m venv --without-pip`".into())
}

/// The runtime image: no command runs in it but the bytecode compiler (and, first, the
/// install of `runtime-packages`), it copies the venv and the sources and nothing of the
/// tools, runs as a numeric non-root user, with an exec-form command.
fn clean_runtime(stages: &[Stage]) -> Result<(), String> {
    let Some(runtime) = stages.iter().find(|s| s.name == "runtime") else {
        return Err("no runtime stage".into());
    };
    if !matches!(runtime.base, Base::Image(_)) {
        return Err("the runtime stage starts from another stage".into());
    }
    for step in &runtime.steps[package_steps(runtime)..] {
        match step {
            Step::Run(r) if compiles_bytecode(r).is_some() => {}
            Step::Run(r) if links_only(r) => {}
            Step::Run(_) => return Err("a command runs in the runtime stage".into()),
            Step::Copy(c) => match &c.source {
                // The interpreter copied onto distroless cc, the venv, or what the build made
                // of the app's own files (Django's static files) in its folder.
                CopySource::Stage(from) if from == "interpreter" && c.dest == "/" => {}
                CopySource::Stage(_)
                    if c.paths != [VENV.to_string()]
                        && !c
                            .paths
                            .iter()
                            .all(|p| p.starts_with(&format!("{APP_DIR}/"))) =>
                {
                    return Err(format!("the runtime copies {:?} from a stage", c.paths))
                }
                CopySource::Image(_) => return Err("the runtime copies from an image".into()),
                _ => {}
            },
        }
    }
    let user = runtime.image.user.as_deref().unwrap_or("0");
    let uid = user.split(':').next().unwrap_or("0");
    if uid.parse::<u32>().map_or(true, |u| u == 0) {
        return Err(format!("runtime user `{user}`"));
    }
    for (k, v) in [("PYTHONDONTWRITEBYTECODE", "1"), ("PYTHONUNBUFFERED", "1")] {
        if runtime.env.get(k).map(String::as_str) != Some(v) {
            return Err(format!("runtime without {k}={v}"));
        }
    }
    if runtime.image.cmd.as_ref().is_none_or(|c| c.is_empty()) {
        return Err("runtime without a command".into());
    }
    Ok(())
}

/// Bytecode, when compiled: the standard library first (its layer depends on the base alone),
/// the app's sources last (after they are copied), by the runtime's own versioned
/// interpreter, as root where the base's user may not be.
fn runtime_bytecode(stages: &[Stage]) -> Result<(), String> {
    let Some(runtime) = stages.iter().find(|s| s.name == "runtime") else {
        return Err("no runtime stage".into());
    };
    let compiles: Vec<(usize, &str)> = runtime
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Step::Run(r) => compiles_bytecode(r).map(|what| (i, what)),
            Step::Copy(_) => None,
        })
        .collect();
    if compiles.is_empty() {
        return Ok(());
    }
    let first = package_steps(runtime);
    let last = runtime.steps.len() - 1;
    // A copied interpreter comes with its library compiled (the `interpreter` stage).
    let copied = stages.iter().any(|s| s.name == "interpreter");
    let expected: &[(usize, &str)] = if copied {
        &[(last, "'/app'")]
    } else {
        &[(first, "sysconfig.get_path('stdlib')"), (last, "'/app'")]
    };
    if compiles != expected {
        return Err(format!("bytecode compiled at steps {compiles:?}"));
    }
    let slim =
        matches!(&runtime.base, Base::Image(i) if i.starts_with("python:") && i.ends_with("-slim"));
    if !slim && runtime.build_user.as_deref() != Some("0:0") {
        return Err("bytecode compiled on a non-python image without `USER 0:0`".into());
    }
    Ok(())
}

/// The dependency install has its own layer keyed on the manifests (declared inputs), unless
/// the app makes that impossible (and the plan says so).
fn dependency_layer(stages: &[Stage]) -> Result<(), String> {
    let build = stages.iter().find(|s| s.name == "build");
    let keyed = build.is_some_and(|b| {
        b.steps
            .iter()
            .any(|s| matches!(s, Step::Run(r) if !r.inputs.is_empty()))
    });
    keyed
        .then_some(())
        .ok_or_else(|| "no dependency install with inputs".into())
}

/// On distroless python3 the venv, built on the python image's interpreter, is pointed at
/// Debian's: a step after the venv's copy relinks it, as root.
fn distroless_relinked(stages: &[Stage]) -> Result<(), String> {
    let Some(runtime) = stages.iter().find(|s| s.name == "runtime") else {
        return Err("no runtime stage".into());
    };
    if !matches!(&runtime.base, Base::Image(i) if i.contains("distroless/python3")) {
        return Ok(());
    }
    let venv_copy = runtime
        .steps
        .iter()
        .position(|s| matches!(s, Step::Copy(c) if c.paths == [VENV.to_string()]));
    let relink = runtime.steps.iter().position(|s| {
        matches!(s, Step::Run(r) if python_code(r).is_some_and(|(py, code)| code.starts_with(&format!("import os; {}", super::stages::relink(py)))))
    });
    match (venv_copy, relink) {
        (Some(copy), Some(link)) if copy < link && runtime.build_user.as_deref() == Some("0:0") => {
            Ok(())
        }
        _ => Err(format!(
            "the venv is not relinked to Debian's Python after its copy, as root (copy at {venv_copy:?}, relink at {relink:?})"
        )),
    }
}

/// The rules by name, each a function above with what it protects.
const RULES: &[Rule] = &[
    ("tools-pinned", tools_pinned),
    ("download-caches", download_caches),
    ("locked-installs", locked_installs),
    ("installs-into-the-venv", installs_into_the_venv),
    ("venv-without-pip", venv_without_pip),
    ("clean-runtime", clean_runtime),
    ("runtime-bytecode", runtime_bytecode),
    ("dependency-layer", dependency_layer),
    ("distroless-relinked", distroless_relinked),
];

/// Apps whose dependency install cannot be keyed on the manifests alone (and say why in the plan).
const UNKEYED: &[&str] = &["python-pip-editable-self"];

fn apps() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = Vec::new();
    for (folder, prefix) in [("tests/cases", "python-"), ("examples", "python-")] {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(prefix) && e.path().join("build.toml").is_file() {
                dirs.push(e.path());
            }
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn every_python_plan_follows_the_rules() {
    let dirs = apps();
    assert!(dirs.len() >= 10, "python cases and examples: {dirs:?}");
    let mut failures = Vec::new();
    for dir in dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(dir.join("build.toml")).expect("build.toml");
        let doc: toml::Table = toml::from_str(&text).expect("valid build.toml");
        let preset: TomlPreset = doc["preset"].clone().try_into().expect("a [preset] table");
        let bytecode = doc["preset"].get("bytecode").and_then(|b| b.as_bool());
        let base = doc
            .get("runtime")
            .and_then(|r| r.get("base"))
            .and_then(|b| b.as_str());
        let files = ProjectFiles::new(&dir);
        let cx = Context {
            files: &files,
            common: &preset.common,
            base,
            args: &[],
            platforms: &[],
            app_dir: None,
            runtime: &crate::presets::common::RuntimeNeeds::default(),
        };
        let plan = match preset.preset.plan(&preset.options, &cx) {
            Ok(plan) => plan,
            Err(e) => {
                failures.push(format!("{name}: does not plan: {e:?}"));
                continue;
            }
        };
        for (rule, check) in RULES {
            if *rule == "dependency-layer" && UNKEYED.contains(&name.as_str()) {
                continue;
            }
            if *rule == "dependency-layer"
                && files
                    .read("requirements.txt")
                    .is_some_and(|t| t.trim().is_empty())
            {
                continue; // nothing to install
            }
            if let Err(why) = check(&plan.stages) {
                failures.push(format!("{name}: {rule}: {why}"));
            }
        }
        // bytecode is compiled unless the app says `bytecode = false`
        let compiled = plan.stages.iter().filter(|s| s.name == "runtime").any(|s| {
            s.steps
                .iter()
                .any(|st| matches!(st, Step::Run(r) if compiles_bytecode(r).is_some()))
        });
        if compiled != bytecode.unwrap_or(true) {
            failures.push(format!(
                "{name}: bytecode = {bytecode:?}, but the runtime compiles it: {compiled}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_rules_catch_what_they_guard() {
    use crate::ir::{Copy, Run};
    let bad = Stage::new("build", "x", Base::Image("python:3.12".into()))
        .step(Run::shell(format!("{TOOLS}/bin/pip install uv")))
        .step(Run::shell(format!(
            "python3.12 -m pip --python {TOOLS}/bin/python install poetry"
        )))
        .step(Run::shell(format!("{TOOLS}/bin/uv sync --frozen")))
        .step(Run::shell("pip install -r requirements.txt"));
    let mut runtime = Stage::new("runtime", "x", Base::Image("python:3.12-slim".into()))
        .step(Copy::from_stage("build", &[TOOLS], TOOLS))
        .step(Run::exec([
            "python3.12",
            "-c",
            "import compileall; compileall.compile_dir('/app')",
        ]));
    runtime.base = Base::Image("gcr.io/distroless/python3-debian12:nonroot".into());
    let stages = [bad, runtime];
    for (rule, check) in RULES {
        assert!(
            check(&stages).is_err(),
            "rule {rule} lets a bad plan through"
        );
    }
}

#[test]
fn the_tools_line_is_known_in_both_forms() {
    use crate::ir::Run;
    let own = format!("{TOOLS}/bin/pip install pip==26.3 uv==0.13.9");
    let image = format!("python3.12 -m pip --python {TOOLS}/bin/python install pip==26.3");
    assert_eq!(tools_install(&own), Some("pip==26.3 uv==0.13.9"));
    assert_eq!(tools_install(&image), Some("pip==26.3"));
    let uv = format!(
        "UV_SYSTEM_CERTS=1 {TOOLS}/bin/uv pip install --compile-bytecode --python {TOOLS}/bin/python poetry==2.5.1"
    );
    assert_eq!(tools_install(&uv), Some("poetry==2.5.1"));
    assert_eq!(tools_install("python3.12 -m pip install flask"), None);
    // an unpinned tool in the image-pip form is caught, a pinned one passes
    let stage = |cmd: &str| {
        [Stage::new("build", "x", Base::Image("python:3.12".into()))
            .step(Run::shell(cmd).cache(PIP_CACHE))]
    };
    let pinned = RULES.iter().find(|(n, _)| *n == "tools-pinned").unwrap().1;
    assert!(pinned(&stage(&format!(
        "python3.12 -m pip --python {TOOLS}/bin/python install poetry"
    )))
    .is_err());
    assert!(pinned(&stage(&image)).is_ok());
}

#[test]
fn runtime_packages_are_allowed_first_only() {
    use crate::ir::Copy;
    use crate::presets::common::apt_install;
    let clean = RULES.iter().find(|(n, _)| *n == "clean-runtime").unwrap().1;
    let runtime = |steps: Vec<Step>| {
        let mut stage = Stage::new("runtime", "x", Base::Image("python:3.12-slim".into()));
        stage.steps = steps;
        stage.image.user = Some("65532:65532".into());
        stage.image.cmd = Some(vec!["python".into(), "app.py".into()]);
        stage
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONUNBUFFERED", "1")
    };
    let apt = Step::Run(apt_install(&["libpq5".to_string()]));
    let venv = Step::Copy(Copy::from_stage("build", &[VENV], VENV));
    assert!(clean(&[runtime(vec![apt.clone(), venv.clone()])]).is_ok());
    assert!(clean(&[runtime(vec![venv, apt])]).is_err());
    assert!(clean(&[runtime(vec![Step::Run(Run::shell("apt-get update"))])]).is_err());
}
