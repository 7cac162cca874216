//! The `stagegen explain` texts of the Node preset's codes (SG7xx) and of the `[frontend]`
//! builder it provides (SG73x): what was found, what would go wrong in the build or the image,
//! and the knob or file that fixes it.

use super::codes;

/// The text of `id`, when it is one of this preset's codes.
pub(super) fn text(id: &str) -> Option<&'static str> {
    package(id)
        .or_else(|| app(id))
        .or_else(|| image(id))
        .or_else(|| procfile(id))
        .or_else(|| frontend(id))
}

/// The texts of the codes about the package, its Node version, its package manager and its
/// workspace.
fn package(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::NO_PACKAGE_JSON.id => {
            "The Node preset builds the app whose `package.json` is at the root of the build \
             context, and there is none, so there is nothing to install or start. Create it \
             with `npm init`, or point `context` at the app's folder."
        }
        id if id == codes::INVALID_PACKAGE_JSON.id => {
            "The app's `package.json` is not valid JSON (a trailing comma, a comment, a missing \
             quote), so neither stagegen nor npm can read its scripts and dependencies. The \
             message gives the line and column; fix the file (`npm pkg get name` shows whether \
             npm reads it)."
        }
        id if id == codes::INVALID_VERSION.id => {
            "`version` in `[preset]` names the Node line of the images (`node:<major>`, \
             distroless `nodejs<major>`), and the value is not a Node version the preset reads: \
             a bare codename such as `iron` (it reads `lts/iron`), `system` or a word. Images \
             are tagged by major version: write `version = \"22\"`."
        }
        id if id == codes::INVALID_VERSION_FILE.id => {
            "The app's `.nvmrc` or `.node-version` names something the preset cannot map to a \
             Node image, such as `system` (nvm's own Node) or a bare codename, so the build's \
             Node is unknown. Write a \
             version such as `22` in the file, or set `version = \"22\"` in `[preset]`, which \
             wins over it."
        }
        id if id == codes::ENGINES_UNSATISFIABLE.id => {
            "With no `version` knob and no version file, the preset takes the newest Node LTS \
             line that `engines.node` in package.json allows, and the range allows none of \
             them (the message lists the lines). Widen `engines.node` (`\">=20\"`), or set \
             `version = \"22\"` in `[preset]`."
        }
        id if id == codes::SEVERAL_LOCK_FILES.id => {
            "The app has the lock files of more than one package manager \
             (`package-lock.json` and `pnpm-lock.yaml`, say), and neither `package-manager` nor \
             package.json's `packageManager` says which one installs. One of them is likely \
             stale. Delete the lock files you do not use, or set `package-manager = \"npm\"` (or \
             `pnpm`, `yarn`, `bun`) in `[preset]`."
        }
        id if id == codes::UNSUPPORTED_PACKAGE_MANAGER.id => {
            "The package manager (`package-manager` in `[preset]`, or package.json's \
             `packageManager`) is not one the preset drives: it installs with npm, pnpm, Yarn \
             and Bun. A single workspace package (`workspace`) builds with npm, pnpm or Yarn \
             only, since Bun's frozen install reads every package's manifest. Use one of those, \
             or write the stages yourself with `[[stage]]`."
        }
        id if id == codes::INVALID_PACKAGE_MANAGER.id => {
            "The package manager's version (`pnpm@<version>` in `package-manager` or \
             `packageManager`) is installed with `npm install -g` at exactly that version, so \
             it must be an exact version, not a range such as `^9.12`; an empty name is refused \
             too. Write `pnpm@9.12.0`, or the name alone."
        }
        id if id == codes::NO_LOCK_FILE.id => {
            "The package manager the app uses has no lock file in the context, while another \
             manager's lock file is there (`package-lock.json` next to `packageManager: \
             pnpm@9`, say). A frozen install needs its own lock file, and an unfrozen one \
             would ignore the versions the other pins. Run the manager's install (`pnpm \
             install`) and commit its lock file, or set `package-manager` to the one whose \
             lock file you have."
        }
        id if id == codes::YARN_WITHOUT_WORKSPACE_TOOLS.id => {
            "Building one package of a Yarn 2 or 3 workspace installs only its dependencies \
             with `yarn workspaces focus`, which comes from the workspace-tools plugin, and \
             `.yarnrc.yml` does not list it, so the install would fail. Run \
             `yarn plugin import workspace-tools` and commit `.yarn/plugins/` and \
             `.yarnrc.yml`, or move to Yarn 4 (`yarn set version stable`), which has `focus` \
             built in."
        }
        id if id == codes::NOT_A_WORKSPACE.id => {
            "`workspace` in `[preset]` picks one package of a workspace to build, and the app \
             is not one: package.json has no `workspaces` and there is no \
             `pnpm-workspace.yaml`. Declare the packages (`\"workspaces\": [\"packages/*\"]`), \
             or remove `workspace` to build the app at the root."
        }
        id if id == codes::UNKNOWN_WORKSPACE_PACKAGE.id => {
            "`workspace` names neither the folder nor the package name of one of the \
             workspace's packages (those its `workspaces` patterns or `pnpm-workspace.yaml` \
             match). The help lists the packages there are; write one of their folders, \
             relative to the root: `workspace = \"packages/api\"`."
        }
        id if id == codes::WHICH_WORKSPACE_PACKAGE.id => {
            "The app is a workspace whose root does not say how it starts (no `start` script, \
             no `main`), so the image must be one of its packages, and stagegen does not guess \
             which. Choose it with `workspace = \"packages/api\"` in `[preset]` \
             (`stagegen init --workspace packages/api`); the help lists the packages that \
             start."
        }
        _ => return None,
    };
    Some(text)
}

