//! The Bun preset's settings step: its options and the app's files -> [`BunSettings`], or every
//! error at once. `stagegen dockerfile` and `stagegen init` both start here.
//!
//! Two rounds, each reported whole before the next: the app (package.json, the Bun version, the
//! installs, its scripts, how it starts), then the images (runtime flavour, Debian packages).

use crate::presets::bun::codes;
use crate::presets::bun::distroless;
use crate::presets::bun::options::TomlBunOptions;
use crate::presets::bun::procfile;
use crate::presets::bun::runtime::RuntimeImage;
use crate::presets::bun::start::{self, Start};
use crate::presets::bun::version::{self, BunVersion, Sources};
use crate::presets::bun::{BUN_IMAGE, DEFAULT_OUTPUT};
use crate::presets::common::{
    check_packages, no_apt_at_run_time, tool_version, BaseChoice, Flavour,
};
use crate::presets::node::inside;
use crate::presets::node::manifest::Manifest;
use crate::presets::node::package_manager::{split_spec, PackageManager, Tool};
use crate::presets::{Blame, Context, Detection, PresetError};
use crate::project::ProjectFiles;

/// Source files read for ports.
const SOURCE_EXTENSIONS: &[&str] = &[".ts", ".tsx", ".js", ".mjs", ".mts"];
/// Where `Bun.serve` (and a default-exported `fetch` handler) listens when the app names no
/// port: `$PORT` (or `$BUN_PORT`, `$NODE_PORT`), else 3000.
pub(crate) const BUN_DEFAULT_PORT: u16 = 3000;

/// What the Bun preset builds, worked out.
#[derive(Debug, Clone)]
pub(crate) struct BunSettings {
    pub version: BunVersion,
    /// The builder image (`oven/bun:1`).
    pub builder: String,
    pub runtime: RuntimeImage,
    /// How it was chosen: the user's `base`, or the default and why.
    pub base_choice: BaseChoice,
    /// Bun's installs (shared with the Node preset, which uses Bun as a package manager).
    pub pm: PackageManager,
    /// What an install reads: package.json, the lock file, `bunfig.toml`, `.npmrc`.
    pub install_inputs: Vec<String>,
    /// Whether anything is installed.
    pub needs_install: bool,
    /// Whether the image gets a production `node_modules`.
    pub has_prod_deps: bool,
    pub build_script: Option<String>,
    /// What the `test` stage runs: `bun run test` for a `test` script, else `bun test` (Bun's
    /// own runner) when `test = true` asks for tests.
    pub test: Option<Test>,
    /// The build output folder.
    pub out_dir: String,
    /// Whether only the build output (and package.json) reaches the image.
    pub output_only: bool,
    pub start: Start,
    /// What the `dev` stage runs.
    pub dev_command: Vec<String>,
    /// The ports the app listens on, with where each was read (for init and the health check).
    pub ports: Vec<(u16, String)>,
    /// What was read, one line each, for the plan and for init.
    pub detected: Vec<String>,
}

/// How the `test` stage runs the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Test {
    /// The `test` script.
    Script,
    /// `bun test`: the app has no `test` script, and `test = true`.
    Runner,
}

