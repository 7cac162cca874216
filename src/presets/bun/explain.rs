//! The `stagegen explain` texts of the Bun preset's codes (SG96x-SG97x): what was found, what
//! would go wrong in the build or the image, and the knob or file that fixes it.

use super::codes;

/// The text of `id`, when it is one of this preset's codes.
pub(super) fn text(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::NO_PACKAGE_JSON.id => {
            "The Bun preset builds the app whose `package.json` is at the root of the build \
             context, and there is none, so there is nothing to install or start. Create it \
             with `bun init`, or point `context` at the app's folder."
        }
        id if id == codes::INVALID_PACKAGE_JSON.id => {
            "The app's `package.json` is not valid JSON (a trailing comma, a comment, a missing \
             quote), so neither stagegen nor `bun install` can read it. The message gives the \
             line and column; fix the file (`bun pm pkg get name` shows whether bun reads it)."
        }
        id if id == codes::INVALID_VERSION.id => {
            "The Bun version (`version` in `[preset]`, package.json's `packageManager: \
             bun@...`, `.bun-version`, `.tool-versions` or mise's file) becomes the tag of the \
             `oven/bun` images, and it is not one such an image has: a pre-release, a range or \
             a word. Write a Bun 1 version: `1`, a minor line `1.2`, or a release `1.2.23`."
        }
        id if id == codes::VERSION_UNSATISFIABLE.id => {
            "With no version named elsewhere, the preset takes the newest Bun line that \
             `engines.bun` in package.json allows, and the range allows none that has an \
             `oven/bun` image (`^0.8`, `^2`). Widen `engines.bun` to allow Bun 1 (`>=1.1`), \
             or set `version = \"1\"` in `[preset]`."
        }
        id if id == codes::NO_START.id => {
            "The preset found no way to start the app: no `start` knob, no `start` script, no \
             `dev` script running a file, no `main` or `module` in package.json, and no entry \
             file such as `index.ts` or `src/index.ts`. Add a script, \
             `\"start\": \"bun src/index.ts\"`, or set `start = [\"bun\", \"src/index.ts\"]` in \
             `[preset]`."
        }
        id if id == codes::EMPTY_START_WORD.id => {
            "`start` is the command the image runs, as a list of words, and it is empty or has \
             a blank word, which would be an empty argument of the container's command. Write \
             the command: `start = [\"bun\", \"src/index.ts\"]`."
        }
        id if id == codes::NO_SUCH_SCRIPT.id => {
            "`build` in `[preset]` names a script that package.json's `scripts` does not have, \
             so `bun run` would fail in the build stage. The help lists the scripts there are; \
             write one of them, or add the script to package.json."
        }
        id if id == codes::NO_BUN_ON_SCRATCH.id => {
            "`base = \"scratch\"` is an empty image, and a Bun app needs the bun runtime to run. \
             Remove `base` (the default is `oven/bun:<tag>-distroless`, or \
             `oven/bun:<tag>-slim` when the app needs a shell or apt), or use \
             `base = \"slim\"` or `base = \"distroless\"` in `[runtime]`."
        }
        id if id == codes::START_NEEDS_SHELL.id => {
            "The start command is `bun run start`, which runs the package.json script with a \
             shell (the `start` script is not a plain `bun <file>`), and the distroless image \
             has no shell. Use `base = \"slim\"` in `[runtime]` (or remove `base`: the \
             default falls back to slim for such a start, and says so), or set \
             `start = [\"bun\", \"src/index.ts\"]` in `[preset]` to run bun directly."
        }
        id if id == codes::OUTPUT_OUTSIDE_APP.id => {
            "`output` is the folder the build script writes, which the final image copies from \
             the build stage, and it is not a folder inside the app (`../dist`, `/dist`, `.`). \
             Write it relative to the app: `output = \"dist\"`."
        }
        id if id == codes::OTHER_PACKAGE_MANAGER.id => {
            "package.json's `packageManager` names another tool (`pnpm@9.12.0`), so the app \
             says it is installed with that one, and the Bun preset installs with bun; its \
             lock file would not be used. Use `name = \"node\"` in `[preset]` to install with \
             that tool and run the app on Node, or set `packageManager` to `bun@<version>` and \
             run `bun install`."
        }
        id if id == codes::NO_APT_IN_BUILDER.id => {
            "`system-packages` are Debian packages installed with apt in the builder, and with \
             `base = \"alpine\"` the builder is `oven/bun:<tag>-alpine`, which has no apt. Use \
             `base = \"slim\"` or `base = \"distroless\"` in `[runtime]` (their builder is \
             Debian), or remove `system-packages`."
        }
        id if id == codes::PROCFILE_NEEDS_SHELL.id => {
            "The Procfile's `web` (or lone `worker`) process is the start command, and its line \
             uses shell syntax (`$PORT`, `&&`, a pipe), so it would run with `sh -c`; the \
             distroless image has no shell. Use `base = \"slim\"` in `[runtime]` (or remove \
             `base`: the default falls back to slim for such a line), or write the process \
             without shell syntax: `web: bun src/index.ts`, where `Bun.serve` reads `PORT` \
             itself."
        }
        id if id == codes::PROCFILE_CANNOT_RUN.id => {
            "The Procfile's process is the start command, and it names something bun cannot \
             run in the final image: a script package.json does not have, or a program that is \
             not in the image. Write the process as `bun <file>` or `bun run <script>`, or set \
             `start = [\"bun\", \"<file>\"]` in `[preset]`, which wins over the Procfile."
        }
        _ => return None,
    };
    Some(text)
}
