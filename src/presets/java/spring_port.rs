//! Spring Boot apps listen on `$PORT` when the platform sets it. A Boot app listens on
//! `server.port` (8080 by default), and platforms (Heroku, Cloud Run, Railway, ...) say where
//! to listen with `PORT`. The image has no shell to expand a variable (distroless has none),
//! so the entrypoint passes `-Dserver.port=${SERVER_PORT:${PORT:<port>}}` as it is: Spring
//! resolves placeholders in every property source, system properties included, when it binds
//! `server.port`. `SERVER_PORT` and `--server.port=` still win, then `PORT`, then the port the
//! app's own configuration names; a `-Dserver.port` in `jvm-flags` comes later and wins too.
//! An app whose `server.port` already reads `PORT` gets no flag.

use crate::project::ProjectFiles;

/// The app's configuration files, where Spring Boot reads them from the jar.
const CONFIG_FILES: &[&str] = &[
    "src/main/resources/application.properties",
    "src/main/resources/application.yml",
    "src/main/resources/application.yaml",
];
/// Spring Boot's own default.
const BOOT_DEFAULT: &str = "8080";

/// What the app's configuration says of `server.port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PortSetting {
    /// `server.port` already reads `PORT` (`${PORT:8080}`): nothing to add.
    ReadsPort { file: String },
    /// The JVM flag to add, and the port it falls back to, with the file that named it.
    Flag {
        flag: String,
        /// The port without `PORT`, as configured (`9000`, `${MY_PORT:9000}`).
        fallback: String,
        port: Option<u16>,
        from: Option<String>,
    },
}

/// The flag for a Spring Boot app (`jvm_flags`: the flags it would go with).
pub(super) fn setting(files: &ProjectFiles, jvm_flags: &[String]) -> Option<PortSetting> {
    if jvm_flags.iter().any(|f| f.starts_with("-Dserver.port=")) {
        return None;
    }
    let configured = CONFIG_FILES.iter().find_map(|file| {
        let text = files.read(file)?;
        let value = if file.ends_with(".properties") {
            from_properties(&text)
        } else {
            from_yaml(&text)
        }?;
        Some((value, file.to_string()))
    });
    if let Some((value, file)) = &configured {
        if value.contains("PORT}") || value.contains("PORT:") {
            return Some(PortSetting::ReadsPort { file: file.clone() });
        }
    }
    let fallback = configured
        .as_ref()
        .map_or(BOOT_DEFAULT, |(v, _)| v.as_str());
    Some(PortSetting::Flag {
        flag: format!("-Dserver.port=${{SERVER_PORT:${{PORT:{fallback}}}}}"),
        port: fallback.parse().ok(),
        fallback: fallback.to_string(),
        from: configured.map(|(_, f)| f),
    })
}

/// `server.port=9000` or `server.port: 9000` in a `.properties` file.
fn from_properties(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.trim_start();
        let rest = line.strip_prefix("server.port")?;
        let rest = rest.trim_start();
        let value = rest.strip_prefix(['=', ':'])?;
        Some(value.trim().to_string())
    })
}

/// `server:` then an indented `port: 9000`, or a flat `server.port: 9000`, in YAML.
fn from_yaml(text: &str) -> Option<String> {
    let mut in_server = false;
    let mut indent = None;
    for line in text.lines() {
        let code = line.split(" #").next().unwrap_or("");
        if code.trim().is_empty() || code.trim_start().starts_with('#') {
            continue;
        }
        let depth = code.len() - code.trim_start().len();
        let key_value = |key: &str| {
            let v = code.trim_start().strip_prefix(key)?.trim();
            Some(v.trim_matches(['"', '\'']).to_string())
        };
        if depth == 0 {
            if let Some(v) = key_value("server.port:") {
                return Some(v);
            }
            in_server = code.trim_end() == "server:";
            indent = None;
            continue;
        }
        if in_server && *indent.get_or_insert(depth) == depth {
            if let Some(v) = key_value("port:") {
                return Some(v);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_port_in_properties_and_yaml() {
        assert_eq!(
            from_properties("# port\nserver.port = 9000\n").as_deref(),
            Some("9000")
        );
        assert_eq!(
            from_properties("server.port=${PORT:8080}").as_deref(),
            Some("${PORT:8080}")
        );
        assert_eq!(from_properties("server.address=0.0.0.0\n"), None);
        let yaml = "spring:\n  application:\n    name: x\nserver:\n  servlet:\n    context-path: /\n  port: 9000\nmanagement:\n  port: 1\n";
        assert_eq!(from_yaml(yaml).as_deref(), Some("9000"));
        assert_eq!(
            from_yaml("server:\n  port: ${PORT:8080}\n").as_deref(),
            Some("${PORT:8080}")
        );
        assert_eq!(
            from_yaml("server.port: \"7000\"\n").as_deref(),
            Some("7000")
        );
        assert_eq!(from_yaml("management:\n  server:\n    port: 9\n"), None);
        assert_eq!(from_yaml("server:\n  ssl:\n    port: 9\n"), None);
    }
}
