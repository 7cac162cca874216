//! `examples/<name>/e2e.toml`, and the `[e2e]` table of a corpus app's `corpus.toml` (the same
//! keys): how the suite proves that an image works.

use serde::Deserialize;

use super::{non_empty_entries, Problems};

/// How the image is proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// a server: `GET <path>` on `<port>` must answer `expect`
    Http,
    /// a program: it must exit 0 and print `expect`
    Command,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct E2eSpec {
    pub kind: Kind,
    /// `http`: the port the app listens on (the image must EXPOSE it)
    pub port: Option<u16>,
    /// `http`: the path to get (default `/`)
    pub path: Option<String>,
    /// text the answer (or the command's stdout) must contain
    pub expect: String,
    /// programs that must not be in the image, e.g. `["go", "gcc", "sh"]`: any `bin/<p>` or
    /// `sbin/<p>`, also versioned (`gcc-12`); `go` also the toolchain tree `usr/local/go/`
    #[serde(default)]
    pub forbidden: Vec<String>,
    /// a stage that runs the tests: `docker build --target <it>` must succeed
    pub test_target: Option<String>,
    /// the image must have a HEALTHCHECK, and its command must pass in the running container
    #[serde(default)]
    pub healthcheck: bool,
    /// label keys the image must set
    #[serde(default)]
    pub labels: Vec<String>,
    /// path prefixes under which the image must hold no file, e.g. a dev dependency
    /// `app/node_modules/typescript/` (folders do not count)
    #[serde(default)]
    pub forbidden_paths: Vec<String>,
    /// path prefixes under which the image must hold a file, e.g. `app/__pycache__/`
    #[serde(default)]
    pub required_paths: Vec<String>,
    /// `NAME=value` passed to every build (this machine's quirks; never in the Dockerfile)
    #[serde(default)]
    pub build_args: Vec<String>,
    /// false when the app cannot build here (say why in `offline-reason`): it is compiled and
    /// linted, not built
    #[serde(default = "yes")]
    pub offline: bool,
    pub offline_reason: Option<String>,
}

fn yes() -> bool {
    true
}

impl E2eSpec {
    /// The semantic rules serde cannot say; `key_prefix` is `e2e.` inside corpus.toml.
    pub fn validate(&self, shown: &str, key_prefix: &str) -> Result<(), String> {
        let mut p = Problems::default();
        let key = |k: &str| format!("{key_prefix}{k}");
        if self.expect.trim().is_empty() {
            p.key(
                shown,
                &key("expect"),
                "must not be empty: it is what the answer must contain",
            );
        }
        match self.kind {
            Kind::Http => {
                if self.port.is_none() {
                    p.key(shown, &key("port"), "is required for kind = \"http\"");
                }
                if self.port == Some(0) {
                    p.key(shown, &key("port"), "must be 1-65535");
                }
                if let Some(path) = &self.path {
                    if !path.starts_with('/') {
                        p.key(
                            shown,
                            &key("path"),
                            format!("must start with `/`, got `{path}`"),
                        );
                    }
                }
            }
            Kind::Command => {
                if self.port.is_some() {
                    p.key(shown, &key("port"), "is only for kind = \"http\"");
                }
                if self.path.is_some() {
                    p.key(shown, &key("path"), "is only for kind = \"http\"");
                }
                if self.healthcheck {
                    p.key(
                        shown,
                        &key("healthcheck"),
                        "is only checked for kind = \"http\" (a command exits)",
                    );
                }
            }
        }
        non_empty_entries(&mut p, shown, &key("forbidden"), &self.forbidden);
        if let Some(bad) = self.forbidden.iter().find(|f| f.contains('/')) {
            p.key(
                shown,
                &key("forbidden"),
                format!("lists programs, not paths: `{bad}` (use `forbidden-paths`)"),
            );
        }
        non_empty_entries(&mut p, shown, &key("labels"), &self.labels);
        non_empty_entries(
            &mut p,
            shown,
            &key("forbidden-paths"),
            &self.forbidden_paths,
        );
        non_empty_entries(&mut p, shown, &key("required-paths"), &self.required_paths);
        for arg in &self.build_args {
            match arg.split_once('=') {
                Some((name, _)) if !name.is_empty() => {}
                _ => p.key(
                    shown,
                    &key("build-args"),
                    format!("entries are `NAME=value`, got `{arg}`"),
                ),
            }
        }
        if let Some(t) = &self.test_target {
            if t.trim().is_empty() {
                p.key(shown, &key("test-target"), "must name a stage");
            }
        }
        match (self.offline, &self.offline_reason) {
            (false, None) => p.key(
                shown,
                &key("offline-reason"),
                "is required with `offline = false`: say why it cannot build here",
            ),
            (true, Some(_)) => p.key(
                shown,
                &key("offline-reason"),
                "is only for `offline = false`",
            ),
            _ => {}
        }
        p.into_result()
    }

