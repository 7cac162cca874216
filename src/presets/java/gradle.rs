//! Gradle: what the java preset reads of the build scripts (Groovy or Kotlin DSL), the settings
//! and the version catalog: the projects, the Java version (toolchain, release, compatibility),
//! the plugins that decide what the runnable artifact is (Spring Boot, Shadow, application)
//! and the files dependency resolution reads. Build scripts are programs; this reads the usual
//! declarative shapes and no more.

use super::{codes, parse_java_version, Packaging, Project, Tool};
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

const BUILD_FILES: &[&str] = &["build.gradle.kts", "build.gradle"];
const SETTINGS_FILES: &[&str] = &["settings.gradle.kts", "settings.gradle"];
/// Files besides the build scripts that change what resolves.
const CONFIG_FILES: &[&str] = &["gradle.properties", "gradle/libs.versions.toml"];
const CATALOG: &str = "gradle/libs.versions.toml";
/// Files of the Gradle wrapper (`gradlew`) besides the script; all are required.
const WRAPPER_FILES: &[&str] = &[
    "gradle/wrapper/gradle-wrapper.properties",
    "gradle/wrapper/gradle-wrapper.jar",
];
/// Builds Gradle compiles before it configures the project: their sources are inputs too.
const BUILD_SRC: &str = "buildSrc";
const BOOT_PLUGIN: &str = "org.springframework.boot";
const SHADOW_PLUGINS: &[&str] = &[
    "com.gradleup.shadow",
    "com.github.johnrengelman.shadow",
    "io.github.goooler.shadow",
];
const MAX_PROJECTS: usize = 200;

/// One project of the build: its folder (`""` for the root), its build script and its text.
struct GradleProject {
    dir: String,
    file: String,
    text: String,
}

