//! The driver runs the pipeline: read the file, parse, validate, resolve, optimize. It owns the
//! source file and collects the diagnostics; the CLI only asks it for results. May import every
//! phase; nothing imports it but the CLI.

use std::path::{Path, PathBuf};

use crate::config::{Document, TomlBuild};
use crate::diagnostics::{codes, Diagnostic};
use crate::ir::BuildGraph;
use crate::optimize::{optimize, Options};
use crate::project::ProjectFiles;
use crate::resolve::{resolve, ResolveOptions};
use crate::source::SourceFile;

/// Files larger than this are refused: a build spec is a few kilobytes.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Why a run failed.
#[derive(Debug)]
pub enum Failure {
    /// The user's input has problems (exit 1). Warnings may be among them.
    Invalid {
        file: SourceFile,
        diagnostics: Vec<Diagnostic>,
    },
    /// A file could not be read or written (exit 2).
    Io(String),
}

/// A validated, parsed spec.
#[derive(Debug)]
pub struct Loaded {
    pub file: SourceFile,
    pub doc: Document,
    pub build: TomlBuild,
    /// The folder that holds the spec.
    pub dir: PathBuf,
    /// Warnings (no errors, or it would not have loaded).
    pub warnings: Vec<Diagnostic>,
}

/// A compiled build.
#[derive(Debug)]
pub struct Compiled {
    pub loaded: Loaded,
    pub graph: BuildGraph,
}

/// How `path` should be shown in messages: as the user gave it.
fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// Read the text of a spec, turning unreadable bytes into diagnostics.
pub fn read_source(path: &Path) -> Result<SourceFile, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::Io(format!(
            "cannot read `{}`: {}",
            path.display(),
            io_reason(&e)
        ))
    })?;
    source_from_bytes(display_name(path), bytes)
}

