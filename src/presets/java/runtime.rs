//! The java preset's final image: which base each `[runtime] base` flavour means for a JRE image
//! and for a `jlink` runtime, who runs the app, and how the minimal runtime is linked.

use crate::presets::PresetError;

/// JRE image, by Java version: `eclipse-temurin:<v>-jre`, `-jre-alpine` for `alpine`.
const JRE_IMAGE: &str = "eclipse-temurin";
/// Distroless Java images that exist, by Java version (Debian 12 publishes 17 and 21).
const DISTROLESS_JAVA: &[(u32, &str)] = &[
    (17, "gcr.io/distroless/java17-debian12:nonroot"),
    (21, "gcr.io/distroless/java21-debian12:nonroot"),
];
/// Bases for a `jlink` runtime: glibc, zlib and libstdc++ (what a JDK's native libraries link),
/// and no Java of their own. `java-base` is distroless's image for exactly this.
const SLIM: &str = "debian:bookworm-slim";
const DISTROLESS_JAVA_BASE: &str = "gcr.io/distroless/java-base-debian12:nonroot";
/// The distroless `nonroot` user, used on every base (numeric, so it needs no passwd entry).
pub const NONROOT: &str = "65532:65532";
/// Where the `jlink` stage writes the runtime, and the runtime image finds it.
pub const JLINK_HOME: &str = "/opt/jre";
/// `PATH` of the jlink runtime image: the runtime first, then Debian's default.
pub const JLINK_PATH: &str =
    "/opt/jre/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Modules `jdeps` cannot see because they are loaded as services: the elliptic-curve
/// provider TLS needs (part of `java.base` from Java 22 on).
const SERVICE_MODULES: &[(u32, &str)] = &[(21, "jdk.crypto.ec")];

/// The runtime base image and the `java` it runs.
#[derive(Debug, PartialEq, Eq)]
pub struct Runtime {
    pub image: String,
    pub java: String,
}

/// The runtime for `[runtime] base` (a flavour or an image), Java `version`, with or without
/// `jlink`.
pub fn runtime(base: Option<&str>, version: u32, jlink: bool) -> Result<Runtime, PresetError> {
    let java = |image: String, java: &str| Runtime {
        image,
        java: java.to_string(),
    };
    let jre_java = "java";
    let linked = format!("{JLINK_HOME}/bin/java");
    match (base, jlink) {
        (None | Some("slim"), true) => Ok(java(SLIM.into(), &linked)),
        (Some("distroless"), true) => Ok(java(DISTROLESS_JAVA_BASE.into(), &linked)),
        (Some("alpine"), true) => Err(crate::presets::legacy(
            Some("jlink"),
            "a `jlink` runtime is linked from the builder's glibc JDK, and `alpine` has musl",
        )
        .help(format!(
            "use `base = \"slim\"` or `\"distroless\"` in `[runtime]`, or turn `jlink` off to run on `{JRE_IMAGE}:{version}-jre-alpine`"
        ))),
        (Some("scratch"), _) => Err(crate::presets::legacy(
            None,
            "Java needs a C library, and `scratch` has none",
        )
        .help(if jlink {
            "use `base = \"slim\"` or `\"distroless\"` in `[runtime]`: both have the C library a jlink runtime links"
        } else {
            "use `base = \"distroless\"` in `[runtime]`, or `jlink = true` with `base = \"slim\"`"
        })),
        (Some(image), true) => Ok(java(image.into(), &linked)),
        (None, false) => Ok(java(format!("{JRE_IMAGE}:{version}-jre"), jre_java)),
        (Some("alpine"), false) => Ok(java(format!("{JRE_IMAGE}:{version}-jre-alpine"), jre_java)),
        (Some("distroless"), false) => DISTROLESS_JAVA
            .iter()
            .find(|(v, _)| *v == version)
            .map(|(_, image)| java(image.to_string(), "/usr/bin/java"))
            .ok_or_else(|| {
                crate::presets::legacy(
                    Some("version"),
                    format!("distroless publishes no Java {version} image"),
                )
                .help(format!(
                    "distroless has Java {}: set `version` to one of them, or set `jlink = true` (a runtime of any version, on {DISTROLESS_JAVA_BASE})",
                    DISTROLESS_JAVA
                        .iter()
                        .map(|(v, _)| v.to_string())
                        .collect::<Vec<_>>()
                        .join(" and ")
                ))
            }),
        (Some("slim"), false) => Err(crate::presets::legacy(
            Some("jlink"),
            format!("`slim` ({SLIM}) has no Java runtime"),
        )
        .help("set `jlink = true` to put a minimal runtime made with jlink on it, or leave `base` out for the JRE image")),
        (Some(image), false) => Ok(java(image.into(), jre_java)),
    }
}

