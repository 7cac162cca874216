//! `stagegen explain CODE`: a longer text for each code, and an example. The texts of
//! stagegen's own codes are written here; a preset's codes have theirs in the preset's folder
//! (`src/presets/<lang>/explain.rs`), asked for through the registry. The example of every code
//! is the smallest case under `tests/cases/` that reports it, with what stagegen says for it,
//! compiled in by the build script, so an example is always a real input whose output the case
//! tests keep exact. A test fails when a code lacks its text or its example, or when two codes
//! share one text.

use crate::diagnostics::Code;

mod examples {
    include!(concat!(env!("OUT_DIR"), "/explain_examples.rs"));
}

/// What `explain` prints for `code`: its id and name, what it means, and the example.
pub fn explain(code: Code) -> String {
    let mut out = format!("{} {}\n\n", code.id, code.name);
    if let Some(text) = text_of(code) {
        out.push_str(&wrap(text, WIDTH));
    }
    if let Some((case, spec, report)) = example(code.id) {
        out.push_str(&format!(
            "\nExample ({case}):\n\n{}\nstagegen says:\n\n{}",
            indent(spec),
            indent(report)
        ));
    }
    out
}

/// The example of `id`: where its case is, the input, and what stagegen reports for the code.
pub fn example(id: &str) -> Option<(&'static str, &'static str, &'static str)> {
    examples::EXAMPLES
        .iter()
        .find(|(code, ..)| *code == id)
        .map(|(_, case, spec, report)| (*case, *spec, *report))
}

/// The width explanations are wrapped at.
const WIDTH: usize = 96;

/// `text` in lines of at most `width` characters (a longer word stands alone), each ended by a
/// newline. A value in backticks (`base = "slim"`) is kept on one line when it fits one.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for unit in units(text, width) {
        if !line.is_empty() && line.chars().count() + 1 + unit.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&unit);
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The words of `text`, those of one backticked value joined into one unit unless it is longer
/// than `width` (then its words stay apart).
fn units(text: &str, width: usize) -> Vec<String> {
    let mut units = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        open.push(word);
        let ticks: usize = open.iter().map(|w| w.matches('`').count()).sum();
        if ticks % 2 == 0 {
            let unit = open.join(" ");
            if unit.chars().count() <= width {
                units.push(unit);
            } else {
                units.extend(open.iter().map(|w| w.to_string()));
            }
            open.clear();
        }
    }
    units.extend(open.iter().map(|w| w.to_string()));
    units
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("    {l}\n")
            }
        })
        .collect()
}

/// The text of `code`: stagegen's own, or the one its preset writes.
fn text_of(code: Code) -> Option<&'static str> {
    text(code.id).or_else(|| crate::presets::registry::explain(code.id))
}

