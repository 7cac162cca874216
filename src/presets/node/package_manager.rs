//! The package manager: which one (the `package-manager` knob, else `packageManager` in
//! package.json, else the lock file), which version of it, and the commands, cache folders and
//! input files of its installs. With a lock file, every install is frozen: it honours the lock
//! file or fails. Without one (and without another tool's), the install resolves versions at
//! build time, and `detected` says so and how to pin them.
//!
//! npm and Yarn classic ship in the official `node` images. pnpm and Yarn Berry are installed
//! with `npm install -g` at the exact version `packageManager` pins (else one that reads the
//! lock file): that needs only the npm registry, which the app's install needs anyway, works
//! the same on every Node image (Corepack leaves the images with Node 25), and keeps the
//! builder's tool version in the Dockerfile where a reviewer sees it. Bun, as the package
//! manager of a Node app, is installed the same way (the npm package `bun` carries its
//! official build); the `bun` preset shares these commands and runs on the `oven/bun` images,
//! which have it.

use crate::ir::{CacheSharing, Mount};
use crate::presets::node::codes;
use crate::presets::node::manifest::Manifest;
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;
use crate::shell::shell_quote;

/// pnpm versions by the `lockfileVersion` of `pnpm-lock.yaml` they write, newest first, for
/// apps whose package.json pins none.
const PNPM_BY_LOCKFILE: &[(&str, &str)] = &[("9", "9.15.9"), ("6", "8.15.9"), ("5", "7.33.7")];
/// Yarn Berry versions by the `__metadata.version` of `yarn.lock`, for apps that pin none.
const YARN_BERRY_BY_METADATA: &[(u32, &str)] = &[(8, "4.9.4"), (0, "3.8.7")];
/// The npm package that carries Yarn Berry's single-file release (what Corepack downloads).
const YARN_BERRY_PACKAGE: &str = "@yarnpkg/cli-dist";
/// The source line of an app with no lock file at all.
const NO_LOCK: &str = "no lock file";
/// Cache folders of each tool for the root user of the official images.
const NPM_CACHE: &str = "/root/.npm";
const PNPM_STORE: &str = "/root/.local/share/pnpm/store";
const YARN_CLASSIC_CACHE: &str = "/usr/local/share/.cache/yarn";
/// Berry's global folder (its cache is `<folder>/cache`), moved from `~/.yarn/berry` to where
/// hadolint (DL3060) recognises a Yarn cache mount.
const YARN_BERRY_GLOBAL: &str = "/root/.cache/yarn/berry";
/// Bun's install cache for root (`~/.bun/install/cache`; `BUN_INSTALL_CACHE_DIR` unset).
const BUN_CACHE: &str = "/root/.bun/install/cache";
/// The Bun a Node app's builder installs when `packageManager` pins none: the newest the
/// preset knows (it reads both `bun.lock` and the binary `bun.lockb` of Bun before 1.2).
pub(crate) const BUN_DEFAULT: &str = "1.4.5";
/// Every tool whose lock file the preset reads, in the order their lock files are listed.
const TOOLS: [Tool; 4] = [Tool::Npm, Tool::Pnpm, Tool::YarnClassic, Tool::Bun];

/// The package managers the preset drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tool {
    Npm,
    Pnpm,
    YarnClassic,
    YarnBerry,
    /// Bun's package manager (`bun install`).
    Bun,
}

