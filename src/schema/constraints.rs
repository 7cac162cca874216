//! The rules of stagegen's semantic checks that a JSON schema can say, added to the published
//! build schema so that an editor (taplo, Even Better TOML) flags those mistakes while you type:
//! the format version, port ranges, durations, stage and variable names, absolute container
//! paths, one of `run`/`copy`, one of `image`/`from`, the keys of each kind of step, owners.
//!
//! Each rule is exactly its check's (never stricter: the schema must not reject a file stagegen
//! takes) and is marked with [`CHECKED_BY`] and the code of the check that says the same. stagegen's own schema phase validates without the marked items
//! ([`without_checked`]): the check reports that mistake with its code, span and help line, so
//! the user never sees the validator's text for it, nor the same mistake twice.
//! May import: config (the versions read), nothing else.

use serde_json::{json, Map, Value};

/// The keyword that marks a rule as one a semantic check also makes, with that check's code.
pub const CHECKED_BY: &str = super::checked::CHECKED_BY;

/// A duration as the health-check checks read it: numbers with units, `1m30s`, `500ms`.
const DURATION: &str = "^([0-9]+(ms|s|m|h))+$";
/// A port as text: 1 to 65535 (leading `+` and zeros as Rust's `u16` parse takes them), then
/// `/tcp` or `/udp` in any case.
const PORT_TEXT: &str = "^\\+?0*([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(/([tT][cC][pP]|[uU][dD][pP]))?$";
/// A stage name: a lowercase letter, then lowercase letters, digits, `-`, `_` and `.`.
const STAGE_NAME: &str = "^[a-z][a-z0-9._-]*$";
/// An argument or environment variable's name.
const VARIABLE: &str = "^[A-Za-z_][A-Za-z0-9_]*$";
/// A label key, reverse-DNS style.
const LABEL_KEY: &str = "^[A-Za-z0-9._/-]+$";
/// `user`, `user:group`, `uid` or `uid:gid`, POSIX's portable names.
const OWNER: &str = "^[A-Za-z0-9._][A-Za-z0-9._-]*(:[A-Za-z0-9._][A-Za-z0-9._-]*)?$";
/// A path inside the container.
const ABSOLUTE: &str = "^/";
/// A path inside the container as an item of a list, where `"..."` (a workspace member's
/// marker for the list below it) may stand too.
const ABSOLUTE_ITEM: &str = "^(/|\\.\\.\\.$)";
/// The list marker of a workspace's layers (`src/config/layers.rs`).
const LIST_MARKER: &str = "...";

/// Keys only a `run` step takes, and only a `copy` step (the step-shape check's lists).
const RUN_ONLY: &[&str] = &["cache", "secrets", "inputs"];
const COPY_ONLY: &[&str] = &["to", "from", "image", "chown"];

/// Add every rule to `schema`, the generated build schema.
pub fn tighten(schema: &mut Value) {
    let versions: Vec<Value> = crate::config::SUPPORTED_VERSIONS
        .iter()
        .map(|v| json!(v))
        .collect();
    add(
        schema,
        "/properties/version",
        "SG201",
        json!({"enum": versions}),
    );
    add(
        schema,
        "/properties/args",
        "SG213",
        json!({"propertyNames": {"pattern": VARIABLE}}),
    );
    for table in ["/$defs/TomlStage", "/$defs/TomlRuntime"] {
        add(
            schema,
            &format!("{table}/properties/workdir"),
            "SG208",
            json!({"pattern": ABSOLUTE}),
        );
        add(
            schema,
            &format!("{table}/properties/env"),
            "SG213",
            json!({"propertyNames": {"pattern": VARIABLE}}),
        );
        add(
            schema,
            &format!("{table}/properties/labels"),
            "SG213",
            json!({"propertyNames": {"pattern": LABEL_KEY}}),
        );
    }
    add(
        schema,
        "/$defs/TomlStage/properties/name",
        "SG213",
        json!({"pattern": STAGE_NAME, "maxLength": 128}),
    );
    add(
        schema,
        "/$defs/TomlStage/properties/name",
        "SG213",
        json!({"not": {"enum": ["scratch", "context"]}}),
    );
    add(
        schema,
        "/$defs/TomlStage",
        "SG212",
        json!({"oneOf": [{"required": ["image"]}, {"required": ["from"]}]}),
    );
    add(
        schema,
        "/$defs/TomlPort",
        "SG209",
        json!({"anyOf": [
            {"type": "integer", "minimum": 1, "maximum": 65535},
            {"type": "string", "pattern": PORT_TEXT},
            {"const": LIST_MARKER},
        ]}),
    );
    for key in ["interval", "timeout", "start-period"] {
        add(
            schema,
            &format!("/$defs/TomlHealthcheck/properties/{key}"),
            "SG218",
            json!({"pattern": DURATION}),
        );
    }
    add(
        schema,
        "/$defs/TomlHealthcheck/properties/cmd",
        "SG218",
        json!({"minItems": 1}),
    );
    step_rules(schema);
    add(
        schema,
        "/$defs/TomlSecret/properties/target",
        "SG208",
        json!({"pattern": ABSOLUTE}),
    );
    add(
        schema,
        "/$defs/TomlFrontend/properties/to",
        "SG208",
        json!({"pattern": ABSOLUTE}),
    );
}

