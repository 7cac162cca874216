//! Diagnostics as plain data ([`Diagnostic`]), the registry of their stable codes ([`codes`]),
//! and the renderers that turn them into text for people or JSON for tools. Imports only
//! [`crate::source`].

pub mod codes;
mod diagnostic;
mod render;

pub use codes::Code;
pub use diagnostic::{Diagnostic, Label, Severity};
pub use render::{escape_controls, render_human, render_json};
