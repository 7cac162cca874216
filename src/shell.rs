//! Quoting words for the POSIX shell, for the commands presets and emitters write, and
//! ([`syntax`]) reading one-line scripts: how they join with `&&` and whether they leave state
//! in their shell. Imports nothing from the crate.

pub mod syntax;

/// `word` as one shell word: bare when it is plainly safe, else in single quotes.
pub fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r#"'\''"#))
    }
}

/// True for a command that is one plain line of shell: no line break or other control
/// character, no trailing `\` (which continues a line), no heredoc (`<<`), and no leading `-`,
/// `[` or `#` (which a Dockerfile would read as a flag, exec form or a comment). Such a command can
/// be written as it is after `RUN`, and joined with `&&` to another.
pub fn is_simple_line(command: &str) -> bool {
    let trimmed = command.trim();
    !trimmed.is_empty()
        && !command.chars().any(|c| c.is_control() && c != '\t')
        && !trimmed.ends_with('\\')
        && !trimmed.starts_with(['[', '-', '#'])
        && !command.contains("<<")
}

/// `text` in double quotes, so `$NAME` still expands (build arguments) but nothing else does.
pub fn shell_double_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(shell_quote("./cmd/api"), "./cmd/api");
        assert_eq!(shell_quote("-s -w"), "'-s -w'");
        assert_eq!(shell_quote("it's"), r#"'it'\''s'"#);
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$HOME"), "'$HOME'");
    }

    #[test]
    fn double_quotes_keep_dollar() {
        assert_eq!(
            shell_double_quote(r#"-X a=$V "q" `x`"#),
            r#""-X a=$V \"q\" \`x\`""#
        );
    }
}