impl Tool {
    /// The command users type.
    pub(crate) fn command(self) -> &'static str {
        match self {
            Tool::Npm => "npm",
            Tool::Pnpm => "pnpm",
            Tool::YarnClassic | Tool::YarnBerry => "yarn",
            Tool::Bun => "bun",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tool::Npm => "npm",
            Tool::Pnpm => "pnpm",
            Tool::YarnClassic => "yarn classic",
            Tool::YarnBerry => "yarn berry",
            Tool::Bun => "bun",
        }
    }

    /// The lock file this tool writes.
    pub(crate) fn lock_file(self) -> &'static str {
        self.lock_files()[0]
    }

    /// How to pin the versions of an app without a lock file: `run `npm install` and commit
    /// `package-lock.json` to pin them` (for init's `detected` and the Dockerfile's comments).
    pub(crate) fn pin_hint(self) -> String {
        format!(
            "run `{} install` and commit `{}` to pin them",
            self.command(),
            self.lock_file()
        )
    }

    /// The lock files this tool reads, preferred first.
    pub(crate) fn lock_files(self) -> &'static [&'static str] {
        match self {
            Tool::Npm => &["package-lock.json", "npm-shrinkwrap.json"],
            Tool::Pnpm => &["pnpm-lock.yaml"],
            Tool::YarnClassic | Tool::YarnBerry => &["yarn.lock"],
            // `bun.lock` (text) since Bun 1.2, the binary `bun.lockb` before.
            Tool::Bun => &["bun.lock", "bun.lockb"],
        }
    }
}

/// Removes `devDependencies` from package.json (Yarn 2/3's production install without
/// `yarn workspaces focus`: the install that follows keeps the lock file's versions and prunes
/// the entries only dev dependencies needed).
const DROP_DEV_DEPENDENCIES: &str = r#"node -e 'const fs = require("fs"); const p = JSON.parse(fs.readFileSync("package.json", "utf8")); delete p.devDependencies; fs.writeFileSync("package.json", JSON.stringify(p, null, 2))'"#;

/// The package manager of an app, and what its installs need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackageManager {
    pub tool: Tool,
    /// The version installed with `npm install -g` (pnpm, Yarn Berry without `yarnPath`).
    pub install_version: Option<String>,
    /// The lock file, relative to the project root.
    pub lock: Option<String>,
    /// Yarn Berry's `yarnPath` (a release checked into the repo): no install needed.
    pub yarn_path: Option<String>,
    /// Yarn Berry with Plug'n'Play: installed with the `node-modules` linker instead.
    pub pnp: bool,
    /// Yarn 2/3 without the workspace-tools plugin (no `yarn workspaces focus`): the production
    /// install drops `devDependencies` from package.json, then installs from the lock file.
    pub drop_dev: bool,
    /// One line for `detected`.
    pub detected: String,
}

/// Pick the package manager of the project whose root is `root` (`""` for the context root).
pub(super) fn detect(
    knob: Option<&str>,
    manifest: &Manifest,
    files: &ProjectFiles,
    root: &str,
) -> Result<PackageManager, PresetError> {
    let pinned = knob.map(|k| (k, "package-manager")).or(manifest
        .package_manager
        .as_deref()
        .map(|p| (p, "packageManager")));
    let (tool_name, version, source) = match pinned {
        Some((spec, from)) => pinned_spec(spec, from),
        None => match (from_lock_files(files, root)?, &manifest.engines_pm) {
            ((_, _, found), Some((tool, range))) if found == NO_LOCK => engines_spec(tool, range),
            (found, _) => found,
        },
    };
    let yarnrc = files.read(&join(root, ".yarnrc.yml"));
    let tool = tool_of(
        &tool_name,
        version.as_deref(),
        yarnrc.is_some(),
        files,
        root,
    )?;
    let lock = lock_of(tool, manifest, files, root, pinned.is_some())?;
    let mut pm = PackageManager {
        tool,
        install_version: None,
        lock,
        yarn_path: None,
        pnp: false,
        drop_dev: false,
        detected: String::new(),
    };
    match tool {
        Tool::Npm | Tool::YarnClassic => {}
        Tool::Bun => pm.install_version = Some(version.unwrap_or_else(|| BUN_DEFAULT.into())),
        Tool::Pnpm => pm.install_version = Some(pnpm_version(version, files, root)),
        Tool::YarnBerry => berry(
            &mut pm,
            version,
            yarnrc.as_deref().unwrap_or(""),
            files,
            root,
            !manifest.workspaces.is_empty(),
        )?,
    }
    check_install_version(&pm)?;
    pm.detected = detected_line(&pm, &source, !manifest.has_no_dependencies());
    Ok(pm)
}

