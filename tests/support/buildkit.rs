//! A model of how BuildKit's Dockerfile frontend reads back what stagegen writes: the line
//! scanner, the flag lexer, the flag parser, the `--mount` CSV reader and the shell-word
//! expansion of flag values and COPY paths. Ported from moby/buildkit (commit 73ed6825,
//! 2026-08-21) so that tests and the `escape` fuzz target can check that every value the plan
//! holds is the value the engine reads, or that stagegen refused it. Test support only: the
//! product never parses Dockerfiles.
//!
//! - `frontend/dockerfile/parser/parser.go` `Parse`: lines come from a `bufio.Scanner` (at most
//!   65535 bytes before the newline), a line whose first non-blank is `#` is a comment (also
//!   inside a continuation), a `\` at the end of a line (then blanks) continues it, blank
//!   continuation lines are dropped;
//! - `parser/split_command.go` `extractBuilderFlags`: words that start with `--` at the start of
//!   the arguments are flags; it reads bytes, so each byte above 0x7F becomes a character
//!   U+0080-U+00FF, whitespace ends a word, `'` and `"` open and close quotes (dropped), `\`
//!   takes the next byte literally;
//! - `instructions/bflag.go` `Parse`: a flag is `--name=value`, cut at the first `=`;
//! - `parser/line_parsers.go` `parseMaybeJSONToList`: COPY arguments are a JSON string array, or
//!   words split on `[\t\v\f\r ]+`;
//! - `instructions/commands_runmount.go` `parseMount` with `go-csvvalue` `Fields`: `,` ends a
//!   field unless it is quoted (`"..."`, `""` is one `"`), a `"` in an unquoted field is an
//!   error; `key=value` is cut at the first `=`, the key lowercased;
//! - `shell/lex.go` `ProcessWord` (with no variables set): `\` takes the next character
//!   literally, `'...'` is literal, `"..."` is literal but for `\"`, `\$`, `\\`, and `$` expands
//!   a variable (here: any `$` that is not the last character is reported as an expansion).
// Each test crate uses a part of this module, and the library's unit tests include it as a
// private module (`#[path]`), where its `pub` items reach no one.
#![allow(dead_code, unreachable_pub)]

/// The longest line BuildKit's scanner reads (`bufio.MaxScanTokenSize - 1`).
pub const MAX_LINE: usize = 64 * 1024 - 1;

/// A `--mount` as `parseMount` reads it: each field as (lowercase key, expanded value), a
/// field without `=` as (key, `None`).
pub type MountFields = Vec<(String, Option<String>)>;

/// One instruction as the parser splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The instruction, lowercase (`run`, `copy`).
    pub command: String,
    /// Flag words, lexed (`--mount=type=cache,target=/x`).
    pub flags: Vec<String>,
    /// The rest of the line after the flags, trimmed.
    pub args: String,
}

/// Split a Dockerfile into instructions the way `parser.Parse` does (heredocs aside: an
/// instruction that could open one is an error here, stagegen never writes one).
pub fn instructions(dockerfile: &str) -> Result<Vec<Instruction>, String> {
    let mut out = Vec::new();
    let mut lines = dockerfile.split_inclusive('\n').peekable();
    let mut number = 0usize;
    while let Some(raw) = lines.next() {
        number += 1;
        check_length(raw, number)?;
        let raw = if number == 1 {
            raw.strip_prefix('\u{feff}').unwrap_or(raw)
        } else {
            raw
        };
        let line = trim_newline(raw).trim_start_matches(is_go_space);
        if line.starts_with('#') {
            continue;
        }
        let (first, mut done) = trim_continuation(line);
        if done && first.is_empty() {
            continue;
        }
        let mut logical = first.to_string();
        while !done {
            let Some(next) = lines.next() else { break };
            number += 1;
            check_length(next, number)?;
            let content = trim_newline(next);
            if content.trim_start_matches(is_go_space).starts_with('#') {
                continue;
            }
            if content.trim_start_matches(is_go_space).is_empty() {
                continue;
            }
            let (part, end) = trim_continuation(content);
            logical.push_str(part);
            done = end;
        }
        let instruction = split_command(&logical)?;
        if matches!(instruction.command.as_str(), "run" | "copy" | "add")
            && parse_json(&instruction.args).ok().flatten().is_none()
            && opens_heredoc(&logical)
        {
            return Err(format!("line {number}: opens a heredoc: {logical}"));
        }
        out.push(instruction);
    }
    Ok(out)
}

