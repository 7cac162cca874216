//! The images a Dockerfile needs from outside: every `FROM` that is not an earlier stage,
//! `COPY --from=<image>`, `RUN --mount=...,from=<image>`, and the `# syntax=` frontend. The
//! suite reads them from the Dockerfiles stagegen wrote, so its list of base images is never
//! stale, and checks them before it builds anything.
//!
//! Imports nothing of the rest of the crate.

use std::collections::BTreeSet;

/// The external images of a Dockerfile, and the references it could not resolve (they use a
/// build argument).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Images {
    pub images: BTreeSet<String>,
    pub unresolved: BTreeSet<String>,
}

pub fn images(dockerfile: &str) -> Images {
    let mut out = Images::default();
    let mut stages: Vec<String> = Vec::new();
    let (directives, instructions) = logical_lines(dockerfile);
    if let Some(syntax) = directives
        .iter()
        .find_map(|(k, v)| (k == "syntax").then_some(v))
    {
        add(syntax, &stages, &mut out);
    }
    for line in instructions {
        let mut words = line.split_whitespace();
        let Some(keyword) = words.next() else {
            continue;
        };
        let words: Vec<&str> = words.collect();
        match keyword.to_ascii_uppercase().as_str() {
            "FROM" => {
                let args: Vec<&str> = words
                    .iter()
                    .copied()
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                if let Some(image) = args.first() {
                    add(image, &stages, &mut out);
                }
                if args.len() >= 3 && args[1].eq_ignore_ascii_case("as") {
                    stages.push(args[2].to_ascii_lowercase());
                }
            }
            "COPY" | "ADD" => {
                for w in &words {
                    if let Some(from) = w.strip_prefix("--from=") {
                        add(unquote(from), &stages, &mut out);
                    }
                }
            }
            "RUN" => {
                for w in &words {
                    let Some(mount) = w.strip_prefix("--mount=") else {
                        continue;
                    };
                    for option in mount.split(',') {
                        if let Some(from) = option.strip_prefix("from=") {
                            add(unquote(from), &stages, &mut out);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The image the last stage (what `docker build` makes without `--target`) starts from,
/// following `FROM <stage>` back to an image; `None` for `scratch` or a reference made of a
/// build argument.
pub fn final_base(dockerfile: &str) -> Option<String> {
    let mut stages: Vec<(String, String)> = Vec::new();
    let (_, instructions) = logical_lines(dockerfile);
    let mut last = None;
    for line in instructions {
        let mut words = line.split_whitespace();
        if !words.next().is_some_and(|k| k.eq_ignore_ascii_case("FROM")) {
            continue;
        }
        let args: Vec<&str> = words.filter(|w| !w.starts_with("--")).collect();
        let Some(image) = args.first() else { continue };
        let resolved = stages
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(image))
            .map_or_else(|| image.to_string(), |(_, base)| base.clone());
        if args.len() >= 3 && args[1].eq_ignore_ascii_case("as") {
            stages.push((args[2].to_string(), resolved.clone()));
        }
        last = Some(resolved);
    }
    last.filter(|r| !r.contains('$') && !r.eq_ignore_ascii_case("scratch"))
}

fn add(reference: &str, stages: &[String], out: &mut Images) {
    let lower = reference.to_ascii_lowercase();
    if reference.is_empty()
        || lower == "scratch"
        || stages.contains(&lower)
        || reference.bytes().all(|b| b.is_ascii_digit())
    {
        return;
    }
    if reference.contains('$') {
        out.unresolved.insert(reference.to_string());
    } else {
        out.images.insert(reference.to_string());
    }
}

fn unquote(s: &str) -> &str {
    s.trim_matches('"')
}

/// The parser directives at the top (`# syntax=...`, lowercase keys), and the instructions with
/// their continuation lines joined and comments dropped.
fn logical_lines(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut directives = Vec::new();
    let mut in_directives = true;
    let mut lines = Vec::new();
    let mut current = String::new();
    for raw in text.lines() {
        let trimmed = raw.trim();
        if in_directives {
            if let Some(comment) = trimmed.strip_prefix('#') {
                if let Some((k, v)) = comment.split_once('=') {
                    let key = k.trim().to_ascii_lowercase();
                    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric()) {
                        directives.push((key, v.trim().to_string()));
                        continue;
                    }
                }
            }
            in_directives = false;
        }
        if trimmed.starts_with('#') {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        current.push_str(trimmed);
        if !current.trim().is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        current.clear();
    }
    if !current.trim().is_empty() {
        lines.push(current);
    }
    (directives, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(s: &Images) -> Vec<&str> {
        s.images.iter().map(String::as_str).collect()
    }

    #[test]
    fn stages_are_not_images() {
        let df =
            "# syntax=docker/dockerfile:1\n# Generated by stagegen\n\nFROM golang:1.22 AS build\n\
                  RUN --mount=type=cache,target=/go/pkg/mod \\\n    go build ./...\n\
                  FROM build AS test\nRUN go test ./...\n\
                  FROM gcr.io/distroless/static-debian12:nonroot AS runtime\n\
                  COPY --from=build /out/api /app/api\n";
        assert_eq!(
            list(&images(df)),
            [
                "docker/dockerfile:1",
                "gcr.io/distroless/static-debian12:nonroot",
                "golang:1.22"
            ]
        );
    }

    #[test]
    fn copy_and_mount_from_an_image() {
        let df = "FROM --platform=$BUILDPLATFORM node:22 AS web\n\
                  COPY --from=nginx:stable /etc/nginx/nginx.conf /x\n\
                  RUN --mount=type=bind,from=golang:1.23,source=/usr/local/go,target=/go \\\n\
                      --mount=type=cache,from=web,target=/c true\n\
                  FROM Web\nCOPY --from=0 /a /b\n";
        assert_eq!(
            list(&images(df)),
            ["golang:1.23", "nginx:stable", "node:22"]
        );
    }

    #[test]
    fn build_arguments_and_scratch() {
        let df =
            "ARG BASE=debian:bookworm-slim\nFROM ${BASE}\nFROM scratch\nCOPY --from=$IMG /a /b\n";
        let got = images(df);
        assert!(got.images.is_empty());
        assert_eq!(
            got.unresolved
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["$IMG", "${BASE}"]
        );
    }

    #[test]
    fn a_syntax_comment_after_an_instruction_is_a_comment() {
        let df = "FROM debian:12\n# syntax=docker/dockerfile:1\n";
        assert_eq!(list(&images(df)), ["debian:12"]);
    }

    #[test]
    fn every_case_dockerfile_parses_to_images_it_names() {
        // the expected outputs of the case tests are real stagegen output
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cases");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path().join("Dockerfile.expected");
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            seen += 1;
            let got = images(&text);
            assert!(
                !got.images.is_empty() || text.contains("FROM scratch"),
                "{}: no image",
                path.display()
            );
            for image in &got.images {
                assert!(
                    text.contains(&format!("FROM {image}"))
                        || text.contains(&format!("FROM --platform=$BUILDPLATFORM {image}"))
                        || text.contains(&format!("from={image}"))
                        || text.contains(&format!("syntax={image}")),
                    "{}: `{image}` is not a reference",
                    path.display()
                );
            }
        }
        assert!(seen > 20, "only {seen} case Dockerfiles");
    }
    #[test]
    fn final_base_follows_stages_back_to_an_image() {
        let df = "# syntax=docker/dockerfile:1\nFROM node:22 AS build\nRUN npm ci\nFROM gcr.io/distroless/nodejs22-debian12:nonroot AS runtime-base\nFROM runtime-base AS runtime\nCOPY --from=build /app /app\n";
        assert_eq!(
            final_base(df).as_deref(),
            Some("gcr.io/distroless/nodejs22-debian12:nonroot")
        );
        assert_eq!(
            final_base("FROM --platform=$BUILDPLATFORM golang:1.23 AS b\nFROM b\n").as_deref(),
            Some("golang:1.23")
        );
        assert_eq!(final_base("FROM golang AS b\nFROM scratch\n"), None);
        assert_eq!(final_base("ARG BASE=debian\nFROM $BASE\n"), None);
        assert_eq!(final_base("RUN true\n"), None);
    }
}
