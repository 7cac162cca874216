//! The java preset's final image: which base each `[runtime] base` flavour means for a JRE image
//! and for a `jlink` runtime, whether apt can install `runtime-packages` on it, and how the
//! minimal runtime is linked.

use super::codes;
use crate::presets::common::Flavour;
use crate::presets::{Blame, PresetError};

/// JRE image, by Java version: `eclipse-temurin:<v>-jre`, `-jre-alpine` for `alpine`.
pub(super) const JRE_IMAGE: &str = "eclipse-temurin";
/// Distroless Java images that exist, by Java version (Debian 12 publishes 17 and 21).
const DISTROLESS_JAVA: &[(u32, &str)] = &[
    (17, "gcr.io/distroless/java17-debian12:nonroot"),
    (21, "gcr.io/distroless/java21-debian12:nonroot"),
];
/// Bases for a `jlink` runtime: glibc, zlib and libstdc++ (what a JDK's native libraries link),
/// and no Java of their own. `java-base` is distroless's image for exactly this.
pub(super) const JLINK_SLIM: &str = "debian:bookworm-slim";
const DISTROLESS_JAVA_BASE: &str = "gcr.io/distroless/java-base-debian12:nonroot";
/// Where the `jlink` stage writes the runtime, and the runtime image finds it.
pub(super) const JLINK_HOME: &str = "/opt/jre";
/// `PATH` of the jlink runtime image: the runtime first, then Debian's default.
pub(super) const JLINK_PATH: &str =
    "/opt/jre/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// The modules of a `jlink` runtime, whatever the app: all of Java SE (`java.se` and what it
/// requires, the same set from Java 11 on), and the JDK's modules that apps and their
/// libraries use most, often by name or as services, which `jdeps` cannot see: `sun.misc.Unsafe`
/// (netty, ...), the HTTP server, zip file systems, JMX and JFR extensions, DNS for JNDI, the
/// extra charsets, socket options, Kerberos and PKCS#11. A runtime of fixed modules is linked
/// once per JDK, in parallel with the app's build, cached across apps and source changes; the
/// build checks with `jdeps` that the app needs no other module.
const LINKED_MODULES: &[&str] = &[
    "java.se",
    "java.base",
    "java.compiler",
    "java.datatransfer",
    "java.desktop",
    "java.instrument",
    "java.logging",
    "java.management",
    "java.management.rmi",
    "java.naming",
    "java.net.http",
    "java.prefs",
    "java.rmi",
    "java.scripting",
    "java.security.jgss",
    "java.security.sasl",
    "java.sql",
    "java.sql.rowset",
    "java.transaction.xa",
    "java.xml",
    "java.xml.crypto",
    "jdk.charsets",
    "jdk.crypto.cryptoki",
    "jdk.httpserver",
    "jdk.jfr",
    "jdk.management",
    "jdk.naming.dns",
    "jdk.net",
    "jdk.security.auth",
    "jdk.security.jgss",
    "jdk.unsupported",
    "jdk.zipfs",
];
/// Modules of some versions only: the elliptic-curve provider TLS needs (part of `java.base`
/// from Java 22 on), until the version given.
const SERVICE_MODULES: &[(u32, &str)] = &[(21, "jdk.crypto.ec")];

/// JVM flags for `jlink` and `jdeps`, short runs that C2's compiler threads only slow down: the
/// client compiler alone, and the serial collector. Measured in the build image on 2 busy cores:
/// `jlink` 14.6 s -> 6.1 s, `jdeps` over 11 jars 6.1-6.9 s -> 3.0-3.7 s.
const QUICK_JVM: &str = "-J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC";

/// The modules a `jlink` runtime of Java `version` has.
pub(super) fn linked_modules(version: u32) -> Vec<&'static str> {
    let mut modules = LINKED_MODULES.to_vec();
    for (until, module) in SERVICE_MODULES {
        if version <= *until {
            modules.push(module);
        }
    }
    modules
}

/// The runtime base image, the `java` it runs, and what installing packages on it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Runtime {
    pub image: String,
    pub java: String,
    /// Whether apt can install `runtime-packages` (Debian slim, the Ubuntu-based JRE images,
    /// an image of the user's); not distroless nor Alpine.
    pub apt: bool,
    /// Whether the image's default user may not be root (an image of the user's), so a step
    /// that installs packages runs as root.
    pub as_root: bool,
}

impl Runtime {
    fn new(image: impl Into<String>, java: impl Into<String>, apt: bool) -> Runtime {
        Runtime {
            image: image.into(),
            java: java.into(),
            apt,
            as_root: false,
        }
    }

