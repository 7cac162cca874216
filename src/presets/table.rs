//! `[preset]` as the user wrote it: a union tagged by `name`. The preset named there decides
//! which knobs the table may hold (its own options type, plus [`TomlCommonOptions`]), so the
//! JSON schema itself says which knobs belong to which preset: one `oneOf` branch per preset of
//! the [registry](crate::presets::registry), each with `name` as a constant.

use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::presets::common::TomlCommonOptions;
use crate::presets::registry::{self, DynPreset};
use crate::presets::AnyOptions;

/// A language preset and its knobs.
#[derive(Clone)]
pub struct TomlPreset {
    /// The preset `name` picks.
    pub preset: &'static dyn DynPreset,
    /// The knobs every preset takes.
    pub common: TomlCommonOptions,
    /// The preset's own knobs (its options type, behind [`AnyOptions`]).
    pub options: AnyOptions,
}

impl TomlPreset {
    pub fn name(&self) -> &'static str {
        self.preset.info().name
    }
}

impl fmt::Debug for TomlPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TomlPreset")
            .field("name", &self.name())
            .field("common", &self.common)
            .field("options", &self.options)
            .finish()
    }
}

impl<'de> Deserialize<'de> for TomlPreset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut table = Map::<String, Value>::deserialize(deserializer)?;
        let name = match table.remove("name") {
            Some(Value::String(name)) => name,
            Some(_) => return Err(D::Error::custom("`name` must be a string")),
            None => return Err(D::Error::missing_field("name")),
        };
        let preset = registry::find(&name)
            .ok_or_else(|| D::Error::custom(format!("unknown preset `{name}`")))?;
        let mut common = Map::new();
        for key in TomlCommonOptions::KEYS {
            if let Some(value) = table.remove(*key) {
                common.insert((*key).to_string(), value);
            }
        }
        let common = serde_json::from_value(Value::Object(common)).map_err(D::Error::custom)?;
        let options = preset
            .parse_options(Value::Object(table))
            .map_err(D::Error::custom)?;
        Ok(TomlPreset {
            preset,
            common,
            options,
        })
    }
}

impl JsonSchema for TomlPreset {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TomlPreset".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let common = TomlCommonOptions::json_schema(generator);
        let branches: Vec<Value> = registry::all()
            .iter()
            .map(|p| branch(*p, &common, generator))
            .collect();
        let names: Vec<&str> = registry::all().iter().map(|p| p.info().name).collect();
        json_schema!({
            "description": format!(
                "A language preset that writes the build, test, dev and runtime stages for you. \
                 `name` picks it ({}); each preset takes the knobs listed under its name.",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
            "type": "object",
            "required": ["name"],
            "oneOf": branches,
        })
    }
}

/// One preset's branch: `name` as a constant, the preset's own knobs, then the common ones.
fn branch(preset: &dyn DynPreset, common: &Schema, generator: &mut SchemaGenerator) -> Value {
    let info = preset.info();
    let own = preset.options_schema(generator);
    let mut properties = Map::new();
    properties.insert(
        "name".to_string(),
        serde_json::json!({ "const": info.name, "description": info.summary }),
    );
    for schema in [&own, common] {
        if let Some(Value::Object(props)) = schema.get("properties") {
            for (key, value) in props {
                properties.insert(key.clone(), value.clone());
            }
        }
    }
    serde_json::json!({
        "title": format!("the `{}` preset", info.name),
        "type": "object",
        "properties": properties,
        "required": ["name"],
        "additionalProperties": false,
    })
}
