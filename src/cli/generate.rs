//! Files generated from the clap definitions: shell completion scripts (`stagegen completions
//! <shell>`, by clap_complete) and man pages (`stagegen man [command]`, by clap_mangen). Both
//! come from the same [`clap::Command`] as the parser, so they cannot drift from it. Imports
//! only clap.

use clap::Command;

/// The completion script of `shell` for `cmd`, named `bin` (what the user types).
pub(super) fn completions(shell: clap_complete::Shell, cmd: &mut Command, bin: &str) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, cmd, bin, &mut out);
    out
}

/// The man page (roff) of `cmd`, or of its subcommand `sub` (`stagegen-init(1)`). `Err` holds
/// the subcommands when `sub` is not one of them.
pub(super) fn man_page(cmd: Command, sub: Option<&str>) -> Result<Vec<u8>, Vec<String>> {
    let mut cmd = cmd;
    cmd.build();
    let (page, title) = match sub {
        None => {
            let title = cmd.get_name().to_string();
            (cmd, title)
        }
        Some(name) => {
            let found = cmd
                .get_subcommands()
                .find(|s| s.get_name() == name && name != "help")
                .cloned();
            match found {
                // The page of `stagegen init` is `stagegen-init(1)`, as git and cargo name theirs.
                Some(s) => {
                    let title = format!("{}-{}", cmd.get_name(), s.get_name());
                    (s, title)
                }
                None => return Err(subcommand_names(&cmd)),
            }
        }
    };
    let mut out = Vec::new();
    // Rendering into a Vec cannot fail: the only error is the writer's.
    let _ = clap_mangen::Man::new(page).title(title).render(&mut out);
    Ok(out)
}

/// The names of `cmd`'s subcommands, in the order `--help` lists them (without `help`).
pub(super) fn subcommand_names(cmd: &Command) -> Vec<String> {
    cmd.get_subcommands()
        .map(|s| s.get_name().to_string())
        .filter(|n| n != "help")
        .collect()
}
