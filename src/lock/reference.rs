//! Image references as registries see them: `golang:1.22` is `library/golang`, tag `1.22`, on
//! Docker Hub (`registry-1.docker.io`); `127.0.0.1:5000/team/api:1` is `team/api` on
//! `127.0.0.1:5000`. Pure.

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The registry's name as users write it (`docker.io` for Docker Hub).
    pub domain: String,
    /// The repository on it (`library/golang`).
    pub repository: String,
    pub tag: String,
    /// `sha256:...` when the reference is already pinned.
    pub digest: Option<String>,
}

/// Docker Hub's name, and the host its API answers on.
pub const DOCKER_HUB: &str = "docker.io";
const DOCKER_HUB_API: &str = "registry-1.docker.io";

impl Reference {
    /// Parse `text`, or `None` when it is no image a registry holds (`scratch`, a `$VAR`).
    pub fn parse(text: &str) -> Option<Reference> {
        if text == "scratch" || text.contains('$') || text.is_empty() {
            return None;
        }
        let (name, digest) = match text.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (text, None),
        };
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (&name[..last_slash + i], &name[last_slash + i + 1..]),
            None => (name, "latest"),
        };
        let (domain, path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), rest.to_string())
            }
            _ => (DOCKER_HUB.to_string(), name.to_string()),
        };
        let repository = if domain == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path
        };
        if repository.is_empty() || tag.is_empty() {
            return None;
        }
        Some(Reference {
            domain,
            repository,
            tag: tag.to_string(),
            digest,
        })
    }

    /// The host the registry's HTTP API answers on.
    pub fn api_host(&self) -> &str {
        if self.domain == DOCKER_HUB {
            DOCKER_HUB_API
        } else {
            &self.domain
        }
    }

    /// Plain HTTP for a registry on this machine (as Docker allows), HTTPS elsewhere.
    pub fn scheme(&self) -> &'static str {
        let host = self
            .domain
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(self.domain.as_str(), |(h, _)| h);
        if host == "localhost" || host.starts_with("127.") || host == "[::1]" {
            "http"
        } else {
            "https"
        }
    }

    /// The repository as Docker names it in `RepoDigests` (`golang`, `127.0.0.1:5000/team/api`).
    pub fn docker_name(&self) -> String {
        if self.domain == DOCKER_HUB {
            self.repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
                .to_string()
        } else {
            format!("{}/{}", self.domain, self.repository)
        }
    }
}

/// Whether `digest` is `sha256:` and 64 lowercase hex digits.
pub fn is_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Option<(String, String, String, Option<String>)> {
        Reference::parse(text).map(|r| (r.domain, r.repository, r.tag, r.digest))
    }

    #[test]
    fn references_parse_as_registries_see_them() {
        let s = |x: &str| x.to_string();
        assert_eq!(
            parts("golang:1.22"),
            Some((s("docker.io"), s("library/golang"), s("1.22"), None))
        );
        assert_eq!(
            parts("bitnami/redis"),
            Some((s("docker.io"), s("bitnami/redis"), s("latest"), None))
        );
        assert_eq!(
            parts("gcr.io/distroless/static-debian12:nonroot"),
            Some((
                s("gcr.io"),
                s("distroless/static-debian12"),
                s("nonroot"),
                None
            ))
        );
        assert_eq!(
            parts("127.0.0.1:5000/team/api:1@sha256:ab"),
            Some((
                s("127.0.0.1:5000"),
                s("team/api"),
                s("1"),
                Some(s("sha256:ab"))
            ))
        );
        assert_eq!(
            parts("localhost/x"),
            Some((s("localhost"), s("x"), s("latest"), None))
        );
        assert_eq!(parts("scratch"), None);
        assert_eq!(parts("golang:${GO}"), None);
    }

    #[test]
    fn hosts_schemes_and_docker_names() {
        let r = Reference::parse("golang:1.22").expect("parses");
        assert_eq!(
            (r.api_host(), r.scheme()),
            ("registry-1.docker.io", "https")
        );
        assert_eq!(r.docker_name(), "golang");
        let r = Reference::parse("127.0.0.1:5000/team/api:1").expect("parses");
        assert_eq!((r.api_host(), r.scheme()), ("127.0.0.1:5000", "http"));
        assert_eq!(r.docker_name(), "127.0.0.1:5000/team/api");
        let r = Reference::parse("localhost:5000/a").expect("parses");
        assert_eq!(r.scheme(), "http");
        let r = Reference::parse("ghcr.io/a/b:1").expect("parses");
        assert_eq!(r.scheme(), "https");
    }

    #[test]
    fn digests_are_sha256_hex() {
        assert!(is_digest(&format!("sha256:{}", "a".repeat(64))));
        assert!(!is_digest(&format!("sha256:{}", "A".repeat(64))));
        assert!(!is_digest("sha256:abc"));
        assert!(!is_digest(&format!("sha512:{}", "a".repeat(64))));
    }
}
