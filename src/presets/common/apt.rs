//! Debian packages of `[preset] system-packages` (the build stage) and `runtime-packages` (the
//! final image): their names checked, and installed in one step that leaves no apt lists behind.

use crate::diagnostics::codes;
use crate::ir::{Command, Run, Stage};
use crate::presets::{Blame, PresetError};
use crate::shell::shell_quote;

/// `libpq-dev`, `libpq-dev=15.*`: a Debian package, optionally pinned.
pub fn is_debian_package(p: &str) -> bool {
    let (name, version) = match p.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (p, None),
    };
    let name_ok = name.len() >= 2
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c));
    let version_ok = version.is_none_or(|v| {
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".+~:*-".contains(c))
    });
    name_ok && version_ok
}

/// An error for each entry of `knob` that is not a Debian package name.
pub fn check_packages(knob: &'static str, packages: &[String], errors: &mut Vec<PresetError>) {
    for p in packages.iter().filter(|p| !is_debian_package(p)) {
        errors.push(
            PresetError::new(
                codes::INVALID_PACKAGE,
                Blame::Knob(knob),
                format!("`{p}` is not a Debian package name"),
            )
            .help("write a package, pinned for reproducible builds: `\"libpq-dev=15.*\"`"),
        );
    }
}

/// An error for each entry of `system-packages` and `runtime-packages` that is not a Debian
/// package name: values alone, checked while `build.toml` is validated (whatever the preset),
/// so they are reported with the file's other mistakes.
pub fn check_package_knobs(common: &crate::presets::TomlCommonOptions) -> Vec<PresetError> {
    let mut errors = Vec::new();
    check_packages("system-packages", &common.system_packages, &mut errors);
    check_packages("runtime-packages", &common.runtime_packages, &mut errors);
    errors
}

/// The error for `runtime-packages` on a final image without apt (distroless, scratch).
pub fn no_apt_at_run_time(flavour: &str) -> PresetError {
    PresetError::new(
        codes::RUNTIME_PACKAGES_NEED_APT,
        Blame::Knob("runtime-packages"),
        format!("`runtime-packages` need apt in the final image, and `{flavour}` has none"),
    )
    .help("use `base = \"slim\"` in `[runtime]` (or an image of your own with apt), or remove `runtime-packages`")
}

/// `stage` with `packages` installed by [`apt_install`] as its next step (first, before the
/// sources: a layer that changes only with the list); `stage` itself when there are none.
pub fn with_packages(stage: Stage, packages: &[String]) -> Stage {
    if packages.is_empty() {
        stage
    } else {
        stage.step(apt_install(packages))
    }
}

/// One step: update the lists, install `packages` without recommends, remove the lists.
pub fn apt_install(packages: &[String]) -> Run {
    Run {
        commands: vec![
            Command::Shell("apt-get update".into()),
            Command::Shell(format!(
                "apt-get install -y --no-install-recommends {}",
                packages
                    .iter()
                    .map(|p| shell_quote(p))
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
            Command::Shell("rm -rf /var/lib/apt/lists/*".into()),
        ],
        mounts: Vec::new(),
        inputs: Vec::new(),
    }
}

/// A package of a list without its pin (`libpq5=15.*` is `libpq5`).
pub fn package_name(package: &str) -> &str {
    package.split_once('=').map_or(package, |(n, _)| n)
}

/// Add each of `add` to `packages` unless a package of that name is there already (the user's
/// entries come first and win); the names added, for `detected` and the errors.
pub fn add_packages(packages: &mut Vec<String>, add: &[&str]) -> Vec<String> {
    let mut added = Vec::new();
    for p in add {
        if !packages.iter().any(|q| package_name(q) == package_name(p)) {
            packages.push(p.to_string());
            added.push(package_name(p).to_string());
        }
    }
    added
}

/// `names` as a list of backticked names: `` `libcairo2`, `libpango-1.0-0` ``.
pub fn backticked(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debian_package_names() {
        for ok in [
            "libpq-dev",
            "libpq-dev=15.*",
            "g++",
            "g++=4:12.2.0-3",
            "libc6=2.36-9+deb12u4",
            "7zip",
        ] {
            assert!(is_debian_package(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "LibPQ",
            "libpq dev",
            "a; rm -rf /",
            "x=",
            "x=$(id)",
            "-y",
        ] {
            assert!(!is_debian_package(bad), "{bad}");
        }
    }
}
