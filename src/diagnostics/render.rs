//! Renderers: the human snippet (`--> file:line:col`, the line, `^^^`) and JSON for tools.
//! Written once, here; nothing else formats a diagnostic. Also the one rule that makes text safe
//! for a terminal ([`escape_controls`]), which every message bound for stderr goes through.

use std::borrow::Cow;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use crate::diagnostics::{Diagnostic, Label, Severity};
use crate::source::SourceFile;

/// Render diagnostics for people, as rustc and cargo do. Plain text, no colour.
pub fn render_human(file: &SourceFile, diagnostics: &[Diagnostic]) -> String {
    render_human_styled(file, diagnostics, false)
}

/// [`render_human`], coloured as rustc colours it when `color` is true (ANSI SGR sequences; the
/// text is the same with them removed). Every piece of user text in it is already made safe
/// ([`escape_controls`], and source lines shown with controls as spaces), so the only escape
/// sequences in the result are the colours: print it as it is.
pub fn render_human_styled(file: &SourceFile, diagnostics: &[Diagnostic], color: bool) -> String {
    let paint = Paint { on: color };
    let mut out = String::new();
    for d in diagnostics {
        render_one(&mut out, file, d, paint);
        out.push('\n');
    }
    out
}

/// The styles of the human renderer, rustc's: the severity and its carets bold red (error) or
/// yellow (warning), the message bold, the gutter, arrows and secondary marks bold blue, and
/// `help` bold. `on: false` paints nothing.
#[derive(Debug, Clone, Copy)]
struct Paint {
    on: bool,
}

impl Paint {
    fn severity(self, severity: Severity) -> Style {
        let color = match severity {
            Severity::Error => AnsiColor::BrightRed,
            Severity::Warning => AnsiColor::BrightYellow,
        };
        Style::new().bold().fg_color(Some(color.into()))
    }

    fn accent() -> Style {
        Style::new()
            .bold()
            .fg_color(Some(AnsiColor::BrightBlue.into()))
    }

