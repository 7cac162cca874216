//! Reading an engine's plain progress lines: which stage and step each line belongs to, events
//! for `--progress json`, and, when the build fails, the failing step, its command and the tail
//! of its log. Knows two line formats: BuildKit's plain progress (`#8 [build 2/4] RUN ...`,
//! `#8 0.31 output`, `#8 ERROR: ...`) and Buildah's and Podman's (`[1/2] STEP 2/4: RUN ...`,
//! then the command's output, then `error building at STEP "RUN ...": ...`). Pure: lines in,
//! events out.

use std::collections::BTreeMap;

use serde::Serialize;

/// How many log lines of the failing step are kept to show.
pub const TAIL_LINES: usize = 20;

/// One progress event (a JSON line with `--progress json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// A step started: its stage (stagegen's stage name), its place, its instruction.
    Step {
        stage: String,
        step: String,
        command: String,
    },
    /// A line of a step's output (`stage` empty when the line belongs to none).
    Log {
        stage: String,
        step: String,
        line: String,
    },
    /// A step failed.
    Error {
        stage: String,
        step: String,
        command: String,
        message: String,
    },
}

/// The step that failed, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedStep {
    pub stage: String,
    pub step: String,
    pub command: String,
    pub message: String,
    /// The last [`TAIL_LINES`] lines of its output.
    pub tail: Vec<String>,
}

#[derive(Debug, Clone, Default)]
struct StepState {
    stage: String,
    step: String,
    command: String,
    log: Vec<String>,
}

/// Follows an engine's output line by line.
#[derive(Debug, Default)]
pub struct Tracker {
    /// The Dockerfile's stages in order: Buildah names them `[1/3]`.
    stages: Vec<String>,
    /// BuildKit: vertex number -> its step.
    vertices: BTreeMap<u32, StepState>,
    /// Buildah: the step running now.
    current: Option<StepState>,
    /// Buildah: the stage the last `FROM ... AS name` opened.
    stage_name: Option<String>,
    failed: Option<FailedStep>,
}

impl Tracker {
    pub fn new(stages: Vec<String>) -> Self {
        Tracker {
            stages,
            ..Tracker::default()
        }
    }

    /// Read one line; the events it makes.
    pub fn line(&mut self, line: &str) -> Vec<Event> {
        let line = line.trim_end_matches(['\r', '\n']);
        if let Some(events) = self.buildkit(line) {
            return events;
        }
        self.buildah(line)
    }

    /// The failing step, once a line said which.
    pub fn failure(&self) -> Option<&FailedStep> {
        self.failed.as_ref()
    }

