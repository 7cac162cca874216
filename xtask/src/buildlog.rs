//! BuildKit's `--progress=plain` log, parsed: each step (vertex) with its name, whether it was
//! cached, how long it took, its output and its error; and the error summary BuildKit prints
//! after the steps. The suite reports a failing build by its failing step and that step's last
//! lines; the benchmark asks whether the dependency step re-ran.
//!
//! The format (BuildKit 0.8 in Docker 20.10 up to 0.13): every line of a step starts with `#<n> `;
//! the first is the step's name (`[build 2/6] RUN go mod download`, `[internal] load ...`), then
//! a digest line, output lines (`#5 0.743 text`, the seconds since the step started), progress
//! lines, and one of `DONE 2.3s`, `CACHED`, `ERROR: ...`, `CANCELED`. Steps of parallel stages
//! interleave: a step's header is repeated when its lines resume. Lines without `#<n>` after the
//! steps are the summary (`------`, ` > [c 1/1] RUN ...:`, `error: failed to solve: ...`).
//!
//! Imports nothing of the rest of the crate.

use regex::Regex;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// no end line (the build stopped, or it still ran when the log was cut)
    Unfinished,
    Done,
    Cached,
    Error,
    Canceled,
}

/// One step (BuildKit vertex).
#[derive(Debug, Clone)]
pub struct Step {
    pub id: u32,
    pub name: String,
    pub status: Status,
    /// `DONE <s>s`
    pub seconds: Option<f64>,
    /// the step's output and progress lines, timestamps removed
    pub output: Vec<String>,
    /// the text after `ERROR: `
    pub error: Option<String>,
}

impl Step {
    /// Whether the step is one of the Dockerfile's instructions (`[stage n/m] ...`), not an
    /// internal one (loading the definition, the context, metadata, exporting).
    pub fn is_instruction(&self) -> bool {
        self.name.starts_with('[') && !self.name.starts_with("[internal]")
    }
}

/// A parsed log.
#[derive(Debug, Clone, Default)]
pub struct BuildLog {
    /// in the order of their first line
    pub steps: Vec<Step>,
    /// the lines after the steps that belong to none (the error summary)
    pub summary: Vec<String>,
}

/// Whether a set of steps re-ran (for the benchmark's dependency-step rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rerun {
    /// no step matched
    None,
    /// every matching step was cached
    Cached,
    /// at least one matching step ran
    Reran,
}

impl Rerun {
    pub fn as_str(self) -> &'static str {
        match self {
            Rerun::None => "none",
            Rerun::Cached => "cached",
            Rerun::Reran => "re-ran",
        }
    }
}

impl BuildLog {
    pub fn parse(text: &str) -> BuildLog {
        let mut log = BuildLog::default();
        let mut in_summary = false;
        for line in text.lines() {
            let Some((id, rest)) = step_line(line) else {
                // a blank line separates chunks; anything else outside a step is the summary
                if !line.trim().is_empty() || in_summary {
                    in_summary = true;
                    log.summary.push(line.to_string());
                }
                continue;
            };
            let index = match log.steps.iter().position(|s| s.id == id) {
                Some(i) => i,
                None => {
                    log.steps.push(Step {
                        id,
                        name: rest.to_string(),
                        status: Status::Unfinished,
                        seconds: None,
                        output: Vec::new(),
                        error: None,
                    });
                    continue;
                }
            };
            let step = &mut log.steps[index];
            if rest == step.name || is_digest(rest) {
                continue;
            }
            if rest == "CACHED" {
                step.status = Status::Cached;
            } else if rest == "CANCELED" || rest.starts_with("CANCELED ") {
                step.status = Status::Canceled;
            } else if let Some(done) = rest.strip_prefix("DONE ") {
                step.status = Status::Done;
                step.seconds = done.strip_suffix('s').and_then(|s| s.parse().ok());
            } else if let Some(error) = rest
                .strip_prefix("ERROR: ")
                .or_else(|| rest.strip_prefix("ERROR "))
            {
                step.status = Status::Error;
                step.error = Some(error.to_string());
            } else if rest == "ERROR" {
                step.status = Status::Error;
            } else {
                step.output.push(strip_timestamp(rest).to_string());
            }
        }
        // a trailing blank line is not part of the summary
        while log.summary.last().is_some_and(|l| l.trim().is_empty()) {
            log.summary.pop();
        }
        log
    }