/// A step runs a command or copies files, with the keys of its kind.
fn step_rules(schema: &mut Value) {
    let step = "/$defs/TomlStep";
    let any_of = |keys: &[&str]| -> Value {
        Value::Array(keys.iter().map(|k| json!({"required": [k]})).collect())
    };
    add(
        schema,
        step,
        "SG211",
        json!({"oneOf": [{"required": ["run"]}, {"required": ["copy"]}]}),
    );
    add(
        schema,
        step,
        "SG211",
        json!({"if": {"required": ["run"]}, "then": {"not": {"anyOf": any_of(COPY_ONLY)}}}),
    );
    add(
        schema,
        step,
        "SG211",
        json!({"if": {"required": ["copy"]}, "then": {
            "required": ["to"],
            "not": {"anyOf": any_of(RUN_ONLY)},
        }}),
    );
    add(
        schema,
        step,
        "SG211",
        json!({"not": {"required": ["from", "image"]}}),
    );
    add(
        schema,
        &format!("{step}/properties/copy"),
        "SG211",
        json!({"minItems": 1, "items": {"minLength": 1}}),
    );
    add(
        schema,
        &format!("{step}/properties/to"),
        "SG211",
        json!({"minLength": 1}),
    );
    add(
        schema,
        &format!("{step}/properties/inputs"),
        "SG211",
        json!({"items": {"minLength": 1}}),
    );
    add(
        schema,
        &format!("{step}/properties/cache"),
        "SG208",
        json!({"items": {"pattern": ABSOLUTE_ITEM}}),
    );
    add(
        schema,
        &format!("{step}/properties/chown"),
        "SG215",
        json!({"pattern": OWNER}),
    );
}

/// Add `rule`, marked with `code`, to the schema at `pointer` (a schema the generator made; a
/// missing one is a bug the tests catch): its keywords beside the schema's own, listed in the
/// schema's [`CHECKED_BY`] table, or, where the schema has one of them already, as an item of
/// its `allOf` with [`CHECKED_BY`] holding the code. Beside, not in an `allOf`, where it can:
/// taplo's language server (0.10) overflows its stack completing keys beside an `allOf`.
pub(super) fn add(schema: &mut Value, pointer: &str, code: &str, rule: Value) {
    let Some(Value::Object(target)) = schema.pointer_mut(pointer) else {
        debug_assert!(false, "no schema at {pointer}");
        return;
    };
    let Value::Object(rule) = rule else {
        return;
    };
    if rule.keys().all(|k| !target.contains_key(k)) {
        let marks = target
            .entry(CHECKED_BY)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(marks) = marks {
            for key in rule.keys() {
                marks.insert(key.clone(), Value::String(code.to_string()));
            }
        }
        target.extend(rule);
        return;
    }
    let mut item = rule;
    item.insert(CHECKED_BY.to_string(), Value::String(code.to_string()));
    match target
        .entry("allOf")
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(items) => items.push(Value::Object(item)),
        other => *other = Value::Array(vec![Value::Object(item)]),
    }
}

