//! The Java preset: a Maven or Gradle build (with its wrapper when there is one) compiled with
//! a JDK image into one runnable artifact, on a JRE image or on a minimal runtime linked with
//! `jlink`, run by a non-root user.
//!
//! Stages: `build` (dependencies resolved in their own layer keyed on the build files, with a
//! cache mount on the local repository; then the compile, and the artifact laid out under
//! `/out`), `test` (`mvn test` / `gradle test`), `dev` (toolchain and sources, the app run by
//! its build tool), `jlink` (a Java runtime of only the modules `jdeps` finds; with `jlink`),
//! `runtime` (the artifact and a Java runtime).
//!
//! Submodules: [`maven`] and [`gradle`] read the build files ([`xml`] is their POM reader),
//! [`artifact`] finds and lays out what the build makes, [`runtime`] picks the final image.

mod artifact;
mod gradle;
mod maven;
mod options;
mod runtime;
mod xml;

use crate::ir::{Base, Copy, Mount, Run, Stage};
use crate::presets::{
    Context, Detection, KnobValue, Preset, PresetError, PresetInfo, PresetPlan, PresetRequest,
};
use crate::project::ProjectFiles;

pub use artifact::{BootLayout, Packaging};
pub use options::TomlJavaOptions;

/// Java version when neither the spec nor the build files name one (the LTS with the widest
/// image support).
const DEFAULT_VERSION: u32 = 21;
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
/// Where `jdeps` writes the module list the `jlink` stage reads.
const MODULES_FILE: &str = "/out/jre-modules";
const MODULES_COPY: &str = "/tmp/jre-modules";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Maven,
    Gradle,
}

/// What the preset read of the app's build, from [`maven::read`] or [`gradle::read`].
struct Project {
    tool: Tool,
    wrapper: bool,
    detected: Vec<String>,
    errors: Vec<PresetError>,
    /// Why the jar the build makes would not run as found (no main class, several apps):
    /// errors unless the spec names the runnable jar with `jar`.
    unrunnable: Vec<PresetError>,
    /// Files (and folders, ending in `/`) dependency resolution reads.
    inputs: Vec<String>,
    ignore: Vec<String>,
    /// The Java version and the setting that names it.
    java: Option<(u32, String)>,
    packaging: Packaging,
    /// Folders the build writes its jars to.
    jar_dirs: Vec<String>,
    /// Arguments of the tool: resolve dependencies, build the artifact, and run the app from
    /// source (`None` when the build has no task for it: `dev` then builds and runs the jar).
    resolve: Vec<String>,
    build: Vec<String>,
    dev: Option<Vec<String>>,
}

