//! The runnable artifact: what the build writes (one runnable jar, a Spring Boot jar, or a jar
//! and its dependencies), how the build stage finds it and lays it out under [`OUT`], and how
//! the runtime image copies and starts it.
//!
//! A jar's name is not known before the build (it holds the version, a classifier, a
//! `finalName`), so a shell step picks it: the one fat jar (`-all`, `-jar-with-dependencies`,
//! `-shaded`), else the one jar left once sources, javadoc, tests, `-plain` and the shade
//! plugin's `original-` jars are set aside; zero or several fail the build with the list and
//! the knob to set.

use crate::ir::Copy;
use crate::shell::shell_quote;

/// Where the build stage puts what the runtime image copies.
pub(super) const OUT: &str = "/out";
/// The runnable jar (or, on the class path, the app's own jar).
pub(super) const OUT_JAR: &str = "/out/app.jar";
/// The dependencies' jars, when they are not inside the app's jar.
pub(super) const OUT_LIB: &str = "/out/lib";
/// A Spring Boot jar's layers, one folder each.
const OUT_LAYERS: &str = "/out/layers";
/// Where the app lives in the runtime image.
pub(super) const APP: &str = "/app";
/// Spring Boot's layers, in the order their COPY steps go (least to most often changed).
const BOOT_LAYERS: &[&str] = &[
    "dependencies",
    "spring-boot-loader",
    "snapshot-dependencies",
    "application",
];
/// Fat jars, by the classifier their plugin gives them (Shadow, assembly, shade attached).
const FAT_SUFFIXES: &[&str] = &["-all.jar", "-jar-with-dependencies.jar", "-shaded.jar"];
/// Jars that never run: sources, docs, tests, Spring Boot's plain jar, shade's original.
const NOT_RUNNABLE: &str =
    "*-sources.jar|*-javadoc.jar|*-tests.jar|*-test-fixtures.jar|*-plain.jar|*/original-*";

/// What the build makes and the runtime image runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Packaging {
    /// One jar that runs with `java -jar` (its dependencies inside, or none).
    Jar,
    /// A Spring Boot jar, extracted into its layers.
    Boot(BootLayout),
    /// The app's jar and its dependencies' jars, started by the main class. `lib`: the
    /// `installDist` folder holding `<name>/lib` (Gradle), or `None` when the build copies the
    /// dependencies to [`OUT_LIB`] itself (Maven).
    ClassPath {
        main_class: String,
        lib: Option<String>,
    },
}

/// How a Spring Boot jar is extracted, by Boot version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BootLayout {
    /// Boot 3.3 and later: `-Djarmode=tools`, an `app.jar` whose manifest names `lib/`.
    Tools,
    /// Boot 2.3 to 3.2: `-Djarmode=layertools`, started by the Boot launcher class.
    LayerTools { launcher: &'static str },
}

impl BootLayout {
    /// The layout for Spring Boot `version` (`None`: unknown, taken as current); `None` for
    /// versions before 2.3, whose jars have no layers.
    pub(crate) fn for_version(version: Option<&str>) -> Option<BootLayout> {
        let Some(v) = version else {
            return Some(BootLayout::Tools);
        };
        let mut parts = v.split(['.', '-']).map(|p| p.parse::<u32>().unwrap_or(0));
        let major = parts.next().unwrap_or(0);
        let minor = parts.next().unwrap_or(0);
        match (major, minor) {
            (0..=1, _) | (2, 0..=2) => None,
            (2, _) | (3, 0..=1) => Some(BootLayout::LayerTools {
                launcher: "org.springframework.boot.loader.JarLauncher",
            }),
            (3, 2) => Some(BootLayout::LayerTools {
                launcher: "org.springframework.boot.loader.launch.JarLauncher",
            }),
            _ => Some(BootLayout::Tools),
        }
    }
}

