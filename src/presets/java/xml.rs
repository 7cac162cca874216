//! A small, forgiving XML reader for `pom.xml`: elements, their text and their children; no
//! attributes, namespaces or DTDs (a POM needs none of them). It fails only on elements nested
//! deeper than [`MAX_DEPTH`] (a tree that deep would overflow the stack when dropped, and no
//! POM comes near it): what else it cannot read it skips, and an unclosed element ends where
//! the file does. One pass, n·log n in the text: a stray closing tag is known by a count of the
//! open elements by name, and a search for an open one looks only at elements it closes.
//! Imports only the crate's limits.

use std::collections::BTreeMap;

/// How deep elements may nest (the root is at depth 1).
pub(super) const MAX_DEPTH: usize = crate::limits::MAX_NESTING;

/// The document nests elements deeper than [`MAX_DEPTH`]: `line` (1-based) opens the element
/// one level too deep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooDeep {
    pub line: usize,
}

/// An element: its name (without a namespace prefix), its text and its child elements.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child named `name`.
    pub(super) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The children named `name`.
    pub(super) fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element at `path` below this one (`["build", "plugins"]`).
    pub(super) fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |e, name| e.child(name))
    }

    /// The trimmed text of the child `name`, if it has any.
    pub(super) fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    /// Every element below this one (depth first, in document order), itself excluded.
    pub(super) fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut todo: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(e) = todo.pop() {
            out.push(e);
            todo.extend(e.children.iter().rev());
        }
        out
    }
}

/// The document's root element (empty when there is none), or where it nests too deep.
pub(super) fn parse(text: &str) -> Result<Element, TooDeep> {
    // A stack of open elements; the bottom one is a holder for the root.
    let mut stack: Vec<Element> = vec![Element::default()];
    // How many elements of each name are open (on the stack above the holder).
    let mut open: BTreeMap<String, usize> = BTreeMap::new();
    let mut rest = text;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut stack, rest);
            break;
        };
        push_text(&mut stack, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = skip_past(after, "-->");
        } else if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            if let Some(top) = stack.last_mut() {
                top.text.push_str(&after[..end]);
            }
            rest = skip_past(after, "]]>");
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            rest = skip_past(rest, ">");
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').unwrap_or(after.len());
            let name = local_name(after[..end].trim());
            // Close up to the matching element; a stray closing tag is ignored. The count of
            // open elements by name tells a stray one without a search, and a search for an
            // open one looks only at elements it then closes.
            let is_open = open.get(name.as_str()).is_some_and(|&n| n > 0);
            if let Some(pos) = is_open
                .then(|| stack.iter().rposition(|e| e.name == name))
                .flatten()
                .filter(|&p| p >= 1)
            {
                while stack.len() > pos {
                    close(&mut stack, &mut open);
                }
            }
            rest = skip_past(after, ">");
        } else {
            let after = &rest[1..];
            let end = tag_end(after);
            let tag = &after[..end];
            let self_closing = tag.trim_end().ends_with('/');
            let name = local_name(
                tag.trim_end_matches('/')
                    .split(|c: char| c.is_whitespace())
                    .next()
                    .unwrap_or(""),
            );
            // The holder is not an element: the stack holds depth + 1.
            if stack.len() > MAX_DEPTH {
                let offset = text.len() - rest.len();
                let line = 1 + text.as_bytes()[..offset]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                return Err(TooDeep { line });
            }
            *open.entry(name.clone()).or_default() += 1;
            stack.push(Element {
                name,
                ..Element::default()
            });
            if self_closing {
                close(&mut stack, &mut open);
            }
            rest = if end < after.len() {
                &after[end + 1..]
            } else {
                ""
            };
        }
    }
    while stack.len() > 1 {
        close(&mut stack, &mut open);
    }
    Ok(stack
        .pop()
        .and_then(|holder| holder.children.into_iter().next())
        .unwrap_or_default())
}

/// Pop the top element into its parent (never the holder at the bottom).
fn close(stack: &mut Vec<Element>, open: &mut BTreeMap<String, usize>) {
    if stack.len() < 2 {
        return;
    }
    if let Some(done) = stack.pop() {
        if let Some(n) = open.get_mut(done.name.as_str()) {
            *n = n.saturating_sub(1);
        }
        if let Some(parent) = stack.last_mut() {
            parent.children.push(done);
        }
    }
}

