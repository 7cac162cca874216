//! The rules of the workspace checks that a JSON schema can say, added to the published
//! workspace schema (`schemas/workspace.schema.json`) so that an editor flags them in
//! `stagegen.toml` while you type. The schema's own shape (the one `[workspace]` table, its
//! keys, `members` required, lists of strings) is the generated one; this adds what the checks
//! of `src/workspace/` say beyond it: a member may not leave the folder of stagegen.toml
//! (SG901).
//!
//! Each rule is exactly its check's or looser (the schema must never reject a file stagegen
//! takes), marked with [`super::constraints::CHECKED_BY`] and the check's code. stagegen reads
//! stagegen.toml with its own shape checks, not this schema, so nothing needs stripping.
//! May import: serde_json and the build schema's `add`.

use serde_json::{json, Value};

/// A path that leaves the folder it is relative to at its first step: absolute (`/srv`, `\srv`),
/// a Windows drive (`C:\`), or `..` as its first segment after any `.` or empty ones
/// (`../x`, `./../x`). The workspace check (`validate::stays_inside`) refuses each; it also
/// refuses a path that climbs out later (`a/../../x`), which counting depth takes and a pattern
/// cannot, so the schema lets that one through to stagegen's check.
const LEAVES_FOLDER: &str = r"^([/\\]|((\.)?[/\\])*\.\.([/\\]|$))|:\\";

/// Add every rule to `schema`, the generated workspace schema.
pub fn tighten(schema: &mut Value) {
    super::constraints::add(
        schema,
        "/$defs/TomlWorkspace/properties/members/items",
        "SG901",
        json!({"not": {"pattern": LEAVES_FOLDER}}),
    );
}

#[cfg(test)]
mod tests {
    use crate::schema::SchemaKind;
    use serde_json::Value;

    fn valid(toml_text: &str) -> bool {
        let schema = crate::schema::schema_value(SchemaKind::Workspace);
        let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
        let value: Value = toml::from_str(toml_text).expect("TOML");
        validator.is_valid(&value)
    }

    fn member(path: &str) -> bool {
        let path = path.replace('\\', "\\\\");
        valid(&format!("[workspace]\nmembers = [\"{path}\"]\n"))
    }

    #[test]
    fn members_stay_in_the_folder_of_stagegen_toml() {
        for inside in [
            ".",
            "services/*",
            "web",
            "a/../b",
            "./x",
            "...",
            "..x/y",
            "**",
        ] {
            assert!(member(inside), "{inside}");
            assert!(crate::validate::stays_inside(inside), "{inside}");
        }
        for outside in [
            "..",
            "../go-stdlib",
            "./../x",
            ".//../x",
            "/srv/api",
            "\\srv",
            "..\\x",
            "C:\\apps",
        ] {
            assert!(!member(outside), "{outside}");
            assert!(!crate::validate::stays_inside(outside), "{outside}");
        }
        // Climbing out after a step down is stagegen's check alone: the schema is never stricter.
        assert!(member("a/../../x"));
        assert!(!crate::validate::stays_inside("a/../../x"));
    }

    #[test]
    fn the_rule_is_marked_with_its_check() {
        let schema = crate::schema::schema_value(SchemaKind::Workspace);
        let items = schema
            .pointer("/$defs/TomlWorkspace/properties/members/items")
            .expect("members' items");
        assert_eq!(
            items.pointer(&format!("/{}/not", super::super::constraints::CHECKED_BY)),
            Some(&Value::String("SG901".into()))
        );
    }
}