/// The texts of the codes about the app's scripts, its start and its image.
fn app(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::NO_SUCH_SCRIPT.id => {
            "`build` in `[preset]` names a script that package.json's `scripts` does not have, \
             so `npm run` would fail in the build stage. The help lists the scripts there are; \
             write one of them, or add the script to package.json."
        }
        id if id == codes::NO_TEST_SCRIPT.id => {
            "`test = true` asks for a `test` stage that runs the app's `test` script, and \
             package.json has none, so the stage would have nothing to run. Add a `test` \
             script, or remove `test` (without it, the stage is made when the script exists)."
        }
        id if id == codes::OUTPUT_OUTSIDE_APP.id => {
            "The build output folder (`output` in `[preset]`, or tsconfig's `outDir`) is what \
             the final image copies from the build stage, and it is not a folder inside the \
             app (`../dist`, `/dist`, `.`). Write the folder the build writes, relative to the \
             app: `output = \"dist\"`."
        }
        id if id == codes::EMPTY_START_WORD.id => {
            "`start` is the command the image runs, as a list of words, and it is empty or has \
             an empty word, which would be an empty argument of the container's command. Write \
             the command: `start = [\"node\", \"dist/server.js\"]`."
        }
        id if id == codes::NO_START.id => {
            "The preset found no way to start the app: no `start` knob, no `start` script it \
             can run (the help says why the script could not be used, such as a program that \
             no dependency provides), no framework it knows, no `main` in package.json and no \
             entry file such as `index.js` or `src/server.js`. Set the command: `start = [\"node\", \"dist/server.js\"]` in \
             `[preset]`, or `main` in package.json."
        }
        id if id == codes::STATIC_WITHOUT_BUILD.id => {
            "`serve = \"static\"` serves the build output with a web server instead of running \
             Node, and package.json has no build script to write that output. Add a `build` \
             script (or name yours with `build = \"...\"`); a site with no build step is the \
             `static` preset's (`name = \"static\"`)."
        }
        id if id == codes::SVELTEKIT_ADAPTER.id => {
            "The SvelteKit app uses a platform adapter (`adapter-auto`, `adapter-vercel`, \
             `adapter-netlify`, ...), whose build is for a hosting platform, not a server a \
             container runs. Install `@sveltejs/adapter-node` \
             (`npm i -D @sveltejs/adapter-node`) and import it in svelte.config.js instead; \
             its build, `build/`, runs with `node build`."
        }
        id if id == codes::WORKSPACE_OUTSIDE_CONTEXT.id => {
            "The workspace's patterns (package.json `workspaces` or `pnpm-workspace.yaml`) \
             name packages outside the build context (`../shared/*`, an absolute path). A \
             build sees only its context, so the install would miss them. Move the packages \
             into the workspace, or set `context` in build.toml to the folder that holds them \
             all."
        }
        id if id == codes::WORKSPACE_TOO_LARGE.id => {
            "The workspace's patterns match more than 1000 package folders, more than stagegen \
             reads for one build (the limit keeps the planning fast and bounded). Build a part \
             of the monorepo as a context of its own, or narrow the patterns."
        }
        _ => return None,
    };
    Some(text)
}

