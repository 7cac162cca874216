//! Every value from `build.toml` passes through here on its way into a Dockerfile, and nowhere
//! else writes one. The promise: no value can start a new instruction, add a flag or a mount
//! option, open a heredoc, or leave its quoting, and the engine reads each value as the plan
//! holds it. Validation (SG215, `validate/checks/values.rs`) rejects what is not needed or not
//! carried exactly; these functions hold the line even when it did not.
//!
//! The grammars each emitted value goes through, read from BuildKit's Dockerfile frontend
//! (moby/buildkit, `frontend/dockerfile/`, commit 73ed6825 of 2026-08-21), outermost first:
//!
//! 1. Lines (`parser/parser.go` `Parse`): a `bufio.Scanner` reads at most 65535 bytes before a
//!    newline (a longer line, comments included, fails the whole file); a line whose first
//!    non-blank is `#` is a comment, also between continued lines; a `\` then blanks at the end
//!    continues the instruction; RUN, COPY and ADD outside exec form open a heredoc at a word
//!    that starts with `<<`.
//! 2. Flags (`parser/split_command.go` `extractBuilderFlags`), for every instruction: words at
//!    the start of the arguments that start with `--`. The lexer walks bytes: whitespace ends a
//!    word, `'` and `"` open and close quotes and are dropped, `\` takes the next byte
//!    literally; each byte above 0x7F becomes a character U+0080-U+00FF of its own (0x85 and
//!    0xA0 are whitespace), so no non-ASCII character survives. Then `instructions/bflag.go`:
//!    `--name=value`, cut at the first `=`. Written by [`flag`] and [`mount`] (via `flag_word`).
//! 3. `--mount` values (`instructions/commands_runmount.go` `parseMount`): `go-csvvalue` splits
//!    fields at `,`; a field that starts with `"` is quoted and `""` in it is one `"`; a `"`
//!    elsewhere is an error. Each field is cut at its first `=`, the key lowercased; a field
//!    without `=` is a bare option (`rw`, `ro`, `required`). Written by [`mount`].
//! 4. Shell-word expansion (`shell/lex.go` `ProcessWord`) of each `--mount` value, of `--chown`
//!    and `--chmod`, of `--from`, and of every COPY/ADD source and the destination, in exec
//!    form too: `\` takes the next character literally, `'...'` is literal, `"..."` is literal
//!    but for `\"`, `\$`, `\\`, and `$` expands a variable. Written by [`shell_word`].
//! 5. Arguments: exec form (`["a", "b"]`, `parseJSON`) is a JSON array of strings, exact for
//!    every character; a JSON array of anything else is an error, and text that starts with `[`
//!    but is no JSON array falls back to words split on `[\t\v\f\r ]+` (COPY) or to shell form
//!    (RUN, CMD). ENV, LABEL and ARG values, WORKDIR and USER are read as shell words in double
//!    quotes ([`quoted`]). COPY sources are then patterns: `*`, `?`, `[` and `\` mean what they
//!    mean to Go's `filepath.Match`.
//! 6. RUN in shell form is passed to `/bin/sh -c` after line continuation ([`run_form`]).
//!
//! Hence: mount values are escaped for layers 4, 3 and 2 in that order, `--chown` and `--from`
//! for 4 and 2, COPY paths for 4 (in exec form when any is not plain). Non-ASCII and control
//! characters cannot pass layer 2 and are dropped from flags; validation refuses them there.
//! `tests/support/buildkit.rs` is a port of these layers that the unit tests below and the
//! `escape` fuzz target read our output with; `cargo xtask e2e escape` checks them with the
//! real engine.

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

/// Paths of a COPY: bare words when all are plain (globs allowed) and the first cannot be read
/// as exec form (it does not start with `[`), else exec form with each path escaped for the
/// shell-word layer ([`shell_word`]), so quotes, spaces, `\` and `$` reach the engine as
/// written. A path can never be read as a flag: one that starts with `-` forces exec form.
/// `*`, `?` and `[` stay patterns in sources (the engine matches them against the context).
pub fn copy_paths(paths: &[String], dest: &str) -> String {
    let all: Vec<String> = paths
        .iter()
        .cloned()
        .chain(std::iter::once(dest.to_string()))
        .collect();
    let plain = all.iter().all(|p| {
        is_plain(p)
            || (!p.is_empty()
                && !p.starts_with('-')
                && p.chars().all(|c| is_plain_char(c) || "*?[]".contains(c)))
    }) && !all.first().is_some_and(|p| p.starts_with('['));
    if plain {
        all.join(" ")
    } else {
        let escaped: Vec<String> = all.iter().map(|p| shell_word(p)).collect();
        json_array(&escaped)
    }
}

fn is_plain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._/@+=:,~%-".contains(c)
}

