//! Whether messages on stderr are coloured, decided as cargo does: `--color always|never` wins;
//! with `auto` (the default), `NO_COLOR` (set and not empty) turns colour off, then
//! `CLICOLOR_FORCE` (set and not `0`) turns it on, then colour is on only when stderr is a
//! terminal (and `TERM` is not `dumb`). Only the human diagnostics renderer colours anything;
//! data on stdout never is. Imports nothing from the crate.

use std::ffi::OsString;

use clap::ValueEnum;

/// `--color`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum ColorWhen {
    /// Colour when stderr is a terminal, unless `NO_COLOR` is set (or `CLICOLOR_FORCE` forces it)
    #[default]
    Auto,
    /// Always colour, even into a file or a pipe
    Always,
    /// Never colour
    Never,
}

/// Whether to colour, for `when`, the environment `env` and whether stderr is a terminal.
pub(super) fn use_color(
    when: ColorWhen,
    env: impl Fn(&str) -> Option<OsString>,
    stderr_is_terminal: bool,
) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            // https://no-color.org: set to anything but the empty string.
            if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                return false;
            }
            // https://bixense.com/clicolors: anything but `0` forces colour, into a pipe too.
            if env("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                return true;
            }
            if env("CLICOLOR").is_some_and(|v| v == "0") {
                return false;
            }
            stderr_is_terminal && env("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// Whether to colour this process's stderr.
pub(super) fn stderr_color(when: ColorWhen) -> bool {
    use std::io::IsTerminal as _;
    use_color(
        when,
        |name| std::env::var_os(name),
        std::io::stderr().is_terminal(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(when: ColorWhen, vars: &[(&str, &str)], terminal: bool) -> bool {
        use_color(
            when,
            |name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            },
            terminal,
        )
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        assert!(decide(ColorWhen::Always, &[("NO_COLOR", "1")], false));
        assert!(!decide(ColorWhen::Never, &[("CLICOLOR_FORCE", "1")], true));
    }

    #[test]
    fn auto_colours_a_terminal_only() {
        assert!(decide(ColorWhen::Auto, &[], true));
        assert!(!decide(ColorWhen::Auto, &[], false));
        assert!(!decide(ColorWhen::Auto, &[("TERM", "dumb")], true));
    }

    #[test]
    fn no_color_turns_it_off_unless_empty() {
        assert!(!decide(ColorWhen::Auto, &[("NO_COLOR", "1")], true));
        assert!(decide(ColorWhen::Auto, &[("NO_COLOR", "")], true));
        // NO_COLOR wins over CLICOLOR_FORCE, as in cargo (anstream).
        assert!(!decide(
            ColorWhen::Auto,
            &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
            true
        ));
    }

    #[test]
    fn clicolor_force_colours_a_pipe_and_clicolor_0_turns_it_off() {
        assert!(decide(ColorWhen::Auto, &[("CLICOLOR_FORCE", "1")], false));
        assert!(!decide(ColorWhen::Auto, &[("CLICOLOR_FORCE", "0")], false));
        assert!(!decide(ColorWhen::Auto, &[("CLICOLOR", "0")], true));
    }
}
