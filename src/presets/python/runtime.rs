//! The Python preset's final image: the common [`Flavour`] of `[runtime] base`, plus what Python
//! adds to it, which interpreter the image has. The venv's `bin/python` links to the builder's
//! interpreter, so the builder follows from it: `python:<v>` for the python images and any image
//! of the user's, `debian:12-slim` with Debian's Python for distroless python3 (Debian 12's 3.11
//! in `/usr/bin`).

use crate::presets::common::Flavour;
use crate::presets::python::{codes, BUILDER_IMAGE, DISTROLESS, DISTROLESS_BUILDER};
use crate::presets::PresetError;

/// The final image and the interpreter it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Runtime {
    /// `slim` (the default), `distroless`, or an image of the user's.
    pub flavour: Flavour,
    /// Debian's Python rather than the python image's: distroless python3 (by name, or an image
    /// reference of it such as its `:debug` tag).
    pub debian_python: bool,
}

impl Runtime {
    /// The default: `python:<v>-slim`.
    pub(crate) fn slim() -> Runtime {
        Runtime {
            flavour: Flavour::Slim,
            debian_python: false,
        }
    }

    /// The runtime `base` names; scratch and alpine cannot run the app.
    pub(crate) fn of(base: Option<&str>) -> Result<Runtime, PresetError> {
        let flavour = Flavour::of(base, Flavour::Slim);
        let debian_python = match &flavour {
            Flavour::Slim => return Ok(Runtime::slim()),
            Flavour::Distroless => true,
            Flavour::Image(image) => image.contains("distroless/python3"),
            Flavour::Scratch => return Err(unsupported(&flavour, "a Python app cannot run on `scratch`: it has no interpreter")),
            Flavour::Alpine => return Err(unsupported(&flavour, "the python preset does not build for `alpine`: wheels built for glibc do not run on musl")),
        };
        Ok(Runtime {
            flavour,
            debian_python,
        })
    }

    /// The final image, for Python `minor`.
    pub(crate) fn image(&self, minor: &str) -> String {
        match &self.flavour {
            Flavour::Distroless => DISTROLESS.to_string(),
            Flavour::Image(image) => image.clone(),
            _ => format!("{BUILDER_IMAGE}:{minor}-slim"),
        }
    }

    /// The image the venv is built in, and the build stage's description.
    pub(crate) fn builder(&self, minor: &str) -> (String, &'static str) {
        if self.debian_python {
            (
                DISTROLESS_BUILDER.to_string(),
                "Debian's Python (the distroless interpreter), compilers and headers: the venv is built here",
            )
        } else {
            (
                format!("{BUILDER_IMAGE}:{minor}"),
                "the full Python image, with compilers and headers: the venv is built here",
            )
        }
    }

    /// An image of the user's that is not distroless python3: it must have the interpreter
    /// where the builder has it.
    pub(crate) fn custom_image(&self) -> Option<&str> {
        match &self.flavour {
            Flavour::Image(image) if !self.debian_python => Some(image),
            _ => None,
        }
    }

    /// Whether the image has apt (for `runtime-packages`).
    pub(crate) fn has_apt(&self) -> bool {
        !self.debian_python
    }

    /// Whether the image's default user may not be root (distroless `:nonroot`, any image of the
    /// user's): the steps that compile or install in it then run as root.
    pub(crate) fn user_may_not_be_root(&self) -> bool {
        !matches!(self.flavour, Flavour::Slim)
    }
}

fn unsupported(flavour: &Flavour, why: &str) -> PresetError {
    flavour
        .unsupported(codes::UNSUPPORTED_BASE, why)
        .help("use `base = \"slim\"` (the default) or `base = \"distroless\"` in `[runtime]`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavours() {
        let slim = Runtime::of(None).expect("slim");
        assert_eq!(slim.flavour, Flavour::Slim);
        assert_eq!(slim.image("3.12"), "python:3.12-slim");
        assert!(Runtime::of(Some("distroless")).is_ok_and(|r| r.debian_python));
        assert!(
            Runtime::of(Some("gcr.io/distroless/python3-debian12:debug"))
                .is_ok_and(|r| r.debian_python && r.custom_image().is_none())
        );
        for bad in ["scratch", "alpine"] {
            let e = Runtime::of(Some(bad)).expect_err(bad);
            assert_eq!(e.code, codes::UNSUPPORTED_BASE);
            assert_eq!(e.blame, crate::presets::Blame::RuntimeBase);
        }
        let custom = Runtime::of(Some("registry.example.com/python:3.12-slim")).expect("image");
        assert_eq!(
            custom.custom_image(),
            Some("registry.example.com/python:3.12-slim")
        );
        assert!(custom.user_may_not_be_root() && custom.has_apt());
    }
}
