//! The Python preset's final image: the common [`Flavour`] of `[runtime] base`, plus what Python
//! adds to it, which interpreter the image has. The venv's `bin/python` links to the builder's
//! interpreter, so the builder follows from it: `python:<v>` for the python images and any image
//! of the user's; for distroless python3 (Debian's Python in `/usr/bin`), the python image of
//! the same Debian release (`python:3.13-trixie`), whose venv the final image links to its own
//! interpreter.

use crate::presets::common::Flavour;
use crate::presets::python::{codes, Distroless, BUILDER_IMAGE, COPIED, DISTROLESS};
use crate::presets::PresetError;

/// The interpreter the final image runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Interpreter {
    /// The python image's own, in `/usr/local/bin`: `python:<v>-slim`, or an image of the
    /// user's built from it.
    Image,
    /// Debian's Python in `/usr/bin`: distroless python3 (by name, or an image reference of it
    /// such as its `:debug` tag).
    Debian,
    /// The python image's interpreter, copied onto distroless cc ([`interpreter`]): the
    /// default for a Python that no distroless python3 image has, or that distroless no
    /// longer updates.
    ///
    /// [`interpreter`]: crate::presets::python::interpreter
    Copied,
}

/// The final image and the interpreter it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Runtime {
    /// `slim` (the default), `distroless`, or an image of the user's.
    pub flavour: Flavour,
    pub interpreter: Interpreter,
}

impl Runtime {
    /// The default: `python:<v>-slim`.
    pub(crate) fn slim() -> Runtime {
        Runtime {
            flavour: Flavour::Slim,
            interpreter: Interpreter::Image,
        }
    }

    /// The runtime `base` names; scratch and alpine cannot run the app.
    pub(crate) fn of(base: Option<&str>) -> Result<Runtime, PresetError> {
        let flavour = Flavour::of(base, Flavour::Slim);
        let interpreter = match &flavour {
            Flavour::Slim => return Ok(Runtime::slim()),
            Flavour::Distroless => Interpreter::Debian,
            Flavour::Image(image) if image.contains("distroless/python3") => Interpreter::Debian,
            Flavour::Image(_) => Interpreter::Image,
            Flavour::Scratch => return Err(unsupported(&flavour, "a Python app cannot run on `scratch`: it has no interpreter")),
            Flavour::Alpine => return Err(unsupported(&flavour, "the python preset does not build for `alpine`: wheels built for glibc do not run on musl")),
        };
        Ok(Runtime {
            flavour,
            interpreter,
        })
    }

    /// The default's distroless flavour.
    pub(crate) fn distroless() -> Runtime {
        Runtime {
            flavour: Flavour::Distroless,
            interpreter: Interpreter::Debian,
        }
    }

    /// The default's distroless flavour for a Python distroless python3 does not have: the
    /// python image's interpreter on distroless cc.
    pub(crate) fn copied() -> Runtime {
        Runtime {
            flavour: Flavour::Distroless,
            interpreter: Interpreter::Copied,
        }
    }

    /// Debian's Python rather than the python image's (distroless python3).
    pub(crate) fn debian_python(&self) -> bool {
        self.interpreter == Interpreter::Debian
    }

    /// The python image's interpreter copied onto distroless cc.
    pub(crate) fn is_copied(&self) -> bool {
        self.interpreter == Interpreter::Copied
    }

    /// Whether the final image has no shell (distroless, either way).
    pub(crate) fn no_shell(&self) -> bool {
        self.interpreter != Interpreter::Image
    }

    /// The distroless python3 images this runtime may be: all of them for `distroless`, the
    /// one an image reference names (`gcr.io/distroless/python3-debian13:debug`; the name
    /// without a release, `gcr.io/distroless/python3`, was Debian 12's).
    pub(crate) fn distroless_images(&self) -> Vec<Distroless> {
        match &self.flavour {
            Flavour::Distroless => DISTROLESS.to_vec(),
            Flavour::Image(image) if self.debian_python() => {
                let named = DISTROLESS.iter().find(|d| image.starts_with(d.image));
                let unnamed = DISTROLESS.iter().find(|d| d.debian == "bookworm");
                named.or(unnamed).copied().into_iter().collect()
            }
            _ => Vec::new(),
        }
    }

    /// The distroless python3 image with Python `minor`.
    fn distroless_for(&self, minor: &str) -> Option<Distroless> {
        self.distroless_images()
            .into_iter()
            .find(|d| d.minor == minor)
    }

    /// The final image, for Python `minor`.
    pub(crate) fn image(&self, minor: &str) -> String {
        if self.is_copied() {
            return format!("{}:nonroot", COPIED.image);
        }
        match &self.flavour {
            Flavour::Distroless => {
                self.distroless_for(minor)
                    .map_or_else(|| DISTROLESS[0].image.to_string(), |d| d.image.to_string())
                    + ":nonroot"
            }
            Flavour::Image(image) => image.clone(),
            _ => format!("{BUILDER_IMAGE}:{minor}-slim"),
        }
    }

    /// The image the venv is built in, and the build stage's description.
    pub(crate) fn builder(&self, minor: &str) -> (String, &'static str) {
        if self.is_copied() {
            return (
                format!("{BUILDER_IMAGE}:{minor}-{}", COPIED.debian),
                "the full Python image of distroless cc's Debian release, with compilers and headers: the venv is built here",
            );
        }
        if let Some(d) = self.distroless_for(minor) {
            (
                format!("{BUILDER_IMAGE}:{minor}-{}", d.debian),
                "the full Python image of the distroless image's Debian release, with compilers and headers: the venv is built here",
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
            Flavour::Image(image) if !self.debian_python() => Some(image),
            _ => None,
        }
    }

    /// Whether the image has apt (for `runtime-packages`).
    pub(crate) fn has_apt(&self) -> bool {
        !self.no_shell()
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
        let distroless = Runtime::of(Some("distroless")).expect("distroless");
        assert!(distroless.debian_python());
        assert_eq!(
            distroless.image("3.13"),
            "gcr.io/distroless/python3-debian13:nonroot"
        );
        assert_eq!(
            distroless.image("3.11"),
            "gcr.io/distroless/python3-debian12:nonroot"
        );
        assert_eq!(distroless.builder("3.13").0, "python:3.13-trixie");
        assert_eq!(distroless.builder("3.11").0, "python:3.11-bookworm");
        let debug = Runtime::of(Some("gcr.io/distroless/python3-debian13:debug")).expect("debug");
        let minors: Vec<&str> = debug.distroless_images().iter().map(|d| d.minor).collect();
        assert_eq!(minors, ["3.13"]);
        let old = Runtime::of(Some("gcr.io/distroless/python3:latest")).expect("old");
        let minors: Vec<&str> = old.distroless_images().iter().map(|d| d.minor).collect();
        assert_eq!(minors, ["3.11"]);
        assert!(
            Runtime::of(Some("gcr.io/distroless/python3-debian12:debug"))
                .is_ok_and(|r| r.debian_python() && r.custom_image().is_none())
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
        let copied = Runtime::copied();
        assert_eq!(
            copied.image("3.12"),
            "gcr.io/distroless/cc-debian13:nonroot"
        );
        assert_eq!(copied.builder("3.12").0, "python:3.12-trixie");
        assert!(copied.no_shell() && !copied.has_apt() && copied.user_may_not_be_root());
    }
}
