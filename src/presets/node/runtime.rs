//! The final image: its base by flavour (`slim`, `distroless`, `alpine` or any image), what it
//! copies (production `node_modules`, the build output or the sources, a workspace package and
//! the workspace packages it needs), and how it runs `node` as a non-root user.

use crate::ir::{Base, Copy, Run, Stage};
use crate::presets::node::install::{runtime_members, Ctx};
use crate::presets::node::workspace::{Member, Workspace};
use crate::presets::node::{start, APP_DIR, DEFAULT_OUTPUT, NODE_IMAGE};
use crate::presets::PresetError;
use crate::project::ProjectFiles;

/// Runtime images by flavour: `node:<major>-slim`, `node:<major>-alpine` (builder too, for
/// musl-built native modules), `gcr.io/distroless/nodejs<major>-debian12:nonroot`.
const SLIM_SUFFIX: &str = "-slim";
const ALPINE_SUFFIX: &str = "-alpine";
const DISTROLESS_PREFIX: &str = "gcr.io/distroless/nodejs";
const DISTROLESS_SUFFIX: &str = "-debian12:nonroot";
/// Node lines with a distroless image.
const DISTROLESS_MAJORS: &[u32] = &[18, 20, 22, 24];
/// `node` in the distroless image (not on PATH).
const DISTROLESS_NODE: &str = "/nodejs/bin/node";
/// The `node` user of the official images, and distroless's `nonroot`: numeric, so the image
/// needs no passwd lookup.
const NODE_USER: &str = "1000:1000";
const NONROOT_USER: &str = "65532:65532";
/// The package managers the official images ship besides node; the slim and Alpine runtimes
/// drop them (the app runs with node alone, and each is an attack surface).
const PACKAGE_MANAGERS: &str = "rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-v*";
/// Where the app lives in every stage.
/// The final image's base and how it runs `node`.
pub enum Flavour {
    Slim,
    Alpine,
    Distroless(String),
    Image(String),
}

impl Flavour {
    pub fn of(base: Option<&str>, major: u32) -> Result<Flavour, Vec<PresetError>> {
        Ok(match base.unwrap_or("slim") {
            "slim" => Flavour::Slim,
            "alpine" => Flavour::Alpine,
            "distroless" => {
                if !DISTROLESS_MAJORS.contains(&major) {
                    return Err(vec![crate::presets::legacy(
                        Some("version"),
                        format!("there is no distroless image for Node {major}"),
                    )
                    .help(format!(
                        "distroless has Node {}; choose one of them, or `base = \"slim\"` in `[runtime]`",
                        DISTROLESS_MAJORS.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                    ))]);
                }
                Flavour::Distroless(format!("{DISTROLESS_PREFIX}{major}{DISTROLESS_SUFFIX}"))
            }
            "scratch" => {
                return Err(vec![crate::presets::legacy(
                    None,
                    "a Node app cannot run on `scratch`: it needs the Node runtime",
                )
                .help(
                    "use `base = \"slim\"` or `base = \"distroless\"` in `[runtime]`",
                )])
            }
            image if image.starts_with(DISTROLESS_PREFIX) => Flavour::Distroless(image.to_string()),
            image => Flavour::Image(image.to_string()),
        })
    }

    pub fn builder_suffix(&self) -> &'static str {
        match self {
            Flavour::Alpine => ALPINE_SUFFIX,
            _ => "",
        }
    }
}

/// What the runtime stage copies.
pub struct RuntimeLayout<'a> {
    pub app_dir: &'a str,
    pub out_dir: &'a str,
    pub has_build: bool,
    pub output_only: bool,
    pub has_prod_deps: bool,
    pub workspace: Option<&'a Workspace>,
}

