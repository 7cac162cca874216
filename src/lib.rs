//! stagegen compiles a declarative `build.toml` into container builds.
//!
//! ```text
//! build.toml --parse (spans kept)--> config::Toml*        what the user wrote
//!            --validate (JSON schema + semantic checks, all errors at once)
//!            --resolve (presets, defaults, merge rules)--> ir::BuildGraph   what we build
//!            --optimize (ordered, idempotent passes)--> ir::BuildGraph
//!            --emit--> Dockerfile / .dockerignore / JSON plan
//! ```
//!
//! Dependencies point one way: `cli -> driver -> {config, validate, resolve, optimize, emit}`;
//! `resolve -> {config, presets, ir}`; `optimize -> ir`; `emit -> ir`.

pub mod build;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod driver;
pub mod emit;
pub mod engine;
pub mod init;
pub mod ir;
pub mod limits;
pub mod lock;
pub mod lock_command;
pub mod optimize;
pub mod output;
pub mod plan_file;
pub mod presets;
pub mod project;
pub mod provenance;
pub mod resolve;
pub mod schema;
pub mod shell;
pub mod source;
pub mod validate;
pub mod workspace;
