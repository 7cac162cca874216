//! The Java preset. (Being written: see the issue for its scope.)

use crate::presets::{Preset, PresetError, PresetPlan, PresetRequest};

pub struct Java;

impl Preset for Java {
    fn name(&self) -> &'static str {
        "java"
    }

    fn options(&self) -> &'static [&'static str] {
        &[]
    }

    fn stage_names(&self) -> &'static [&'static str] {
        &["build", "test", "dev", "runtime"]
    }

    fn stage_edges(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    fn plan(&self, _request: &PresetRequest<'_>) -> Result<PresetPlan, Vec<PresetError>> {
        Err(vec![PresetError::new(None, "the java preset is not written yet")])
    }
}