    /// BuildKit's plain progress: every line starts with `#<vertex> `.
    fn buildkit(&mut self, line: &str) -> Option<Vec<Event>> {
        let rest = line.strip_prefix('#')?;
        let (number, rest) = rest.split_once(' ')?;
        let vertex: u32 = number.parse().ok()?;
        if let Some(inner) = rest.strip_prefix('[') {
            if let Some((name, command)) = inner.split_once("] ") {
                let is_place = |p: &str| {
                    p.split_once('/').is_some_and(|(a, b)| {
                        !a.is_empty() && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
                    })
                };
                // `[build 2/4]`; `[2/4]` where BuildKit leaves out the name of a lone stage.
                let only = match self.stages.as_slice() {
                    [one] => one.as_str(),
                    _ => "",
                };
                let (stage, step) = match name.rsplit_once(' ') {
                    Some((stage, step)) if is_place(step) => (stage, step),
                    _ if is_place(name) => (only, name),
                    _ => (name, ""),
                };
                let state = StepState {
                    stage: stage.to_string(),
                    step: step.to_string(),
                    command: command.to_string(),
                    log: Vec::new(),
                };
                self.vertices.insert(vertex, state);
                return Some(vec![Event::Step {
                    stage: stage.to_string(),
                    step: step.to_string(),
                    command: command.to_string(),
                }]);
            }
        }
        let timestamped = rest
            .split_once(' ')
            .is_some_and(|(time, _)| time.parse::<f64>().is_ok());
        if !self.vertices.contains_key(&vertex) && !timestamped && !rest.starts_with("ERROR: ") {
            // `#3 resolve image config for ...`: a step of BuildKit's own, named by its line.
            self.vertices.insert(
                vertex,
                StepState {
                    command: rest.to_string(),
                    ..StepState::default()
                },
            );
            return Some(vec![Event::Step {
                stage: String::new(),
                step: String::new(),
                command: rest.to_string(),
            }]);
        }
        let state = self.vertices.entry(vertex).or_default();
        if let Some(message) = rest.strip_prefix("ERROR: ") {
            let failed = FailedStep {
                stage: state.stage.clone(),
                step: state.step.clone(),
                command: state.command.clone(),
                message: message.to_string(),
                tail: tail(&state.log),
            };
            let event = Event::Error {
                stage: failed.stage.clone(),
                step: failed.step.clone(),
                command: failed.command.clone(),
                message: failed.message.clone(),
            };
            // The first error is the cause; others are builds cancelled because of it.
            self.failed.get_or_insert(failed);
            return Some(vec![event]);
        }
        if matches!(rest, "DONE" | "CACHED") || rest.starts_with("DONE ") || rest == "CANCELED" {
            return Some(Vec::new());
        }
        // `#8 0.312 text`: a timestamp, then the step's output.
        let text = match rest.split_once(' ') {
            Some((time, text)) if time.parse::<f64>().is_ok() => text,
            _ => rest,
        };
        state.log.push(text.to_string());
        Some(vec![Event::Log {
            stage: state.stage.clone(),
            step: state.step.clone(),
            line: text.to_string(),
        }])
    }

    /// Buildah and Podman: `[i/n] STEP j/m: INSTRUCTION` (no `[i/n]` with one stage), output
    /// lines, and `error building at STEP "INSTRUCTION": message` at the end.
    fn buildah(&mut self, line: &str) -> Vec<Event> {
        let (stage_index, rest) = match line.strip_prefix('[').and_then(|r| r.split_once("] ")) {
            Some((place, rest)) if rest.starts_with("STEP ") => (Some(place), rest),
            _ => (None, line),
        };
        if let Some(step_line) = rest.strip_prefix("STEP ") {
            if let Some((step, command)) = step_line.split_once(": ") {
                let from_name = command
                    .strip_prefix("FROM ")
                    .and_then(|f| f.rsplit_once(" AS "))
                    .map(|(_, name)| name.trim().to_string());
                if let Some(name) = from_name {
                    self.stage_name = Some(name);
                } else if command.starts_with("FROM ") {
                    self.stage_name = None;
                }
                let by_index = stage_index
                    .and_then(|p| p.split_once('/'))
                    .and_then(|(i, _)| i.parse::<usize>().ok())
                    .and_then(|i| self.stages.get(i.checked_sub(1)?).cloned());
                let stage = self
                    .stage_name
                    .clone()
                    .or(by_index)
                    .or_else(|| self.stages.last().cloned())
                    .unwrap_or_default();
                let state = StepState {
                    stage: stage.clone(),
                    step: step.to_string(),
                    command: command.to_string(),
                    log: Vec::new(),
                };
                self.current = Some(state);
                return vec![Event::Step {
                    stage,
                    step: step.to_string(),
                    command: command.to_string(),
                }];
            }
        }
        let error = line
            .strip_prefix("error building at STEP \"")
            .or_else(|| line.strip_prefix("Error: building at STEP \""));
        if let Some(rest) = error {
            let (command, message) = rest.split_once("\": ").unwrap_or((rest, ""));
            let state = self.current.clone().unwrap_or_default();
            let failed = FailedStep {
                stage: state.stage.clone(),
                step: state.step.clone(),
                command: command.to_string(),
                message: message.to_string(),
                tail: tail(&state.log),
            };
            let event = Event::Error {
                stage: failed.stage.clone(),
                step: failed.step.clone(),
                command: failed.command.clone(),
                message: failed.message.clone(),
            };
            self.failed.get_or_insert(failed);
            return vec![event];
        }
        let (stage, step) = match &mut self.current {
            Some(state) => {
                state.log.push(line.to_string());
                (state.stage.clone(), state.step.clone())
            }
            None => (String::new(), String::new()),
        };
        vec![Event::Log {
            stage,
            step,
            line: line.to_string(),
        }]
    }
}

