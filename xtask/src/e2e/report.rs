//! One case's report: `ok:` and `FAIL:` lines, indented blocks (a build's failing step, a
//! container's logs), and notes for the summary. Lines go to stderr as they come when the case
//! runs alone (`--jobs 1`), else all at once when it ends, so parallel cases never interleave.

use std::io::Write;
use std::time::{Duration, Instant};

pub struct Report {
    pub name: String,
    lines: Vec<String>,
    live: bool,
    pub failures: Vec<String>,
    /// said once in the summary, e.g. "not built (offline = false)"
    pub note: Option<String>,
    /// corpus.toml's `[pending]`: "issue N: reason" for an app known not to pass yet
    pub pending: Option<String>,
    /// time spent on the case so far (its phases run apart)
    spent: Duration,
    clock: Option<Instant>,
}

impl Report {
    pub fn new(name: &str) -> Report {
        Report {
            name: name.to_string(),
            lines: Vec::new(),
            live: false,
            failures: Vec::new(),
            note: None,
            pending: None,
            spent: Duration::ZERO,
            clock: Some(Instant::now()),
        }
    }

    /// From now on, print each line as it comes (after the ones kept so far).
    pub fn go_live(&mut self) {
        self.live = true;
        let mut err = std::io::stderr().lock();
        for l in self.lines.drain(..) {
            let _ = writeln!(err, "{l}");
        }
    }

    /// Prints what is kept (for a case that ran buffered).
    pub fn flush(&mut self) {
        let mut err = std::io::stderr().lock();
        for l in self.lines.drain(..) {
            let _ = writeln!(err, "{l}");
        }
    }

    fn line(&mut self, l: String) {
        if self.live {
            eprintln!("{l}");
        } else {
            self.lines.push(l);
        }
    }

    pub fn header(&mut self) {
        let l = format!("e2e: {}", self.name);
        self.line(l);
    }

    pub fn ok(&mut self, what: impl AsRef<str>) {
        self.line(format!("    ok: {}", what.as_ref()));
    }

    pub fn info(&mut self, what: impl AsRef<str>) {
        self.line(format!("    {}", what.as_ref()));
    }

    pub fn fail(&mut self, what: impl AsRef<str>) {
        self.failures.push(what.as_ref().to_string());
        self.line(format!("    FAIL: {}", what.as_ref()));
    }

    /// An indented block under a title, e.g. a build's failing step.
    pub fn block<S: AsRef<str>>(&mut self, title: &str, lines: &[S]) {
        self.line(format!("    --- {title}"));
        if lines.is_empty() {
            self.line("    | (nothing)".to_string());
        }
        for l in lines {
            self.line(format!("    | {}", l.as_ref()));
        }
    }

    /// Counts the time from now on (again).
    pub fn resume_clock(&mut self) {
        self.clock = Some(Instant::now());
    }

    pub fn pause_clock(&mut self) {
        if let Some(c) = self.clock.take() {
            self.spent += c.elapsed();
        }
    }

    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// Failed, and corpus.toml says it is known to (`[pending]`): not counted as a failure.
    pub fn known_failure(&self) -> bool {
        !self.passed() && self.pending.is_some()
    }

    /// Failed and not known to: fails the run.
    pub fn failed(&self) -> bool {
        !self.passed() && self.pending.is_none()
    }

    /// A pending case that passed has to say so: its `[pending]` table is now wrong.
    fn settle_pending(&mut self) {
        if let (true, Some(p)) = (self.passed(), &self.pending) {
            let l =
                format!("passes now, but corpus.toml says `[pending]` ({p}): remove that table");
            self.fail(l);
            self.pending = None;
        }
    }

    pub fn finish(&mut self) {
        self.pause_clock();
        self.settle_pending();
        let secs = self.spent.as_secs();
        let l = if let (false, Some(p)) = (self.passed(), &self.pending) {
            format!(
                "e2e: {} PENDING, a known failure ({p}) ({secs} s)",
                self.name
            )
        } else if self.passed() {
            match &self.note {
                Some(n) => format!("e2e: {} passed, {n} ({secs} s)", self.name),
                None => format!("e2e: {} passed ({secs} s)", self.name),
            }
        } else {
            format!("e2e: {} FAILED ({secs} s)", self.name)
        };
        self.line(l);
    }
}
