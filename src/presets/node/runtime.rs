//! The final image: its base by flavour (`slim`, `distroless`, `alpine` or any image), what it
//! copies (production `node_modules`, the build output or the sources, a workspace package and
//! the workspace packages it needs), and how it runs `node` as a non-root user.

use crate::ir::{Base, Copy, Run, Stage};
use crate::presets::common::{apt_install, site_stage, Flavour, Site, NONROOT, SITE_ROOT};
use crate::presets::node::codes;
use crate::presets::node::install::runtime_members;
use crate::presets::node::package_manager::join;
use crate::presets::node::settings::{NodeSettings, Serve};
use crate::presets::node::site::StaticSite;
use crate::presets::node::start::Entry;
use crate::presets::node::workspace::{Member, Workspace};
use crate::presets::node::{start, APP_DIR, DEFAULT_OUTPUT, NODE_IMAGE};
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// Runtime images by flavour: `node:<major>-slim`, `node:<major>-alpine` (builder too, for
/// musl-built native modules), `gcr.io/distroless/nodejs<major>-debian12:nonroot` (built on
/// `node:<major>-bookworm`: see [`RuntimeImage::builder_suffix`]).
const SLIM_SUFFIX: &str = "-slim";
const ALPINE_SUFFIX: &str = "-alpine";
const DISTROLESS_PREFIX: &str = "gcr.io/distroless/nodejs";
const DISTROLESS_SUFFIX: &str = "-debian12:nonroot";
/// Distroless' Debian release in its image names, and the builder tag suffix of that release.
const DEBIAN_RELEASES: &[(&str, &str)] = &[("-debian12", "-bookworm"), ("-debian13", "-trixie")];
/// Node lines with a distroless image.
const DISTROLESS_MAJORS: &[u32] = &[18, 20, 22, 24];
/// `node` in the distroless image (not on its PATH).
pub(crate) const DISTROLESS_NODE: &str = "/nodejs/bin/node";
/// The distroless image's PATH with `/nodejs/bin` first, so that `node` runs by name (a health
/// check, a child process) as it does on the official images.
const DISTROLESS_PATH: &str =
    "/nodejs/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// The `node` user of the official images: numeric, so the image needs no passwd lookup.
const NODE_USER: &str = "1000:1000";
/// The package managers the official images ship besides node; the slim and Alpine runtimes
/// drop them (the app runs with node alone, and each is an attack surface).
const PACKAGE_MANAGERS: &str = "rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-v*";

/// The final image and what kind of image it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuntimeImage {
    /// As `[runtime] base` says it (default `slim`); a distroless Node image given by reference
    /// counts as `distroless`.
    pub flavour: Flavour,
    pub image: String,
}

impl RuntimeImage {
    /// The final image for `[runtime] base` and the Node line.
    pub(crate) fn of(base: Option<&str>, major: u32) -> Result<RuntimeImage, PresetError> {
        let flavour = match Flavour::of(base, Flavour::Slim) {
            Flavour::Image(image) if image.starts_with(DISTROLESS_PREFIX) => {
                return Ok(RuntimeImage {
                    flavour: Flavour::Distroless,
                    image,
                })
            }
            flavour => flavour,
        };
        let image = match &flavour {
            Flavour::Slim => format!("{NODE_IMAGE}:{major}{SLIM_SUFFIX}"),
            Flavour::Alpine => format!("{NODE_IMAGE}:{major}{ALPINE_SUFFIX}"),
            Flavour::Distroless if DISTROLESS_MAJORS.contains(&major) => {
                format!("{DISTROLESS_PREFIX}{major}{DISTROLESS_SUFFIX}")
            }
            Flavour::Distroless => return Err(no_distroless(major)),
            Flavour::Scratch => return Err(no_node_on_scratch(&flavour)),
            Flavour::Image(image) => image.clone(),
        };
        Ok(RuntimeImage { flavour, image })
    }

    /// Whether distroless has an image for the Node line.
    pub(crate) fn has_distroless(major: u32) -> bool {
        DISTROLESS_MAJORS.contains(&major)
    }

