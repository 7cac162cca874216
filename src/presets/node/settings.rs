//! The Node preset's settings step: its options and the app's files -> [`NodeSettings`], or
//! every error at once. `stagegen dockerfile` and `stagegen init` both start here.
//!
//! Three rounds, each reported whole before the next, since each needs the one before: the
//! toolchain (Node line, package manager, workspace package), then the app (its scripts, its
//! build output, how it starts), then the images (runtime flavour, Debian packages).

use crate::presets::common::{check_packages, no_apt_at_run_time};
use crate::presets::common::{BaseChoice, Flavour, SITE_IMAGE};
use crate::presets::node::app::workspace_question;
use crate::presets::node::codes;
use crate::presets::node::distroless;
use crate::presets::node::framework;
use crate::presets::node::install::runtime_members;
use crate::presets::node::manifest::Manifest;
use crate::presets::node::native::{self, NativePackages};
use crate::presets::node::nx::{self, NxApp};
use crate::presets::node::options::TomlNodeOptions;
use crate::presets::node::options::TomlServe;
use crate::presets::node::package_manager::{self, join, PackageManager, Tool};
use crate::presets::node::procfile;
use crate::presets::node::runtime::{member_output, RuntimeImage};
use crate::presets::node::site::{self, StaticSite};
use crate::presets::node::start::{self, Entry};
use crate::presets::node::version::{self, NodeVersion};
use crate::presets::node::workspace::{self, Workspace};
use crate::presets::node::{inside, DEFAULT_OUTPUT, NODE_IMAGE, WORKSPACE_ROOT_CONFIG};
use crate::presets::{Blame, Context, PresetError};
use crate::project::ProjectFiles;

/// What the Node preset builds, worked out.
#[derive(Debug, Clone)]
pub(crate) struct NodeSettings {
    /// The Node major version, shared by the builder and the runtime.
    pub major: u32,
    /// The builder image (`node:22`, `node:22-alpine`).
    pub builder: String,
    /// The final image.
    pub runtime: RuntimeImage,
    /// How it was chosen: the user's `base`, or the default and why.
    pub base_choice: BaseChoice,
    pub pm: PackageManager,
    /// What an install reads besides the package.json files: the lock file, the tool's
    /// configuration, Yarn's checked-in release.
    pub install_inputs: Vec<String>,
    /// Whether anything is installed (the root or the workspace package has dependencies).
    pub needs_install: bool,
    /// Whether the app installs nothing at all (for the build stage's description).
    pub no_dependencies: bool,
    /// Whether the image gets a production `node_modules`.
    pub has_prod_deps: bool,
    /// The workspace package that is built, when the app is one.
    pub workspace: Option<Workspace>,
    /// Root files of the workspace that its packages' builds read (`tsconfig.base.json`).
    pub root_configs: Vec<String>,
    /// Where each workspace package the app needs at run time (besides itself) builds to, by
    /// folder.
    pub member_outputs: Vec<(String, String)>,
    /// The app's folder: `""` at the root, else the workspace package's.
    pub app_dir: String,
    pub build_script: Option<String>,
    pub test_script: Option<String>,
    /// The build output folder, relative to the app.
    pub out_dir: String,
    /// What the final image runs.
    pub serve: Serve,
    /// Whether only the build output (and package.json) of the app reaches the image: the
    /// entry lies inside it.
    pub output_only: bool,
    /// What the `dev` stage runs.
    pub dev_command: Vec<String>,
    /// The Nx app, built with `nx build <project>` (with the libraries it depends on) instead of
    /// package scripts.
    pub nx: Option<NxApp>,
    /// Next.js's standalone output: the image holds `.next/standalone/`, `.next/static/` and
    /// `public/` only.
    pub standalone: bool,
    /// Whether the app has a `public/` folder (copied beside a standalone server).
    pub has_public: bool,
    /// The Debian packages of the build stages and the final image (`system-packages`,
    /// `runtime-packages`, then what the native modules need), and the native modules found.
    pub native: NativePackages,
    /// What was read, one line each, for the plan and for init.
    pub detected: Vec<String>,
}

/// What the final image runs.
#[derive(Debug, Clone)]
pub(crate) enum Serve {
    /// The app's own server: the start command.
    Node(Entry),
    /// The build output, a static site served by nginx (the image, then the site).
    Static(String, StaticSite),
}