/// The tool, version and source line of a pinned spec (`pnpm@9.12.0`), from the knob or from
/// package.json's `packageManager`.
fn pinned_spec(spec: &str, from: &str) -> (String, Option<String>, String) {
    let (name, version) = split_spec(spec);
    let source = if from == "package-manager" {
        "the `package-manager` knob".to_string()
    } else {
        format!(
            "package.json packageManager: {}",
            spec.split('+').next().unwrap_or(spec)
        )
    };
    (name.to_string(), version, source)
}

/// The tool `engines.pnpm` or `engines.yarn` names, at a version the preset knows for the
/// range's major (the newest it knows when none matches).
fn engines_spec(tool: &str, range: &str) -> (String, Option<String>, String) {
    let m = range
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|d| d.parse::<u32>().ok());
    let known = |versions: Vec<&str>| {
        versions
            .iter()
            .find(|v| major(v) == m)
            .or(versions.first())
            .map(|v| v.to_string())
    };
    let version = match (tool, m) {
        ("pnpm", _) => known(PNPM_BY_LOCKFILE.iter().map(|(_, v)| *v).collect()),
        ("yarn", Some(1)) => Some("1".to_string()),
        ("yarn", Some(_)) => known(YARN_BERRY_BY_METADATA.iter().map(|(_, v)| *v).collect()),
        _ => None,
    };
    let source = format!("package.json engines.{tool}: {range}; {NO_LOCK}");
    (tool.to_string(), version, source)
}

/// The tool whose lock file the project has (npm when it has none), refused when it has the
/// lock files of several.
fn from_lock_files(
    files: &ProjectFiles,
    root: &str,
) -> Result<(String, Option<String>, String), PresetError> {
    let path = |name: &str| join(root, name);
    let locks: Vec<(Tool, &str)> = TOOLS
        .into_iter()
        .flat_map(|t| t.lock_files().iter().map(move |l| (t, *l)))
        .filter(|(_, l)| files.is_file(&path(l)))
        .collect();
    let mut tools: Vec<Tool> = locks.iter().map(|(t, _)| *t).collect();
    tools.dedup();
    Ok(match (tools.as_slice(), locks.first()) {
        ([_], Some((tool, lock))) => (tool.command().to_string(), None, path(lock)),
        ([], _) => ("npm".to_string(), None, NO_LOCK.to_string()),
        _ => {
            let names: Vec<String> = locks
                .iter()
                .map(|(_, l)| format!("`{}`", path(l)))
                .collect();
            return Err(PresetError::new(
                codes::SEVERAL_LOCK_FILES,
                Blame::Knob("package-manager"),
                format!("found lock files of several package managers: {}", names.join(", ")),
            )
            .help("delete the lock files of the package managers you do not use, or set `package-manager = \"npm\"` (or `pnpm`, `yarn`, `bun`; `stagegen init --package-manager npm`)"));
        }
    })
}

/// The tool a name means; `yarn` is Berry when its version says so, else when the project has
/// a `.yarnrc.yml` or a Berry lock file.
fn tool_of(
    name: &str,
    version: Option<&str>,
    has_yarnrc: bool,
    files: &ProjectFiles,
    root: &str,
) -> Result<Tool, PresetError> {
    Ok(match name {
        "npm" => Tool::Npm,
        "pnpm" => Tool::Pnpm,
        "bun" => Tool::Bun,
        "yarn" => {
            let berry = match version.and_then(major) {
                Some(m) => m >= 2,
                None => {
                    has_yarnrc
                        || files
                            .read(&join(root, "yarn.lock"))
                            .is_some_and(|t| t.contains("\n__metadata:"))
                }
            };
            if berry {
                Tool::YarnBerry
            } else {
                Tool::YarnClassic
            }
        }
        other if !other.is_empty() => return Err(unsupported(other)),
        _ => return Err(empty_name()),
    })
}

