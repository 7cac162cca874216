//! Frameworks whose build is a server: where the build writes, and how it starts when
//! package.json has no `start` script. SvelteKit with adapter-node (`build/`, `node build`),
//! Nuxt and Nitro (`.output/`, self-contained: `node .output/server/index.mjs` with no
//! `node_modules`), Astro's node adapter (`dist/`, `node dist/server/entry.mjs` on every
//! interface, port 4321), React Router 7 and Remix (`build/`, their `start` script runs
//! `react-router-serve` / `remix-serve`), Next.js (`.next/`, `next start`; with `output:
//! "standalone"` in next.config.*, `.next/standalone/server.js` with the `node_modules` Next
//! traced, `.next/static` and `public/` beside it, no other `node_modules`). SvelteKit with an
//! adapter that builds for a hosting platform (adapter-auto, -vercel, -netlify, -cloudflare)
//! makes nothing a container runs: an error names the adapter to install.

use crate::presets::node::codes;
use crate::presets::node::manifest::Manifest;
use crate::presets::node::package_manager::join;
use crate::presets::node::start::Entry;
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// A server framework, worked out.
#[derive(Debug, Clone, Default)]
pub(super) struct Framework {
    /// The build output folder, relative to the app.
    pub output: &'static str,
    /// How it starts without a `start` script.
    pub entry: Option<Entry>,
    /// The output runs without `node_modules` (Nitro bundles what it needs).
    pub self_contained: bool,
    /// Next.js's standalone output: the image holds `.next/standalone/` (its `server.js` and
    /// the `node_modules` Next traced), `.next/static/` and `public/`, and nothing else.
    pub standalone: bool,
    /// A `start` script that runs this gives way to `entry` (`next start` cannot serve a
    /// standalone build).
    pub replaces_start: Option<&'static str>,
}

const NEXT_CONFIGS: &[&str] = &[
    "next.config.js",
    "next.config.mjs",
    "next.config.ts",
    "next.config.cjs",
    "next.config.mts",
];

/// The next.config.* at `dir` that sets `output: "standalone"`.
fn next_standalone(files: &ProjectFiles, dir: &str) -> Option<&'static str> {
    NEXT_CONFIGS.iter().copied().find(|c| {
        files.read(&join(dir, c)).is_some_and(|t| {
            t.lines()
                .map(|l| l.split("//").next().unwrap_or("").replace(' ', ""))
                .any(|l| {
                    l.contains("output:\"standalone\"")
                        || l.contains("output:'standalone'")
                        || l.contains("output:`standalone`")
                })
        })
    })
}

const SVELTE_CONFIGS: &[&str] = &[
    "svelte.config.js",
    "svelte.config.ts",
    "svelte.config.mjs",
    "vite.config.ts",
    "vite.config.js",
    "vite.config.mjs",
];
/// SvelteKit adapters that build for a hosting platform, not a Node server.
const PLATFORM_ADAPTERS: &[&str] = &[
    "@sveltejs/adapter-auto",
    "@sveltejs/adapter-vercel",
    "@sveltejs/adapter-netlify",
    "@sveltejs/adapter-cloudflare",
    "@sveltejs/adapter-cloudflare-workers",
];

/// The framework of the app at `dir`, an error for one that builds nothing a container runs,
/// or `None`.
pub(super) fn detect(
    m: &Manifest,
    files: &ProjectFiles,
    dir: &str,
) -> Option<Result<Framework, PresetError>> {
    let has = |name: &str| m.all_dependencies().any(|d| d == name);
    if has("@sveltejs/kit") {
        return sveltekit(files, dir);
    }
    if has("nuxt") || has("nitropack") {
        return Some(Ok(nuxt()));
    }
    if has("@astrojs/node") {
        return Some(Ok(astro_node()));
    }
    if has("@react-router/dev") || has("@remix-run/dev") {
        return Some(Ok(Framework {
            output: "build",
            entry: None,
            self_contained: false,
            ..Framework::default()
        }));
    }
    if has("next") {
        return Some(Ok(next(files, dir)));
    }
    None
}

/// `node FILE` as the start, found in `source`'s way.
fn node_entry(file: &str, source: &str) -> Entry {
    Entry {
        words: vec!["node".to_string(), file.to_string()],
        file: Some(file.to_string()),
        source: source.to_string(),
        ..Entry::default()
    }
}

/// SvelteKit: adapter-node builds a server; a platform's adapter builds nothing a container
/// runs (an error); adapter-auto or none is left to the start script.
fn sveltekit(files: &ProjectFiles, dir: &str) -> Option<Result<Framework, PresetError>> {
    let config = SVELTE_CONFIGS
        .iter()
        .filter_map(|c| files.read(&join(dir, c)).map(|t| (*c, t)))
        .find(|(_, t)| t.contains("@sveltejs/adapter-"));
    let adapter = config.as_ref().and_then(|(_, t)| {
        let at = t.find("@sveltejs/adapter-")?;
        let name: String = t[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "@/-_".contains(*c))
            .collect();
        Some(name)
    });
    match adapter.as_deref() {
        Some("@sveltejs/adapter-node") => Some(Ok(Framework {
            output: "build",
            entry: Some(Entry {
                default_port: Some((3000, "adapter-node's default port".to_string())),
                ..node_entry(
                    "build/index.js",
                    "SvelteKit's adapter-node writes build/, started with `node build`",
                )
            }),
            self_contained: false,
            ..Framework::default()
        })),
        Some(a) if PLATFORM_ADAPTERS.contains(&a) => Some(Err(platform_adapter(
            a,
            config.map(|(c, _)| c).unwrap_or("svelte.config.js"),
        ))),
        _ => None,
    }
}

