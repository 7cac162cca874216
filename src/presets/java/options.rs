//! The Java preset's own `[preset]` knobs.

use schemars::JsonSchema;
use serde::Deserialize;

/// Knobs of the `java` preset.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct TomlJavaOptions {
    /// Java version, e.g. `"21"`. Default: the build's toolchain, else the JDK `.sdkmanrc`,
    /// `.tool-versions` or `mise.toml` pins (unless older than the build's release), else the
    /// build's release (`maven.compiler.release`, ...), else the preset's default.
    pub version: Option<String>,
    /// `maven` or `gradle`. Default: the build file the app has.
    pub package_manager: Option<String>,
    /// The runnable jar the build writes, relative to the project, e.g. `"target/app.jar"`, or a
    /// glob such as `"app/build/libs/*-all.jar"`; it must match one file, which runs with
    /// `java -jar` (a Spring Boot jar is still split into its layers). Default: the one runnable
    /// jar in the build's output folder: a fat jar (`-all`, `-jar-with-dependencies`, `-shaded`)
    /// first, never a sources, javadoc, tests, `-plain` or `original-` jar.
    pub jar: Option<String>,
    /// Run on a smaller Java runtime that `jlink` links: Java SE and the JDK modules apps use
    /// most (the HTTP server, `sun.misc.Unsafe`, zip file systems, JFR, JMX and DNS extensions,
    /// charsets, Kerberos, PKCS#11), about 54 MB against a JRE's 200; the build checks with
    /// `jdeps` that the app and its jars use no other module, and fails naming one. On
    /// `gcr.io/distroless/java-base-debian12` (no shell), or on `debian:bookworm-slim` where the
    /// app needs a shell or apt (`base = "slim"` chooses it). Default: true for Java 11 and
    /// later, except a Spring Boot app (its auto-configuration loads classes by name, which no
    /// check at build time follows) and a `base` of Alpine, scratch or an image of your own;
    /// false runs on a full JRE: distroless Java (17, 21) where the app needs no shell or apt,
    /// else `eclipse-temurin:<version>-jre`.
    pub jlink: Option<bool>,
    /// JVM flags of the runtime image's entrypoint, e.g. `["-XX:MaxRAMPercentage=75",
    /// "-XX:+UseSerialGC"]`; `[]` for the JVM's defaults. Default: `["-XX:MaxRAMPercentage=75"]`,
    /// the heap sized from the container's memory limit.
    pub jvm_flags: Option<Vec<String>>,
}
