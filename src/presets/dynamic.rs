//! The presets behind one object-safe interface: [`DynPreset`] is implemented for every
//! [`Preset`], so the registry can list presets of different option and settings types, and the
//! rest of stagegen (validation, the resolver, init) reaches them by name. [`AnyOptions`] holds a
//! preset's parsed options without its type; only the preset that parsed them reads them back.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use crate::presets::{Context, Preset, PresetError, PresetInfo, PresetPlan};

/// A preset's own `[preset]` knobs, parsed, of a type only that preset knows.
#[derive(Clone)]
pub struct AnyOptions(Arc<dyn Any + Send + Sync>, &'static str);

impl AnyOptions {
    fn new<T: fmt::Debug + Send + Sync + 'static>(options: T) -> Self {
        AnyOptions(Arc::new(options), std::any::type_name::<T>())
    }

    fn get<T: 'static>(&self) -> Option<&T> {
        self.0.downcast_ref::<T>()
    }
}

impl fmt::Debug for AnyOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }
}

/// What the rest of stagegen asks of a preset.
pub trait DynPreset: Sync {
    fn info(&self) -> &'static PresetInfo;
    /// The schema of the preset's own knobs (an object schema with `properties`).
    fn options_schema(&self, generator: &mut SchemaGenerator) -> Schema;
    /// Read the preset's own knobs (the `[preset]` table without `name` and the common knobs).
    fn parse_options(&self, table: Value) -> Result<AnyOptions, serde_json::Error>;
    /// See [`Preset::check_options`].
    fn check_options(&self, options: &AnyOptions) -> Vec<PresetError>;
    /// Settings, then stages: the whole plan, or every error at once.
    fn plan(&self, options: &AnyOptions, cx: &Context<'_>) -> Result<PresetPlan, Vec<PresetError>>;
    /// Ports the app listens on, with where each was read (for `stagegen init`), once its
    /// settings hold.
    fn ports(
        &self,
        options: &AnyOptions,
        cx: &Context<'_>,
    ) -> Result<Vec<(u16, String)>, Vec<PresetError>>;
}

impl<P: Preset> DynPreset for P {
    fn info(&self) -> &'static PresetInfo {
        Preset::info(self)
    }

    fn options_schema(&self, generator: &mut SchemaGenerator) -> Schema {
        P::Options::json_schema(generator)
    }

    fn parse_options(&self, table: Value) -> Result<AnyOptions, serde_json::Error> {
        serde_json::from_value::<P::Options>(table).map(AnyOptions::new)
    }

    fn check_options(&self, options: &AnyOptions) -> Vec<PresetError> {
        match typed(self, options) {
            Ok(options) => Preset::check_options(self, options),
            Err(errors) => errors,
        }
    }

    fn plan(&self, options: &AnyOptions, cx: &Context<'_>) -> Result<PresetPlan, Vec<PresetError>> {
        super::unreadable::check(Preset::info(self).markers, cx.files)?;
        let settings = self.settings(typed(self, options)?, cx)?;
        Ok(self.stages(&settings, cx))
    }

    fn ports(
        &self,
        options: &AnyOptions,
        cx: &Context<'_>,
    ) -> Result<Vec<(u16, String)>, Vec<PresetError>> {
        super::unreadable::check(Preset::info(self).markers, cx.files)?;
        let settings = self.settings(typed(self, options)?, cx)?;
        Ok(Preset::ports(self, &settings, cx))
    }
}

/// The options back as the preset's type. They were parsed by the same preset, so a mismatch is
/// a bug in stagegen, reported as an error rather than a panic.
fn typed<'a, P: Preset>(
    preset: &P,
    options: &'a AnyOptions,
) -> Result<&'a P::Options, Vec<PresetError>> {
    options.get::<P::Options>().ok_or_else(|| {
        vec![PresetError::new(
            crate::diagnostics::codes::INTERNAL,
            crate::presets::Blame::Table,
            format!(
                "internal error: the `{}` preset was given another preset's options ({options:?})",
                Preset::info(preset).name
            ),
        )]
    })
}
