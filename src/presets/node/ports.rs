//! Where a Node app listens, for `stagegen init`: the ports its sources name, read from the
//! app's folder, its `src/`, and the folder of the file it starts (for an app without a build,
//! whose sources run as they are).

use crate::presets::node::package_manager::join;
use crate::presets::node::settings::NodeSettings;
use crate::presets::Detection;
use crate::project::ProjectFiles;

/// Source files whose extensions are read for ports.
const SOURCE_EXTENSIONS: &[&str] = &[".js", ".mjs", ".cjs", ".ts", ".mts"];

/// The ports the app's sources listen on, each with the file it was read from.
pub(super) fn ports(s: &NodeSettings, files: &ProjectFiles) -> Vec<(u16, String)> {
    let Some(entry) = s.serve.entry() else {
        // A static site: the web server's port is the image's own (EXPOSE 8080).
        return Vec::new();
    };
    let dir = &s.app_dir;
    let mut folders = vec![dir.clone(), join(dir, "src")];
    if let Some(entry_dir) = entry
        .words
        .iter()
        .find(|w| SOURCE_EXTENSIONS.iter().any(|e| w.ends_with(e)))
        .and_then(|file| file.rsplit_once('/'))
        .map(|(folder, _)| join(dir, folder))
    {
        if !folders.contains(&entry_dir) {
            folders.push(entry_dir);
        }
    }
    let mut found = Detection::default();
    // The file the command runs, whatever its name (express-generator's `bin/www`), and the
    // environment files `--env-file` loads (`PORT=3000`).
    for file in entry.file.iter().chain(env_files(&entry.words).iter()) {
        found.ports_from(files, &join(dir, file));
    }
    for folder in folders {
        for name in files.list(&folder) {
            if !SOURCE_EXTENSIONS.iter().any(|e| name.ends_with(e)) || name.contains(".test.") {
                continue;
            }
            found.ports_from(files, &join(&folder, &name));
        }
    }
    if found.ports.is_empty() {
        found.ports.extend(entry.default_port.clone());
    }
    found.ports
}

/// The files node's `--env-file` (and `--env-file-if-exists`) flags name.
pub(super) fn env_files(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = words.iter().take_while(|w| *w != "--");
    while let Some(w) = it.next() {
        for flag in ["--env-file", "--env-file-if-exists"] {
            if let Some(v) = w.strip_prefix(&format!("{flag}=")) {
                out.push(crate::presets::node::start::clean(v));
            } else if w == flag {
                out.extend(it.next().map(|v| crate::presets::node::start::clean(v)));
            }
        }
    }
    out
}
