//! The Java preset's settings step: its options and the app's build files -> [`JavaSettings`],
//! or every error at once. `stagegen dockerfile` and `stagegen init` both start here, so they
//! pick the build tool, the jar and the main class by the same rules.

use super::artifact::{Packaging, OUT_LIB};
use super::default_base::{default_flavour, default_jlink};
use super::procfile::{self, JavaProcfile};
use super::project::{Project, Tool};
use super::runtime::{self, Runtime};
use super::spring_port::{self, PortSetting};
use super::version::{self, Chosen};
use super::{checks, codes, gradle, maven};
use super::{DEFAULT_JVM_FLAGS, DEFAULT_PORT, DEFAULT_VERSION, OLDEST_JLINK_VERSION};
use crate::presets::common::{check_packages, no_apt_at_run_time, Flavour};
use crate::presets::java::options::TomlJavaOptions;
use crate::presets::{Blame, Context, KnobValue, PresetError};
use crate::project::ProjectFiles;

/// The files that make a Gradle build (`pom.xml` makes a Maven one).
pub(super) const GRADLE_FILES: &[&str] = &[
    "build.gradle",
    "build.gradle.kts",
    "settings.gradle",
    "settings.gradle.kts",
];

/// What the Java preset builds, worked out.
#[derive(Debug, Clone)]
pub(crate) struct JavaSettings {
    /// What was read of the build, with the knobs laid over it (a named jar, the class path).
    pub project: Project,
    /// The Java feature release the builder and the runtime are for.
    pub version: u32,
    /// `jar`: the runnable jar as the spec names it (a path or a glob).
    pub jar: Option<String>,
    pub jvm_flags: Vec<String>,
    pub jlink: bool,
    pub runtime: Runtime,
    /// The Procfile's process that starts the app, when the app has one.
    pub procfile: Option<JavaProcfile>,
    /// `PORT` in the image, for a Procfile `web` process that reads it (the platform's wins).
    pub port_env: Option<u16>,
    /// The port a Spring Boot app listens on when the platform sets no `PORT`, when the
    /// entrypoint makes it follow `PORT` (see [`spring_port`]).
    pub boot_port: Option<u16>,
    /// What was read, one line each, for the plan and for init.
    pub detected: Vec<String>,
}

/// A Spring Boot app listens on `$PORT` when the platform sets it: the flag goes first, so
/// `jvm-flags` can still override it.
fn boot_port(
    files: &ProjectFiles,
    jvm_flags: &mut Vec<String>,
    detected: &mut Vec<String>,
) -> Option<u16> {
    match spring_port::setting(files, jvm_flags)? {
        PortSetting::ReadsPort { file } => {
            detected.push(format!(
                "Spring Boot `server.port` reads `PORT` ({file}): it listens where the platform says"
            ));
            None
        }
        PortSetting::Flag {
            flag,
            fallback,
            port,
            from,
        } => {
            let from = from.map_or("Spring Boot's default".to_string(), |f| {
                format!("`server.port` of {f}")
            });
            let from = format!("`{fallback}` ({from})");
            detected.push(format!(
                "Spring Boot listens on `$PORT` when the platform sets it, else on {from}: `{flag}` (`SERVER_PORT` and `--server.port` still win)"
            ));
            jvm_flags.insert(0, flag);
            port
        }
    }
}

