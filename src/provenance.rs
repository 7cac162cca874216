//! The OCI labels `[runtime] oci-labels` asks stagegen to fill in from outside the spec:
//! `org.opencontainers.image.revision` (`git rev-parse HEAD`), `.source` (the `origin` remote,
//! normalised to an https URL without credentials) and `.created` (`SOURCE_DATE_EPOCH`, else
//! the commit's time, never the clock: the same checkout gives the same bytes). Nothing is read
//! unless the spec asks. Imports config's label names, lock's date formatting and the driver's
//! failure type.

use std::path::Path;
use std::process::Command;

use crate::config::TomlOciLabel;
use crate::driver::Failure;

/// The environment variable of reproducible builds: seconds since the Unix epoch.
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// The labels asked for, in the order asked, read in `dir` (the spec's folder).
pub fn labels(dir: &Path, wanted: &[TomlOciLabel]) -> Result<Vec<(String, String)>, Failure> {
    let mut out = Vec::new();
    for label in wanted {
        let (key, value) = match label {
            TomlOciLabel::Revision => ("revision", git(dir, &["rev-parse", "HEAD"], "revision")?),
            TomlOciLabel::Source => {
                let url = git(dir, &["remote", "get-url", "origin"], "source")?;
                (
                    "source",
                    https_url(&url).ok_or_else(|| unusable_remote(&url))?,
                )
            }
            TomlOciLabel::Created => ("created", created(dir)?),
        };
        let key = format!("org.opencontainers.image.{key}");
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, value));
        }
    }
    Ok(out)
}

/// `SOURCE_DATE_EPOCH` as RFC 3339 UTC, else the commit's time.
fn created(dir: &Path) -> Result<String, Failure> {
    let secs = match std::env::var(SOURCE_DATE_EPOCH) {
        Ok(text) => text.trim().parse::<u64>().map_err(|_| Failure::Problem {
            message: format!("`{SOURCE_DATE_EPOCH}={text}` is not a number of seconds"),
            help: format!("set it to seconds since 1970, e.g. `{SOURCE_DATE_EPOCH}=$(git log -1 --format=%ct)`"),
        })?,
        Err(_) => {
            let text = git(dir, &["log", "-1", "--format=%ct"], "created")?;
            text.parse::<u64>().map_err(|_| Failure::Problem {
                message: format!("git gave `{text}` as the commit's time"),
                help: format!("set `{SOURCE_DATE_EPOCH}` to the image's date in seconds since 1970"),
            })?
        }
    };
    Ok(crate::lock::time::rfc3339(secs))
}

/// One line of `git -C dir <args>`, or why the label cannot be filled.
fn git(dir: &Path, args: &[&str], label: &str) -> Result<String, Failure> {
    let failure = |why: String| {
        Failure::Problem {
        message: format!("`oci-labels` asks for `{label}`, and {why}"),
        help: match label {
            "created" => format!(
                "commit the app to git, or set `{SOURCE_DATE_EPOCH}` to the image's date in seconds since 1970"
            ),
            "source" => "add the repository's remote (`git remote add origin URL`), or take `source` out of `oci-labels`".to_string(),
            _ => format!("build from a git checkout, or take `{label}` out of `oci-labels`"),
        },
    }
    };
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| failure(format!("git cannot run: {e}")))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        let said = said.lines().next().unwrap_or_default().trim();
        return Err(failure(format!(
            "`git {}` in `{}` failed: {said}",
            args.join(" "),
            dir.display()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn unusable_remote(url: &str) -> Failure {
    Failure::Problem {
        message: format!("the `origin` remote `{}` is not a URL stagegen can make an https one of", redact(url)),
        help: "give the remote as `https://host/path`, `git@host:path` or `ssh://host/path`, or set `org.opencontainers.image.source` in `labels` yourself".to_string(),
    }
}

/// `url` with any credentials (`user:token@`) taken out, for messages.
fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((_, host))
                if !rest.split('/').next().unwrap_or_default().is_empty()
                    && rest.find('@') < rest.find('/') =>
            {
                format!("{scheme}://{host}")
            }
            _ => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// A git remote as the https URL of its repository: `git@host:a/b.git`, `ssh://git@host:22/a/b`,
/// `git://host/a/b`, `http(s)://user:token@host/a/b.git` all give `https://host/a/b` (no
/// credentials, no port of ssh, no `.git`); `None` for a local path or anything else.
pub fn https_url(remote: &str) -> Option<String> {
    let remote = remote.trim();
    let (host, path) = if let Some((scheme, rest)) = remote.split_once("://") {
        if !["https", "http", "ssh", "git", "git+ssh"].contains(&scheme) {
            return None;
        }
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?;
        // An ssh or git port is not the web's; an http(s) one is kept.
        let host = match scheme {
            "https" | "http" => host,
            _ => host.split(':').next()?,
        };
        (host.to_string(), path.to_string())
    } else {
        // scp-like `user@host:path`; a path with no `host:` is local.
        let (authority, path) = remote.split_once(':')?;
        // A Windows drive (`C:/repo`) or a path with a colon later on is local.
        if authority.contains('/') || authority.len() < 2 {
            return None;
        }
        (authority.rsplit('@').next()?.to_string(), path.to_string())
    };
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    (host_ok && !path.is_empty()).then(|| format!("https://{host}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_become_https_urls_without_credentials() {
        for (remote, want) in [
            (
                "git@github.com:owner/repo.git",
                "https://github.com/owner/repo",
            ),
            (
                "ssh://git@gitlab.example.com:2222/group/sub/repo.git",
                "https://gitlab.example.com/group/sub/repo",
            ),
            (
                "https://user:s3cret@github.com/owner/repo.git",
                "https://github.com/owner/repo",
            ),
            (
                "https://git.example.com:8443/owner/repo",
                "https://git.example.com:8443/owner/repo",
            ),
            (
                "http://example.com/owner/repo.git/",
                "https://example.com/owner/repo",
            ),
            (
                "git://example.com/owner/repo",
                "https://example.com/owner/repo",
            ),
        ] {
            assert_eq!(https_url(remote).as_deref(), Some(want), "{remote}");
        }
        for remote in [
            "/srv/git/repo.git",
            "../repo",
            "file:///srv/repo",
            "C:/repo",
            "",
        ] {
            assert_eq!(https_url(remote), None, "{remote}");
        }
    }

    #[test]
    fn messages_never_show_a_token() {
        assert_eq!(redact("https://user:s3cret@host/a"), "https://host/a");
        assert_eq!(redact("/srv/repo"), "/srv/repo");
    }
}
