//! The static preset's diagnostic codes (SG9xx). Stable: a code keeps its meaning once
//! published.

use crate::diagnostics::codes::codes;

codes! {
    pub(crate),
    NO_INDEX = "SG901" "static-no-index";
    ROOT_OUTSIDE = "SG902" "static-root-outside";
    KNOB_NOT_USED = "SG903" "static-knob-not-used";
    BASE_FLAVOUR = "SG904" "static-base-flavour";
}