/// The tool's lock file, if any; refused when the project has only another tool's (a frozen
/// install is impossible, and an unfrozen one would ignore the versions that file pins).
fn lock_of(
    tool: Tool,
    manifest: &Manifest,
    files: &ProjectFiles,
    root: &str,
    pinned: bool,
) -> Result<Option<String>, PresetError> {
    let path = |name: &str| join(root, name);
    let lock = tool
        .lock_files()
        .iter()
        .map(|l| path(l))
        .find(|l| files.is_file(l));
    let other_lock = TOOLS
        .into_iter()
        .filter(|t| t.lock_files() != tool.lock_files())
        .flat_map(|t| t.lock_files().iter())
        .any(|l| files.is_file(&path(l)));
    if lock.is_none() && other_lock && !manifest.has_no_dependencies() {
        let lock_name = tool.lock_files()[0];
        return Err(PresetError::new(
            codes::NO_LOCK_FILE,
            if pinned {
                Blame::Knob("package-manager")
            } else {
                Blame::Table
            },
            format!(
                "no `{}`: a frozen install with {} needs the lock file",
                path(lock_name),
                tool.label()
            ),
        )
        .help(format!(
            "run `{} install` and commit `{lock_name}`",
            tool.command()
        )));
    }
    Ok(lock)
}

/// The pnpm version to install: the pinned one, else the one that writes the lock file's
/// `lockfileVersion`, else the newest the preset knows.
fn pnpm_version(version: Option<String>, files: &ProjectFiles, root: &str) -> String {
    let v = version.or_else(|| {
        let lock = files.read(&join(root, "pnpm-lock.yaml"))?;
        let lv = lock
            .lines()
            .find_map(|l| l.strip_prefix("lockfileVersion:"))?;
        let lv = lv.trim().trim_matches(['\'', '"']);
        let lv_major = lv.split('.').next().unwrap_or("");
        PNPM_BY_LOCKFILE
            .iter()
            .find(|(l, _)| *l == lv_major)
            .map(|(_, v)| v.to_string())
    });
    v.unwrap_or_else(|| PNPM_BY_LOCKFILE[0].1.to_string())
}

/// Yarn Berry: its checked-in release or the version to install, its linker, and the plugin
/// that `yarn workspaces focus` needs before Yarn 4: without it, a single package installs its
/// production dependencies with its `devDependencies` dropped, and a workspace, which builds
/// one package with `focus`, is refused.
fn berry(
    pm: &mut PackageManager,
    version: Option<String>,
    rc: &str,
    files: &ProjectFiles,
    root: &str,
    workspace: bool,
) -> Result<(), PresetError> {
    pm.yarn_path = yaml_value(rc, "yarnPath")
        .map(|p| join(root, &p))
        .filter(|p| files.is_file(p));
    let linker = yaml_value(rc, "nodeLinker");
    pm.pnp = linker.as_deref().is_none_or(|l| l == "pnp");
    if pm.yarn_path.is_none() {
        let v = version.unwrap_or_else(|| {
            let meta = files
                .read(&join(root, "yarn.lock"))
                .and_then(|t| berry_metadata_version(&t))
                .unwrap_or(8);
            YARN_BERRY_BY_METADATA
                .iter()
                .find(|(m, _)| meta >= *m)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        });
        pm.install_version = Some(v);
    }
    let berry_major = pm
        .install_version
        .as_deref()
        .or(pm
            .yarn_path
            .as_deref()
            .and_then(|p| p.rsplit("yarn-").next()))
        .and_then(major)
        .unwrap_or(4);
    if berry_major < 4 && !rc.contains("workspace-tools") {
        if workspace {
            return Err(PresetError::new(
                codes::YARN_WITHOUT_WORKSPACE_TOOLS,
                Blame::Knob("package-manager"),
                format!("a yarn {berry_major} workspace installs one package's dependencies only with `yarn workspaces focus`, from the workspace-tools plugin, which `.yarnrc.yml` does not list"),
            )
            .help("run `yarn plugin import workspace-tools` and commit `.yarn/plugins/` and `.yarnrc.yml`, or move to Yarn 4 (`yarn set version stable`), which has `focus` built in"));
        }
        pm.drop_dev = true;
    }
    Ok(())
}