impl GradleProject {
    /// Its Gradle path, `:a:b`.
    fn path(&self) -> String {
        format!(":{}", self.dir.replace('/', ":"))
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The build script of the project in `dir`, if it has one.
fn build_file(files: &ProjectFiles, dir: &str) -> Option<(String, String)> {
    BUILD_FILES.iter().find_map(|f| {
        let path = join(dir, f);
        files.read(&path).map(|text| (path, text))
    })
}

/// Line by line, without `//` comments (a `//` inside a string, as in a URL, is kept).
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(|line| {
        let mut quote: Option<char> = None;
        let bytes: Vec<char> = line.chars().collect();
        let mut cut = line.len();
        let mut offset = 0;
        for (i, c) in bytes.iter().enumerate() {
            match (quote, c) {
                (Some(q), c) if *c == q => quote = None,
                (None, '"' | '\'') => quote = Some(*c),
                (None, '/') if bytes.get(i + 1) == Some(&'/') => {
                    cut = offset;
                    break;
                }
                _ => {}
            }
            offset += c.len_utf8();
        }
        &line[..cut]
    })
}

/// The quoted strings of a line, in order (`'a'`, `"b"`).
fn quoted(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find(['"', '\'']) {
        let q = rest[start..].chars().next().unwrap_or('"');
        let after = &rest[start + 1..];
        let Some(end) = after.find(q) else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// The projects `include`d by the settings script, as folders (`:a:b` -> `a/b`).
fn includes(settings: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in code_lines(settings) {
        let t = line.trim_start();
        let Some(args) = t.strip_prefix("include") else {
            continue;
        };
        if !args.starts_with(['(', ' ', '"', '\'']) {
            continue; // includeBuild, includeFlat, ...
        }
        for name in quoted(args) {
            let dir = name.trim_start_matches(':').replace(':', "/");
            if safe_dir(&dir) && !out.contains(&dir) {
                out.push(dir);
            }
        }
    }
    out
}

/// The builds `includeBuild`-ed by the settings script (e.g. `build-logic`).
fn included_builds(settings: &str) -> Vec<String> {
    code_lines(settings)
        .filter_map(|l| l.trim_start().strip_prefix("includeBuild"))
        .filter_map(|args| {
            quoted(args)
                .first()
                .map(|s| s.trim_start_matches("./").to_string())
        })
        .map(|d| d.trim_end_matches('/').to_string())
        .filter(|d| safe_dir(d) && !d.split('/').any(|p| p == ".."))
        .collect()
}

fn safe_dir(dir: &str) -> bool {
    !dir.is_empty()
        && !dir.starts_with('/')
        && !dir.split('/').any(|p| p == ".." || p.is_empty())
        && dir
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
}

/// The number right after `marker` (skipping spaces, `=`, `(`, quotes), e.g. `17` in
/// `JavaLanguageVersion.of(17)` or `1_8` in `VERSION_1_8`.
fn number_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    text.match_indices(marker)
        .find_map(|(i, _)| leading_number(&text[i + marker.len()..]))
}

/// The number `text` starts with, after spaces, `=`, `(` and quotes.
fn leading_number(text: &str) -> Option<&str> {
    let rest = text.trim_start_matches([' ', '=', '(', '"', '\'']);
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(rest.len());
    let n = &rest[..end];
    n.starts_with(|c: char| c.is_ascii_digit()).then_some(n)
}

/// The Java version a build script asks for, and the setting that says so.
fn java_version(text: &str) -> Option<(u32, &'static str)> {
    const MARKERS: &[(&str, &str)] = &[
        ("JavaLanguageVersion.of", "java toolchain languageVersion"),
        ("jvmToolchain", "jvmToolchain"),
        ("release.set", "options.release"),
        ("release =", "options.release"),
        ("targetCompatibility", "targetCompatibility"),
        ("sourceCompatibility", "sourceCompatibility"),
    ];
    MARKERS.iter().find_map(|(marker, what)| {
        let found = text.match_indices(marker).find_map(|(i, _)| {
            let after = &text[i + marker.len()..];
            // `= JavaVersion.VERSION_17`, `JavaVersion.toVersion(17)` or a plain number.
            let line = after.lines().next().unwrap_or("");
            let n = number_after(line, "VERSION_")
                .or_else(|| number_after(line, "toVersion"))
                .or_else(|| leading_number(after))?;
            parse_java_version(&n.replace('_', "."))
        });
        found.map(|v| (v, *what))
    })
}

/// Does `text` apply the plugin with one of `ids` (by id, or by its catalog alias)?
fn applies(text: &str, ids: &[&str], catalog: &str) -> bool {
    let aliases = catalog_aliases(catalog, ids);
    code_lines(text).any(|line| {
        let by_id = quoted(line).iter().any(|q| ids.contains(q));
        let by_alias = aliases
            .iter()
            .any(|a| line.contains(&format!("alias(libs.plugins.{a})")));
        (by_id || by_alias) && !line.contains("apply false")
    })
}

/// Accessors (`spring.boot`) of the catalog's `[plugins]` entries with one of `ids`.
fn catalog_aliases(catalog: &str, ids: &[&str]) -> Vec<String> {
    let mut in_plugins = false;
    let mut out = Vec::new();
    for line in catalog.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_plugins = t == "[plugins]";
            continue;
        }
        if !in_plugins {
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            continue;
        };
        let names_id = |q: &&str| {
            ids.iter()
                .any(|id| q == id || q.starts_with(&format!("{id}:")))
        };
        if quoted(value).iter().any(names_id) {
            out.push(key.trim().replace(['-', '_'], "."));
        }
    }
    out
}

/// The Spring Boot version: from a `version` beside the plugin id in a script, the catalog, or
/// the buildscript classpath.
fn boot_version(texts: &[&str], catalog: &str) -> Option<String> {
    for text in texts {
        for line in code_lines(text) {
            if quoted(line).contains(&BOOT_PLUGIN) {
                if let Some(v) = line
                    .split("version")
                    .nth(1)
                    .and_then(|rest| quoted(rest).first().map(|s| s.to_string()))
                {
                    return Some(v);
                }
            }
            for q in quoted(line) {
                if let Some(v) =
                    q.strip_prefix("org.springframework.boot:spring-boot-gradle-plugin:")
                {
                    return Some(v.to_string());
                }
            }
        }
    }
    catalog_boot_version(catalog)
}

/// The Spring Boot version of the catalog's plugin entry:
/// `spring-boot = { id = "org.springframework.boot", version.ref = "boot" }`.
fn catalog_boot_version(catalog: &str) -> Option<String> {
    let mut versions: Vec<(String, String)> = Vec::new();
    let mut section = String::new();
    let mut entry: Option<String> = None;
    for line in catalog.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t.to_string();
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            continue;
        };
        match section.as_str() {
            "[versions]" => {
                if let Some(v) = quoted(value).first() {
                    versions.push((key.trim().to_string(), v.to_string()));
                }
            }
            "[plugins]" => {
                let q = quoted(value);
                if let Some(v) = q.iter().find_map(|s| {
                    s.strip_prefix(BOOT_PLUGIN)
                        .and_then(|r| r.strip_prefix(':'))
                }) {
                    entry = Some(v.to_string()); // `spring-boot = "org.springframework.boot:3.3.1"`
                } else if q.contains(&BOOT_PLUGIN) {
                    entry = match value.find("version.ref") {
                        Some(pos) => quoted(&value[pos..]).first().map(|s| format!("ref:{s}")),
                        None => value
                            .find("version")
                            .and_then(|pos| quoted(&value[pos..]).first().map(|s| s.to_string())),
                    };
                }
            }
            _ => {}
        }
    }
    match entry {
        Some(e) => match e.strip_prefix("ref:") {
            Some(r) => versions.into_iter().find(|(k, _)| k == r).map(|(_, v)| v),
            None => Some(e),
        },
        None => None,
    }
}

