//! `cache-from` and `cache-to`, the build cache `stagegen bake` hands to BuildKit: each entry in
//! buildx's syntax, `type=NAME,key=value,...` (or a bare image reference, which buildx reads as
//! `type=registry,ref=...`), of a cache backend buildx has, with the keys that backend requires;
//! `inline` only exports, `mode` (`min` or `max`) is only for exports (SG104).

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (key, entries, export) in [
        ("cache-from", &cx.build.cache_from, false),
        ("cache-to", &cx.build.cache_to, true),
    ] {
        for (i, entry) in entries.iter().enumerate() {
            if let Some(why) = problem(entry, export) {
                out.push(
                    Diagnostic::error(
                        codes::INVALID_VALUE,
                        format!("`{entry}` is not a `{key}` entry"),
                    )
                    .at(cx.doc.value_span(&format!("/{key}/{i}")), why.label)
                    .help(why.help),
                );
            }
        }
    }
}

/// Why an entry is not one buildx takes.
#[derive(Debug, PartialEq, Eq)]
struct Why {
    label: &'static str,
    help: String,
}

/// The backends buildx has, and the keys each requires (for imports, for exports).
const BACKENDS: &[(&str, &[&str], &[&str])] = &[
    ("registry", &["ref"], &["ref"]),
    ("local", &["src"], &["dest"]),
    ("gha", &[], &[]),
    ("s3", &["region", "bucket"], &["region", "bucket"]),
    ("azblob", &["name"], &["name"]),
    ("inline", &[], &[]),
];

fn problem(entry: &str, export: bool) -> Option<Why> {
    let direction = if export { "cache-to" } else { "cache-from" };
    let example = if export {
        "`type=registry,ref=registry.example.com/api:cache,mode=max` or `type=gha,mode=max`"
    } else {
        "`type=registry,ref=registry.example.com/api:cache` or `type=gha`"
    };
    if entry.trim().is_empty() || entry.chars().any(char::is_whitespace) {
        return Some(Why {
            label: "empty or with spaces",
            help: format!("write a cache backend as buildx does, e.g. {example}"),
        });
    }
    if !entry.contains('=') {
        // A bare reference: buildx reads it as a registry cache.
        return None;
    }
    let mut fields: Vec<(&str, &str)> = Vec::new();
    for field in entry.split(',') {
        match field.split_once('=') {
            Some((k, v)) if !k.is_empty() && !v.is_empty() => fields.push((k, v)),
            _ => {
                return Some(Why {
                    label: "not `key=value`",
                    help: format!(
                        "each field of an entry is `key=value`, separated by `,`: `{field}` is not one; e.g. {example}"
                    ),
                })
            }
        }
    }
    let get = |key: &str| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let names = BACKENDS
        .iter()
        .filter(|(n, _, _)| export || *n != "inline")
        .map(|(n, _, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let Some(kind) = get("type") else {
        return Some(Why {
            label: "no `type`",
            help: format!("name the cache backend with `type=`: {names}; e.g. {example}"),
        });
    };
    let Some((_, from_keys, to_keys)) = BACKENDS.iter().find(|(n, _, _)| *n == kind) else {
        return Some(Why {
            label: "unknown cache type",
            help: format!("the cache backends are {names}"),
        });
    };
    if kind == "inline" && !export {
        return Some(Why {
            label: "`inline` only exports",
            help: "an inline cache travels in the image: read it back with `type=registry,ref=IMAGE` in `cache-from`".to_string(),
        });
    }
    let required = if export { to_keys } else { from_keys };
    if let Some(missing) = required.iter().find(|k| get(k).is_none()) {
        return Some(Why {
            label: "a required key is missing",
            help: format!("a `{kind}` cache in `{direction}` needs `{missing}=`; e.g. {example}"),
        });
    }
    match get("mode") {
        Some(_) if !export => Some(Why {
            label: "`mode` is for exports",
            help: "`mode` says which layers `cache-to` exports; leave it out of `cache-from`"
                .to_string(),
        }),
        Some(mode) if mode != "min" && mode != "max" => Some(Why {
            label: "`mode` is `min` or `max`",
            help: "`mode=min` exports the image's layers, `mode=max` every stage's too".to_string(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_buildx_takes() {
        for (entry, export) in [
            ("type=registry,ref=r.example.com/api:cache", false),
            ("type=registry,ref=r.example.com/api:cache,mode=max", true),
            ("type=gha", false),
            ("type=gha,scope=api,mode=max", true),
            ("type=local,src=/tmp/cache", false),
            ("type=local,dest=/tmp/cache", true),
            ("type=inline", true),
            ("type=s3,region=eu-west-1,bucket=c", false),
            ("type=azblob,name=api", true),
            ("r.example.com/api:cache", false),
        ] {
            assert_eq!(problem(entry, export), None, "{entry}");
        }
    }

    #[test]
    fn entries_buildx_refuses() {
        for (entry, export, label) in [
            ("", false, "empty or with spaces"),
            ("type=registry, ref=x", false, "empty or with spaces"),
            ("type=registry,ref", false, "not `key=value`"),
            ("ref=r/api:cache", false, "no `type`"),
            ("type=redis,ref=x", false, "unknown cache type"),
            ("type=inline", false, "`inline` only exports"),
            ("type=registry", false, "a required key is missing"),
            ("type=local,src=/c", true, "a required key is missing"),
            ("type=s3,bucket=c", false, "a required key is missing"),
            ("type=gha,mode=max", false, "`mode` is for exports"),
            ("type=gha,mode=all", true, "`mode` is `min` or `max`"),
        ] {
            assert_eq!(
                problem(entry, export).map(|w| w.label),
                Some(label),
                "{entry}"
            );
        }
    }
}
