//! The default final image. With `[runtime] base` unset, a Node app runs on
//! `gcr.io/distroless/nodejs<major>-debian12:nonroot` (node, CA certificates and the app; no
//! shell, npm or apt: the stand-in is 149 MB for Node 22 against 334 MB for `node:22-slim`),
//! unless it needs what distroless lacks. Then it runs on `node:<major>-slim`, and `detected`
//! says why in one line ([`BaseChoice`]). What distroless lacks, in the order it is asked:
//! - an image for the Node line: distroless has 18, 20, 22 and 24 (not 16, nor the odd 23);
//! - a shell or `/usr/bin/env` for the start command: a script file (`./start.sh`), a Procfile
//!   line with shell syntax, a start the preset cannot run without npm;
//! - a shell or npm for the app's own code ([`spawns`](super::spawns): `child_process.exec`);
//! - apt for run-time Debian packages: `runtime-packages`, or the libraries a native module loads
//!   (canvas' cairo and pango);
//! - what the user's `[runtime]` asks ([`RuntimeNeeds`](crate::presets::common::RuntimeNeeds)):
//!   a health check whose program is not node (`node`, which the final image has on its PATH,
//!   or `/nodejs/bin/node`), a `cmd` or `entrypoint` of their own, `run` steps.
//!
//! An explicit `base` is taken at its word: `base = "distroless"` keeps its errors (SG724,
//! SG728, SG729) and never falls back; `base = "slim"` is slim. A static site is nginx's and
//! never asks.

use crate::presets::common::{backticked, start_needs_shell, BaseChoice};
use crate::presets::node::native::NativePackages;
use crate::presets::node::runtime::{RuntimeImage, DISTROLESS_NODE};
use crate::presets::node::spawns;
use crate::presets::node::start::Entry;
use crate::presets::Context;

/// The final image of an app that runs on Node: the `base` the user gave, else distroless when
/// the app needs nothing distroless lacks, else slim and why.
pub(super) fn choose(
    cx: &Context<'_>,
    major: u32,
    (entry, dir): (&Entry, &str),
    native: &NativePackages,
) -> BaseChoice {
    BaseChoice::of(cx.base, || why_not(cx, major, (entry, dir), native))
}

/// The `detected` line of a default, `None` for an image the user named.
pub(super) fn line(choice: &BaseChoice, runtime: &RuntimeImage, major: u32) -> Option<String> {
    choice.line(&runtime.image, &format!("node:{major}-slim"))
}

/// What the app needs that distroless lacks, in a few words; `None` when it needs nothing.
fn why_not(
    cx: &Context<'_>,
    major: u32,
    (entry, dir): (&Entry, &str),
    native: &NativePackages,
) -> Option<String> {
    if !RuntimeImage::has_distroless(major) {
        return Some(format!("distroless has no Node {major}"));
    }
    if let Some(why) = start_needs_shell(&entry.words, entry.shell_syntax, entry.needs_shell) {
        return Some(why);
    }
    if let Some(why) = spawns::why(cx.files, dir) {
        return Some(why);
    }
    if !cx.common.runtime_packages.is_empty() {
        return Some("`runtime-packages` are installed with apt".to_string());
    }
    let loading: Vec<String> = native
        .with_run_libraries()
        .into_iter()
        .map(str::to_string)
        .collect();
    if !loading.is_empty() {
        return Some(format!(
            "{} load{} Debian libraries at run time, installed with apt",
            backticked(&loading),
            if loading.len() == 1 { "s" } else { "" }
        ));
    }
    cx.runtime
        .need_beyond("distroless", &["node", DISTROLESS_NODE])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::common::{RuntimeNeeds, TomlCommonOptions};
    use crate::project::ProjectFiles;

    fn node(file: &str) -> Entry {
        Entry {
            words: vec!["node".into(), file.into()],
            file: Some(file.into()),
            ..Entry::default()
        }
    }

    fn choice(
        base: Option<&str>,
        major: u32,
        entry: &Entry,
        common: &TomlCommonOptions,
        runtime: &RuntimeNeeds,
    ) -> BaseChoice {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = ProjectFiles::new(dir.path());
        let cx = Context {
            files: &files,
            common,
            base,
            args: &[],
            platforms: &[],
            app_dir: None,
            runtime,
        };
        choose(&cx, major, (entry, ""), &NativePackages::default())
    }

    #[test]
    fn distroless_unless_the_app_needs_more() {
        let common = TomlCommonOptions::default();
        let none = RuntimeNeeds::default();
        let app = node("server.js");
        assert_eq!(
            choice(None, 22, &app, &common, &none),
            BaseChoice::Distroless
        );
        assert_eq!(
            choice(Some("slim"), 22, &app, &common, &none),
            BaseChoice::Given
        );
        assert_eq!(
            choice(None, 16, &app, &common, &none),
            BaseChoice::Slim("distroless has no Node 16".into())
        );
        let script = Entry {
            words: vec!["./start.sh".into()],
            needs_shell: true,
            ..Entry::default()
        };
        let why = choice(None, 22, &script, &common, &none);
        assert!(matches!(&why, BaseChoice::Slim(w) if w.contains("`./start.sh`")));
        let with_packages = TomlCommonOptions {
            runtime_packages: vec!["ffmpeg".into()],
            ..TomlCommonOptions::default()
        };
        let why = choice(None, 22, &app, &with_packages, &none);
        assert!(matches!(&why, BaseChoice::Slim(w) if w.contains("`runtime-packages`")));
        let curl = RuntimeNeeds {
            healthcheck: Some(vec!["curl".into()]),
            ..RuntimeNeeds::default()
        };
        let why = choice(None, 22, &app, &common, &curl);
        assert!(matches!(&why, BaseChoice::Slim(w) if w.contains("`curl`")));
        let node_check = RuntimeNeeds {
            healthcheck: Some(vec!["node".into(), "check.js".into()]),
            ..RuntimeNeeds::default()
        };
        assert_eq!(
            choice(None, 22, &app, &common, &node_check),
            BaseChoice::Distroless
        );
    }
}
