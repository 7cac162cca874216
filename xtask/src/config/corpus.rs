//! `tests/realworld/<app>/corpus.toml`: where a real-world app came from (`[source]`), what
//! `stagegen init` (no flags) must do with it (`[init]`), and how its image is proven (`[e2e]`,
//! the keys of an example's e2e.toml). The format is written down in the corpus README.

use serde::Deserialize;

use super::e2e::E2eSpec;
use super::Problems;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corpus {
    pub source: Source,
    pub init: Init,
    pub e2e: Option<E2eSpec>,
    /// A known failure: the app does not pass yet, and this says which issue fixes it. A
    /// pending app that fails is reported, not counted as failed; one that passes fails the
    /// run until the table is removed, so the list can only shrink.
    pub pending: Option<Pending>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    /// the open issue whose work makes the app pass
    pub issue: u32,
    /// what is missing, in a few words
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub kind: SourceKind,
    /// the exact command, guide or repository
    pub what: String,
    pub url: String,
    pub license: String,
    pub date: Date,
    /// edits made to make it buildable offline (for readers: the suite has no use for it)
    #[expect(dead_code, reason = "read by people, checked only for its type")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Generator,
    Guide,
    Repository,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Generator => "generator",
            SourceKind::Guide => "guide",
            SourceKind::Repository => "repository",
        }
    }
}

/// `date = "2026-12-02"` or the TOML date `date = 2026-12-02`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Date {
    Text(String),
    Toml(toml::value::Datetime),
}

