//! GitHub Actions annotations: one `::error file=..,line=..,col=..::message` workflow command per
//! diagnostic, so that CI shows each problem on its line of the pull request. Escaped as the
//! runner reads them: `%`, CR and LF in the message, and also `:` and `,` in the properties.

use crate::diagnostics::{Diagnostic, Severity};
use crate::source::SourceFile;

/// Every diagnostic as an annotation, one line each.
pub fn render_github(file: &SourceFile, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let mut properties = Vec::new();
        match &d.primary {
            Some(label) => {
                let (line, col) = file.line_col(label.span.start);
                let (end_line, end_col) = file.line_col(label.span.end.max(label.span.start));
                properties.push(("file", file.name_at(label.span.start).to_string()));
                properties.push(("line", line.to_string()));
                properties.push(("col", col.to_string()));
                properties.push(("endLine", end_line.to_string()));
                properties.push(("endColumn", end_col.to_string()));
            }
            None => properties.push(("file", file.name().to_string())),
        }
        properties.push(("title", format!("{} {}", d.code.id, d.code.name)));
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&annotation(
            level,
            &properties,
            &d.message,
            d.help.as_deref(),
        ));
    }
    out
}

/// One workflow command: `::LEVEL k=v,k=v::message`, with the help on a line of its own inside
/// the message.
pub fn annotation(
    level: &str,
    properties: &[(&str, String)],
    message: &str,
    help: Option<&str>,
) -> String {
    let props: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    let text = match help {
        Some(help) => format!("{message}\nhelp: {help}"),
        None => message.to_string(),
    };
    let sep = if props.is_empty() { "" } else { " " };
    format!(
        "::{level}{sep}{}::{}\n",
        props.join(","),
        escape_data(&text)
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::codes;

    #[test]
    fn one_annotation_per_diagnostic_on_its_line() {
        let file = SourceFile::new("app/build.toml", "version = 1\nimgae = \"x\"\n");
        let d = Diagnostic::error(codes::UNKNOWN_KEY, "unknown key `imgae` at 100%")
            .at(12..17, "unknown key")
            .help("did you mean `image`?");
        let w = Diagnostic::warning(codes::ROOT_USER, "the container runs as `root`");
        assert_eq!(
            render_github(&file, &[d, w]),
            "::error file=app/build.toml,line=2,col=1,endLine=2,endColumn=6,title=SG101 unknown-key::unknown key `imgae` at 100%25%0Ahelp: did you mean `image`?\n\
             ::warning file=app/build.toml,title=SG401 root-user::the container runs as `root`\n"
        );
    }

    #[test]
    fn properties_escape_what_ends_them() {
        assert_eq!(
            annotation("error", &[("file", "a,b:c".to_string())], "x\ny", None),
            "::error file=a%2Cb%3Ac::x%0Ay\n"
        );
        assert_eq!(
            annotation("error", &[], "m", Some("h")),
            "::error::m%0Ahelp: h\n"
        );
    }
}