    pub fn path(&self) -> &str {
        self.path.as_deref().unwrap_or("/")
    }

    /// The forbidden path prefixes, without a leading `/` (file lists have none).
    pub fn forbidden_prefixes(&self) -> Vec<String> {
        self.forbidden_paths
            .iter()
            .map(|p| p.trim_start_matches('/').to_string())
            .collect()
    }

    pub fn required_prefixes(&self) -> Vec<String> {
        self.required_paths
            .iter()
            .map(|p| p.trim_start_matches('/').to_string())
            .collect()
    }
}

/// Reads and validates an e2e.toml.
pub fn load(path: &std::path::Path, shown: &str) -> Result<E2eSpec, String> {
    let spec: E2eSpec = super::load(path, shown)?;
    spec.validate(shown, "")?;
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<E2eSpec, String> {
        let spec: E2eSpec = super::super::parse(text, "examples/x/e2e.toml")?;
        spec.validate("examples/x/e2e.toml", "")?;
        Ok(spec)
    }

    #[test]
    fn every_example_e2e_toml_is_valid() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path().join("e2e.toml");
            if path.exists() {
                load(&path, &path.display().to_string()).unwrap();
                n += 1;
            }
        }
        assert!(n >= 10, "{n} examples");
    }

    #[test]
    fn http_with_everything() {
        let spec = parse(
            "kind = \"http\"\nport = 8080\npath = \"/hi\"\nexpect = \"hello\"\nforbidden = [\"sh\"]\n\
             test-target = \"test\"\nhealthcheck = true\nlabels = [\"a\"]\nforbidden-paths = [\"/app/x/\"]\n\
             required-paths = [\"app/y/\"]\nbuild-args = [\"A=1\", \"B=\"]\n",
        )
        .unwrap();
        assert_eq!(spec.kind, Kind::Http);
        assert_eq!(spec.path(), "/hi");
        assert_eq!(spec.forbidden_prefixes(), ["app/x/"]);
        assert!(spec.offline);
    }

    #[test]
    fn an_unknown_key_is_named_with_its_position() {
        let err = parse("kind = \"command\"\nexpect = \"x\"\nforbiden = [\"sh\"]\n").unwrap_err();
        assert!(err.starts_with("examples/x/e2e.toml:3:1: "), "{err}");
        assert!(err.contains("unknown field `forbiden`"), "{err}");
    }

    #[test]
    fn a_wrong_kind_is_named() {
        let err = parse("kind = \"htp\"\nexpect = \"x\"\n").unwrap_err();
        assert!(
            err.contains("examples/x/e2e.toml:1:8") && err.contains("`htp`"),
            "{err}"
        );
    }

    #[test]
    fn a_wrong_type_is_named() {
        let err = parse("kind = \"http\"\nport = \"80\"\nexpect = \"x\"\n").unwrap_err();
        assert!(err.contains("examples/x/e2e.toml:2:8"), "{err}");
    }

    #[test]
    fn semantic_rules_name_the_key() {
        let err = parse("kind = \"http\"\nexpect = \"\"\nbuild-args = [\"NOEQUALS\"]\nforbidden = [\"usr/bin/x\"]\n").unwrap_err();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(
            lines,
            [
                "examples/x/e2e.toml: `expect`: must not be empty: it is what the answer must contain",
                "examples/x/e2e.toml: `port`: is required for kind = \"http\"",
                "examples/x/e2e.toml: `forbidden`: lists programs, not paths: `usr/bin/x` (use `forbidden-paths`)",
                "examples/x/e2e.toml: `build-args`: entries are `NAME=value`, got `NOEQUALS`",
            ]
        );
    }

    #[test]
    fn command_kind_rejects_http_keys() {
        let err = parse("kind = \"command\"\nexpect = \"x\"\nport = 80\n").unwrap_err();
        assert!(err.contains("`port`: is only for kind = \"http\""), "{err}");
    }

    #[test]
    fn offline_needs_a_reason() {
        let err = parse("kind = \"command\"\nexpect = \"x\"\noffline = false\n").unwrap_err();
        assert!(err.contains("`offline-reason`: is required"), "{err}");
        let ok = parse("kind = \"command\"\nexpect = \"x\"\noffline = false\noffline-reason = \"needs Maven Central\"\n").unwrap();
        assert!(!ok.offline);
    }
}