/// Does the script apply the `application` plugin? (`plugins { application }`, `id 'application'`,
/// `id("application")`, `apply plugin: 'application'`; not the `application { }` settings block.)
fn applies_application(text: &str) -> bool {
    code_lines(text).any(|line| {
        let t = line.trim();
        let by_id =
            quoted(t).contains(&"application") && (t.contains("id") || t.contains("plugin:"));
        let bare = t.strip_prefix("plugins").unwrap_or(t).trim();
        let bare = bare.strip_prefix('{').unwrap_or(bare).trim();
        let bare = bare.strip_suffix('}').unwrap_or(bare).trim();
        by_id || bare.trim_matches('`') == "application"
    })
}

/// The main class of the `application` block: `mainClass = "a.B"`, `mainClass.set("a.B")`,
/// or the older `mainClassName = 'a.B'`.
fn main_class(text: &str) -> Option<String> {
    code_lines(text).find_map(|line| {
        let i = line.find("mainClass")?;
        let rest = line[i + "mainClass".len()..].trim_start();
        let rest = rest.strip_prefix("Name").unwrap_or(rest).trim_start();
        let rest = rest
            .strip_prefix(".set")
            .or_else(|| rest.strip_prefix('='))?;
        quoted(rest)
            .first()
            .filter(|m| super::maven::is_class_name(m))
            .map(|m| m.to_string())
    })
}

/// Read the Gradle build in `files`.
pub(super) fn read(files: &ProjectFiles) -> Project {
    let mut project = Project::new(Tool::Gradle);
    let settings = SETTINGS_FILES
        .iter()
        .find_map(|f| files.read(f).map(|t| (f.to_string(), t)));
    let settings_text = settings.as_ref().map(|s| s.1.as_str()).unwrap_or("");
    let catalog = files.read(CATALOG).unwrap_or_default();
    let projects = projects(files, settings_text);
    let first_file = projects
        .first()
        .map(|p| p.file.clone())
        .or_else(|| settings.as_ref().map(|s| s.0.clone()))
        .unwrap_or_else(|| "build.gradle".to_string());
    project
        .detected
        .push(format!("build tool gradle ({first_file})"));
    wrapper(files, &mut project);
    let settings_file = settings.as_ref().map(|s| s.0.as_str());
    (project.inputs, project.ignore) = inputs(
        files,
        settings_file,
        settings_text,
        &projects,
        project.wrapper,
    );
    project.java = projects
        .iter()
        .find_map(|p| java_version(&p.text).map(|(v, what)| (v, format!("{} `{what}`", p.file))));
    let texts: Vec<&str> = projects
        .iter()
        .map(|p| p.text.as_str())
        .chain(std::iter::once(settings_text))
        .collect();
    let app = app_projects(&projects, &texts, &catalog, &mut project);
    project.jar_dirs = app.iter().map(|p| join(&p.dir, "build/libs")).collect();
    if project.jar_dirs.is_empty() {
        project.jar_dirs.push("build/libs".to_string());
    }
    project.resolve = std::iter::once("dependencies".to_string())
        .chain(
            projects
                .iter()
                .skip(1)
                .map(|p| format!("{}:dependencies", p.path())),
        )
        .collect();
    project
}

/// The root project and the projects the settings script includes, those with a build script.
fn projects(files: &ProjectFiles, settings_text: &str) -> Vec<GradleProject> {
    let mut projects: Vec<GradleProject> = Vec::new();
    if let Some((file, text)) = build_file(files, "") {
        projects.push(GradleProject {
            dir: String::new(),
            file,
            text,
        });
    }
    for dir in includes(settings_text).into_iter().take(MAX_PROJECTS) {
        if let Some((file, text)) = build_file(files, &dir) {
            projects.push(GradleProject { dir, file, text });
        }
    }
    projects
}

