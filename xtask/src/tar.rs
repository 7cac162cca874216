//! A streaming reader of tar archives: what `docker export` and `docker save` write (ustar with
//! PAX and GNU long-name extensions). It reads from any `Read`, a pipe included, so an image is
//! never written to disk; an entry's body is a `Read` too, which lets a layer tar inside a
//! `docker save` archive be read without buffering it.
//!
//! Imports nothing of the rest of the crate.

use std::io::{self, Read};

const BLOCK: usize = 512;

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    Hardlink,
    /// devices, fifos and the like
    Other,
}

/// One entry, its extension headers applied.
#[derive(Debug, Clone)]
pub struct Entry {
    /// the path as stored (no leading `./` removed)
    pub path: String,
    pub kind: Kind,
    pub size: u64,
    /// every header byte that describes this entry (the ustar header and the bodies of the PAX
    /// and GNU long-name entries before it): a scan of the archive reads these too
    pub raw_headers: Vec<u8>,
}

/// The reader. `next` yields each entry; `body` reads the current one's contents (the rest is
/// skipped by the following `next`).
pub struct Archive<R> {
    inner: R,
    /// bytes of the current entry's body not read yet, then its padding to a block
    remaining: u64,
    padding: u64,
    done: bool,
}

impl<R: Read> Archive<R> {
    pub fn new(inner: R) -> Self {
        Archive {
            inner,
            remaining: 0,
            padding: 0,
            done: false,
        }
    }

    /// The next entry, or `None` at the end of the archive (two zero blocks, or the end of the
    /// input right after an entry).
    pub fn next(&mut self) -> io::Result<Option<Entry>> {
        if self.done {
            return Ok(None);
        }
        self.skip_rest()?;
        let mut long_path: Option<String> = None;
        let mut raw = Vec::new();
        loop {
            let mut header = [0u8; BLOCK];
            if !read_block(&mut self.inner, &mut header)? {
                self.done = true;
                return Ok(None);
            }
            if header.iter().all(|&b| b == 0) {
                self.done = true;
                return Ok(None);
            }
            verify_checksum(&header)?;
            raw.extend_from_slice(&header);
            let size = parse_size(&header[124..136])?;
            let typeflag = header[156];
            match typeflag {
                // PAX extended header (per entry) and GNU long name / long link: their body
                // describes the next header
                b'x' | b'L' | b'K' => {
                    let body = self.read_small_body(size)?;
                    raw.extend_from_slice(&body);
                    match typeflag {
                        b'x' => {
                            for (key, value) in parse_pax(&body)? {
                                if key == "path" {
                                    long_path = Some(value);
                                }
                            }
                        }
                        b'L' => long_path = Some(c_string(&body)),
                        // a long link target: its bytes are in `raw_headers`
                        _ => {}
                    }
                    continue;
                }
                // a global PAX header: nothing of it matters here, but its bytes are kept
                b'g' => {
                    let body = self.read_small_body(size)?;
                    raw.extend_from_slice(&body);
                    continue;
                }
                _ => {}
            }
            let name = c_string(&header[0..100]);
            let prefix = if &header[257..262] == b"ustar" {
                c_string(&header[345..500])
            } else {
                String::new()
            };
            let path = long_path.take().unwrap_or_else(|| {
                if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}/{name}")
                }
            });
            let kind = match typeflag {
                b'0' | 0 | b'7' => {
                    if path.ends_with('/') {
                        Kind::Dir
                    } else {
                        Kind::File
                    }
                }
                b'5' => Kind::Dir,
                b'2' => Kind::Symlink,
                b'1' => Kind::Hardlink,
                _ => Kind::Other,
            };
            // only regular files (and unknown types that say so) carry a body
            let body_size = if matches!(typeflag, b'1' | b'2' | b'3' | b'4' | b'5' | b'6') {
                0
            } else {
                size
            };
            self.remaining = body_size;
            self.padding = pad(body_size);
            return Ok(Some(Entry {
                path,
                kind,
                size: body_size,
                raw_headers: raw,
            }));
        }
    }

    /// The reader, positioned after the end-of-archive blocks (a pipe's writer may have more:
    /// read it to the end so the writer does not fail on a closed pipe).
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The current entry's body (what is left of it).
    pub fn body(&mut self) -> Body<'_, R> {
        Body { archive: self }
    }

    fn skip_rest(&mut self) -> io::Result<()> {
        let n = self.remaining + self.padding;
        if n > 0 {
            let copied = io::copy(&mut (&mut self.inner).take(n), &mut io::sink())?;
            if copied < n {
                return Err(truncated());
            }
        }
        self.remaining = 0;
        self.padding = 0;
        Ok(())
    }

    /// An extension header's body: small by nature; more than 1 MiB is not a tar we wrote.
    fn read_small_body(&mut self, size: u64) -> io::Result<Vec<u8>> {
        if size > 1 << 20 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("tar extension header of {size} bytes"),
            ));
        }
        let padded = size + pad(size);
        let mut body = vec![0u8; padded as usize];
        self.inner.read_exact(&mut body).map_err(|_| truncated())?;
        body.truncate(size as usize);
        Ok(body)
    }
}