/// Nuxt (Nitro): the self-contained `.output/`.
fn nuxt() -> Framework {
    Framework {
        output: ".output",
        entry: Some(Entry {
            default_port: Some((3000, "Nitro's default port".to_string())),
            ..node_entry(
                ".output/server/index.mjs",
                "Nuxt's build writes the self-contained .output/",
            )
        }),
        self_contained: true,
        ..Framework::default()
    }
}

/// Astro with its node adapter: `dist/server/entry.mjs` on every interface.
fn astro_node() -> Framework {
    let mut entry = node_entry(
        "dist/server/entry.mjs",
        "Astro's node adapter writes dist/server/entry.mjs, listening on every interface (HOST=0.0.0.0)",
    );
    entry.env = vec![("HOST".to_string(), "0.0.0.0".to_string())];
    entry.default_port = Some((4321, "Astro's default port".to_string()));
    Framework {
        output: "dist",
        entry: Some(entry),
        self_contained: false,
        ..Framework::default()
    }
}

/// Next.js: the standalone output when the config asks for it, else `.next` for `next start`.
fn next(files: &ProjectFiles, dir: &str) -> Framework {
    let Some(config) = next_standalone(files, dir) else {
        return Framework {
            output: ".next",
            ..Framework::default()
        };
    };
    let mut entry = node_entry(
        "server.js",
        &format!("{config} sets `output: \"standalone\"`: the build writes .next/standalone/server.js with the node_modules Next traced (`next start` does not serve it), listening on every interface (HOSTNAME=0.0.0.0)"),
    );
    entry.env = vec![
        ("HOSTNAME".to_string(), "0.0.0.0".to_string()),
        ("PORT".to_string(), "3000".to_string()),
    ];
    entry.default_port = Some((3000, "Next.js's default port".to_string()));
    Framework {
        output: ".next",
        entry: Some(entry),
        self_contained: true,
        standalone: true,
        replaces_start: Some("next start"),
    }
}

fn platform_adapter(adapter: &str, config: &str) -> PresetError {
    let short = adapter.trim_start_matches("@sveltejs/");
    PresetError::new(
        codes::SVELTEKIT_ADAPTER,
        Blame::Table,
        format!("SvelteKit's `{adapter}` ({config}) builds for a hosting platform, not a server a container runs"),
    )
    .help(format!(
        "install `@sveltejs/adapter-node` (`npm i -D @sveltejs/adapter-node`) and import it instead of `{short}` in {config}; its build, `build/`, runs with `node build`"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_in(json: &str, files: &[(&str, &str)]) -> Option<Result<Framework, PresetError>> {
        let dir = tempfile::tempdir().expect("tempdir");
        for (path, text) in files {
            std::fs::write(dir.path().join(path), text).expect("write");
        }
        let files = ProjectFiles::new(dir.path());
        detect(&Manifest::parse(json).expect("manifest"), &files, "")
    }

    #[test]
    fn sveltekit_needs_adapter_node() {
        let json = r#"{"devDependencies":{"@sveltejs/kit":"2","@sveltejs/adapter-node":"5"}}"#;
        let node = "import adapter from '@sveltejs/adapter-node';";
        let f = detect_in(json, &[("svelte.config.js", node)]).and_then(Result::ok);
        assert_eq!(
            f.and_then(|f| f.entry).map(|e| e.words),
            Some(vec!["node".to_string(), "build/index.js".to_string()])
        );
        let auto = "import adapter from '@sveltejs/adapter-auto';";
        let e = detect_in(json, &[("vite.config.ts", auto)]).and_then(Result::err);
        let e = e.expect("an error");
        assert!(e
            .message
            .contains("`@sveltejs/adapter-auto` (vite.config.ts)"));
        assert!(e
            .help
            .is_some_and(|h| h.contains("`@sveltejs/adapter-node`")));
    }

    #[test]
    fn next_standalone_runs_server_js() {
        let json = r#"{"dependencies":{"next":"16"}}"#;
        let config = "const c = {\n  output: \"standalone\",\n};";
        let f = detect_in(json, &[("next.config.ts", config)])
            .and_then(Result::ok)
            .expect("next");
        assert!(f.standalone && f.self_contained);
        assert_eq!(f.replaces_start, Some("next start"));
        let entry = f.entry.expect("an entry");
        assert_eq!(entry.words, ["node", "server.js"]);
        assert!(entry
            .env
            .contains(&("HOSTNAME".to_string(), "0.0.0.0".to_string())));
        let commented = "const c = {\n  // output: 'standalone',\n};";
        let plain = detect_in(json, &[("next.config.mjs", commented)])
            .and_then(Result::ok)
            .expect("next");
        assert!(!plain.standalone && plain.entry.is_none());
    }

    #[test]
    fn nuxt_is_self_contained_and_astro_listens_everywhere() {
        let nuxt = detect_in(r#"{"dependencies":{"nuxt":"4"}}"#, &[]).and_then(Result::ok);
        assert!(nuxt.is_some_and(|f| f.self_contained && f.output == ".output"));
        let astro = detect_in(r#"{"dependencies":{"astro":"5","@astrojs/node":"9"}}"#, &[])
            .and_then(Result::ok)
            .and_then(|f| f.entry)
            .expect("an entry");
        assert_eq!(astro.env, [("HOST".to_string(), "0.0.0.0".to_string())]);
        assert_eq!(astro.default_port.map(|p| p.0), Some(4321));
    }
}
