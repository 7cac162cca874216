//! Where a byte string occurs in an image: every layer tar of `docker save` (file names, link
//! targets, extension headers, contents), every other file of the archive (manifest, config),
//! and any text given beside it (`docker history --no-trunc`, `docker image inspect`). The secret
//! check uses it: a build secret must occur nowhere.
//!
//! Both `docker save` layouts are read: Docker's (`<id>/layer.tar`) and OCI's
//! (`blobs/sha256/<digest>`, each blob a tar or JSON). A compressed layer cannot be searched
//! without inflating it, so it is an error: a scan that skipped it would pass for nothing.
//!
//! Imports `tar`.

use std::io::{self, Read};

use memchr::memmem::Finder;

use crate::tar::{self, Archive, Kind};

/// What a scan found and how much it read.
#[derive(Debug, Default)]
pub struct Report {
    /// where the needle occurs, e.g. ``layer `abc/layer.tar`: file `app/.netrc` ``
    pub findings: Vec<String>,
    pub layers: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Searches a `docker save` archive read from `saved` for `needle`.
pub fn scan_saved_image(saved: impl Read, needle: &[u8]) -> io::Result<Report> {
    let finder = Finder::new(needle).into_owned();
    let mut report = Report::default();
    let mut outer = Archive::new(saved);
    while let Some(entry) = outer.next()? {
        if contains(&finder, &entry.raw_headers) {
            report
                .findings
                .push(format!("the archive's header of `{}`", entry.path));
        }
        if entry.kind != Kind::File || entry.size == 0 {
            continue;
        }
        let mut body = outer.body();
        let mut head = Vec::with_capacity(512);
        (&mut body).take(512).read_to_end(&mut head)?;
        if head.starts_with(&[0x1f, 0x8b]) || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "`{}` in the saved image is compressed: the scan cannot read it",
                    entry.path
                ),
            ));
        }
        if tar::is_tar_header(&head) {
            report.layers += 1;
            let place = format!("layer `{}`", entry.path);
            scan_layer(
                io::Cursor::new(head).chain(body),
                &finder,
                &place,
                &mut report,
            )?;
        } else {
            report.files += 1;
            let mut stream = Stream::new(&finder);
            stream.feed(&head);
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = body.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                stream.feed(&buf[..n]);
            }
            report.bytes += stream.total;
            if stream.found {
                report.findings.push(format!(
                    "`{}` of the saved image (manifest or config)",
                    entry.path
                ));
            }
        }
    }
    io::copy(&mut outer.into_inner(), &mut io::sink())?;
    Ok(report)
}

/// Searches text that describes the image (history, inspect output).
pub fn scan_text(what: &str, text: &str, needle: &[u8], report: &mut Report) {
    let finder = Finder::new(needle);
    if finder.find(text.as_bytes()).is_some() {
        report.findings.push(what.to_string());
    }
}

fn scan_layer(
    layer: impl Read,
    finder: &Finder<'static>,
    place: &str,
    report: &mut Report,
) -> io::Result<()> {
    let mut archive = Archive::new(layer);
    let mut buf = vec![0u8; 64 * 1024];
    while let Some(entry) = archive.next()? {
        report.files += 1;
        if contains(finder, &entry.raw_headers) {
            report
                .findings
                .push(format!("{place}: the name or header of `{}`", entry.path));
        }
        let mut stream = Stream::new(finder);
        let mut body = archive.body();
        loop {
            let n = body.read(&mut buf)?;
            if n == 0 {
                break;
            }
            stream.feed(&buf[..n]);
        }
        report.bytes += stream.total;
        if stream.found {
            report
                .findings
                .push(format!("{place}: file `{}`", entry.path));
        }
    }
    Ok(())
}

fn contains(finder: &Finder<'_>, bytes: &[u8]) -> bool {
    finder.find(bytes).is_some()
}

/// A search over a stream read in chunks: the last `needle.len() - 1` bytes of each chunk are
/// kept, so a match across two chunks is found.
struct Stream<'f, 'n> {
    finder: &'f Finder<'n>,
    carry: Vec<u8>,
    found: bool,
    total: u64,
}