impl Date {
    fn is_calendar_date(&self) -> bool {
        match self {
            Date::Text(t) => {
                let b = t.as_bytes();
                b.len() == 10
                    && b[4] == b'-'
                    && b[7] == b'-'
                    && b.iter()
                        .enumerate()
                        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
            }
            Date::Toml(d) => d.date.is_some() && d.time.is_none(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Init {
    pub expect: InitOutcome,
    /// `expect = "ok"`: the preset the written build.toml must name
    pub preset: Option<String>,
    /// `expect = "error"`: the knob the error must name, and a phrase it must contain
    pub knob: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InitOutcome {
    Ok,
    Error,
}

impl Corpus {
    pub fn validate(&self, shown: &str) -> Result<(), String> {
        let mut p = Problems::default();
        for (key, value) in [
            ("source.what", &self.source.what),
            ("source.url", &self.source.url),
            ("source.license", &self.source.license),
        ] {
            if value.trim().is_empty() {
                p.key(shown, key, "must not be empty");
            }
        }
        if !self.source.date.is_calendar_date() {
            p.key(shown, "source.date", "must be a date, `YYYY-MM-DD`");
        }
        match self.init.expect {
            InitOutcome::Ok => {
                if self
                    .init
                    .preset
                    .as_deref()
                    .is_none_or(|s| s.trim().is_empty())
                {
                    p.key(
                        shown,
                        "init.preset",
                        "is required with `expect = \"ok\"`: the preset init must choose",
                    );
                }
                for (key, value) in [
                    ("init.knob", &self.init.knob),
                    ("init.message", &self.init.message),
                ] {
                    if value.is_some() {
                        p.key(shown, key, "is only for `expect = \"error\"`");
                    }
                }
                if self.e2e.is_none() {
                    p.key(
                        shown,
                        "e2e",
                        "is required with `expect = \"ok\"`: how the image is proven",
                    );
                }
            }
            InitOutcome::Error => {
                for (key, value) in [
                    ("init.knob", &self.init.knob),
                    ("init.message", &self.init.message),
                ] {
                    if value.as_deref().is_none_or(|s| s.trim().is_empty()) {
                        p.key(shown, key, "is required with `expect = \"error\"`");
                    }
                }
                if self.e2e.is_some() {
                    p.key(
                        shown,
                        "e2e",
                        "is never used with `[init] expect = \"error\"`: nothing is built",
                    );
                }
            }
        }
        if let Some(pending) = &self.pending {
            if pending.reason.trim().is_empty() {
                p.key(shown, "pending.reason", "must say what is missing");
            }
        }
        let mut problems = p.into_result().err().map(|e| vec![e]).unwrap_or_default();
        if let Some(e2e) = &self.e2e {
            if let Err(e) = e2e.validate(shown, "e2e.") {
                problems.push(e);
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }
}

pub fn load(path: &std::path::Path, shown: &str) -> Result<Corpus, String> {
    let corpus: Corpus = super::load(path, shown)?;
    corpus.validate(shown)?;
    Ok(corpus)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOWN: &str = "tests/realworld/node-vite/corpus.toml";

    fn parse(text: &str) -> Result<Corpus, String> {
        let c: Corpus = super::super::parse(text, SHOWN)?;
        c.validate(SHOWN)?;
        Ok(c)
    }

    const SOURCE: &str = "[source]\nkind = \"generator\"\nwhat = \"npm create vite@6.1.0 web -- --template react-ts\"\n\
                          url = \"https://vite.dev/guide/\"\nlicense = \"MIT\"\ndate = \"2026-12-02\"\nnotes = \"none\"\n";

    #[test]
    fn the_documented_example_parses() {
        let text = format!(
            "{SOURCE}\n[init]\nexpect = \"ok\"\npreset = \"node\"\n\n[e2e]\nkind = \"http\"\nport = 3000\npath = \"/\"\n\
             expect = \"text\"\nforbidden = [\"npm\", \"sh\"]\nforbidden-paths = [\"app/node_modules/typescript/\"]\nbuild-args = []\n"
        );
        let c = parse(&text).unwrap();
        assert_eq!(c.source.kind, SourceKind::Generator);
        assert_eq!(c.init.preset.as_deref(), Some("node"));
        assert_eq!(c.e2e.unwrap().port, Some(3000));
    }

    #[test]
    fn an_error_app_needs_knob_and_message() {
        let text = format!("{SOURCE}\n[init]\nexpect = \"error\"\nknob = \"workspace\"\n");
        let err = parse(&text).unwrap_err();
        assert_eq!(
            err,
            format!("{SHOWN}: `init.message`: is required with `expect = \"error\"`")
        );
        let ok = format!("{SOURCE}\n[init]\nexpect = \"error\"\nknob = \"workspace\"\nmessage = \"several apps\"\n");
        parse(&ok).unwrap();
    }

    #[test]
    fn an_ok_app_needs_a_preset_and_an_e2e_table() {
        let err = parse(&format!("{SOURCE}\n[init]\nexpect = \"ok\"\n")).unwrap_err();
        assert!(err.contains("`init.preset`: is required"), "{err}");
        assert!(err.contains("`e2e`: is required"), "{err}");
    }

    #[test]
    fn e2e_keys_are_checked_under_their_table() {
        let text = format!("{SOURCE}\n[init]\nexpect = \"ok\"\npreset = \"go\"\n[e2e]\nkind = \"http\"\nexpect = \"x\"\n");
        let err = parse(&text).unwrap_err();
        assert_eq!(
            err,
            format!("{SHOWN}: `e2e.port`: is required for kind = \"http\"")
        );
    }

    #[test]
    fn unknown_keys_in_any_table() {
        let text = format!("{SOURCE}\n[init]\nexpect = \"ok\"\npreset = \"go\"\nlang = \"go\"\n");
        let err = parse(&text).unwrap_err();
        assert!(
            err.contains("unknown field `lang`")
                && err.starts_with(&format!("{SHOWN}:12:1: unknown field `lang`")),
            "{err}"
        );
    }

    #[test]
    fn a_pending_app_names_its_issue_and_reason() {
        let base = format!("{SOURCE}\n[init]\nexpect = \"error\"\nknob = \"k\"\nmessage = \"m\"\n");
        let c = parse(&format!(
            "{base}[pending]\nissue = 14\nreason = \"no bun preset\"\n"
        ))
        .unwrap();
        assert_eq!(c.pending.map(|p| p.issue), Some(14));
        let err = parse(&format!("{base}[pending]\nissue = 14\nreason = \" \"\n")).unwrap_err();
        assert_eq!(
            err,
            format!("{SHOWN}: `pending.reason`: must say what is missing")
        );
        let err = parse(&format!("{base}[pending]\nreason = \"x\"\n")).unwrap_err();
        assert!(err.contains("missing field `issue`"), "{err}");
    }

    #[test]
    fn dates_as_text_or_toml() {
        let bare = SOURCE.replace("\"2026-12-02\"", "2026-12-02");
        parse(&format!(
            "{bare}\n[init]\nexpect = \"error\"\nknob = \"k\"\nmessage = \"m\"\n"
        ))
        .unwrap();
        let bad = SOURCE.replace("2026-12-02", "Dec 2");
        let err = parse(&format!(
            "{bad}\n[init]\nexpect = \"error\"\nknob = \"k\"\nmessage = \"m\"\n"
        ))
        .unwrap_err();
        assert!(err.contains("`source.date`"), "{err}");
    }
}
