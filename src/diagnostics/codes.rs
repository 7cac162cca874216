//! Every diagnostic code stagegen can report. Codes are stable: a code, once published, keeps
//! its meaning (SG301 `preset-input`, which every preset error once shared, is retired: each
//! preset's errors have codes of their own). Each has a case directory under `tests/cases/` that triggers it (a test checks).
//!
//! Numbering: SG000 an internal error (a bug of stagegen's, never the user's), SG0xx the file
//! itself (reading, TOML syntax), SG1xx the JSON schema, SG2xx meaning (references, paths,
//! values), SG3xx what init and the presets found in the app, SG4xx warnings; then a block per
//! preset, declared in its folder (SG5xx Go, SG6xx Python, SG7xx Node, SG8xx Java, SG95x the
//! static preset); SG90x a workspace (`stagegen.toml`, `extends`, templates).

/// A stable diagnostic code with a short name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code {
    pub id: &'static str,
    pub name: &'static str,
}

/// Declare codes as constants, and `ALL` listing them in order. Presets declare theirs with it in
/// their own folder (each a block of its own: SG5xx Go, SG6xx Python, SG7xx Node, SG8xx Java),
/// with the visibility first (`codes! { pub(crate), ... }`): a preset's codes are its own.
macro_rules! codes {
    ($vis:vis, $($konst:ident = $id:literal $name:literal;)*) => {
        $($vis const $konst: $crate::diagnostics::Code =
            $crate::diagnostics::Code { id: $id, name: $name };)*
        /// All codes, in numeric order.
        $vis const ALL: &[$crate::diagnostics::Code] = &[$($konst),*];
    };
}
pub(crate) use codes;

codes! {
    pub,
    INTERNAL = "SG000" "internal-error";
    NOT_UTF8 = "SG002" "invalid-utf8";
    TOO_LARGE = "SG003" "file-too-large";
    TOML_SYNTAX = "SG004" "toml-syntax";
    UNKNOWN_KEY = "SG101" "unknown-key";
    WRONG_TYPE = "SG102" "wrong-type";
    MISSING_KEY = "SG103" "missing-key";
    INVALID_VALUE = "SG104" "invalid-value";
    UNSUPPORTED_VERSION = "SG201" "unsupported-version";
    DUPLICATE_STAGE = "SG202" "duplicate-stage";
    UNKNOWN_STAGE = "SG203" "unknown-stage";
    LATER_STAGE = "SG204" "later-stage";
    STAGE_CYCLE = "SG205" "stage-cycle";
    UNKNOWN_TARGET = "SG206" "unknown-target";
    PATH_ESCAPES_CONTEXT = "SG207" "path-escapes-context";
    RELATIVE_CONTAINER_PATH = "SG208" "relative-container-path";
    PORT_OUT_OF_RANGE = "SG209" "port-out-of-range";
    PRESET_OPTION = "SG210" "preset-option-mismatch";
    STEP_SHAPE = "SG211" "step-shape";
    STAGE_BASE = "SG212" "stage-base";
    INVALID_NAME = "SG213" "invalid-name";
    INVALID_IMAGE = "SG214" "invalid-image-reference";
    UNSAFE_VALUE = "SG215" "unsafe-value";
    UNKNOWN_SECRET = "SG216" "unknown-secret";
    UNKNOWN_ARG = "SG217" "unknown-arg";
    INVALID_DURATION = "SG218" "invalid-duration";
    NOTHING_TO_BUILD = "SG219" "nothing-to-build";
    UNKNOWN_LINT = "SG220" "unknown-lint";
    TOO_MANY = "SG221" "too-many";
    SECRET_IN_ARG_OR_ENV = "SG222" "secret-in-arg-or-env";
    UNREADABLE_APP_FILE = "SG223" "unreadable-app-file";
    INIT_NO_APP = "SG302" "init-no-app";
    INIT_SEVERAL_KINDS = "SG303" "init-several-kinds";
    INIT_FLAG_NOT_FOR_PRESET = "SG304" "init-flag-not-for-preset";
    INIT_UNKNOWN_LANG = "SG305" "init-unknown-lang";
    INVALID_PACKAGE = "SG306" "invalid-debian-package";
    RUNTIME_PACKAGES_NEED_APT = "SG307" "runtime-packages-need-apt";
    ROOT_USER = "SG401" "root-user";
    SECRET_LIKE_NAME = "SG402" "secret-like-arg-or-env";
    MEMBER_OUTSIDE_ROOT = "SG901" "member-outside-workspace";
    GLOB_MATCHES_NOTHING = "SG902" "member-glob-matches-nothing";
    EXTENDS_NOT_FOUND = "SG903" "extends-not-found";
    EXTENDS_ESCAPES = "SG904" "extends-outside-workspace";
    EXTENDS_CYCLE = "SG905" "extends-cycle";
    DUPLICATE_MEMBER = "SG906" "duplicate-member-name";
    TEMPLATE_ERROR = "SG907" "template-error";
    EXTENDS_WITHOUT_WORKSPACE = "SG908" "extends-without-workspace";
}

/// The codes that are warnings: the build goes on despite them, and each may be given a level
/// (`[lints]` in build.toml, `--deny`). Every other code is an error, which no level can lower.
pub const WARNINGS: &[Code] = &[ROOT_USER, SECRET_LIKE_NAME];

/// Whether `code` is a warning's (see [`WARNINGS`]).
pub fn is_warning(code: Code) -> bool {
    WARNINGS.contains(&code)
}

/// The code with this id (`SG101`) or name (`unknown-key`).
pub fn lookup(id_or_name: &str) -> Option<Code> {
    ALL.iter()
        .copied()
        .find(|c| c.id.eq_ignore_ascii_case(id_or_name) || c.name == id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_ordered() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
        let mut names: Vec<_> = ALL.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }

    #[test]
    fn lookup_finds_by_id_and_name() {
        assert_eq!(lookup("sg101"), Some(UNKNOWN_KEY));
        assert_eq!(lookup("unknown-key"), Some(UNKNOWN_KEY));
        assert_eq!(lookup("nope"), None);
    }
}