/// The texts of the codes about the final image: distroless, scratch, apt, the web server.
fn image(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::NO_DISTROLESS_IMAGE.id => {
            "`base = \"distroless\"` runs the app on distroless `nodejs<major>`, and there is no \
             such image for the Node line the app uses; the help lists the lines distroless \
             has. Choose one of them with `version` in `[preset]` (or the app's version file), \
             or use `base = \"slim\"` in `[runtime]`. Without `base`, such an app runs on \
             `node:<major>-slim` and the plan says why; only an explicit `distroless` is an \
             error."
        }
        id if id == codes::NO_NODE_ON_SCRATCH.id => {
            "`base = \"scratch\"` is an empty image, and a Node app needs the Node runtime to \
             run. Remove `base` (the default is distroless `nodejs<major>`, or `node:<major>-slim` \
             when the app needs a shell or apt), or use `base = \"slim\"` or \
             `base = \"distroless\"` in `[runtime]`."
        }
        id if id == codes::NO_APT_IN_BUILDER.id => {
            "`system-packages` are Debian packages installed with apt in the builder, and with \
             `base = \"alpine\"` the builder is `node:<major>-alpine`, which has no apt. Use \
             `base = \"slim\"` or `base = \"distroless\"` in `[runtime]` (their builder is \
             Debian), or remove `system-packages`."
        }
        id if id == codes::STATIC_SITE_BASE.id => {
            "The app is a static site (its framework's build writes files, or \
             `serve = \"static\"`), served by nginx, and `base` names a flavour of Node's \
             runtime (`slim`, `distroless`, `alpine`), which is no web server for it. Remove \
             `base` (the site runs on nginx-unprivileged), name a web server image of your \
             own, or set `serve = \"node\"` in `[preset]` if the app runs a server of its own."
        }
        id if id == codes::START_NEEDS_SHELL.id => {
            "The start command does not run `node` itself (a shell script, a `start` knob \
             whose first word is not `node`, a dependency's `.bin` launcher, which runs through \
             `/usr/bin/env`), and the distroless image has neither a shell nor `/usr/bin/env`, \
             so the container would not start. Use `base = \"slim\"` \
             in `[runtime]` (or remove `base`: the default falls back to slim for such a \
             start, and says so), or set `start = [\"node\", \"server.js\"]` in `[preset]` \
             to run node directly."
        }
        id if id == codes::NATIVE_MODULE_NEEDS_APT.id => {
            "A dependency is a native module that compiles against system libraries or needs \
             them at run time (`canvas` needs cairo, pango and others), which the preset \
             installs with apt, and the image that needs them has no apt (the builder and final \
             image of `base = \"alpine\"`, or a distroless final image). Use `base = \"slim\"` in `[runtime]` (Debian's builder and runtime), or an \
             image of your own with apt. Without `base`, an app whose modules load such \
             libraries runs on `node:<major>-slim`, and the plan says why."
        }
        _ => return None,
    };
    Some(text)
}

/// The texts of the codes about a Procfile's process as the start command.
fn procfile(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::PROCFILE_NEEDS_SHELL.id => {
            "The Procfile's `web` (or lone `worker`) process is the start command, and its line \
             uses shell syntax (`$PORT`, `&&`, a pipe), so it would run with `sh -c`; the \
             distroless image has no shell. Use `base = \"slim\"` in `[runtime]` (or remove \
             `base`: the default falls back to slim for such a line), or write the process \
             without shell syntax: `web: node server.js`, where the app reads \
             `process.env.PORT` itself."
        }
        id if id == codes::PROCFILE_CANNOT_RUN.id => {
            "The Procfile's process is the start command, and it names something the final \
             image cannot run: a dev dependency (the image keeps production dependencies \
             only), a script package.json does not have, or a program that is not in the \
             image. Write the process as `node <file>`, a production dependency's binary, or \
             `npm start` whose script is `node <file>`; or set `start = [\"node\", \"<file>\"]` \
             in `[preset]`, which wins over the Procfile."
        }
        _ => return None,
    };
    Some(text)
}

/// The texts of the `[frontend]` builder's codes (SG73x).
fn frontend(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::FRONTEND_NO_PACKAGE_JSON.id => {
            "`[frontend] dir` must be the folder of the frontend's package.json, relative to \
             the build context, and that folder has none, so there is nothing to install or \
             build. Write the frontend's folder: `dir = \"web\"`."
        }
        id if id == codes::FRONTEND_INVALID_PACKAGE_JSON.id => {
            "The frontend's package.json (in `[frontend] dir`) is not valid JSON, so its \
             scripts and dependencies cannot be read. The message gives the line and column; \
             fix the file (`npm pkg get name` shows whether npm reads it)."
        }
        id if id == codes::FRONTEND_NO_BUILD_SCRIPT.id => {
            "`[frontend]` builds the frontend with its `build` script (or the one `build` \
             names) and copies what it writes into the final image, and the frontend's \
             package.json has no such script. Add one that writes the static files \
             (`\"build\": \"vite build\"`), or name yours with `build = \"...\"`."
        }
        id if id == codes::FRONTEND_OUTPUT_OUTSIDE.id => {
            "`[frontend] output` is the folder the frontend's build writes, which is copied to \
             `to` in the final image, and it is not a folder inside `dir` (`.`, `..`, an \
             absolute path). Write it relative to `dir`: `output = \"dist\"`."
        }
        _ => return None,
    };
    Some(text)
}
