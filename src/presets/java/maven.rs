//! Maven: what the java preset reads of `pom.xml` and the poms of its modules: the Java
//! version, the plugins that decide what the build's runnable artifact is (Spring Boot, shade,
//! assembly), the main class, and the files dependency resolution reads.

use std::collections::BTreeMap;

use super::xml::{self, Element};
use super::{codes, parse_java_version, Packaging, Project, Tool};
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// Files of the Maven wrapper (`mvnw`) besides the script; the first one is required.
const WRAPPER_FILES: &[&str] = &[
    ".mvn/wrapper/maven-wrapper.properties",
    ".mvn/wrapper/maven-wrapper.jar",
];
/// Maven configuration files that change how dependencies resolve.
const CONFIG_FILES: &[&str] = &[
    ".mvn/extensions.xml",
    ".mvn/maven.config",
    ".mvn/jvm.config",
];
/// Plugins that make the build's jar runnable on its own, with its dependencies inside.
const FAT_JAR_PLUGINS: &[&str] = &["maven-shade-plugin", "maven-assembly-plugin"];
const BOOT_PLUGIN: &str = "spring-boot-maven-plugin";
/// Properties that name the main class (Spring Boot's, the exec plugin's, common ones).
const MAIN_CLASS_PROPERTIES: &[&str] =
    &["start-class", "exec.mainClass", "main.class", "mainClass"];
const BOOT_GROUP: &str = "org.springframework.boot";
/// Parents and BOMs that carry the Spring Boot version.
const BOOT_PARENTS: &[&str] = &[
    "spring-boot-starter-parent",
    "spring-boot-parent",
    "spring-boot-dependencies",
];
/// How deep `<modules>` nest, and how many poms are read, at most.
const MAX_DEPTH: usize = 4;
const MAX_POMS: usize = 200;

/// One pom of the build: its folder (`""` for the root) and its document.
struct Pom {
    dir: String,
    doc: Element,
    props: BTreeMap<String, String>,
}

impl Pom {
    fn file(&self) -> String {
        join(&self.dir, "pom.xml")
    }

    /// `${name}` references replaced by the pom's properties (a few rounds, for nesting).
    fn interpolate(&self, value: &str) -> String {
        let mut out = value.trim().to_string();
        for _ in 0..5 {
            let Some(start) = out.find("${") else { break };
            let Some(len) = out[start..].find('}') else {
                break;
            };
            let name = &out[start + 2..start + len];
            let Some(v) = self.property(name) else { break };
            out.replace_range(start..start + len + 1, &v);
        }
        out
    }

    fn property(&self, name: &str) -> Option<String> {
        if let Some(v) = self.props.get(name) {
            return Some(v.clone());
        }
        let field = name.strip_prefix("project.")?;
        self.doc
            .text_of(field)
            .or_else(|| self.doc.child("parent").and_then(|p| p.text_of(field)))
            .map(str::to_string)
    }

    /// The `<plugin>`s of `<build><plugins>` (not `pluginManagement`: those only configure).
    fn plugins(&self) -> Vec<&Element> {
        self.doc
            .at(&["build", "plugins"])
            .map(|p| p.children("plugin").collect())
            .unwrap_or_default()
    }

    fn plugin(&self, artifact: &str) -> Option<&Element> {
        self.plugins()
            .into_iter()
            .find(|p| p.text_of("artifactId") == Some(artifact))
    }

    /// A plugin's configuration, from `<plugins>` or else `<pluginManagement>`.
    fn plugin_config(&self, artifact: &str) -> Option<&Element> {
        let managed = self
            .doc
            .at(&["build", "pluginManagement", "plugins"])
            .and_then(|p| {
                p.children("plugin")
                    .find(|p| p.text_of("artifactId") == Some(artifact))
            });
        [self.plugin(artifact), managed]
            .into_iter()
            .flatten()
            .find_map(|p| p.child("configuration"))
    }

    fn packaging(&self) -> String {
        self.doc.text_of("packaging").unwrap_or("jar").to_string()
    }

    /// Dependencies the app needs at run time (not test, provided, system or import scope).
    fn has_runtime_dependencies(&self) -> bool {
        self.doc
            .child("dependencies")
            .map(|d| {
                d.children("dependency").any(|dep| {
                    matches!(
                        dep.text_of("scope").unwrap_or("compile"),
                        "compile" | "runtime"
                    )
                })
            })
            .unwrap_or(false)
    }