/// A source file from raw bytes: refused (exit 1) when too large or not UTF-8.
pub fn source_from_bytes(name: String, bytes: Vec<u8>) -> Result<SourceFile, Failure> {
    if bytes.len() > MAX_FILE_BYTES {
        let file = SourceFile::new(name, "");
        let d = Diagnostic::error(
            codes::TOO_LARGE,
            format!(
                "the file is {} bytes; a build spec may be at most {MAX_FILE_BYTES} bytes",
                bytes.len()
            ),
        )
        .help("a build.toml is a few kilobytes: is this the right file?");
        return Err(Failure::Invalid {
            file,
            diagnostics: vec![d],
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Offsets in the lossy text match the original up to the first invalid byte.
            let file = SourceFile::new(name, text);
            let d = Diagnostic::error(codes::NOT_UTF8, "the file is not valid UTF-8")
                .at(valid..valid + 1, "invalid byte here")
                .help("save the file as UTF-8");
            Err(Failure::Invalid {
                file,
                diagnostics: vec![d],
            })
        }
    }
}

/// Parse and validate a source file.
pub fn load_source(file: SourceFile, dir: PathBuf) -> Result<Loaded, Failure> {
    let doc = match Document::parse(&file) {
        Ok(doc) => doc,
        Err(diagnostics) => return Err(Failure::Invalid { file, diagnostics }),
    };
    let (build, diagnostics) = crate::validate::validate(&doc);
    match build {
        Some(build) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(Loaded {
            file,
            doc,
            build,
            dir,
            warnings: diagnostics,
        }),
        _ => Err(Failure::Invalid { file, diagnostics }),
    }
}

/// Read, parse and validate the spec at `path`.
pub fn load(path: &Path) -> Result<Loaded, Failure> {
    let file = read_source(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    load_source(file, dir)
}

/// What the caller wants compiled.
#[derive(Debug, Default, Clone)]
pub struct CompileOptions {
    /// `--target`.
    pub target: Option<String>,
    /// Files stagegen writes (the Dockerfile), to leave out of the build context.
    pub outputs: Vec<PathBuf>,
}

impl Loaded {
    /// The build context folder.
    pub fn context_dir(&self) -> PathBuf {
        match &self.build.context {
            Some(c) => self.dir.join(c),
            None => self.dir.clone(),
        }
    }
}

/// Compile a loaded spec to the optimized IR.
pub fn compile_loaded(loaded: Loaded, options: &CompileOptions) -> Result<Compiled, Failure> {
    let context = loaded.context_dir();
    let spec_name = loaded.file.name().to_string();
    let mut own_files = Vec::new();
    for path in std::iter::once(PathBuf::from(&spec_name)).chain(options.outputs.iter().cloned()) {
        if let Some(rel) = relative_to(&path, &context) {
            own_files.push(rel);
        }
    }
    own_files.push(".dockerignore".to_string());
    if let Some(target) = &options.target {
        let names = crate::validate::all_stages(&loaded.build);
        if !names.contains(&target.as_str()) {
            let hint = match crate::validate::did_you_mean(target, names.iter().copied()) {
                Some(m) => format!(" (did you mean `{m}`?)"),
                None => String::new(),
            };
            return Err(Failure::Io(format!(
                "--target `{target}` is not a stage of `{spec_name}`{hint}; the stages are: {}",
                names.join(", ")
            )));
        }
    }
    let resolve_options = ResolveOptions {
        target: options.target.as_deref(),
        own_files,
    };
    let files = ProjectFiles::new(&context);
    let mut graph = match resolve(&loaded.build, &loaded.doc, &files, &resolve_options) {
        Ok(graph) => graph,
        Err(mut diagnostics) => {
            diagnostics.extend(loaded.warnings.iter().cloned());
            return Err(Failure::Invalid {
                file: loaded.file,
                diagnostics,
            });
        }
    };
    optimize(
        &mut graph,
        &Options {
            prune_to_target: options.target.is_some(),
        },
    );
    Ok(Compiled { loaded, graph })
}

/// Run the whole pipeline on raw bytes, as if they were `name` in folder `dir`, and render
/// every output: diagnostics, or the Dockerfile, .dockerignore and plan. The entry point of the
/// fuzz target; never panics.
pub fn compile_bytes_to_text(name: &str, bytes: Vec<u8>, dir: &Path) -> String {
    let result = source_from_bytes(name.to_string(), bytes)
        .and_then(|file| load_source(file, dir.to_path_buf()))
        .and_then(|loaded| compile_loaded(loaded, &CompileOptions::default()));
    match result {
        Ok(compiled) => {
            let mut out = crate::emit::dockerfile::render(&compiled.graph, name);
            out.push_str(&crate::emit::dockerignore::render(&compiled.graph, name));
            out.push_str(&crate::emit::plan::render(&compiled.graph));
            out
        }
        Err(Failure::Invalid { file, diagnostics }) => {
            let mut out = crate::diagnostics::render_human(&file, &diagnostics);
            out.push_str(&crate::diagnostics::render_json(&file, &diagnostics));
            out
        }
        Err(Failure::Io(message)) => message,
    }
}

/// `stagegen init`: detect the app in `dir` and render its build.toml, then compile that text
/// exactly as `stagegen dockerfile` would, so what init writes is known to work.
pub fn init_app(
    dir: &Path,
    request: &crate::init::InitRequest,
) -> Result<crate::init::InitOutput, String> {
    let output = crate::init::init(dir, request).map_err(|diagnostics| {
        let file = SourceFile::new(dir.display().to_string(), "");
        crate::diagnostics::render_human(&file, &diagnostics)
    })?;
    let file = SourceFile::new("build.toml", output.text.clone());
    let checked = load_source(file, dir.to_path_buf())
        .and_then(|l| compile_loaded(l, &CompileOptions::default()));
    match checked {
        Ok(_) => Ok(output),
        Err(Failure::Invalid { file, diagnostics }) => Err(format!(
            "the build.toml stagegen would write does not compile:\n{}",
            crate::diagnostics::render_human(&file, &diagnostics)
        )),
        Err(Failure::Io(message)) => Err(message),
    }
}

/// Read, validate, resolve and optimize the spec at `path`.
pub fn compile(path: &Path, options: &CompileOptions) -> Result<Compiled, Failure> {
    compile_loaded(load(path)?, options)
}

/// `path` relative to `base` as a `.dockerignore` pattern, when it lies inside it.
fn relative_to(path: &Path, base: &Path) -> Option<String> {
    let abs = |p: &Path| std::path::absolute(p).ok().map(normalize);
    let (path, base) = (abs(path)?, abs(base)?);
    let rel = path.strip_prefix(&base).ok()?;
    let text = rel.to_str()?.replace('\\', "/");
    (!text.is_empty()).then_some(text)
}

fn normalize(path: PathBuf) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string().to_lowercase(),
    }
}

/// Write `text` to `path` atomically (a temporary file in the same folder, then a rename).
/// Refuses to replace a file stagegen did not write unless `force`.
pub fn write_output(path: &Path, text: &str, force: bool) -> Result<(), String> {
    if let Ok(existing) = std::fs::read(path) {
        let head = String::from_utf8_lossy(&existing[..existing.len().min(4096)]).into_owned();
        if !force && !crate::emit::is_generated(&head) {
            return Err(format!(
                "refusing to overwrite `{}`: stagegen did not write it (pass `--force` to replace it)",
                path.display()
            ));
        }
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .map_err(|e| format!("cannot write in `{}`: {}", dir.display(), io_reason(&e)))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o644);
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode));
    }
    std::io::Write::write_all(&mut tmp, text.as_bytes())
        .map_err(|e| format!("cannot write `{}`: {}", path.display(), io_reason(&e)))?;
    tmp.persist(path)
        .map_err(|e| format!("cannot write `{}`: {}", path.display(), io_reason(&e.error)))?;
    Ok(())
}
