//! What one build asks of an engine: the files to build from and the command-line choices,
//! checked and typed ([`Job`]). Parsing the `--output`, `--secret` and `--build-arg` values lives
//! here, so every engine gets them already checked. Imports nothing of the pipeline.

use std::path::PathBuf;

/// Where the built image goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// The engine's own image store (`docker images`, `buildah images`).
    Image,
    /// An OCI image layout directory.
    Oci(PathBuf),
    /// An image tarball that `docker load` (and `podman load`) reads.
    Tar(PathBuf),
}

impl Output {
    /// `image`, `oci:DIR` or `tar:FILE`.
    pub fn parse(text: &str) -> Result<Output, String> {
        let path = |rest: &str, what: &str| {
            if rest.is_empty() {
                Err(format!("`--output {text}` names no {what}"))
            } else {
                Ok(PathBuf::from(rest))
            }
        };
        match text.split_once(':') {
            None if text == "image" => Ok(Output::Image),
            Some(("oci", rest)) => path(rest, "folder").map(Output::Oci),
            Some(("tar", rest)) => path(rest, "file").map(Output::Tar),
            _ => Err(format!("`--output {text}` is not an output stagegen knows")),
        }
    }
}

/// How the engine's progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The engine's own terminal display.
    Tty,
    /// Plain lines, as they come.
    Plain,
    /// One JSON event a line, for tools.
    Json,
}

/// Where a secret's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    File(PathBuf),
    Env(String),
}

/// `--secret id=ID,src=PATH` or `--secret id=ID,env=VAR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretArg {
    pub id: String,
    pub source: SecretSource,
}

impl SecretArg {
    pub fn parse(text: &str) -> Result<SecretArg, String> {
        let mut id = None;
        let mut source = None;
        for field in text.split(',') {
            let (key, value) = field.split_once('=').unwrap_or((field, ""));
            let slot = match key {
                "id" => &mut id,
                "src" | "source" => {
                    if source.is_some() {
                        return Err(format!("`--secret {text}` names two sources"));
                    }
                    source = Some(SecretSource::File(PathBuf::from(value)));
                    continue;
                }
                "env" => {
                    if source.is_some() {
                        return Err(format!("`--secret {text}` names two sources"));
                    }
                    source = Some(SecretSource::Env(value.to_string()));
                    continue;
                }
                "type" if matches!(value, "file" | "env") => continue,
                _ => {
                    return Err(format!(
                        "`--secret {text}`: `{field}` is not `id=`, `src=` or `env=`"
                    ))
                }
            };
            *slot = Some(value.to_string());
        }
        let id = id
            .filter(|i| !i.is_empty())
            .ok_or_else(|| format!("`--secret {text}` has no `id=`"))?;
        let source = match source {
            Some(SecretSource::File(p)) if p.as_os_str().is_empty() => None,
            Some(SecretSource::Env(v)) if v.is_empty() => None,
            other => other,
        }
        .ok_or_else(|| format!("`--secret {text}` names no `src=PATH` or `env=VAR`"))?;
        Ok(SecretArg { id, source })
    }

    /// The value every engine takes after `--secret`.
    pub fn engine_value(&self) -> String {
        match &self.source {
            SecretSource::File(p) => format!("id={},src={}", self.id, p.display()),
            SecretSource::Env(v) => format!("id={},env={v}", self.id),
        }
    }
}

/// `--build-arg NAME=VALUE` (the value may be empty, and may hold `=`).
pub fn parse_build_arg(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("`--build-arg {text}` is not `NAME=VALUE`")),
    }
}

/// One build, as every engine receives it.
#[derive(Debug, Clone)]
pub struct Job {
    /// The Dockerfile, in a temporary folder outside the context.
    pub dockerfile: PathBuf,
    /// Its ignore rules, beside it (`<dockerfile>.dockerignore`).
    pub ignore_file: PathBuf,
    /// The build context.
    pub context: PathBuf,
    /// The stages, in the Dockerfile's order (to name buildah's `[1/3]` stages).
    pub stages: Vec<String>,
    pub tags: Vec<String>,
    pub target: Option<String>,
    pub output: Output,
    pub push: bool,
    pub platforms: Vec<String>,
    pub secrets: Vec<SecretArg>,
    pub build_args: Vec<(String, String)>,
    pub no_cache: bool,
    pub progress: Progress,
    /// A name for an image the user did not tag, when the engine needs one to export it.
    pub scratch_tag: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_parse() {
        assert_eq!(Output::parse("image"), Ok(Output::Image));
        assert_eq!(Output::parse("oci:out"), Ok(Output::Oci("out".into())));
        assert_eq!(
            Output::parse("tar:a:b.tar"),
            Ok(Output::Tar("a:b.tar".into()))
        );
        assert!(Output::parse("tar:").is_err());
        assert!(Output::parse("registry").is_err());
        assert!(Output::parse("zip:x").is_err());
    }

    #[test]
    fn secrets_parse() {
        assert_eq!(
            SecretArg::parse("id=npm,src=.npmrc"),
            Ok(SecretArg {
                id: "npm".into(),
                source: SecretSource::File(".npmrc".into())
            })
        );
        assert_eq!(
            SecretArg::parse("id=tok,env=TOKEN").map(|s| s.engine_value()),
            Ok("id=tok,env=TOKEN".to_string())
        );
        for bad in [
            "src=x",
            "id=a",
            "id=a,src=x,env=Y",
            "id=a,dst=x",
            "id=,src=x",
            "id=a,src=",
        ] {
            assert!(SecretArg::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn build_args_parse() {
        assert_eq!(parse_build_arg("A=b=c"), Ok(("A".into(), "b=c".into())));
        assert_eq!(parse_build_arg("A="), Ok(("A".into(), String::new())));
        assert!(parse_build_arg("A").is_err());
        assert!(parse_build_arg("=b").is_err());
    }
}