    /// `text` in `style`, or as it is when colour is off.
    fn paint(self, style: Style, text: &str) -> String {
        if self.on && !text.is_empty() {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
}

fn render_one(out: &mut String, file: &SourceFile, d: &Diagnostic, paint: Paint) {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let head = paint.paint(
        paint.severity(d.severity),
        &format!("{severity}[{}]", d.code.id),
    );
    let message = paint.paint(
        Style::new().bold(),
        &format!(": {}", escape_controls(&d.message)),
    );
    let _ = writeln!(out, "{head}{message}");
    let mut labels: Vec<(&Label, char)> = Vec::new();
    if let Some(primary) = &d.primary {
        labels.push((primary, '^'));
    }
    labels.extend(d.secondary.iter().map(|l| (l, '-')));
    let gutter = labels
        .iter()
        .map(|(l, _)| {
            file.line_number(file.line_index(l.span.start))
                .to_string()
                .len()
        })
        .max()
        .unwrap_or(1);
    let pad = " ".repeat(gutter);
    let arrow = paint.paint(Paint::accent(), "-->");
    let bar = paint.paint(Paint::accent(), "|");
    match &d.primary {
        Some(primary) => {
            let (line, col) = file.line_col(primary.span.start);
            let _ = writeln!(
                out,
                "{pad}{arrow} {}:{line}:{col}",
                escape_controls(file.name_at(primary.span.start))
            );
        }
        None => {
            let _ = writeln!(out, "{pad}{arrow} {}", escape_controls(file.name()));
        }
    }
    if !labels.is_empty() {
        let _ = writeln!(out, "{pad} {bar}");
        // Show labels in source order, each under its own line; in a bundle of files, a label
        // in another file than the one above it says which (`::: file:line:col`).
        labels.sort_by_key(|(l, _)| l.span.start);
        let mut shown_part = d.primary.as_ref().map(|p| file.part_range(p.span.start));
        for (label, mark) in labels {
            let part = file.part_range(label.span.start);
            if shown_part.as_ref() != Some(&part) {
                let (line, col) = file.line_col(label.span.start);
                let colons = paint.paint(Paint::accent(), ":::");
                let _ = writeln!(
                    out,
                    "{pad}{colons} {}:{line}:{col}",
                    escape_controls(file.name_at(label.span.start))
                );
                shown_part = Some(part);
            }
            let style = if mark == '^' {
                paint.severity(d.severity)
            } else {
                Paint::accent()
            };
            render_label(out, file, label, (mark, style), gutter, paint);
        }
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} {bar}");
        let eq = paint.paint(Paint::accent(), "=");
        let word = paint.paint(Style::new().bold(), "help");
        for (i, line) in escape_controls(help).lines().enumerate() {
            if i == 0 {
                let _ = writeln!(out, "{pad} {eq} {word}: {line}");
            } else {
                let _ = writeln!(out, "{pad}         {line}");
            }
        }
    }
}

fn render_label(
    out: &mut String,
    file: &SourceFile,
    label: &Label,
    (mark, style): (char, Style),
    gutter: usize,
    paint: Paint,
) {
    let text_all = file.text();
    let start = floor_boundary(text_all, label.span.start);
    let line = file.line_index(start);
    let line_text = file.line_text(line);
    let line_start = file.line_start(line);
    let (_, col) = file.line_col(start);
    // The underline stays on the first line of a multi-line span, and covers at least one column.
    let line_end = line_start + line_text.len();
    let end = floor_boundary(text_all, label.span.end.min(line_end).max(start));
    let width = text_all[start..end].chars().count().max(1);
    // Long lines are shown as a window around the label.
    let chars: Vec<char> = display_line(line_text).chars().collect();
    // A span may start at the line's end (its `\r\n`, or past a trimmed `\r`).
    let col = col.min(chars.len() + 1);
    let (shown, col, width) = if chars.len() > MAX_LINE {
        let from = (col - 1).saturating_sub(CONTEXT);
        let to = (col - 1 + width.min(CONTEXT) + CONTEXT).min(chars.len());
        let mut shown = String::new();
        if from > 0 {
            shown.push_str("...");
        }
        shown.extend(&chars[from..to]);
        if to < chars.len() {
            shown.push_str("...");
        }
        let lead = if from > 0 { 3 } else { 0 };
        (
            shown,
            col - from + lead,
            width.min(to.saturating_sub(col - 1)).max(1),
        )
    } else {
        (chars.into_iter().collect(), col, width)
    };
    let number = paint.paint(
        Paint::accent(),
        &format!("{:>gutter$} |", file.line_number(line)),
    );
    let _ = writeln!(out, "{number} {shown}");
    let marks: String = std::iter::repeat_n(mark, width).collect();
    let msg = if label.message.is_empty() {
        String::new()
    } else {
        format!(" {}", escape_controls(&label.message).replace('\n', " "))
    };
    let bar = paint.paint(Paint::accent(), &format!("{:gutter$} |", ""));
    let marked = paint.paint(style, &format!("{marks}{msg}"));
    let _ = writeln!(out, "{bar} {}{marked}", " ".repeat(col - 1));
}

/// Lines longer than this many characters are cut to a window around the label.
const MAX_LINE: usize = 120;
/// Characters shown on each side of the label in a cut line.
const CONTEXT: usize = 40;

/// The largest char boundary at or before `offset`, within the text.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Tabs and control characters would shift the carets, and the others [`escape_controls`]
/// escapes could reorder or hide the line: show each as one space.
fn display_line(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c.is_control() || needs_escape(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// `text` made safe to print on a terminal: every control character that could move the cursor,
/// change colours or hide text (C0 and C1 controls, DEL, and the bidirectional overrides that
/// reorder what is shown) becomes a visible `\u{..}` escape. Tab and newline are kept: they are
/// the layout of a message. Text without such characters is returned as is.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        // C0, DEL and C1 (which holds the 8-bit CSI, U+009B).
        c if c.is_control() => true,
        // Bidirectional embeddings, overrides and isolates ("trojan source"), and the line and
        // paragraph separators some terminals break lines at.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => true,
        _ => false,
    }
}

/// Render diagnostics as a JSON array, one object each, for editors and CI annotations.
pub fn render_json(file: &SourceFile, diagnostics: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let place = |l: &Label| {
                let (line, column) = file.line_col(l.span.start);
                let (end_line, end_column) = file.line_col(l.span.end);
                serde_json::json!({
                    "line": line, "column": column,
                    "end_line": end_line, "end_column": end_column,
                    "message": l.message,
                })
            };
            serde_json::json!({
                "code": d.code.id,
                "name": d.code.name,
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": d.message,
                "file": d.primary.as_ref().map_or(file.name(), |l| file.name_at(l.span.start)),
                "primary": d.primary.as_ref().map(place),
                "secondary": d.secondary.iter().map(place).collect::<Vec<_>>(),
                "help": d.help,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::codes;

    #[test]
    fn renders_a_snippet_with_carets_and_help() {
        let file = SourceFile::new("build.toml", "version = 1\nimgae = \"x\"\n");
        let d = Diagnostic::error(codes::UNKNOWN_KEY, "unknown key `imgae`")
            .at(12..17, "unknown key")
            .help("did you mean `image`?");
        let text = render_human(&file, &[d]);
        assert_eq!(
            text,
            "error[SG101]: unknown key `imgae`\n --> build.toml:2:1\n  |\n2 | imgae = \"x\"\n  | ^^^^^ unknown key\n  |\n  = help: did you mean `image`?\n\n"
        );
    }

    /// Found by the fuzzer: a label at the `\r` that ends a long line underflowed the window.
    #[test]
    fn a_span_at_a_trimmed_carriage_return_of_a_long_line() {
        let text = format!("{}\r\n", "%".repeat(300));
        let file = SourceFile::new("b.toml", text);
        let d = Diagnostic::error(codes::TOML_SYNTAX, "x").at(300..301, "here");
        assert!(render_human(&file, &[d]).contains("b.toml:1:301"));
    }

    /// A key or a file name holding an escape sequence must not reach the terminal raw: it could
    /// clear the screen, recolour it or hide the real message.
    #[test]
    fn terminal_escape_sequences_in_messages_are_shown_escaped() {
        let file = SourceFile::new("b\u{1b}]0;x\u{7}.toml", "\"\\u001b[2J\" = 1\n");
        let d = Diagnostic::error(codes::UNKNOWN_KEY, "unknown key `\u{1b}[2J`")
            .at(0..12, "unknown \u{9b}31m key")
            .help("did you mean `\u{202e}x`?\nsecond line");
        let text = render_human(&file, &[d]);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains("unknown key `\\u{1b}[2J`"), "{text}");
        assert!(text.contains("--> b\\u{1b}]0;x\\u{7}.toml:1:1"), "{text}");
        assert!(text.contains("unknown \\u{9b}31m key"), "{text}");
        assert!(
            text.contains("= help: did you mean `\\u{202e}x`?\n"),
            "{text}"
        );
        assert!(text.contains("        second line\n"), "{text}");
    }

    #[test]
    fn escape_controls_keeps_layout_and_plain_text() {
        assert!(matches!(
            escape_controls("plain `x`\n\tnext"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_controls("a\u{1b}[31mb\rc\u{7f}"),
            "a\\u{1b}[31mb\\u{d}c\\u{7f}"
        );
    }

    /// Colour changes nothing but the SGR sequences: without them the text is the plain one, and
    /// every escape in it is a colour (user text cannot smuggle one in).
    #[test]
    fn colour_is_only_sgr_around_the_plain_text() {
        let file = SourceFile::new(
            "b.toml",
            "version = 1\nimgae = \"\u{1b}[2J\u{202e}\"\nx = 1\n",
        );
        let d = Diagnostic::error(codes::UNKNOWN_KEY, "unknown key `imgae\u{1b}[31m`")
            .at(12..17, "unknown key")
            .also(31..32, "this one")
            .help("did you mean `image`?\nsecond");
        let w = Diagnostic::warning(codes::ROOT_USER, "runs as root").at(0..7, "here");
        let plain = render_human(&file, &[d.clone(), w.clone()]);
        let colored = render_human_styled(&file, &[d, w], true);
        assert_ne!(plain, colored);
        assert!(
            colored.contains("\u{1b}[1m\u{1b}[91merror[SG101]\u{1b}[0m"),
            "{colored:?}"
        );
        assert!(colored.contains("\u{1b}[93mwarning[SG401]"), "{colored:?}");
        let (stripped, sequences) = strip_sgr(&colored);
        assert_eq!(stripped, plain);
        assert!(sequences > 0);
        assert!(
            !stripped.chars().any(|c| c.is_control() && c != '\n'),
            "{stripped:?}"
        );
    }

    /// `text` without its `ESC [ digits;... m` sequences, and how many there were. Panics on
    /// any other escape.
    fn strip_sgr(text: &str) -> (String, usize) {
        let mut out = String::new();
        let mut count = 0;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\u{1b}' {
                out.push(c);
                continue;
            }
            assert_eq!(chars.next(), Some('['), "{text:?}");
            loop {
                match chars.next() {
                    Some('m') => break,
                    Some(c) if c.is_ascii_digit() || c == ';' => {}
                    other => panic!("not an SGR sequence: {other:?} in {text:?}"),
                }
            }
            count += 1;
        }
        (out, count)
    }

    #[test]
    fn a_span_past_the_end_does_not_panic() {
        let file = SourceFile::new("b.toml", "a");
        let d = Diagnostic::error(codes::TOML_SYNTAX, "x").at(5..9, "here");
        assert!(render_human(&file, &[d]).contains("--> b.toml:1:2"));
    }
}