/// `schema` without the rules [`tighten`] added: what stagegen's own schema phase checks.
pub fn without_checked(schema: &Value) -> Value {
    let mut schema = schema.clone();
    super::checked::strip(&mut schema);
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SchemaKind;

    fn validator() -> jsonschema::Validator {
        jsonschema::validator_for(&crate::schema::schema_value(SchemaKind::Build))
            .expect("the tightened schema compiles")
    }

    fn valid(toml_text: &str) -> bool {
        let value: Value = toml::from_str(toml_text).expect("TOML");
        validator().is_valid(&value)
    }

    const STAGE: &str = "version = 1\n[[stage]]\nname = \"app\"\nimage = \"debian:12\"\n";

    #[test]
    fn every_rule_lands_on_a_schema_the_generator_made() {
        // `add` skips a pointer that names nothing (debug_assert in tests): count the marks.
        let schema = crate::schema::schema_value(SchemaKind::Build);
        let mut marks = 0;
        let mut todo = vec![&schema];
        while let Some(v) = todo.pop() {
            match v {
                Value::Object(map) => {
                    match map.get(CHECKED_BY) {
                        Some(Value::Object(m)) => marks += m.len(),
                        Some(_) => marks += 1,
                        None => {}
                    }
                    todo.extend(map.values());
                }
                Value::Array(items) => todo.extend(items),
                _ => {}
            }
        }
        // One per keyword beside a schema, one per `allOf` item.
        assert_eq!(marks, 29);
    }

    #[test]
    fn stripped_it_is_the_generated_schema() {
        let tightened = crate::schema::schema_value(SchemaKind::Build);
        let stripped = without_checked(&tightened);
        assert!(!stripped.to_string().contains(CHECKED_BY));
        assert!(stripped.to_string().len() < tightened.to_string().len());
    }

    #[test]
    fn ports_as_the_check_reads_them() {
        for port in [
            "1",
            "65535",
            "\"8080\"",
            "\"53/udp\"",
            "\"80/TCP\"",
            "\"+80\"",
            "\"0080\"",
        ] {
            assert!(valid(&format!("{STAGE}ports = [{port}]\n")), "{port}");
        }
        for port in [
            "0",
            "65536",
            "\"0\"",
            "\"65536\"",
            "\"80/sctp\"",
            "\"http\"",
            "-1",
        ] {
            assert!(!valid(&format!("{STAGE}ports = [{port}]\n")), "{port}");
        }
    }

    #[test]
    fn durations_as_the_check_reads_them() {
        for d in ["30s", "1m30s", "500ms", "1h"] {
            let text = format!("{STAGE}healthcheck = {{ cmd = [\"true\"], interval = \"{d}\" }}\n");
            assert!(valid(&text), "{d}");
        }
        for d in ["", "30", "s", "1.5s", "30 s", "1d"] {
            let text = format!("{STAGE}healthcheck = {{ cmd = [\"true\"], interval = \"{d}\" }}\n");
            assert!(!valid(&text), "{d}");
        }
    }

    #[test]
    fn steps_run_or_copy_with_their_own_keys() {
        let step = |s: &str| valid(&format!("{STAGE}workdir = \"/app\"\nsteps = [{s}]\n"));
        assert!(step(
            "{ run = \"make\", cache = [\"/c\"], inputs = [\"src\"] }"
        ));
        assert!(step("{ copy = [\".\"], to = \".\", chown = \"app:app\" }"));
        assert!(step("{ copy = [\"/x\"], from = \"app\", to = \"/x\" }"));
        assert!(step("{ run = \"make\", cache = [\"...\", \"/c\"] }"));
        for bad in [
            "{ run = \"make\", copy = [\".\"], to = \".\" }",
            "{ }",
            "{ run = \"make\", to = \"/x\" }",
            "{ copy = [\".\"], to = \".\", cache = [\"/c\"] }",
            "{ copy = [\".\"] }",
            "{ copy = [], to = \".\" }",
            "{ copy = [\"\"], to = \".\" }",
            "{ copy = [\"x\"], to = \"\" }",
            "{ copy = [\"/x\"], from = \"app\", image = \"debian:12\", to = \"/y\" }",
            "{ run = \"make\", cache = [\".cache\"] }",
            "{ copy = [\"a\"], to = \"/x/\", chown = \"$OWNER\" }",
            "{ copy = [\"a\"], to = \"/x/\", chown = \"app:\" }",
        ] {
            assert!(!step(bad), "{bad}");
        }
    }

    #[test]
    fn names_versions_bases_and_container_paths() {
        assert!(valid(STAGE));
        assert!(!valid(&STAGE.replace("version = 1", "version = 2")));
        assert!(!valid(&STAGE.replace("\"app\"", "\"App Stage\"")));
        assert!(!valid(&STAGE.replace("\"app\"", "\"scratch\"")));
        assert!(!valid(&STAGE.replace("image = \"debian:12\"\n", "")));
        assert!(!valid(&format!("{STAGE}from = \"other\"\n")));
        assert!(!valid(&format!("{STAGE}workdir = \"srv\"\n")));
        assert!(!valid(&format!("{STAGE}env = {{ \"1X\" = \"a\" }}\n")));
        assert!(valid(&format!("{STAGE}env = {{ _OK_1 = \"a\" }}\n")));
        assert!(!valid(&format!(
            "{STAGE}labels = {{ \"bad key\" = \"v\" }}\n"
        )));
        let before =
            |table: &str| format!("version = 1\n{table}\n{}", &STAGE["version = 1\n".len()..]);
        assert!(valid(&before("[args]\nGO_FLAGS = \"1\"")));
        assert!(!valid(&before("[args]\n\"BAD-ARG\" = \"1\"")));
        assert!(!valid(&before("[secrets.key]\ntarget = \"run/key\"")));
        assert!(valid(&before("[secrets.key]\ntarget = \"/run/key\"")));
    }
}