/// The `jlink` command that links the modules listed in `modules_file` (written by `jdeps`) into
/// [`JLINK_HOME`].
pub fn jlink_command(version: u32, modules_file: &str) -> String {
    let mut modules = format!("$(cat {modules_file})");
    for (until, module) in SERVICE_MODULES {
        if version <= *until {
            modules.push(',');
            modules.push_str(module);
        }
    }
    // Java debug attributes only: `--strip-debug` also strips native symbols with `objcopy`
    // where the JDK supports it, and fails on a JDK without binutils beside it.
    let strip = if version >= 13 {
        "--strip-java-debug-attributes"
    } else {
        "--strip-debug"
    };
    let compress = if version >= 21 { "zip-6" } else { "2" };
    format!(
        "jlink --add-modules \"{modules}\" {strip} --no-header-files --no-man-pages --compress={compress} --output {JLINK_HOME}"
    )
}

/// The `jdeps` command that lists the modules the jars under `root` use (all of their classes,
/// not only those the app reaches: frameworks load classes by name) into `modules_file`.
pub fn jdeps_command(version: u32, root: &str, extra: Option<&str>, modules_file: &str) -> String {
    let extra = extra.map(|e| format!("{e} ")).unwrap_or_default();
    format!(
        "find {root} -name '*.jar' -exec jdeps --ignore-missing-deps --print-module-deps --multi-release {version} {extra}{{}} + > {modules_file}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavours() {
        let image = |base, v, jlink| runtime(base, v, jlink).map(|r| r.image);
        assert_eq!(
            image(None, 17, false).as_deref(),
            Ok("eclipse-temurin:17-jre")
        );
        assert_eq!(
            image(Some("alpine"), 21, false).as_deref(),
            Ok("eclipse-temurin:21-jre-alpine")
        );
        assert_eq!(
            image(Some("distroless"), 21, false).as_deref(),
            Ok("gcr.io/distroless/java21-debian12:nonroot")
        );
        assert_eq!(
            image(Some("distroless"), 11, false).unwrap_err().knob(),
            Some("version")
        );
        assert_eq!(
            image(Some("slim"), 17, false).unwrap_err().knob(),
            Some("jlink")
        );
        assert_eq!(image(None, 17, true).as_deref(), Ok("debian:bookworm-slim"));
        assert_eq!(
            image(Some("distroless"), 11, true).as_deref(),
            Ok(DISTROLESS_JAVA_BASE)
        );
        assert!(image(Some("alpine"), 17, true).is_err());
        assert!(image(Some("scratch"), 17, true).is_err());
        assert!(image(Some("scratch"), 17, false).is_err());
        assert_eq!(
            image(Some("ubuntu:24.04"), 17, true).as_deref(),
            Ok("ubuntu:24.04")
        );
        assert_eq!(
            runtime(None, 17, true).map(|r| r.java).as_deref(),
            Ok("/opt/jre/bin/java")
        );
    }

    #[test]
    fn jlink_flags_follow_the_version() {
        let c17 = jlink_command(17, "/m");
        assert!(c17.contains("\"$(cat /m),jdk.crypto.ec\""), "{c17}");
        assert!(c17.contains("--strip-java-debug-attributes") && c17.contains("--compress=2"));
        let c25 = jlink_command(25, "/m");
        assert!(
            c25.contains("\"$(cat /m)\"") && c25.contains("--compress=zip-6"),
            "{c25}"
        );
        assert!(jlink_command(11, "/m").contains("--strip-debug"));
    }
}
