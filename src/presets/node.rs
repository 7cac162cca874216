//! The Node preset. (Being written: see the issue for its scope.)

use crate::presets::{Preset, PresetError, PresetPlan, PresetRequest};

pub struct Node;

impl Preset for Node {
    fn name(&self) -> &'static str {
        "node"
    }

    fn options(&self) -> &'static [&'static str] {
        &[]
    }

    fn stage_names(&self) -> &'static [&'static str] {
        &["deps", "build", "prod-deps", "test", "dev", "runtime"]
    }

    fn stage_edges(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    fn plan(&self, _request: &PresetRequest<'_>) -> Result<PresetPlan, Vec<PresetError>> {
        Err(vec![PresetError::new(None, "the node preset is not written yet")])
    }
}