/// A value for BuildKit's shell-word expansion outside quotes (`shell/lex.go` `ProcessWord`,
/// applied to COPY sources and destination, `--chown`, `--from` and every `--mount` field
/// value): `\` escapes any next character, so a `\` before each of `\`, `'`, `"` and `$` makes
/// the word literal. Every other character, `<<` included, passes unchanged.
pub fn shell_word(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '\\' | '\'' | '"' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A flag word for the flag lexer (`parser/split_command.go` `extractBuilderFlags`): it reads
/// the line byte by byte, ends the word at whitespace, drops `'` and `"` (opening and closing
/// quotes) and takes the byte after `\` literally. A `\` before each space, quote and `\`
/// makes the word literal. The lexer turns each byte above 0x7F into a character of its own
/// (U+0080-U+00FF, and 0x85 and 0xA0 end the word), so no escaping carries a non-ASCII
/// character, nor a control character (a newline ends the instruction): both are dropped here,
/// and validation rejects them first (SG215).
fn flag_word(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if !c.is_ascii() || c.is_ascii_control() {
            continue;
        }
        if matches!(c, ' ' | '\'' | '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `--name=VALUE` for a flag whose value the engine expands as a shell word after the flag
/// lexer (`--chown`, `--from`): escaped for both layers, so the engine reads `value` itself.
pub fn flag(name: &str, value: &str) -> String {
    format!("--{name}={}", flag_word(&shell_word(value)))
}

/// A `--mount=` flag of `key=value` fields. Four layers read it, outermost first: the flag lexer
/// ([`flag_word`]), the flag parser (the name ends at the first `=`), a CSV reader
/// (`go-csvvalue`: fields end at `,`; a field that starts with `"` is quoted, `""` inside it is
/// one `"`), the field's `key=value` split at its first `=`, and the shell-word expansion of the
/// value ([`shell_word`]). Each value is escaped for the last layer, each field quoted as CSV when
/// it holds `,` or `"`, and the whole flag escaped for the flag lexer, so each field the engine
/// reads is the `key=value` given here. Keys are ours, never the user's.
pub fn mount(fields: &[(&str, &str)]) -> String {
    let csv: Vec<String> = fields
        .iter()
        .map(|(key, value)| {
            let field = format!("{key}={}", shell_word(value));
            if field.contains([',', '"']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field
            }
        })
        .collect();
    format!("--mount={}", flag_word(&csv.join(",")))
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
#[path = "../../tests/support/buildkit.rs"]
mod buildkit;

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
    fn mount_fields_are_csv_quoted_and_escaped() {
        assert_eq!(
            mount(&[("type", "cache"), ("target", "/root/.npm")]),
            "--mount=type=cache,target=/root/.npm"
        );
        assert_eq!(
            mount(&[
                ("type", "cache"),
                ("target", "/c,type=bind,source=/,target=/host,rw")
            ]),
            r#"--mount=type=cache,\"target=/c,type=bind,source=/,target=/host,rw\""#
        );
        assert_eq!(mount(&[("target", "/c'x")]), r"--mount=target=/c\\\'x");
        assert_eq!(flag("chown", "$OWNER"), r"--chown=\\$OWNER");
        assert_eq!(flag("chown", "app:app"), "--chown=app:app");
    }

    /// Every printable ASCII character, and the ones no flag can carry.
    fn specials() -> Vec<String> {
        let mut out: Vec<String> = (0x20u8..0x7f)
            .map(|b| format!("/a{}b", char::from(b)))
            .collect();
        out.extend(HOSTILE.iter().map(|s| s.to_string()));
        out.extend(
            [
                "/c,type=bind,source=/,target=/host,rw",
                "/c'x",
                "\"",
                "\"\"",
                "/x\\",
                "/à",
                "/\u{85}x",
                "/x y",
                "--mount=x",
                "/x<<EOF",
                "<<EOF",
                "/$",
                "a$",
                "",
            ]
            .map(String::from),
        );
        out
    }

    /// What the flag lexer can carry at all: ASCII without control characters.
    fn carried(value: &str) -> String {
        value
            .chars()
            .filter(|c| c.is_ascii() && !c.is_ascii_control())
            .collect()
    }

    fn parse_one(text: &str) -> buildkit::Instruction {
        let parsed = buildkit::instructions(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(parsed.len(), 1, "{text:?} gave {parsed:?}");
        parsed.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn buildkit_reads_back_every_mount_field() {
        for value in specials() {
            let flag = mount(&[("type", "cache"), ("target", &value), ("id", &value)]);
            let text = format!("RUN {flag} \\\n    {flag} \\\n    true\n");
            let run = parse_one(&text);
            assert_eq!(run.args, "true", "{text:?}");
            let mounts = buildkit::run_mounts(&run).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            let want = vec![
                ("type".to_string(), Some("cache".to_string())),
                ("target".to_string(), Some(carried(&value))),
                ("id".to_string(), Some(carried(&value))),
            ];
            assert_eq!(mounts, vec![want.clone(), want], "{text:?}");
        }
    }

    #[test]
    fn buildkit_reads_back_copy_flags_and_paths() {
        for value in specials() {
            let line = format!(
                "COPY {} {} {}\n",
                flag("from", &value),
                flag("chown", &value),
                copy_paths(&[value.clone(), "b".into()], &value)
            );
            let copy = parse_one(&line);
            let read = buildkit::read_copy(&copy).unwrap_or_else(|e| panic!("{line:?}: {e}"));
            assert_eq!(
                read.from.as_deref(),
                Some(carried(&value).as_str()),
                "{line:?}"
            );
            assert_eq!(
                read.chown.as_deref(),
                Some(carried(&value).as_str()),
                "{line:?}"
            );
            if value.is_empty() || value.contains(['\n', '\r']) {
                continue; // validation refuses these paths; only their confinement matters
            }
            assert_eq!(
                read.paths,
                vec![value.clone(), "b".into(), value.clone()],
                "{line:?}"
            );
        }
    }

    #[test]
    fn a_pattern_first_is_not_read_as_exec_form() {
        assert_eq!(copy_paths(&["[1]".into()], "/x/"), r#"["[1]", "/x/"]"#);
        assert_eq!(
            copy_paths(&["a\\b.txt".into()], "/x/"),
            r#"["a\\\\b.txt", "/x/"]"#
        );
        assert_eq!(
            copy_paths(&["*.go".into(), "[ab].txt".into()], "./"),
            "*.go [ab].txt ./"
        );
    }
}