/// Shell commands (joined with `&&` into the build step) that copy the runnable jar to
/// [`OUT_JAR`]: see [`find_jar`].
pub(super) fn select_jar(pattern: Option<&str>, dirs: &[String]) -> Vec<String> {
    let mut out = find_jar(pattern, dirs);
    out.push(format!("mkdir -p {OUT}"));
    out.push(format!(r#"cp "$1" {OUT_JAR}"#));
    out
}

/// Shell commands that set `$1` to the runnable jar: the jar `pattern` names (a path or a
/// glob), or else the one the build wrote into `dirs`; they fail when there is not exactly one.
pub(super) fn find_jar(pattern: Option<&str>, dirs: &[String]) -> Vec<String> {
    let add = r#"if [ -f "$f" ]; then set -- "$@" "$f"; fi"#;
    let mut out = Vec::new();
    match pattern {
        Some(p) if !p.contains(['*', '?', '[']) => {
            // A path: a loop over one word is what shellcheck calls a mistake (SC2043).
            let path = shell_quote(p);
            out.push(format!("if [ -f {path} ]; then set -- {path}; fi"));
            out.push(format!(
                r#"if [ $# -ne 1 ]; then echo "stagegen: jar {p} is not a file the build wrote" >&2; exit 1; fi"#
            ));
        }
        Some(p) => {
            out.push(format!("for f in {p}; do {add}; done"));
            out.push(format!(
                r#"if [ $# -ne 1 ]; then echo "stagegen: jar {p} matches $# files, not one: $*" >&2; exit 1; fi"#
            ));
        }
        None => {
            let globs = |suffixes: &[&str]| -> String {
                dirs.iter()
                    .flat_map(|d| {
                        suffixes
                            .iter()
                            .map(move |s| format!("{}/*{s}", shell_quote(d)))
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let listed = dirs
                .iter()
                .map(|d| format!("{d}/"))
                .collect::<Vec<_>>()
                .join(" ");
            out.push(format!("for f in {}; do {add}; done", globs(FAT_SUFFIXES)));
            out.push(format!(
                "if [ $# -eq 0 ]; then for f in {}; do case $f in {NOT_RUNNABLE}) ;; *) {add} ;; esac; done; fi",
                globs(&[".jar"])
            ));
            out.push(format!(
                r#"if [ $# -ne 1 ]; then echo "stagegen: expected one runnable jar in {listed}, found $#: $*" >&2; echo "stagegen: name it with jar in [preset], e.g. jar = '{}/app.jar'" >&2; exit 1; fi"#,
                dirs.first().map(String::as_str).unwrap_or("target")
            ));
        }
    }
    out
}

/// Shell commands that lay the artifact out under [`OUT`] after [`select_jar`].
pub(super) fn lay_out(packaging: &Packaging) -> Vec<String> {
    match packaging {
        Packaging::Jar => Vec::new(),
        Packaging::Boot(layout) => {
            let extract = match layout {
                BootLayout::Tools => format!(
                    "java -Djarmode=tools -jar {OUT_JAR} extract --layers --destination {OUT_LAYERS}"
                ),
                BootLayout::LayerTools { .. } => format!(
                    "java -Djarmode=layertools -jar {OUT_JAR} extract --destination {OUT_LAYERS}"
                ),
            };
            // A layer with nothing in it (no snapshot dependencies) still gets its folder, so
            // every COPY of the runtime image finds one.
            let folders: Vec<String> = BOOT_LAYERS
                .iter()
                .map(|l| format!("{OUT_LAYERS}/{l}"))
                .collect();
            vec![extract, format!("mkdir -p {}", folders.join(" "))]
        }
        Packaging::ClassPath {
            lib: Some(install), ..
        } => vec![
            format!("cp -R {}/*/lib {OUT_LIB}", shell_quote(install)),
            // The app's own jar is in lib/ too: it is copied on its own, after the dependencies.
            format!(r#"rm -f "{OUT_LIB}/${{1##*/}}""#),
        ],
        Packaging::ClassPath { lib: None, .. } => vec![format!("mkdir -p {OUT_LIB}")],
    }
}

/// Where the jars `jdeps` reads are, and a folder of classes besides them.
pub(super) fn jdeps_inputs(packaging: &Packaging) -> (&'static str, Option<&'static str>) {
    match packaging {
        Packaging::Boot(BootLayout::Tools) => (OUT_LAYERS, None),
        Packaging::Boot(BootLayout::LayerTools { .. }) => {
            (OUT_LAYERS, Some("/out/layers/application/BOOT-INF/classes"))
        }
        _ => (OUT, None),
    }
}

/// The runtime image's copies from the `build` stage, dependencies first so that they keep
/// their layer when only the app changes.
pub(super) fn runtime_copies(packaging: &Packaging) -> Vec<Copy> {
    let app = |from: &str, to: String| Copy::from_stage("build", &[from], to);
    match packaging {
        Packaging::Jar => vec![app(OUT_JAR, format!("{APP}/app.jar"))],
        Packaging::Boot(_) => BOOT_LAYERS
            .iter()
            .map(|l| app(&format!("{OUT_LAYERS}/{l}/"), format!("{APP}/")))
            .collect(),
        Packaging::ClassPath { .. } => vec![
            app(&format!("{OUT_LIB}/"), format!("{APP}/lib/")),
            app(OUT_JAR, format!("{APP}/app.jar")),
        ],
    }
}

/// The words after `java` and its flags that start the app.
pub(super) fn launch(packaging: &Packaging) -> Vec<String> {
    match packaging {
        Packaging::Jar | Packaging::Boot(BootLayout::Tools) => {
            vec!["-jar".into(), format!("{APP}/app.jar")]
        }
        Packaging::Boot(BootLayout::LayerTools { launcher }) => {
            vec!["-cp".into(), APP.into(), launcher.to_string()]
        }
        Packaging::ClassPath { main_class, .. } => vec![
            "-cp".into(),
            format!("{APP}/app.jar:{APP}/lib/*"),
            main_class.clone(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boot_layout_by_version() {
        assert_eq!(BootLayout::for_version(None), Some(BootLayout::Tools));
        assert_eq!(
            BootLayout::for_version(Some("3.3.0")),
            Some(BootLayout::Tools)
        );
        assert_eq!(
            BootLayout::for_version(Some("4.0.0-M1")),
            Some(BootLayout::Tools)
        );
        assert!(matches!(
            BootLayout::for_version(Some("3.2.5")),
            Some(BootLayout::LayerTools { launcher }) if launcher.contains(".launch.")
        ));
        assert!(matches!(
            BootLayout::for_version(Some("2.7.18")),
            Some(BootLayout::LayerTools { launcher }) if !launcher.contains(".launch.")
        ));
        assert_eq!(BootLayout::for_version(Some("2.2.13.RELEASE")), None);
    }

    #[test]
    fn jar_search_lists_every_folder() {
        let cmds = select_jar(None, &["target".into(), "app/target".into()]);
        assert!(
            cmds[0].starts_with("for f in target/*-all.jar "),
            "{}",
            cmds[0]
        );
        assert!(
            cmds[1].contains("target/*.jar app/target/*.jar"),
            "{}",
            cmds[1]
        );
        assert!(cmds[2].contains("in target/ app/target/"), "{}", cmds[2]);
        let named = select_jar(Some("build/libs/app-*.jar"), &[]);
        assert!(named[0].starts_with("for f in build/libs/app-*.jar;"));
        assert_eq!(
            named.last().map(String::as_str),
            Some(r#"cp "$1" /out/app.jar"#)
        );
    }
}
