//! What the user's `[runtime]` table (and the `[[stage]]`s built on the final image) asks of the
//! final image beyond the preset's own start command: a health check's program, a command of
//! their own, commands run in it. A preset whose default image has no shell (distroless) reads
//! it to choose an image that has one when these need it; resolve fills it in from the spec.

/// What the user's settings ask of the final image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuntimeNeeds {
    /// `[runtime] healthcheck`'s command, as written (exec form).
    pub healthcheck: Option<Vec<String>>,
    /// `cmd` or `entrypoint` set in `[runtime]`: the key's name. It replaces the preset's
    /// command, and stagegen cannot tell what it needs.
    pub command: Option<&'static str>,
    /// Where a `run` step runs in the final image: `[runtime] steps`, or a `[[stage]]` built on
    /// it (`stage `name``).
    pub runs: Option<String>,
}

impl RuntimeNeeds {
    /// Why `image`, with no shell and no program but `programs` (as a health check names
    /// them), cannot take these settings, in a few words; `None` when it can.
    pub fn need_beyond(&self, image: &str, programs: &[&str]) -> Option<String> {
        if let Some(key) = self.command {
            return Some(format!(
                "`[runtime] {key}` replaces the start command, and stagegen cannot tell whether it needs a shell"
            ));
        }
        if let Some(place) = &self.runs {
            return Some(format!("{place} runs commands, which need a shell"));
        }
        let program = self.healthcheck.as_ref()?.first()?;
        (!programs.contains(&program.as_str())).then(|| {
            let has: Vec<String> = programs.iter().map(|p| format!("`{p}`")).collect();
            format!(
                "the `[runtime] healthcheck` runs `{program}`, and {image} has no shell and no program but {}",
                has.join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_health_check_of_the_image_s_own_program_needs_nothing_more() {
        let node = ["/nodejs/bin/node"];
        let check = |words: &[&str]| RuntimeNeeds {
            healthcheck: Some(words.iter().map(|w| w.to_string()).collect()),
            ..RuntimeNeeds::default()
        };
        assert_eq!(
            RuntimeNeeds::default().need_beyond("distroless", &node),
            None
        );
        assert_eq!(
            check(&["/nodejs/bin/node", "check.js"]).need_beyond("distroless", &node),
            None
        );
        let why = check(&["curl", "-f", "localhost"]).need_beyond("distroless", &node);
        assert!(why.is_some_and(|w| w.contains("`curl`") && w.contains("/nodejs/bin/node")));
        // `node` is not on distroless' PATH.
        assert!(check(&["node", "check.js"])
            .need_beyond("distroless", &node)
            .is_some());
    }

    #[test]
    fn a_command_of_the_user_s_or_a_run_step_needs_a_shell() {
        let cmd = RuntimeNeeds {
            command: Some("cmd"),
            ..RuntimeNeeds::default()
        };
        assert!(cmd
            .need_beyond("distroless", &[])
            .is_some_and(|w| w.contains("`[runtime] cmd`")));
        let runs = RuntimeNeeds {
            runs: Some("`[runtime] steps`".into()),
            ..RuntimeNeeds::default()
        };
        assert!(runs
            .need_beyond("distroless", &[])
            .is_some_and(|w| w.contains("shell")));
    }
}
