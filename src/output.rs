//! Writing output files: the one overwrite rule and the one all-or-nothing, atomic write that
//! every command writing files uses (`dockerfile -o`, `plan -o`, `init`). May import: emit (the
//! mark of a generated file).
//!
//! The rule:
//! - Only regular files are written or replaced. A FIFO, a device, a socket or a folder is
//!   refused, even with `--force`, and never opened for reading (opening a FIFO would wait for a
//!   writer). A symlink is followed: the file it names is checked and replaced, the link stays.
//! - [`Policy::Generated`]: an existing file is replaced when its first [`HEAD_BYTES`] carry
//!   stagegen's mark ([`crate::emit::is_generated`]), or with `force`. Nothing past that head is
//!   read; with `force` the file is not read at all.
//! - [`Policy::CreateNew`]: the file is created only when no file of that name exists at the
//!   final step (`renameat2(RENAME_NOREPLACE)`, or `link` then `unlink`), so a file that appears
//!   while stagegen works is kept. [`Policy::Replace`] replaces any regular file.
//!
//! The write, for all files of one command together: (1) check every file, creating nothing;
//! (2) write each text to a temporary file beside its target and fsync it; (3) rename the
//! temporaries over their targets, back to back; (4) fsync the folders. A refusal or an error in
//! (1) or (2) leaves every target untouched. A new file gets mode 0666 less the umask; a replaced
//! file keeps its permission bits.
//!
//! Temporary files are named `.<name>.stagegen-<pid>-<random>.tmp` and removed on every error
//! path. One left behind by a run that was killed is recognised by that name and a process id that
//! no longer runs, and removed by the next write into the same folder; one of a running process is
//! never touched.

use std::ffi::OsString;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};

/// How many bytes of an existing file are read to see whether stagegen wrote it: the mark is on
/// its first lines.
pub const HEAD_BYTES: usize = 4096;

/// Marks every temporary file stagegen creates, between the target's name and the process id.
const TEMP_MARK: &str = ".stagegen-";
const TEMP_SUFFIX: &str = ".tmp";
/// The target's name is cut to this many characters in a temporary file's name, to stay within
/// the file system's name length.
const TEMP_NAME_CHARS: usize = 64;

/// When an existing file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// A file stagegen generated; any regular file when `force`.
    Generated { force: bool },
    /// Only when no file of that name exists, checked atomically as the file is created.
    CreateNew,
    /// Any regular file.
    Replace,
}

/// One file to write.
#[derive(Debug, Clone, Copy)]
pub struct Planned<'a> {
    pub path: &'a Path,
    pub text: &'a [u8],
    pub policy: Policy,
}

/// What went wrong, for choosing a help line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The path is a FIFO, device or socket (or a symlink to nothing).
    NotRegular,
    /// The path is a folder.
    Folder,
    /// A file stagegen did not write, without `force`.
    Foreign,
    /// [`Policy::CreateNew`] and the file exists.
    Exists,
    /// Reading, creating, writing, syncing or renaming failed.
    Io,
}

/// Why files were not written: a message for the user (lowercase, the path in backticks) and a
/// help line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError {
    pub kind: ErrorKind,
    pub message: String,
    pub help: Option<String>,
}

impl WriteError {
    fn new(kind: ErrorKind, message: String, help: Option<&str>) -> Self {
        WriteError {
            kind,
            message,
            help: help.map(str::to_string),
        }
    }

    fn io(what: &str, path: &Path, e: &io::Error) -> Self {
        WriteError::new(
            ErrorKind::Io,
            format!("cannot {what} `{}`: {}", path.display(), io_reason(e)),
            None,
        )
    }

