//! A `Procfile` (Heroku's, also read by Dokku, Railway and others): `name: command` per line.
//! Every preset may start the app with its `web` process, or with a lone `worker` when there is
//! no `web`.

use crate::project::ProjectFiles;

/// The processes of a Procfile, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Procfile {
    pub processes: Vec<(String, String)>,
}

impl Procfile {
    /// The app's `Procfile`, if it has one with at least one process.
    pub fn read(files: &ProjectFiles) -> Option<Procfile> {
        Procfile::read_at(files, "Procfile")
    }

    /// The Procfile at `path` (a workspace package's `api/Procfile`), as [`Procfile::read`].
    pub fn read_at(files: &ProjectFiles, path: &str) -> Option<Procfile> {
        let procfile = Procfile::parse(&files.read(path)?);
        (!procfile.processes.is_empty()).then_some(procfile)
    }

    pub fn parse(text: &str) -> Procfile {
        let processes = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .filter_map(|l| {
                let (name, command) = l.split_once(':')?;
                let name = name.trim();
                let command = command.trim();
                let valid = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                (valid && !command.is_empty()).then(|| (name.to_string(), command.to_string()))
            })
            .collect();
        Procfile { processes }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.processes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
    }

    /// The process that serves the app: `web`, else the only process there is (a lone `worker`),
    /// with its name.
    pub fn app(&self) -> Option<(&str, &str)> {
        if let Some(web) = self.get("web") {
            return Some(("web", web));
        }
        match self.processes.as_slice() {
            [(name, command)] => Some((name, command)),
            _ => None,
        }
    }

    /// The processes a container of the image does not start, besides `started` (`release`,
    /// which a platform runs once at deploy time, is not one of them).
    pub fn others(&self, started: &str) -> Vec<String> {
        self.processes
            .iter()
            .filter(|(n, _)| n != started && n != "release")
            .map(|(n, _)| n.clone())
            .collect()
    }
}

/// `detected`'s words on the Procfile's other processes, after the started one's: nothing when
/// there are none.
pub fn not_started(others: &[String]) -> String {
    if others.is_empty() {
        return String::new();
    }
    let names: Vec<String> = others.iter().map(|n| format!("`{n}`")).collect();
    let (verb, whose) = match others.len() {
        1 => ("runs", "its"),
        _ => ("run", "their"),
    };
    format!(
        "; not started: {}, which {verb} from the same image with {whose} own command",
        names.join(", ")
    )
}

/// A command kept whole for `sh -c`, as `exec` (the server is then PID 1 and gets the
/// container's signals) unless it chains commands (`&&`, `;`, a pipe) or already execs.
pub fn sh_c(command: &str) -> Vec<String> {
    let line = if command.starts_with("exec ") || command.contains(['&', ';', '|', '\n']) {
        command.to_string()
    } else {
        format!("exec {command}")
    };
    vec!["sh".into(), "-c".into(), line]
}

/// The words of a command that needs no shell (no quotes, variables, globs, operators or
/// redirections), for an exec-form `CMD`; `None` when it needs `sh -c`.
pub fn plain_words(command: &str) -> Option<Vec<String>> {
    let needs_shell = command
        .chars()
        .any(|c| "\"'`$\\|&;<>()*?[]{}~!#=".contains(c));
    if needs_shell {
        return None;
    }
    let words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
    (!words.is_empty()).then_some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_started_agrees_with_its_count() {
        assert_eq!(not_started(&[]), "");
        assert_eq!(
            not_started(&["worker".into()]),
            "; not started: `worker`, which runs from the same image with its own command"
        );
        assert_eq!(
            not_started(&["worker".into(), "clock".into()]),
            "; not started: `worker`, `clock`, which run from the same image with their own command"
        );
    }

    #[test]
    fn parses_processes() {
        let p = Procfile::parse("# apps\nweb: gunicorn app:app --bind 0.0.0.0:$PORT\nworker: celery -A tasks worker\n\nbad line\n: nothing\n");
        assert_eq!(p.processes.len(), 2);
        assert_eq!(p.get("worker"), Some("celery -A tasks worker"));
        assert_eq!(p.app().map(|(n, _)| n), Some("web"));
        let lone = Procfile::parse("worker: python bot.py\n");
        assert_eq!(lone.app(), Some(("worker", "python bot.py")));
        let two = Procfile::parse("worker: a\nclock: b\n");
        assert_eq!(two.app(), None);
    }

    #[test]
    fn sh_c_execs_one_command_only() {
        assert_eq!(
            sh_c("gunicorn app:app -b :$PORT")[2],
            "exec gunicorn app:app -b :$PORT"
        );
        assert_eq!(sh_c("exec node server.js")[2], "exec node server.js");
        assert_eq!(sh_c("migrate && serve")[2], "migrate && serve");
    }

    #[test]
    fn plain_words_only_without_shell_syntax() {
        assert_eq!(
            plain_words("gunicorn app:app -w 2"),
            Some(vec![
                "gunicorn".into(),
                "app:app".into(),
                "-w".into(),
                "2".into()
            ])
        );
        assert_eq!(plain_words("gunicorn app:app --bind 0.0.0.0:$PORT"), None);
        assert_eq!(plain_words("cd web && npm start"), None);
        assert_eq!(plain_words("FOO=1 node app.js"), None);
        assert_eq!(plain_words("  "), None);
    }
}
