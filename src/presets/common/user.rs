//! The user the final images run as.

/// The distroless `nonroot` user (65532), used on every flavour that has no user of its own for
/// the app: numeric, so the image needs no passwd entry, and never root.
pub const NONROOT: &str = "65532:65532";