    /// The same error with another help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A checked target: where the bytes go and what is there now.
struct Target {
    /// The path as the user gave it, for messages.
    shown: PathBuf,
    /// The path written: the user's, or what its symlink names.
    real: PathBuf,
    /// The folder that holds `real`.
    dir: PathBuf,
    /// The permission bits of the file replaced, if one is.
    mode: Option<u32>,
    policy: Policy,
}

/// Write every file in `files`, all or none (see the module docs).
pub fn write_all(files: &[Planned<'_>]) -> Result<(), WriteError> {
    // (1) Check all before creating anything.
    let targets: Vec<Target> = files.iter().map(check).collect::<Result<_, _>>()?;
    // (2) Temporaries, written and synced. Each is removed when dropped, on every error path.
    let mut dirs: Vec<&Path> = Vec::new();
    for t in &targets {
        if !dirs.contains(&t.dir.as_path()) {
            remove_stray_temps(&t.dir);
            dirs.push(&t.dir);
        }
    }
    let mut temps = Vec::with_capacity(targets.len());
    for (target, file) in targets.iter().zip(files) {
        temps.push(write_temp(target, file.text)?);
    }
    pause_for_tests();
    // (3) Renames, back to back.
    let mut done: Vec<&Path> = Vec::new();
    for (target, temp) in targets.iter().zip(temps) {
        if let Err(e) = commit(target, temp) {
            if done.is_empty() {
                return Err(e);
            }
            let written: Vec<String> = done.iter().map(|p| format!("`{}`", p.display())).collect();
            return Err(WriteError {
                message: format!("{} (after writing {})", e.message, written.join(", ")),
                ..e
            });
        }
        done.push(&target.shown);
    }
    // (4) The renames themselves, made durable.
    for dir in dirs {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Read at most `limit` bytes of the regular file at `path`: `None` when there is none, and
/// whether it holds more than `limit` bytes. For comparing with what stagegen would write.
pub fn read_prefix(path: &Path, limit: usize) -> Result<Option<(Vec<u8>, bool)>, WriteError> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(WriteError::io("read", path, &e)),
        Ok(m) => not_regular(path, &m)?,
    }
    let mut bytes = read_head(path, path, limit.saturating_add(1), |e| {
        WriteError::io("read", path, e)
    })?;
    let longer = bytes.len() > limit;
    bytes.truncate(limit);
    Ok(Some((bytes, longer)))
}

fn check(file: &Planned<'_>) -> Result<Target, WriteError> {
    let shown = file.path.to_path_buf();
    let (real, meta) = match std::fs::symlink_metadata(file.path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => (shown.clone(), None),
        Err(e) => return Err(WriteError::io("write", file.path, &e)),
        // Followed by the kernel first: `/dev/stdout` leads to a pipe that has no path.
        Ok(m) if m.file_type().is_symlink() => match std::fs::metadata(file.path) {
            Ok(m) if m.is_file() => match std::fs::canonicalize(file.path) {
                Ok(real) => (real, Some(m)),
                Err(e) => return Err(WriteError::io("write", file.path, &e)),
            },
            Ok(m) => return Err(refusal(&shown, &m)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(WriteError::new(
                    ErrorKind::NotRegular,
                    format!(
                        "`{}` is a symlink to a file that does not exist",
                        file.path.display()
                    ),
                    Some("remove the link or choose another path"),
                ))
            }
            Err(e) => return Err(WriteError::io("write", file.path, &e)),
        },
        Ok(m) => (shown.clone(), Some(m)),
    };
    let dir = match real.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(WriteError::new(
                ErrorKind::Io,
                format!(
                    "cannot write `{}`: `{}` is not a folder",
                    shown.display(),
                    dir.display()
                ),
                None,
            ))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(WriteError::new(
                ErrorKind::Io,
                format!(
                    "cannot write `{}`: the folder `{}` does not exist",
                    shown.display(),
                    dir.display()
                ),
                Some("create the folder first"),
            ))
        }
        Err(e) => return Err(WriteError::io("write in", &dir, &e)),
    }
    let Some(meta) = meta else {
        return Ok(Target {
            shown,
            real,
            dir,
            mode: None,
            policy: file.policy,
        });
    };
    not_regular(&shown, &meta)?;
    match file.policy {
        Policy::CreateNew => return Err(exists(&shown)),
        Policy::Generated { force: false } => {
            let head = read_head(&real, &shown, HEAD_BYTES, |e| {
                WriteError::new(
                    ErrorKind::Io,
                    format!(
                        "cannot read `{}` to see whether stagegen wrote it: {}",
                        shown.display(),
                        io_reason(e)
                    ),
                    Some("pass `--force` to replace it"),
                )
            })?;
            if !crate::emit::is_generated(&String::from_utf8_lossy(&head)) {
                return Err(WriteError::new(
                    ErrorKind::Foreign,
                    format!(
                        "refusing to overwrite `{}`: stagegen did not write it",
                        shown.display()
                    ),
                    Some("pass `--force` to replace it"),
                ));
            }
        }
        Policy::Generated { force: true } | Policy::Replace => {}
    }
    Ok(Target {
        shown,
        real,
        dir,
        mode: Some(permission_bits(&meta)),
        policy: file.policy,
    })
}