    /// The first step that failed.
    pub fn failed_step(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.status == Status::Error)
    }

    /// The Dockerfile instructions that ran and those that were cached.
    pub fn instruction_counts(&self) -> (usize, usize) {
        let instructions = self.steps.iter().filter(|s| s.is_instruction());
        let (mut ran, mut cached) = (0, 0);
        for s in instructions {
            match s.status {
                Status::Cached => cached += 1,
                Status::Done => ran += 1,
                _ => {}
            }
        }
        (ran, cached)
    }

    /// The steps that took longest, slowest first.
    pub fn slowest(&self, n: usize) -> Vec<&Step> {
        let mut timed: Vec<&Step> = self.steps.iter().filter(|s| s.seconds.is_some()).collect();
        timed.sort_by(|a, b| {
            b.seconds
                .unwrap_or(0.0)
                .total_cmp(&a.seconds.unwrap_or(0.0))
        });
        timed.truncate(n);
        timed
    }

    /// Whether the steps whose name matches `pattern` re-ran.
    pub fn rerun(&self, pattern: &Regex) -> Rerun {
        let mut matched = self
            .steps
            .iter()
            .filter(|s| s.is_instruction() && pattern.is_match(&s.name))
            .peekable();
        if matched.peek().is_none() {
            return Rerun::None;
        }
        if matched.all(|s| s.status == Status::Cached) {
            Rerun::Cached
        } else {
            Rerun::Reran
        }
    }

    /// What to show of a failed build: the failing step, its last `lines` lines of output and
    /// its error, then BuildKit's summary; without a failing step, the last `lines` lines of
    /// the raw log.
    pub fn failure_report(&self, raw: &str, lines: usize) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(step) = self.failed_step() {
            out.push(format!("failing step: {}", step.name));
            let start = step.output.len().saturating_sub(lines);
            if start > 0 {
                out.push(format!("... ({start} earlier lines)"));
            }
            out.extend(step.output[start..].iter().cloned());
            if let Some(error) = &step.error {
                out.push(format!("ERROR: {error}"));
            }
            // BuildKit's summary repeats the step (` > [name]:` between `------` lines) and its
            // error; what else it says (newer versions quote the Dockerfile) is kept
            let error = step.error.as_deref().unwrap_or_default();
            let summary: Vec<&String> = self
                .summary
                .iter()
                .filter(|l| {
                    !l.trim().is_empty()
                        && l.trim() != "------"
                        && !l.starts_with(" > [")
                        && l.as_str() != error
                })
                .collect();
            let tail = summary.len().saturating_sub(12);
            out.extend(summary[tail..].iter().map(|l| l.to_string()));
        } else {
            let all: Vec<&str> = raw.lines().collect();
            let start = all.len().saturating_sub(lines);
            out.extend(all[start..].iter().map(|l| l.to_string()));
        }
        out
    }
}

/// `#12 rest` -> (12, "rest")
fn step_line(line: &str) -> Option<(u32, &str)> {
    let after = line.strip_prefix('#')?;
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let id = after[..digits].parse().ok()?;
    let rest = &after[digits..];
    if rest.is_empty() {
        return Some((id, ""));
    }
    Some((id, rest.strip_prefix(' ')?))
}