    /// The Java version this pom asks for, and the setting that says so.
    fn java_version(&self) -> Option<(u32, String)> {
        let toolchain = self
            .plugin_config("maven-toolchains-plugin")
            .and_then(|c| c.at(&["toolchains", "jdk"]))
            .and_then(|j| j.text_of("version"));
        let compiler = self.plugin_config("maven-compiler-plugin");
        let candidates: [(Option<String>, &str); 8] = [
            (toolchain.map(str::to_string), "maven-toolchains-plugin"),
            (
                self.prop("maven.compiler.release"),
                "maven.compiler.release",
            ),
            (conf(compiler, "release"), "maven-compiler-plugin <release>"),
            (self.prop("maven.compiler.target"), "maven.compiler.target"),
            (conf(compiler, "target"), "maven-compiler-plugin <target>"),
            (self.prop("maven.compiler.source"), "maven.compiler.source"),
            (conf(compiler, "source"), "maven-compiler-plugin <source>"),
            (self.prop("java.version"), "java.version"),
        ];
        candidates.into_iter().find_map(|(value, what)| {
            let value = self.interpolate(&value?);
            parse_java_version(&value).map(|v| (v, format!("{} `{what}`", self.file())))
        })
    }

    fn prop(&self, name: &str) -> Option<String> {
        self.props.get(name).cloned()
    }

    /// The Spring Boot version this pom's build uses, when it declares the Boot plugin.
    fn boot(&self) -> Option<Option<String>> {
        let plugin = self.plugin(BOOT_PLUGIN)?;
        let from_plugin = plugin.text_of("version").map(str::to_string);
        let from_parent = self
            .doc
            .child("parent")
            .filter(|p| is_boot_parent(p))
            .and_then(|p| p.text_of("version"))
            .map(str::to_string);
        let from_bom = self
            .doc
            .at(&["dependencyManagement", "dependencies"])
            .and_then(|d| d.children("dependency").find(|d| is_boot_parent(d)))
            .and_then(|d| d.text_of("version"))
            .map(str::to_string);
        let version = from_plugin
            .or(from_parent)
            .or(from_bom)
            .or_else(|| self.prop("spring-boot.version"))
            .map(|v| self.interpolate(&v))
            .filter(|v| !v.contains("${"));
        Some(version)
    }

    /// The main class the pom names, as written: a `start-class` or `exec.mainClass` property,
    /// else the first `<mainClass>` of any plugin's configuration (jar manifest, shade, exec,
    /// Spring Boot).
    fn declared_main_class(&self) -> Option<String> {
        let from_props = MAIN_CLASS_PROPERTIES.iter().find_map(|p| self.prop(p));
        let from_plugins = || {
            self.doc
                .child("build")
                .into_iter()
                .flat_map(|b| b.descendants())
                .find(|e| e.name == "mainClass" && !e.text.trim().is_empty())
                .map(|e| e.text.trim().to_string())
        };
        from_props.or_else(from_plugins)
    }

    /// The main class, its properties resolved (`None` when one is not defined here).
    fn main_class(&self) -> Option<String> {
        self.declared_main_class()
            .map(|m| self.interpolate(&m))
            .filter(|m| is_class_name(m))
    }
}

fn conf(config: Option<&Element>, name: &str) -> Option<String> {
    config.and_then(|c| c.text_of(name)).map(str::to_string)
}

fn is_boot_parent(e: &Element) -> bool {
    e.text_of("groupId") == Some(BOOT_GROUP)
        && e.text_of("artifactId")
            .is_some_and(|a| BOOT_PARENTS.contains(&a))
}

