//! Digests from a registry's HTTP API (the distribution spec): `HEAD /v2/<repo>/manifests/<tag>`
//! and its `Docker-Content-Digest`. A `401` with a `Bearer` challenge is answered with a token
//! from the realm it names (anonymously, or with the Docker config's credentials for that
//! registry); a `Basic` challenge with those credentials. Credentials come from
//! `$DOCKER_CONFIG/config.json` (else `~/.docker/config.json`): `auths.<host>.auth`, or a
//! credential helper (`credHelpers`, `credsStore`). Every failure names the image and what the
//! registry answered.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use base64::Engine as _;

use super::reference::{is_digest, Reference, DOCKER_HUB};

/// The manifest kinds asked for: an index first, so a multi-platform image is pinned by its
/// index (every platform), then single manifests.
const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json";

/// Talks to registries.
pub struct Registry {
    agent: ureq::Agent,
    /// The Docker config file's JSON, when there is one.
    config: Option<serde_json::Value>,
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl Registry {
    pub fn new() -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(30))
            .redirects(5)
            .user_agent(concat!("stagegen/", env!("CARGO_PKG_VERSION")))
            .build();
        Registry {
            agent,
            config: docker_config(),
        }
    }

    /// The digest `reference`'s tag points at now.
    pub fn digest(&self, reference: &Reference) -> Result<String, String> {
        let url = format!(
            "{}://{}/v2/{}/manifests/{}",
            reference.scheme(),
            reference.api_host(),
            reference.repository,
            reference.tag
        );
        let host = reference.api_host();
        let first = self.agent.head(&url).set("Accept", ACCEPT).call();
        let response = match first {
            Ok(r) => r,
            Err(ureq::Error::Status(401, r)) => {
                let challenge = r.header("www-authenticate").unwrap_or_default().to_string();
                let authorization = self.answer(reference, &challenge)?;
                self.agent
                    .head(&url)
                    .set("Accept", ACCEPT)
                    .set("Authorization", &authorization)
                    .call()
                    .map_err(|e| answered(host, e))?
            }
            Err(e) => return Err(answered(host, e)),
        };
        let digest = response
            .header("docker-content-digest")
            .map(str::to_string)
            .ok_or_else(|| format!("{host} gave no `Docker-Content-Digest` for the manifest"))?;
        if !is_digest(&digest) {
            return Err(format!(
                "{host} gave `{}` as the digest, which is not a sha256 digest",
                digest.escape_debug()
            ));
        }
        Ok(digest)
    }

    /// The `Authorization` header that answers `challenge`.
    fn answer(&self, reference: &Reference, challenge: &str) -> Result<String, String> {
        let host = reference.api_host();
        let basic = self.credentials(&reference.domain);
        let (scheme, params) = challenge.split_once(' ').unwrap_or((challenge, ""));
        let params = parse_params(params);
        let param = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.as_str())
        };
        if scheme.eq_ignore_ascii_case("basic") {
            return basic.map(|b| format!("Basic {b}")).ok_or_else(|| {
                format!("{host} asks for a user name and password, and the Docker config has none for `{}`; run `docker login {}`", reference.domain, reference.domain)
            });
        }
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(format!(
                "{host} answered 401 with a challenge stagegen cannot answer: `{}`",
                challenge.escape_debug()
            ));
        }
        let realm = param("realm").ok_or_else(|| {
            format!("{host} answered 401 with a `Bearer` challenge that names no realm")
        })?;
        let scope = param("scope")
            .map(str::to_string)
            .unwrap_or_else(|| format!("repository:{}:pull", reference.repository));
        let mut request = self.agent.get(realm).query("scope", &scope);
        if let Some(service) = param("service") {
            request = request.query("service", service);
        }
        if let Some(b) = &basic {
            request = request.set("Authorization", &format!("Basic {b}"));
        }
        let body: serde_json::Value = request
            .call()
            .map_err(|e| format!("the token service `{realm}`: {}", answered_text(e)))?
            .into_string()
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .ok_or_else(|| format!("the token service `{realm}` answered no JSON"))?;
        let token = body
            .get("token")
            .or_else(|| body.get("access_token"))
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| format!("the token service `{realm}` gave no token"))?;
        Ok(format!("Bearer {token}"))
    }

    /// `user:password`, base64, for `domain`, from the Docker config.
    fn credentials(&self, domain: &str) -> Option<String> {
        let config = self.config.as_ref()?;
        let keys: Vec<String> = if domain == DOCKER_HUB {
            vec![
                "https://index.docker.io/v1/".into(),
                "index.docker.io".into(),
                "docker.io".into(),
            ]
        } else {
            vec![
                domain.to_string(),
                format!("https://{domain}"),
                format!("http://{domain}"),
            ]
        };
        for key in &keys {
            if let Some(auth) = config["auths"][key.as_str()]["auth"].as_str() {
                if !auth.is_empty() {
                    return Some(auth.to_string());
                }
            }
        }
        let helper = keys
            .iter()
            .find_map(|k| config["credHelpers"][k.as_str()].as_str())
            .or_else(|| config["credsStore"].as_str())?;
        helper_credentials(helper, &keys[0])
    }
}