/// The text of one of stagegen's own codes.
fn text(id: &str) -> Option<&'static str> {
    let text = match id {
        "SG000" => {
            "A bug in stagegen, never a mistake of yours: stagegen reached a state it should not \
             (for example, the build.toml that `init` was about to write did not compile). \
             Please report it with the file that triggered it."
        }
        "SG002" => {
            "build.toml must be UTF-8 text. The file holds bytes that are not; the label points \
             at the first. Save the file as UTF-8 (most editors: \"Save with encoding\")."
        }
        "SG003" => {
            "A build spec is a few kilobytes; a file over 1 MiB is refused before it is parsed, \
             so that a wrong `-f` (a log, a binary, /dev/zero) cannot make stagegen read without \
             end. Check that `-f` names your build.toml."
        }
        "SG004" => {
            "The file is not valid TOML: a missing `=` or quote, a key given twice in one table, \
             a table opened twice, or nesting too deep. Every syntax error is reported at once. \
             Wrong: `ports = [8080` -- right: `ports = [8080]`."
        }
        "SG101" => {
            "A key that the table does not take, usually a typo (`imgae` for `image`) or a \
             preset's knob under another preset (`package-manager` under `name = \"go\"`). The \
             help names the closest key or the presets that take it. Every key is documented in \
             schemas/build.schema.json."
        }
        "SG102" => {
            "A value of the wrong TOML type: a string where a list is expected, a number in \
             quotes, a table where a string is. Commands and ports are lists: \
             `cmd = [\"python\", \"app.py\"]`, `ports = [8080]`. The help shows the right form, \
             taken from the schema."
        }
        "SG103" => {
            "A key that must be there is missing: `version` at the top, `name` in a \
             `[[stage]]`, `cmd` in a `[runtime.healthcheck]`, `name` in `[preset]`."
        }
        "SG104" => {
            "A value that the schema does not allow: not one of the listed choices (an unknown \
             preset, a lint level other than allow/warn/deny), below a minimum (`retries = -1`), \
             or of the wrong form. A preset named by another of its names (`golang`, `py`, \
             `nodejs`, `jvm`) is pointed at its preset: write `name = \"go\"`."
        }
        "SG201" => {
            "`version` is the format version of build.toml, and this stagegen reads version 1. \
             Write `version = 1`; a file of a newer format needs a newer stagegen."
        }
        "SG202" => {
            "Two stages have one name, or a stage of yours has the name of a stage the preset \
             makes (`build`, `test`, `dev`, `runtime`, ...). Stage names are what `from`, \
             `--target` and `copy ... from` refer to, so each must be unique."
        }
        "SG203" => {
            "`from` (of a stage or a copy step) names a stage that no one defines: neither a \
             `[[stage]]` of yours nor a stage of the preset. The help lists the stages. To start \
             from or copy out of an image, use `image = \"...\"` instead of `from`."
        }
        "SG204" => {
            "A stage uses a stage that is defined below it. A Dockerfile is read top to bottom, \
             so a stage can only start from or copy from stages above it: move the stage it \
             uses up."
        }
        "SG205" => {
            "Stages that start from or copy from each other in a circle (a -> b -> a), through \
             the preset's stages too. Nothing can be built first; break the circle."
        }
        "SG206" => {
            "`target` (in the file, or `--target` on the command line) names no stage. It is the \
             stage `docker build` builds; the help lists the stages there are."
        }
        "SG207" => {
            "A path that the build reads from the context (a `copy` source, `inputs`, the \
             frontend's `dir`) leaves the build context (`../x`) or is absolute. A build sees \
             only the files inside its context: use a path relative to it, or set `context` to a \
             folder that holds what you need."
        }
        "SG208" => {
            "A path inside the container (a `workdir`, a cache folder, a secret's `target`, a \
             copy destination in a stage without `workdir`) must be absolute. Wrong: \
             `workdir = \"app\"` -- right: `workdir = \"/app\"`."
        }
        "SG209" => {
            "A port is a number from 1 to 65535, optionally followed by `/tcp` or `/udp` as a \
             string: `ports = [8080, \"53/udp\"]`."
        }
        "SG210" => {
            "A setting that only makes sense with a preset, or a preset knob that does not fit \
             the rest of the file: `[runtime]` configures the preset's final stage, so it needs \
             a `[preset]`; without one, put the settings on your own `[[stage]]`."
        }
        "SG211" => {
            "Each step is exactly one action: a `run` (a shell command) or a `copy` (files), \
             with the keys that action takes. A step with both, or neither, or a `run` with \
             `to`, is refused. Split it: `{ run = \"make\" }, { copy = [\"dist\"], to = \"/app\" }`."
        }
        "SG212" => {
            "A stage starts from exactly one thing: an image (`image = \"debian:bookworm-slim\"`) \
             or an earlier stage (`from = \"build\"`). Give one of the two, not both and not \
             neither."
        }
        "SG213" => {
            "A name that cannot be used: stage names are lowercase letters, digits, `-`, `_` \
             and `.`, starting with a letter (a Dockerfile stage name); build argument and \
             variable names are letters, digits and `_`; label keys follow the OCI rules."
        }
        "SG214" => {
            "An image reference that is not valid, or that is not pinned: an untagged image or \
             `latest` changes under you, so every build may get another one. Write a tag: \
             `image = \"golang:1.22\"` (hadolint DL3006, DL3007)."
        }
        "SG215" => {
            "A value that a Dockerfile line cannot hold safely: control characters or line \
             breaks where one line is written, `$` or `\\` in a path (BuildKit would expand or \
             escape them), characters a cache or secret mount cannot carry, or a `chown` that is \
             not `user[:group]`. stagegen refuses rather than emit a Dockerfile that does \
             something else than the file says."
        }
        "SG216" => {
            "A `run` step names a secret that `[secrets]` does not declare. Declare it: \
             `[secrets.npmrc]` (then `docker build --secret id=npmrc,src=...`)."
        }
        "SG217" => {
            "A stage lists a build argument in `args` that `[args]` does not declare. Declare it \
             with its default: `[args]` `VERSION = \"dev\"`."
        }
        "SG218" => {
            "A health check time must be a number with a unit, as Docker reads it: `30s`, \
             `1m30s`, `500ms`, `1h`. Wrong: `interval = \"30 seconds\"`."
        }
        "SG219" => {
            "The file makes nothing: no `[preset]` and no `[[stage]]`. Name a preset \
             (`[preset]` `name = \"go\"`), or write your stages; `stagegen init` writes a \
             build.toml for the app in a folder."
        }
        "SG220" => {
            "A key of `[lints]` must be the code or the name of a warning (`SG401` or \
             `root-user`). Errors take no level: what makes them errors would make the output \
             wrong. The levels are `allow` (not reported), `warn` (the default) and `deny` (an \
             error: the command fails)."
        }
        "SG221" => {
            "The file has more stages (over 1,000) or steps (over 100,000) than a build spec may \
             have. The limits keep every pass fast and every Dockerfile one the engine reads; \
             they are in the README's Limits table. Split the build into several specs, or \
             use a workspace (`stagegen.toml`) for many services."
        }
        "SG222" => {
            "A build argument, an environment variable or a preset `build-env` is named after a \
             declared `[secrets]` id. A value passed that way stays in the image's history or \
             config, which is what a build secret avoids. Read the secret from its file in the \
             step that needs it: `{ run = \"npm ci\", secrets = [\"npmrc\"] }`, and drop the \
             argument."
        }
        "SG223" => {
            "A file a preset plans the build from (`go.mod`, `package.json`, `pyproject.toml`, \
             `pom.xml`, ...) is in the build context but cannot be read: it is a folder, larger \
             than 1 MiB, not UTF-8 text, or a link that leads out of the context. Make it a \
             readable UTF-8 file, or remove it."
        }
        "SG302" => {
            "`stagegen init` found no app that a preset knows in the folder: no go.mod, \
             package.json, pyproject.toml/requirements.txt, pom.xml/build.gradle. The message \
             lists what it looked for. Run it in the app's folder, or name one: \
             `stagegen init services/api`."
        }
        "SG303" => {
            "`stagegen init` found apps of several kinds (a go.mod and a package.json, say), or \
             several apps in a monorepo root. It never guesses: choose with `--lang`, or run it \
             in one app's folder."
        }
        "SG304" => {
            "An `init` flag that the chosen preset does not take (`--main` is Go's, `--start` \
             Python's and Node's, `--workspace` Node's). Leave it out, or choose the preset it \
             belongs to with `--lang`."
        }
        "SG305" => {
            "`init --lang` names no preset. The presets are listed in `stagegen init --help`; \
             other names of a preset (`golang`, `py`, `nodejs`) are pointed at it."
        }
        "SG306" => {
            "`system-packages` and `runtime-packages` are Debian package names: lowercase \
             letters, digits and `+-.`, at least two characters, starting with a letter or \
             digit. A name that is not one would be a shell word in `apt-get install`."
        }
        "SG307" => {
            "`runtime-packages` are installed with apt into the final image, and the runtime \
             you chose has no apt (distroless, scratch, alpine). Use `base = \"slim\"` or an \
             image of your own, or copy what you need from a build stage."
        }
        "SG401" => {
            "A warning: the final image runs as root (`user = \"root\"`, `0`, or no user on a \
             base that defaults to root). A compromised app then has the container's full \
             rights. Run as an unprivileged user: `user = \"65532:65532\"`. Allow it with \
             `[lints]` `root-user = \"allow\"`, or fail CI on it with `--deny warnings`."
        }
        "SG402" => {
            "A warning: a build argument or environment variable whose name looks like a \
             secret (`API_TOKEN`, `DB_PASSWORD`; BuildKit's `SecretsUsedInArgOrEnv` check flags \
             the same names). Its value would be kept in the image. Declare it in `[secrets]` \
             and mount it in the step that needs it; if it is no secret, allow it with \
             `[lints]` `secret-like-arg-or-env = \"allow\"`."
        }
        "SG901" => {
            "A member of the workspace (`[workspace] members` in stagegen.toml) lies outside \
             the folder that holds stagegen.toml. Members are folders below the workspace root."
        }
        "SG902" => {
            "A `members` glob of stagegen.toml matches no folder with a build.toml. Fix the \
             pattern (`services/*`), or remove it."
        }
        "SG903" => {
            "`extends` names a template file that does not exist. Paths are relative to the \
             file that extends it."
        }
        "SG904" => {
            "`extends` names a template outside the workspace root. Templates must sit inside \
             the workspace, so that every member builds the same on every machine."
        }
        "SG905" => {
            "Templates that extend each other in a circle (a extends b extends a). Break the \
             circle."
        }
        "SG906" => {
            "Two members of the workspace have one name (by default, their folder's name). Give \
             one a `name` in its build.toml, or rename its folder; `-p NAME` must name one."
        }
        "SG907" => {
            "A template (minijinja) failed to render: a variable that is not defined (undefined \
             is an error, never an empty string), a syntax error, or a filter that does not \
             exist. The label points at the place in the template."
        }
        "SG908" => {
            "`extends` works only in a member of a workspace: a stagegen.toml at or above the \
             file must list its folder in `[workspace] members`."
        }
        _ => return None,
    };
    Some(text)
}