/// `example.Main`, `com.x.App$Inner`: what a `java` command line takes as a main class.
pub(super) fn is_class_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '_' || c == '$')
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The root pom and the poms of its modules, depth first.
fn read_poms(files: &ProjectFiles, errors: &mut Vec<PresetError>) -> Vec<Pom> {
    let mut poms: Vec<Pom> = Vec::new();
    let mut todo: Vec<(String, usize)> = vec![(String::new(), 0)];
    while let Some((dir, depth)) = todo.pop() {
        if poms.len() >= MAX_POMS || poms.iter().any(|p| p.dir == dir) {
            continue;
        }
        let Some(text) = files.read(&join(&dir, "pom.xml")) else {
            continue;
        };
        let doc = match xml::parse(&text) {
            Ok(doc) => doc,
            Err(e) => {
                errors.push(too_deep(&join(&dir, "pom.xml"), e));
                continue;
            }
        };
        let mut props = poms
            .first()
            .map(|root| root.props.clone())
            .unwrap_or_default();
        if let Some(p) = doc.child("properties") {
            for e in &p.children {
                props.insert(e.name.clone(), e.text.trim().to_string());
            }
        }
        if depth < MAX_DEPTH {
            let modules: Vec<String> = doc
                .child("modules")
                .map(|m| {
                    m.children("module")
                        .filter_map(|m| module_dir(&dir, m.text.trim()))
                        .collect()
                })
                .unwrap_or_default();
            todo.extend(modules.into_iter().rev().map(|m| (m, depth + 1)));
        }
        // A parent pom inside the context that is not a module: resolution reads it too.
        if let Some(parent) = doc
            .at(&["parent", "relativePath"])
            .map(|e| e.text.trim())
            .filter(|t| !t.is_empty())
            .and_then(|rel| module_dir(&dir, rel))
        {
            todo.push((parent, MAX_DEPTH));
        }
        poms.push(Pom { dir, doc, props });
    }
    poms
}

/// The folder of module `name` of the pom in `dir`: `a`, `./a/`, `a/pom.xml` -> `a`. `None` for
/// a module outside the build context or with characters a path in a Dockerfile cannot hold.
fn module_dir(dir: &str, name: &str) -> Option<String> {
    let name = name.strip_suffix("pom.xml").unwrap_or(name);
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    let safe = joined
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
    (safe && !joined.is_empty()).then_some(joined)
}

/// Read the Maven build in `files` (which has a `pom.xml`).
pub(super) fn read(files: &ProjectFiles) -> Project {
    let mut project = Project::new(Tool::Maven);
    let poms = read_poms(files, &mut project.errors);
    project
        .detected
        .push("build tool maven (pom.xml)".to_string());
    wrapper(files, &mut project);
    project.inputs = inputs(files, &poms, project.wrapper);
    project.ignore = poms.iter().map(|p| join(&p.dir, "target")).collect();
    if let Some((version, source)) = poms.iter().find_map(Pom::java_version) {
        project.java = Some((version, source));
    }
    let main_class = poms.iter().find_map(Pom::main_class);
    let app_poms = app_poms(&poms, main_class.as_deref(), &mut project);
    project.jar_dirs = app_poms.iter().map(|p| join(&p.dir, "target")).collect();
    if project.jar_dirs.is_empty() {
        project.jar_dirs.push("target".to_string());
    }
    project.dev = match (&project.packaging, &main_class) {
        (Packaging::Boot(_), _) => Some(vec!["spring-boot:run".into()]),
        (_, Some(main)) => Some(vec![
            "compile".into(),
            "exec:java".into(),
            format!("-Dexec.mainClass={main}"),
        ]),
        (_, None) => None,
    };
    project
}

/// The Maven wrapper (`mvnw`), when there is one, and the file it cannot run without.
fn wrapper(files: &ProjectFiles, project: &mut Project) {
    project.wrapper = files.is_file("mvnw");
    if !project.wrapper {
        return;
    }
    project.detected.push("maven wrapper (mvnw)".to_string());
    if !files.is_file(WRAPPER_FILES[0]) {
        project.errors.push(
            PresetError::new(
                codes::WRAPPER_INCOMPLETE,
                Blame::Table,
                format!("`mvnw` is there but `{}` is missing", WRAPPER_FILES[0]),
            )
            .help("restore the wrapper with `mvn wrapper:wrapper`, or delete `mvnw` to build with the maven image"),
        );
    }
}

/// What dependency resolution reads: the poms, Maven's configuration and the wrapper.
fn inputs(files: &ProjectFiles, poms: &[Pom], wrapper: bool) -> Vec<String> {
    let mut inputs: Vec<String> = poms.iter().map(Pom::file).collect();
    inputs.sort_by_key(|p| (p.matches('/').count(), p.clone()));
    for f in CONFIG_FILES {
        if files.is_file(f) {
            inputs.push(f.to_string());
        }
    }
    if wrapper {
        inputs.insert(0, "mvnw".to_string());
        for f in WRAPPER_FILES {
            if files.is_file(f) {
                inputs.push(f.to_string());
            }
        }
    }
    inputs
}

