//! What `stagegen init` learns about an app from its files: the knobs worth writing, the facts
//! the preset reads by itself (written as comments), and the ports the app listens on.

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

    /// Add the ports the source file `rel` listens on (see [`ports_in_source`]), each once.
    pub fn ports_from(&mut self, files: &crate::project::ProjectFiles, rel: &str) {
        for port in files
            .read(rel)
            .map(|t| ports_in_source(&t))
            .unwrap_or_default()
        {
            if !self.ports.iter().any(|(p, _)| *p == port) {
                self.ports.push((port, rel.to_string()));
            }
        }
    }
}

/// Port numbers in source code, first seen first: string literals of a listening address
/// (`":8080"`, `"0.0.0.0:3000"`), and numbers on a line that speaks of a port or of listening
/// (`port = "8080"`, `app.listen(3000)`, `PORT || 3000`).
pub fn ports_in_source(text: &str) -> Vec<u16> {
    let mut found = address_ports(text);
    for line in text.lines() {
        let lower = line.to_ascii_lowercase();
        if !(lower.contains("port") || lower.contains("listen"))
            || lower.trim_start().starts_with("//")
        {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
            let digits: String = rest[start..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let before = rest[..start].chars().last();
            let after = rest[start + digits.len()..].chars().next();
            let standalone = !matches!(before, Some(c) if c.is_ascii_alphanumeric() || c == '.' || c == ':')
                && !matches!(after, Some(c) if c.is_ascii_alphanumeric() || c == '.' || c == ':');
            if standalone && (4..=5).contains(&digits.len()) {
                if let Ok(port) = digits.parse::<u16>() {
                    if port >= 1024 && !found.contains(&port) {
                        found.push(port);
                    }
                }
            }
            rest = &rest[start + digits.len()..];
        }
    }
    found
}

fn address_ports(text: &str) -> Vec<u16> {
    let mut found = Vec::new();
    for (i, _) in text.match_indices(':') {
        let digits: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if digits.len() < 2 || digits.len() > 5 {
            continue;
        }
        // Only inside a string literal that ends right after the number (":8080"), to skip
        // times, maps and slices.
        let after = text[i + 1 + digits.len()..].chars().next();
        let before_quote = text[..i].rfind(['"', '\'', '`']);
        let quoted_start = before_quote.is_some_and(|q| !text[q + 1..i].contains(['\n', ' ', ',']));
        if !matches!(after, Some('"' | '\'' | '`')) || !quoted_start {
            continue;
        }
        if let Ok(port) = digits.parse::<u16>() {
            if port >= 80 && !found.contains(&port) {
                found.push(port);
            }
        }
    }
    found
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
}
