//! Find a byte string anywhere in a built image: in every file of every layer (and the layer
//! tars' own headers: names, link targets, extended attributes), the image config and manifest
//! that `docker save` writes, `docker image inspect`, and `docker history --no-trunc`. For the
//! check that a build secret never lands in an image.
//!
//! ```ignore
//! #[path = "support/image_scan.rs"]
//! mod image_scan;
//! let report = image_scan::scan_image("stagegen-e2e/app:test", b"s3cret")?;
//! assert!(report.findings.is_empty(), "{report}");
//! ```
//!
//! Self-contained: std only, the `docker` client on PATH. Layers must be uncompressed tars (what
//! `docker save` writes); a compressed layer is an error, never a silent pass.
#![allow(dead_code)]

use std::fmt;
use std::path::Path;
use std::process::Command;

/// Where a needle was found, and what was looked at.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub image: String,
    /// One line per place: `layer <path in the saved tar>: <file in the layer>`, `config ...`,
    /// `docker history`, `docker image inspect`.
    pub findings: Vec<String>,
    /// Layer tars read.
    pub layers: usize,
    /// Files read inside the layers.
    pub files: usize,
    /// Bytes looked at, all sources together.
    pub bytes: u64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} layers, {} files, {} bytes scanned",
            self.image, self.layers, self.files, self.bytes
        )?;
        if self.findings.is_empty() {
            write!(f, "; not found")
        } else {
            write!(f, "; found in:\n  {}", self.findings.join("\n  "))
        }
    }
}

/// `docker save` `image` and look for `needle` everywhere in it (see the module doc).
pub(crate) fn scan_image(image: &str, needle: &[u8]) -> Result<Report, String> {
    if needle.is_empty() {
        return Err("the needle is empty".into());
    }
    let tmp = tempfile::tempdir().map_err(|e| format!("a temporary folder: {e}"))?;
    let saved = tmp.path().join("image.tar");
    docker(&["save", "-o", &saved.to_string_lossy(), image])?;
    let bytes = std::fs::read(&saved).map_err(|e| format!("read {}: {e}", saved.display()))?;
    let mut report = Report {
        image: image.to_string(),
        ..Report::default()
    };
    scan_saved(&bytes, needle, &mut report)?;
    let history = docker(&["history", "--no-trunc", "--format", "{{.CreatedBy}}", image])?;
    report.bytes += history.len() as u64;
    if contains(history.as_bytes(), needle) {
        report.findings.push("docker history".into());
    }
    let inspect = docker(&["image", "inspect", image])?;
    report.bytes += inspect.len() as u64;
    if contains(inspect.as_bytes(), needle) {
        report.findings.push("docker image inspect".into());
    }
    Ok(report)
}