/// Work out the settings, or every error at once.
pub(super) fn settings(
    o: &TomlBunOptions,
    cx: &Context<'_>,
) -> Result<BunSettings, Vec<PresetError>> {
    let files = cx.files;
    let m = read_manifest(files)?;
    let mut errors = Vec::new();
    let version = bun_version(o, &m, files).map_err(|e| errors.push(e)).ok();
    let pm = package_manager(&m, files).map_err(|e| errors.push(e)).ok();
    let build_script = build_script(o, &m, &mut errors);
    let out_dir = out_dir(o, &m, build_script.as_deref(), files);
    if !inside(&out_dir) {
        errors.push(output_outside(&out_dir));
    }
    let start = start::infer(o.start.as_deref(), &m, files)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(version), Some(pm), Some(start), true) = (version, pm, start, errors.is_empty())
    else {
        return Err(errors);
    };
    let base_choice = distroless::choose(cx, &start);
    let runtime = images(cx, base_choice.base(cx.base), &version.tag)?;
    if start.shell_syntax && runtime.flavour == Flavour::Distroless {
        return Err(vec![procfile::needs_shell(&start)]);
    }
    if start.needs_shell && runtime.flavour == Flavour::Distroless {
        return Err(vec![needs_shell(&start)]);
    }
    let test = match (cx.common.test, m.script("test")) {
        (Some(false), _) => None,
        (_, Some(_)) => Some(Test::Script),
        (Some(true), None) => Some(Test::Runner),
        (None, None) => None,
    };
    let output_only = build_script.is_some()
        && start
            .file
            .as_deref()
            .is_some_and(|f| f.starts_with(&format!("{out_dir}/")));
    let dev_command = match m.script("dev") {
        Some(_) => vec!["bun".into(), "run".into(), "dev".into()],
        None => start.words.clone(),
    };
    let mut install_inputs = vec!["package.json".to_string()];
    install_inputs.extend(pm.install_inputs(files, "", &m));
    let mut s = BunSettings {
        builder: runtime.builder.clone(),
        runtime,
        base_choice,
        install_inputs,
        needs_install: !m.has_no_dependencies(),
        has_prod_deps: !m.dependencies.is_empty(),
        pm,
        build_script,
        test,
        out_dir,
        output_only,
        ports: ports(&start, files),
        start,
        dev_command,
        version,
        detected: Vec::new(),
    };
    s.detected = detected(&s, files);
    Ok(s)
}

/// Read and parse the `package.json` at the root of the build context.
fn read_manifest(files: &ProjectFiles) -> Result<Manifest, Vec<PresetError>> {
    let Some(text) = files.read("package.json") else {
        return Err(vec![PresetError::new(
            codes::NO_PACKAGE_JSON,
            Blame::Table,
            format!("no `package.json` in the build context `{}`", files.root().display()),
        )
        .help("the bun preset builds Bun apps: run `bun init`, or point `context` at the app's folder")]);
    };
    Manifest::parse(&text).map_err(|e| {
        vec![PresetError::new(
            codes::INVALID_PACKAGE_JSON,
            Blame::Table,
            format!("`package.json` is not valid JSON: {e}"),
        )
        .help("fix the file: `bun pm pkg get name` shows what bun makes of it")]
    })
}

fn bun_version(
    o: &TomlBunOptions,
    m: &Manifest,
    files: &ProjectFiles,
) -> Result<BunVersion, PresetError> {
    let pinned = m
        .package_manager
        .as_deref()
        .map(split_spec)
        .filter(|(name, _)| *name == "bun")
        .and_then(|(_, v)| v);
    let file = files.read(".bun-version");
    version::resolve(Sources {
        knob: o.version.as_deref(),
        package_manager: pinned.as_deref(),
        bun_version_file: file.as_deref(),
        tool_versions: tool_version(files, &["bun"]),
        engines: m.engines_bun.as_deref(),
    })
}

/// Bun installs: frozen from `bun.lock` (or the binary `bun.lockb` of Bun before 1.2), else
/// resolving at build time. A `packageManager` that names another tool is refused: the app
/// says it is installed with that one.
fn package_manager(m: &Manifest, files: &ProjectFiles) -> Result<PackageManager, PresetError> {
    if let Some(spec) = &m.package_manager {
        let (name, _) = split_spec(spec);
        if name != "bun" {
            return Err(PresetError::new(
                codes::OTHER_PACKAGE_MANAGER,
                Blame::Table,
                format!("package.json says `packageManager: {spec}`, and the bun preset installs with bun"),
            )
            .help(format!("use `name = \"node\"` in `[preset]` to install with {name} and run the app on Node, or set `packageManager` to `bun@<version>` and run `bun install`")));
        }
    }
    let lock = Tool::Bun
        .lock_files()
        .iter()
        .find(|l| files.is_file(l))
        .map(|l| l.to_string());
    let detected = match lock.as_deref() {
        Some("bun.lockb") => "package manager bun (bun.lockb, the binary lock file of Bun before 1.2: a frozen install)".to_string(),
        Some(l) => format!("package manager bun ({l}: a frozen install)"),
        None if m.has_no_dependencies() => "package manager bun (no dependencies)".to_string(),
        None => format!(
            "package manager bun (no lock file, so versions resolve at build time: {})",
            Tool::Bun.pin_hint()
        ),
    };
    Ok(PackageManager {
        tool: Tool::Bun,
        install_version: None,
        lock,
        yarn_path: None,
        pnp: false,
        drop_dev: false,
        detected,
    })
}