fn push_text(stack: &mut [Element], raw: &str) {
    if let Some(top) = stack.last_mut() {
        top.text.push_str(&unescape(raw));
    }
}

/// Where a start tag ends: its `>` outside quoted attribute values.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i,
            _ => {}
        }
    }
    s.len()
}

fn skip_past<'a>(s: &'a str, end: &str) -> &'a str {
    s.find(end).map(|i| &s[i + end.len()..]).unwrap_or("")
}

/// `pom:project` -> `project`.
fn local_name(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_string()
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Element {
        super::parse(text).unwrap_or_else(|e| panic!("too deep at line {}", e.line))
    }

    #[test]
    fn reads_a_pom_shape() {
        let doc = parse(
            r#"<?xml version="1.0"?>
<!-- a comment with <tags> -->
<project xmlns="http://maven.apache.org/POM/4.0.0" a='x>y'>
  <properties><java.version>17</java.version><empty/></properties>
  <build><plugins>
    <plugin><artifactId>a</artifactId></plugin>
    <plugin><artifactId>b&amp;c</artifactId><configuration><![CDATA[<raw>]]></configuration></plugin>
  </plugins></build>
</project>"#,
        );
        assert_eq!(doc.name, "project");
        assert_eq!(
            doc.at(&["properties"])
                .and_then(|p| p.text_of("java.version")),
            Some("17")
        );
        assert_eq!(
            doc.at(&["properties", "empty"]).map(|e| e.text.as_str()),
            Some("")
        );
        let ids: Vec<_> = doc
            .at(&["build", "plugins"])
            .map(|p| {
                p.children("plugin")
                    .filter_map(|p| p.text_of("artifactId"))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(ids, ["a", "b&c"]);
        assert!(doc.descendants().iter().any(|e| e.text == "<raw>"));
    }

    #[test]
    fn never_fails_on_broken_input() {
        assert_eq!(parse("").name, "");
        assert_eq!(parse("no tags at all").name, "");
        let doc = parse("<project><a>1</b><c>2");
        assert_eq!(doc.name, "project");
        assert_eq!(doc.text_of("a"), Some("1"));
        assert_eq!(doc.at(&["a", "c"]).map(|c| c.text.as_str()), Some("2"));
        assert_eq!(
            parse("<p:project><p:x>1</p:x></p:project>").text_of("x"),
            Some("1")
        );
        parse("<<<>>></></><!-- unclosed");
        parse("<a attr=\"unclosed>");
    }

    /// 150,000 nested elements (450 KB) overflowed the stack when the tree was dropped.
    #[test]
    fn pom_of_150000_nested_elements_is_refused_not_a_crash() {
        let deep = format!("<project>\n{}", "<a>".repeat(150_000));
        assert_eq!(super::parse(&deep), Err(TooDeep { line: 2 }));
        let closed = format!("{}{}", "<a>".repeat(150_000), "</a>".repeat(150_000));
        assert_eq!(super::parse(&closed), Err(TooDeep { line: 1 }));
        // Exactly the limit is fine, one more is not; siblings do not add depth.
        let at = |n: usize| format!("{}{}", "<a>".repeat(n), "</a>".repeat(n));
        assert!(super::parse(&at(MAX_DEPTH)).is_ok());
        assert!(super::parse(&at(MAX_DEPTH + 1)).is_err());
        assert!(super::parse(&"<a></a>".repeat(100_000)).is_ok());
    }

    /// A 1 MiB pom of stray closing tags under deep nesting took 153 s: each closing tag
    /// searched every open element. Now a stray one is known by the count of open elements of
    /// its name; the time on the largest input is the benchmark's to print, not a test's.
    #[test]
    fn pom_with_stray_closing_tags_still_parses() {
        let open = "<a>".repeat(MAX_DEPTH);
        let text = format!("{open}{}", "</b>".repeat(4096));
        let doc = parse(&text);
        assert_eq!(doc.name, "a");
    }
}