fn exists(path: &Path) -> WriteError {
    WriteError::new(
        ErrorKind::Exists,
        format!("`{}` exists", path.display()),
        Some("pass `--force` to replace it"),
    )
}

/// Refuse anything but a regular file.
fn not_regular(path: &Path, meta: &Metadata) -> Result<(), WriteError> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(refusal(path, meta))
    }
}

/// Why `path`, which is not a regular file, is not written.
fn refusal(path: &Path, meta: &Metadata) -> WriteError {
    let what = file_kind(meta);
    let message = format!("`{}` is not a regular file: it is {what}", path.display());
    if meta.is_dir() {
        WriteError::new(ErrorKind::Folder, message, Some("name a file in it"))
    } else {
        WriteError::new(
            ErrorKind::NotRegular,
            message,
            Some("stagegen writes only regular files, even with `--force`; choose another path"),
        )
    }
}

fn file_kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

/// The first `limit` bytes of the regular file at `path`. Opened without blocking, and checked
/// again on the open file, so a FIFO put there meanwhile is refused instead of waited on.
fn read_head(
    path: &Path,
    shown: &Path,
    limit: usize,
    io_error: impl Fn(&io::Error) -> WriteError,
) -> Result<Vec<u8>, WriteError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(|e| io_error(&e))?;
    let meta = file.metadata().map_err(|e| io_error(&e))?;
    not_regular(shown, &meta)?;
    let mut bytes = Vec::with_capacity(limit.min(HEAD_BYTES * 16));
    file.take(limit as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(&e))?;
    Ok(bytes)
}

fn permission_bits(meta: &Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0o644
    }
}

/// The start of the name of every temporary file for `target`: `.<name>.stagegen-<pid>-`.
fn temp_prefix(target: &Path) -> OsString {
    let name: String = target
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(TEMP_NAME_CHARS).collect())
        .unwrap_or_default();
    OsString::from(format!(".{name}{TEMP_MARK}{}-", std::process::id()))
}

fn write_temp(target: &Target, text: &[u8]) -> Result<tempfile::NamedTempFile, WriteError> {
    let prefix = temp_prefix(&target.real);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX).rand_bytes(6);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666; the kernel takes the umask off, as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(&target.dir)
        .map_err(|e| WriteError::io("write in", &target.dir, &e))?;
    #[cfg(unix)]
    if let Some(mode) = target.mode {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| WriteError::io("write", &target.shown, &e))?;
    }
    temp.write_all(text)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| WriteError::io("write", &target.shown, &e))?;
    Ok(temp)
}

fn commit(target: &Target, temp: tempfile::NamedTempFile) -> Result<(), WriteError> {
    let result = match target.policy {
        Policy::CreateNew => temp.persist_noclobber(&target.real),
        Policy::Generated { .. } | Policy::Replace => temp.persist(&target.real),
    };
    // On an error the temporary comes back inside it, and is removed as it drops.
    result.map(drop).map_err(|e| {
        if target.policy == Policy::CreateNew && e.error.kind() == io::ErrorKind::AlreadyExists {
            WriteError::new(
                ErrorKind::Exists,
                format!(
                    "`{}` appeared while stagegen was working; it was left as it is",
                    target.shown.display()
                ),
                Some("pass `--force` to replace it"),
            )
        } else {
            WriteError::io("write", &target.shown, &e.error)
        }
    })
}

