//! SG218 invalid-duration: health check times are durations such as `30s`, `1m30s`, `500ms`,
//! no longer than the engine holds (Go's `time.ParseDuration`: at most 2^63-1 ns, 2562047h).

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

/// The duration in nanoseconds, `None` when it overflows what Go's `time.Duration` holds (the
/// engine then refuses the Dockerfile: "invalid duration"). `text` is a valid [`is_duration`].
pub(crate) fn nanoseconds(text: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        let number: i64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, len): (i64, usize) = if rest.starts_with("ms") {
            (1_000_000, 2)
        } else if rest.starts_with('s') {
            (1_000_000_000, 1)
        } else if rest.starts_with('m') {
            (60_000_000_000, 1)
        } else {
            (3_600_000_000_000, 1)
        };
        rest = &rest[len..];
        total = total.checked_add(number.checked_mul(unit)?)?;
    }
    Some(total)
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
                if is_duration(v) && nanoseconds(v).is_none() {
                    out.push(
                        Diagnostic::error(
                            codes::INVALID_DURATION,
                            format!("`{v}` is longer than the engine can hold"),
                        )
                        .at(
                            cx.doc.value_span(&format!("{pointer}/healthcheck/{key}")),
                            "too long",
                        )
                        .help("a duration is at most `2562047h` (about 292 years)"),
                    );
                }
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
    fn overflow_is_caught() {
        assert_eq!(nanoseconds("1m30s"), Some(90_000_000_000));
        assert_eq!(nanoseconds("500ms"), Some(500_000_000));
        assert_eq!(nanoseconds("2562047h"), Some(2_562_047 * 3_600_000_000_000));
        assert_eq!(nanoseconds("2562048h"), None);
        assert_eq!(nanoseconds("99999999999999h"), None);
        assert_eq!(nanoseconds("99999999999999999999999s"), None);
        assert_eq!(nanoseconds("2562047h2562047h"), None);
    }

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
