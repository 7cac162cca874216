use std::process::ExitCode;

fn main() -> ExitCode {
    stagegen::cli::run(stagegen::cli::parse())
}
