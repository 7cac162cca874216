//! The Go preset's checks of its knobs' values alone, run while `build.toml` is validated:
//! `ldflags` and `main` are written into a Dockerfile line, so they may hold no control
//! character, and `main` is a path, which the engine would expand `$` in.

use crate::diagnostics::{codes, describe_char};
use crate::presets::go::options::TomlGoOptions;
use crate::presets::{Blame, PresetError};

pub(super) fn check(o: &TomlGoOptions) -> Vec<PresetError> {
    let mut out = Vec::new();
    for (knob, value) in [("ldflags", &o.ldflags), ("main", &o.main)] {
        let Some(value) = value else { continue };
        if let Some(c) = value.chars().find(|c| c.is_control()) {
            out.push(
                PresetError::new(
                    codes::UNSAFE_VALUE,
                    Blame::KnobValue(knob),
                    format!(
                        "this value holds a control character ({})",
                        describe_char(c)
                    ),
                )
                .label("cannot be written on one Dockerfile line")
                .help("remove it; only `run` and `description` may span several lines"),
            );
        }
    }
    if let Some(main) = o.main.as_deref().filter(|m| m.contains('$')) {
        out.push(
            PresetError::new(
                codes::UNSAFE_VALUE,
                Blame::KnobValue("main"),
                format!("`{main}` holds `$`, which the engine would expand in a path"),
            )
            .label("variables are not expanded here")
            .help("paths are literal: write the path itself"),
        );
    }
    out
}