/// The `build` knob's script, else `build` when package.json has one.
fn build_script(o: &TomlBunOptions, m: &Manifest, errors: &mut Vec<PresetError>) -> Option<String> {
    match &o.build {
        Some(s) if m.script(s).is_some() => Some(s.clone()),
        Some(s) => {
            let names: Vec<String> = m.scripts.keys().map(|k| format!("`{k}`")).collect();
            errors.push(
                PresetError::new(
                    codes::NO_SUCH_SCRIPT,
                    Blame::Knob("build"),
                    format!("package.json has no `{s}` script"),
                )
                .help(if names.is_empty() {
                    "package.json has no scripts".to_string()
                } else {
                    format!("its scripts are {}", names.join(", "))
                }),
            );
            None
        }
        None => m.script("build").map(|_| "build".to_string()),
    }
}

/// The build output: the `output` knob, else the build script's `--outdir` (or the folder of
/// its `--outfile`), else tsconfig's `outDir`, else `dist`.
fn out_dir(o: &TomlBunOptions, m: &Manifest, build: Option<&str>, files: &ProjectFiles) -> String {
    if let Some(out) = &o.output {
        return start::clean(out);
    }
    let script = build.and_then(|b| m.script(b)).unwrap_or("");
    let words: Vec<&str> = script.split_whitespace().collect();
    let flag = |name: &str| {
        words
            .iter()
            .enumerate()
            .find_map(|(i, w)| match w.strip_prefix(name) {
                Some(v) if v.starts_with('=') => Some(v[1..].to_string()),
                Some("") => words.get(i + 1).map(|v| v.to_string()),
                _ => None,
            })
    };
    let from_script = flag("--outdir").or_else(|| {
        flag("--outfile").and_then(|f| {
            start::clean(&f)
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
        })
    });
    let from_tsconfig = || {
        let text = files.read("tsconfig.json")?;
        let at = text.find("\"outDir\"")?;
        let rest = text[at + 8..]
            .trim_start()
            .strip_prefix(':')?
            .trim_start()
            .strip_prefix('"')?;
        Some(rest[..rest.find('"')?].to_string())
    };
    from_script
        .or_else(from_tsconfig)
        .map(|d| start::clean(&d))
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| DEFAULT_OUTPUT.to_string())
}

/// The ports the app's sources name (the file it starts, its folder, `src/`), else Bun's
/// default port for a file whose default export Bun serves.
fn ports(start: &Start, files: &ProjectFiles) -> Vec<(u16, String)> {
    let mut found = Detection::default();
    let Some(file) = &start.file else {
        return Vec::new();
    };
    found.ports_from(files, file);
    let dir = file
        .rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let mut folders = vec![dir];
    if !folders.contains(&"src".to_string()) {
        folders.push("src".to_string());
    }
    for folder in folders {
        for name in files.list(&folder) {
            let path = if folder.is_empty() {
                name.clone()
            } else {
                format!("{folder}/{name}")
            };
            if SOURCE_EXTENSIONS.iter().any(|e| name.ends_with(e)) && !name.contains(".test.") {
                found.ports_from(files, &path);
            }
        }
    }
    if found.ports.is_empty()
        && files.read(file).is_some_and(|t| {
            t.lines()
                .any(|l| l.trim_start().starts_with("export default"))
        })
    {
        found.ports.push((
            BUN_DEFAULT_PORT,
            format!("{file}'s default export, which Bun serves on $PORT, else {BUN_DEFAULT_PORT}"),
        ));
    }
    found.ports
}