/// Work out the settings, or every error at once.
pub(super) fn settings(
    o: &TomlJavaOptions,
    cx: &Context<'_>,
) -> Result<JavaSettings, Vec<PresetError>> {
    let tool = checks::tool(o)
        .and_then(|named| tool(named, o, cx.files))
        .map_err(|e| vec![e])?;
    let mut project = match tool {
        Tool::Maven => maven::read(cx.files),
        Tool::Gradle => gradle::read(cx.files),
    };
    let mut errors = std::mem::take(&mut project.errors);
    let procfile = procfile::read(cx.files).and_then(|p| p.map_err(|e| errors.push(e)).ok());
    // The Procfile's jar runs as `jar` names one; a thin jar beside its dependencies (the class
    // path) is the same jar, started with them.
    let procfile_jar = procfile
        .as_ref()
        .filter(|_| !matches!(project.packaging, Packaging::ClassPath { .. }))
        .map(|p| p.jar.clone());
    let named_jar = o.jar.clone().or(procfile_jar);
    if named_jar.is_none() {
        errors.append(&mut project.unrunnable);
    }
    let version = version(o, &project, cx.files, &mut errors);
    let mut detected = detected(&mut project, &version);
    let version = version.version;
    let jar = jar(o, named_jar, &mut project, &mut errors);
    class_path_build(&mut project);
    let mut jvm_flags = jvm_flags(o, &mut errors);
    if let Some(p) = &procfile {
        jvm_flags.extend(p.flags.iter().cloned());
        detected.extend(procfile::detected(p));
    }
    let boot_port = match (&procfile, &project.packaging) {
        (None, Packaging::Boot(_)) => boot_port(cx.files, &mut jvm_flags, &mut detected),
        _ => None,
    };
    let spring_boot = matches!(project.packaging, Packaging::Boot(_));
    let jlink = jlink(
        o,
        (version, spring_boot),
        cx.base,
        &mut errors,
        &mut detected,
    );
    let flavour = match cx.base {
        Some(base) => Some(Flavour::named(base)),
        None => {
            let (flavour, why) = default_flavour(version, jlink, procfile.as_ref(), cx);
            detected.extend(why);
            flavour
        }
    };
    let runtime = runtime::runtime(flavour.as_ref(), version, jlink)
        .map_err(|e| errors.push(e))
        .ok();
    packages(cx, flavour.as_ref(), runtime.as_ref(), &mut errors);
    if matches!(flavour, Some(Flavour::Distroless)) {
        errors.extend(
            procfile
                .as_ref()
                .and_then(|p| procfile::needs_shell(p, "distroless")),
        );
    }
    let port_env = procfile
        .as_ref()
        .filter(|p| p.process == "web" && p.reads_port)
        .map(|_| {
            detected.push(format!(
                "`PORT` is {DEFAULT_PORT} unless the platform sets it (the Procfile's `web` process reads it)"
            ));
            DEFAULT_PORT
        });
    match runtime {
        Some(runtime) if errors.is_empty() => Ok(JavaSettings {
            project,
            version,
            jar,
            jvm_flags,
            jlink,
            runtime,
            procfile,
            port_env,
            boot_port,
            detected,
        }),
        _ => Err(errors),
    }
}

/// The build tool: the one `package-manager` names, else the one whose files the app has.
fn tool(
    named: Option<Tool>,
    o: &TomlJavaOptions,
    files: &ProjectFiles,
) -> Result<Tool, PresetError> {
    let has_pom = files.is_file("pom.xml");
    let has_gradle = GRADLE_FILES.iter().any(|f| files.is_file(f));
    match (named, has_pom, has_gradle) {
        (Some(Tool::Maven), true, _) => Ok(Tool::Maven),
        (Some(Tool::Gradle), _, true) => Ok(Tool::Gradle),
        (Some(named), _, _) => Err(build_file_missing(o, named)),
        (None, true, false) => Ok(Tool::Maven),
        (None, false, true) => Ok(Tool::Gradle),
        (None, true, true) => Err(maven_and_gradle(files)),
        (None, false, false) => Err(no_build_file(files)),
    }
}

fn build_file_missing(o: &TomlJavaOptions, named: Tool) -> PresetError {
    let file = match named {
        Tool::Gradle => "build.gradle` or `build.gradle.kts",
        Tool::Maven => "pom.xml",
    };
    let pm = o.package_manager.as_deref().unwrap_or_default();
    PresetError::new(
        codes::BUILD_FILE_MISSING,
        Blame::Knob("package-manager"),
        format!("`package-manager = \"{pm}\"` but the build context has no `{file}`"),
    )
    .help("point `context` at the project's folder, or remove `package-manager` to detect the build tool")
}

/// Both builds: an ambiguity `stagegen init` settles with Maven (as it always has), so that
/// `--package-manager gradle` chooses the other.
fn maven_and_gradle(files: &ProjectFiles) -> PresetError {
    let gradle = GRADLE_FILES
        .iter()
        .find(|f| files.is_file(f))
        .unwrap_or(&GRADLE_FILES[0]);
    PresetError::new(
        codes::MAVEN_AND_GRADLE,
        Blame::Table,
        format!("the app has both a Maven build (`pom.xml`) and a Gradle build (`{gradle}`)"),
    )
    .help("choose one with `package-manager = \"maven\"` or `\"gradle\"` in `[preset]`")
    .choice(
        "package-manager",
        KnobValue::Text("maven".into()),
        "pom.xml and a Gradle build: pass --package-manager gradle for the other",
    )
}

fn no_build_file(files: &ProjectFiles) -> PresetError {
    PresetError::new(
        codes::NO_BUILD_FILE,
        Blame::Table,
        format!(
            "no `pom.xml`, `build.gradle` or `build.gradle.kts` in the build context `{}`",
            files.root().display()
        ),
    )
    .help(
        "the java preset builds Maven and Gradle projects: point `context` at the project's folder",
    )
}