impl Serve {
    /// The start command, for an app that runs on Node.
    pub(crate) fn entry(&self) -> Option<&Entry> {
        match self {
            Serve::Node(entry) => Some(entry),
            Serve::Static(..) => None,
        }
    }
}

/// The package that is built, and what its package.json says.
struct App {
    dir: String,
    build_script: Option<String>,
    test_script: Option<String>,
    out_dir: String,
    /// How it starts, or the static site it builds.
    serve: Result<Entry, StaticSite>,
    dev_command: Vec<String>,
    /// The build output runs without `node_modules` (Nuxt's `.output/`).
    self_contained: bool,
    /// Next.js's standalone output.
    standalone: bool,
    nx: Option<NxApp>,
}

/// Work out the settings, or every error at once.
pub(super) fn settings(
    o: &TomlNodeOptions,
    cx: &Context<'_>,
) -> Result<NodeSettings, Vec<PresetError>> {
    let files = cx.files;
    let root = read_manifest(files)?;
    let (node, pm, ws) = toolchain(o, &root, files)?;
    let app = app(o, cx, &root, ws.as_ref(), &pm)?;
    let packages = app_packages(cx, &root, ws.as_ref(), &pm);
    // A static site's `base` is its web server's: the Node images are the builder's only.
    let (base_choice, base, serve) = match app.serve {
        Ok(entry) => {
            let choice = distroless::choose(cx, node.major, (&entry, &app.dir), &packages);
            (choice.clone(), choice.base(cx.base), Serve::Node(entry))
        }
        Err(site) => (
            BaseChoice::Given,
            None,
            Serve::Static(site_image(cx)?, site),
        ),
    };
    let runtime = images(cx, base, node.major)?;
    if let Serve::Node(entry) = &serve {
        if entry.shell_syntax && runtime.flavour == Flavour::Distroless {
            return Err(vec![procfile::needs_shell(entry)]);
        }
        if entry.needs_shell && runtime.flavour == Flavour::Distroless {
            return Err(vec![needs_shell(entry)]);
        }
    }
    let builder = format!("{NODE_IMAGE}:{}{}", node.major, runtime.builder_suffix());
    let native = native_packages(packages, &runtime, &serve, &builder)?;
    let has_prod_deps = match (&ws, &serve) {
        (_, Serve::Static(..)) => false,
        _ if app.self_contained => false,
        (Some(w), _) => !w.target.manifest.dependencies.is_empty() || !root.dependencies.is_empty(),
        (None, _) => !root.dependencies.is_empty(),
    };
    let output_only = (app.build_script.is_some() || app.nx.is_some())
        && serve
            .entry()
            .and_then(|e| e.file.as_deref())
            .is_some_and(|f| f.starts_with(&format!("{}/", app.out_dir)));
    let has_public = app.standalone && files.is_dir(&join(&app.dir, "public"));
    let mut s = NodeSettings {
        major: node.major,
        builder,
        runtime,
        base_choice,
        install_inputs: pm.install_inputs(files, "", &root),
        pm,
        needs_install: !root.has_no_dependencies()
            || ws
                .as_ref()
                .is_some_and(|w| !w.target.manifest.has_no_dependencies()),
        no_dependencies: root.has_no_dependencies() && ws.is_none(),
        has_prod_deps,
        root_configs: ws
            .as_ref()
            .map(|_| root_configs(files, app.nx.is_some()))
            .unwrap_or_default(),
        member_outputs: ws
            .as_ref()
            .map(|w| member_outputs(files, w))
            .unwrap_or_default(),
        workspace: ws,
        app_dir: app.dir,
        build_script: app.build_script,
        test_script: app.test_script,
        out_dir: app.out_dir,
        serve,
        output_only,
        dev_command: app.dev_command,
        standalone: app.standalone,
        has_public,
        nx: app.nx,
        native,
        detected: Vec::new(),
    };
    s.detected = detected(&s, &node, o.version.is_some());
    Ok(s)
}

/// Read and parse the `package.json` at the root of the build context.
fn read_manifest(files: &ProjectFiles) -> Result<Manifest, Vec<PresetError>> {
    let path = "package.json";
    let Some(text) = files.read(path) else {
        return Err(vec![PresetError::new(
            codes::NO_PACKAGE_JSON,
            Blame::Table,
            format!("no `{path}` in the build context `{}`", files.root().display()),
        )
        .help("the node preset builds npm, pnpm and Yarn apps: run `npm init`, or point `context` at the app's folder")]);
    };
    Manifest::parse(&text).map_err(|e| {
        vec![PresetError::new(
            codes::INVALID_PACKAGE_JSON,
            Blame::Table,
            format!("`{path}` is not valid JSON: {e}"),
        )
        .help("fix the file: `npm pkg get name` shows what npm makes of it")]
    })
}

