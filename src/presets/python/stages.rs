//! The stages, from what the preset found: `build` (pinned tools, the venv, the dependency
//! install keyed on the manifests, then the project), `test` and `dev` (on top of `build`, with
//! the dev dependencies) and `runtime` (the venv and the sources on the runtime image).

use crate::ir::{Base, Command, Copy, Mount, Port, Protocol, Run, Stage};
use crate::presets::common::apt_install;
use crate::presets::PresetRequest;

use super::manager::{self, Install};
use super::start::Start;
use super::{
    Flavour, APP_DIR, BUILDER_IMAGE, DEFAULT_PATH, DISTROLESS_BUILDER, DISTROLESS_BUILD_PACKAGES,
    NONROOT, PIP_CACHE, TOOLS, UV_CACHE, UV_VERSION, VENV,
};

/// Compiles the runtime interpreter's standard library (wherever the image keeps it: `sysconfig`
/// knows) to bytecode, as root, once per base image. Left out: tests, GUI and packaging-tool
/// modules an app does not import, and the base's own site-packages (its pip). A module that
/// does not compile is reported in the build log and skipped, as Python skips it at import. The
/// app's sources get the same after they are copied.
const STDLIB_BYTECODE: &str = "import compileall, re, sysconfig; \
compileall.compile_dir(sysconfig.get_path('stdlib'), quiet=1, workers=0, \
rx=re.compile(r'/(site-packages|dist-packages|test|tests|idle_test|idlelib|tkinter|turtledemo|lib2to3|ensurepip)/'))";

/// Everything the stages are made from.
pub struct StagePlan<'a> {
    pub request: &'a PresetRequest<'a, super::TomlPythonOptions>,
    pub install: &'a Install,
    pub flavour: &'a Flavour,
    pub minor: &'a str,
    pub start: &'a Start,
}

