//! A source file: its display name, its text and a line index to turn byte offsets into
//! `line:col`. A [`SourceFile::bundle`] holds several files end to end (a workspace member, its
//! templates and the workspace's `stagegen.toml`), so one span names both a file and a place in
//! it: each part keeps its own name and line numbers. Imports nothing from the crate.

use std::ops::Range;

/// A byte range into a [`SourceFile`]'s text.
pub type Span = Range<usize>;

/// A file the user gave us, kept whole so diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
    /// The files of a bundle, in order of their offsets; empty for a plain file.
    parts: Vec<Part>,
}

/// One file of a bundle.
#[derive(Debug, Clone)]
struct Part {
    /// Byte offset of its first byte in the bundle.
    start: usize,
    /// 0-based line of the bundle its first line is.
    first_line: usize,
    name: String,
}

/// Builds a [`SourceFile::bundle`] one file at a time, telling each file's offset as it goes.
#[derive(Debug, Default)]
pub struct BundleBuilder {
    text: String,
    parts: Vec<Part>,
}

impl BundleBuilder {
    /// Add `file`; returns the offset its spans must be shifted by to point into the bundle.
    pub fn push(&mut self, file: &SourceFile) -> usize {
        let start = self.text.len();
        let first_line = self.text.matches('\n').count();
        self.text.push_str(file.text());
        if !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.parts.push(Part {
            start,
            first_line,
            name: file.name().to_string(),
        });
        start
    }

    /// A builder that goes on from `file`: a plain file becomes the bundle's first part, a
    /// bundle keeps its parts. Spans into `file` stay valid in the result.
    pub fn resume(file: SourceFile) -> BundleBuilder {
        if file.parts.is_empty() {
            let mut builder = BundleBuilder::default();
            builder.push(&file);
            return builder;
        }
        let mut text = file.text;
        if !text.ends_with('\n') {
            text.push('\n');
        }
        BundleBuilder {
            text,
            parts: file.parts,
        }
    }

    /// The bundle, named `name` (the file it is mainly about).
    pub fn finish(self, name: impl Into<String>) -> SourceFile {
        let mut file = SourceFile::new(name, self.text);
        file.parts = self.parts;
        file
    }
}

impl SourceFile {
    /// A file named `name` (as the user should read it, e.g. `build.toml`) holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            parts: Vec::new(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The names of the files of a bundle, in the order they were added; a plain file's own name.
    pub fn part_names(&self) -> Vec<&str> {
        if self.parts.is_empty() {
            return vec![self.name.as_str()];
        }
        self.parts.iter().map(|p| p.name.as_str()).collect()
    }

    fn part_at(&self, offset: usize) -> Option<&Part> {
        let i = self.parts.partition_point(|p| p.start <= offset);
        i.checked_sub(1).and_then(|i| self.parts.get(i))
    }

    /// The name of the file that holds byte `offset`: the file's own name, or in a bundle the
    /// name of the part it falls in.
    pub fn name_at(&self, offset: usize) -> &str {
        self.part_at(offset).map_or(self.name.as_str(), |p| &p.name)
    }

    /// The 1-based line number of 0-based line `line`, counted in the file that holds it.
    pub fn line_number(&self, line: usize) -> usize {
        let offset = self.line_start(line);
        let first = self.part_at(offset).map_or(0, |p| p.first_line);
        line - first.min(line) + 1
    }

    /// The byte range of the part of a bundle that holds `offset` (the whole text for a plain
    /// file).
    pub fn part_range(&self, offset: usize) -> Span {
        let i = self.parts.partition_point(|p| p.start <= offset);
        let start = i
            .checked_sub(1)
            .and_then(|i| self.parts.get(i))
            .map_or(0, |p| p.start);
        let end = self.parts.get(i).map_or(self.text.len(), |p| p.start);
        start..end
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 0-based line that holds byte `offset` (clamped to the text).
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let col = self.text[start..offset].chars().count() + 1;
        (self.line_number(line), col)
    }

    /// The text of 0-based line `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(line + 1)
            .map(|next| next - 1)
            .unwrap_or(self.text.len());
        let end = end.max(start);
        self.text[start..end].trim_end_matches('\r')
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let f = SourceFile::new("b.toml", "a = 1\nbé = 2\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        assert_eq!(f.line_col(9), (2, 3));
        assert_eq!(f.line_text(1), "bé = 2");
        assert_eq!(f.line_col(1000), (3, 1));
    }

    #[test]
    fn a_bundle_keeps_each_file_s_name_and_lines() {
        let mut b = BundleBuilder::default();
        assert_eq!(b.push(&SourceFile::new("a.toml", "x = 1\ny = 2\n")), 0);
        let base = b.push(&SourceFile::new("t.toml", "z = 3"));
        assert_eq!(base, 12);
        b.push(&SourceFile::new("s.toml", "w = 4\n"));
        let f = b.finish("a.toml");
        assert_eq!(f.name_at(6), "a.toml");
        assert_eq!(f.line_col(6), (2, 1));
        assert_eq!(f.name_at(base + 4), "t.toml");
        assert_eq!(f.line_col(base + 4), (1, 5));
        assert_eq!(f.name_at(18), "s.toml");
        assert_eq!(f.line_col(18), (1, 1));
        assert_eq!(f.part_range(13), 12..18);
        assert_eq!(f.name(), "a.toml");
    }

    #[test]
    fn a_bundle_resumes_with_its_parts() {
        let mut b = BundleBuilder::default();
        b.push(&SourceFile::new("a.toml", "x = 1\n"));
        b.push(&SourceFile::new("t.toml", "z = 3"));
        let mut b = BundleBuilder::resume(b.finish("a.toml"));
        let base = b.push(&SourceFile::new("--set", "k=v\n"));
        let f = b.finish("a.toml");
        assert_eq!(
            (f.name_at(0), f.name_at(7), f.name_at(base)),
            ("a.toml", "t.toml", "--set")
        );
        assert_eq!(f.line_col(base + 2), (1, 3));
        let plain = BundleBuilder::resume(SourceFile::new("b.toml", "y = 2")).finish("b.toml");
        assert_eq!((plain.name_at(0), plain.text()), ("b.toml", "y = 2\n"));
    }

    #[test]
    fn offsets_inside_a_character_do_not_panic() {
        let f = SourceFile::new("b.toml", "é");
        assert_eq!(f.line_col(1), (1, 1));
    }
}