fn is_digest(rest: &str) -> bool {
    rest.strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `0.743 one` -> `one`: output lines carry the seconds since the step started.
fn strip_timestamp(rest: &str) -> &str {
    let Some((first, text)) = rest.split_once(' ') else {
        return rest;
    };
    let is_time = first.contains('.') && first.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if is_time {
        text
    } else {
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // captured from Docker 20.10.24 (BuildKit 0.8) building the Dockerfiles beside them in
    // xtask/fixtures/buildkit/
    const COLD: &str = include_str!("../fixtures/buildkit/cold.log");
    const CACHED: &str = include_str!("../fixtures/buildkit/cached.log");
    const FAILED: &str = include_str!("../fixtures/buildkit/failed.log");
    const PARALLEL: &str = include_str!("../fixtures/buildkit/parallel-failed.log");

    fn step<'a>(log: &'a BuildLog, name_start: &str) -> &'a Step {
        log.steps
            .iter()
            .find(|s| s.name.starts_with(name_start))
            .unwrap_or_else(|| panic!("no step {name_start}"))
    }

    #[test]
    fn cold_build_steps_timings_and_output() {
        let log = BuildLog::parse(COLD);
        let names: Vec<&str> = log.steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "[internal] load build definition from Dockerfile",
                "[internal] load .dockerignore",
                "[internal] load metadata for localhost/harness/base:bookworm",
                "[a 1/2] FROM localhost/harness/base:bookworm",
                "[internal] load build context",
                "[a 2/2] RUN echo one && sleep 1 && echo two",
                "[b 1/2] COPY Dockerfile /x",
                "[b 2/2] RUN --mount=type=secret,id=tok cat /run/secrets/tok | wc -c",
                "[stage-3 1/1] RUN echo done",
                "exporting to image",
            ]
        );
        let run = step(&log, "[a 2/2]");
        assert_eq!(run.status, Status::Done);
        assert_eq!(run.seconds, Some(2.3));
        assert_eq!(run.output, ["one", "two"]);
        assert_eq!(step(&log, "[a 1/2]").status, Status::Cached);
        assert_eq!(log.instruction_counts(), (4, 1));
        assert!(log.failed_step().is_none());
        assert!(log.summary.is_empty(), "{:?}", log.summary);
        assert_eq!(
            log.slowest(1)[0].name,
            "[a 2/2] RUN echo one && sleep 1 && echo two"
        );
    }

    #[test]
    fn warm_build_every_instruction_cached() {
        let log = BuildLog::parse(CACHED);
        assert_eq!(log.instruction_counts(), (0, 5));
        assert_eq!(
            log.rerun(&Regex::new("RUN echo one").unwrap()),
            Rerun::Cached
        );
        assert_eq!(
            log.rerun(&Regex::new("go mod download").unwrap()),
            Rerun::None
        );
        let cold = BuildLog::parse(COLD);
        assert_eq!(
            cold.rerun(&Regex::new("RUN echo (one|done)").unwrap()),
            Rerun::Reran
        );
    }

    #[test]
    fn failed_build_names_the_step_and_its_output() {
        let log = BuildLog::parse(FAILED);
        let failed = log.failed_step().unwrap();
        assert_eq!(failed.name, "[c 1/1] RUN echo fail-out; exit 3");
        assert_eq!(failed.output, ["fail-out"]);
        assert_eq!(
            failed.error.as_deref(),
            Some("executor failed running [/bin/sh -c echo fail-out; exit 3]: exit code: 3")
        );
        assert_eq!(log.summary[0], "------");
        let report = log.failure_report(FAILED, 40);
        assert_eq!(report.len(), 3, "{report:?}");
        assert_eq!(report[0], "failing step: [c 1/1] RUN echo fail-out; exit 3");
        assert_eq!(report[1], "fail-out");
        assert!(report.last().unwrap().contains("exit code: 3"));
    }

    #[test]
    fn interleaved_parallel_steps_are_merged() {
        let log = BuildLog::parse(PARALLEL);
        // `#3` appears twice (two stages resolve the same image): one step
        assert_eq!(log.steps.iter().filter(|s| s.id == 3).count(), 1);
        let right = log.failed_step().unwrap();
        assert!(right.name.starts_with("[right 2/2]"));
        assert_eq!(right.output, ["right 1", "right 2", "right 3", "bye"]);
        let left = step(&log, "[left 2/2]");
        assert_eq!(left.status, Status::Done);
        assert_eq!(left.output, ["left 1", "left 2", "left 3"]);
    }

    #[test]
    fn the_report_keeps_the_last_lines_of_a_long_step() {
        let mut text = String::from("#5 [build 3/4] RUN make\n");
        for i in 0..100 {
            text.push_str(&format!("#5 {}.{} line {i}\n", i / 10, i % 10));
        }
        text.push_str("#5 ERROR: exit code: 2\n------\nerror: failed to solve: exit code: 2\n");
        let log = BuildLog::parse(&text);
        let report = log.failure_report(&text, 5);
        assert_eq!(
            report,
            [
                "failing step: [build 3/4] RUN make",
                "... (95 earlier lines)",
                "line 95",
                "line 96",
                "line 97",
                "line 98",
                "line 99",
                "ERROR: exit code: 2",
                "error: failed to solve: exit code: 2",
            ]
        );
    }

    #[test]
    fn without_a_failing_step_the_report_is_the_log_tail() {
        let text = "error: could not connect to the docker daemon\n";
        let log = BuildLog::parse(text);
        assert_eq!(
            log.failure_report(text, 40),
            ["error: could not connect to the docker daemon"]
        );
    }

    #[test]
    fn the_report_keeps_what_newer_buildkit_adds_to_the_summary() {
        let text = "#7 [build 2/3] RUN exit 3\n#7 ERROR: process \"/bin/sh -c exit 3\" did not complete successfully: exit code: 3\n\
                    ------\n > [build 2/3] RUN exit 3:\n------\nDockerfile:7\n--------------------\n   7 | >>> RUN exit 3\n\
                    --------------------\nERROR: failed to solve: process \"/bin/sh -c exit 3\" did not complete successfully: exit code: 3\n";
        let report = BuildLog::parse(text).failure_report(text, 40);
        assert_eq!(report[2], "Dockerfile:7");
        assert_eq!(report[4], "   7 | >>> RUN exit 3");
        assert!(report.last().unwrap().starts_with("ERROR: failed to solve"));
    }

    #[test]
    fn newer_buildkit_lines() {
        // BuildKit 0.13 (buildx) words: a `process ... did not complete` error, CANCELED
        let text = "#7 [build 2/3] RUN npm ci\n#7 0.512 npm ERR! code E401\n\
                    #7 ERROR: process \"/bin/sh -c npm ci\" did not complete successfully: exit code: 1\n\n\
                    #8 [web 2/2] RUN sleep 9\n#8 CANCELED\n";
        let log = BuildLog::parse(text);
        assert_eq!(log.failed_step().unwrap().output, ["npm ERR! code E401"]);
        assert_eq!(log.steps[1].status, Status::Canceled);
    }

    #[test]
    fn output_that_looks_like_a_header_is_output() {
        let text = "#4 [a 1/1] RUN echo CACHED-ish\n#4 0.1 CACHED is a word\n#4 DONE 0.2s\n";
        let log = BuildLog::parse(text);
        assert_eq!(log.steps[0].status, Status::Done);
        assert_eq!(log.steps[0].output, ["CACHED is a word"]);
    }
}
