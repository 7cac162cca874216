//! What the presets share, written once: the knobs every preset takes ([`TomlCommonOptions`]),
//! the runtime flavour of `[runtime] base` ([`Flavour`]) and the default one ([`BaseChoice`]), the test and dev stages, secret mounts
//! for `[preset] secrets`, the build-only environment of `build-env`, the non-root user, the
//! build stage's platform in a multi-platform build, what the user's `[runtime]` asks of the
//! final image ([`RuntimeNeeds`]), a bounded walk over the app's sources ([`Sources`]), and what apps write for tools other than their language's
//! (`Procfile`, `.tool-versions`, `mise.toml`).

mod apt;
mod default_base;
mod flavour;
mod options;
mod platforms;
mod procfile;
mod runtime_needs;
mod sources;
mod stages;
mod static_site;
mod user;
mod version_files;

pub use apt::{
    add_packages, apt_install, backticked, check_package_knobs, check_packages, is_debian_package,
    no_apt_at_run_time, package_name, with_packages,
};
pub use default_base::{start_needs_shell, BaseChoice};
pub use flavour::Flavour;
pub use options::TomlCommonOptions;
pub use platforms::{on_build_platform, per_target_line, platforms_line};
pub use procfile::{not_started, plain_words, sh_c, Procfile};
pub use runtime_needs::RuntimeNeeds;
pub use sources::Sources;
pub use stages::{dev_stage, test_stage, with_build_env, with_secrets};
pub use static_site::{site_stage, Fallback, Hashed, Site, SITE_IMAGE, SITE_ROOT};
pub use user::NONROOT;
pub use version_files::{tool_version, ToolVersion};
