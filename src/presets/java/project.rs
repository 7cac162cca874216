//! What the preset reads of the app's build ([`Project`], from [`super::maven::read`] or
//! [`super::gradle::read`]) and the build tool that runs it ([`Tool`]): its command line, its
//! cache, its builder image.

use super::artifact::{BootLayout, Packaging};
use super::{
    GRADLE_FLAGS, GRADLE_HOME, GRADLE_IMAGE, GRADLE_MAJOR, JDK_IMAGE, MAVEN_CACHE, MAVEN_FLAGS,
    MAVEN_IMAGE,
};
use crate::presets::PresetError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tool {
    Maven,
    Gradle,
}

/// What the preset read of the app's build.
#[derive(Debug, Clone)]
pub(crate) struct Project {
    pub tool: Tool,
    pub wrapper: bool,
    pub detected: Vec<String>,
    pub errors: Vec<PresetError>,
    /// Why the jar the build makes would not run as found (no main class, several apps):
    /// errors unless the spec names the runnable jar with `jar`.
    pub unrunnable: Vec<PresetError>,
    /// Files (and folders, ending in `/`) dependency resolution reads.
    pub inputs: Vec<String>,
    pub ignore: Vec<String>,
    /// The Java version and the setting that names it.
    pub java: Option<(u32, String)>,
    pub packaging: Packaging,
    /// Folders the build writes its jars to.
    pub jar_dirs: Vec<String>,
    /// Arguments of the tool: resolve dependencies, build the artifact, and run the app from
    /// source (`None` when the build has no task for it: `dev` then builds and runs the jar).
    pub resolve: Vec<String>,
    pub build: Vec<String>,
    pub dev: Option<Vec<String>>,
}

impl Project {
    pub(crate) fn new(tool: Tool) -> Project {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (resolve, build) = match tool {
            Tool::Maven => (
                words(&["dependency:go-offline"]),
                words(&["package", "-DskipTests"]),
            ),
            Tool::Gradle => (words(&["dependencies"]), words(&["assemble"])),
        };
        Project {
            tool,
            wrapper: false,
            detected: Vec::new(),
            errors: Vec::new(),
            unrunnable: Vec::new(),
            inputs: Vec::new(),
            ignore: Vec::new(),
            java: None,
            packaging: Packaging::Jar,
            jar_dirs: Vec::new(),
            resolve,
            build,
            dev: None,
        }
    }

    /// A Spring Boot build: its layers when its version has them, else its jar as it is.
    pub(crate) fn spring_boot(&mut self, version: Option<&str>, file: &str) {
        let shown = version.unwrap_or("(version not found)");
        match BootLayout::for_version(version) {
            Some(layout) => {
                self.packaging = Packaging::Boot(layout);
                self.detected
                    .push(format!("spring boot {shown} ({file}): a layered jar"));
            }
            None => {
                self.packaging = Packaging::Jar;
                self.detected.push(format!(
                    "spring boot {shown} ({file}): no layers before 2.3, the jar as it is"
                ));
            }
        }
    }

    /// The program that runs the tool, and the flags it always gets.
    pub(crate) fn command(&self) -> Vec<String> {
        let (program, flags) = match (self.tool, self.wrapper) {
            (Tool::Maven, false) => ("mvn", MAVEN_FLAGS),
            (Tool::Maven, true) => ("./mvnw", MAVEN_FLAGS),
            (Tool::Gradle, false) => ("gradle", GRADLE_FLAGS),
            (Tool::Gradle, true) => ("./gradlew", GRADLE_FLAGS),
        };
        std::iter::once(program)
            .chain(flags.iter().copied())
            .map(str::to_string)
            .collect()
    }

    /// The tool's command line with `args`, quoted for a shell.
    pub(crate) fn shell(&self, args: &[String]) -> String {
        self.command()
            .iter()
            .chain(args)
            .map(|w| crate::shell::shell_quote(w))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Where the tool keeps what it downloads.
    pub(crate) fn cache(&self) -> &'static str {
        match self.tool {
            Tool::Maven => MAVEN_CACHE,
            Tool::Gradle => GRADLE_HOME,
        }
    }

    /// The builder image for Java `version`: the tool's image, or a plain JDK for a wrapper.
    pub(crate) fn builder(&self, version: u32) -> String {
        match (self.tool, self.wrapper) {
            (Tool::Maven, false) => format!("{MAVEN_IMAGE}-{version}"),
            (Tool::Gradle, false) => {
                let major = GRADLE_MAJOR
                    .iter()
                    .find(|(from, _)| version >= *from)
                    .map(|(_, m)| *m)
                    .unwrap_or("8");
                format!("{GRADLE_IMAGE}:{major}-jdk{version}")
            }
            (_, true) => format!("{JDK_IMAGE}:{version}-jdk"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_images() {
        let mut p = Project::new(Tool::Maven);
        assert_eq!(p.builder(17), "maven:3.9-eclipse-temurin-17");
        p.wrapper = true;
        assert_eq!(p.builder(21), "eclipse-temurin:21-jdk");
        assert_eq!(p.shell(&["package".into()]), "./mvnw -B -ntp package");
        let g = Project::new(Tool::Gradle);
        assert_eq!(g.builder(21), "gradle:9-jdk21");
        assert_eq!(g.builder(11), "gradle:8-jdk11");
    }
}
