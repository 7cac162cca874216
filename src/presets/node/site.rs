//! Whether a Node app is a static site: a build script whose output is only files (HTML, JS,
//! CSS) and no server to start. Such an app is built with Node and served by the web server of
//! [`common::site_stage`](crate::presets::common::site_stage), with no Node in its image.
//!
//! The tool that builds it is known by its dependency, which also says where it writes and
//! which of its files carry a content hash: Vite (`dist/`, `assets/`), Create React App
//! (`build/`, `static/`), the Angular CLI (angular.json's `outputPath`, `browser/` inside it
//! for the application builder), the Vue CLI (`dist/`), Astro without a server output
//! (`dist/`, `_astro/`). An app that says how it starts a server (a `start` script that is not
//! the tool's dev server, a `main` or `server.js` that is there), or that uses a framework
//! whose build is a server (SvelteKit, Nuxt, Next, Remix, React Router, Astro with an adapter),
//! is not one. The `serve` knob decides when the guess is wrong.

use serde_json::Value;

use crate::presets::common::{Fallback, Hashed};
use crate::presets::node::manifest::Manifest;
use crate::presets::node::options::TomlServe;
use crate::presets::node::package_manager::join;
use crate::presets::node::start::clean;
use crate::presets::node::DEFAULT_OUTPUT;
use crate::project::ProjectFiles;

/// A static site, worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StaticSite {
    /// The build output, relative to the app's folder.
    pub output: String,
    pub fallback: Fallback,
    pub hashed: Vec<Hashed>,
    /// The tool and where its output was read from, for `detected`.
    pub why: String,
}

/// Dependencies whose build is a server, not a folder of files, in any of their setups.
const SERVER_FRAMEWORKS: &[&str] = &[
    "@sveltejs/kit",
    "nuxt",
    "next",
    "@remix-run/dev",
    "@react-router/dev",
    "@tanstack/react-start",
    "vike",
    "@angular/ssr",
    "@astrojs/node",
];
/// Start scripts that run a tool's dev or preview server, not the app: the app still is a site.
const DEV_SERVERS: &[&str] = &[
    "vite",
    "react-scripts start",
    "ng serve",
    "vue-cli-service serve",
    "astro dev",
    "astro preview",
    "astro start",
];
const VITE_CONFIGS: &[&str] = &[
    "vite.config.ts",
    "vite.config.js",
    "vite.config.mjs",
    "vite.config.mts",
    "vite.config.cjs",
];
const ASTRO_CONFIGS: &[&str] = &[
    "astro.config.mjs",
    "astro.config.ts",
    "astro.config.js",
    "astro.config.mts",
    "astro.config.cjs",
];

/// The static site the app at `dir` is, if it is one. `build_script` is the script that
/// builds it; `output` the `output` knob.
pub(super) fn detect(
    serve: Option<TomlServe>,
    output: Option<&str>,
    manifest: &Manifest,
    files: &ProjectFiles,
    dir: &str,
    build_script: Option<&str>,
) -> Option<StaticSite> {
    build_script?;
    let found = tool_site(manifest, files, dir);
    match serve {
        Some(TomlServe::Node) => None,
        Some(TomlServe::Static) => Some(with_output(
            found.unwrap_or_else(|| StaticSite {
                output: DEFAULT_OUTPUT.to_string(),
                fallback: Fallback::SinglePage,
                hashed: Vec::new(),
                why: "`serve = \"static\"`".to_string(),
            }),
            output,
        )),
        None if starts_a_server(manifest, files, dir) => None,
        None => found.map(|site| with_output(site, output)),
    }
}

fn with_output(mut site: StaticSite, output: Option<&str>) -> StaticSite {
    if let Some(o) = output {
        site.output = clean(o);
        site.why = format!("{}; output from the `output` knob", site.why);
    }
    site
}

/// Whether the app says how it starts a server of its own: a `start` script that is not the
/// build tool's dev server, or a `main` or `server.js` that is there.
fn starts_a_server(m: &Manifest, files: &ProjectFiles, dir: &str) -> bool {
    let start = m.script("start").map(str::trim).filter(|s| {
        !DEV_SERVERS
            .iter()
            .any(|d| *s == *d || s.starts_with(&format!("{d} ")))
    });
    start.is_some()
        || m.main
            .as_deref()
            .is_some_and(|main| files.is_file(&join(dir, &clean(main))))
        || files.is_file(&join(dir, "server.js"))
}

