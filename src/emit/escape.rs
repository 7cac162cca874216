//! Every value from `build.toml` passes through here on its way into a Dockerfile, and nowhere
//! else writes one. The promise: no value can start a new instruction, add a flag, open a
//! heredoc, or leave its quoting. Validation already rejects most such values with a clear
//! error; these functions hold the line even when it did not.
//!
//! The Dockerfile rules this relies on (BuildKit's parser, escape character `\`):
//! - an instruction ends at an unescaped newline; a `\` at the end of a line continues it;
//! - exec form (`["a", "b"]`) is a JSON array, so JSON string escaping is exact;
//! - ENV, LABEL, WORKDIR, USER, EXPOSE, COPY and ARG expand `$VAR`, and inside double quotes
//!   `\` escapes the next character;
//! - RUN in shell form is passed to the shell after line continuation, flags (`--mount=`) are
//!   read from its start, and `<<WORD` opens a heredoc with syntax 1.4 and later.

/// A list of words in exec form: `["a", "b"]`. JSON escaping keeps every character, newlines
/// and quotes included, inside its string.
pub fn json_array(words: &[String]) -> String {
    let items: Vec<String> = words.iter().map(|w| json_string(w)).collect();
    format!("[{}]", items.join(", "))
}

fn json_string(word: &str) -> String {
    serde_json::to_string(word).unwrap_or_else(|_| "\"\"".to_string())
}

/// A value in double quotes, for ENV, LABEL and ARG: `\`, `"` and `$` are escaped so the value
/// is literal. Control characters (validation rejects them) are dropped: a Dockerfile line
/// cannot hold a newline.
pub fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' | '"' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A single word (WORKDIR, USER, an image, a stage name): bare when every character is plainly
/// safe, else quoted.
pub fn word(value: &str) -> String {
    if is_plain(value) {
        value.to_string()
    } else {
        quoted(value)
    }
}

fn is_plain(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with('-')
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/@+=:,~%-".contains(c))
}

/// Paths of a COPY: bare words when all are plain (globs allowed), else exec form. A path can
/// never be read as a flag: one that starts with `-` forces exec form.
pub fn copy_paths(paths: &[String], dest: &str) -> String {
    let all: Vec<String> = paths
        .iter()
        .cloned()
        .chain(std::iter::once(dest.to_string()))
        .collect();
    let plain = all.iter().all(|p| {
        is_plain(p)
            || (!p.starts_with('-') && p.chars().all(|c| is_plain_char(c) || "*?[]".contains(c)))
    });
    if plain {
        all.join(" ")
    } else {
        // `$` would still be expanded in exec form; validation rejects it in paths.
        json_array(&all)
    }
}

fn is_plain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._/@+=:,~%-".contains(c)
}

/// One `key=value` field of a `--mount=` flag, quoted as CSV when it holds `,` or `"`.
pub fn mount_field(key: &str, value: &str) -> String {
    let field = format!(
        "{key}={}",
        value
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
    );
    if field.contains([',', '"', ' ']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

/// How a RUN command is written.
#[derive(Debug, PartialEq, Eq)]
pub enum RunForm {
    /// Shell form: the line as written.
    Shell(String),
    /// Exec form of `/bin/sh -c SCRIPT`, for commands shell form cannot carry safely.
    Exec(String),
}

/// The form a RUN command must take. Shell form only for a single line that cannot continue
/// onto the next line, open a heredoc, look like exec form or look like a flag.
pub fn run_form(command: &str) -> RunForm {
    if crate::shell::is_simple_line(command) {
        RunForm::Shell(command.trim().to_string())
    } else {
        RunForm::Exec(json_array(&[
            "/bin/sh".to_string(),
            "-c".to_string(),
            command.to_string(),
        ]))
    }
}

/// A comment line's text: one line, no control characters.
pub fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Adversarial values: each must stay inside the one instruction it belongs to.
    const HOSTILE: &[&str] = &[
        "a\nRUN rm -rf /",
        "a\r\nUSER root",
        "ends with backslash \\",
        "\\",
        "quote \" inside",
        "single ' quote",
        "dollar $HOME and ${PATH}",
        "heredoc <<EOF",
        "<<-EOT\nx\nEOT",
        "--mount=type=bind,source=/,target=/host",
        "[\"/bin/sh\", \"-c\", \"id\"]",
        "# not a comment",
        "tab\there",
        "nul\0byte",
        "unicode \u{2028} line separator",
        "`backticks` and $(subshell)",
    ];

    /// Split emitted text into Dockerfile instructions the way the parser does: join lines
    /// ending in `\`, and skip comment lines.
    fn instructions(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = String::new();
        for line in text.split('\n') {
            if current.is_empty() && line.trim_start().starts_with('#') {
                continue;
            }
            if let Some(stripped) = line.strip_suffix('\\') {
                current.push_str(stripped);
                continue;
            }
            current.push_str(line);
            if !current.trim().is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
        }
        if !current.trim().is_empty() {
            out.push(current);
        }
        out
    }

    #[test]
    fn hostile_values_stay_in_one_instruction() {
        for value in HOSTILE {
            let lines = [
                format!("ENV A={}", quoted(value)),
                format!("LABEL a={}", quoted(value)),
                format!("WORKDIR {}", word(value)),
                format!("CMD {}", json_array(&[value.to_string()])),
                format!("COPY {}", copy_paths(&[value.to_string()], "/x")),
                match run_form(value) {
                    RunForm::Shell(s) => format!("RUN {s}"),
                    RunForm::Exec(e) => format!("RUN {e}"),
                },
            ];
            for line in lines {
                let found = instructions(&line);
                assert_eq!(found.len(), 1, "{value:?} split {line:?} into {found:?}");
                assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
            }
        }
    }

    #[test]
    fn shell_form_only_when_safe() {
        assert_eq!(
            run_form("go build ./..."),
            RunForm::Shell("go build ./...".into())
        );
        for value in HOSTILE.iter().filter(|v| {
            !matches!(
                **v,
                "quote \" inside"
                    | "single ' quote"
                    | "dollar $HOME and ${PATH}"
                    | "tab\there"
                    | "unicode \u{2028} line separator"
                    | "`backticks` and $(subshell)"
            )
        }) {
            assert!(matches!(run_form(value), RunForm::Exec(_)), "{value:?}");
        }
    }

    #[test]
    fn quoted_values_are_literal() {
        assert_eq!(quoted(r#"a"b\c$d"#), r#""a\"b\\c\$d""#);
        assert_eq!(quoted("x\ny"), "\"xy\"");
    }

    #[test]
    fn words_and_paths() {
        assert_eq!(word("/app"), "/app");
        assert_eq!(word("/my app"), "\"/my app\"");
        assert_eq!(word("--flag"), "\"--flag\"");
        assert_eq!(
            copy_paths(&["go.mod".into(), "*.sum".into()], "./"),
            "go.mod *.sum ./"
        );
        assert_eq!(
            copy_paths(&["--from=x".into()], "/a"),
            r#"["--from=x", "/a"]"#
        );
        assert_eq!(
            copy_paths(&["my file".into()], "/a b/"),
            r#"["my file", "/a b/"]"#
        );
    }

    #[test]
    fn mount_fields_are_csv_quoted() {
        assert_eq!(mount_field("target", "/root/.npm"), "target=/root/.npm");
        assert_eq!(mount_field("target", "/a,b"), "\"target=/a,b\"");
    }
}
