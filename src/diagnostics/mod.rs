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

/// How many errors and warnings there are, as the summary line says it: `1 error, 2 warnings`
/// (a part that is zero is left out; `no problems` when both are).
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let count = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    match (errors, warnings) {
        (0, 0) => "no problems".to_string(),
        (e, 0) => count(e, "error", "errors"),
        (0, w) => count(w, "warning", "warnings"),
        (e, w) => format!(
            "{}, {}",
            count(e, "error", "errors"),
            count(w, "warning", "warnings")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_errors_and_warnings() {
        let e = Diagnostic::error(codes::UNKNOWN_KEY, "x");
        let w = Diagnostic::warning(codes::ROOT_USER, "y");
        assert_eq!(summary(&[]), "no problems");
        assert_eq!(summary(std::slice::from_ref(&e)), "1 error");
        assert_eq!(summary(&[e.clone(), e.clone()]), "2 errors");
        assert_eq!(
            summary(&[e.clone(), w.clone(), w.clone()]),
            "1 error, 2 warnings"
        );
        assert_eq!(summary(&[w]), "1 warning");
    }
}