fn check_length(raw: &str, number: usize) -> Result<(), String> {
    let content = raw.strip_suffix('\n').unwrap_or(raw);
    if content.len() > MAX_LINE {
        return Err(format!(
            "line {number}: dockerfile line greater than max allowed size of {MAX_LINE}"
        ));
    }
    Ok(())
}

fn trim_newline(s: &str) -> &str {
    s.trim_end_matches(['\r', '\n'])
}

/// Go's `unicode.IsSpace`.
fn is_go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (c > '\u{ff}' && c.is_whitespace())
}

/// `([^\\])\\[ \t]*$|^\\[ \t]*$` replaced by `$1`: (the line, whether it ends the instruction).
fn trim_continuation(line: &str) -> (&str, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    match body.strip_suffix('\\') {
        Some("") => ("", false),
        Some(rest) if !rest.ends_with('\\') => (rest, false),
        _ => (line, true),
    }
}

/// `splitCommand`: the instruction word, then flags, then the arguments.
fn split_command(line: &str) -> Result<Instruction, String> {
    let line = line.trim_matches(is_go_space);
    let (command, rest) = match line.find(is_ws_delimiter) {
        Some(i) => {
            let rest = line[i..].trim_start_matches(is_ws_delimiter);
            (&line[..i], rest)
        }
        None => (line, ""),
    };
    let (args, flags) = extract_builder_flags(rest);
    Ok(Instruction {
        command: command.to_ascii_lowercase(),
        flags,
        args: args.trim_matches(is_go_space).to_string(),
    })
}