    fn of_user(image: &str, java: impl Into<String>) -> Runtime {
        Runtime {
            as_root: true,
            ..Runtime::new(image, java, true)
        }
    }
}

/// The runtime for the `[runtime] base` flavour (`None`: not set), Java `version`, with or
/// without `jlink`.
pub(super) fn runtime(
    flavour: Option<&Flavour>,
    version: u32,
    jlink: bool,
) -> Result<Runtime, PresetError> {
    if jlink {
        linked(flavour, version)
    } else {
        jre(flavour, version)
    }
}

/// A `jlink` runtime needs only a C library: slim by default, distroless's `java-base`.
fn linked(flavour: Option<&Flavour>, version: u32) -> Result<Runtime, PresetError> {
    let java = format!("{JLINK_HOME}/bin/java");
    match flavour {
        None | Some(Flavour::Slim) => Ok(Runtime::new(JLINK_SLIM, java, true)),
        Some(Flavour::Distroless) => Ok(Runtime::new(DISTROLESS_JAVA_BASE, java, false)),
        Some(Flavour::Alpine) => Err(PresetError::new(
            codes::JLINK_ON_ALPINE,
            Blame::Knob("jlink"),
            "a `jlink` runtime is linked from the builder's glibc JDK, and `alpine` has musl",
        )
        .help(format!(
            "use `base = \"slim\"` or `\"distroless\"` in `[runtime]`, or turn `jlink` off to run on `{JRE_IMAGE}:{version}-jre-alpine`"
        ))),
        Some(Flavour::Scratch) => Err(on_scratch(true)),
        Some(Flavour::Image(image)) => Ok(Runtime::of_user(image, java)),
    }
}

/// A JRE image: the JRE image of the version by default, a distroless Java image, Alpine's.
fn jre(flavour: Option<&Flavour>, version: u32) -> Result<Runtime, PresetError> {
    match flavour {
        None => Ok(Runtime::new(format!("{JRE_IMAGE}:{version}-jre"), "java", true)),
        Some(Flavour::Alpine) => Ok(Runtime::new(
            format!("{JRE_IMAGE}:{version}-jre-alpine"),
            "java",
            false,
        )),
        Some(Flavour::Distroless) => distroless(version),
        Some(Flavour::Scratch) => Err(on_scratch(false)),
        Some(Flavour::Slim) => Err(PresetError::new(
            codes::SLIM_WITHOUT_JLINK,
            Blame::RuntimeBase,
            format!("`slim` ({JLINK_SLIM}) has no Java runtime"),
        )
        .help("set `jlink = true` to put a minimal runtime made with jlink on it, or leave `base` out for a JRE image (distroless Java, or `eclipse-temurin:<version>-jre` where the app needs a shell)")),
        Some(Flavour::Image(image)) => Ok(Runtime::of_user(image, "java")),
    }
}

/// Whether distroless publishes a Java `version` image.
pub(super) fn has_distroless(version: u32) -> bool {
    DISTROLESS_JAVA.iter().any(|(v, _)| *v == version)
}

/// The Java versions distroless publishes, as `17 and 21`.
pub(super) fn distroless_versions() -> String {
    DISTROLESS_JAVA
        .iter()
        .map(|(v, _)| v.to_string())
        .collect::<Vec<_>>()
        .join(" and ")
}

fn distroless(version: u32) -> Result<Runtime, PresetError> {
    DISTROLESS_JAVA
        .iter()
        .find(|(v, _)| *v == version)
        .map(|(_, image)| Runtime::new(*image, "/usr/bin/java", false))
        .ok_or_else(|| {
            PresetError::new(
                codes::NO_DISTROLESS_IMAGE,
                Blame::RuntimeBase,
                format!("distroless publishes no Java {version} image"),
            )
            .help(format!(
                "distroless has Java {}: set `version` to one of them, or set `jlink = true` (a runtime of any version, on {DISTROLESS_JAVA_BASE})",
                distroless_versions()
            ))
        })
}

fn on_scratch(jlink: bool) -> PresetError {
    Flavour::Scratch
        .unsupported(
            codes::ON_SCRATCH,
            "Java needs a C library, and `scratch` has none",
        )
        .help(if jlink {
            "use `base = \"slim\"` or `\"distroless\"` in `[runtime]`: both have the C library a jlink runtime links"
        } else {
            "use `base = \"distroless\"` in `[runtime]`, or `jlink = true` with `base = \"slim\"`"
        })
}