    /// The builder's tag suffix: Alpine's builder for an Alpine runtime (native modules built
    /// against musl); for distroless the full image of distroless' own Debian release
    /// (`-bookworm` for `-debian12`), so that native modules link against the glibc the final
    /// image has whichever release `node:<major>` points at; else the full image, of the
    /// release `node:<major>-slim` shares.
    pub(crate) fn builder_suffix(&self) -> &'static str {
        match self.flavour {
            Flavour::Alpine => ALPINE_SUFFIX,
            Flavour::Distroless => DEBIAN_RELEASES
                .iter()
                .find(|(distroless, _)| self.image.contains(distroless))
                .map_or("", |(_, builder)| builder),
            _ => "",
        }
    }

    /// Whether the builder has apt (every builder but Alpine's).
    pub(crate) fn builder_has_apt(&self) -> bool {
        self.flavour != Flavour::Alpine
    }

    /// Whether the final image has apt: Debian slim, or an image of the user's (whose author
    /// is taken at their word).
    pub(crate) fn has_apt(&self) -> bool {
        matches!(self.flavour, Flavour::Slim | Flavour::Image(_))
    }

    /// An official `node` image, whose package managers the final image drops.
    fn official(&self) -> bool {
        match &self.flavour {
            Flavour::Slim | Flavour::Alpine => true,
            Flavour::Image(image) => image.starts_with(&format!("{NODE_IMAGE}:")),
            Flavour::Distroless | Flavour::Scratch => false,
        }
    }
}

fn no_distroless(major: u32) -> PresetError {
    let majors: Vec<String> = DISTROLESS_MAJORS.iter().map(u32::to_string).collect();
    PresetError::new(
        codes::NO_DISTROLESS_IMAGE,
        Blame::RuntimeBase,
        format!("there is no distroless image for Node {major}"),
    )
    .help(format!(
        "distroless has Node {}; choose one of them, or `base = \"slim\"` in `[runtime]`",
        majors.join(", ")
    ))
}

fn no_node_on_scratch(flavour: &Flavour) -> PresetError {
    flavour
        .unsupported(
            codes::NO_NODE_ON_SCRATCH,
            "a Node app cannot run on `scratch`: it needs the Node runtime",
        )
        .help("use `base = \"slim\"` or `base = \"distroless\"` in `[runtime]`")
}

/// The final image: `runtime-packages`, no package managers, the app's files, and `node` as
/// a non-root user.
pub(super) fn runtime(s: &NodeSettings) -> Stage {
    let entry = match &s.serve {
        Serve::Node(entry) => entry,
        Serve::Static(image, site) => return static_site(s, image, site),
    };
    let workdir = if s.app_dir.is_empty() {
        APP_DIR.to_string()
    } else {
        format!("{APP_DIR}/{}", s.app_dir)
    };
    let mut rt = Stage::new(
        "runtime",
        "the final image: production dependencies and the app, run by node as a non-root user",
        Base::Image(s.runtime.image.clone()),
    )
    .workdir(workdir)
    .env("NODE_ENV", "production");
    for (k, v) in &entry.env {
        rt = rt.env(k, v);
    }
    let packages = &s.native.run;
    if !packages.is_empty() {
        rt = rt.step(apt_install(packages));
        if matches!(s.runtime.flavour, Flavour::Image(_)) {
            // An image of the user's may not run as root by default; apt needs root.
            rt.build_user = Some("0:0".to_string());
        }
    }
    if s.runtime.official() {
        rt = rt.step(Run::shell(PACKAGE_MANAGERS));
    }
    rt = match &s.workspace {
        _ if s.standalone => standalone_files(rt, s),
        None => app_files(rt, s),
        Some(w) => workspace_files(rt, s, w),
    };
    run_as(rt, s, entry)
}

