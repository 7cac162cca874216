//! The mark on the rules that the published build schema carries for editors and that a semantic
//! check of stagegen's also makes ([`CHECKED_BY`]), and their removal ([`strip`]): what
//! stagegen's own schema phase validates against. Imports serde_json only, so that the build
//! script's schema table (`build/schema_table.rs`) includes this file too and models exactly
//! the schema the validator sees.

use serde_json::Value;

/// The keyword that marks a rule as one a semantic check also makes, with that check's code.
pub(crate) const CHECKED_BY: &str = "x-stagegen-checked-by";

/// Remove every marked rule from `value`: the keywords a mark names, and marked `allOf` items.
pub(crate) fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(marks)) = map.shift_remove(CHECKED_BY) {
                for key in marks.keys() {
                    map.shift_remove(key);
                }
            }
            if let Some(Value::Array(items)) = map.get_mut("allOf") {
                items.retain(|i| i.get(CHECKED_BY).is_none());
                if items.is_empty() {
                    map.shift_remove("allOf");
                }
            }
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}
