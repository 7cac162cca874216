use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    stagegen::cli::run(stagegen::cli::Cli::parse())
}