/// The version installed with `npm install -g` goes into a shell command: an exact version.
fn check_install_version(pm: &PackageManager) -> Result<(), PresetError> {
    if let Some(v) = &pm.install_version {
        if !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
            || v.is_empty()
        {
            return Err(PresetError::new(
                codes::INVALID_PACKAGE_MANAGER,
                Blame::Knob("package-manager"),
                format!("`{v}` is not a {} version", pm.tool.command()),
            )
            .help("write an exact version, e.g. `pnpm@9.12.0`"));
        }
    }
    Ok(())
}

/// `package manager pnpm (pnpm-lock.yaml; installs pnpm@9.15.9)`.
fn detected_line(pm: &PackageManager, source: &str, has_dependencies: bool) -> String {
    let mut line = format!("package manager {} ({source}", pm.tool.label());
    if pm.lock.is_none() && has_dependencies {
        line.push_str(&format!(
            ", so versions resolve at build time: {}",
            pm.tool.pin_hint()
        ));
    }
    if let Some(v) = &pm.install_version {
        line.push_str(&format!("; installs {}@{v}", tool_package(pm.tool)));
    }
    if let Some(p) = &pm.yarn_path {
        line.push_str(&format!("; runs {p}"));
    }
    if pm.pnp {
        line.push_str("; Plug'n'Play app installed with nodeLinker node-modules");
    }
    if pm.drop_dev {
        line.push_str("; no workspace-tools plugin, so no `yarn workspaces focus --production`: production dependencies install from yarn.lock with devDependencies dropped from package.json, a second resolution of the lock file; `yarn plugin import workspace-tools` makes it a focus install");
    }
    line.push(')');
    line
}

/// A package manager the preset does not drive (`cnpm`).
pub(super) fn unsupported(name: &str) -> PresetError {
    PresetError::new(
        codes::UNSUPPORTED_PACKAGE_MANAGER,
        Blame::Knob("package-manager"),
        format!("the node preset does not support the package manager `{name}`"),
    )
    .help("use npm, pnpm, yarn or bun, or write the stages yourself with `[[stage]]`")
}

/// `package-manager = ""`, or `"@9.12.0"`.
pub(super) fn empty_name() -> PresetError {
    PresetError::new(
        codes::INVALID_PACKAGE_MANAGER,
        Blame::Knob("package-manager"),
        "the package manager is empty",
    )
    .help("write `npm`, `pnpm`, `yarn` or `bun`, optionally with a version: `pnpm@9.12.0`")
}

/// `pnpm@9.12.0+sha512.abc` -> (`pnpm`, `9.12.0`).
pub(crate) fn split_spec(spec: &str) -> (&str, Option<String>) {
    let spec = spec.trim();
    match spec.split_once('@') {
        Some((name, version)) => {
            let version = version.split('+').next().unwrap_or("").to_string();
            (name, (!version.is_empty()).then_some(version))
        }
        None => (spec, None),
    }
}

fn major(version: &str) -> Option<u32> {
    version.split('.').next()?.parse().ok()
}

/// `__metadata:\n  version: 8` in a Berry lock file.
fn berry_metadata_version(lock: &str) -> Option<u32> {
    let at = lock.find("\n__metadata:")?;
    lock[at..]
        .lines()
        .skip(2)
        .take(3)
        .find_map(|l| l.trim().strip_prefix("version:"))
        .and_then(|v| v.trim().parse().ok())
}

/// A top-level `key: value` of a YAML file (`.yarnrc.yml`), unquoted.
pub(super) fn yaml_value(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = l.strip_prefix(key)?.trim_start().strip_prefix(':')?;
        let v = rest.split(" #").next().unwrap_or("").trim();
        let v = v.trim_matches(['"', '\'']);
        (!v.is_empty()).then(|| v.to_string())
    })
}

