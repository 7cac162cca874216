//! Templating in a workspace: an `extends` template is a minijinja template of a `build.toml`,
//! rendered whole; a string of `[workspace.defaults]` is a template rendered on its own. Both
//! see the same facts: `member.name`, `member.path`, `preset` and `vars`, with strict undefined
//! (a misspelled name is an error, never a blank). An error points into the template: at the
//! expression minijinja blames, else at its line.

use serde::Serialize;

use crate::diagnostics::{codes, Diagnostic};
use crate::source::Span;

/// What a template knows about the member it is rendered for.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub member: MemberFacts,
    /// The member's preset: the one it names, else the one its files show; none if neither.
    pub preset: Option<String>,
    /// `[workspace.vars]`.
    pub vars: serde_json::Map<String, serde_json::Value>,
}

/// `member.*`.
#[derive(Debug, Clone, Serialize)]
pub struct MemberFacts {
    pub name: String,
    /// Its folder, relative to the workspace root (`/`-separated).
    pub path: String,
}

/// Whether `text` holds template syntax (anything else renders to itself).
pub fn is_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("{#")
}

/// Render `source` for `facts`. On an error, the diagnostic's span is relative to `source`.
pub fn render(source: &str, facts: &Facts) -> Result<String, Box<Diagnostic>> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.render_str(source, facts)
        .map_err(|e| Box::new(error(source, facts, &e)))
}

fn error(source: &str, facts: &Facts, e: &minijinja::Error) -> Diagnostic {
    let what = match e.detail() {
        Some(detail) => format!("{}: {}", e.kind(), detail.trim_end_matches('.')),
        None => e.kind().to_string(),
    };
    let span = e
        .range()
        .filter(|r| r.end <= source.len() && r.start <= r.end)
        .or_else(|| e.line().map(|line| line_span(source, line)))
        .unwrap_or(0..0);
    let names: Vec<String> = facts.vars.keys().map(|k| format!("`vars.{k}`")).collect();
    let vars = if names.is_empty() {
        "no `vars` (set them in `[workspace.vars]`)".to_string()
    } else {
        names.join(", ")
    };
    Diagnostic::error(
        codes::TEMPLATE_ERROR,
        format!("template error: {}", what.to_lowercase()),
    )
    .at(span, "here")
    .help(format!(
        "a template sees `member.name` (`{}`), `member.path`, `preset` and {vars}",
        facts.member.name
    ))
}

/// The span of 1-based line `line` of `text`.
fn line_span(text: &str, line: usize) -> Span {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return start..start + l.trim_end().len();
        }
        start += l.len();
    }
    0..0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        let mut vars = serde_json::Map::new();
        vars.insert("version".into(), "1.2.0".into());
        Facts {
            member: MemberFacts {
                name: "api".into(),
                path: "services/api".into(),
            },
            preset: Some("go".into()),
            vars,
        }
    }

    #[test]
    fn renders_member_facts_and_vars() {
        let out = render(
            "tag = \"r/{{ member.name }}:{{ vars.version }}\" # {{ preset }}\n",
            &facts(),
        )
        .expect("renders");
        assert_eq!(out, "tag = \"r/api:1.2.0\" # go\n");
    }

    #[test]
    fn an_undefined_name_is_an_error_pointing_at_it() {
        let source = "a = 1\nb = \"{{ vars.verison }}\"\n";
        let d = render(source, &facts()).unwrap_err();
        assert_eq!(d.code, codes::TEMPLATE_ERROR);
        let span = d.primary.expect("a place").span;
        assert!(source[span.clone()].contains("verison"), "{span:?}");
        assert!(d.help.expect("help").contains("`vars.version`"));
    }

    #[test]
    fn a_syntax_error_points_at_its_line() {
        let source = "a = 1\n{% if %}\n";
        let d = render(source, &facts()).unwrap_err();
        let span = d.primary.expect("a place").span;
        assert!(span.start >= 6, "{span:?}");
    }

    #[test]
    fn html_like_names_are_not_escaped() {
        let mut f = facts();
        f.member.name = "a<b>&".into();
        assert_eq!(render("{{ member.name }}", &f).expect("renders"), "a<b>&");
    }
}