/// The site the build tool of the app writes, by its dependency.
fn tool_site(m: &Manifest, files: &ProjectFiles, dir: &str) -> Option<StaticSite> {
    let has = |name: &str| m.all_dependencies().any(|d| d == name);
    if SERVER_FRAMEWORKS.iter().any(|f| has(f)) {
        return None;
    }
    if has("astro") {
        return astro(files, dir);
    }
    if has("react-scripts") {
        return Some(StaticSite {
            output: "build".to_string(),
            fallback: Fallback::SinglePage,
            hashed: vec![Hashed::Folder("/static/")],
            why: "Create React App (react-scripts) writes build/".to_string(),
        });
    }
    if has("@angular/build") || has("@angular-devkit/build-angular") {
        return angular(files, dir);
    }
    if has("@vue/cli-service") {
        return Some(StaticSite {
            output: "dist".to_string(),
            fallback: Fallback::SinglePage,
            hashed: ["/js/", "/css/", "/img/", "/fonts/"]
                .into_iter()
                .map(Hashed::Folder)
                .collect(),
            why: "the Vue CLI (@vue/cli-service) writes dist/".to_string(),
        });
    }
    if has("vite") {
        return Some(vite(files, dir));
    }
    None
}

/// Vite: `build.outDir` of its config when it names one, else `dist/`; hashed files in
/// `assets/`.
fn vite(files: &ProjectFiles, dir: &str) -> StaticSite {
    let config = VITE_CONFIGS
        .iter()
        .find_map(|c| files.read(&join(dir, c)).map(|t| (*c, t)));
    let out = config
        .as_ref()
        .and_then(|(c, text)| quoted_value(text, "outDir").map(|o| (*c, clean(&o))))
        .filter(|(_, o)| !o.is_empty());
    let (output, why) = match out {
        Some((config, o)) => (
            o.clone(),
            format!("Vite writes {o}/ (`outDir` in {config})"),
        ),
        None => (
            DEFAULT_OUTPUT.to_string(),
            "Vite writes dist/ (its default)".to_string(),
        ),
    };
    StaticSite {
        output,
        fallback: Fallback::SinglePage,
        hashed: vec![Hashed::Folder("/assets/")],
        why,
    }
}

/// Astro: a site unless its config asks for a server (`output: "server"` or an adapter).
fn astro(files: &ProjectFiles, dir: &str) -> Option<StaticSite> {
    let config = ASTRO_CONFIGS
        .iter()
        .find_map(|c| files.read(&join(dir, c)))
        .unwrap_or_default();
    if config.contains("adapter") || quoted_value(&config, "output").as_deref() == Some("server") {
        return None;
    }
    let not_found_page = ["astro", "md", "mdx", "html"]
        .iter()
        .any(|ext| files.is_file(&join(dir, &format!("src/pages/404.{ext}"))));
    Some(StaticSite {
        output: "dist".to_string(),
        fallback: Fallback::Pages { not_found_page },
        hashed: vec![Hashed::Folder("/_astro/")],
        why: "Astro writes dist/ (no server output, no adapter)".to_string(),
    })
}

/// The Angular CLI: the first application of angular.json, its build's `outputPath` (default
/// `dist/<project>`), plus `browser/` for the application builder.
fn angular(files: &ProjectFiles, dir: &str) -> Option<StaticSite> {
    let text = files.read(&join(dir, "angular.json"))?;
    let doc: Value = serde_json::from_str(&text).ok()?;
    let (name, project) = doc
        .get("projects")?
        .as_object()?
        .iter()
        .find(|(_, p)| p.get("projectType").and_then(Value::as_str) != Some("library"))?;
    let build = project.pointer("/architect/build")?;
    let builder = build.get("builder").and_then(Value::as_str).unwrap_or("");
    let application = builder.ends_with(":application");
    let (base, browser) = match build.pointer("/options/outputPath") {
        Some(Value::String(p)) => (clean(p), "browser".to_string()),
        Some(Value::Object(o)) => (
            o.get("base").and_then(Value::as_str).map(clean)?,
            o.get("browser")
                .and_then(Value::as_str)
                .map(clean)
                .unwrap_or_else(|| "browser".to_string()),
        ),
        _ => (format!("dist/{name}"), "browser".to_string()),
    };
    let output = if application && !browser.is_empty() {
        format!("{base}/{browser}")
    } else {
        base
    };
    Some(StaticSite {
        why: format!("the Angular CLI writes {output}/ (angular.json, project `{name}`)"),
        output,
        fallback: Fallback::SinglePage,
        hashed: vec![Hashed::DashSuffix],
    })
}