fn tool_package(tool: Tool) -> &'static str {
    match tool {
        Tool::YarnBerry => YARN_BERRY_PACKAGE,
        _ => tool.command(),
    }
}

/// `root/name`, or `name` at the context root.
pub(super) fn join(root: &str, name: &str) -> String {
    let root = root.trim_matches('/');
    if root.is_empty() || root == "." {
        name.to_string()
    } else {
        format!("{root}/{name}")
    }
}

/// What an install command installs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deps {
    /// Every dependency, dev included (to build, test and develop).
    All,
    /// Run-time dependencies only.
    Production,
}

impl PackageManager {
    /// The command that installs the tool itself, if the image lacks it.
    pub(crate) fn tool_install(&self) -> Option<String> {
        let v = self.install_version.as_ref()?;
        Some(match self.tool {
            // --force: the official images link Yarn classic as `yarn`; Berry replaces it.
            Tool::YarnBerry => format!("npm install -g --force {YARN_BERRY_PACKAGE}@{v}"),
            _ => format!("npm install -g {}@{v}", tool_package(self.tool)),
        })
    }

    /// The install: frozen with a lock file, else resolving. `workspace` narrows it to one workspace package and the workspace
    /// packages it uses: (its folder, its package name).
    pub(crate) fn install(
        &self,
        deps: Deps,
        workspace: Option<(&str, &str)>,
        node_major: u32,
    ) -> String {
        let prod = deps == Deps::Production;
        let frozen = self.lock.is_some();
        match self.tool {
            Tool::Npm => {
                let mut c = if frozen { "npm ci" } else { "npm install" }.to_string();
                if prod {
                    // npm 6 (Node 14) spells it --production.
                    c.push_str(if node_major < 16 {
                        " --production"
                    } else {
                        " --omit=dev"
                    });
                }
                if let Some((dir, _)) = workspace {
                    c.push_str(&format!(" --workspace={}", shell_quote(dir)));
                }
                c + " --no-audit --no-fund"
            }
            Tool::Pnpm => {
                let mut c = format!(
                    "pnpm install --{}frozen-lockfile",
                    if frozen { "" } else { "no-" }
                );
                if prod {
                    c.push_str(" --prod");
                }
                if let Some((_, name)) = workspace {
                    c.push_str(&format!(" --filter={name}..."));
                }
                c
            }
            Tool::YarnClassic => {
                let mut c = if frozen {
                    "yarn install --frozen-lockfile --non-interactive"
                } else {
                    "yarn install --non-interactive"
                }
                .to_string();
                if prod {
                    c.push_str(" --production");
                }
                c
            }
            Tool::YarnBerry => match (prod, workspace) {
                (false, None) if frozen => "yarn install --immutable".to_string(),
                (false, None) => "yarn install --no-immutable".to_string(),
                (true, None) if self.drop_dev => {
                    format!("{DROP_DEV_DEPENDENCIES} && yarn install --no-immutable")
                }
                (true, None) => "yarn workspaces focus --all --production".to_string(),
                (false, Some((_, name))) => format!("yarn workspaces focus {}", shell_quote(name)),
                (true, Some((_, name))) => {
                    format!("yarn workspaces focus --production {}", shell_quote(name))
                }
            },
            Tool::Bun => {
                let mut c = if frozen {
                    "bun install --frozen-lockfile"
                } else {
                    "bun install"
                }
                .to_string();
                if prod {
                    c.push_str(" --production");
                }
                // One workspace package with Bun is refused before (settings::toolchain).
                c
            }
        }
    }