impl<'f, 'n> Stream<'f, 'n> {
    fn new(finder: &'f Finder<'n>) -> Self {
        Stream {
            finder,
            carry: Vec::new(),
            found: false,
            total: 0,
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        self.total += chunk.len() as u64;
        if self.found {
            return;
        }
        let keep = self.finder.needle().len().saturating_sub(1);
        self.carry.extend_from_slice(chunk);
        if self.finder.find(&self.carry).is_some() {
            self.found = true;
        }
        if self.carry.len() > keep {
            self.carry.drain(..self.carry.len() - keep);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tar::tests::Builder;

    const SECRET: &[u8] = b"s3cr3t-0123456789abcdef";

    fn docker_save(layers: &[Vec<u8>], config: &[u8]) -> Vec<u8> {
        let mut outer = Builder::new();
        outer.file("manifest.json", b"[{\"Config\":\"cfg.json\"}]");
        outer.file("cfg.json", config);
        for (i, layer) in layers.iter().enumerate() {
            outer.dir(&format!("{i}/"));
            outer.file(&format!("{i}/layer.tar"), layer);
        }
        outer.finish()
    }

    #[test]
    fn a_clean_image_has_no_finding() {
        let layer = Builder::new().file("app/main", b"binary").finish();
        let report = scan_saved_image(&docker_save(&[layer], b"{}")[..], SECRET).unwrap();
        assert!(report.findings.is_empty(), "{:?}", report.findings);
        assert_eq!(report.layers, 1);
        assert!(report.files >= 3);
    }

    #[test]
    fn finds_the_secret_in_a_file_of_a_later_layer() {
        let clean = Builder::new().file("etc/os-release", b"debian").finish();
        let mut content = vec![b'.'; 70_000];
        // across the 64 KiB read boundary
        content.splice(65_530..65_530, SECRET.iter().copied());
        let leaky = Builder::new().file("root/.netrc", &content).finish();
        let report = scan_saved_image(&docker_save(&[clean, leaky], b"{}")[..], SECRET).unwrap();
        assert_eq!(
            report.findings,
            vec!["layer `1/layer.tar`: file `root/.netrc`".to_string()]
        );
        assert_eq!(report.layers, 2);
    }

    #[test]
    fn finds_the_secret_in_a_file_name_and_a_link_target() {
        let name = format!("tmp/{}", String::from_utf8_lossy(SECRET));
        let layer = Builder::new()
            .file(&name, b"x")
            .symlink("link", &name)
            .finish();
        let report = scan_saved_image(&docker_save(&[layer], b"{}")[..], SECRET).unwrap();
        assert_eq!(report.findings.len(), 2, "{:?}", report.findings);
    }

    #[test]
    fn finds_the_secret_in_a_long_name_pax_header() {
        let name = format!("{}/{}", "d".repeat(110), String::from_utf8_lossy(SECRET));
        let layer = Builder::new().file(&name, b"x").finish();
        let report = scan_saved_image(&docker_save(&[layer], b"{}")[..], SECRET).unwrap();
        assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    }

    #[test]
    fn finds_the_secret_in_the_config() {
        let config = [b"{\"Env\":[\"TOKEN=".as_slice(), SECRET, b"\"]}"].concat();
        let layer = Builder::new().file("a", b"x").finish();
        let report = scan_saved_image(&docker_save(&[layer], &config)[..], SECRET).unwrap();
        assert_eq!(
            report.findings,
            vec!["`cfg.json` of the saved image (manifest or config)".to_string()]
        );
    }

    #[test]
    fn a_compressed_layer_is_an_error() {
        let mut outer = Builder::new();
        outer.file("blobs/sha256/abc", &[0x1f, 0x8b, 8, 0, 0, 0]);
        assert!(scan_saved_image(&outer.finish()[..], SECRET).is_err());
    }

    #[test]
    fn text_scan() {
        let mut report = Report::default();
        scan_text("history", "RUN echo hi", SECRET, &mut report);
        assert!(report.findings.is_empty());
        scan_text(
            "history",
            &format!("RUN echo {}", String::from_utf8_lossy(SECRET)),
            SECRET,
            &mut report,
        );
        assert_eq!(report.findings, vec!["history".to_string()]);
    }
}