/// The quoted value after `key:` in a JavaScript config, read leniently (`outDir: 'build'`).
fn quoted_value(text: &str, key: &str) -> Option<String> {
    let mut rest = text;
    while let Some(at) = rest.find(key) {
        let after = rest[at + key.len()..].trim_start();
        rest = &rest[at + key.len()..];
        let Some(value) = after.strip_prefix(':') else {
            continue;
        };
        let value = value.trim_start();
        let quote = value
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))?;
        let inner = &value[1..];
        return inner.find(quote).map(|end| inner[..end].to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(json: &str) -> Manifest {
        Manifest::parse(json).expect("package.json")
    }

    fn app(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (path, text) in files {
            let p = dir.path().join(path);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("mkdir");
            }
            std::fs::write(p, text).expect("write");
        }
        dir
    }

    fn site(json: &str, files: &[(&str, &str)]) -> Option<StaticSite> {
        let dir = app(files);
        let files = ProjectFiles::new(dir.path());
        detect(None, None, &manifest(json), &files, "", Some("build"))
    }

    #[test]
    fn vite_writes_dist_or_its_out_dir() {
        let json = r#"{"scripts":{"build":"vite build"},"devDependencies":{"vite":"7"}}"#;
        let s = site(json, &[]).expect("a site");
        assert_eq!(
            (s.output.as_str(), s.fallback),
            ("dist", Fallback::SinglePage)
        );
        assert_eq!(s.hashed, [Hashed::Folder("/assets/")]);
        let s = site(
            json,
            &[(
                "vite.config.ts",
                "export default { build: { outDir: './www/' } }",
            )],
        )
        .expect("a site");
        assert_eq!(s.output, "www");
    }

    #[test]
    fn a_server_is_no_site() {
        let with = |start: &str| {
            format!(
                r#"{{"scripts":{{"build":"vite build","start":"{start}"}},"devDependencies":{{"vite":"7"}}}}"#
            )
        };
        assert!(site(&with("node server.mjs"), &[]).is_none());
        assert!(site(&with("vite preview --port 8080"), &[]).is_some());
        let main = r#"{"main":"server.js","scripts":{"build":"vite build"},"devDependencies":{"vite":"7"}}"#;
        assert!(site(main, &[("server.js", "")]).is_none());
        // npm init writes `main` whether or not there is such a file
        assert!(site(main, &[]).is_some());
        let kit = r#"{"scripts":{"build":"vite build"},"devDependencies":{"vite":"7","@sveltejs/kit":"2"}}"#;
        assert!(site(kit, &[]).is_none());
    }

    #[test]
    fn astro_is_a_site_without_an_adapter() {
        let json = r#"{"scripts":{"build":"astro build"},"dependencies":{"astro":"5"}}"#;
        let s = site(
            json,
            &[("astro.config.mjs", "export default defineConfig({});")],
        );
        assert_eq!(
            s.map(|s| (s.output, s.fallback)),
            Some((
                "dist".into(),
                Fallback::Pages {
                    not_found_page: false
                }
            ))
        );
        let server = "export default defineConfig({ output: 'server' });";
        assert!(site(json, &[("astro.config.mjs", server)]).is_none());
    }

    #[test]
    fn angular_reads_angular_json() {
        let json = r#"{"scripts":{"start":"ng serve","build":"ng build"},"devDependencies":{"@angular/build":"20"}}"#;
        let ng = r#"{"projects":{"ng-app":{"projectType":"application","architect":{"build":{"builder":"@angular/build:application","options":{}}}}}}"#;
        let s = site(json, &[("angular.json", ng)]).expect("a site");
        assert_eq!(s.output, "dist/ng-app/browser");
        let ng = r#"{"projects":{"a":{"architect":{"build":{"builder":"@angular-devkit/build-angular:browser","options":{"outputPath":"out/a"}}}}}}"#;
        assert_eq!(
            site(json, &[("angular.json", ng)])
                .map(|s| s.output)
                .as_deref(),
            Some("out/a")
        );
    }

    #[test]
    fn create_react_app_writes_build() {
        let json = r#"{"scripts":{"start":"react-scripts start","build":"react-scripts build"},"dependencies":{"react-scripts":"5"}}"#;
        let s = site(json, &[]).expect("a site");
        assert_eq!(
            (s.output.as_str(), &s.hashed[..]),
            ("build", &[Hashed::Folder("/static/")][..])
        );
    }

    #[test]
    fn the_serve_knob_decides() {
        let dir = app(&[]);
        let files = ProjectFiles::new(dir.path());
        let m = manifest(r#"{"scripts":{"build":"webpack"}}"#);
        assert!(detect(None, None, &m, &files, "", Some("build")).is_none());
        let forced = detect(
            Some(TomlServe::Static),
            Some("public/"),
            &m,
            &files,
            "",
            Some("build"),
        );
        assert_eq!(forced.map(|s| s.output).as_deref(), Some("public"));
        let vite = manifest(r#"{"scripts":{"build":"vite build"},"devDependencies":{"vite":"7"}}"#);
        assert!(detect(
            Some(TomlServe::Node),
            None,
            &vite,
            &files,
            "",
            Some("build")
        )
        .is_none());
        assert!(detect(None, None, &vite, &files, "", None).is_none());
    }
}
