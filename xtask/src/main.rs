//! `cargo xtask`: stagegen's real-engine suite and image benchmarks (the alias is in
//! `.cargo/config.toml`).
//!
//! - `cargo xtask e2e [case...]`: build, run and check every example, corpus app and the
//!   secret and escaping checks with the Docker engine (`e2e`).
//! - `cargo xtask bench images [target...]`: stagegen's images against hand-written baselines
//!   (`bench`).
//!
//! Only provisioning the engine is shell (`scripts/engine.sh`).

mod bench;
mod buildlog;
mod checks;
mod config;
mod dockerfile;
mod e2e;
mod engine;
mod floor;
mod http;
mod images;
mod interrupt;
mod scan;
mod tar;
mod tools;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "stagegen's real-engine e2e suite and image benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build, lint, run and check every example (and its `stagegen init` round trip), every
    /// real-world corpus app and the secret and escaping checks with the Docker engine
    #[command(after_help = "\
cases: an example (`go-http`, `examples/go-http`), a corpus app (`realworld/node-vite`,
`tests/realworld/node-vite`, or `node-vite` when no example has the name), `secret`, `escape`, or the
groups `examples` and `corpus`. None: every case.

environment:
  DOCKER            docker client (default /usr/bin/docker, else docker on the PATH)
  STAGEGEN          the stagegen binary to test (default: cargo build --bin stagegen)
  E2E_TIMEOUT       seconds to wait for an HTTP answer or a command (default 30)
  STAGEGEN_STANDINS the folder of standins.sh (default ../shared/standins beside the repository
                    or its main checkout); without one, or with `none`, the official
                    images are pulled")]
    E2e {
        /// the cases to run (default: all)
        cases: Vec<String>,
        /// skip scripts/engine.sh (installing tools, starting dockerd, the CLI plugins)
        #[arg(long)]
        no_setup: bool,
        /// compile and lint every case and list the base images; build nothing (no engine)
        #[arg(long)]
        compile_only: bool,
        /// remove the images the run tagged at the end (default: keep them)
        #[arg(long)]
        rm_images: bool,
        /// keep the temporary build contexts and logs
        #[arg(long)]
        keep_work: bool,
        /// cases run at the same time (builds are parallel inside BuildKit already)
        #[arg(long, short = 'j', default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=16))]
        jobs: u16,
        /// the repository part of the images' tags
        #[arg(long, default_value = "stagegen-e2e")]
        tag_prefix: String,
    },
    /// Benchmarks
    Bench {
        #[command(subcommand)]
        what: BenchCmd,
    },
}

#[derive(Subcommand)]
enum BenchCmd {
    /// stagegen's image against the hand-written baseline of each example in bench/bench.toml:
    /// size, layers, cold build, rebuilds after a source and a dependency change, whether the
    /// dependency step re-ran, the user, a fresh container's import time (Python)
    #[command(after_help = "\
targets: EXAMPLE, or EXAMPLE:VARIANT for the example's sources built from
bench/baselines/<example>/<variant>.build.toml, or realworld/APP for a corpus app of bench.toml's
[corpus] (what `stagegen init` writes for it against its baseline.Dockerfile). None: every example
and variant of bench.toml; with --corpus, every corpus app as well.

Timings are wall-clock seconds on this machine: noisy (use --runs 3), so compare ratios and
orders of magnitude, and do not run it beside other builds.")]
    Images {
        targets: Vec<String>,
        /// measure every build N times and report the median (default: bench.toml's `runs`)
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        runs: Option<u32>,
        /// before each cold build, drop the engine's unused BuildKit cache mounts (they survive
        /// `--no-cache`). Global to the engine: it drops other projects' caches too, so use it
        /// only on a machine of your own
        #[arg(long)]
        prune_mounts: bool,
        /// keep the stagegen-bench/<example>:{stagegen,baseline} images
        #[arg(long)]
        keep_images: bool,
        /// keep the temporary directory with every build log
        #[arg(long)]
        keep_work: bool,
        /// also measure every corpus app of bench.toml's [corpus] (tests/realworld)
        #[arg(long)]
        corpus: bool,
        /// no `--no-cache` build: the first build uses the engine's cache as it is and is not
        /// timed (size, user and the rebuilds only; a quicker run over many apps)
        #[arg(long)]
        no_cold: bool,
        /// no rebuild after a dependency manifest change
        #[arg(long)]
        no_dep: bool,
    },
}

fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn main() {
    let cli = Cli::parse();
    let repo = repo_root();
    let code = match cli.command {
        Cmd::E2e {
            cases,
            no_setup,
            compile_only,
            rm_images,
            keep_work,
            jobs,
            tag_prefix,
        } => {
            let timeout = std::env::var("E2E_TIMEOUT")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(30);
            e2e::run(
                &repo,
                &e2e::Options {
                    filters: cases,
                    no_setup,
                    rm_images,
                    keep_work,
                    compile_only,
                    jobs: usize::from(jobs),
                    timeout: Duration::from_secs(timeout),
                    tag_prefix,
                },
            )
        }
        Cmd::Bench {
            what:
                BenchCmd::Images {
                    targets,
                    runs,
                    prune_mounts,
                    keep_images,
                    keep_work,
                    corpus,
                    no_cold,
                    no_dep,
                },
        } => bench::run(
            &repo,
            &bench::Options {
                targets,
                runs,
                prune_mounts,
                keep_images,
                keep_work,
                corpus,
                no_cold,
                no_dep,
            },
        ),
    };
    std::process::exit(code);
}
