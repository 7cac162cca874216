//! The Python preset's stages, one function each: `build` (pinned tools, the venv, the
//! dependency install keyed on the manifests, then the project), `test` and `dev` (on top of
//! `build`, with the dev dependencies) and `runtime` (the venv and the sources on the runtime
//! image).

use crate::ir::{Base, Command, Copy, Port, Protocol, Run, Stage};
use crate::presets::common::{
    apt_install, dev_stage, test_stage, with_build_env, with_packages, with_secrets, NONROOT,
};
use crate::presets::python::install::Step;
use crate::presets::python::interpreter;
use crate::presets::python::settings::PythonSettings;
use crate::presets::python::{
    APP_DIR, DEFAULT_PATH, DEFAULT_PORT, PIP_CACHE, TOOLS, UV_CACHE, UV_VERSION, VENV,
};
use crate::presets::Context;

/// Compiles the runtime interpreter's standard library (wherever the image keeps it: `sysconfig`
/// knows) to bytecode, as root, once per base image. Left out: tests, GUI and packaging-tool
/// modules an app does not import, and the base's own site-packages (its pip). A module that
/// does not compile is reported in the build log and skipped, as Python skips it at import. The
/// app's sources get the same after they are copied.
const STDLIB_BYTECODE: &str = "import compileall, re, sysconfig; \
compileall.compile_dir(sysconfig.get_path('stdlib'), quiet=1, workers=0, \
rx=re.compile(r'/(site-packages|dist-packages|test|tests|idle_test|idlelib|tkinter|turtledemo|lib2to3|ensurepip)/'))";

/// FastHTML writes its session key to `.sesskey` in the working directory when the app is
/// made, and the non-root user cannot write the app's folder: the name links to `/tmp`, where
/// each container writes its own key at its first start (as a checkout does on its first run).
/// A statement for `python -c`, after `import os`.
pub(crate) const SESSION_KEY_LINK: &str =
    "os.path.lexists('.sesskey') or os.symlink('/tmp/.sesskey', '.sesskey')";

/// The versioned interpreter (`python3.12`), the one the venv links to.
fn python(s: &PythonSettings) -> String {
    format!("python{}", s.minor)
}

fn venv_env(stage: Stage) -> Stage {
    stage
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1")
        .env("VIRTUAL_ENV", VENV)
        .env("PATH", format!("{VENV}/bin:{DEFAULT_PATH}"))
}

/// A run with the tool's download cache and the `secrets` (private indexes, `.netrc`).
fn run(step: &Step, cx: &Context<'_>) -> Run {
    let run = Run {
        commands: step.commands.clone(),
        mounts: Vec::new(),
        inputs: step.inputs.clone(),
    }
    .cache(step.cache);
    with_secrets(run, &cx.common.secrets)
}

/// The naive order (copy everything, then install); the optimizer moves the dependency install
/// ahead of the copy, keyed on its inputs.
pub(super) fn build(s: &PythonSettings, cx: &Context<'_>) -> Stage {
    let (image, description) = s.runtime.builder(&s.minor);
    let mut build = venv_env(Stage::new("build", description, Base::Image(image)).workdir(APP_DIR));
    build.args = cx.args.to_vec();
    let mut own = vec![
        ("PIP_DISABLE_PIP_VERSION_CHECK", "1".to_string()),
        ("PIP_ROOT_USER_ACTION", "ignore".to_string()),
    ];
    own.extend(s.install.env.iter().map(|(k, v)| (k.as_str(), v.clone())));
    build = with_build_env(build, &own, &cx.common.build_env);
    if !s.system.build.is_empty() {
        build = build.step(apt_install(&s.system.build));
    }
    build = build.step(tools(s, cx)).step(Copy::context(["."], "."));
    for step in [&s.install.deps, &s.install.project].into_iter().flatten() {
        build = build.step(run(step, cx));
    }
    if static_root(s).is_some() {
        build = build.step(Run::shell("python manage.py collectstatic --noinput"));
    }
    build
}