    /// `npm run build`, or in one workspace package (folder, name).
    pub(crate) fn run_script(&self, script: &str, workspace: Option<(&str, &str)>) -> String {
        let script = shell_quote(script);
        let workspace = workspace.map(|(d, n)| (shell_quote(d), shell_quote(n)));
        match (self.tool, workspace) {
            (Tool::Npm, None) => format!("npm run {script}"),
            (Tool::Npm, Some((dir, _))) => format!("npm run {script} --workspace={dir}"),
            (Tool::Pnpm, None) => format!("pnpm run {script}"),
            (Tool::Pnpm, Some((_, name))) => format!("pnpm --filter={name} run {script}"),
            (Tool::Bun, _) => format!("bun run {script}"),
            (_, None) => format!("yarn run {script}"),
            (_, Some((_, name))) => format!("yarn workspace {name} run {script}"),
        }
    }

    /// Cache mounts for an install (and the tool install before it).
    pub(crate) fn cache_mounts(&self) -> Vec<Mount> {
        let cache = |target: &str, sharing| Mount::Cache {
            target: target.to_string(),
            id: None,
            sharing,
        };
        match self.tool {
            Tool::Npm => vec![cache(NPM_CACHE, CacheSharing::Shared)],
            Tool::Pnpm => vec![cache(PNPM_STORE, CacheSharing::Shared)],
            // Yarn classic's cache is not safe for two installs at once.
            Tool::YarnClassic => vec![cache(YARN_CLASSIC_CACHE, CacheSharing::Locked)],
            Tool::YarnBerry => vec![cache(YARN_BERRY_GLOBAL, CacheSharing::Shared)],
            Tool::Bun => vec![cache(BUN_CACHE, CacheSharing::Shared)],
        }
    }

    /// The npm cache, for the tool install.
    pub(crate) fn tool_cache(&self) -> Mount {
        Mount::Cache {
            target: NPM_CACHE.to_string(),
            id: None,
            sharing: CacheSharing::Shared,
        }
    }

    /// Environment of the stages that install: Berry's global folder (on the cache mount) and
    /// its linker for Plug'n'Play apps.
    pub(crate) fn env(&self) -> Vec<(String, String)> {
        let mut env = Vec::new();
        if self.tool == Tool::YarnBerry {
            env.push(("YARN_GLOBAL_FOLDER".into(), YARN_BERRY_GLOBAL.into()));
        }
        if self.pnp {
            env.push(("YARN_NODE_LINKER".into(), "node-modules".into()));
        }
        env
    }