/// The output of `docker ARGS`, or what went wrong.
fn docker(args: &[&str]) -> Result<String, String> {
    let out = Command::new("docker")
        .args(args)
        .output()
        .map_err(|e| format!("run docker: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "docker {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Scan the tar `docker save` wrote: each entry that is itself a tar is a layer (legacy
/// `<id>/layer.tar` or OCI `blobs/sha256/<digest>`), everything else (config, manifest,
/// `index.json`) is scanned as it is.
pub(crate) fn scan_saved(saved: &[u8], needle: &[u8], report: &mut Report) -> Result<(), String> {
    for entry in tar_entries(saved)? {
        let data = entry.data;
        report.bytes += data.len() as u64;
        if data.starts_with(&[0x1f, 0x8b]) || data.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            return Err(format!(
                "{} is compressed: this scanner reads uncompressed layers only",
                entry.name
            ));
        }
        if is_tar(data) {
            report.layers += 1;
            scan_layer(&entry.name, data, needle, report)?;
        } else if contains(data, needle) {
            report
                .findings
                .push(format!("{} (config or manifest)", entry.name));
        }
    }
    Ok(())
}

/// One layer: each file's contents, and the tar's own headers.
fn scan_layer(name: &str, layer: &[u8], needle: &[u8], report: &mut Report) -> Result<(), String> {
    let mut in_files = false;
    for file in tar_entries(layer)? {
        report.files += 1;
        if contains(file.data, needle) {
            in_files = true;
            report.findings.push(format!("layer {name}: {}", file.name));
        }
        if contains(file.name.as_bytes(), needle) || contains(file.link.as_bytes(), needle) {
            in_files = true;
            report
                .findings
                .push(format!("layer {name}: the name of {}", file.name));
        }
    }
    if !in_files && contains(layer, needle) {
        report.findings.push(format!(
            "layer {name}: tar headers (extended attributes or metadata)"
        ));
    }
    Ok(())
}

/// One entry of a tar archive.
pub(crate) struct Entry<'a> {
    pub name: String,
    pub link: String,
    pub data: &'a [u8],
}

fn is_tar(data: &[u8]) -> bool {
    data.len() >= 512 && &data[257..262] == b"ustar"
}

fn field(header: &[u8], from: usize, len: usize) -> String {
    let raw = &header[from..from + len];
    let end = raw.iter().position(|b| *b == 0).unwrap_or(len);
    String::from_utf8_lossy(&raw[..end]).into_owned()
}

fn octal(header: &[u8], from: usize, len: usize) -> Result<usize, String> {
    let raw = &header[from..from + len];
    if raw[0] & 0x80 != 0 {
        // GNU base-256 for large sizes.
        return Ok(raw[1..].iter().fold(0usize, |n, b| {
            n.saturating_mul(256).saturating_add(*b as usize)
        }));
    }
    let text = field(header, from, len);
    let text = text.trim_matches(|c: char| c == ' ' || c == '\0');
    if text.is_empty() {
        return Ok(0);
    }
    usize::from_str_radix(text, 8).map_err(|e| format!("a tar header's size `{text}`: {e}"))
}

/// The entries of a tar archive (ustar, with GNU long names and pax `path`/`linkpath`).
pub(crate) fn tar_entries(tar: &[u8]) -> Result<Vec<Entry<'_>>, String> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut long_name: Option<String> = None;
    let mut long_link: Option<String> = None;
    while at + 512 <= tar.len() {
        let header = &tar[at..at + 512];
        if header.iter().all(|b| *b == 0) {
            break;
        }
        let size = octal(header, 124, 12)?;
        let kind = header[156];
        let start = at + 512;
        let end = start
            .checked_add(size)
            .filter(|e| *e <= tar.len())
            .ok_or_else(|| format!("a tar entry at byte {at} runs past the end"))?;
        let data = &tar[start..end];
        at = start + size.div_ceil(512) * 512;
        match kind {
            b'L' => long_name = Some(field(data, 0, data.len())),
            b'K' => long_link = Some(field(data, 0, data.len())),
            b'x' => {
                for record in String::from_utf8_lossy(data).split('\n') {
                    if let Some((_, kv)) = record.split_once(' ') {
                        if let Some(path) = kv.strip_prefix("path=") {
                            long_name = Some(path.to_string());
                        } else if let Some(link) = kv.strip_prefix("linkpath=") {
                            long_link = Some(link.to_string());
                        }
                    }
                }
            }
            b'g' => {}
            _ => {
                let mut name = field(header, 0, 100);
                let prefix = field(header, 345, 155);
                if &header[257..262] == b"ustar" && !prefix.is_empty() {
                    name = format!("{prefix}/{name}");
                }
                out.push(Entry {
                    name: long_name.take().unwrap_or(name),
                    link: long_link.take().unwrap_or_else(|| field(header, 157, 100)),
                    data,
                });
            }
        }
    }
    Ok(out)
}

/// `needle` occurs in `haystack`.
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack.len() >= needle.len()
        && haystack.windows(needle.len()).any(|w| w == needle)
}

/// A tar of `files` (name, contents) made by the system `tar`, for tests.
pub(crate) fn make_tar(dir: &Path, files: &[(&str, &[u8])]) -> Vec<u8> {
    let root = dir.join("root");
    for (name, data) in files {
        let path = root.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a folder");
        }
        std::fs::write(&path, data).expect("write a file");
    }
    let out = dir.join("out.tar");
    let status = Command::new("tar")
        .args(["--format=gnu", "-cf"])
        .arg(&out)
        .arg("-C")
        .arg(&root)
        .arg(".")
        .status()
        .expect("run tar");
    assert!(status.success(), "tar failed");
    std::fs::read(&out).expect("read the tar")
}
