//! What a preset reports about the app or its knobs: errors as data, each with a stable code,
//! the place in `build.toml` to blame, and, for a genuinely ambiguous app, the choice `stagegen
//! init` makes (and the knob that decides it).

use crate::diagnostics::Code;
use crate::presets::KnobValue;

/// Where in `build.toml` an error points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blame {
    /// The preset's table itself (`[preset]`, or `[frontend]` for the frontend builder).
    Table,
    /// A knob of that table, by its kebab-case name (`main`).
    Knob(&'static str),
    /// The value of a knob (its span, not its key's), for problems of what was written there.
    KnobValue(&'static str),
    /// `[runtime] base`, the flavour of the final image.
    RuntimeBase,
}

/// A knob value that resolves an ambiguity: what `stagegen init` writes when the app leaves
/// several choices open (several main packages, several ways to start the app).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub knob: &'static str,
    pub value: KnobValue,
    /// Why this value, for the comment beside it (`one of 2 main packages`).
    pub why: String,
}

/// A problem a preset found in the app or its knobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetError {
    pub code: Code,
    pub blame: Blame,
    /// Lowercase, no trailing period, user values in backticks.
    pub message: String,
    pub help: Option<Box<str>>,
    /// The text under the span it points at; default: which knob or table it blames.
    pub label: Option<Box<str>>,
    /// For an ambiguity only: the value init picks.
    pub choice: Option<Box<Choice>>,
}

impl PresetError {
    pub fn new(code: Code, blame: Blame, message: impl Into<String>) -> Self {
        PresetError {
            code,
            blame,
            message: message.into(),
            help: None,
            label: None,
            choice: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into().into_boxed_str());
        self
    }

    /// Mark the error as an ambiguity that `knob = value` settles.
    pub fn choice(mut self, knob: &'static str, value: KnobValue, why: impl Into<String>) -> Self {
        self.choice = Some(Box::new(Choice {
            knob,
            value,
            why: why.into(),
        }));
        self
    }

    /// The knob to point at, if any (`None` for the table or `[runtime]`).
    pub fn knob(&self) -> Option<&'static str> {
        match self.blame {
            Blame::Knob(k) | Blame::KnobValue(k) => Some(k),
            _ => None,
        }
    }
}