/// The folder Django's `collectstatic` fills, when it runs.
fn static_root(s: &PythonSettings) -> Option<&str> {
    s.django.as_ref().and_then(|d| d.static_root.as_deref())
}

/// The tools venv with the pinned tools (none for pip: the image's own installs), then the
/// app's venv (without pip).
fn tools(s: &PythonSettings, cx: &Context<'_>) -> Run {
    let py = python(s);
    let pinned = &s.install.tools;
    let app_venv = format!("{py} -m venv --without-pip {VENV}");
    if pinned.is_empty() {
        return Run::shell(app_venv);
    }
    // The image's pip installs into a venv made without one (having the venv install its
    // bundled pip first, to replace it at once, cost 4.4 s of every cold build).
    let mut tools = vec![format!("{py} -m venv --without-pip {TOOLS}")];
    let installer = format!("{py} -m pip --python {TOOLS}/bin/python install");
    // uv has no dependencies; Poetry and Pipenv have dozens.
    let with_uv = pinned.iter().any(|t| !t.starts_with("uv=="));
    if with_uv {
        // A tool with dependencies (Poetry and its export plugin are ~40 packages): uv,
        // pinned, installs them in 2.9 s where pip took 16.7 s. It trusts the system's CA
        // store, as pip does, and compiles the bytecode, as pip does: each Poetry run then
        // starts in 0.5 s instead of 1.3 s.
        tools.push(format!("{installer} uv=={UV_VERSION}"));
        tools.push(format!(
            "UV_SYSTEM_CERTS=1 {TOOLS}/bin/uv pip install --compile-bytecode --python {TOOLS}/bin/python {}",
            pinned.join(" ")
        ));
    } else {
        tools.push(format!("{installer} {}", pinned.join(" ")));
    }
    tools.push(app_venv);
    let step = Step {
        commands: tools.into_iter().map(Command::Shell).collect(),
        inputs: Vec::new(),
        cache: PIP_CACHE,
    };
    let tools = run(&step, cx);
    if with_uv {
        tools.cache(UV_CACHE)
    } else {
        tools
    }
}

pub(super) fn test(s: &PythonSettings, command: &str, cx: &Context<'_>) -> Stage {
    let mut test = test_stage("build", " with the dev dependencies");
    test.args = cx.args.to_vec();
    // The tests run the app's code, which loads the run-time libraries and programs.
    test = with_packages(test, &s.system.run);
    if let Some(dev) = &s.install.dev {
        test = test.step(run(dev, cx));
    }
    test.step(Run::shell(command))
}

pub(super) fn dev(s: &PythonSettings, cx: &Context<'_>) -> Stage {
    let mut dev = dev_stage(
        Base::Stage("build".into()),
        "the build stage plus the dev dependencies, running the app from its sources",
    );
    dev.args = cx.args.to_vec();
    dev = with_packages(dev, &s.system.run);
    if let Some(step) = &s.install.dev {
        dev = dev.step(run(step, cx));
    }
    if s.start.port_env {
        dev = dev.env("PORT", DEFAULT_PORT.to_string());
    }
    dev.image.cmd = Some(s.start.command.clone());
    dev.image.ports.extend(start_port(s));
    dev
}

fn start_port(s: &PythonSettings) -> Option<Port> {
    s.start.port.map(|number| Port {
        number,
        protocol: Protocol::Tcp,
    })
}

/// `python3.X -c <code>` in the final image, in exec form (it may have no shell). Debian's
/// Python by its path: the venv's link on the `PATH` ahead of it is the builder's until
/// [`relink`] has run.
fn python_c(s: &PythonSettings, code: String) -> Run {
    let python = if s.runtime.debian_python() {
        format!("/usr/bin/{}", python(s))
    } else {
        python(s)
    };
    Run::exec([python, "-c".to_string(), code])
}