/// A static site: only the build output, served by nginx; no Node, no `node_modules`.
fn static_site(s: &NodeSettings, image: &str, site: &StaticSite) -> Stage {
    let out = format!("{}/", abs(&join(&s.app_dir, &s.out_dir)));
    site_stage(
        "runtime",
        "the final image: the static site the build wrote, served by nginx as a non-root user (no Node)",
        &Site {
            image: image.to_string(),
            files: Copy::from_stage("build", &[&out], format!("{SITE_ROOT}/")),
            fallback: site.fallback,
            hashed: site.hashed.clone(),
        },
    )
}

/// `rel` inside the app's folder of the build stages.
fn abs(rel: &str) -> String {
    if rel.is_empty() {
        format!("{APP_DIR}/")
    } else {
        format!("{APP_DIR}/{rel}")
    }
}

/// An app at the root: production dependencies, the sources (or package.json alone when only
/// the build output runs), the build output.
fn app_files(rt: Stage, s: &NodeSettings) -> Stage {
    let built = s.build_script.is_some().then_some(s.out_dir.as_str());
    root_app_files(rt, s.has_prod_deps, s.output_only, built)
}

/// The files of a JavaScript app at the root of `/app` (Node's and Bun's): the `prod-deps`
/// stage's node_modules when there is one, the sources (or package.json alone when
/// `output_only`), and the `build` stage's output folder `built`.
pub(crate) fn root_app_files(
    mut rt: Stage,
    has_prod_deps: bool,
    output_only: bool,
    built: Option<&str>,
) -> Stage {
    if has_prod_deps {
        rt = rt.step(Copy::from_stage(
            "prod-deps",
            &[&abs("node_modules")],
            "./node_modules",
        ));
    }
    if output_only {
        rt = rt.step(Copy::context(["package.json"], "./"));
    } else {
        rt = rt.step(Copy::context(["."], "./"));
    }
    if let Some(out_dir) = built {
        rt = rt.step(Copy::from_stage(
            "build",
            &[&abs(out_dir)],
            format!("./{out_dir}"),
        ));
    }
    rt
}

/// Next.js's standalone output: `.next/standalone/` at the top (in a workspace it holds the
/// package's folder, as the workspace lays it out), then `.next/static/` and `public/` beside its
/// `server.js`, which Next leaves to the deployment to copy.
fn standalone_files(mut rt: Stage, s: &NodeSettings) -> Stage {
    let out = join(&s.app_dir, &s.out_dir);
    rt = rt.step(Copy::from_stage(
        "build",
        &[&format!("{}/standalone/", abs(&out))],
        format!("{APP_DIR}/"),
    ));
    rt = rt.step(Copy::from_stage(
        "build",
        &[&format!("{}/static/", abs(&out))],
        format!("./{}/static/", s.out_dir),
    ));
    if s.has_public {
        rt = rt.step(Copy::context([join(&s.app_dir, "public/")], "./public/"));
    }
    rt
}

/// A workspace package: the production dependencies of the root and of each package it needs,
/// then each package's files.
fn workspace_files(mut rt: Stage, s: &NodeSettings, w: &Workspace) -> Stage {
    if s.has_prod_deps {
        rt = rt.step(Copy::from_stage(
            "prod-deps",
            &[&abs("node_modules")],
            abs("node_modules"),
        ));
        for m in runtime_members(w) {
            let nm = format!("{}/node_modules", m.dir);
            rt = rt.step(Copy::from_stage("prod-deps", &[&abs(&nm)], abs(&nm)));
        }
    }
    for m in runtime_members(w) {
        rt = member_files(rt, s, m, m.name == w.target.name);
    }
    rt
}