/// The images for `[runtime] base`, and the Debian packages of `system-packages` (into the
/// builder, Debian unless Alpine's) and `runtime-packages` (slim or an image of the user's).
fn images(
    cx: &Context<'_>,
    base: Option<&str>,
    tag: &str,
) -> Result<RuntimeImage, Vec<PresetError>> {
    let mut errors = Vec::new();
    check_packages("system-packages", &cx.common.system_packages, &mut errors);
    check_packages("runtime-packages", &cx.common.runtime_packages, &mut errors);
    let runtime = RuntimeImage::of(base, tag);
    if let Ok(r) = &runtime {
        if !cx.common.system_packages.is_empty() && r.flavour == Flavour::Alpine {
            errors.push(
                PresetError::new(
                    codes::NO_APT_IN_BUILDER,
                    Blame::Knob("system-packages"),
                    format!("`system-packages` are Debian packages, and the builder `{}` has no apt", r.builder),
                )
                .help("use `base = \"slim\"` or `base = \"distroless\"` in `[runtime]` (their builder is Debian), or remove `system-packages`"),
            );
        }
        if !cx.common.runtime_packages.is_empty() && !r.has_apt() {
            errors.push(no_apt_at_run_time(r.flavour.name()));
        }
    }
    match runtime {
        Ok(r) if errors.is_empty() => Ok(r),
        r => Err(r.err().into_iter().chain(errors).collect()),
    }
}

fn needs_shell(start: &Start) -> PresetError {
    PresetError::new(
        codes::START_NEEDS_SHELL,
        Blame::RuntimeBase,
        format!(
            "the start command `{}` runs a package.json script with a shell, and distroless has none",
            start.words.join(" ")
        ),
    )
    .help("use `base = \"slim\"` in `[runtime]`, or set `start = [\"bun\", \"<file>\"]` in `[preset]` to run bun directly")
}

fn output_outside(out_dir: &str) -> PresetError {
    PresetError::new(
        codes::OUTPUT_OUTSIDE_APP,
        Blame::Knob("output"),
        format!("`{out_dir}` is not a folder inside the app"),
    )
    .help("write the folder the build writes, relative to the app, e.g. `\"dist\"`")
}

/// What was read and decided, one line each.
fn detected(s: &BunSettings, files: &ProjectFiles) -> Vec<String> {
    let why = start::runs_on_bun(files)
        .map(|w| format!(": {w}"))
        .unwrap_or_default();
    let mut lines = vec![
        format!(
            "Bun {}: builder {}, runtime {} ({}); no Node in the image{why}",
            s.version.tag, s.builder, s.runtime.image, s.version.source
        ),
        s.pm.detected.clone(),
    ];
    let slim = format!("{BUN_IMAGE}:{}-slim", s.version.tag);
    lines.extend(s.base_choice.line(&s.runtime.image, &slim));
    lines.push(format!(
        "start: {} ({})",
        s.start.words.join(" "),
        s.start.source
    ));
    lines.push(match &s.build_script {
        Some(b) if s.output_only => format!("build: the `{b}` script, into {}/; only it and package.json reach the image", s.out_dir),
        Some(b) => format!("build: the `{b}` script, into {}/; the image holds it and the sources, without dev dependencies", s.out_dir),
        None if s.has_prod_deps => "no build script: bun runs the sources as they are, with production dependencies only".to_string(),
        None => "no build script: bun runs the sources as they are; no production dependencies, so the image holds no node_modules".to_string(),
    });
    if let Some((port, _)) = s.ports.first() {
        lines.push(format!(
            "health check: an HTTP request to port $PORT, else {port}, by bun itself (no curl needed)"
        ));
    }
    match s.test {
        Some(Test::Script) => {
            lines.push("tests: the `test` script (docker build --target test)".to_string())
        }
        Some(Test::Runner) => lines.push(
            "tests: `bun test`, Bun's own runner, as `test = true` asks (docker build --target test)"
                .to_string(),
        ),
        None => {}
    }
    lines
}
