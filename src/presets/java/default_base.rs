//! The runtime when the spec does not choose it: whether the app runs on a `jlink` runtime
//! (`jlink` not set) and on which final image (`[runtime] base` not set).
//!
//! A `jlink` runtime (Java SE and the JDK modules apps use most, checked at build time against
//! what `jdeps` finds in the app and its jars) is the default for Java 11 and later, except for
//! Spring Boot, whose auto-configuration loads classes by name, so that no check at build time
//! tells which modules it needs. It goes on distroless `java-base` (glibc and zlib, no shell, no
//! package manager) when the app needs nothing it lacks, else on Debian slim, which has both.
//! Without one, the JRE is distroless Java (Debian 12's JRE, 225 MB against the Ubuntu-based
//! JRE image's 438) when the app needs nothing it lacks, and the JRE image
//! (`eclipse-temurin:<v>-jre`) when it does: a Java version distroless does not publish, a
//! Procfile command that needs a shell, `runtime-packages` for apt, or `[runtime]` settings
//! that need a shell (a health check that runs another program, `cmd`, `run` steps).
//! `detected` says which and why, and how to choose the other.

use super::procfile::JavaProcfile;
use super::runtime::{self, JLINK_HOME, JRE_IMAGE};
use super::OLDEST_JLINK_VERSION;
use crate::presets::common::{Flavour, RuntimeNeeds};
use crate::presets::Context;

/// Whether the app runs on a `jlink` runtime when `jlink` is not set, and the line for
/// `detected` that says why (none when the spec's `base` already rules it out).
pub(super) fn default_jlink(
    version: u32,
    spring_boot: bool,
    base: Option<&str>,
) -> (bool, Option<String>) {
    // Alpine's musl, scratch's nothing, or an image of the user's (which has its own Java).
    if !matches!(
        base.map(Flavour::named),
        None | Some(Flavour::Slim | Flavour::Distroless)
    ) {
        return (false, None);
    }
    if version < OLDEST_JLINK_VERSION {
        return (false, Some(format!(
            "a full JRE, not a `jlink` runtime: Java {version} has no `jlink` (Java {OLDEST_JLINK_VERSION} and later)"
        )));
    }
    if spring_boot {
        return (false, Some(
            "a full JRE, not a `jlink` runtime: Spring Boot's auto-configuration loads classes by name, so no check at build time tells which JDK modules it needs; `jlink = true` in `[preset]` links Java SE and the JDK modules apps use most".to_string(),
        ));
    }
    (true, Some(
        "a `jlink` runtime of Java SE and the JDK modules apps use most (the build checks with `jdeps` that the app and its jars need no other); `jlink = false` in `[preset]` for a full JRE".to_string(),
    ))
}

/// The flavour to build with when `base` is not set (`None`: the JRE image), and the line for
/// `detected` that says why.
pub(super) fn default_flavour(
    version: u32,
    jlink: bool,
    procfile: Option<&JavaProcfile>,
    cx: &Context<'_>,
) -> (Option<Flavour>, Option<String>) {
    if jlink {
        return linked_flavour(procfile, cx);
    }
    let jre = format!("{JRE_IMAGE}:{version}-jre");
    let why_not = if !runtime::has_distroless(version) {
        Some(format!(
            "distroless publishes Java {} only",
            runtime::distroless_versions()
        ))
    } else {
        needs_shell_or_apt(procfile, cx, "distroless Java", "/usr/bin/java")
    };
    match why_not {
        Some(why) => (
            None,
            Some(format!(
                "final image: {jre}, not distroless: {why} (it has a shell and apt)"
            )),
        ),
        None => (
            Some(Flavour::Distroless),
            Some(format!(
                "final image: distroless Java {version}, with no shell or package manager; `base = \"{jre}\"` in `[runtime]` for the JRE image with a shell"
            )),
        ),
    }
}

/// A `jlink` runtime's image: distroless `java-base`, or Debian slim where the app needs a
/// shell or apt.
fn linked_flavour(
    procfile: Option<&JavaProcfile>,
    cx: &Context<'_>,
) -> (Option<Flavour>, Option<String>) {
    let java = format!("{JLINK_HOME}/bin/java");
    match needs_shell_or_apt(procfile, cx, "distroless java-base", &java) {
        Some(why) => (
            Some(Flavour::Slim),
            Some(format!(
                "final image: {}, not distroless: {why} (it has a shell and apt)",
                runtime::JLINK_SLIM
            )),
        ),
        None => (
            Some(Flavour::Distroless),
            Some(format!(
                "final image: distroless java-base (glibc and zlib for the `jlink` runtime), with no shell or package manager; `base = \"slim\"` in `[runtime]` for {} with a shell",
                runtime::JLINK_SLIM
            )),
        ),
    }
}

/// Why an image without a shell or apt (`image`, whose Java is `java`) cannot run the app: a
/// Procfile command that needs a shell, `runtime-packages`, or `[runtime]` settings.
fn needs_shell_or_apt(
    procfile: Option<&JavaProcfile>,
    cx: &Context<'_>,
    image: &str,
    java: &str,
) -> Option<String> {
    if procfile.is_some_and(|p| p.shell) {
        return Some("the Procfile's command needs a shell".to_string());
    }
    if !cx.common.runtime_packages.is_empty() {
        return Some("`runtime-packages` are installed with apt".to_string());
    }
    // `cmd` only adds arguments after the jar: the entrypoint still runs java.
    let needs = RuntimeNeeds {
        command: cx.runtime.command.filter(|key| *key != "cmd"),
        ..cx.runtime.clone()
    };
    needs.need_beyond(image, &["java", java])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jlink_by_default_but_for_old_java_spring_boot_and_the_user_s_images() {
        assert!(default_jlink(17, false, None).0);
        assert!(default_jlink(11, false, Some("slim")).0);
        assert!(default_jlink(21, false, Some("distroless")).0);
        let (old, why) = default_jlink(8, false, None);
        assert!(!old && why.is_some_and(|w| w.contains("Java 8 has no `jlink`")));
        let (boot, why) = default_jlink(21, true, None);
        assert!(
            !boot && why.is_some_and(|w| w.contains("Spring Boot") && w.contains("jlink = true"))
        );
        for base in ["alpine", "scratch", "eclipse-temurin:21-jre"] {
            assert_eq!(
                default_jlink(21, false, Some(base)),
                (false, None),
                "{base}"
            );
        }
        let (_, why) = default_jlink(21, false, None);
        assert!(why.is_some_and(|w| w.contains("jlink = false")));
    }
}
