//! Java versions as build files and the `version` knob write them.

use super::OLDEST_VERSION;

/// `17`, `1.8` (-> 8), `21.0.2` (-> 21), `[17,)` (-> 17): the Java feature release.
pub(super) fn parse_java_version(text: &str) -> Option<u32> {
    let t = text.trim().trim_start_matches(['[', '(']);
    let mut parts = t.split(['.', ',', ')', ']']);
    let first: u32 = parts.next()?.trim().parse().ok()?;
    let v = if first == 1 {
        parts.next()?.trim().parse().ok()?
    } else {
        first
    };
    (OLDEST_VERSION..=99).contains(&v).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_versions() {
        assert_eq!(parse_java_version("17"), Some(17));
        assert_eq!(parse_java_version(" 1.8 "), Some(8));
        assert_eq!(parse_java_version("21.0.2"), Some(21));
        assert_eq!(parse_java_version("[17,)"), Some(17));
        assert_eq!(parse_java_version("[11,18)"), Some(11));
        assert_eq!(parse_java_version("1.5"), None);
        assert_eq!(parse_java_version("7"), None);
        assert_eq!(parse_java_version("${java.version}"), None);
        assert_eq!(parse_java_version("latest"), None);
    }
}