fn sync_dir(dir: &Path) -> Result<(), WriteError> {
    #[cfg(unix)]
    {
        let synced = File::open(dir).and_then(|d| d.sync_all());
        match synced {
            // Some file systems cannot sync a folder; the rename is as durable as they make it.
            Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOTSUP)) => {}
            Err(e) => return Err(WriteError::io("sync the folder", dir, &e)),
            Ok(()) => {}
        }
    }
    #[cfg(not(unix))]
    let _ = (dir, File::open);
    Ok(())
}

/// Remove temporaries that a killed stagegen left in `dir`: those named by [`temp_prefix`] whose
/// process no longer runs. Best effort: what cannot be read or removed stays.
fn remove_stray_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(stray_pid) else {
            continue;
        };
        if pid != std::process::id() && !process_runs(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temporary file's name, when `name` is one of stagegen's.
fn stray_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(TEMP_SUFFIX)?;
    let (_, after) = rest.rsplit_once(TEMP_MARK)?;
    let (pid, random) = after.split_once('-')?;
    let well_formed = !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && random.len() == 6
        && random.bytes().all(|b| b.is_ascii_alphanumeric());
    well_formed.then(|| pid.parse().ok()).flatten()
}

fn process_runs(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        if pid <= 0 {
            return true;
        }
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Debug builds only (the binary the tests run): with `STAGEGEN_TEST_PAUSE_BEFORE_COMMIT=<p>`,
/// create `<p>.ready` once the temporaries are written and wait (up to 60 s) for `<p>.go` before
/// renaming them, so a test can act between the two (create the file `init` is about to write,
/// or kill the process). Not compiled into release builds.
fn pause_for_tests() {
    #[cfg(debug_assertions)]
    if let Some(flag) = std::env::var_os("STAGEGEN_TEST_PAUSE_BEFORE_COMMIT") {
        let with = |ext: &str| {
            let mut p = flag.clone();
            p.push(ext);
            PathBuf::from(p)
        };
        let _ = std::fs::write(with(".ready"), b"");
        let go = with(".go");
        for _ in 0..6000 {
            if go.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// The reason of an I/O error as a message shows it: lowercase, without the OS error number.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            // "No space left on device (os error 28)" -> "no space left on device"
            let text = match text.find(" (os error") {
                Some(i) => &text[..i],
                None => &text,
            };
            text.to_lowercase()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_temp_names_are_recognised_exactly() {
        assert_eq!(stray_pid(".Dockerfile.stagegen-123-aB3xY9.tmp"), Some(123));
        assert_eq!(stray_pid("..dockerignore.stagegen-7-000000.tmp"), Some(7));
        for other in [
            "Dockerfile.stagegen-123-aB3xY9.tmp",
            ".Dockerfile.stagegen-123-aB3xY9",
            ".Dockerfile.stagegen-12a-aB3xY9.tmp",
            ".Dockerfile.stagegen-123-aB3x.tmp",
            ".Dockerfile.stagegen--aB3xY9.tmp",
            ".env.tmp",
        ] {
            assert_eq!(stray_pid(other), None, "{other}");
        }
    }

    #[test]
    fn a_temp_name_carries_the_target_and_the_pid() {
        let p = temp_prefix(Path::new("ci/Dockerfile"));
        let name = format!("{}abcdef.tmp", p.to_string_lossy());
        assert!(name.starts_with(".Dockerfile.stagegen-"), "{name}");
        assert_eq!(stray_pid(&name), Some(std::process::id()));
    }

    #[test]
    fn our_own_process_runs() {
        assert!(process_runs(std::process::id()));
    }

    #[test]
    fn io_reasons_are_lowercase_without_the_os_error_number() {
        let e = io::Error::from_raw_os_error(28);
        assert_eq!(io_reason(&e), "no space left on device");
    }
}