/// One workspace package's files: its build output (and package.json) when it is built, else
/// its folder.
fn member_files(mut rt: Stage, s: &NodeSettings, m: &Member, is_target: bool) -> Stage {
    let (built, only_out, out) = if is_target {
        (
            s.build_script.is_some() || s.nx.is_some(),
            s.output_only,
            s.out_dir.clone(),
        )
    } else {
        let out = s
            .member_outputs
            .iter()
            .find(|(dir, _)| *dir == m.dir)
            .map(|(_, out)| out.clone())
            .unwrap_or_else(|| DEFAULT_OUTPUT.to_string());
        // Nx builds the libraries the app depends on from targets its plugins infer: one whose
        // `main` lies in its output is built.
        let nx_built = s.nx.is_some()
            && m.manifest
                .main
                .as_deref()
                .map(start::clean)
                .is_some_and(|main| main.starts_with(&format!("{out}/")));
        let built = m.manifest.script("build").is_some() || nx_built;
        (built, built, out)
    };
    let dir = format!("{}/", m.dir);
    if only_out {
        rt = rt.step(Copy::context(
            [format!("{}/package.json", m.dir)],
            abs(&dir),
        ));
    } else {
        rt = rt.step(Copy::context([dir.clone()], abs(&dir)));
    }
    if built {
        let o = format!("{}/{out}", m.dir);
        rt = rt.step(Copy::from_stage("build", &[&abs(&o)], abs(&o)));
    }
    rt
}

/// The user and the command, `CMD ["node", ...]` on every flavour, so that another command
/// (`docker run <image> node worker.js`, a Procfile's other process) is written the same way
/// on each: distroless has `node` off PATH (put on it here) and `/nodejs/bin/node` as its
/// ENTRYPOINT (reset here), and runs as `nonroot`.
fn run_as(mut rt: Stage, s: &NodeSettings, entry: &Entry) -> Stage {
    if s.runtime.flavour == Flavour::Distroless {
        rt = rt.env("PATH", DISTROLESS_PATH);
        rt.image.user = Some(NONROOT.to_string());
        rt.image.entrypoint = Some(Vec::new());
    } else {
        rt.image.user = Some(NODE_USER.to_string());
    }
    rt.image.cmd = Some(entry.words.to_vec());
    rt
}

/// Where a workspace dependency's build writes: its tsconfig `outDir`, else the folder of its
/// `main`, else `dist`.
pub(super) fn member_output(files: &ProjectFiles, m: &Member) -> String {
    if let Some(t) = files.read(&format!("{}/tsconfig.json", m.dir)) {
        if let (Some(out), _) = start::tsconfig_dirs(&t) {
            return out;
        }
    }
    m.manifest
        .main
        .as_deref()
        .map(start::clean)
        .and_then(|main| main.split_once('/').map(|(d, _)| d.to_string()))
        .unwrap_or_else(|| DEFAULT_OUTPUT.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavours() {
        let of = |base, major| RuntimeImage::of(base, major);
        assert_eq!(
            of(None, 22).map(|r| r.image).ok().as_deref(),
            Some("node:22-slim")
        );
        assert_eq!(
            of(Some("distroless"), 20).map(|r| r.image).ok().as_deref(),
            Some("gcr.io/distroless/nodejs20-debian12:nonroot")
        );
        assert!(of(Some("distroless"), 16).is_err());
        assert_eq!(
            of(Some("distroless"), 22).map(|r| r.builder_suffix()).ok(),
            Some("-bookworm")
        );
        assert!(RuntimeImage::has_distroless(24) && !RuntimeImage::has_distroless(23));
        assert_eq!(
            of(Some("scratch"), 22).err().map(|e| e.code),
            Some(codes::NO_NODE_ON_SCRATCH)
        );
        let by_reference = of(Some("gcr.io/distroless/nodejs22-debian12"), 22);
        assert_eq!(
            by_reference.map(|r| r.flavour).ok(),
            Some(Flavour::Distroless)
        );
        let alpine = of(Some("alpine"), 22).ok();
        assert_eq!(alpine.as_ref().map(|r| r.builder_suffix()), Some("-alpine"));
        assert_eq!(
            alpine.map(|r| (r.has_apt(), r.builder_has_apt())),
            Some((false, false))
        );
        let image = of(Some("debian:12"), 22).ok();
        assert_eq!(
            image.map(|r| (r.has_apt(), r.official())),
            Some((true, false))
        );
    }
}
