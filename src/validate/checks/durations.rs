//! SG218 invalid-duration: health check times are durations such as `30s`, `1m30s`, `500ms`.

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::settings;
use crate::validate::Cx;

/// A duration as the engine reads it: one or more `<number><unit>`, unit `ms`, `s`, `m` or `h`.
pub(crate) fn is_duration(text: &str) -> bool {
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ms", "s", "m", "h"]
            .into_iter()
            .find(|u| rest.starts_with(u));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (pointer, s) in settings(cx) {
        let Some(h) = &s.healthcheck else { continue };
        for (key, value) in [
            ("interval", &h.interval),
            ("timeout", &h.timeout),
            ("start-period", &h.start_period),
        ] {
            if let Some(v) = value {
                if !is_duration(v) {
                    out.push(
                        Diagnostic::error(
                            codes::INVALID_DURATION,
                            format!("`{v}` is not a duration"),
                        )
                        .at(
                            cx.doc.value_span(&format!("{pointer}/healthcheck/{key}")),
                            "not a duration",
                        )
                        .help("write a number and a unit: `30s`, `1m30s`, `500ms`, `1h`"),
                    );
                }
            }
        }
        if h.cmd.is_empty() {
            out.push(
                Diagnostic::error(codes::INVALID_DURATION, "the health check has an empty `cmd`")
                    .at(cx.doc.value_span(&format!("{pointer}/healthcheck/cmd")), "runs nothing")
                    .help("give the command as a list of words, e.g. `[\"/app/server\", \"-healthcheck\"]`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for ok in ["30s", "1m30s", "500ms", "1h"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["", "30", "s", "1.5s", "30 s", "1d"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }
}