/// The poms whose jars are the app's, and what kind of jar it is (Spring Boot, a fat jar, a
/// jar beside its dependencies); what makes the jar unrunnable goes to `project.unrunnable`.
fn app_poms<'a>(poms: &'a [Pom], main_class: Option<&str>, project: &mut Project) -> Vec<&'a Pom> {
    let boot: Vec<(&Pom, Option<String>)> = poms
        .iter()
        .filter_map(|p| p.boot().map(|v| (p, v)))
        .collect();
    let fat: Vec<&Pom> = poms
        .iter()
        .filter(|p| FAT_JAR_PLUGINS.iter().any(|f| p.plugin(f).is_some()))
        .collect();
    let jar_poms: Vec<&Pom> = poms.iter().filter(|p| p.packaging() == "jar").collect();
    if let Some((pom, version)) = boot.first() {
        project.spring_boot(version.as_deref(), &pom.file());
        boot.iter().map(|(p, _)| *p).collect()
    } else if !fat.is_empty() {
        project.detected.push(format!(
            "a jar with its dependencies inside ({} in {})",
            FAT_JAR_PLUGINS
                .iter()
                .find(|f| fat[0].plugin(f).is_some())
                .unwrap_or(&"maven-shade-plugin"),
            fat[0].file()
        ));
        fat
    } else if jar_poms.is_empty() && poms.iter().any(|p| p.packaging() == "war") {
        let war = poms.iter().find(|p| p.packaging() == "war").map(Pom::file);
        project
            .unrunnable
            .push(war_packaging(&war.unwrap_or_default()));
        Vec::new()
    } else if poms.iter().any(Pom::has_runtime_dependencies) {
        class_path(main_class, project);
        jar_poms
    } else {
        // A main class from a property this pom does not define (a parent's, the command
        // line's) still makes the jar runnable.
        if !poms.iter().any(|p| p.declared_main_class().is_some()) {
            project.unrunnable.push(no_main_class());
        }
        jar_poms
    }
}

fn war_packaging(pom: &str) -> PresetError {
    PresetError::new(
        codes::WAR,
        Blame::Table,
        format!("`{pom}` packages a `war`, and the java preset runs jars"),
    )
    .help("package the app as a runnable jar (an embedded server, or Spring Boot's jar), or name a runnable jar with `jar`")
}

/// A jar whose dependencies are not inside it: run on the class path, by its main class.
fn class_path(main_class: Option<&str>, project: &mut Project) {
    match main_class {
        Some(main) => {
            project.detected.push(format!(
                "runtime dependencies beside the jar, main class {main} (no shade, assembly or spring boot plugin)"
            ));
            project.packaging = Packaging::ClassPath {
                main_class: main.to_string(),
                lib: None,
            };
        }
        None => project.unrunnable.push(
            PresetError::new(
                codes::DEPENDENCIES_OUTSIDE_JAR,
                Blame::Table,
                "the app has dependencies but its jar does not carry them, and no pom names a main class",
            )
            .help("add the maven-shade-plugin (a runnable jar with its dependencies inside), or name the main class with `<mainClass>` in the maven-jar-plugin's manifest, or name a runnable jar with `jar`"),
        ),
    }
}

/// A pom nests elements deeper than any POM does (and than the reader holds).
fn too_deep(file: &str, e: xml::TooDeep) -> PresetError {
    PresetError::new(
        codes::POM_TOO_DEEP,
        Blame::Table,
        format!(
            "`{file}` nests elements more than {} levels deep (at line {})",
            xml::MAX_DEPTH,
            e.line
        ),
    )
    .help("a pom nests a dozen levels at most: is the file complete and a pom?")
}

