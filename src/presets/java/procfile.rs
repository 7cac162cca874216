//! The `Procfile`'s `web` process (or its lone `worker`) as the Java app's command, in the
//! shape Heroku's Java apps write it: `java [flags] -jar <jar> [args]`. The jar becomes the
//! one that runs (as the `jar` knob would name it), the flags follow `jvm-flags`, the arguments
//! follow the jar. `$JAVA_OPTS` (which Heroku's JVM buildpack sets) is left out; a flag or an
//! argument with shell syntax (`--server.port=$PORT`) makes the command run with `sh -c`, as
//! `exec`, which distroless does not have.

use crate::presets::common::{not_started, plain_words, Procfile};
use crate::presets::java::codes;
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// Heroku's variables of JVM options: the JVM reads `JAVA_TOOL_OPTIONS` itself.
const JAVA_OPTS: &[&str] = &["$JAVA_OPTS", "${JAVA_OPTS}"];

/// The Procfile's Java command, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JavaProcfile {
    /// `web` or the lone process's name.
    pub process: String,
    /// The jar after `-jar`, relative to the project (a glob is allowed, as in `jar`).
    pub jar: String,
    /// The JVM flags before `-jar`, without `$JAVA_OPTS`.
    pub flags: Vec<String>,
    /// The app's arguments after the jar.
    pub args: Vec<String>,
    /// Whether a flag or an argument needs a shell (variables, quotes, ...).
    pub shell: bool,
    /// Whether the command reads `$PORT`.
    pub reads_port: bool,
    /// `$JAVA_OPTS` was in the command and is left out.
    pub dropped_java_opts: bool,
    /// The Procfile's other processes (not `release`), which the image does not start.
    pub others: Vec<String>,
}

/// The app's Procfile process, if it has one that serves the app; an error when it is not a
/// `java ... -jar <jar>` command.
pub(super) fn read(files: &ProjectFiles) -> Option<Result<JavaProcfile, PresetError>> {
    let procfile = Procfile::read(files)?;
    let (name, command) = procfile.app()?;
    let others = procfile.others(name);
    Some(parse(name, command, others))
}

fn parse(name: &str, command: &str, others: Vec<String>) -> Result<JavaProcfile, PresetError> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let words = match words.as_slice() {
        ["exec", rest @ ..] => rest,
        all => all,
    };
    let is_java = words
        .first()
        .is_some_and(|w| *w == "java" || w.ends_with("/bin/java"));
    let jar_at = words.iter().position(|w| *w == "-jar");
    let jar = jar_at.and_then(|i| words.get(i + 1));
    let (Some(at), Some(jar), true) = (jar_at, jar, is_java) else {
        return Err(not_a_jar(name, command));
    };
    if plain_words(jar).is_none() && !jar.contains('*') || command.contains(['&', ';', '|']) {
        return Err(not_a_jar(name, command));
    }
    let flags: Vec<String> = words[1..at]
        .iter()
        .filter(|w| !JAVA_OPTS.contains(w))
        .map(|w| w.to_string())
        .collect();
    let args: Vec<String> = words[at + 2..].iter().map(|w| w.to_string()).collect();
    let shell = flags.iter().chain(&args).any(|w| word_needs_shell(w));
    Ok(JavaProcfile {
        process: name.to_string(),
        jar: jar.to_string(),
        dropped_java_opts: words[1..at].iter().any(|w| JAVA_OPTS.contains(w)),
        flags,
        args,
        shell,
        reads_port: command.contains("$PORT") || command.contains("${PORT"),
        others,
    })
}

/// Whether one word of a command (not its first: `-Dkey=value` is plain) needs a shell.
fn word_needs_shell(word: &str) -> bool {
    word.chars().any(|c| "\"'`$\\|&;<>()*?[]{}~!#".contains(c))
}

fn not_a_jar(name: &str, command: &str) -> PresetError {
    PresetError::new(
        codes::PROCFILE_NOT_A_JAR,
        Blame::Table,
        format!("the Procfile's `{name}` command `{command}` does not run a jar with `java -jar`"),
    )
    .help(format!(
        "write it as `{name}: java [flags] -jar <jar> [args]` (the jar the build makes, e.g. `target/app.jar`), or remove the `{name}` process to start the jar the preset finds"
    ))
}

/// The error for a Procfile command that needs a shell on a final image without one.
pub(super) fn needs_shell(p: &JavaProcfile, flavour: &str) -> Option<PresetError> {
    p.shell.then(|| {
        let words: Vec<&str> = p
            .flags
            .iter()
            .chain(&p.args)
            .map(String::as_str)
            .filter(|w| word_needs_shell(w))
            .collect();
        PresetError::new(
            codes::PROCFILE_NEEDS_SHELL,
            Blame::RuntimeBase,
            format!(
                "the Procfile's `{}` command needs a shell for `{}`, and `{flavour}` has none",
                p.process,
                words.join(" ")
            ),
        )
        .help("leave `base` out for the JRE image (it has a shell), or write the command without shell syntax")
    })
}

/// The `detected` lines of the command.
pub(super) fn detected(p: &JavaProcfile) -> Vec<String> {
    let mut line = format!(
        "start: java {}-jar {}{} (the `{}` process of the Procfile",
        p.flags.iter().map(|f| format!("{f} ")).collect::<String>(),
        p.jar,
        p.args.iter().map(|a| format!(" {a}")).collect::<String>(),
        p.process
    );
    line.push_str(&not_started(&p.others));
    line.push(')');
    let mut lines = vec![line];
    if p.dropped_java_opts {
        lines.push("`$JAVA_OPTS` of the Procfile is left out: set `jvm-flags`, or `JAVA_TOOL_OPTIONS` at run time, which the JVM reads itself".into());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(command: &str) -> Result<JavaProcfile, PresetError> {
        parse("web", command, Vec::new())
    }

    #[test]
    fn java_jar_commands() {
        let plain =
            p("java -Xss512k -jar target/app-1.0.jar --spring.profiles.active=prod").unwrap();
        assert_eq!(plain.jar, "target/app-1.0.jar");
        assert_eq!(plain.flags, ["-Xss512k"]);
        assert_eq!(plain.args, ["--spring.profiles.active=prod"]);
        assert!(!plain.shell && !plain.reads_port && !plain.dropped_java_opts);
        assert!(!p("java -Dserver.port=9000 -jar app.jar").unwrap().shell);
        let heroku = p("java $JAVA_OPTS -jar target/*.jar --server.port=$PORT").unwrap();
        assert_eq!(heroku.jar, "target/*.jar");
        assert!(heroku.flags.is_empty() && heroku.dropped_java_opts);
        assert!(heroku.shell && heroku.reads_port);
        assert_eq!(detected(&heroku).len(), 2);
    }

    #[test]
    fn other_shapes_are_refused() {
        for command in [
            "java -cp target/classes:target/dependency/* Main",
            "sh start.sh",
            "java -jar",
            "java -jar $JAR",
            "mvn spring-boot:run",
            "cd app && java -jar app.jar",
        ] {
            let e = p(command).unwrap_err();
            assert_eq!(e.code, codes::PROCFILE_NOT_A_JAR, "{command}");
        }
    }
}
