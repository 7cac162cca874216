//! Native modules: npm packages with a C/C++ addon that node-gyp compiles when no prebuilt
//! binary matches (or none can be downloaded). Found from the lock file (else package.json),
//! each known one adds the Debian packages it builds against (the build stages only) and the
//! shared libraries it loads (the final image), after the user's `system-packages` and
//! `runtime-packages`, which come first and win over a package of the same name.
//!
//! The builder `node:<major>` has node-gyp's toolchain (python3, make, g++) and the headers of
//! its own Node in `/usr/local/include/node`: `npm_config_nodedir=/usr/local` points node-gyp at
//! them, so a compile neither downloads headers from nodejs.org nor builds against another
//! release's. The pins are Debian 12's (bookworm), the release of the `node:<major>` and
//! `node:<major>-slim` images; a wildcard after the upstream version keeps them valid across
//! point releases.

use crate::presets::common::{add_packages, backticked, package_name};
use crate::presets::node::codes;
use crate::presets::node::manifest::Manifest;
use crate::presets::{Blame, PresetError};

/// node-gyp's `--nodedir`, as npm passes its config to scripts: the image's own headers.
pub(super) const NODEDIR_ENV: (&str, &str) = ("npm_config_nodedir", "/usr/local");

/// What one native module needs of the system.
#[derive(Debug)]
pub(super) struct Needs {
    /// The npm package.
    pub package: &'static str,
    /// Installed in the build stages only (the toolchain itself is the builder's).
    pub build: &'static [&'static str],
    /// Installed in the final image.
    pub run: &'static [&'static str],
    /// Why, for `detected`.
    pub why: &'static str,
}

/// Well-known native modules. Those that need only the toolchain are here too: they get the
/// headers setting, and `detected` says why the build compiles.
pub(super) const TABLE: &[Needs] = &[
    Needs {
        package: "canvas",
        build: &[
            "pkg-config=1.8.*",
            "libcairo2-dev=1.16.*",
            "libpango1.0-dev=1.50.*",
            "libjpeg-dev=1:2.1.*",
            "libgif-dev=5.2.*",
            "librsvg2-dev=2.54.*",
        ],
        run: &[
            "libcairo2=1.16.*",
            "libpango-1.0-0=1.50.*",
            "libpangocairo-1.0-0=1.50.*",
            "libjpeg62-turbo=1:2.1.*",
            "libgif7=5.2.*",
            "librsvg2-2=2.54.*",
        ],
        why: "compiles against cairo and pango when its prebuilt binary cannot be downloaded",
    },
    Needs {
        package: "better-sqlite3",
        build: &[],
        run: &[],
        why: "compiles its bundled SQLite with node-gyp when no prebuilt binary matches",
    },
    Needs {
        package: "sqlite3",
        build: &[],
        run: &[],
        why: "compiles its bundled SQLite with node-gyp when no prebuilt binary matches",
    },
    Needs {
        package: "bcrypt",
        build: &[],
        run: &[],
        why: "compiles its addon with node-gyp when no prebuilt binary matches",
    },
    Needs {
        package: "argon2",
        build: &[],
        run: &[],
        why: "compiles its addon with node-gyp when no prebuilt binary matches",
    },
    Needs {
        package: "sharp",
        build: &[],
        run: &[],
        why: "takes libvips from its @img/sharp-* packages, and compiles with node-gyp only when none matches the platform",
    },
];

/// The Debian packages of the build stages and of the final image, and what was found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct NativePackages {
    pub build: Vec<String>,
    pub run: Vec<String>,
    /// The known native modules the app depends on.
    pub modules: Vec<&'static str>,
    /// One line per module, for `detected`.
    pub detected: Vec<String>,
    /// The run-time packages the preset added (for the error on a runtime without apt).
    pub added_run: Vec<String>,
    /// The build packages the preset added (for the error on a builder without apt).
    pub added_build: Vec<String>,
}

impl NativePackages {
    /// The native modules that load Debian libraries at run time (canvas' cairo), which an
    /// image without apt cannot take.
    pub(crate) fn with_run_libraries(&self) -> Vec<&'static str> {
        self.modules
            .iter()
            .copied()
            .filter(|m| TABLE.iter().any(|n| n.package == *m && !n.run.is_empty()))
            .collect()
    }
}

/// Whether the lock file (npm, pnpm, Yarn classic or Berry, Bun's text lock) installs `package`.
pub(super) fn lock_has(lock: &str, package: &str) -> bool {
    // Every way below needs the name somewhere in the text: one substring search rules most
    // packages out without splitting a large lock into lines (a line scan per package was most
    // of a Node app's compile).
    if !lock.contains(package) {
        return false;
    }
    let npm = [
        format!("\"node_modules/{package}\""),
        format!("/node_modules/{package}\""),
    ];
    if npm.iter().any(|p| lock.contains(p.as_str())) {
        return true;
    }
    lock.lines().any(|line| {
        let l = line.trim_start().trim_start_matches(['"', '\'', '/']);
        // yarn.lock `canvas@^3.2.3:`, `"canvas@npm:^3.2.3":`; pnpm `canvas@3.2.3:`,
        // `/canvas@3.2.3:`; bun.lock `"canvas": ["canvas@3.2.3", ...]`.
        l.strip_prefix(package)
            .is_some_and(|rest| rest.starts_with('@') || rest.starts_with("\": [\""))
    })
}