    /// Files of the project at `root` an install reads besides the package.json files: the lock
    /// file and the tool's configuration.
    pub(crate) fn install_inputs(
        &self,
        files: &ProjectFiles,
        root: &str,
        manifest: &Manifest,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        out.extend(self.lock.clone());
        let config: &[&str] = match self.tool {
            Tool::Npm => &[".npmrc"],
            Tool::Pnpm => &["pnpm-workspace.yaml", ".npmrc", ".pnpmfile.cjs"],
            Tool::YarnClassic => &[".yarnrc", ".npmrc"],
            Tool::YarnBerry => &[".yarnrc.yml"],
            Tool::Bun => &["bunfig.toml", ".npmrc"],
        };
        for name in config {
            let p = join(root, name);
            if files.is_file(&p) {
                out.push(p);
            }
        }
        if self.tool == Tool::YarnBerry {
            // The checked-in release, plugins and patches: `.yarn/{releases,plugins,patches}`.
            // The walk enters no symlinked folder: `.yarn/releases/x -> /` listed host files.
            for dir in ["releases", "plugins", "patches"] {
                out.extend(files.walk(&join(root, &format!(".yarn/{dir}")), 4));
            }
        }
        if self.tool == Tool::Pnpm {
            for p in &manifest.patches {
                let p = join(root, p.trim_start_matches("./"));
                if files.is_file(&p) {
                    out.push(p);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_and_yaml() {
        assert_eq!(
            split_spec("pnpm@9.12.0+sha512.ab"),
            ("pnpm", Some("9.12.0".into()))
        );
        assert_eq!(split_spec("yarn"), ("yarn", None));
        assert_eq!(
            yaml_value("nodeLinker: node-modules\n", "nodeLinker").as_deref(),
            Some("node-modules")
        );
        assert_eq!(
            yaml_value(
                "yarnPath: \".yarn/releases/yarn-4.5.0.cjs\" # pinned\n",
                "yarnPath"
            )
            .as_deref(),
            Some(".yarn/releases/yarn-4.5.0.cjs")
        );
        assert_eq!(
            yaml_value("  nodeLinker: pnp\n", "nodeLinker"),
            None,
            "top level only"
        );
        assert_eq!(
            berry_metadata_version("# x\n\n__metadata:\n  version: 8\n  cacheKey: 10c0\n"),
            Some(8)
        );
        assert_eq!(berry_metadata_version("a@^1:\n  version \"1.0.0\"\n"), None);
    }

    #[test]
    fn engines_name_a_known_version() {
        let v = |tool, range| engines_spec(tool, range).1;
        assert_eq!(v("pnpm", ">=8"), Some("8.15.9".into()));
        assert_eq!(v("pnpm", "*"), Some("9.15.9".into()), "the newest");
        assert_eq!(v("yarn", "^1.22.0"), Some("1".into()), "classic");
        assert_eq!(v("yarn", ">=4.1"), Some("4.9.4".into()));
        assert_eq!(v("yarn", "*"), None);
    }

    #[test]
    fn commands() {
        let pm = |tool| PackageManager {
            tool,
            install_version: Some("9.15.9".into()),
            lock: Some("the.lock".into()),
            yarn_path: None,
            pnp: false,
            drop_dev: false,
            detected: String::new(),
        };
        assert_eq!(
            pm(Tool::Npm).install(Deps::Production, None, 22),
            "npm ci --omit=dev --no-audit --no-fund"
        );
        assert_eq!(
            pm(Tool::Npm).install(Deps::Production, None, 14),
            "npm ci --production --no-audit --no-fund"
        );
        assert_eq!(
            pm(Tool::Npm).install(Deps::All, Some(("packages/api", "api")), 22),
            "npm ci --workspace=packages/api --no-audit --no-fund"
        );
        assert_eq!(
            pm(Tool::Pnpm).install(Deps::Production, Some(("packages/api", "@x/api")), 22),
            "pnpm install --frozen-lockfile --prod --filter=@x/api..."
        );
        let unlocked = |tool| PackageManager {
            lock: None,
            ..pm(tool)
        };
        assert_eq!(
            unlocked(Tool::Npm).install(Deps::Production, None, 22),
            "npm install --omit=dev --no-audit --no-fund"
        );
        assert_eq!(
            unlocked(Tool::Pnpm).install(Deps::All, None, 22),
            "pnpm install --no-frozen-lockfile"
        );
        assert_eq!(
            unlocked(Tool::YarnClassic).install(Deps::Production, None, 22),
            "yarn install --non-interactive --production"
        );
        assert_eq!(
            unlocked(Tool::YarnBerry).install(Deps::All, None, 22),
            "yarn install --no-immutable"
        );
        assert_eq!(
            pm(Tool::YarnBerry).install(Deps::Production, None, 22),
            "yarn workspaces focus --all --production"
        );
        let no_plugin = PackageManager {
            drop_dev: true,
            ..pm(Tool::YarnBerry)
        };
        let prod = no_plugin.install(Deps::Production, None, 22);
        assert!(
            prod.contains("delete p.devDependencies")
                && prod.ends_with("&& yarn install --no-immutable")
        );
        assert_eq!(
            no_plugin.install(Deps::All, None, 22),
            "yarn install --immutable"
        );
        assert_eq!(
            pm(Tool::Pnpm).tool_install().as_deref(),
            Some("npm install -g pnpm@9.15.9")
        );
        assert_eq!(
            pm(Tool::YarnBerry).tool_install().as_deref(),
            Some("npm install -g --force @yarnpkg/cli-dist@9.15.9")
        );
        assert_eq!(
            pm(Tool::YarnClassic).run_script("build", Some(("w", "@a/w"))),
            "yarn workspace @a/w run build"
        );
    }
}
