//! The `stagegen explain` texts of the Go preset's codes (SG5xx): what was found, what would go
//! wrong in the build or the image, and the knob or file that fixes it.

use super::codes;

/// The text of `id`, when it is one of this preset's codes.
pub(super) fn text(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::NO_MODULE.id => {
            "The Go preset builds a Go module, and the build context has neither a `go.mod` nor \
             a `go.work` at its root, nor a `package main` there to build in GOPATH mode. \
             Without one, `go build` has no module to build. Create the module with \
             `go mod init <module path>`, or point `context` at the folder that holds `go.mod`."
        }
        id if id == codes::INVALID_VERSION.id => {
            "The Go version (`version` in `[preset]`, or read from go.mod's `toolchain` or `go` \
             line, `.tool-versions` or mise's file) becomes the builder image's tag, \
             `golang:<version>`, so it may hold only letters, digits, `.` and `-`. Write a \
             version such as `version = \"1.22\"`, or fix the line it was read from."
        }
        id if id == codes::NO_VENDOR.id => {
            "`vendor = true` builds with `-mod=vendor` and downloads nothing, but the build \
             context has no `vendor/` folder, so `go build` would fail. Run `go mod vendor` \
             and keep `vendor/` in the context, or remove `vendor` to download the modules in \
             the build."
        }
        id if id == codes::MAIN_NOT_FOUND.id => {
            "`main` in `[preset]` names the folder of the `package main` to build, and that \
             folder is not in the build context; `go build` would find no package there. The \
             help lists the main packages stagegen found; write one of them, relative to the \
             context: `main = \"./cmd/api\"`."
        }
        id if id == codes::NO_MAIN_PACKAGE.id => {
            "stagegen looks for a `package main` at the module's root and in the folders under \
             `cmd/`, and found none, so it does not know which program the image runs (a \
             module of libraries only builds no program). Name the folder of your main \
             package: `main = \"./path/to/main\"` in `[preset]`, or \
             `stagegen init --main ./path/to/main`."
        }
        id if id == codes::SEVERAL_MAIN_PACKAGES.id => {
            "The module (or the modules of a go.work workspace) has more than one main package, \
             at the root or under `cmd/`, and an image runs one program, so stagegen does not \
             guess which. Choose it with `main = \"./cmd/api\"` in `[preset]` (or \
             `stagegen init --main ./cmd/api`); build the others with a build.toml each."
        }
        id if id == codes::INVALID_BINARY.id => {
            "`binary` is the name of the program the build writes and the image runs (by \
             default the main package's folder, or the module's last path element). It goes \
             into the `go build -o` path and the image's command, so it may hold only letters, \
             digits, `-`, `_` and `.`: `binary = \"api\"`."
        }
        id if id == codes::INVALID_TAG.id => {
            "Each entry of `tags` is passed to `go build -tags`, and Go build tags are made of \
             letters, digits, `_` and `.`; a space or a comma would split one tag into \
             several, or be a shell word. Give each tag as its own string: \
             `tags = [\"netgo\", \"osusergo\"]`."
        }
        id if id == codes::CGO_ON_SCRATCH.id => {
            "With `cgo = true` the binary links against the C library at run time, and a \
             `scratch` image holds no files at all, so the program would not start. Use \
             `base = \"distroless\"` in `[runtime]` (it has glibc), or turn `cgo` off to build a \
             static binary that runs on `scratch`."
        }
        id if id == codes::PROCFILE_RUNS_NO_PROGRAM.id => {
            "The app's Procfile starts its `web` process (or its lone `worker`) with a command \
             that is not one of the programs the module builds, such as `go run .`; the image \
             has only the compiled binary and no Go toolchain, so the command would fail. Start \
             the process with the program of a main package (the help names it, e.g. \
             `web: bin/hello`), or remove the Procfile."
        }
        id if id == codes::PROCFILE_NEEDS_SHELL.id => {
            "The Procfile's command uses shell syntax (`$PORT`, `&&`, a pipe), which only a \
             shell can run, and the final image has none (`distroless` or `scratch`). Use \
             `base = \"alpine\"` or `base = \"slim\"` in `[runtime]`, or drop the shell syntax: a \
             Go program reads `PORT` itself with `os.Getenv(\"PORT\")`."
        }
        _ => return None,
    };
    Some(text)
}