/// The first round: the Node line, the package manager and the workspace package.
fn toolchain(
    o: &TomlNodeOptions,
    root: &Manifest,
    files: &ProjectFiles,
) -> Result<(NodeVersion, PackageManager, Option<Workspace>), Vec<PresetError>> {
    let node = version::resolve(
        "",
        o.version.as_deref(),
        files.read(".nvmrc").as_deref(),
        files.read(".node-version").as_deref(),
        crate::presets::common::tool_version(files, &["nodejs", "node"]),
        root.engines_node.as_deref(),
    );
    let pm = package_manager::detect(o.package_manager.as_deref(), root, files, "");
    let ws = o
        .workspace
        .as_deref()
        .map(|w| workspace::resolve(w, root, files))
        .transpose();
    let workspace_errors = workspace::check(root, files);
    match (node, pm, ws) {
        (Ok(_), Ok(p), Ok(Some(w))) if p.tool == Tool::Bun => Err(vec![bun_workspace(&w)]),
        (Ok(n), Ok(p), Ok(w)) if workspace_errors.is_empty() => Ok((n, p, w)),
        (n, p, w) => Err(n
            .err()
            .into_iter()
            .chain(p.err())
            .chain(w.err())
            .chain(workspace_errors)
            .collect()),
    }
}

/// One package of a workspace installed by Bun: its install reads every workspace package's
/// manifest, which a narrowed build leaves out (the frozen install would fail).
fn bun_workspace(w: &Workspace) -> PresetError {
    PresetError::new(
        codes::UNSUPPORTED_PACKAGE_MANAGER,
        Blame::Knob("workspace"),
        format!(
            "the node preset builds one workspace package (`{}`) with npm, pnpm or yarn, not bun",
            w.target.dir
        ),
    )
    .help("remove `workspace` and build the workspace root, or give the package its own build context")
}

/// The second round: the package that is built (the root, or the workspace package), its
/// scripts, its build output and its start command.
fn app(
    o: &TomlNodeOptions,
    cx: &Context<'_>,
    root: &Manifest,
    ws: Option<&Workspace>,
    pm: &PackageManager,
) -> Result<App, Vec<PresetError>> {
    let files = cx.files;
    let (dir, manifest) = match ws {
        Some(w) => (w.target.dir.clone(), &w.target.manifest),
        None => (String::new(), root),
    };
    let mut errors = Vec::new();
    let build_script = build_script(o, manifest, &mut errors);
    let test_script = test_script(cx.common.test, manifest, &mut errors);
    let Some(b) = built(
        o,
        files,
        manifest,
        &dir,
        ws,
        build_script.is_some(),
        &mut errors,
    ) else {
        return Err(errors);
    };
    // The Procfile's process, unless the `start` knob names the command: it makes the app a
    // server of its own, unless `serve = "static"` says otherwise.
    let from_procfile = (o.start.is_none() && o.serve != Some(TomlServe::Static))
        .then(|| procfile::start(files, manifest, &dir))
        .flatten();
    let site = site::detect(
        from_procfile
            .as_ref()
            .map_or(o.serve, |_| Some(TomlServe::Node)),
        o.output.as_deref(),
        manifest,
        files,
        &dir,
        build_script.as_deref(),
    );
    if o.serve == Some(TomlServe::Static) && build_script.is_none() {
        errors.push(static_without_build(manifest));
    }
    if let Some(site) = site {
        let scripts = (build_script, test_script);
        return site_app(site, dir, scripts, manifest, pm, errors);
    }
    let package = Package {
        root,
        manifest,
        ws,
        dir: &dir,
    };
    let has_build = build_script.is_some();
    let entry = start_entry(o, cx, &package, &b, from_procfile, has_build, &mut errors)?;
    if !errors.is_empty() {
        return Err(errors);
    }
    let dev_command = match manifest.script("dev") {
        Some(_) => vec![pm.tool.command().to_string(), "run".into(), "dev".into()],
        None => entry.words.clone(),
    };
    Ok(App {
        dir,
        build_script,
        test_script,
        serve: Ok(entry),
        dev_command,
        self_contained: b.framework.as_ref().is_some_and(|f| f.self_contained),
        standalone: b.framework.as_ref().is_some_and(|f| f.standalone),
        out_dir: b.out_dir,
        nx: b.nx_app,
    })
}

