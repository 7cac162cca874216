//! A default final image without a shell: when `[runtime] base` is unset, a preset whose small
//! image is distroless takes it unless the app needs what it lacks, and then takes slim and
//! says why ([`BaseChoice`]). An explicit `base` is taken at its word, errors included.

/// How the final image was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseChoice {
    /// `[runtime] base` names it (or the preset chose none: a static site's web server).
    Given,
    /// The default, distroless: the app needs nothing it lacks.
    Distroless,
    /// The default fell back to slim, for this reason.
    Slim(String),
}

impl BaseChoice {
    /// The choice for `given` (`[runtime] base`): the user's, else distroless unless
    /// `why_not` tells what the app needs that distroless lacks.
    pub fn of(given: Option<&str>, why_not: impl FnOnce() -> Option<String>) -> BaseChoice {
        if given.is_some() {
            return BaseChoice::Given;
        }
        match why_not() {
            Some(why) => BaseChoice::Slim(why),
            None => BaseChoice::Distroless,
        }
    }

    /// The `base` the preset resolves: the user's, else the default's flavour.
    pub fn base<'a>(&self, given: Option<&'a str>) -> Option<&'a str> {
        match self {
            BaseChoice::Given => given,
            BaseChoice::Distroless => Some("distroless"),
            BaseChoice::Slim(_) => Some("slim"),
        }
    }

    /// The `detected` line of a default (`image` the final image, `slim` the image
    /// `base = "slim"` gives); `None` for an image the user named.
    pub fn line(&self, image: &str, slim: &str) -> Option<String> {
        match self {
            BaseChoice::Given => None,
            BaseChoice::Distroless => Some(format!(
                "final image: distroless, as nothing needs a shell, a package manager or apt (`base = \"slim\"` in `[runtime]` for {slim}, which has a shell)"
            )),
            BaseChoice::Slim(why) => Some(format!("final image: {image}, not distroless: {why}")),
        }
    }
}

/// Why a start command cannot run on an image without a shell: `shell_syntax`, it runs with
/// `sh -c`; `needs_shell`, it runs a script or a tool that needs one (or `/usr/bin/env`).
pub fn start_needs_shell(
    words: &[String],
    shell_syntax: bool,
    needs_shell: bool,
) -> Option<String> {
    let start = words.join(" ");
    if shell_syntax {
        Some(format!(
            "the start command `{start}` has shell syntax, run with `sh -c`"
        ))
    } else if needs_shell {
        Some(format!(
            "the start command `{start}` needs a shell or `/usr/bin/env`"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_base_wins_and_a_fallback_says_why() {
        assert_eq!(
            BaseChoice::of(Some("slim"), || unreachable!()),
            BaseChoice::Given
        );
        assert_eq!(BaseChoice::of(None, || None), BaseChoice::Distroless);
        let slim = BaseChoice::of(None, || Some("distroless has no Node 16".into()));
        assert_eq!(slim.base(None), Some("slim"));
        assert_eq!(BaseChoice::Given.base(Some("alpine")), Some("alpine"));
        assert_eq!(
            slim.line("node:16-slim", "node:16-slim").as_deref(),
            Some("final image: node:16-slim, not distroless: distroless has no Node 16")
        );
        assert!(BaseChoice::Distroless
            .line("d", "node:22-slim")
            .is_some_and(|l| l.contains("for node:22-slim, which has a shell")));
        assert_eq!(BaseChoice::Given.line("a", "b"), None);
    }

    #[test]
    fn shell_syntax_or_a_script_needs_a_shell() {
        let words = vec!["./start.sh".to_string()];
        assert_eq!(start_needs_shell(&words, false, false), None);
        assert!(start_needs_shell(&words, false, true).is_some_and(|w| w.contains("`./start.sh`")));
        assert!(start_needs_shell(&words, true, true).is_some_and(|w| w.contains("sh -c")));
    }
}
