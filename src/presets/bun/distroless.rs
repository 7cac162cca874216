//! The default final image. With `[runtime] base` unset, a Bun app runs on
//! `oven/bun:<tag>-distroless` (bun, CA certificates and the app; no shell, npm or apt: 131 MB
//! for the stand-in of Bun 1 against 234 MB for `oven/bun:1-slim`), unless it needs what
//! distroless lacks; then on `oven/bun:<tag>-slim`, and `detected` says why in one line
//! ([`BaseChoice`]). What distroless lacks, in the order it is asked:
//! - a shell for the start command: `bun run <script>` (bun runs package.json scripts with the
//!   system shell), a Procfile line with shell syntax;
//! - a shell or npm for the app's own code (`child_process.exec`, as the Node preset reads it
//!   in [`spawns`]; Bun's own `Bun.$` shell is built into bun);
//! - apt for `runtime-packages`;
//! - what the user's `[runtime]` asks ([`RuntimeNeeds`](crate::presets::common::RuntimeNeeds)):
//!   a health check of another program than bun, a `cmd` or `entrypoint` of their own, `run`
//!   steps. The preset's own health check is bun's (`bun -e "fetch(...)"`).
//!
//! An explicit `base` is taken at its word: `base = "distroless"` keeps its errors (SG724 and
//! the Procfile's) and never falls back.

use crate::presets::bun::start::Start;
use crate::presets::common::{start_needs_shell, BaseChoice};
use crate::presets::node::spawns;
use crate::presets::Context;

/// `bun` in the distroless image (also on its PATH).
const DISTROLESS_BUN: &str = "/usr/local/bin/bun";

/// The final image: the `base` the user gave, else distroless when the app needs nothing it
/// lacks, else slim and why.
pub(super) fn choose(cx: &Context<'_>, start: &Start) -> BaseChoice {
    BaseChoice::of(cx.base, || {
        start_needs_shell(&start.words, start.shell_syntax, start.needs_shell)
            .or_else(|| spawns::why(cx.files, ""))
            .or_else(|| {
                (!cx.common.runtime_packages.is_empty())
                    .then(|| "`runtime-packages` are installed with apt".to_string())
            })
            .or_else(|| {
                cx.runtime
                    .need_beyond("distroless", &["bun", DISTROLESS_BUN])
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::common::{RuntimeNeeds, TomlCommonOptions};
    use crate::project::ProjectFiles;

    fn choice(start: &Start, common: &TomlCommonOptions, runtime: &RuntimeNeeds) -> BaseChoice {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = ProjectFiles::new(dir.path());
        let cx = Context {
            files: &files,
            common,
            base: None,
            args: &[],
            platforms: &[],
            app_dir: None,
            runtime,
        };
        choose(&cx, start)
    }

    #[test]
    fn distroless_unless_a_shell_or_apt_is_needed() {
        let common = TomlCommonOptions::default();
        let none = RuntimeNeeds::default();
        let plain = Start {
            words: vec!["bun".into(), "src/index.ts".into()],
            ..Start::default()
        };
        assert_eq!(choice(&plain, &common, &none), BaseChoice::Distroless);
        let script = Start {
            words: vec!["bun".into(), "run".into(), "start".into()],
            needs_shell: true,
            ..Start::default()
        };
        assert!(
            matches!(choice(&script, &common, &none), BaseChoice::Slim(w) if w.contains("`bun run start`"))
        );
        let packages = TomlCommonOptions {
            runtime_packages: vec!["ffmpeg".into()],
            ..TomlCommonOptions::default()
        };
        assert!(
            matches!(choice(&plain, &packages, &none), BaseChoice::Slim(w) if w.contains("apt"))
        );
        let bun_check = RuntimeNeeds {
            healthcheck: Some(vec!["bun".into(), "check.ts".into()]),
            ..RuntimeNeeds::default()
        };
        assert_eq!(choice(&plain, &common, &bun_check), BaseChoice::Distroless);
    }
}