/// The Gradle wrapper (`gradlew`), when there is one, and the files it cannot run without.
fn wrapper(files: &ProjectFiles, project: &mut Project) {
    project.wrapper = files.is_file("gradlew");
    if !project.wrapper {
        return;
    }
    project
        .detected
        .push("gradle wrapper (gradlew)".to_string());
    for f in WRAPPER_FILES {
        if !files.is_file(f) {
            project.errors.push(
                PresetError::new(
                    codes::WRAPPER_INCOMPLETE,
                    Blame::Table,
                    format!("`gradlew` is there but `{f}` is missing"),
                )
                .help("restore the wrapper with `gradle wrapper`, or delete `gradlew` to build with the gradle image"),
            );
        }
    }
}

/// What dependency resolution reads (the settings, every build script, the catalog, the
/// properties, the wrapper, and the builds Gradle compiles first: buildSrc, includeBuild), and
/// the folders the build writes, for `.dockerignore`.
fn inputs(
    files: &ProjectFiles,
    settings_file: Option<&str>,
    settings_text: &str,
    projects: &[GradleProject],
    wrapper: bool,
) -> (Vec<String>, Vec<String>) {
    let mut inputs: Vec<String> = Vec::new();
    if wrapper {
        inputs.push("gradlew".to_string());
    }
    if let Some(file) = settings_file {
        inputs.push(file.to_string());
    }
    inputs.extend(projects.iter().map(|p| p.file.clone()));
    for f in CONFIG_FILES
        .iter()
        .chain(if wrapper { WRAPPER_FILES } else { &[] })
    {
        if files.is_file(f) {
            inputs.push(f.to_string());
        }
    }
    let mut ignore = vec![
        "build".to_string(),
        ".gradle".to_string(),
        ".kotlin".to_string(),
    ];
    ignore.extend(projects.iter().skip(1).map(|p| join(&p.dir, "build")));
    let mut builds: Vec<String> = included_builds(settings_text);
    if files.is_dir(BUILD_SRC) {
        builds.insert(0, BUILD_SRC.to_string());
    }
    for b in builds.iter().filter(|b| files.is_dir(b)) {
        inputs.push(format!("{b}/"));
        ignore.push(format!("{b}/build"));
        ignore.push(format!("{b}/.gradle"));
    }
    (inputs, ignore)
}

/// The projects whose jars are the app's, and what kind of jar it is (Spring Boot, Shadow, the
/// application plugin's distribution); what makes it unrunnable goes to `project.unrunnable`.
fn app_projects<'a>(
    projects: &'a [GradleProject],
    texts: &[&str],
    catalog: &str,
    project: &mut Project,
) -> Vec<&'a GradleProject> {
    let boot: Vec<&GradleProject> = projects
        .iter()
        .filter(|p| applies(&p.text, &[BOOT_PLUGIN], catalog))
        .collect();
    let shadow: Vec<&GradleProject> = projects
        .iter()
        .filter(|p| applies(&p.text, SHADOW_PLUGINS, catalog))
        .collect();
    let application: Vec<&GradleProject> = projects
        .iter()
        .filter(|p| applies_application(&p.text))
        .collect();
    if !boot.is_empty() {
        let version = boot_version(texts, catalog);
        project.spring_boot(version.as_deref(), &boot[0].file);
        project.dev = Some(vec!["bootRun".into()]);
        boot
    } else if !shadow.is_empty() {
        project.detected.push(format!(
            "a jar with its dependencies inside (shadow plugin in {})",
            shadow[0].file
        ));
        shadow
    } else if let [one] = application.as_slice() {
        application_plugin(one, project);
        application
    } else if application.len() > 1 {
        project.unrunnable.push(several_applications(&application));
        application
    } else {
        projects.iter().collect()
    }
}

/// The one project that applies the `application` plugin: its distribution, by its main class.
fn application_plugin(one: &GradleProject, project: &mut Project) {
    match main_class(&one.text) {
        Some(main) => {
            project.detected.push(format!(
                "application plugin, main class {main} ({}): the jar and its dependencies from installDist",
                one.file
            ));
            project.packaging = Packaging::ClassPath {
                main_class: main,
                lib: Some(join(&one.dir, "build/install")),
            };
            project.build = vec!["installDist".into()];
            project.dev = Some(vec!["run".into()]);
        }
        None => project.unrunnable.push(
            PresetError::new(
                codes::NO_MAIN_CLASS,
                Blame::Table,
                format!("`{}` applies the `application` plugin but names no main class", one.file),
            )
            .help("set it in the script, `application { mainClass = \"com.example.Main\" }`, or name a runnable jar with `jar`"),
        ),
    }
}