/// The package being built, as [`start_entry`] needs it.
struct Package<'a> {
    /// The workspace root's (or the app's own) manifest.
    root: &'a Manifest,
    /// The built package's manifest (the root's when there is no workspace).
    manifest: &'a Manifest,
    ws: Option<&'a Workspace>,
    /// The built package's folder, `""` at the root.
    dir: &'a str,
}

/// The start command: the Procfile's process, then the framework's or Nx's own entry when the knob is unset, else the knob,
/// the scripts and the files ([`start::infer`]). At a workspace root whose own start is not
/// clear, the question which package to build is the only error; an inference error joins
/// `errors`, which are then returned whole.
fn start_entry(
    o: &TomlNodeOptions,
    cx: &Context<'_>,
    p: &Package<'_>,
    b: &Built,
    from_procfile: Option<Result<Entry, PresetError>>,
    has_build: bool,
    errors: &mut Vec<PresetError>,
) -> Result<Entry, Vec<PresetError>> {
    let own_entry = (o.start.is_none())
        .then(|| own_entry(p.manifest, b.framework.as_ref(), b.nx_app.as_ref()))
        .flatten();
    let entry = match (from_procfile, own_entry) {
        (Some(from_procfile), _) => from_procfile,
        (None, Some(entry)) => Ok(entry),
        (None, None) => start::infer(
            o.start.as_deref(),
            p.manifest,
            cx.files,
            p.dir,
            &b.out_dir,
            b.ts_root.as_deref(),
            has_build,
        ),
    };
    if p.ws.is_none() && o.start.is_none() {
        let built = has_build.then_some(b.out_dir.as_str());
        if let Some(question) = workspace_question(p.root, cx.files, entry.as_ref().ok(), built) {
            return Err(vec![question]);
        }
    }
    entry.map_err(|e| {
        errors.push(e);
        std::mem::take(errors)
    })
}

/// What the app's build makes, as the package's files tell.
struct Built {
    framework: Option<framework::Framework>,
    /// The Nx app of a workspace package that has no build script of its own.
    nx_app: Option<NxApp>,
    /// Where the build writes: the knob, the framework's or Nx's output, tsconfig's `outDir`.
    out_dir: String,
    /// tsconfig's `rootDir`.
    ts_root: Option<String>,
}

