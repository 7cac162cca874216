//! What the Node preset reads of a `package.json`: scripts, entry, engines, the pinned package
//! manager, workspaces and dependency names. Parsed leniently: a field of the wrong type counts
//! as absent, and only a file that is not JSON at all is an error.

use indexmap::IndexMap;
use serde_json::Value;

/// The fields of one `package.json` the preset uses.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Manifest {
    pub name: Option<String>,
    /// `main`: the package's entry file.
    pub main: Option<String>,
    /// `scripts`, in file order.
    pub scripts: IndexMap<String, String>,
    /// `engines.node`: a semver range.
    pub engines_node: Option<String>,
    /// `packageManager`, e.g. `pnpm@9.12.0+sha512.abc`.
    pub package_manager: Option<String>,
    /// `engines.pnpm` or `engines.yarn` (when it names one of them only): (tool, range).
    pub engines_pm: Option<(String, String)>,
    /// `workspaces` (npm and Yarn: a list, or Yarn classic's `{ packages = [...] }`).
    pub workspaces: Vec<String>,
    /// Names in `dependencies` (and `optionalDependencies`): what the app needs at run time.
    pub dependencies: Vec<String>,
    /// Names in `devDependencies`.
    pub dev_dependencies: Vec<String>,
    /// Files named by pnpm's `pnpm.patchedDependencies`: install inputs.
    pub patches: Vec<String>,
    /// `module`: the ES module entry (what `bun init` writes: `index.ts`).
    pub module: Option<String>,
    /// `engines.bun`: a semver range.
    pub engines_bun: Option<String>,
}

impl Manifest {
    /// Parse `package.json` text; `Err` carries serde_json's reason.
    pub(crate) fn parse(text: &str) -> Result<Manifest, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let Value::Object(obj) = value else {
            return Err("the top level is not an object".to_string());
        };
        let string = |key: &str| obj.get(key).and_then(Value::as_str).map(str::to_string);
        let keys = |key: &str| -> Vec<String> {
            obj.get(key)
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        let scripts = obj
            .get("scripts")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let workspaces = match obj.get("workspaces") {
            Some(Value::Array(items)) => strings(items),
            Some(Value::Object(o)) => o
                .get("packages")
                .and_then(Value::as_array)
                .map(|a| strings(a))
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut dependencies = keys("dependencies");
        for name in keys("optionalDependencies") {
            if !dependencies.contains(&name) {
                dependencies.push(name);
            }
        }
        let patches = obj
            .get("pnpm")
            .and_then(|p| p.get("patchedDependencies"))
            .and_then(Value::as_object)
            .map(|m| {
                m.values()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Manifest {
            name: string("name"),
            main: string("main"),
            scripts,
            engines_node: obj
                .get("engines")
                .and_then(|e| e.get("node"))
                .and_then(Value::as_str)
                .map(str::to_string),
            package_manager: string("packageManager"),
            engines_pm: engines_pm(obj.get("engines")),
            workspaces,
            dependencies,
            dev_dependencies: keys("devDependencies"),
            patches,
            module: string("module"),
            engines_bun: obj
                .get("engines")
                .and_then(|e| e.get("bun"))
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }

    /// The script `name`, unless it is npm's placeholder (`echo "Error: no test specified" &&
    /// exit 1`), which `npm init` writes and which only fails.
    pub(crate) fn script(&self, name: &str) -> Option<&str> {
        self.scripts
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.contains("Error: no test specified"))
    }

    /// Every dependency name, run time and dev.
    pub(crate) fn all_dependencies(&self) -> impl Iterator<Item = &String> {
        self.dependencies.iter().chain(&self.dev_dependencies)
    }

    /// True when the package has nothing to install.
    pub(crate) fn has_no_dependencies(&self) -> bool {
        self.dependencies.is_empty() && self.dev_dependencies.is_empty()
    }
}

/// The one package manager `engines` names besides npm, with its range.
fn engines_pm(engines: Option<&Value>) -> Option<(String, String)> {
    let named: Vec<(String, String)> = ["pnpm", "yarn"]
        .into_iter()
        .filter_map(|t| {
            let range = engines?.get(t)?.as_str()?;
            Some((t.to_string(), range.to_string()))
        })
        .collect();
    match named.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

fn strings(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fields_it_uses() {
        let m = Manifest::parse(
            r#"{"name":"api","main":"dist/index.js","packageManager":"pnpm@9.1.0",
               "scripts":{"build":"tsc","test":"echo \"Error: no test specified\" && exit 1"},
               "engines":{"node":">=20"},"workspaces":{"packages":["packages/*"]},
               "dependencies":{"express":"^4"},"optionalDependencies":{"fsevents":"*"},
               "devDependencies":{"typescript":"^5"},
               "pnpm":{"patchedDependencies":{"a@1":"patches/a@1.patch"}}}"#,
        )
        .expect("parses");
        assert_eq!(m.name.as_deref(), Some("api"));
        assert_eq!(m.main.as_deref(), Some("dist/index.js"));
        assert_eq!(m.script("build"), Some("tsc"));
        assert_eq!(m.script("test"), None, "npm's placeholder is no test");
        assert_eq!(m.engines_node.as_deref(), Some(">=20"));
        let pm = |json| Manifest::parse(json).unwrap().engines_pm;
        assert_eq!(
            pm(r#"{"engines":{"node":">=18","yarn":"^1.22.0"}}"#),
            Some(("yarn".into(), "^1.22.0".into()))
        );
        assert_eq!(
            pm(r#"{"engines":{"pnpm":">=9","yarn":"^1"}}"#),
            None,
            "two tools: neither"
        );
        assert_eq!(m.package_manager.as_deref(), Some("pnpm@9.1.0"));
        assert_eq!(m.workspaces, ["packages/*"]);
        assert_eq!(m.dependencies, ["express", "fsevents"]);
        assert_eq!(m.dev_dependencies, ["typescript"]);
        assert_eq!(m.patches, ["patches/a@1.patch"]);
    }

    #[test]
    fn wrong_types_count_as_absent_and_bad_json_is_an_error() {
        let m = Manifest::parse(r#"{"main":1,"scripts":[],"workspaces":"x"}"#).expect("parses");
        assert_eq!(m, Manifest::default());
        assert!(m.has_no_dependencies());
        assert!(Manifest::parse("{").is_err());
        assert!(Manifest::parse("[]").is_err());
    }
}
