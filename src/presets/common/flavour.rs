//! `[runtime] base`: a flavour of the final image that each preset maps to its own image
//! (`distroless` is `gcr.io/distroless/static-debian12` for Go and a Node image for Node), or an
//! image reference used as it is.

use crate::diagnostics::Code;
use crate::presets::{Blame, PresetError};

/// The final image's flavour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flavour {
    /// A distroless image: no shell, no package manager.
    Distroless,
    /// A Debian slim image.
    Slim,
    /// The empty image.
    Scratch,
    /// An Alpine (musl) image.
    Alpine,
    /// Any other image, by reference.
    Image(String),
}

impl Flavour {
    /// The flavour names `[runtime] base` takes besides image references.
    pub const NAMES: &'static [&'static str] = &["distroless", "slim", "scratch", "alpine"];

    /// The flavour `base` names, or `default` when `base` is not set.
    pub fn of(base: Option<&str>, default: Flavour) -> Flavour {
        base.map_or(default, Flavour::named)
    }

    /// The flavour a `[runtime] base` value names: one of [`Flavour::NAMES`], else an image.
    /// For presets whose default final image is none of the flavours (Java's JRE image).
    pub fn named(base: &str) -> Flavour {
        match base {
            "distroless" => Flavour::Distroless,
            "slim" => Flavour::Slim,
            "scratch" => Flavour::Scratch,
            "alpine" => Flavour::Alpine,
            image => Flavour::Image(image.to_string()),
        }
    }

    /// The name as written in `[runtime] base`.
    pub fn name(&self) -> &str {
        match self {
            Flavour::Distroless => "distroless",
            Flavour::Slim => "slim",
            Flavour::Scratch => "scratch",
            Flavour::Alpine => "alpine",
            Flavour::Image(image) => image,
        }
    }

    /// The error for a flavour a preset cannot run on, pointing at `[runtime] base`.
    pub fn unsupported(&self, code: Code, why: impl Into<String>) -> PresetError {
        PresetError::new(code, Blame::RuntimeBase, why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in Flavour::NAMES {
            assert_eq!(Flavour::of(Some(name), Flavour::Slim).name(), *name);
        }
        assert_eq!(
            Flavour::of(Some("debian:12"), Flavour::Slim),
            Flavour::Image("debian:12".into())
        );
        assert_eq!(Flavour::of(None, Flavour::Distroless), Flavour::Distroless);
    }
}
