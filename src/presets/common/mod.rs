//! What the presets share, written once: the knobs every preset takes ([`TomlCommonOptions`]),
//! the runtime flavour of `[runtime] base` ([`Flavour`]), the test and dev stages, secret mounts
//! for `[preset] secrets`, the build-only environment of `build-env`, and the non-root user.

mod flavour;
mod options;
mod stages;
mod user;

pub use flavour::Flavour;
pub use options::TomlCommonOptions;
pub use stages::{dev_stage, test_stage, with_build_env, with_secrets};
pub use user::NONROOT;