/// The user's `system-packages` and `runtime-packages`, then what the app's native modules
/// need: found in `lock` (the lock file's text), else in the manifests' dependencies.
pub(super) fn for_app(
    lock: Option<&str>,
    manifests: &[&Manifest],
    user_build: &[String],
    user_run: &[String],
) -> NativePackages {
    let mut out = NativePackages {
        build: user_build.to_vec(),
        run: user_run.to_vec(),
        ..NativePackages::default()
    };
    let found = |package: &str| match lock {
        Some(lock) => lock_has(lock, package),
        None => manifests
            .iter()
            .any(|m| m.all_dependencies().any(|d| d == package)),
    };
    for needs in TABLE.iter().filter(|n| found(n.package)) {
        out.modules.push(needs.package);
        let build = add_packages(&mut out.build, needs.build);
        let run = add_packages(&mut out.run, needs.run);
        out.added_build.extend(build.iter().cloned());
        out.added_run.extend(run.iter().cloned());
        let mut line = format!("native module `{}` {}", needs.package, needs.why);
        let mut parts = Vec::new();
        if !build.is_empty() {
            parts.push(format!("{} to build", backticked(&build)));
        }
        if !run.is_empty() {
            parts.push(format!("{} at run time", backticked(&run)));
        }
        if !parts.is_empty() {
            line.push_str(&format!(": {}", parts.join(", ")));
        }
        out.detected.push(line);
    }
    if !out.modules.is_empty() {
        out.detected.push(format!(
            "native modules compile in the build stages with the builder's python3, make and g++, against its own Node headers ({}={}); the final image gets no compiler",
            NODEDIR_ENV.0, NODEDIR_ENV.1
        ));
    }
    out
}

/// The error for native modules whose Debian packages need apt where there is none: in the
/// builder (`stage = "builder"`, Alpine's) or the final image (distroless, Alpine).
pub(super) fn need_apt(
    packages: &NativePackages,
    stage: &str,
    image: &str,
    added: &[String],
) -> PresetError {
    let modules: Vec<String> = packages
        .modules
        .iter()
        .filter(|m| {
            TABLE.iter().find(|n| n.package == **m).is_some_and(|n| {
                n.build
                    .iter()
                    .chain(n.run)
                    .any(|p| added.iter().any(|a| a == package_name(p)))
            })
        })
        .map(|m| m.to_string())
        .collect();
    PresetError::new(
        codes::NATIVE_MODULE_NEEDS_APT,
        Blame::RuntimeBase,
        format!(
            "{} need{} {} in the {stage}, and `{image}` has no apt to install them",
            backticked(&modules),
            if modules.len() == 1 { "s" } else { "" },
            backticked(added)
        ),
    )
    .help("use `base = \"slim\"` in `[runtime]` (Debian's builder and runtime), or an image of your own with apt")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NPM_LOCK: &str = r#"{"packages":{"":{},"node_modules/canvas":{"version":"3.2.3"},"node_modules/x/node_modules/bcrypt":{}}}"#;

    #[test]
    fn found_in_every_lock_format() {
        assert!(lock_has(NPM_LOCK, "canvas"));
        assert!(lock_has(NPM_LOCK, "bcrypt"));
        assert!(!lock_has(NPM_LOCK, "sharp"));
        assert!(lock_has(
            "\"canvas@npm:^3.2.3\":\n  version: 3.2.3\n",
            "canvas"
        ));
        assert!(lock_has("canvas@^3.2.3:\n  version \"3.2.3\"\n", "canvas"));
        assert!(lock_has("packages:\n\n  /canvas@3.2.3:\n", "canvas"));
        assert!(lock_has(
            "    \"canvas\": [\"canvas@3.2.3\", \"\"],\n",
            "canvas"
        ));
        // Another package whose name starts the same is not it.
        assert!(!lock_has("canvas-confetti@^1.0.0:\n", "canvas"));
        assert!(!lock_has("\"node_modules/canvas-confetti\": {}", "canvas"));
    }

    #[test]
    fn build_and_run_packages_of_known_modules() {
        let p = for_app(Some(NPM_LOCK), &[], &[], &[]);
        assert_eq!(p.modules, ["canvas", "bcrypt"]);
        assert_eq!(p.with_run_libraries(), ["canvas"]);
        assert!(p.build.iter().any(|b| b == "libcairo2-dev=1.16.*"));
        assert!(p.run.iter().any(|r| r == "libcairo2=1.16.*"));
        assert!(p
            .detected
            .last()
            .is_some_and(|l| l.contains("npm_config_nodedir")));
        let none = for_app(Some("{}"), &[], &[], &[]);
        assert!(none.modules.is_empty() && none.detected.is_empty());
    }

    #[test]
    fn without_a_lock_file_the_manifest_says() {
        let m = Manifest::parse(r#"{"dependencies":{"better-sqlite3":"12"}}"#).expect("json");
        let p = for_app(None, &[&m], &[], &[]);
        assert_eq!(p.modules, ["better-sqlite3"]);
        assert!(p.build.is_empty() && p.run.is_empty());
    }

    #[test]
    fn the_users_packages_come_first_and_win() {
        let user = vec!["libcairo2=1.16.0-7".to_string()];
        let p = for_app(Some(NPM_LOCK), &[], &[], &user);
        assert_eq!(p.run[0], "libcairo2=1.16.0-7");
        assert_eq!(
            p.run
                .iter()
                .filter(|r| package_name(r) == "libcairo2")
                .count(),
            1
        );
        assert!(!p.added_run.iter().any(|a| a == "libcairo2"));
    }

    #[test]
    fn every_pin_is_a_debian_package() {
        for n in TABLE {
            for p in n.build.iter().chain(n.run) {
                assert!(crate::presets::common::is_debian_package(p), "{p}");
            }
        }
    }
}