impl Project {
    fn new(tool: Tool) -> Project {
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
    fn spring_boot(&mut self, version: Option<&str>, file: &str) {
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
    fn command(&self) -> Vec<String> {
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

    fn shell(&self, args: &[String]) -> String {
        self.command()
            .iter()
            .chain(args)
            .map(|w| crate::shell::shell_quote(w))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn cache(&self) -> &'static str {
        match self.tool {
            Tool::Maven => MAVEN_CACHE,
            Tool::Gradle => GRADLE_HOME,
        }
    }

    fn builder(&self, version: u32) -> String {
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

/// `17`, `1.8` (-> 8), `21.0.2` (-> 21), `[17,)` (-> 17): the Java feature release.
/// The `.java` files of the project's main source sets (`src/main/java` of the root and of the
/// modules one level down), sorted; at most a few hundred, for port detection.
fn java_sources(files: &ProjectFiles) -> Vec<String> {
    let mut roots = vec!["src/main/java".to_string()];
    for d in files.list("") {
        if files.is_dir(&format!("{d}/src/main/java")) {
            roots.push(format!("{d}/src/main/java"));
        }
    }
    let mut out = Vec::new();
    let mut todo: Vec<(String, usize)> = roots.into_iter().map(|r| (r, 0)).collect();
    while let Some((dir, depth)) = todo.pop() {
        for name in files.list(&dir) {
            let rel = format!("{dir}/{name}");
            if name.ends_with(".java") && files.is_file(&rel) {
                out.push(rel);
            } else if depth < 10 && files.is_dir(&rel) {
                todo.push((rel, depth + 1));
            }
            if out.len() >= 500 {
                break;
            }
        }
    }
    out.sort();
    out
}

fn parse_java_version(text: &str) -> Option<u32> {
    let t = text.trim().trim_start_matches(['[', '(']);
    let mut parts = t.split(['.', ',', ')', ']']);
    let first: u32 = parts.next()?.trim().parse().ok()?;
    let v = if first == 1 {
        parts.next()?.trim().parse().ok()?
    } else {
        first
    };
    (OLDEST_VERSION..=99).contains(&v).then_some(v)
}

/// A `jar` knob: a relative path or glob of plain characters ending in `.jar`.
fn valid_jar(jar: &str) -> bool {
    jar.ends_with(".jar")
        && !jar.starts_with('/')
        && !jar.split('/').any(|p| p == ".." || p.is_empty())
        && jar
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/+@*?[]".contains(c))
}

pub struct Java;

static INFO: PresetInfo = PresetInfo {
    name: "java",
    aliases: &["jvm", "jdk", "maven", "gradle", "kotlin", "spring"],
    summary: "Java apps (Maven, Gradle): the runnable jar on a JRE or a jlink-made runtime",
    stage_names: &["build", "test", "dev", "jlink", "runtime"],
    runtime_stage: "runtime",
    stage_edges: &[
        ("test", "build"),
        ("jlink", "build"),
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
    codes: &[],
};

impl Preset for Java {
    type Options = TomlJavaOptions;
    /// Transitional: `plan` still does the settings and the stages in one go.
    type Settings = PresetPlan;

    fn info(&self) -> &'static PresetInfo {
        &INFO
    }

    fn settings(
        &self,
        options: &TomlJavaOptions,
        cx: &Context<'_>,
    ) -> Result<PresetPlan, Vec<PresetError>> {
        let unsupported = crate::presets::common::packages_not_supported("java", cx.common);
        if !unsupported.is_empty() {
            return Err(unsupported);
        }
        self.plan(&PresetRequest::new(options, cx))
    }

    fn stages(&self, plan: &PresetPlan, _cx: &Context<'_>) -> PresetPlan {
        plan.clone()
    }

    fn legacy_detect(
        &self,
        files: &ProjectFiles,
        package_manager: Option<&str>,
    ) -> Option<Result<Detection, PresetError>> {
        Some(self.detect(files, package_manager))
    }
}

impl Java {
    fn detect(
        &self,
        files: &ProjectFiles,
        package_manager: Option<&str>,
    ) -> Result<Detection, PresetError> {
        let has_pom = files.is_file("pom.xml");
        let has_gradle = INFO.markers[1..].iter().any(|f| files.is_file(f));
        let mut d = Detection::default();
        let tool = match (has_pom, has_gradle) {
            (true, true) if package_manager == Some("gradle") => Tool::Gradle,
            (true, true) if matches!(package_manager, Some("maven" | "mvn")) => Tool::Maven,
            (true, true) => {
                // Both builds: Maven, said in the file, so `--package-manager gradle` can choose.
                d.knob(
                    "package-manager",
                    KnobValue::Text("maven".into()),
                    "pom.xml and a Gradle build: pass --package-manager gradle for the other",
                );
                Tool::Maven
            }
            (true, false) => Tool::Maven,
            (false, true) => Tool::Gradle,
            (false, false) => {
                return Err(crate::presets::legacy(
                    None,
                    "no `pom.xml`, `build.gradle` or `build.gradle.kts`",
                ))
            }
        };
        let mut project = match tool {
            Tool::Maven => maven::read(files),
            Tool::Gradle => gradle::read(files),
        };
        if let Some(e) = project
            .errors
            .drain(..)
            .next()
            .or_else(|| project.unrunnable.drain(..).next())
        {
            return Err(e);
        }
        match &project.java {
            Some((v, source)) => d.note(format!(
                "java {v} ({source}): builder {}",
                project.builder(*v)
            )),
            None => d.note(format!(
                "no Java version in the build: java {DEFAULT_VERSION}"
            )),
        }
        for note in project.detected.drain(..) {
            d.note(note);
        }
        d.note("dependencies resolve in their own layer, keyed on the build files only");
        for rel in java_sources(files) {
            d.ports_from(files, &rel);
        }
        Ok(d)
    }

    fn plan(
        &self,
        request: &PresetRequest<'_, TomlJavaOptions>,
    ) -> Result<PresetPlan, Vec<PresetError>> {
        let files = request.files;
        let opts = request.options;
        let mut errors = Vec::new();

        let has_pom = files.is_file("pom.xml");
        let has_gradle = [
            "build.gradle",
            "build.gradle.kts",
            "settings.gradle",
            "settings.gradle.kts",
        ]
        .iter()
        .any(|f| files.is_file(f));
        let tool = match opts.package_manager.as_deref() {
            Some("maven" | "mvn") if has_pom => Tool::Maven,
            Some("gradle") if has_gradle => Tool::Gradle,
            Some(pm @ ("maven" | "mvn" | "gradle")) => {
                let file = if pm == "gradle" {
                    "build.gradle` or `build.gradle.kts"
                } else {
                    "pom.xml"
                };
                return Err(vec![crate::presets::legacy(
                    Some("package-manager"),
                    format!("`package-manager = \"{pm}\"` but the build context has no `{file}`"),
                )
                .help("point `context` at the project's folder, or remove `package-manager` to detect the build tool")]);
            }
            Some(other) => {
                return Err(vec![crate::presets::legacy(
                    Some("package-manager"),
                    format!("`{other}` is not a build tool the java preset knows"),
                )
                .help("use `\"maven\"` or `\"gradle\"`")]);
            }
            None => match (has_pom, has_gradle) {
                (true, false) => Tool::Maven,
                (false, true) => Tool::Gradle,
                (true, true) => {
                    return Err(vec![crate::presets::legacy(
                        None,
                        "found both `pom.xml` and a Gradle build",
                    )
                    .help("choose one with `package-manager = \"maven\"` or `\"gradle\"` in `[preset]`")]);
                }
                (false, false) => {
                    return Err(vec![crate::presets::legacy(
                        None,
                        format!(
                            "no `pom.xml`, `build.gradle` or `build.gradle.kts` in the build context `{}`",
                            files.root().display()
                        ),
                    )
                    .help("the java preset builds Maven and Gradle projects: point `context` at the project's folder")]);
                }
            },
        };
        let mut project = match tool {
            Tool::Maven => maven::read(files),
            Tool::Gradle => gradle::read(files),
        };
        let mut detected = std::mem::take(&mut project.detected);
        errors.append(&mut project.errors);
        if opts.jar.is_none() {
            errors.append(&mut project.unrunnable);
        }

        let version = match (&opts.version, &project.java) {
            (Some(v), _) => parse_java_version(v).unwrap_or_else(|| {
                errors.push(
                    crate::presets::legacy(Some("version"), format!("`{v}` is not a Java version"))
                        .help(format!(
                        "write the feature release, e.g. `\"21\"` (Java {OLDEST_VERSION} or later)"
                    )),
                );
                DEFAULT_VERSION
            }),
            (None, Some((v, source))) => {
                detected.push(format!("java {v} ({source})"));
                *v
            }
            (None, None) => DEFAULT_VERSION,
        };

        if let Some(jar) = &opts.jar {
            if valid_jar(jar) {
                // The named jar runs as it is; a Spring Boot jar is still split into layers.
                if !matches!(project.packaging, Packaging::Boot(_)) {
                    project.packaging = Packaging::Jar;
                    if matches!(tool, Tool::Gradle) {
                        project.build = vec!["assemble".into()];
                    }
                }
            } else {
                errors.push(
                    crate::presets::legacy(Some("jar"), format!("`{jar}` is not a jar path of the project"))
                        .help("name the jar the build writes, relative to the project, e.g. `\"target/app.jar\"` (`*` and `?` match any name)"),
                );
            }
        }
        if let (Tool::Maven, Packaging::ClassPath { .. }) = (tool, &project.packaging) {
            project.build = vec![
                "package".into(),
                "dependency:copy-dependencies".into(),
                "-DskipTests".into(),
                "-DincludeScope=runtime".into(),
                format!("-DoutputDirectory={}", artifact::OUT_LIB),
            ];
        }

        let jvm_flags: Vec<String> = match &opts.jvm_flags {
            Some(flags) => flags.clone(),
            None => DEFAULT_JVM_FLAGS.iter().map(|s| s.to_string()).collect(),
        };
        for flag in &jvm_flags {
            if !flag.starts_with('-') || flag.len() < 2 {
                errors.push(
                    crate::presets::legacy(Some("jvm-flags"), format!("`{flag}` is not a JVM flag"))
                        .help("JVM flags start with `-`, e.g. `\"-Xss512k\"`; the app's own arguments go in `[runtime] cmd`"),
                );
            }
        }

        let jlink = opts.jlink.unwrap_or(false);
        if jlink && version < OLDEST_JLINK_VERSION {
            errors.push(
                crate::presets::legacy(Some("jlink"), format!("`jlink` needs Java {OLDEST_JLINK_VERSION} or later, and the app is built for Java {version}"))
                    .help("raise `version`, or turn `jlink` off"),
            );
        }
        let runtime = match runtime::runtime(request.base, version, jlink) {
            Ok(r) => Some(r),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let Some(runtime) = runtime.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };

        let builder = project.builder(version);
        let cache = project.cache();
        let mut env: Vec<(String, String)> = Vec::new();
        if tool == Tool::Gradle {
            env.push(("GRADLE_USER_HOME".into(), GRADLE_HOME.into()));
        }
        env.extend(
            request
                .common
                .build_env
                .iter()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        let with_secrets = |mut run: Run| {
            for id in &request.common.secrets {
                run.mounts.push(Mount::Secret {
                    id: id.clone(),
                    target: None,
                    required: false,
                });
            }
            run
        };
        let resolve = || Run::shell(project.shell(&project.resolve)).inputs(project.inputs.clone());

        // build: the naive order (copy everything, resolve, build); the optimizer moves the
        // resolution ahead of the copy, keyed on the build files only.
        let mut build = Stage::new(
            "build",
            "resolve the dependencies, then compile and package the app",
            Base::Image(builder.clone()),
        )
        .workdir("/src");
        build.args = request.args.clone();
        for (k, v) in &env {
            build = build.env(k.clone(), v.clone());
        }
        build = build.step(Copy::context(["."], "."));
        build = build.step(with_secrets(resolve().cache(cache)));
        let mut package = Run::shell(project.shell(&project.build)).cache(cache);
        let mut more = artifact::select_jar(opts.jar.as_deref(), &project.jar_dirs);
        more.extend(artifact::lay_out(&project.packaging));
        if jlink {
            let (root, classes) = artifact::jdeps_inputs(&project.packaging);
            more.push(runtime::jdeps_command(version, root, classes, MODULES_FILE));
        }
        package
            .commands
            .extend(more.into_iter().map(crate::ir::Command::Shell));
        build = build.step(with_secrets(package));

        let mut stages = vec![build];
        if request.common.test.unwrap_or(true) {
            stages.push(
                Stage::new(
                    "test",
                    "run the tests: docker build --target test",
                    Base::Stage("build".into()),
                )
                .step(with_secrets(
                    Run::shell(project.shell(&["test".to_string()])).cache(cache),
                )),
            );
        }
        if request.common.dev.unwrap_or(true) {
            // Dependencies resolve without a cache mount so they stay in the image: the
            // container runs the build tool long after the build.
            let mut dev = Stage::new(
                "dev",
                "the JDK, the build tool and the sources, running the app from source",
                Base::Image(builder.clone()),
            )
            .workdir("/src");
            for (k, v) in &env {
                dev = dev.env(k.clone(), v.clone());
            }
            dev = dev.step(Copy::context(["."], "."));
            dev = dev.step(with_secrets(resolve()));
            dev.image.cmd = Some(match &project.dev {
                Some(args) => project.command().into_iter().chain(args.clone()).collect(),
                None => {
                    // No task runs the app from source: build the jar and run it.
                    let mut script = vec![project.shell(&project.build)];
                    script.extend(artifact::find_jar(opts.jar.as_deref(), &project.jar_dirs));
                    script.push(r#"exec java -jar "$1""#.to_string());
                    vec!["/bin/sh".into(), "-c".into(), script.join(" && ")]
                }
            });
            stages.push(dev);
        }
        if jlink {
            stages.push(
                Stage::new(
                    "jlink",
                    "a Java runtime with only the modules the app uses (jdeps), linked by jlink",
                    Base::Image(builder),
                )
                .step(Copy::from_stage("build", &[MODULES_FILE], MODULES_COPY))
                .step(Run::shell(runtime::jlink_command(version, MODULES_COPY))),
            );
        }

        let mut final_stage = Stage::new(
            "runtime",
            if jlink {
                "the final image: the app on its jlink runtime, as a non-root user"
            } else {
                "the final image: the app on a Java runtime, as a non-root user"
            },
            Base::Image(runtime.image),
        )
        .workdir(artifact::APP);
        if jlink {
            final_stage = final_stage
                .env("JAVA_HOME", runtime::JLINK_HOME)
                .env("PATH", runtime::JLINK_PATH)
                .step(Copy::from_stage(
                    "jlink",
                    &[runtime::JLINK_HOME],
                    runtime::JLINK_HOME,
                ));
        }
        for copy in artifact::runtime_copies(&project.packaging) {
            final_stage = final_stage.step(copy);
        }
        final_stage.image.user = Some(runtime::NONROOT.to_string());
        final_stage.image.entrypoint = Some(
            std::iter::once(runtime.java)
                .chain(jvm_flags)
                .chain(artifact::launch(&project.packaging))
                .collect(),
        );
        stages.push(final_stage);

        Ok(PresetPlan {
            stages,
            app_stages: vec!["runtime", "dev"],
            ignore: project.ignore,
            detected,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_versions() {
        assert_eq!(parse_java_version("17"), Some(17));
        assert_eq!(parse_java_version(" 1.8 "), Some(8));
        assert_eq!(parse_java_version("21.0.2"), Some(21));
        assert_eq!(parse_java_version("[17,)"), Some(17));
        assert_eq!(parse_java_version("[11,18)"), Some(11));
        assert_eq!(parse_java_version("1.5"), None);
        assert_eq!(parse_java_version("7"), None);
        assert_eq!(parse_java_version("${java.version}"), None);
        assert_eq!(parse_java_version("latest"), None);
    }

    #[test]
    fn jar_knob_values() {
        assert!(valid_jar("target/app.jar"));
        assert!(valid_jar("app/build/libs/app-*-all.jar"));
        assert!(!valid_jar("/abs/app.jar"));
        assert!(!valid_jar("../app.jar"));
        assert!(!valid_jar("target/app"));
        assert!(!valid_jar("target/a b.jar"));
        assert!(!valid_jar("target/$(id).jar"));
    }

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
