//! The ignore patterns that keep a build secret's file out of the build context: a secret
//! mounted at `/root/.npmrc` is usually passed from the app's own `.npmrc`
//! (`--secret id=npmrc,src=.npmrc`), and a `COPY . .` would otherwise put that same file, token
//! and all, into a layer and the final image. Imports only the config types.

use crate::config::TomlBuild;

/// `**/<name>` for each declared secret whose target is a dotfile (`.npmrc`, `.netrc`,
/// `.pypirc`, `.yarnrc.yml`, `.git-credentials`): the credentials files tools read from a home
/// folder. Other targets name no file the context would hold, and a broad pattern for them
/// (`**/config.json`) could leave out the app's own files. The user's `ignore` comes after
/// these, so `!.npmrc` brings one back.
pub(super) fn patterns(build: &TomlBuild) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for secret in build.secrets.values() {
        let Some(target) = &secret.target else {
            continue;
        };
        let name = target.rsplit('/').next().unwrap_or_default();
        if name.len() > 1 && name.starts_with('.') && name != ".." {
            let pattern = format!("**/{name}");
            if !out.contains(&pattern) {
                out.push(pattern);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::patterns;
    use crate::config::TomlBuild;

    fn build(text: &str) -> TomlBuild {
        toml::from_str(text).expect("a valid build.toml")
    }

    #[test]
    fn a_dotfile_target_is_left_out_of_the_context() {
        let b = build(
            "version = 1\n[secrets.npmrc]\ntarget = \"/root/.npmrc\"\n[secrets.netrc]\ntarget = \"/root/.netrc\"\n",
        );
        assert_eq!(patterns(&b), ["**/.npmrc", "**/.netrc"]);
    }

    #[test]
    fn other_targets_and_the_default_leave_nothing_out() {
        let b =
            build("version = 1\n[secrets.cfg]\ntarget = \"/app/config.json\"\n[secrets.token]\n");
        assert!(patterns(&b).is_empty());
    }
}
