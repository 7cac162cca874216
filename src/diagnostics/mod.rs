//! Diagnostics as plain data ([`Diagnostic`]), the registry of their stable codes ([`codes`]),
//! and the renderers that turn them into text for people or JSON for tools. Imports only
//! [`crate::source`].

pub mod codes;
mod diagnostic;
mod render;

pub use codes::Code;
pub use diagnostic::{Diagnostic, Label, Severity};
pub use render::{escape_controls, render_human, render_human_styled, render_json};

/// A character that cannot appear in a message as it is, named: `a newline`, `U+001B`.
pub fn describe_char(c: char) -> String {
    match c {
        '\n' => "a newline".to_string(),
        '\r' => "a carriage return".to_string(),
        '\t' => "a tab".to_string(),
        c => format!("U+{:04X}", c as u32),
    }
}