/// The body of the current entry, as a `Read`.
pub struct Body<'a, R> {
    archive: &'a mut Archive<R>,
}

impl<R: Read> Read for Body<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.archive.remaining;
        if left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.archive.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(truncated());
        }
        self.archive.remaining -= n as u64;
        Ok(n)
    }
}

/// Whether a block looks like the first header of a tar archive.
pub fn is_tar_header(block: &[u8]) -> bool {
    block.len() >= BLOCK
        && (&block[257..262] == b"ustar" || verify_checksum(&block[..BLOCK]).is_ok())
        && block[0] != 0
}

fn pad(size: u64) -> u64 {
    (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64
}

fn truncated() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "tar archive ends in the middle of an entry",
    )
}

/// Fills `block`; `false` at a clean end of input (no byte read).
fn read_block(r: &mut impl Read, block: &mut [u8; BLOCK]) -> io::Result<bool> {
    let mut filled = 0;
    while filled < BLOCK {
        match r.read(&mut block[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    match filled {
        0 => Ok(false),
        BLOCK => Ok(true),
        _ => Err(truncated()),
    }
}

fn verify_checksum(header: &[u8]) -> io::Result<()> {
    let stored = parse_octal(&header[148..156]).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "tar header checksum is not a number",
        )
    })?;
    let sum: u64 = header
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                u64::from(b' ')
            } else {
                u64::from(b)
            }
        })
        .sum();
    if sum == stored {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "tar header checksum mismatch (not a tar archive?)",
        ))
    }
}

/// A size field: octal text, or GNU base-256 (high bit set) for sizes of 8 GiB and more.
fn parse_size(field: &[u8]) -> io::Result<u64> {
    if field[0] & 0x80 != 0 {
        let mut value: u64 = u64::from(field[0] & 0x7f);
        for &b in &field[1..] {
            value = value
                .checked_mul(256)
                .and_then(|v| v.checked_add(u64::from(b)))
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "tar size overflows"))?;
        }
        return Ok(value);
    }
    parse_octal(field)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "tar size is not a number"))
}

fn parse_octal(field: &[u8]) -> Option<u64> {
    let text: String = field
        .iter()
        .take_while(|&&b| b != 0)
        .map(|&b| b as char)
        .collect();
    let text = text.trim();
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(text, 8).ok()
}

