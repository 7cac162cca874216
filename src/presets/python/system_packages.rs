//! Debian packages that well-known Python packages need, found from the app's dependencies:
//! headers and tools to build a package from source (the build stage only), and the shared
//! libraries and programs it loads or runs (the final image). Together with what the user
//! writes in `system-packages` and `runtime-packages`, which come first and win over a package
//! of the same name.
//!
//! The pins are Debian 13's (trixie), the release of the `python:<v>` and `python:<v>-slim`
//! images; a wildcard after the upstream version keeps them valid across its point releases.

use crate::presets::common::{add_packages, backticked};
use crate::presets::python::codes;
use crate::presets::python::manifest::Dep;
use crate::presets::{Blame, PresetError};

/// What one Python package needs of the system.
#[derive(Debug)]
pub(super) struct Needs {
    /// The package, by its normalized name.
    pub package: &'static str,
    /// It ships wheels: it needs the build packages only when built from source (`--no-binary`).
    pub wheels: bool,
    /// An extra that bundles the library, so the package needs nothing (`psycopg[binary]`).
    pub bundled_by: Option<&'static str>,
    /// Installed in the build stage only.
    pub build: &'static [&'static str],
    /// Installed in the final image.
    pub run: &'static [&'static str],
    /// Why, for `detected`.
    pub why: &'static str,
}

/// Well-known packages, by name. Only packages whose needs are certain are here: a package
/// with a wheel for every Linux platform needs nothing, and is absent.
pub(super) const TABLE: &[Needs] = &[
    Needs {
        package: "psycopg2",
        wheels: false,
        bundled_by: None,
        build: &["libpq-dev=17.*"],
        run: &["libpq5=17.*"],
        why: "builds from source against libpq, found with its `pg_config`",
    },
    Needs {
        package: "psycopg",
        wheels: false,
        bundled_by: Some("binary"),
        build: &[],
        run: &["libpq5=17.*"],
        why: "loads the system's libpq, which only `psycopg[binary]` bundles",
    },
    Needs {
        package: "pycairo",
        wheels: false,
        bundled_by: None,
        build: &["pkg-config=1.8.*", "libcairo2-dev=1.18.*"],
        run: &["libcairo2=1.18.*"],
        why: "ships no Linux wheels: builds against cairo, found with pkg-config",
    },
    Needs {
        package: "mysqlclient",
        wheels: false,
        bundled_by: None,
        build: &["pkg-config=1.8.*", "default-libmysqlclient-dev=1.1.*"],
        run: &["libmariadb3=1:11.8.*"],
        why: "ships no Linux wheels: builds against MariaDB Connector/C, found with pkg-config",
    },
    Needs {
        package: "lxml",
        wheels: true,
        bundled_by: None,
        build: &["libxml2-dev=2.12.*", "libxslt1-dev=1.1.*"],
        run: &["libxml2=2.12.*", "libxslt1.1=1.1.*"],
        why: "is built from source (`--no-binary`) against the system's libxml2 and libxslt",
    },
    Needs {
        package: "pillow",
        wheels: true,
        bundled_by: None,
        build: &["libjpeg62-turbo-dev=1:2.1.*", "zlib1g-dev=1:1.3.*"],
        run: &["libjpeg62-turbo=1:2.1.*"],
        why: "is built from source (`--no-binary`) against libjpeg and zlib",
    },
    Needs {
        package: "pdf2image",
        wheels: true,
        bundled_by: None,
        build: &[],
        run: &["poppler-utils=25.*"],
        why: "runs poppler's `pdftoppm` and `pdfinfo`",
    },
    Needs {
        package: "pydub",
        wheels: true,
        bundled_by: None,
        build: &[],
        run: &["ffmpeg=7:7.*"],
        why: "runs the `ffmpeg` program",
    },
];

/// The Debian packages of the build stage and of the final image, and why.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct SystemPackages {
    pub build: Vec<String>,
    pub run: Vec<String>,
    /// The packages the preset added, one line each.
    pub detected: Vec<String>,
    /// The dependencies that need run-time packages, and the packages the preset added for
    /// them (for the error on a runtime without apt).
    pub need_run: Vec<String>,
    pub added_run: Vec<String>,
}