/// `[\t\v\f\r ]`.
fn is_ws_delimiter(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// `extractBuilderFlags`, byte by byte as in Go: (the rest of the line, the flag words).
pub fn extract_builder_flags(line: &str) -> (String, Vec<String>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let bytes = line.as_bytes();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = 0usize;
    while pos <= bytes.len() {
        let ch = if pos < bytes.len() { bytes[pos] } else { 0 };
        let space = is_go_space(char::from(ch));
        if phase == Phase::Spaces {
            if pos == bytes.len() {
                break;
            }
            if space {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == bytes.len() || bytes[pos + 1] != b'-' {
                return (lossy(&bytes[pos..]), words);
            }
            phase = Phase::Word;
        }
        if pos == bytes.len() {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if space {
                phase = Phase::Spaces;
                if word == "--" {
                    return (lossy(&bytes[pos..]), words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            let mut c = ch;
            if ch == b'\\' {
                if pos + 1 == bytes.len() {
                    pos += 1;
                    continue;
                }
                pos += 1;
                c = bytes[pos];
            }
            word.push(char::from(c));
            pos += 1;
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        let mut c = ch;
        if ch == b'\\' {
            if pos + 1 == bytes.len() {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            c = bytes[pos];
        }
        word.push(char::from(c));
        pos += 1;
    }
    (String::new(), words)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `BFlags.Parse`: each flag word as (name, value); `None` for a value-less flag.
pub fn flag_values(words: &[String]) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    for w in words {
        let Some(rest) = w.strip_prefix("--") else {
            return Err(format!("arg should start with -- : {w}"));
        };
        match rest.split_once('=') {
            Some((name, value)) => out.push((name.to_string(), Some(value.to_string()))),
            None => out.push((rest.to_string(), None)),
        }
    }
    Ok(out)
}

/// `parseJSON`: `Ok(Some(words))` for a JSON array of strings, `Ok(None)` when the arguments
/// are not JSON (the caller falls back to words), an error for a JSON array of other things.
pub fn parse_json(args: &str) -> Result<Option<Vec<String>>, String> {
    let rest = args.trim_start_matches(is_go_space);
    if !rest.starts_with('[') {
        return Ok(None);
    }
    let Ok(items) = serde_json::from_str::<Vec<serde_json::Value>>(rest) else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s),
            _ => Err("dockerfile: JSON array must hold only strings".to_string()),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `parseMaybeJSONToList`: COPY's sources and destination, before expansion.
pub fn copy_words(args: &str) -> Result<Vec<String>, String> {
    if let Some(words) = parse_json(args)? {
        return Ok(words);
    }
    if args.is_empty() {
        return Ok(Vec::new());
    }
    Ok(args
        .split(is_ws_delimiter)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect())
}

/// `go-csvvalue` `Fields` with the defaults (`,`, strict quotes).
pub fn csv_fields(line: &str) -> Result<Vec<String>, String> {
    let mut line = line
        .strip_suffix("\r\n")
        .or_else(|| line.strip_suffix('\n'))
        .unwrap_or(line);
    if line.is_empty() {
        return Err("csv: EOF".into());
    }
    let mut out: Vec<String> = Vec::new();
    loop {
        if !line.starts_with('"') {
            let (field, next) = match line.find(',') {
                Some(i) => (&line[..i], Some(&line[i + 1..])),
                None => (line, None),
            };
            if field.contains('"') {
                return Err("csv: bare \" in non-quoted field".into());
            }
            out.push(field.to_string());
            match next {
                Some(n) => {
                    line = n;
                    continue;
                }
                None => break,
            }
        }
        line = &line[1..];
        let mut field = String::new();
        loop {
            let Some(i) = line.find('"') else {
                return Err("csv: extraneous or missing \" in quoted-field".into());
            };
            field.push_str(&line[..i]);
            line = &line[i + 1..];
            if let Some(rest) = line.strip_prefix('"') {
                field.push('"');
                line = rest;
                continue;
            }
            if let Some(rest) = line.strip_prefix(',') {
                out.push(std::mem::take(&mut field));
                line = rest;
                break;
            }
            if line.is_empty() {
                out.push(field);
                return Ok(out);
            }
            return Err("csv: extraneous or missing \" in quoted-field".into());
        }
    }
    Ok(out)
}

/// `ProcessWord` with no variables set, outside quotes.
pub fn shell_word(word: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '\'' => loop {
                match chars.next() {
                    None => return Err("unexpected end of statement looking for `'`".into()),
                    Some('\'') => break,
                    Some(x) => out.push(x),
                }
            },
            '"' => loop {
                match chars.next() {
                    None => return Err("unexpected end of statement looking for `\"`".into()),
                    Some('"') => break,
                    Some('$') if chars.peek().is_some() => {
                        return Err(format!("`{word}` expands a variable"))
                    }
                    Some('\\') => match chars.peek() {
                        Some('"' | '$' | '\\') => out.push(chars.next().unwrap_or('\\')),
                        None => {}
                        Some(_) => out.push('\\'),
                    },
                    Some(x) => out.push(x),
                }
            },
            '$' if chars.peek().is_some() => return Err(format!("`{word}` expands a variable")),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// `parseMount`'s reading of one `--mount` value: each field as (lowercase key, expanded
/// value); a field without `=` as (key, None).
pub fn mount_fields(value: &str) -> Result<MountFields, String> {
    csv_fields(value)?
        .into_iter()
        .map(|field| match field.split_once('=') {
            Some((k, v)) => Ok((k.to_ascii_lowercase(), Some(shell_word(v)?))),
            None => Ok((field.to_ascii_lowercase(), None)),
        })
        .collect()
}

/// What the engine reads from a RUN's flags: each `--mount` as its fields.
pub fn run_mounts(instruction: &Instruction) -> Result<Vec<MountFields>, String> {
    flag_values(&instruction.flags)?
        .into_iter()
        .map(|(name, value)| match (name.as_str(), value) {
            ("mount", Some(v)) => mount_fields(&v),
            (other, _) => Err(format!("unexpected RUN flag `--{other}`")),
        })
        .collect()
}

/// What the engine reads from a COPY: its flags (expanded) and its paths (expanded), the
/// destination last.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CopyRead {
    pub from: Option<String>,
    pub chown: Option<String>,
    pub paths: Vec<String>,
}

pub fn read_copy(instruction: &Instruction) -> Result<CopyRead, String> {
    let mut read = CopyRead::default();
    for (name, value) in flag_values(&instruction.flags)? {
        let value = value.ok_or_else(|| format!("missing a value on flag: --{name}"))?;
        let slot = match name.as_str() {
            "from" => &mut read.from,
            "chown" => &mut read.chown,
            other => return Err(format!("unexpected COPY flag `--{other}`")),
        };
        if slot.is_some() {
            return Err(format!("duplicate flag specified: --{name}"));
        }
        *slot = Some(shell_word(&value)?);
    }
    let words = copy_words(&instruction.args)?;
    if words.len() < 2 {
        return Err("COPY requires at least two arguments".into());
    }
    read.paths = words
        .iter()
        .map(|w| shell_word(w))
        .collect::<Result<_, _>>()?;
    Ok(read)
}

/// Whether `heredocsFromLine` finds a word of the line that starts a heredoc (`<<WORD`,
/// optionally after a file descriptor number).
fn opens_heredoc(line: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if is_go_space(c) => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            (None, '\\') => {
                current.push('\\');
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (Some('"'), '\\') => {
                current.push('\\');
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            (_, c) => current.push(c),
        }
    }
    words.push(current);
    words.iter().any(|w| {
        w.trim_start_matches(|c: char| c.is_ascii_digit())
            .starts_with("<<")
    })
}