impl StagePlan<'_> {
    fn python(&self) -> String {
        format!("python{}", self.minor)
    }

    fn venv_env(&self, stage: Stage) -> Stage {
        stage
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONUNBUFFERED", "1")
            .env("VIRTUAL_ENV", VENV)
            .env("PATH", format!("{VENV}/bin:{DEFAULT_PATH}"))
    }

    /// A run with the tool's download cache and the `secrets` (private indexes, `.netrc`).
    fn run(&self, step: &manager::Step) -> Run {
        let mut run = Run {
            commands: step
                .commands
                .iter()
                .map(|c| Command::Shell(c.clone()))
                .collect(),
            mounts: Vec::new(),
            inputs: step.inputs.clone(),
        }
        .cache(step.cache);
        for id in &self.request.common.secrets {
            run.mounts.push(Mount::Secret {
                id: id.clone(),
                target: None,
                required: false,
            });
        }
        run
    }

    pub fn build(&self) -> Stage {
        let (image, description) = if self.flavour.debian_python() {
            (
                DISTROLESS_BUILDER.to_string(),
                "Debian's Python (the distroless interpreter), compilers and headers: the venv is built here",
            )
        } else {
            (
                format!("{BUILDER_IMAGE}:{}", self.minor),
                "the full Python image, with compilers and headers: the venv is built here",
            )
        };
        let mut build =
            self.venv_env(Stage::new("build", description, Base::Image(image)).workdir(APP_DIR));
        build.args = self.request.args.clone();
        build = build
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env("PIP_ROOT_USER_ACTION", "ignore");
        for (k, v) in &self.install.env {
            build = build.env(k.clone(), v.clone());
        }
        for (k, v) in &self.request.common.build_env {
            build = build.env(k.clone(), v.clone());
        }

        let mut apt: Vec<String> = Vec::new();
        if self.flavour.debian_python() {
            apt.extend(DISTROLESS_BUILD_PACKAGES.iter().map(|s| s.to_string()));
        }
        apt.extend(self.request.common.system_packages.iter().cloned());
        if !apt.is_empty() {
            build = build.step(apt_install(&apt));
        }
        let py = self.python();
        // The installer of the tools venv: Debian's python3-venv has no pip module to run, so
        // there the venv brings its own; elsewhere the image's pip installs into a venv made
        // without one (having the venv install its bundled pip first, to replace it at once,
        // cost 4.4 s of every cold build).
        let (mut tools, installer) = if self.flavour.debian_python() {
            (
                vec![format!("{py} -m venv {TOOLS}")],
                format!("{TOOLS}/bin/pip install"),
            )
        } else {
            (
                vec![format!("{py} -m venv --without-pip {TOOLS}")],
                format!("{py} -m pip --python {TOOLS}/bin/python install"),
            )
        };
        let pinned = &self.install.tools;
        // pip and uv have no dependencies; Poetry and Pipenv have dozens.
        let with_uv = pinned
            .iter()
            .any(|t| !t.starts_with("pip==") && !t.starts_with("uv=="));
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
        tools.push(format!("{py} -m venv --without-pip {VENV}"));
        let mut run = self.run(&manager::Step {
            commands: tools,
            inputs: Vec::new(),
            cache: PIP_CACHE,
        });
        if with_uv {
            run = run.cache(UV_CACHE);
        }
        build = build.step(run);
        // The naive order (copy everything, then install); the optimizer moves the dependency
        // install ahead of the copy, keyed on its inputs.
        build = build.step(Copy::context(["."], "."));
        if let Some(deps) = &self.install.deps {
            build = build.step(self.run(deps));
        }
        if let Some(project) = &self.install.project {
            build = build.step(self.run(project));
        }
        build
    }

    /// The test stage, and the `detected` line for its command.
    pub fn test(&self) -> (Stage, String) {
        let pytest = self
            .install
            .dev_deps
            .iter()
            .chain(&self.install.runtime_deps)
            .any(|d| d.name == "pytest");
        let (command, why) = if pytest {
            ("python -m pytest", "pytest in the dependencies")
        } else {
            (
                "python -m unittest discover",
                "no pytest in the dependencies: the standard library's unittest",
            )
        };
        let mut test = Stage::new(
            "test",
            "run the tests with the dev dependencies: docker build --target test",
            Base::Stage("build".into()),
        );
        test.args = self.request.args.clone();
        if let Some(dev) = &self.install.dev {
            test = test.step(self.run(dev));
        }
        test = test.step(Run::shell(command));
        (test, format!("tests: {command} ({why})"))
    }

    pub fn dev(&self) -> Stage {
        let mut dev = Stage::new(
            "dev",
            "the build stage plus the dev dependencies, running the app from its sources",
            Base::Stage("build".into()),
        );
        dev.args = self.request.args.clone();
        if let Some(step) = &self.install.dev {
            dev = dev.step(self.run(step));
        }
        dev.image.cmd = Some(self.start.command.clone());
        if let Some(port) = self.start.port {
            dev.image.ports.push(Port {
                number: port,
                protocol: Protocol::Tcp,
            });
        }
        dev
    }

    pub fn runtime(&self) -> Stage {
        let image = match self.flavour {
            Flavour::Slim => format!("{BUILDER_IMAGE}:{}-slim", self.minor),
            Flavour::Distroless(image) | Flavour::Image(image) => image.clone(),
        };
        let mut runtime = self.venv_env(
            Stage::new(
                "runtime",
                "the final image: the virtual environment and the app, as a non-root user",
                Base::Image(image),
            )
            .workdir(APP_DIR),
        );
        let packages = &self.request.common.runtime_packages;
        if !packages.is_empty() {
            // The base's own layer, before the app's: cached until the base or the list changes.
            runtime = runtime.step(apt_install(packages));
        }
        let bytecode = self.request.options.bytecode.unwrap_or(true);
        if bytecode {
            // The base's own files, so first: this layer is cached until the base changes.
            runtime = runtime.step(Run::exec([
                self.python(),
                "-c".to_string(),
                STDLIB_BYTECODE.to_string(),
            ]));
        }
        runtime = runtime
            .step(Copy::from_stage("build", &[VENV], VENV))
            .step(Copy::context(["."], "."));
        if bytecode {
            runtime = runtime.step(Run::exec([
                self.python(),
                "-c".to_string(),
                format!(
                    "import compileall; compileall.compile_dir('{APP_DIR}', quiet=1, workers=0)"
                ),
            ]));
        }
        // The image's default user may not be root (distroless `:nonroot`, any image): the
        // compiling and installing steps write where only root may.
        if (bytecode || !packages.is_empty()) && !matches!(self.flavour, Flavour::Slim) {
            runtime.build_user = Some("0:0".to_string());
        }
        runtime.image.user = Some(NONROOT.to_string());
        if let Some(port) = self.start.port {
            runtime.image.ports.push(Port {
                number: port,
                protocol: Protocol::Tcp,
            });
        }
        if self.flavour.debian_python() {
            // The distroless image's entrypoint is its python: the command replaces it whole.
            runtime.image.entrypoint = Some(Vec::new());
        }
        runtime.image.cmd = Some(self.start.command.clone());
        runtime
    }
}
