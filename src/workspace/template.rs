//! Templating in a workspace: an `extends` template is a minijinja template of a `build.toml`,
//! rendered whole; a string of `[workspace.defaults]` is a template rendered on its own. Both
//! see the same facts: `member.name`, `member.path`, `preset` and `vars`, with strict undefined
//! (a misspelled name is an error, never a blank). An error points into the template: at the
//! expression minijinja blames, else at its line.

use std::sync::{PoisonError, RwLock};

use serde::Serialize;

use crate::diagnostics::{codes, Diagnostic};
use crate::source::Span;

/// What a template knows about the member it is rendered for.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub member: MemberFacts,
    /// The member's preset: the one it names, else the one its files show. When neither tells,
    /// it is undefined, so a template that uses it fails (strict) rather than render a blank.
    #[serde(skip_serializing_if = "Option::is_none")]
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

/// The templates of one run, each compiled once and rendered for every member that uses it
/// (a 1,000-member workspace on one template compiles it once, not 1,000 times; issue 15). A
/// template is known by its text, so two files with the same text share one compiled form and
/// an edited file can never be served stale. Shared by the threads that load members: rendering
/// takes a read lock, compiling a template not seen before the write lock.
pub struct Templates {
    env: RwLock<minijinja::Environment<'static>>,
}

impl Default for Templates {
    fn default() -> Self {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        Templates {
            env: RwLock::new(env),
        }
    }
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates").finish_non_exhaustive()
    }
}

impl Templates {
    /// Render `source` for `facts`, compiling it on its first use. On an error, the
    /// diagnostic's span is relative to `source`.
    pub fn render(&self, source: &str, facts: &Facts) -> Result<String, Box<Diagnostic>> {
        if let Some(rendered) = self.render_compiled(source, facts) {
            return rendered;
        }
        let mut env = self.env.write().unwrap_or_else(PoisonError::into_inner);
        // Another thread may have compiled it since the read lock was let go.
        if env.get_template(source).is_err() {
            // The name is the text itself: the key of the cache.
            env.add_template_owned(source.to_string(), source.to_string())
                .map_err(|e| Box::new(error(source, facts, &e)))?;
        }
        env.get_template(source)
            .and_then(|template| template.render(facts))
            .map_err(|e| Box::new(error(source, facts, &e)))
    }

    /// `source` rendered, when it has been compiled.
    fn render_compiled(
        &self,
        source: &str,
        facts: &Facts,
    ) -> Option<Result<String, Box<Diagnostic>>> {
        let env = self.env.read().unwrap_or_else(PoisonError::into_inner);
        let template = env.get_template(source).ok()?;
        Some(
            template
                .render(facts)
                .map_err(|e| Box::new(error(source, facts, &e))),
        )
    }

    /// How many distinct templates have been compiled.
    pub fn compiled(&self) -> usize {
        let env = self.env.read().unwrap_or_else(PoisonError::into_inner);
        env.templates().count()
    }
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
        "a template sees `member.name` (`{}`), `member.path`, {} and {vars}",
        facts.member.name,
        match &facts.preset {
            Some(p) => format!("`preset` (`{p}`)"),
            None => "`preset` (undefined here: no preset is named and none is clear from the member's files; name it in its `[preset]`)".to_string(),
        }
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

    fn render(source: &str, facts: &Facts) -> Result<String, Box<Diagnostic>> {
        Templates::default().render(source, facts)
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

    #[test]
    fn a_template_compiled_once_renders_each_members_own_facts() {
        let templates = Templates::default();
        let source = "name = \"{{ member.name }}\" # {{ member.path }}\n";
        let mut other = facts();
        other.member.name = "billing".into();
        other.member.path = "services/billing".into();
        let api = templates.render(source, &facts()).expect("renders");
        let billing = templates.render(source, &other).expect("renders");
        assert_eq!(api, "name = \"api\" # services/api\n");
        assert_eq!(billing, "name = \"billing\" # services/billing\n");
        assert_eq!(templates.compiled(), 1);
        // Another text is another template; an edited file is never served the old one.
        let edited = "name = \"svc-{{ member.name }}\"\n";
        assert_eq!(
            templates.render(edited, &facts()).expect("renders"),
            "name = \"svc-api\"\n"
        );
        assert_eq!(templates.compiled(), 2);
    }

    #[test]
    fn a_template_that_does_not_compile_fails_for_every_member_that_uses_it() {
        let templates = Templates::default();
        let source = "a = 1\n{% if %}\n";
        for _ in 0..2 {
            let d = templates.render(source, &facts()).unwrap_err();
            assert_eq!(d.code, codes::TEMPLATE_ERROR);
        }
        assert_eq!(templates.compiled(), 0);
    }

    #[test]
    fn threads_share_the_compiled_templates() {
        let templates = Templates::default();
        let source = "{{ member.name }}@{{ vars.version }}";
        std::thread::scope(|scope| {
            for n in 0..4 {
                let templates = &templates;
                scope.spawn(move || {
                    let mut f = facts();
                    f.member.name = format!("m{n}");
                    for _ in 0..50 {
                        let out = templates.render(source, &f).expect("renders");
                        assert_eq!(out, format!("m{n}@1.2.0"));
                    }
                });
            }
        });
        assert_eq!(templates.compiled(), 1);
    }
}