/// The Java version, and why (see [`version::choose`] for the order).
fn version(
    o: &TomlJavaOptions,
    project: &Project,
    files: &ProjectFiles,
    errors: &mut Vec<PresetError>,
) -> Chosen {
    let knob = checks::version(o).unwrap_or_else(|e| {
        errors.push(e);
        Some(DEFAULT_VERSION)
    });
    version::choose(
        knob,
        project.java.as_ref(),
        version::pinned_jdk(files),
        DEFAULT_VERSION,
    )
}

/// What was read, one line each: the Java version and the builder it picks (unless the knob
/// names the version), what the build reader found, how dependencies are resolved.
fn detected(project: &mut Project, version: &Chosen) -> Vec<String> {
    let mut detected = Vec::new();
    if let Some(why) = &version.why {
        detected.push(format!(
            "java {} ({why}): builder {}",
            version.version,
            project.builder(version.version)
        ));
    }
    detected.extend(version.note.clone());
    detected.append(&mut project.detected);
    detected.push("dependencies resolve in their own layer, keyed on the build files only".into());
    detected
}

/// The jar `jar` names runs as it is (a Spring Boot jar is still split into its layers), so a
/// Gradle build makes it with `assemble`, whatever its plugins would otherwise ask.
fn jar(
    o: &TomlJavaOptions,
    named: Option<String>,
    project: &mut Project,
    errors: &mut Vec<PresetError>,
) -> Option<String> {
    if let Some(e) = checks::jar(o) {
        errors.push(e);
        return None;
    }
    let jar = named?;
    if !matches!(project.packaging, Packaging::Boot(_)) {
        project.packaging = Packaging::Jar;
        if project.tool == Tool::Gradle {
            project.build = vec!["assemble".into()];
        }
    }
    Some(jar)
}

/// A Maven jar run on the class path: the build also copies its runtime dependencies.
fn class_path_build(project: &mut Project) {
    if let (Tool::Maven, Packaging::ClassPath { .. }) = (project.tool, &project.packaging) {
        project.build = vec![
            "package".into(),
            "dependency:copy-dependencies".into(),
            "-DskipTests".into(),
            "-DincludeScope=runtime".into(),
            format!("-DoutputDirectory={OUT_LIB}"),
        ];
    }
}

fn jvm_flags(o: &TomlJavaOptions, errors: &mut Vec<PresetError>) -> Vec<String> {
    let flags: Vec<String> = match &o.jvm_flags {
        Some(flags) => flags.clone(),
        None => DEFAULT_JVM_FLAGS.iter().map(|s| s.to_string()).collect(),
    };
    errors.extend(checks::jvm_flags(&flags));
    flags
}

/// `jlink` as set, else the default for the version, the build and `base` (said in `detected`).
fn jlink(
    o: &TomlJavaOptions,
    (version, spring_boot): (u32, bool),
    base: Option<&str>,
    errors: &mut Vec<PresetError>,
    detected: &mut Vec<String>,
) -> bool {
    let Some(jlink) = o.jlink else {
        let (jlink, why) = default_jlink(version, spring_boot, base);
        detected.extend(why);
        return jlink;
    };
    if jlink && version < OLDEST_JLINK_VERSION {
        errors.push(
            PresetError::new(
                codes::JLINK_TOO_OLD,
                Blame::Knob("jlink"),
                format!("`jlink` needs Java {OLDEST_JLINK_VERSION} or later, and the app is built for Java {version}"),
            )
            .help("raise `version`, or turn `jlink` off"),
        );
    }
    jlink
}

/// `system-packages` go to the builder images (maven, gradle and temurin images are Ubuntu's,
/// with apt); `runtime-packages` need apt in the final image, which distroless and Alpine lack.
fn packages(
    cx: &Context<'_>,
    flavour: Option<&Flavour>,
    runtime: Option<&Runtime>,
    errors: &mut Vec<PresetError>,
) {
    check_packages("system-packages", &cx.common.system_packages, errors);
    check_packages("runtime-packages", &cx.common.runtime_packages, errors);
    let no_apt = runtime.is_some_and(|r| !r.apt);
    if !cx.common.runtime_packages.is_empty() && no_apt {
        let flavour = flavour.map_or("the runtime image", Flavour::name);
        errors.push(no_apt_at_run_time(flavour).help(
            "leave `base` out for the JRE image (Ubuntu's, with apt), or set `jlink = true` with `base = \"slim\"` in `[runtime]`, or remove `runtime-packages`",
        ));
    }
}
