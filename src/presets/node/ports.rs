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
    for folder in folders {
        for name in files.list(&folder) {
            if !SOURCE_EXTENSIONS.iter().any(|e| name.ends_with(e)) || name.contains(".test.") {
                continue;
            }
            found.ports_from(files, &join(&folder, &name));
        }
    }
    found.ports
}