fn c_string(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// PAX records: `<len> <key>=<value>\n`, where len counts the whole record.
fn parse_pax(body: &[u8]) -> io::Result<Vec<(String, String)>> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "malformed PAX header");
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let space = rest.iter().position(|&b| b == b' ').ok_or_else(bad)?;
        let len: usize = std::str::from_utf8(&rest[..space])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        if len <= space + 1 || len > rest.len() {
            return Err(bad());
        }
        let record = &rest[space + 1..len];
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        let eq = record.iter().position(|&b| b == b'=').ok_or_else(bad)?;
        out.push((
            String::from_utf8_lossy(&record[..eq]).into_owned(),
            String::from_utf8_lossy(&record[eq + 1..]).into_owned(),
        ));
        rest = &rest[len..];
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A tiny tar writer for the tests: ustar headers, PAX `path` records for long names.
    pub(crate) struct Builder {
        pub out: Vec<u8>,
    }

    impl Builder {
        pub(crate) fn new() -> Self {
            Builder { out: Vec::new() }
        }

        fn header(&mut self, name: &str, typeflag: u8, size: usize, link: &str) {
            let mut h = [0u8; BLOCK];
            let name_bytes = name.as_bytes();
            h[..name_bytes.len().min(100)]
                .copy_from_slice(&name_bytes[..name_bytes.len().min(100)]);
            h[100..108].copy_from_slice(b"0000644\0");
            h[108..116].copy_from_slice(b"0000000\0");
            h[116..124].copy_from_slice(b"0000000\0");
            h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
            h[136..148].copy_from_slice(b"00000000000\0");
            h[156] = typeflag;
            h[157..157 + link.len()].copy_from_slice(link.as_bytes());
            h[257..263].copy_from_slice(b"ustar\0");
            h[263..265].copy_from_slice(b"00");
            h[148..156].copy_from_slice(b"        ");
            let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
            h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
            self.out.extend_from_slice(&h);
        }

        fn body(&mut self, data: &[u8]) {
            self.out.extend_from_slice(data);
            self.out
                .resize(self.out.len() + pad(data.len() as u64) as usize, 0);
        }

        pub(crate) fn file(&mut self, name: &str, data: &[u8]) -> &mut Self {
            if name.len() > 100 {
                let record_body = format!("path={name}\n");
                // the length counts its own digits
                let mut len = record_body.len() + 3;
                if format!("{len} {record_body}").len() != len {
                    len += 1;
                }
                let record = format!("{len} {record_body}");
                self.header("PaxHeaders/x", b'x', record.len(), "");
                self.body(record.as_bytes());
                self.header(&name[..100], b'0', data.len(), "");
            } else {
                self.header(name, b'0', data.len(), "");
            }
            self.body(data);
            self
        }

        pub(crate) fn dir(&mut self, name: &str) -> &mut Self {
            self.header(name, b'5', 0, "");
            self
        }

        pub(crate) fn symlink(&mut self, name: &str, target: &str) -> &mut Self {
            self.header(name, b'2', 0, target);
            self
        }

        pub(crate) fn finish(&mut self) -> Vec<u8> {
            let mut out = std::mem::take(&mut self.out);
            out.extend_from_slice(&[0u8; BLOCK * 2]);
            out
        }
    }

    fn entries(bytes: &[u8]) -> Vec<(String, Kind, String)> {
        let mut archive = Archive::new(bytes);
        let mut out = Vec::new();
        while let Some(e) = archive.next().unwrap() {
            let mut body = String::new();
            archive.body().read_to_string(&mut body).unwrap();
            out.push((e.path, e.kind, body));
        }
        out
    }

    #[test]
    fn lists_files_dirs_and_links_with_their_bodies() {
        let tar = Builder::new()
            .dir("usr/")
            .file("usr/bin/app", b"#!binary")
            .symlink("bin/sh", "/bin/dash")
            .file("empty", b"")
            .finish();
        assert_eq!(
            entries(&tar),
            vec![
                ("usr/".into(), Kind::Dir, String::new()),
                ("usr/bin/app".into(), Kind::File, "#!binary".into()),
                ("bin/sh".into(), Kind::Symlink, String::new()),
                ("empty".into(), Kind::File, String::new()),
            ]
        );
    }

    #[test]
    fn a_pax_path_replaces_the_truncated_name() {
        let long = format!("app/node_modules/{}/index.js", "a".repeat(120));
        let tar = Builder::new().file(&long, b"x").file("next", b"y").finish();
        let got = entries(&tar);
        assert_eq!(got[0].0, long);
        assert_eq!(got[1].0, "next");
        assert_eq!(got[1].2, "y");
    }

    #[test]
    fn unread_bodies_are_skipped() {
        let tar = Builder::new()
            .file("a", &[7u8; 1500])
            .file("b", b"second")
            .finish();
        let mut archive = Archive::new(&tar[..]);
        assert_eq!(archive.next().unwrap().unwrap().size, 1500);
        let b = archive.next().unwrap().unwrap();
        assert_eq!(b.path, "b");
        assert!(archive.next().unwrap().is_none());
    }

    #[test]
    fn garbage_is_an_error_not_an_empty_archive() {
        let junk = vec![b'x'; 1024];
        assert!(Archive::new(&junk[..]).next().is_err());
    }

    #[test]
    fn a_truncated_body_is_an_error() {
        let tar = Builder::new().file("a", &[1u8; 600]).finish();
        let mut archive = Archive::new(&tar[..700]);
        archive.next().unwrap();
        let mut sink = Vec::new();
        assert!(archive.body().read_to_end(&mut sink).is_err());
    }

    #[test]
    fn tar_detection() {
        let tar = Builder::new().file("a", b"1").finish();
        assert!(is_tar_header(&tar[..512]));
        assert!(!is_tar_header(&[0x1f, 0x8b, 8, 0].repeat(128)));
    }
}
