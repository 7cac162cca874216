//! Running an engine's invocations: the build with its progress shown (the engine's own
//! terminal display, its plain lines as they come, or JSON events), then the exports, quietly.
//! A failure says which step failed, its command and the tail of its log.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use super::invocation::{Invocation, Role};
use super::job::Progress;
use super::progress::{Event, Tracker};
use super::EngineError;

/// How many of the engine's last lines are kept for a failure no step explains.
const KEEP_LINES: usize = 40;

/// What a finished build ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// Every command line run, in order.
    pub commands: Vec<String>,
}

/// Run `invocations` for `engine`; `stages` names the Dockerfile's stages in order; `show`
/// receives every line meant for the user's terminal (stderr).
pub fn execute(
    engine: &str,
    invocations: &[Invocation],
    progress: Progress,
    stages: &[String],
    show: &mut dyn FnMut(&str),
) -> Result<Finished, EngineError> {
    let mut commands = Vec::new();
    for inv in invocations {
        commands.push(inv.display());
        let result = match (inv.role, progress) {
            (Role::Build, Progress::Tty) => run_inherited(engine, inv),
            (Role::Build, _) => run_tracked(engine, inv, progress, stages, show),
            (Role::After, _) => run_quiet(engine, inv),
        };
        match result {
            Err(EngineError::Failed { .. }) if inv.best_effort => {}
            other => other?,
        }
    }
    Ok(Finished { commands })
}

fn command(inv: &Invocation) -> Command {
    let mut cmd = Command::new(&inv.program);
    cmd.args(&inv.args).stdin(Stdio::null());
    for (k, v) in &inv.env {
        cmd.env(k, v);
    }
    cmd
}

fn not_started(engine: &str, inv: &Invocation, e: &std::io::Error) -> EngineError {
    EngineError::Unavailable {
        message: format!(
            "cannot run `{}` for {engine}: {}",
            inv.program,
            e.to_string().to_lowercase()
        ),
        help: match inv.program.as_str() {
            "skopeo" => "`oci:` output from Docker needs skopeo (Debian: `apt-get install skopeo`), or use `--output tar:FILE`".to_string(),
            p => format!("is `{p}` installed and on the PATH?"),
        },
    }
}

fn failed(engine: &str, inv: &Invocation, code: Option<i32>, tail: Vec<String>) -> EngineError {
    EngineError::Failed {
        engine: engine.to_string(),
        command: inv.display(),
        code,
        step: None,
        tail,
    }
}

/// The engine draws on the terminal itself; its stdout goes to our stderr (stdout is data).
fn run_inherited(engine: &str, inv: &Invocation) -> Result<(), EngineError> {
    let mut cmd = command(inv);
    cmd.stdout(Stdio::from(std::io::stderr()))
        .stderr(Stdio::inherit());
    let status = cmd.status().map_err(|e| not_started(engine, inv, &e))?;
    if status.success() {
        Ok(())
    } else {
        Err(failed(engine, inv, status.code(), Vec::new()))
    }
}

fn run_quiet(engine: &str, inv: &Invocation) -> Result<(), EngineError> {
    let out = command(inv)
        .output()
        .map_err(|e| not_started(engine, inv, &e))?;
    if out.status.success() {
        return Ok(());
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let tail = lines[lines.len().saturating_sub(KEEP_LINES)..].to_vec();
    Err(failed(engine, inv, out.status.code(), tail))
}

/// Read both of the engine's streams line by line, in the order they come.
fn run_tracked(
    engine: &str,
    inv: &Invocation,
    progress: Progress,
    stages: &[String],
    show: &mut dyn FnMut(&str),
) -> Result<(), EngineError> {
    let mut child = command(inv)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| not_started(engine, inv, &e))?;
    let (send, receive) = mpsc::channel::<String>();
    let mut readers = Vec::new();
    let streams: [Option<Box<dyn Read + Send>>; 2] = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ];
    for stream in streams.into_iter().flatten() {
        let send = send.clone();
        readers.push(std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut buf = Vec::new();
            while matches!(reader.read_until(b'\n', &mut buf), Ok(n) if n > 0) {
                let line = String::from_utf8_lossy(&buf).trim_end().to_string();
                buf.clear();
                if send.send(line).is_err() {
                    break;
                }
            }
        }));
    }
    drop(send);
    let mut tracker = Tracker::new(stages.to_vec());
    let mut last: Vec<String> = Vec::new();
    for line in receive {
        let events = tracker.line(&line);
        match progress {
            Progress::Json => {
                for event in &events {
                    if let Ok(text) = serde_json::to_string(event) {
                        show(&format!("{text}\n"));
                    }
                }
            }
            _ => show(&format!("{line}\n")),
        }
        if events.iter().any(|e| matches!(e, Event::Log { .. })) || events.is_empty() {
            last.push(line);
            if last.len() > KEEP_LINES * 2 {
                last.drain(..KEEP_LINES);
            }
        }
    }
    for r in readers {
        let _ = r.join();
    }
    let status = child.wait().map_err(|e| not_started(engine, inv, &e))?;
    if status.success() {
        return Ok(());
    }
    let tail = last[last.len().saturating_sub(KEEP_LINES)..].to_vec();
    let mut error = failed(engine, inv, status.code(), tail);
    if let EngineError::Failed { step, .. } = &mut error {
        *step = tracker.failure().cloned().map(Box::new);
    }
    Err(error)
}
