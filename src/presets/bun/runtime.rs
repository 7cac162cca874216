//! The final image: `oven/bun` by flavour (`slim`, `distroless`, `alpine`, or any image), what
//! it copies (production `node_modules`, the sources or the build output), and `bun` run as a
//! non-root user, with a health check that bun makes itself for an app that listens.

use crate::ir::{Base, Healthcheck, Stage};
use crate::presets::bun::codes;
use crate::presets::bun::settings::BunSettings;
use crate::presets::bun::{APP_DIR, BUN_IMAGE};
use crate::presets::common::{apt_install, Flavour, NONROOT};
use crate::presets::node::runtime::root_app_files;
use crate::presets::{Context, PresetError};

/// The `bun` user (1000) of the official images: numeric, so no passwd lookup is needed.
const BUN_USER: &str = "1000:1000";

/// The final image and the builder that goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuntimeImage {
    pub flavour: Flavour,
    pub image: String,
    /// `oven/bun:<tag>` (Alpine's for an Alpine runtime: native modules built against musl).
    pub builder: String,
}

impl RuntimeImage {
    /// The images for `[runtime] base` and the Bun tag.
    pub(crate) fn of(base: Option<&str>, tag: &str) -> Result<RuntimeImage, PresetError> {
        let image = |suffix: &str| format!("{BUN_IMAGE}:{tag}{suffix}");
        let flavour = Flavour::of(base, Flavour::Slim);
        let (flavour, runtime) = match flavour {
            Flavour::Slim => (Flavour::Slim, image("-slim")),
            Flavour::Distroless => (Flavour::Distroless, image("-distroless")),
            Flavour::Alpine => (Flavour::Alpine, image("-alpine")),
            Flavour::Scratch => {
                return Err(Flavour::Scratch
                    .unsupported(
                        codes::NO_BUN_ON_SCRATCH,
                        "a Bun app cannot run on `scratch`: it needs the bun runtime",
                    )
                    .help("use `base = \"slim\"` or `base = \"distroless\"` in `[runtime]`"))
            }
            Flavour::Image(i)
                if i.starts_with(&format!("{BUN_IMAGE}:")) && i.contains("distroless") =>
            {
                (Flavour::Distroless, i)
            }
            Flavour::Image(i) => (Flavour::Image(i.clone()), i),
        };
        let builder = match flavour {
            Flavour::Alpine => image("-alpine"),
            _ => image(""),
        };
        Ok(RuntimeImage {
            flavour,
            image: runtime,
            builder,
        })
    }

    /// Whether the final image has apt: Debian slim, or an image of the user's.
    pub(crate) fn has_apt(&self) -> bool {
        matches!(self.flavour, Flavour::Slim | Flavour::Image(_))
    }
}

/// The final image: `runtime-packages`, the app's files, `bun` as a non-root user.
pub(super) fn runtime(s: &BunSettings, cx: &Context<'_>) -> Stage {
    let mut rt = Stage::new(
        "runtime",
        "the final image: production dependencies and the app, run by bun as a non-root user (no Node)",
        Base::Image(s.runtime.image.clone()),
    )
    .workdir(APP_DIR)
    .env("NODE_ENV", "production");
    for (k, v) in &s.start.env {
        rt = rt.env(k, v);
    }
    let packages = &cx.common.runtime_packages;
    if !packages.is_empty() {
        rt = rt.step(apt_install(packages));
        if matches!(s.runtime.flavour, Flavour::Image(_)) {
            rt.build_user = Some("0:0".to_string());
        }
    }
    let built = s.build_script.is_some().then_some(s.out_dir.as_str());
    rt = root_app_files(rt, s.has_prod_deps, s.output_only, built);
    if s.runtime.flavour == Flavour::Distroless {
        // Its entrypoint is bun: reset, so that the command is `CMD ["bun", ...]` on every
        // flavour (bun is on distroless' PATH), and another one is written the same way.
        rt.image.user = Some(NONROOT.to_string());
        rt.image.entrypoint = Some(Vec::new());
    } else {
        rt.image.user = Some(BUN_USER.to_string());
    }
    rt.image.cmd = Some(s.start.words.clone());
    if let Some((port, _)) = s.ports.first() {
        rt.image.healthcheck = Some(healthcheck(*port));
    }
    rt
}

/// bun itself fetches `/` (no curl or shell in every image): healthy on any answer below 500.
fn healthcheck(port: u16) -> Healthcheck {
    Healthcheck {
        cmd: vec![
            "bun".to_string(),
            "-e".to_string(),
            format!(
                "fetch('http://127.0.0.1:' + (process.env.PORT || {port}) + '/').then(r => process.exit(r.status < 500 ? 0 : 1), () => process.exit(1))"
            ),
        ],
        interval: Some("30s".to_string()),
        timeout: Some("3s".to_string()),
        start_period: Some("5s".to_string()),
        retries: Some(3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavours() {
        let of = |base, tag| {
            RuntimeImage::of(base, tag)
                .ok()
                .map(|r| (r.image, r.builder))
        };
        assert_eq!(
            of(None, "1"),
            Some(("oven/bun:1-slim".into(), "oven/bun:1".into()))
        );
        assert_eq!(
            of(Some("distroless"), "1.2.23"),
            Some((
                "oven/bun:1.2.23-distroless".into(),
                "oven/bun:1.2.23".into()
            ))
        );
        assert_eq!(
            of(Some("alpine"), "1"),
            Some(("oven/bun:1-alpine".into(), "oven/bun:1-alpine".into()))
        );
        assert_eq!(
            RuntimeImage::of(Some("oven/bun:1.2-distroless"), "1")
                .map(|r| r.flavour)
                .ok(),
            Some(Flavour::Distroless)
        );
        assert_eq!(
            RuntimeImage::of(Some("scratch"), "1").err().map(|e| e.code),
            Some(codes::NO_BUN_ON_SCRATCH)
        );
    }
}
