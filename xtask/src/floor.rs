//! The floor of an image (issue 17): the smallest image that could run the same app, as the
//! runtime's own files + the app + its run-time dependencies. It is computed, not built: the
//! size of the smallest published image that holds the runtime (the *floor base*, below), plus
//! what stagegen's image adds on top of its own final base (image size − base size: the app,
//! its dependencies, and anything else stagegen put there). An image on its floor base is at
//! 1.00x by construction, so the ratio measures how much bigger the chosen base is than the
//! smallest runtime, and nothing about the app's own layers.
//!
//! The floor base per language:
//! - Python: distroless python3 (Debian's interpreter and standard library, no pip, no shell):
//!   Debian 13's for Python 3.13, Debian 12's for 3.11. For another version it is Debian 13's,
//!   standing in for that version's runtime, which is about the same size.
//! - Node: distroless nodejs<major> (node and the libraries it links) for the majors distroless
//!   publishes (18, 20, 22, 24); for another major no smaller runtime is published, so the
//!   image's own base is its floor.
//! - Bun: `oven/bun:<version>-distroless`.
//! - Go (and any static binary): the distroless base the image already has (CA certificates,
//!   tzdata, passwd): the binary is the runtime.
//! - Java: distroless java<version> (a JRE) for 17 and 21; a jlink runtime on Debian slim or
//!   distroless java-base: distroless cc (glibc and libstdc++, what the runtime's native
//!   libraries link; java-base adds zlib and, in the real image, fonts).
//! - A static site: the web server's image (nginx, caddy) is the runtime.
//!
//! Imports nothing of the rest of the crate.

/// The floor base of an image whose last stage starts from `final_base`, and why, in a few
/// words for the bench's progress lines.
pub fn floor_base(final_base: &str) -> (String, &'static str) {
    let (name, tag) = final_base
        .rsplit_once(':')
        .unwrap_or((final_base, "latest"));
    let major = |tag: &str| -> Option<u32> {
        let digits: String = tag.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    match name {
        "python" => (
            if tag.starts_with("3.11") {
                DISTROLESS_PYTHON_311
            } else {
                DISTROLESS_PYTHON
            }
            .to_string(),
            "distroless python3: the interpreter and standard library",
        ),
        "node" => match major(tag).filter(|m| NODE_DISTROLESS.contains(m)) {
            Some(m) => (
                format!("gcr.io/distroless/nodejs{m}-debian12:nonroot"),
                "distroless nodejs: node and its libraries",
            ),
            None => (
                final_base.to_string(),
                "no smaller Node runtime of this major is published",
            ),
        },
        "oven/bun" if !tag.contains("distroless") => {
            let version = tag.split('-').next().unwrap_or(tag);
            (format!("oven/bun:{version}-distroless"), "distroless bun")
        }
        "eclipse-temurin" => match major(tag).filter(|m| JAVA_DISTROLESS.contains(m)) {
            Some(m) => (
                format!("gcr.io/distroless/java{m}-debian12:nonroot"),
                "distroless java: a JRE",
            ),
            None => (
                final_base.to_string(),
                "no smaller JRE of this version is published",
            ),
        },
        "debian" | "gcr.io/distroless/java-base-debian12" => (
            "gcr.io/distroless/cc-debian12:nonroot".to_string(),
            "distroless cc: glibc and libstdc++ for a linked runtime",
        ),
        _ => (
            final_base.to_string(),
            "the image's own base is its runtime's smallest image",
        ),
    }
}

const DISTROLESS_PYTHON: &str = "gcr.io/distroless/python3-debian13:nonroot";
const DISTROLESS_PYTHON_311: &str = "gcr.io/distroless/python3-debian12:nonroot";
const NODE_DISTROLESS: &[u32] = &[18, 20, 22, 24];
const JAVA_DISTROLESS: &[u32] = &[17, 21];

/// The floor in bytes: the floor base's size plus what the image adds over its own base.
pub fn floor_bytes(image: u64, final_base: u64, floor_base: u64) -> u64 {
    floor_base + image.saturating_sub(final_base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_bases_per_language() {
        let base = |b: &str| floor_base(b).0;
        assert_eq!(base("python:3.12-slim"), DISTROLESS_PYTHON);
        assert_eq!(base("python:3.11-slim"), DISTROLESS_PYTHON_311);
        assert_eq!(
            base("gcr.io/distroless/python3-debian13:nonroot"),
            "gcr.io/distroless/python3-debian13:nonroot"
        );
        assert_eq!(
            base("node:22-slim"),
            "gcr.io/distroless/nodejs22-debian12:nonroot"
        );
        assert_eq!(base("node:23-slim"), "node:23-slim");
        assert_eq!(base("oven/bun:1-slim"), "oven/bun:1-distroless");
        assert_eq!(base("oven/bun:1-distroless"), "oven/bun:1-distroless");
        assert_eq!(
            base("eclipse-temurin:21-jre"),
            "gcr.io/distroless/java21-debian12:nonroot"
        );
        assert_eq!(base("eclipse-temurin:11-jre"), "eclipse-temurin:11-jre");
        assert_eq!(
            base("gcr.io/distroless/java-base-debian12:nonroot"),
            "gcr.io/distroless/cc-debian12:nonroot"
        );
        assert_eq!(
            base("debian:12-slim"),
            "gcr.io/distroless/cc-debian12:nonroot"
        );
        for own in [
            "gcr.io/distroless/static-debian12:nonroot",
            "nginxinc/nginx-unprivileged:1.27",
            "gcr.io/distroless/python3-debian12:nonroot",
            "localhost:5000/app",
        ] {
            assert_eq!(base(own), own);
        }
    }

    #[test]
    fn the_floor_adds_the_image_over_its_base() {
        assert_eq!(floor_bytes(300, 200, 50), 150);
        assert_eq!(floor_bytes(100, 200, 50), 50);
    }
}