/// The `jlink` command that links [`linked_modules`] into [`JLINK_HOME`].
pub(super) fn jlink_command(version: u32) -> String {
    // `java.se` requires every other `java.` module: the rest are listed for the check only.
    let modules: Vec<&str> = linked_modules(version)
        .into_iter()
        .filter(|m| *m == "java.se" || !m.starts_with("java."))
        .collect();
    let modules = modules.join(",");
    // Java debug attributes only: `--strip-debug` also strips native symbols with `objcopy`
    // where the JDK supports it, and fails on a JDK without binutils beside it.
    let strip = if version >= 13 {
        "--strip-java-debug-attributes"
    } else {
        "--strip-debug"
    };
    // `zip-6` is 21's new name of `2`, which 21 still takes (with a deprecation warning): `2`
    // there builds the same runtime on every JDK 21 build, early ones included.
    let compress = if version >= 22 { "zip-6" } else { "2" };
    format!(
        "jlink {QUICK_JVM} --add-modules {modules} {strip} --no-header-files --no-man-pages --compress={compress} --output {JLINK_HOME}"
    )
}

/// The check that the jars under `root` (all of their classes, not only those the app reaches:
/// frameworks load classes by name) use no module the `jlink` runtime leaves out, as two
/// commands: `jdeps` writes the modules they use into `modules_file`, then each is looked up.
pub(super) fn jdeps_check(
    version: u32,
    root: &str,
    extra: Option<&str>,
    modules_file: &str,
) -> [String; 2] {
    let extra = extra.map(|e| format!("{e} ")).unwrap_or_default();
    let linked = linked_modules(version).join("|");
    [
        format!("find {root} -name '*.jar' -exec jdeps {QUICK_JVM} --ignore-missing-deps --print-module-deps --multi-release {version} {extra}{{}} + > {modules_file}"),
        format!("for m in $(tr ',' ' ' < {modules_file}); do case $m in {linked}) ;; *) echo \"stagegen: the app uses the JDK module $m, which the jlink runtime does not link: set jlink = false in [preset] for a full JRE\" >&2; exit 1 ;; esac; done"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavours() {
        let image = |base: Option<&str>, v, jlink| {
            runtime(base.map(Flavour::named).as_ref(), v, jlink).map(|r| r.image)
        };
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
            image(Some("distroless"), 11, false).unwrap_err().code,
            codes::NO_DISTROLESS_IMAGE
        );
        assert_eq!(
            image(Some("slim"), 17, false).unwrap_err().code,
            codes::SLIM_WITHOUT_JLINK
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
        let apt =
            |base: &str, jlink| runtime(Some(&Flavour::named(base)), 21, jlink).map(|r| r.apt);
        assert_eq!(apt("slim", true), Ok(true));
        assert_eq!(apt("distroless", true), Ok(false));
        assert_eq!(apt("distroless", false), Ok(false));
        assert_eq!(apt("alpine", false), Ok(false));
        assert_eq!(runtime(None, 21, false).map(|r| r.apt), Ok(true));
    }

    #[test]
    fn jlink_flags_follow_the_version() {
        let c17 = jlink_command(17);
        assert!(
            c17.contains("--add-modules java.se,jdk.charsets,")
                && c17.ends_with("--output /opt/jre"),
            "{c17}"
        );
        assert!(c17.contains(",jdk.zipfs,jdk.crypto.ec "), "{c17}");
        assert!(c17.contains("--strip-java-debug-attributes") && c17.contains("--compress=2"));
        assert!(jlink_command(21).contains("--compress=2 "));
        let c25 = jlink_command(25);
        assert!(
            !c25.contains("jdk.crypto.ec") && c25.contains("--compress=zip-6"),
            "{c25}"
        );
        assert!(jlink_command(11).contains("--strip-debug"));
    }

    /// The check on this machine's shell: a module the runtime links passes, another fails
    /// with a message that names it and the way out.
    #[test]
    fn the_jdeps_check_names_a_module_the_runtime_leaves_out() {
        let [_, loop_part] = jdeps_check(17, "/nowhere", None, "/m");
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("m");
        let run = |modules: &str| {
            std::fs::write(&file, modules).expect("write");
            let script = loop_part.replace("/m", file.to_str().expect("utf-8"));
            std::process::Command::new("sh")
                .args(["-c", &script])
                .output()
                .expect("sh runs")
        };
        assert!(run("java.base,java.sql,jdk.unsupported\n").status.success());
        let out = run("java.base,jdk.compiler\n");
        assert!(!out.status.success());
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("JDK module jdk.compiler") && said.contains("jlink = false"),
            "{said}"
        );
    }
}