/// The venv, built on the python image's interpreter in `/usr/local/bin`, pointed at Debian's
/// in `/usr/bin` (the same minor and ABI): its absolute links, and `home` in `pyvenv.cfg`,
/// where Python looks for the interpreter the venv is based on. `py`: `python3.13`. Statements
/// for `python -c`, after `import os`.
pub(crate) fn relink(py: &str) -> String {
    format!(
        "b = '{VENV}/bin/'; links = [b + n for n in os.listdir(b) if os.path.islink(b + n) and os.readlink(b + n).startswith('/')]; \
[(os.remove(p), os.symlink('/usr/bin/{py}', p)) for p in links]; \
c = '{VENV}/pyvenv.cfg'; t = open(c).readlines(); \
open(c, 'w').writelines('home = /usr/bin' + chr(10) if l.startswith('home = ') else l for l in t)"
    )
}

/// What runs in the final image once the venv and the app are in: the venv's [`relink`] on
/// Debian's Python, FastHTML's key link, the app's bytecode; one layer (hadolint's DL3059).
fn app_step(runtime: Stage, s: &PythonSettings) -> Stage {
    let mut statements = Vec::new();
    if s.runtime.debian_python() {
        statements.push(relink(&python(s)));
    }
    if s.session_key_link {
        statements.push(SESSION_KEY_LINK.to_string());
    }
    if statements.is_empty() && !s.bytecode {
        return runtime;
    }
    if !statements.is_empty() {
        statements.insert(0, "import os".to_string());
    }
    if s.bytecode {
        statements.push(format!(
            "import compileall; compileall.compile_dir('{APP_DIR}', quiet=1, workers=0)"
        ));
    }
    runtime.step(python_c(s, statements.join("; ")))
}

/// The final image. `app_dir`: the app's folder in a larger context, the only part of the
/// context it gets (see [`Context::app_dir`]).
pub(super) fn runtime(s: &PythonSettings, app_dir: Option<&str>) -> Stage {
    let mut runtime = venv_env(
        Stage::new(
            "runtime",
            "the final image: the virtual environment and the app, as a non-root user",
            Base::Image(s.runtime.image(&s.minor)),
        )
        .workdir(APP_DIR),
    );
    let packages = &s.system.run;
    if !packages.is_empty() {
        // The base's own layer, before the app's: cached until the base or the list changes.
        runtime = runtime.step(apt_install(packages));
    }
    if s.runtime.is_copied() {
        // The interpreter, its library already compiled: cached until its image changes.
        runtime = runtime.step(interpreter::copy());
    } else if s.bytecode {
        // The base's own files, so first: this layer is cached until the base changes.
        runtime = runtime.step(python_c(s, STDLIB_BYTECODE.to_string()));
    }
    runtime = runtime
        .step(Copy::from_stage("build", &[VENV], VENV))
        .step(match app_dir {
            Some(dir) => Copy::context([format!("{dir}/")], format!("{dir}/")),
            None => Copy::context(["."], "."),
        });
    if let Some(root) = static_root(s) {
        // Collected in the build stage: a layer of the static files alone.
        runtime = runtime.step(Copy::from_stage("build", &[root], root));
    }
    runtime = app_step(runtime, s);
    // The image's default user may not be root (distroless `:nonroot`, any image): the
    // compiling, linking and installing steps write where only root may.
    if (s.bytecode || s.session_key_link || s.runtime.no_shell() || !packages.is_empty())
        && s.runtime.user_may_not_be_root()
    {
        runtime.build_user = Some("0:0".to_string());
    }
    runtime.image.user = Some(NONROOT.to_string());
    runtime.image.ports.extend(start_port(s));
    if s.runtime.no_shell() {
        // The distroless image's entrypoint is its python: the command replaces it whole.
        runtime.image.entrypoint = Some(Vec::new());
    }
    if s.start.port_env {
        // The Procfile's command reads `$PORT`; a platform that sets it wins.
        runtime = runtime.env("PORT", DEFAULT_PORT.to_string());
    }
    runtime.image.cmd = Some(s.start.command.clone());
    runtime
}
