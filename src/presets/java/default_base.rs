//! The final image when `[runtime] base` is not set. A JRE image without a `jlink` runtime is
//! distroless Java (Debian 12's JRE, no shell and no package manager: 225 MB against the
//! Ubuntu-based JRE image's 438) when the app needs nothing it lacks, and the JRE image
//! (`eclipse-temurin:<v>-jre`) when it does: a Java version distroless does not publish, a
//! Procfile command that needs a shell, `runtime-packages` for apt, or `[runtime]` settings
//! that need a shell (a health check that runs another program, `cmd`, `run` steps). `detected` says which and
//! why, and how to choose the other. A `jlink` runtime keeps its own default (Debian slim).

use super::procfile::JavaProcfile;
use super::runtime::{self, JRE_IMAGE};
use crate::presets::common::{Flavour, RuntimeNeeds};
use crate::presets::Context;

/// The flavour to build with when `base` is not set (`None`: the JRE image), and the line for
/// `detected` that says why.
pub(super) fn default_flavour(
    version: u32,
    jlink: bool,
    procfile: Option<&JavaProcfile>,
    cx: &Context<'_>,
) -> (Option<Flavour>, Option<String>) {
    if jlink {
        return (None, None);
    }
    let jre = format!("{JRE_IMAGE}:{version}-jre");
    let why_not = if !runtime::has_distroless(version) {
        Some(format!(
            "distroless publishes Java {} only",
            runtime::distroless_versions()
        ))
    } else if procfile.is_some_and(|p| p.shell) {
        Some("the Procfile's command needs a shell".to_string())
    } else if !cx.common.runtime_packages.is_empty() {
        Some("`runtime-packages` are installed with apt".to_string())
    } else {
        // `cmd` only adds arguments after the jar: the entrypoint still runs java.
        let needs = RuntimeNeeds {
            command: cx.runtime.command.filter(|key| *key != "cmd"),
            ..cx.runtime.clone()
        };
        needs.need_beyond("distroless Java", &["java", "/usr/bin/java"])
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
