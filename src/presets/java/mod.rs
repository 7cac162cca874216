//! The Java preset: a Maven or Gradle build (with its wrapper when there is one) compiled with
//! a JDK image into one runnable artifact, on a JRE image or on a minimal runtime linked with
//! `jlink`, run by a non-root user.
//!
//! Stages: `build` (dependencies resolved in their own layer keyed on the build files, with a
//! cache mount on the local repository; then the compile, and the artifact laid out under
//! `/out`), `test` (`mvn test` / `gradle test`), `dev` (toolchain and sources, the app run by
//! its build tool), `jlink` (a Java runtime of Java SE and the JDK modules apps use most; with `jlink`),
//! `runtime` (the artifact and a Java runtime).
//!
//! [`options`] holds its knobs and [`checks`] their value checks; [`settings`] works out what to
//! build (the same step for `stagegen dockerfile` and `stagegen init`), [`stages`] writes one
//! function per stage. [`maven`] and [`gradle`] read the build files into a [`Project`] ([`xml`]
//! is their POM reader), [`artifact`] finds and lays out what the build makes, [`runtime`] picks
//! the final image; [`codes`] are its diagnostics (SG8xx).

mod artifact;
mod checks;
mod codes;
mod default_base;
mod explain;
mod gradle;
mod maven;
mod options;
mod procfile;
mod project;
mod runtime;
mod settings;
mod sources;
mod spring_port;
mod stages;
mod version;
mod xml;

use crate::presets::common::{on_build_platform, platforms_line};
use crate::presets::{Context, Preset, PresetError, PresetInfo, PresetPlan};
use artifact::Packaging;
use project::{Project, Tool};
use settings::JavaSettings;
use version::parse_java_version;

pub(super) use options::TomlJavaOptions;

/// Java version when neither the spec nor the build files name one (the LTS with the widest
/// image support).
const DEFAULT_VERSION: u32 = 21;
/// `PORT` in the image for a Procfile `web` process that reads it.
const DEFAULT_PORT: u16 = 8080;
/// Oldest Java the images exist for; `jlink` (with `jdeps --print-module-deps`) needs 11.
const OLDEST_VERSION: u32 = 8;
const OLDEST_JLINK_VERSION: u32 = 11;
/// Builder images, by Java version: Maven's image, a plain JDK for the wrappers, Gradle's
/// image (Gradle 9 runs on Java 17 and later; older Javas get Gradle 8).
const MAVEN_IMAGE: &str = "maven:3.9-eclipse-temurin";
const JDK_IMAGE: &str = "eclipse-temurin";
const GRADLE_IMAGE: &str = "gradle";
const GRADLE_MAJOR: &[(u32, &str)] = &[(17, "9"), (0, "8")];
/// Where each tool keeps what it downloads: the cache mount of every step that resolves. Maven's
/// is its default local repository; Gradle's is set with `GRADLE_USER_HOME` because the gradle
/// image declares its default home a volume, which a `dev` image would lose.
const MAVEN_CACHE: &str = "/root/.m2";
const GRADLE_HOME: &str = "/gradle";
/// Flags of every run: batch mode without download progress; no daemon in a container.
const MAVEN_FLAGS: &[&str] = &["-B", "-ntp"];
const GRADLE_FLAGS: &[&str] = &["--no-daemon"];
/// JVM flags of the runtime image when the spec names none: size the heap from the
/// container's memory limit.
const DEFAULT_JVM_FLAGS: &[&str] = &["-XX:MaxRAMPercentage=75"];
/// Where `jdeps` writes the modules the app uses, which the build checks the `jlink` runtime has.
const MODULES_FILE: &str = "/tmp/jre-modules";

pub(super) struct Java;

static INFO: PresetInfo = PresetInfo {
    name: "java",
    aliases: &["jvm", "jdk", "maven", "gradle", "kotlin", "spring"],
    summary: "Java apps (Maven, Gradle): the runnable jar on a JRE or a jlink-made runtime",
    stage_names: &["build", "test", "dev", "jlink", "runtime"],
    runtime_stage: "runtime",
    stage_edges: &[
        ("test", "build"),
        ("runtime", "build"),
        ("runtime", "jlink"),
    ],
    markers: &[
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "settings.gradle",
        "settings.gradle.kts",
    ],
    lone_marker: None,
    refines: None,
    codes: codes::ALL,
    explain: explain::text,
};

impl Preset for Java {
    type Options = TomlJavaOptions;
    type Settings = JavaSettings;

    fn info(&self) -> &'static PresetInfo {
        &INFO
    }

    fn check_options(&self, options: &TomlJavaOptions) -> Vec<PresetError> {
        checks::check(options)
    }

    fn settings(
        &self,
        options: &TomlJavaOptions,
        cx: &Context<'_>,
    ) -> Result<JavaSettings, Vec<PresetError>> {
        settings::settings(options, cx)
    }

    fn stages(&self, s: &JavaSettings, cx: &Context<'_>) -> PresetPlan {
        // The jar is the same on every platform: built once, on the builder's. The jlink stage
        // starts from the JDK image itself, so it links a runtime for each target.
        let mut all = vec![on_build_platform(stages::build(s, cx), cx.platforms)];
        if cx.common.test.unwrap_or(true) {
            all.push(stages::test(s, cx));
        }
        if cx.common.dev.unwrap_or(true) {
            all.push(stages::dev(s, cx));
        }
        if s.jlink {
            all.push(stages::jlink(s));
        }
        all.push(stages::runtime(s, cx));
        PresetPlan {
            stages: all,
            app_stages: vec!["runtime", "dev"],
            ignore: s.project.ignore.clone(),
            detected: s
                .detected
                .iter()
                .cloned()
                .chain(platforms_line(
                    cx.platforms,
                    "the jar is platform-free, so the build stage runs once, on the builder's platform",
                ))
                .collect(),
        }
    }

    /// The ports the main source sets' files listen on.
    fn ports(&self, s: &JavaSettings, cx: &Context<'_>) -> Vec<(u16, String)> {
        if let Some(port) = s.port_env {
            return vec![(
                port,
                "`PORT`, which the Procfile's `web` process reads".into(),
            )];
        }
        if let Some(port) = s.boot_port {
            return vec![(
                port,
                "Spring Boot's `server.port` when no `PORT` is set".into(),
            )];
        }
        let mut found = crate::presets::Detection::default();
        for file in sources::java_sources(cx.files) {
            found.ports_from(cx.files, &file);
        }
        found.ports
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_the_build_files_settings_reads() {
        assert_eq!(INFO.markers[0], "pom.xml");
        assert_eq!(&INFO.markers[1..], settings::GRADLE_FILES);
    }
}