fn tail(log: &[String]) -> Vec<String> {
    log[log.len().saturating_sub(TAIL_LINES)..].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buildkit_lines_name_the_failing_step_and_its_tail() {
        let mut t = Tracker::new(vec!["build".into(), "runtime".into()]);
        let lines = [
            "#1 [internal] load build definition from Dockerfile",
            "#1 DONE 0.0s",
            "#7 [build 3/4] RUN go build -o /out/app .",
            "#7 0.412 main.go:3:1: syntax error",
            "#7 0.413 exit status 1",
            "#7 ERROR: process \"/bin/sh -c go build -o /out/app .\" did not complete successfully: exit code: 1",
            "#8 [runtime 2/2] COPY --from=build /out/app /app",
            "#8 ERROR: cancelled",
        ];
        let events: Vec<Event> = lines.iter().flat_map(|l| t.line(l)).collect();
        assert_eq!(
            events[1],
            Event::Step {
                stage: "build".into(),
                step: "3/4".into(),
                command: "RUN go build -o /out/app .".into()
            }
        );
        assert_eq!(
            events[2],
            Event::Log {
                stage: "build".into(),
                step: "3/4".into(),
                line: "main.go:3:1: syntax error".into()
            }
        );
        let failed = t.failure().expect("a failure");
        assert_eq!(failed.stage, "build");
        assert_eq!(failed.step, "3/4");
        assert_eq!(failed.command, "RUN go build -o /out/app .");
        assert_eq!(
            failed.tail,
            vec!["main.go:3:1: syntax error", "exit status 1"]
        );
    }

    #[test]
    fn a_lone_stage_left_unnamed_is_named() {
        let mut t = Tracker::new(vec!["app".into()]);
        t.line("#9 [3/3] RUN exit 3");
        t.line("#9 ERROR: executor failed running [/bin/sh -c exit 3]: exit code: 3");
        let failed = t.failure().expect("a failure");
        assert_eq!(
            (failed.stage.as_str(), failed.step.as_str()),
            ("app", "3/3")
        );
    }

    #[test]
    fn a_step_of_buildkit_s_own_is_named_by_its_line() {
        let mut t = Tracker::new(Vec::new());
        t.line("#3 resolve image config for docker.io/docker/dockerfile:1");
        t.line("#3 ERROR: no such host");
        let failed = t.failure().expect("a failure");
        assert_eq!(
            failed.command,
            "resolve image config for docker.io/docker/dockerfile:1"
        );
        assert_eq!(failed.message, "no such host");
        assert_eq!(failed.stage, "");
    }

    #[test]
    fn buildah_lines_name_the_stage_from_its_from_line() {
        let mut t = Tracker::new(vec!["build".into(), "runtime".into()]);
        for l in [
            "[1/2] STEP 1/3: FROM golang:1.22 AS build",
            "[1/2] STEP 2/3: RUN go build .",
            "main.go:3:1: syntax error",
            "error building at STEP \"RUN go build .\": exit status 1",
        ] {
            t.line(l);
        }
        let failed = t.failure().expect("a failure");
        assert_eq!(failed.stage, "build");
        assert_eq!(failed.step, "2/3");
        assert_eq!(failed.command, "RUN go build .");
        assert_eq!(failed.tail, vec!["main.go:3:1: syntax error"]);
    }

    #[test]
    fn only_the_last_lines_are_kept() {
        let mut t = Tracker::new(Vec::new());
        t.line("#3 [a 1/1] RUN x");
        for i in 0..50 {
            t.line(&format!("#3 0.1 line {i}"));
        }
        t.line("#3 ERROR: boom");
        let failed = t.failure().expect("a failure");
        assert_eq!(failed.tail.len(), TAIL_LINES);
        assert_eq!(failed.tail.last().map(String::as_str), Some("line 49"));
    }
}