fn several_applications(application: &[&GradleProject]) -> PresetError {
    PresetError::new(
        codes::SEVERAL_APPS,
        Blame::Table,
        format!(
            "several projects apply the `application` plugin: {}",
            application
                .iter()
                .map(|p| format!("`{}`", p.path()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .help(format!(
        "the java preset builds one app: name the runnable (fat) jar of the one to build with `jar` in `[preset]`, e.g. `jar = \"{}/build/libs/*-all.jar\"`",
        application
            .first()
            .map_or("app".to_string(), |p| p.path().trim_start_matches(':').replace(':', "/"))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_includes_and_included_builds() {
        let settings = r#"
rootProject.name = "demo" // include("commented")
include("app", ":lib:core")
include 'tools'
includeBuild("build-logic")
includeFlat 'sibling'
"#;
        assert_eq!(includes(settings), ["app", "lib/core", "tools"]);
        assert_eq!(included_builds(settings), ["build-logic"]);
        assert_eq!(includes("include '../escape'"), Vec::<String>::new());
    }

    #[test]
    fn java_versions_in_their_usual_shapes() {
        let v = |t: &str| java_version(t).map(|x| x.0);
        assert_eq!(
            v("java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }"),
            Some(21)
        );
        assert_eq!(
            v("java {\n  toolchain {\n    languageVersion.set(JavaLanguageVersion.of(17))\n  }\n}"),
            Some(17)
        );
        assert_eq!(v("kotlin { jvmToolchain(17) }"), Some(17));
        assert_eq!(v("sourceCompatibility = JavaVersion.VERSION_1_8"), Some(8));
        assert_eq!(v("sourceCompatibility = '11'"), Some(11));
        assert_eq!(
            v("java.targetCompatibility = JavaVersion.toVersion(\"17\")"),
            Some(17)
        );
        assert_eq!(
            v("tasks.withType(JavaCompile) { options.release = 21 }"),
            Some(21)
        );
        assert_eq!(v("dependencies { implementation 'a:b:1.0' }"), None);
    }

    #[test]
    fn plugins_by_id_alias_and_shape() {
        let catalog = "[versions]\nboot = \"3.3.1\"\n[plugins]\nspring-boot = { id = \"org.springframework.boot\", version.ref = \"boot\" }\n";
        assert!(applies(
            "plugins {\n  id 'org.springframework.boot' version '3.2.0'\n}",
            &[BOOT_PLUGIN],
            ""
        ));
        assert!(applies(
            "plugins { alias(libs.plugins.spring.boot) }",
            &[BOOT_PLUGIN],
            catalog
        ));
        assert!(!applies(
            "id(\"org.springframework.boot\") version \"3.3.0\" apply false",
            &[BOOT_PLUGIN],
            ""
        ));
        assert!(!applies(
            "implementation(\"org.springframework.boot:spring-boot-starter\")",
            &[BOOT_PLUGIN],
            ""
        ));
        assert_eq!(
            boot_version(&["id 'org.springframework.boot' version '3.2.0'"], "").as_deref(),
            Some("3.2.0")
        );
        assert_eq!(
            boot_version(&["plugins { alias(libs.plugins.spring.boot) }"], catalog).as_deref(),
            Some("3.3.1")
        );
        assert_eq!(
            boot_version(
                &["classpath(\"org.springframework.boot:spring-boot-gradle-plugin:2.7.18\")"],
                ""
            )
            .as_deref(),
            Some("2.7.18")
        );
        assert!(applies_application("plugins {\n    application\n}"));
        assert!(applies_application(
            "plugins { id 'java' }\napply plugin: 'application'"
        ));
        assert!(applies_application("plugins {\n  id(\"application\")\n}"));
        assert!(!applies_application(
            "application {\n  mainClass = 'a.B'\n}"
        ));
    }

    #[test]
    fn main_class_shapes() {
        assert_eq!(
            main_class("application {\n  mainClass = 'a.B'\n}").as_deref(),
            Some("a.B")
        );
        assert_eq!(
            main_class("application { mainClass.set(\"a.B\") }").as_deref(),
            Some("a.B")
        );
        assert_eq!(
            main_class("mainClassName = \"x.Y\"").as_deref(),
            Some("x.Y")
        );
        assert_eq!(main_class("// mainClass = 'no.Comment'"), None);
    }

    #[test]
    fn comments_end_at_double_slash_outside_strings() {
        let lines: Vec<&str> = code_lines("url 'https://x' // c\n// all").collect();
        assert_eq!(lines, ["url 'https://x' ", ""]);
    }
}