pub fn runtime_stage(
    ctx: &Ctx<'_>,
    flavour: &Flavour,
    start: &[String],
    l: RuntimeLayout<'_>,
) -> Stage {
    let (image, user) = match flavour {
        Flavour::Slim => (
            format!("{NODE_IMAGE}:{}{SLIM_SUFFIX}", ctx.major),
            NODE_USER,
        ),
        Flavour::Alpine => (
            format!("{NODE_IMAGE}:{}{ALPINE_SUFFIX}", ctx.major),
            NODE_USER,
        ),
        Flavour::Distroless(image) => (image.clone(), NONROOT_USER),
        Flavour::Image(image) => (image.clone(), NODE_USER),
    };
    let workdir = if l.app_dir.is_empty() {
        APP_DIR.to_string()
    } else {
        format!("{APP_DIR}/{}", l.app_dir)
    };
    let mut rt = Stage::new(
        "runtime",
        "the final image: production dependencies and the app, run by node as a non-root user",
        Base::Image(image),
    )
    .workdir(workdir)
    .env("NODE_ENV", "production");
    let official = match flavour {
        Flavour::Slim | Flavour::Alpine => true,
        Flavour::Image(image) => image.starts_with(&format!("{NODE_IMAGE}:")),
        Flavour::Distroless(_) => false,
    };
    if official {
        rt = rt.step(Run::shell(PACKAGE_MANAGERS));
    }
    let abs = |rel: &str| {
        if rel.is_empty() {
            format!("{APP_DIR}/")
        } else {
            format!("{APP_DIR}/{rel}")
        }
    };
    match l.workspace {
        None => {
            if l.has_prod_deps {
                rt = rt.step(Copy::from_stage(
                    "prod-deps",
                    &[&abs("node_modules")],
                    "./node_modules",
                ));
            }
            if l.output_only {
                rt = rt.step(Copy::context(["package.json"], "./"));
            } else {
                rt = rt.step(Copy::context(["."], "./"));
            }
            if l.has_build {
                rt = rt.step(Copy::from_stage(
                    "build",
                    &[&abs(l.out_dir)],
                    format!("./{}", l.out_dir),
                ));
            }
        }
        Some(w) => {
            if l.has_prod_deps {
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
                let is_target = m.name == w.target.name;
                let (built, only_out, out) = if is_target {
                    (l.has_build, l.output_only, l.out_dir.to_string())
                } else {
                    let out = member_output(ctx.files, m);
                    (
                        m.manifest.script("build").is_some(),
                        m.manifest.script("build").is_some(),
                        out,
                    )
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
            }
        }
    }
    match flavour {
        Flavour::Distroless(_) => {
            rt.image.user = Some(NONROOT_USER.to_string());
            if start.first().map(String::as_str) == Some("node") {
                rt.image.entrypoint = Some(vec![DISTROLESS_NODE.to_string()]);
                rt.image.cmd = Some(start[1..].to_vec());
            } else {
                rt.image.entrypoint = Some(start.to_vec());
            }
        }
        _ => {
            rt.image.user = Some(user.to_string());
            rt.image.cmd = Some(start.to_vec());
        }
    }
    rt
}

/// Where a workspace dependency's build writes: its tsconfig `outDir`, else the folder of its
/// `main`, else `dist`.
fn member_output(files: &ProjectFiles, m: &Member) -> String {
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
        assert!(matches!(Flavour::of(None, 22), Ok(Flavour::Slim)));
        assert!(
            matches!(Flavour::of(Some("distroless"), 20), Ok(Flavour::Distroless(i)) if i == "gcr.io/distroless/nodejs20-debian12:nonroot")
        );
        assert!(Flavour::of(Some("distroless"), 16).is_err());
        assert!(Flavour::of(Some("scratch"), 22).is_err());
        assert!(matches!(
            Flavour::of(Some("gcr.io/distroless/nodejs22-debian12"), 22),
            Ok(Flavour::Distroless(_))
        ));
        assert_eq!(Flavour::Alpine.builder_suffix(), "-alpine");
    }
}
