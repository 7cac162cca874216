//! SG223 unreadable-app-file: a preset's marker file (`go.mod`, `package.json`,
//! `pyproject.toml`, `pom.xml`, ...) that is there but cannot be read: a folder, a file past the
//! size limit, not UTF-8, a link out of the context. [`ProjectFiles::read`] says nothing of such
//! a file, so without this check a preset took it for absent and said the wrong thing ("no
//! `go.mod`", or a GOPATH-style build that ignored it). Checked for every preset before its
//! settings, from its `markers`, so no preset can forget it.

use crate::diagnostics::codes;
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// One error for each of `markers` that is there and cannot be read; none when all read.
pub(super) fn check(markers: &[&str], files: &ProjectFiles) -> Result<(), Vec<PresetError>> {
    let errors: Vec<PresetError> = markers
        .iter()
        .filter_map(|m| files.unreadable(m).map(|why| (m, why)))
        .map(|(m, why)| {
            PresetError::new(
                codes::UNREADABLE_APP_FILE,
                Blame::Table,
                format!("`{m}` is in the build context but cannot be read: {why}"),
            )
            .help(format!(
                "the preset plans the build from `{m}`: make it a readable UTF-8 file of at most {} bytes, or remove it",
                crate::limits::MAX_PROJECT_FILE_BYTES
            ))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::project::ProjectFiles;

    #[test]
    fn a_folder_or_binary_marker_is_an_error_and_a_missing_one_is_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("go.mod")).expect("mkdir");
        std::fs::write(dir.path().join("go.work"), [0xff, 0xfe]).expect("write");
        let files = ProjectFiles::new(dir.path());
        let errors = check(&["go.mod", "go.work", "package.json"], &files).expect_err("errors");
        let messages: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
        assert_eq!(
            messages,
            [
                "`go.mod` is in the build context but cannot be read: it is a folder",
                "`go.work` is in the build context but cannot be read: it is not UTF-8 text",
            ]
        );
        std::fs::remove_dir(dir.path().join("go.mod")).expect("rmdir");
        std::fs::write(dir.path().join("go.work"), "go 1.22\n").expect("write");
        assert!(check(&["go.mod", "go.work"], &files).is_ok());
    }
}
