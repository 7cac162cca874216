//! Every limit stagegen puts on what it reads, in one place, so the README can list them and a
//! test can check that it does. Each is enforced before the input is read or built (a file's
//! size from its metadata, and never more than the limit plus one byte read), and each pass
//! is linear or n·log n up to them (`cargo bench --bench passes` feeds each the largest input
//! they allow). Imports only std.

/// The largest `build.toml` (bytes): a build spec is a few kilobytes.
pub const MAX_SPEC_BYTES: usize = 1 << 20;

/// The most stages a build spec may list (`[[stage]]`; the preset's are a handful more).
pub const MAX_STAGES: usize = 1_000;

/// The most steps a build spec may list, in all its stages and `[runtime]` together.
pub const MAX_STEPS: usize = 100_000;

/// The largest file of the app that presets and `init` read (bytes): `package.json`,
/// `pom.xml`, `go.mod`, lock files, sources scanned for ports. A larger one is not read.
pub const MAX_PROJECT_FILE_BYTES: usize = 1 << 20;

/// How deep elements of a `pom.xml` may nest. (JSON nests at most 128 levels and TOML 80,
/// the limits of their parsers; YAML, `go.mod` and the other formats are read line by line.)
pub const MAX_NESTING: usize = 128;

/// The longest string value of `build.toml` (bytes), a `run` script or a `description`
/// included. The engine reads Dockerfile lines of at most 65535 bytes; stagegen cuts longer
/// lines where the engine joins them back, and a value this long always has such places.
pub const MAX_VALUE_BYTES: usize = 16 * 1024;

/// The most directory entries [`crate::project::ProjectFiles`] looks at in one folder, and in
/// one walk of a folder tree (the Yarn release and plugin folders, Java sources).
pub const MAX_WALK_ENTRIES: usize = 10_000;

/// The most package folders a Node workspace may name (its patterns and the folders they
/// match).
pub const MAX_WORKSPACE_MEMBERS: usize = 1_000;

/// Every limit, with the README's name for it: the README section "Limits" lists each.
pub const ALL: &[(&str, usize)] = &[
    ("build.toml size", MAX_SPEC_BYTES),
    ("stages", MAX_STAGES),
    ("steps", MAX_STEPS),
    ("app file size", MAX_PROJECT_FILE_BYTES),
    ("pom.xml nesting depth", MAX_NESTING),
    ("value length", MAX_VALUE_BYTES),
    ("entries read in a folder or a walk", MAX_WALK_ENTRIES),
    ("workspace members", MAX_WORKSPACE_MEMBERS),
];

/// Read at most `limit` bytes from `from`, and whether there was more: never more than
/// `limit + 1` bytes are read, whatever the source (`/dev/zero`, a file still growing).
pub fn read_at_most(from: impl std::io::Read, limit: usize) -> std::io::Result<(Vec<u8>, bool)> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    from.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    let longer = bytes.len() > limit;
    bytes.truncate(limit);
    Ok((bytes, longer))
}

/// The bytes of the file at `path`, or `None` when it holds more than `limit`: a regular file's
/// size is checked before anything is read, and at most `limit + 1` bytes are ever read (a
/// device or a file that grows meanwhile).
pub fn read_file_at_most(path: &std::path::Path, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.len() > limit as u64 {
        return Ok(None);
    }
    let (bytes, longer) = read_at_most(file, limit)?;
    Ok((!longer).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_at_most_the_limit_and_one_byte() {
        let zero = std::io::repeat(0);
        let (bytes, longer) = read_at_most(zero, 10).unwrap_or_default();
        assert_eq!((bytes.len(), longer), (10, true));
        let (bytes, longer) = read_at_most(&b"abc"[..], 3).unwrap_or_default();
        assert_eq!((bytes, longer), (b"abc".to_vec(), false));
    }
}