fn no_main_class() -> PresetError {
    PresetError::new(
        codes::NO_MAIN_CLASS,
        Blame::Table,
        "no pom names a main class, so `java -jar` cannot run the jar",
    )
    .help("name it with `<mainClass>` in the maven-jar-plugin's `<archive><manifest>`, or name a runnable jar with `jar`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pom(text: &str) -> Pom {
        let doc = xml::parse(text).unwrap_or_default();
        let props = doc
            .child("properties")
            .map(|p| {
                p.children
                    .iter()
                    .map(|e| (e.name.clone(), e.text.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        Pom {
            dir: String::new(),
            doc,
            props,
        }
    }

    #[test]
    fn java_version_from_the_first_setting_found() {
        let p = pom("<project><properties><java.version>17</java.version>\
            <maven.compiler.release>${java.version}</maven.compiler.release></properties></project>");
        assert_eq!(
            p.java_version(),
            Some((17, "pom.xml `maven.compiler.release`".into()))
        );
        let p = pom(
            "<project><properties><maven.compiler.source>1.8</maven.compiler.source>\
            </properties></project>",
        );
        assert_eq!(p.java_version().map(|v| v.0), Some(8));
        let p = pom(
            "<project><build><plugins><plugin><artifactId>maven-toolchains-plugin</artifactId>\
            <configuration><toolchains><jdk><version>[21,)</version></jdk></toolchains>\
            </configuration></plugin></plugins></build></project>",
        );
        assert_eq!(p.java_version().map(|v| v.0), Some(21));
        let p = pom("<project><build><pluginManagement><plugins><plugin>\
            <artifactId>maven-compiler-plugin</artifactId><configuration><release>11</release>\
            </configuration></plugin></plugins></pluginManagement></build></project>");
        assert_eq!(p.java_version().map(|v| v.0), Some(11));
        assert_eq!(pom("<project/>").java_version(), None);
    }

    #[test]
    fn spring_boot_needs_the_plugin_and_finds_its_version() {
        let parent = "<parent><groupId>org.springframework.boot</groupId>\
            <artifactId>spring-boot-starter-parent</artifactId><version>3.3.2</version></parent>";
        let plugin = "<build><plugins><plugin><groupId>org.springframework.boot</groupId>\
            <artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>";
        assert_eq!(pom(&format!("<project>{parent}</project>")).boot(), None);
        assert_eq!(
            pom(&format!("<project>{parent}{plugin}</project>")).boot(),
            Some(Some("3.3.2".into()))
        );
        assert_eq!(
            pom(&format!("<project>{plugin}</project>")).boot(),
            Some(None)
        );
        let bom =
            "<properties><boot>2.7.18</boot></properties><dependencyManagement><dependencies>\
            <dependency><groupId>org.springframework.boot</groupId>\
            <artifactId>spring-boot-dependencies</artifactId><version>${boot}</version>\
            </dependency></dependencies></dependencyManagement>";
        assert_eq!(
            pom(&format!("<project>{bom}{plugin}</project>")).boot(),
            Some(Some("2.7.18".into()))
        );
    }

    #[test]
    fn main_class_and_dependencies() {
        let p = pom("<project><properties><main>example.Main</main></properties>\
            <dependencies><dependency><artifactId>junit</artifactId><scope>test</scope></dependency>\
            </dependencies><build><plugins><plugin><configuration><archive><manifest>\
            <mainClass>${main}</mainClass></manifest></archive></configuration></plugin>\
            </plugins></build></project>");
        assert_eq!(p.main_class().as_deref(), Some("example.Main"));
        assert!(!p.has_runtime_dependencies());
        let p = pom("<project><properties><start-class>a.B</start-class></properties>\
            <dependencies><dependency><artifactId>x</artifactId></dependency></dependencies></project>");
        assert_eq!(p.main_class().as_deref(), Some("a.B"));
        assert!(p.has_runtime_dependencies());
        assert_eq!(
            pom("<project><properties><start-class>${nope}</start-class></properties></project>")
                .main_class(),
            None
        );
    }

    #[test]
    fn module_folders_stay_inside_the_context() {
        assert_eq!(module_dir("", "app").as_deref(), Some("app"));
        assert_eq!(module_dir("", "./app/pom.xml").as_deref(), Some("app"));
        assert_eq!(module_dir("parent", "../lib").as_deref(), Some("lib"));
        assert_eq!(module_dir("", "../outside"), None);
        assert_eq!(module_dir("", "with space"), None);
        assert_eq!(module_dir("", "."), None);
    }
}