/// Ask `docker-credential-<helper>` for `server`'s credentials.
fn helper_credentials(helper: &str, server: &str) -> Option<String> {
    let mut child = Command::new(format!("docker-credential-{helper}"))
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(server.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let user = v["Username"].as_str()?;
    let secret = v["Secret"].as_str()?;
    Some(base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}")))
}

/// The Docker config file, read when it exists.
fn docker_config() -> Option<serde_json::Value> {
    let dir = match std::env::var_os("DOCKER_CONFIG") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::PathBuf::from(std::env::var_os("HOME")?).join(".docker"),
    };
    let text = std::fs::read(dir.join("config.json")).ok()?;
    serde_json::from_slice(&text).ok()
}

/// `realm="x",service="y"` as pairs; values may be quoted and hold commas.
fn parse_params(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let key = key.trim().trim_start_matches(',').trim().to_string();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (quoted[..end].to_string(), &quoted[end + 1..]),
                None => (quoted.to_string(), ""),
            }
        } else {
            match after.find(',') {
                Some(end) => (after[..end].trim().to_string(), &after[end..]),
                None => (after.trim().to_string(), ""),
            }
        };
        out.push((key, value));
        rest = next.trim_start_matches([',', ' ']);
    }
    out
}

fn answered(host: &str, e: ureq::Error) -> String {
    format!("{host}: {}", answered_text(e))
}

/// What a failed request got: the status and the registry's own message, or why no answer came.
fn answered_text(e: ureq::Error) -> String {
    match e {
        ureq::Error::Status(code, r) => {
            let status = r.status_text().to_string();
            let body: Option<serde_json::Value> = r
                .into_string()
                .ok()
                .and_then(|text| serde_json::from_str(&text).ok());
            let said = body
                .as_ref()
                .and_then(|b| b["errors"][0]["message"].as_str())
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            let hint = match code {
                404 => " (no such image or tag)",
                401 | 403 => " (not allowed: `docker login` to it?)",
                _ => "",
            };
            format!("answered {code} {status}{said}{hint}")
        }
        ureq::Error::Transport(t) => format!("no answer: {}", t.to_string().to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The token flow and Basic credentials against a server: tests/lock.rs.
    #[test]
    fn challenge_parameters_parse() {
        assert_eq!(
            parse_params("realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/golang:pull,push\""),
            vec![
                ("realm".to_string(), "https://auth.docker.io/token".to_string()),
                ("service".to_string(), "registry.docker.io".to_string()),
                ("scope".to_string(), "repository:library/golang:pull,push".to_string()),
            ]
        );
    }
}