/// The framework, the Nx app and the build output of the package at `dir`; `None` when the
/// framework is one that builds nothing a container runs (its error is in `errors`).
fn built(
    o: &TomlNodeOptions,
    files: &ProjectFiles,
    manifest: &Manifest,
    dir: &str,
    ws: Option<&Workspace>,
    has_build_script: bool,
    errors: &mut Vec<PresetError>,
) -> Option<Built> {
    let (ts_out, ts_root) = files
        .read(&join(dir, "tsconfig.json"))
        .map(|t| start::tsconfig_dirs(&t))
        .unwrap_or((None, None));
    let framework = match framework::detect(manifest, files, dir).transpose() {
        Ok(f) => f,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let nx_app = match ws {
        Some(w) if !has_build_script => nx::app(files, &w.target),
        _ => None,
    };
    let output = framework
        .as_ref()
        .map(|f| f.output.to_string())
        .or(nx_app.as_ref().map(|n| n.output.clone()))
        .or(ts_out);
    Some(Built {
        out_dir: out_dir(o, output, errors),
        framework,
        nx_app,
        ts_root,
    })
}

/// The app that builds a static site: `scripts` are its build and test scripts; its dev command
/// is its package manager running `dev`, `start` or the build script.
fn site_app(
    site: StaticSite,
    dir: String,
    (build_script, test_script): (Option<String>, Option<String>),
    m: &Manifest,
    pm: &PackageManager,
    mut errors: Vec<PresetError>,
) -> Result<App, Vec<PresetError>> {
    if !inside(&site.output) {
        errors.push(output_outside(&site.output));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let dev_command = ["dev", "start"]
        .into_iter()
        .chain(build_script.as_deref())
        .find(|s| m.script(s).is_some())
        .map(|s| vec![pm.tool.command().to_string(), "run".into(), s.to_string()])
        .unwrap_or_default();
    Ok(App {
        dir,
        build_script,
        test_script,
        out_dir: site.output.clone(),
        serve: Err(site),
        dev_command,
        self_contained: false,
        standalone: false,
        nx: None,
    })
}

/// The start the framework (or Nx) gives, when no `start` script stands in its way.
fn own_entry(
    m: &Manifest,
    framework: Option<&framework::Framework>,
    nx_app: Option<&NxApp>,
) -> Option<Entry> {
    let from_framework = framework
        .and_then(|f| f.entry.clone())
        .filter(|_| start_gives_way(m, framework));
    from_framework.or_else(|| {
        nx_app
            .map(|n| n.entry.clone())
            .filter(|_| m.script("start").is_none())
    })
}

/// Whether the framework's own entry runs instead of the `start` script: there is none, or it
/// only runs what cannot serve the build (`next start` on a standalone build).
fn start_gives_way(m: &Manifest, framework: Option<&framework::Framework>) -> bool {
    match m.script("start") {
        None => true,
        Some(start) => framework
            .and_then(|f| f.replaces_start)
            .is_some_and(|r| start.trim() == r || start.trim().starts_with(&format!("{r} "))),
    }
}

/// The `build` knob's script, else `build` when package.json has one.
fn build_script(
    o: &TomlNodeOptions,
    app: &Manifest,
    errors: &mut Vec<PresetError>,
) -> Option<String> {
    match &o.build {
        Some(s) if app.script(s).is_some() => Some(s.clone()),
        Some(s) => {
            errors.push(
                PresetError::new(
                    codes::NO_SUCH_SCRIPT,
                    Blame::Knob("build"),
                    format!("package.json has no `{s}` script"),
                )
                .help(script_help(app)),
            );
            None
        }
        None => app.script("build").map(|_| "build".to_string()),
    }
}

/// The `test` script, unless `test = false`; `test = true` insists on one.
fn test_script(
    knob: Option<bool>,
    app: &Manifest,
    errors: &mut Vec<PresetError>,
) -> Option<String> {
    match knob {
        Some(false) => None,
        Some(true) if app.script("test").is_none() => {
            errors.push(
                PresetError::new(
                    codes::NO_TEST_SCRIPT,
                    Blame::Knob("test"),
                    "`test = true` but package.json has no `test` script",
                )
                .help("add a `test` script to package.json, or remove `test`"),
            );
            None
        }
        _ => app.script("test").map(|_| "test".to_string()),
    }
}

fn script_help(m: &Manifest) -> String {
    if m.scripts.is_empty() {
        "package.json has no scripts".to_string()
    } else {
        format!(
            "its scripts are {}",
            m.scripts
                .keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// The build output: the `output` knob, else tsconfig's `outDir`, else `dist`.
fn out_dir(o: &TomlNodeOptions, ts_out: Option<String>, errors: &mut Vec<PresetError>) -> String {
    let out_dir = o
        .output
        .as_deref()
        .map(start::clean)
        .or(ts_out)
        .unwrap_or_else(|| DEFAULT_OUTPUT.to_string());
    if !inside(&out_dir) {
        errors.push(output_outside(&out_dir));
    }
    out_dir
}

fn needs_shell(entry: &Entry) -> PresetError {
    PresetError::new(
        codes::START_NEEDS_SHELL,
        Blame::RuntimeBase,
        format!(
            "the start command `{}` needs a shell or `/usr/bin/env`, and distroless has neither",
            entry.words.join(" ")
        ),
    )
    .help("use `base = \"slim\"` in `[runtime]`, or set `start = [\"node\", \"<file>\"]` in `[preset]` to run node directly")
}

fn static_without_build(m: &Manifest) -> PresetError {
    PresetError::new(
        codes::STATIC_WITHOUT_BUILD,
        Blame::Knob("serve"),
        "`serve = \"static\"` serves the build output, and package.json has no build script",
    )
    .help(format!(
        "add a `build` script that writes the site (or name yours with `build = \"...\"`); a site with no build step is the `static` preset's (`name = \"static\"`); {}",
        script_help(m)
    ))
}

/// The web server of a static site: nginx-unprivileged, or an image `[runtime] base` names;
/// a flavour (`distroless`, `slim`, ...) is a Node runtime's, and no server for a site.
fn site_image(cx: &Context<'_>) -> Result<String, Vec<PresetError>> {
    match cx.base.map(Flavour::named) {
        None => Ok(SITE_IMAGE.to_string()),
        Some(Flavour::Image(image)) => Ok(image),
        Some(flavour) => Err(vec![flavour
            .unsupported(
                codes::STATIC_SITE_BASE,
                format!(
                    "the app is a static site, served by nginx: `{}` is a flavour of Node's runtime",
                    flavour.name()
                ),
            )
            .help(format!(
                "remove `base` (the site runs on `{SITE_IMAGE}`), or set `serve = \"node\"` in `[preset]` if the app runs a server of its own"
            ))]),
    }
}

/// The error for a build output folder that is not inside the app.
pub(super) fn output_outside(out_dir: &str) -> PresetError {
    PresetError::new(
        codes::OUTPUT_OUTSIDE_APP,
        Blame::Knob("output"),
        format!("`{out_dir}` is not a folder inside the app"),
    )
    .help("write the folder the build writes, relative to the app, e.g. `\"dist\"`")
}

/// The third round: the final image for `[runtime] base`, and the Debian packages of
/// `system-packages` (into the builder, which has apt unless it is Alpine's) and
/// `runtime-packages` (into the final image, which has apt on `slim` or an image of the user's).
fn images(
    cx: &Context<'_>,
    base: Option<&str>,
    major: u32,
) -> Result<RuntimeImage, Vec<PresetError>> {
    let mut errors = Vec::new();
    let runtime = RuntimeImage::of(base, major);
    check_packages("system-packages", &cx.common.system_packages, &mut errors);
    check_packages("runtime-packages", &cx.common.runtime_packages, &mut errors);
    if let Ok(runtime) = &runtime {
        let builder = format!("{NODE_IMAGE}:{major}{}", runtime.builder_suffix());
        if !cx.common.system_packages.is_empty() && !runtime.builder_has_apt() {
            errors.push(no_apt_in_builder(&builder));
        }
        if !cx.common.runtime_packages.is_empty() && !runtime.has_apt() {
            errors.push(no_apt_at_run_time(runtime.flavour.name()));
        }
    }
    match runtime {
        Ok(runtime) if errors.is_empty() => Ok(runtime),
        runtime => Err(runtime.err().into_iter().chain(errors).collect()),
    }
}

/// The Debian packages of the build stages and of the final image: the user's, then what the
/// native modules in the lock file need.
fn app_packages(
    cx: &Context<'_>,
    root: &Manifest,
    ws: Option<&Workspace>,
    pm: &PackageManager,
) -> NativePackages {
    let lock = pm.lock.as_deref().and_then(|l| cx.files.read(l));
    let mut manifests = vec![root];
    if let Some(w) = ws {
        manifests.extend(w.uses.iter().chain([&w.target]).map(|m| &m.manifest));
    }
    native::for_app(
        lock.as_deref(),
        &manifests,
        &cx.common.system_packages,
        &cx.common.runtime_packages,
    )
}

/// The app's Debian packages, or an error when they need apt where there is none.
fn native_packages(
    packages: NativePackages,
    runtime: &RuntimeImage,
    serve: &Serve,
    builder: &str,
) -> Result<NativePackages, Vec<PresetError>> {
    let mut errors = Vec::new();
    if !packages.added_build.is_empty() && !runtime.builder_has_apt() {
        errors.push(native::need_apt(
            &packages,
            "builder",
            builder,
            &packages.added_build,
        ));
    }
    if !packages.added_run.is_empty() && !runtime.has_apt() && serve.entry().is_some() {
        errors.push(native::need_apt(
            &packages,
            "final image",
            &runtime.image,
            &packages.added_run,
        ));
    }
    if errors.is_empty() {
        Ok(packages)
    } else {
        Err(errors)
    }
}

fn no_apt_in_builder(builder: &str) -> PresetError {
    PresetError::new(
        codes::NO_APT_IN_BUILDER,
        Blame::Knob("system-packages"),
        format!("`system-packages` are Debian packages, and the builder `{builder}` has no apt"),
    )
    .help("use `base = \"slim\"` or `base = \"distroless\"` in `[runtime]` (their builder is Debian), or remove `system-packages`")
}

/// Root files of the workspace that its packages' builds read, in folder order (with Nx's
/// configuration for an Nx build).
fn root_configs(files: &ProjectFiles, nx: bool) -> Vec<String> {
    let nx_config: &[&str] = if nx { nx::ROOT_CONFIG } else { &[] };
    files
        .list("")
        .into_iter()
        .filter(|f| {
            WORKSPACE_ROOT_CONFIG
                .iter()
                .chain(nx_config)
                .any(|p| f.starts_with(p))
                && files.is_file(f)
        })
        .collect()
}

/// Where each workspace package the target needs at run time builds to, by folder.
fn member_outputs(files: &ProjectFiles, w: &Workspace) -> Vec<(String, String)> {
    runtime_members(w)
        .into_iter()
        .filter(|m| m.name != w.target.name)
        .map(|m| (m.dir.clone(), member_output(files, m)))
        .collect()
}

/// What was read and decided, one line each: the plan's `detected` lines, and the comments
/// `stagegen init` writes.
fn detected(s: &NodeSettings, node: &NodeVersion, from_knob: bool) -> Vec<String> {
    let source = match &node.source {
        Some(file) => file.clone(),
        None if from_knob => "the `version` knob".to_string(),
        None => "the default line".to_string(),
    };
    let runtime = match &s.serve {
        Serve::Node(_) => format!("runtime {}", s.runtime.image),
        Serve::Static(..) => "for the build only".to_string(),
    };
    let mut lines = vec![
        format!(
            "Node {}: builder {}, {runtime} ({source})",
            s.major, s.builder
        ),
        s.pm.detected.clone(),
    ];
    lines.extend(distroless::line(&s.base_choice, &s.runtime, s.major));
    lines.extend(s.workspace.as_ref().map(workspace_line));
    match &s.serve {
        Serve::Node(entry) => {
            lines.push(format!(
                "start: {} ({})",
                entry.words.join(" "),
                entry.source
            ));
            for file in crate::presets::node::ports::env_files(&entry.words) {
                lines.push(format!(
                    "the image holds {file} (the start command's `--env-file`): keep secrets out of it and pass them at run time (`docker run -e`)"
                ));
            }
            lines.push(match &s.build_script {
                None if s.nx.is_some() => format!(
                    "build: `{}` (Nx builds the workspace libraries it depends on first), into {}/; dev dependencies stay out of the image",
                    nx::build_command(&s.nx.as_ref().map(|n| n.project.clone()).unwrap_or_default()),
                    s.out_dir
                ),
                Some(script) if s.standalone => format!(
                    "build: the `{script}` script; the image holds only {out}/standalone/ (server.js and the node_modules Next traced), {out}/static/{}",
                    if s.has_public { " and public/" } else { "" },
                    out = join(&s.app_dir, &s.out_dir),
                ),
                Some(script) if s.output_only => format!(
                    "build: the `{script}` script, into {}/; dev dependencies stay out of the image",
                    s.out_dir
                ),
                Some(script) => format!(
                    "build: the `{script}` script, into {}/; the image holds it and the sources, without dev dependencies",
                    s.out_dir
                ),
                None if s.has_prod_deps => {
                    "no build script: the sources run as they are, with production dependencies only"
                        .to_string()
                }
                None => "no build script: the sources run as they are".to_string(),
            });
        }
        Serve::Static(image, site) => {
            lines.push(format!(
                "a static site: {}; the `{}` script builds it, and only {}/ reaches the image",
                site.why,
                s.build_script.as_deref().unwrap_or("build"),
                s.out_dir
            ));
            lines.push(format!(
                "served by {image} as user 101 on port 8080 ({}), with a health check on /healthz; no Node in the image (`serve = \"node\"` if the app runs a server)",
                match site.fallback {
                    crate::presets::common::Fallback::SinglePage => "paths that are no file get index.html",
                    crate::presets::common::Fallback::Pages { .. } => "`/about` is about.html, else a 404",
                }
            ));
        }
    }
    lines.extend(s.native.detected.iter().cloned());
    if !s.has_prod_deps && s.serve.entry().is_some() && !s.standalone {
        lines.push("no production dependencies: the image holds no node_modules".to_string());
    }
    if let Some(t) = &s.test_script {
        lines.push(format!(
            "tests: the `{t}` script (docker build --target test)"
        ));
    }
    lines
}

fn workspace_line(w: &Workspace) -> String {
    let uses = if w.uses.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = w.uses.iter().map(|m| m.name.as_str()).collect();
        format!(", using {}", names.join(", "))
    };
    format!(
        "workspace package {} ({}){uses}",
        w.target.name, w.target.dir
    )
}