/// Whether `code` has its text (every code of stagegen and of its presets has; a test checks).
pub fn has_text(code: Code) -> bool {
    text_of(code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::codes;

    /// Every code there is: stagegen's own and every preset's.
    fn all_codes() -> Vec<Code> {
        codes::ALL
            .iter()
            .copied()
            .chain(crate::presets::registry::codes())
            .collect()
    }

    #[test]
    fn every_code_of_stagegen_has_its_text() {
        let missing: Vec<&str> = all_codes()
            .into_iter()
            .filter(|c| !has_text(*c))
            .map(|c| c.id)
            .collect();
        assert!(
            missing.is_empty(),
            "codes without an explain text: {missing:?}"
        );
    }

    #[test]
    fn no_two_codes_share_a_text() {
        let mut seen: std::collections::BTreeMap<&str, &str> = Default::default();
        for code in all_codes() {
            let Some(text) = text_of(code) else { continue };
            if let Some(other) = seen.insert(text, code.id) {
                panic!("{other} and {} have one text: {text}", code.id);
            }
        }
    }

    #[test]
    fn a_preset_explains_only_its_own_codes() {
        // Each id is answered by one preset alone, the one whose codes list it.
        for preset in crate::presets::registry::all() {
            let info = preset.info();
            for code in all_codes() {
                let own = info.codes.iter().any(|c| c.id == code.id);
                assert_eq!(
                    (info.explain)(code.id).is_some(),
                    own,
                    "{} explains {}: {own}",
                    info.name,
                    code.id
                );
            }
        }
    }

    #[test]
    fn every_code_has_an_example_from_its_case() {
        // SG000 is stagegen's own bug: no case triggers it on purpose.
        let missing: Vec<&str> = all_codes()
            .into_iter()
            .filter(|c| c.id != "SG000" && example(c.id).is_none())
            .map(|c| c.id)
            .collect();
        assert!(missing.is_empty(), "codes without an example: {missing:?}");
    }

    #[test]
    fn explanations_are_wrapped() {
        assert_eq!(wrap("aa bb cc", 5), "aa bb\ncc\n");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb\n");
        // A backticked value is not broken, unless it is longer than a line.
        assert_eq!(
            wrap("use `base = \"slim\"` here", 16),
            "use\n`base = \"slim\"`\nhere\n"
        );
        assert_eq!(wrap("a `b c d` e", 3), "a\n`b\nc\nd`\ne\n");
        for code in all_codes() {
            let text = wrap(text_of(code).unwrap_or_default(), WIDTH);
            assert!(
                text.lines().all(|l| l.chars().count() <= WIDTH),
                "{}: {text}",
                code.id
            );
        }
    }

    #[test]
    fn an_explanation_shows_the_text_and_the_example() {
        let text = explain(codes::UNKNOWN_STAGE);
        assert!(text.starts_with("SG203 unknown-stage\n\n`from`"), "{text}");
        assert!(text.contains("Example (tests/cases/"), "{text}");
        assert!(text.contains("    error[SG203]: "), "{text}");
    }

    #[test]
    fn a_preset_code_is_explained_by_its_preset() {
        let main_not_found = crate::presets::registry::codes()
            .into_iter()
            .find(|c| c.id == "SG504")
            .expect("the go preset's SG504");
        let text = explain(main_not_found);
        assert!(
            text.starts_with("SG504 go-main-not-found\n\n`main` in `[preset]` names the folder"),
            "{text}"
        );
        assert!(text.contains("    error[SG504]: "), "{text}");
    }
}
