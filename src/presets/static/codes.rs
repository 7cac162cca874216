//! The static preset's diagnostic codes (SG95x). Stable: a code keeps its meaning once
//! published.

use crate::diagnostics::codes::codes;

codes! {
    pub(crate),
    NO_INDEX = "SG951" "static-no-index";
    ROOT_OUTSIDE = "SG952" "static-root-outside";
    KNOB_NOT_USED = "SG953" "static-knob-not-used";
    BASE_FLAVOUR = "SG954" "static-base-flavour";
}
