//! Digests from the local engine, offline: `docker image inspect`'s `RepoDigests`, the digest
//! the image had in the registry it was pulled from or pushed to. An image built here and never
//! pushed has none (its `Id` is the digest of its config, which no registry knows it by), and
//! that is said.

use std::process::Command;

use super::reference::{is_digest, Reference};

/// The registry digest Docker's store knows for `image`.
pub(super) fn digest(image: &str, reference: &Reference) -> Result<String, String> {
    let out = Command::new("docker")
        .args([
            "image",
            "inspect",
            "--format",
            "{{json .RepoDigests}}",
            image,
        ])
        .output()
        .map_err(|e| format!("cannot run `docker`: {}", e.to_string().to_lowercase()))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr).trim().to_lowercase();
        return Err(format!("not in Docker's store ({said})"));
    }
    let digests: Vec<String> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    pick(&digests, reference).ok_or_else(|| {
        "Docker's store has it, but no registry digest for it (it was built here, not pulled or pushed): push it, or lock without `--offline`".to_string()
    })
}

/// The digest of `RepoDigests` (`name@sha256:...`) that belongs to `reference`'s repository.
fn pick(repo_digests: &[String], reference: &Reference) -> Option<String> {
    let want = reference.docker_name();
    repo_digests.iter().find_map(|entry| {
        let (name, digest) = entry.split_once('@')?;
        let same = Reference::parse(name).is_some_and(|r| r.docker_name() == want);
        (same && is_digest(digest)).then(|| digest.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_of_the_same_repository_is_picked() {
        let d = |c: char| format!("sha256:{}", c.to_string().repeat(64));
        let digests = vec![
            format!("127.0.0.1:5000/stand/debian@{}", d('a')),
            format!("debian@{}", d('b')),
        ];
        let r = Reference::parse("debian:bookworm-slim").expect("parses");
        assert_eq!(pick(&digests, &r), Some(d('b')));
        let r = Reference::parse("127.0.0.1:5000/stand/debian:x").expect("parses");
        assert_eq!(pick(&digests, &r), Some(d('a')));
        let r = Reference::parse("golang:1.22").expect("parses");
        assert_eq!(pick(&digests, &r), None);
    }
}