/// The user's `system-packages` and `runtime-packages`, then what `deps` need (`no_binary`:
/// the packages built from source, `:all:` for all).
pub(super) fn for_deps(
    deps: &[Dep],
    no_binary: &[String],
    user_build: &[String],
    user_run: &[String],
) -> SystemPackages {
    let mut out = SystemPackages {
        build: user_build.to_vec(),
        run: user_run.to_vec(),
        ..SystemPackages::default()
    };
    let from_source = |p: &str| no_binary.iter().any(|n| n == p || n == ":all:");
    for needs in TABLE {
        let Some(dep) = deps.iter().find(|d| d.name == needs.package) else {
            continue;
        };
        if needs.wheels && !needs.build.is_empty() && !from_source(needs.package) {
            continue;
        }
        if needs
            .bundled_by
            .is_some_and(|extra| dep.extras.iter().any(|e| e == extra))
        {
            continue;
        }
        let build = add_packages(&mut out.build, needs.build);
        let run = add_packages(&mut out.run, needs.run);
        if !needs.run.is_empty() {
            out.need_run.push(needs.package.to_string());
        }
        out.added_run.extend(run.iter().cloned());
        let mut parts = Vec::new();
        if !build.is_empty() {
            parts.push(format!("{} to build", backticked(&build)));
        }
        if !run.is_empty() {
            parts.push(format!("{} at run time", backticked(&run)));
        }
        if !parts.is_empty() {
            out.detected.push(format!(
                "`{}` {}: {}",
                needs.package,
                needs.why,
                parts.join(", ")
            ));
        }
    }
    out
}

/// The error for dependencies that need run-time packages on a final image without apt.
pub(super) fn need_apt(packages: &SystemPackages, flavour: &str) -> PresetError {
    PresetError::new(
        codes::SYSTEM_PACKAGES_NEED_APT,
        Blame::RuntimeBase,
        format!(
            "{} need{} {} at run time, and `{flavour}` has no apt to install them",
            backticked(&packages.need_run),
            if packages.need_run.len() == 1 {
                "s"
            } else {
                ""
            },
            backticked(&packages.added_run)
        ),
    )
    .help("use `base = \"slim\"` in `[runtime]` (or an image of your own with apt)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::python::manifest::parse_dep;

    fn deps(names: &[&str]) -> Vec<Dep> {
        names.iter().filter_map(|n| parse_dep(n)).collect()
    }

    #[test]
    fn build_and_run_packages_of_known_dependencies() {
        let s = for_deps(&deps(&["Flask", "psycopg2==2.9"]), &[], &[], &[]);
        assert_eq!(s.build, ["libpq-dev=17.*"]);
        assert_eq!(s.run, ["libpq5=17.*"]);
        assert_eq!(
            s.detected,
            ["`psycopg2` builds from source against libpq, found with its `pg_config`: `libpq-dev` to build, `libpq5` at run time"]
        );
        let none = for_deps(&deps(&["psycopg2-binary", "flask"]), &[], &[], &[]);
        assert_eq!(none, SystemPackages::default());
    }

    #[test]
    fn wheels_need_build_packages_only_from_source() {
        assert!(for_deps(&deps(&["lxml"]), &[], &[], &[]).build.is_empty());
        let source = for_deps(&deps(&["lxml"]), &["lxml".into()], &[], &[]);
        assert_eq!(source.build, ["libxml2-dev=2.12.*", "libxslt1-dev=1.1.*"]);
        assert_eq!(source.run, ["libxml2=2.12.*", "libxslt1.1=1.1.*"]);
        let all = for_deps(&deps(&["Pillow"]), &[":all:".into()], &[], &[]);
        assert_eq!(all.run, ["libjpeg62-turbo=1:2.1.*"]);
        // A program at run time is needed however the package installs.
        let pydub = for_deps(&deps(&["pydub"]), &[], &[], &[]);
        assert_eq!(
            (pydub.build.len(), pydub.run.as_slice()),
            (0, &["ffmpeg=7:7.*".to_string()][..])
        );
    }

    #[test]
    fn an_extra_that_bundles_the_library_needs_nothing() {
        assert_eq!(
            for_deps(&deps(&["psycopg"]), &[], &[], &[]).run,
            ["libpq5=17.*"]
        );
        assert!(for_deps(&deps(&["psycopg[binary]"]), &[], &[], &[])
            .run
            .is_empty());
    }

    #[test]
    fn the_users_packages_come_first_and_win() {
        let s = for_deps(
            &deps(&["mysqlclient", "pycairo"]),
            &[],
            &["pkg-config=1.8.1-4".into()],
            &["libmariadb3=1:11.8.3*".into()],
        );
        assert_eq!(
            s.build,
            [
                "pkg-config=1.8.1-4",
                "libcairo2-dev=1.18.*",
                "default-libmysqlclient-dev=1.1.*"
            ]
        );
        // In the table's order, whatever the requirements' order.
        assert_eq!(s.run, ["libmariadb3=1:11.8.3*", "libcairo2=1.18.*"]);
        assert_eq!(s.need_run, ["pycairo", "mysqlclient"]);
        assert_eq!(s.added_run, ["libcairo2"]);
        assert!(s.detected[1].ends_with(": `default-libmysqlclient-dev` to build"));
    }

    #[test]
    fn every_pin_is_a_debian_package() {
        for needs in TABLE {
            for p in needs.build.iter().chain(needs.run) {
                assert!(
                    crate::presets::common::is_debian_package(p) && p.contains('='),
                    "{p}"
                );
            }
        }
    }
}
