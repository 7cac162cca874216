//! What `stagegen init` learns about an app from its files: the knobs worth writing, the facts
//! the preset reads by itself (written as comments), and the ports the app listens on.

/// The most ports `init` writes: an app listens on a few; a file that names thousands of
/// numbers is not a list of them.
pub(crate) const MAX_PORTS: usize = 64;

/// A value for a `[preset]` knob, as `stagegen init` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KnobValue {
    Text(String),
    List(Vec<String>),
    Bool(bool),
}

/// A knob to write, and the file it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedKnob {
    pub key: &'static str,
    pub value: KnobValue,
    /// Where it came from, e.g. `cmd/api/main.go`; empty when it is a choice, not a reading.
    pub source: String,
}

/// What a preset found in an app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detection {
    /// Knobs to write: only values the preset would not find by itself.
    pub knobs: Vec<DetectedKnob>,
    /// Facts the preset reads at every build, one line each (`go 1.22 (go.mod)`): comments.
    pub notes: Vec<String>,
    /// Ports the app listens on, with where each was read.
    pub ports: Vec<(u16, String)>,
}

impl Detection {
    pub fn knob(&mut self, key: &'static str, value: KnobValue, source: impl Into<String>) {
        self.knobs.retain(|k| k.key != key);
        self.knobs.push(DetectedKnob {
            key,
            value,
            source: source.into(),
        });
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// Add the ports the source file `rel` listens on (see [`ports_in_source`]), each once, up
    /// to [`MAX_PORTS`] in all.
    pub fn ports_from(&mut self, files: &crate::project::ProjectFiles, rel: &str) {
        if self.ports.len() >= MAX_PORTS {
            return;
        }
        let mut known: std::collections::BTreeSet<u16> =
            self.ports.iter().map(|(p, _)| *p).collect();
        for port in files
            .read(rel)
            .map(|t| ports_in_source(&t))
            .unwrap_or_default()
        {
            if self.ports.len() < MAX_PORTS && known.insert(port) {
                self.ports.push((port, rel.to_string()));
            }
        }
    }
}

/// Port numbers in source code, first seen first: string literals of a listening address
/// (`":8080"`, `"0.0.0.0:3000"`), and numbers on a line that speaks of a port or of listening
/// (`port = "8080"`, `app.listen(3000)`, `PORT || 3000`). One pass over the text for each kind:
/// linear (a 1 MB file of colons took minutes when each colon searched back for its quote).
pub fn ports_in_source(text: &str) -> Vec<u16> {
    let mut seen = Ports::default();
    address_ports(text, &mut seen);
    for line in text.lines() {
        let lower = line.to_ascii_lowercase();
        if !(lower.contains("port") || lower.contains("listen"))
            || lower.trim_start().starts_with("//")
        {
            continue;
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let joins = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b':';
            let before = start.checked_sub(1).map(|p| bytes[p]);
            let after = bytes.get(i).copied();
            // A byte of a multi-byte character is never ASCII: like the character, it does not
            // join the number.
            let standalone = !before.is_some_and(joins) && !after.is_some_and(joins);
            if standalone && (4..=5).contains(&(i - start)) {
                if let Ok(port) = line[start..i].parse::<u16>() {
                    if port >= 1024 {
                        seen.add(port);
                    }
                }
            }
        }
    }
    seen.list
}

/// Ports in the order first seen, each once (a set beside the list: a file may name
/// thousands).
#[derive(Default)]
struct Ports {
    list: Vec<u16>,
    seen: std::collections::BTreeSet<u16>,
}

impl Ports {
    fn add(&mut self, port: u16) {
        if self.seen.insert(port) {
            self.list.push(port);
        }
    }
}

fn address_ports(text: &str, found: &mut Ports) {
    let bytes = text.as_bytes();
    // Whether a quote opened since the last newline, space or comma: `":8080"` is quoted,
    // `"a b:8080"` is not. Kept as the text is read, never searched back.
    let mut quoted = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' | b'`' => quoted = true,
            b'\n' | b' ' | b',' => quoted = false,
            b':' => {
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end].is_ascii_digit() {
                    end += 1;
                }
                let len = end - start;
                // Only inside a string literal that ends right after the number (":8080"), to
                // skip times, maps and slices.
                let closes = matches!(bytes.get(end), Some(b'"' | b'\'' | b'`'));
                if quoted && closes && (2..=5).contains(&len) {
                    if let Ok(port) = text[start..end].parse::<u16>() {
                        if port >= 80 {
                            found.add(port);
                        }
                    }
                }
                // The digits hold no quote, newline, space or comma: skip them.
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_listen_addresses() {
        let go = r#"addr := ":8080"; http.ListenAndServe("0.0.0.0:9000", nil); t := "12:30""#;
        assert_eq!(ports_in_source(go), vec![8080, 9000]);
        assert_eq!(ports_in_source("x[1:20]"), Vec::<u16>::new());
        assert_eq!(ports_in_source("app.listen(3000)"), vec![3000]);
        assert_eq!(
            ports_in_source("port := os.Getenv(\"PORT\")\nif port == \"\" { port = \"8080\" }"),
            vec![8080]
        );
        assert_eq!(
            ports_in_source("// listen on 9999\nx := 12345"),
            Vec::<u16>::new()
        );
        assert_eq!(ports_in_source("timeout: 3000 // ms"), Vec::<u16>::new());
        assert_eq!(
            ports_in_source(r#"url = "http://localhost:5432""#),
            vec![5432]
        );
    }

    /// A 1 MB main.go took 276 s in init's port scan: every colon searched back through the
    /// text for a quote. Each shape here is a worst case of one of the scans; the bound only
    /// catches a scan gone quadratic again (minutes): the bench prints the time.
    #[test]
    fn a_one_megabyte_source_is_scanned_in_linear_time() {
        let mb = 1 << 20;
        let shapes = [
            ":1".repeat(mb / 2),
            format!("\"{}", ":80".repeat(mb / 3)),
            "port 1234 ".repeat(mb / 10),
            (0..mb / 12)
                .map(|i| format!("port {} ", 1024 + i % 60_000))
                .collect::<String>(),
            (0..mb / 9)
                .map(|i| format!("\":{}\"", 80 + i % 60_000))
                .collect::<String>(),
        ];
        for text in &shapes {
            let start = std::time::Instant::now();
            std::hint::black_box(ports_in_source(text));
            assert!(
                start.elapsed() < std::time::Duration::from_secs(60),
                "{:?}: {:?}",
                &text[..20],
                start.elapsed()
            );
        }
        let found = ports_in_source(&shapes[4]);
        assert_eq!((found.first(), found.len()), (Some(&80), 60_000));
    }
}
