//! The driver runs the whole pipeline: read the file, parse, validate, resolve, optimize, emit,
//! and writes or compares the output files (through [`crate::output`], the one overwrite rule).
//! It owns the source file and collects the diagnostics; the CLI only maps its results to exit
//! codes and streams. [`render`] is the one path from a loaded spec to the rendered outputs, used
//! by every command and by the fuzz target ([`compile_bytes_to_text`]). May import every phase;
//! nothing imports it but the CLI.

use std::path::{Path, PathBuf};

use crate::config::{Document, TomlBuild};
use crate::diagnostics::{codes, Diagnostic};
use crate::ir::BuildGraph;
use crate::optimize::{optimize, Options};
use crate::output::{self, Planned, Policy, WriteError};
use crate::project::ProjectFiles;
use crate::resolve::{resolve, ResolveOptions};
use crate::schema::SchemaKind;
use crate::source::SourceFile;
use crate::workspace::{Member, Workspace};

/// The code with this id (`SG203`) or name (`unknown-stage`), among stagegen's own and every
/// preset's.
pub fn find_code(id_or_name: &str) -> Option<crate::diagnostics::Code> {
    all_codes()
        .into_iter()
        .find(|c| c.id.eq_ignore_ascii_case(id_or_name) || c.name == id_or_name)
}

/// Every code: stagegen's own, then each preset's.
pub fn all_codes() -> Vec<crate::diagnostics::Code> {
    codes::ALL
        .iter()
        .copied()
        .chain(crate::presets::registry::codes())
        .collect()
}

/// Files larger than this are refused: a build spec is a few kilobytes.
pub const MAX_FILE_BYTES: usize = crate::limits::MAX_SPEC_BYTES;

/// Why a run failed.
#[derive(Debug)]
pub enum Failure {
    /// The user's input has problems (exit 1). Warnings may be among them.
    Invalid {
        file: SourceFile,
        diagnostics: Vec<Diagnostic>,
    },
    /// `--target` names no stage of the spec: a usage error (exit 2).
    UnknownTarget {
        target: String,
        /// The spec's name, as the user gave it.
        spec: String,
        /// Every stage the spec makes, in order.
        stages: Vec<String>,
        /// The stage closest to `target`, when one is close enough to be a typo.
        suggestion: Option<String>,
    },
    /// A command line value that cannot be used (exit 2).
    Usage {
        message: String,
        help: Option<String>,
    },
    /// `init` cannot describe the app: none found, several, or a flag that does not fit (exit 1).
    Init {
        /// The app's folder, as the user gave it.
        dir: String,
        diagnostics: Vec<Diagnostic>,
    },
    /// A file could not be read (exit 2).
    Io(String),
    /// An output file was refused or could not be written (exit 2); nothing was written.
    Output(WriteError),
    /// `stagegen build`: no engine to build with (exit 2), or the build failed (exit 1).
    Build(Box<crate::engine::EngineError>),
    /// A problem with a file of the user's that has no spans to show (`stagegen.lock`), or a
    /// lock that cannot be made or is out of date (exit 1).
    Problem { message: String, help: String },
    /// `stagegen build --plan`: the plan cannot be built (exit 1).
    BadPlan(Box<crate::plan_file::PlanError>),
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

/// Read the text of a spec, turning unreadable bytes into diagnostics. The size is checked
/// before reading (from the metadata of a regular file), and at most one byte past the limit is
/// ever read, so `-f /dev/zero` or a huge file is refused without filling memory.
pub fn read_source(path: &Path) -> Result<SourceFile, Failure> {
    let cannot = |e: std::io::Error| {
        Failure::Io(format!(
            "cannot read `{}`: {}",
            path.display(),
            io_reason(&e)
        ))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.is_file() && meta.len() > MAX_FILE_BYTES as u64 {
        return Err(too_large(display_name(path), &meta.len().to_string()));
    }
    let (bytes, longer) = crate::limits::read_at_most(file, MAX_FILE_BYTES).map_err(cannot)?;
    if longer {
        return Err(too_large(
            display_name(path),
            &format!("more than {MAX_FILE_BYTES}"),
        ));
    }
    source_from_bytes(display_name(path), bytes)
}

/// The spec `name` is `size` bytes: more than a spec may be.
fn too_large(name: String, size: &str) -> Failure {
    let file = SourceFile::new(name, "");
    let d = Diagnostic::error(
        codes::TOO_LARGE,
        format!("the file is {size} bytes; a build spec may be at most {MAX_FILE_BYTES} bytes"),
    )
    .help("a build.toml is a few kilobytes: is this the right file?");
    Failure::Invalid {
        file,
        diagnostics: vec![d],
    }
}

/// A source file from raw bytes: refused (exit 1) when too large or not UTF-8.
pub fn source_from_bytes(name: String, bytes: Vec<u8>) -> Result<SourceFile, Failure> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(name, &bytes.len().to_string()));
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

/// Parse and validate a source file that is not a workspace member.
pub fn load_source(file: SourceFile, dir: PathBuf) -> Result<Loaded, Failure> {
    let (file, doc) = parse_source(file)?;
    load_document(file, doc, dir)
}

/// Parse a source file that is not a workspace member.
fn parse_source(file: SourceFile) -> Result<(SourceFile, Document), Failure> {
    let doc = match Document::parse(&file) {
        Ok(doc) => doc,
        Err(diagnostics) => return Err(Failure::Invalid { file, diagnostics }),
    };
    if doc.place("/extends").is_some() {
        let d = Diagnostic::error(
            codes::EXTENDS_WITHOUT_WORKSPACE,
            "`extends` works only in a member of a workspace",
        )
        .at(
            doc.key_span("/extends"),
            "no stagegen.toml lists this folder",
        )
        .help(format!(
            "add a `{}` at the repository's root with `[workspace] members` listing this folder",
            crate::config::WORKSPACE_FILE
        ));
        return Err(Failure::Invalid {
            file,
            diagnostics: vec![d],
        });
    }
    Ok((file, doc))
}

/// Validate a parsed document (`file` holds the text its spans point into).
pub fn load_document(file: SourceFile, doc: Document, dir: PathBuf) -> Result<Loaded, Failure> {
    let validated = crate::validate::validate_all(&doc);
    let mut diagnostics = validated.diagnostics;
    match validated.build {
        Some(build) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(Loaded {
            file,
            doc,
            build,
            dir,
            warnings: diagnostics,
        }),
        _ => {
            if let Some((rest, rest_doc)) = &validated.rest {
                // One message per mistake: a line that has an error already says what is
                // wrong there (`dir = "../web"` outside the context need not be told missing too).
                let line =
                    |d: &Diagnostic| d.primary.as_ref().map(|l| file.line_index(l.span.start));
                let taken: Vec<usize> = diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .filter_map(line)
                    .collect();
                let found = preset_problems(rest, rest_doc, &dir);
                diagnostics.extend(
                    found
                        .into_iter()
                        .filter(|d| line(d).is_none_or(|l| !taken.contains(&l))),
                );
                diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            }
            Err(Failure::Invalid { file, diagnostics })
        }
    }
}

/// What the preset (and `[frontend]`) find in the app for a file that has other errors: its
/// knobs read against the app's files, so that one run shows those mistakes too. The preset is
/// planned alone, without the stages of the file (their errors are already reported, and a
/// stage that refers to nothing would stop the plan); only the preset's own findings (SG3xx
/// and the preset blocks) are kept.
fn preset_problems(rest: &TomlBuild, doc: &Document, dir: &Path) -> Vec<Diagnostic> {
    if rest.preset.is_none() && rest.frontend.is_none() {
        return Vec::new();
    }
    let mut alone = rest.clone();
    alone.stage.clear();
    alone.target = None;
    if let Some(runtime) = &mut alone.runtime {
        runtime.settings.steps.clear();
    }
    let context = match &alone.context {
        Some(c) => dir.join(c),
        None => dir.to_path_buf(),
    };
    let files = ProjectFiles::new(&context);
    let options = ResolveOptions {
        target: None,
        own_files: Vec::new(),
        labels: Vec::new(),
        app_dir: relative_to(dir, &context),
    };
    match resolve(&alone, doc, &files, &options) {
        Ok(_) => Vec::new(),
        Err(found) => found
            .into_iter()
            .filter(|d| d.code.id >= "SG300" && d.is_error())
            .collect(),
    }
}

/// Read, parse and validate the spec at `path`: with its workspace's layers when a
/// `stagegen.toml` at or above it lists its folder as a member.
pub fn load(path: &Path) -> Result<Loaded, Failure> {
    load_spec(&Spec::file(path))
}

/// `-f -`: the spec is read from stdin, and called this in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// Which spec a command reads, and where from.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// `-f`: a path, or `-` for stdin.
    pub path: PathBuf,
    /// `--context`: the folder the spec is read as if it sat in (its `context` key and every
    /// path in it are relative to this). `None`: the spec's own folder, or for stdin the
    /// current folder.
    pub context: Option<PathBuf>,
    /// `STAGEGEN_SET` and `--set`: values laid over the spec's, last.
    pub overrides: Vec<crate::config::overrides::Override>,
}

impl Spec {
    /// The spec in the file at `path`, in its own folder.
    pub fn file(path: &Path) -> Spec {
        Spec {
            path: path.to_path_buf(),
            ..Spec::default()
        }
    }

    /// Whether it is read from stdin (`-f -`).
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }

    /// The folder the spec's paths are relative to.
    pub fn dir(&self) -> PathBuf {
        if let Some(dir) = &self.context {
            return dir.clone();
        }
        match self.path.parent() {
            Some(d) if !self.is_stdin() && !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }
}

/// Read, parse and validate `spec`.
pub fn load_spec(spec: &Spec) -> Result<Loaded, Failure> {
    let dir = spec.dir();
    if spec.context.is_some() && !dir.is_dir() {
        return Err(Failure::Usage {
            message: format!("`--context {}` is not a folder", dir.display()),
            help: Some(
                "pass the folder the spec's paths are relative to: `--context path/to/app`"
                    .to_string(),
            ),
        });
    }
    let (file, doc) = parse_spec(spec, &dir).map_err(|f| suggest_init(spec, f))?;
    let (file, doc) = crate::config::overrides::apply(file, doc, &spec.overrides)
        .map_err(|(file, diagnostics)| Failure::Invalid { file, diagnostics })?;
    load_document(file, doc, dir)
}

/// A `build.toml` that is not there: `stagegen init` writes one.
fn suggest_init(spec: &Spec, failure: Failure) -> Failure {
    let missing = matches!(&failure, Failure::Io(_))
        && !spec.is_stdin()
        && spec.path.file_name() == Some(std::ffi::OsStr::new("build.toml"))
        && std::fs::symlink_metadata(&spec.path).is_err();
    let Failure::Io(message) = failure else {
        return failure;
    };
    if !missing {
        return Failure::Io(message);
    }
    let init = match spec.path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            format!(
                "`stagegen init {}` writes one for the app there",
                dir.display()
            )
        }
        _ => "`stagegen init` writes one for the app in this folder".to_string(),
    };
    Failure::Usage {
        message,
        help: Some(format!(
            "{init}; or name the spec with `-f path/to/build.toml`"
        )),
    }
}

/// Read and parse `spec` (from stdin, as a workspace member with its layers, or alone).
fn parse_spec(spec: &Spec, dir: &Path) -> Result<(SourceFile, Document), Failure> {
    if spec.is_stdin() {
        return parse_source(read_stdin()?);
    }
    let path = spec.path.as_path();
    if spec.context.is_none() {
        if let Some(root) = crate::workspace::find(dir) {
            let ws = load_workspace(&root)?;
            if let Some(member) = ws.member_of(path) {
                return layer_member(&ws, member, path);
            }
        }
    }
    parse_source(read_source(path)?)
}

/// The spec on stdin, read up to one byte past the limit (so a larger one is refused as such).
fn read_stdin() -> Result<SourceFile, Failure> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_FILE_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    std::io::stdin()
        .lock()
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Failure::Io(format!(
                "cannot read the spec from stdin: {}",
                io_reason(&e)
            ))
        })?;
    source_from_bytes(STDIN_NAME.to_string(), bytes)
}

/// Read and check the workspace whose `stagegen.toml` is in folder `root`.
pub fn load_workspace(root: &Path) -> Result<Workspace, Failure> {
    let path = crate::workspace::under(root, crate::config::WORKSPACE_FILE);
    let file = read_source(&path)?;
    crate::workspace::load(root, file)
        .map_err(|(file, diagnostics)| Failure::Invalid { file, diagnostics })
}

/// The workspace at or above folder `start`, for `--all` and `-p`.
pub fn find_workspace(start: &Path) -> Result<Workspace, Failure> {
    match crate::workspace::find(start) {
        Some(root) => load_workspace(&root),
        None => Err(Failure::Usage {
            message: format!(
                "no `{}` at or above `{}`",
                crate::config::WORKSPACE_FILE,
                start.display()
            ),
            help: Some(
                "`--all` and `-p` work in a workspace: a stagegen.toml with `[workspace] members = [\"services/*\"]`"
                    .to_string(),
            ),
        }),
    }
}

/// Load `member` of `ws` from its spec at `path` (as the user named it), its layers merged.
pub fn load_member(
    ws: &Workspace,
    member: &Member,
    path: &Path,
    dir: PathBuf,
) -> Result<Loaded, Failure> {
    let (bundle, doc) = layer_member(ws, member, path)?;
    let (bundle, doc) = crate::config::overrides::apply(bundle, doc, &ws.overrides)
        .map_err(|(file, diagnostics)| Failure::Invalid { file, diagnostics })?;
    load_document(bundle, doc, dir)
}

/// `member`'s layers read from its spec at `path` and merged.
fn layer_member(
    ws: &Workspace,
    member: &Member,
    path: &Path,
) -> Result<(SourceFile, Document), Failure> {
    let file = read_source(path)?;
    crate::workspace::member::layered(ws, member, file)
        .map_err(|(file, diagnostics)| Failure::Invalid { file, diagnostics })
}

/// Where `--all` writes a member's Dockerfile: `<member>/Dockerfile` (and `.dockerignore`
/// beside it) when the member builds with its own folder as the context, else
/// `<context>/<name>.Dockerfile` (and `<name>.Dockerfile.dockerignore`), where Docker reads
/// them when it builds that context.
pub fn member_dockerfile(loaded: &Loaded, member: &Member) -> PathBuf {
    let context = loaded.context_dir();
    if same_dir(&context, &loaded.dir) {
        return loaded.dir.join("Dockerfile");
    }
    tidy(&context).join(format!("{}.Dockerfile", member.name))
}

/// `member`'s Dockerfile and ignore file, rendered for where `--all` writes them.
pub fn render_member(ws: &Workspace, member: &Member) -> Result<Outputs, Failure> {
    let loaded = load_member(ws, member, &member.spec, member.dir.clone())?;
    let path = member_dockerfile(&loaded, member);
    let request = RenderRequest {
        dockerfile: true,
        ignore: true,
        dockerfile_path: Some(path),
        ..RenderRequest::default()
    };
    render(loaded, &request)
}

/// [`render_member`] of each of `members`, in their order. Members are independent once the
/// workspace is read, so they are rendered on a few threads (as many as the machine has cores,
/// at most [`MAX_THREADS`]); each result lands in its member's slot, so the order of the
/// results, and of every diagnostic the caller reports from them, is the members' order
/// whatever the threads' timing. Nothing is written here.
pub fn render_members(ws: &Workspace, members: &[&Member]) -> Vec<Result<Outputs, Failure>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(MAX_THREADS)
        .min(members.len());
    if threads <= 1 {
        return members.iter().map(|m| render_member(ws, m)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(member) = members.get(i) else {
                return done;
            };
            done.push((i, render_member(ws, member)));
        }
    };
    let mut slots: Vec<Option<Result<Outputs, Failure>>> = std::iter::repeat_with(|| None)
        .take(members.len())
        .collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        for handle in handles {
            // A panic in a member's thread is the same bug it would be on the main thread.
            let done = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (i, result) in done {
                slots[i] = Some(result);
            }
        }
    });
    // Every index below `members.len()` was taken by exactly one thread.
    slots.into_iter().flatten().collect()
}

/// The most threads [`render_members`] starts: past a few, reading the members' files, not
/// compiling them, is what waits.
pub const MAX_THREADS: usize = 8;

/// A workspace-wide file: `docker-bake.json` or `compose.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkspaceFile {
    Bake,
    Compose,
}

impl WorkspaceFile {
    /// Its name, in the workspace root.
    pub fn file_name(self) -> &'static str {
        match self {
            WorkspaceFile::Bake => "docker-bake.json",
            WorkspaceFile::Compose => "compose.yaml",
        }
    }
}

/// What a workspace-wide command renders: every member's outputs (its Dockerfile and ignore
/// file, which the bake or compose file names), each member's failure, and the file itself
/// (only when every member compiled).
#[derive(Debug)]
pub struct WorkspaceOutputs {
    pub members: Vec<Outputs>,
    pub failures: Vec<Failure>,
    pub file: Option<Rendered>,
}

/// Render every member of `ws` and, when all compile, the bake or compose file at `path`.
pub fn render_workspace(ws: &Workspace, kind: WorkspaceFile, path: PathBuf) -> WorkspaceOutputs {
    let mut members = Vec::new();
    let mut failures = Vec::new();
    let mut builds = Vec::new();
    let root = std::path::absolute(&ws.root).map(normalize).ok();
    let all: Vec<&Member> = ws.members.iter().collect();
    for (member, result) in ws.members.iter().zip(render_members(ws, &all)) {
        match result {
            Ok(outputs) => {
                if let Some(path) = outputs.dockerfile.as_ref().and_then(|d| d.path.clone()) {
                    let context = path.parent().map(Path::to_path_buf).unwrap_or_default();
                    let dockerfile = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let context = root
                        .as_deref()
                        .and_then(|r| relative_to(&context, r))
                        .unwrap_or_else(|| ".".to_string());
                    builds.push(crate::resolve::member_build(
                        &member.name,
                        context,
                        dockerfile,
                        &outputs.build,
                        outputs.graph.clone(),
                    ));
                }
                members.push(outputs);
            }
            Err(failure) => failures.push(failure),
        }
    }
    let file = failures.is_empty().then(|| {
        let build = crate::ir::WorkspaceBuild { members: builds };
        let source = ws.file.name();
        let text = match kind {
            WorkspaceFile::Bake => crate::emit::bake::render(&build, source),
            WorkspaceFile::Compose => crate::emit::compose::render(&build, source),
        };
        Rendered {
            path: Some(path),
            text,
        }
    });
    WorkspaceOutputs {
        members,
        failures,
        file,
    }
}

/// `path` with `dir/..` pairs taken out, as far as that needs no file system.
fn tidy(path: &Path) -> PathBuf {
    let mut out: Vec<std::path::Component<'_>> = Vec::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if matches!(out.last(), Some(std::path::Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// What the caller wants compiled.
#[derive(Debug, Default, Clone)]
pub struct CompileOptions {
    /// `--target`.
    pub target: Option<String>,
    /// Files stagegen writes (the Dockerfile), to leave out of the build context.
    pub outputs: Vec<PathBuf>,
    /// Leave the images as the spec names them, even with a `stagegen.lock` beside it
    /// (`stagegen lock` needs them so).
    pub unpinned: bool,
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
    // The spec itself is left out of the context, unless it came from stdin.
    let spec_path = (spec_name != STDIN_NAME).then(|| PathBuf::from(&spec_name));
    for path in spec_path.into_iter().chain(options.outputs.iter().cloned()) {
        if let Some(rel) = relative_to(&path, &context) {
            own_files.push(rel);
        }
    }
    own_files.push(".dockerignore".to_string());
    let lock_path = loaded.dir.join(crate::lock::LOCK_FILE);
    if lock_path.is_file() {
        if let Some(rel) = relative_to(&lock_path, &context) {
            own_files.push(rel);
        }
    }
    if let Some(target) = &options.target {
        let names = crate::validate::all_stages(&loaded.build);
        if !names.contains(&target.as_str()) {
            return Err(Failure::UnknownTarget {
                target: target.clone(),
                suggestion: crate::validate::did_you_mean(target, names.iter().copied())
                    .map(str::to_string),
                stages: names.iter().map(|n| n.to_string()).collect(),
                spec: spec_name,
            });
        }
    }
    let wanted = loaded
        .build
        .runtime
        .as_ref()
        .map(|r| r.oci_labels.clone())
        .unwrap_or_default();
    let resolve_options = ResolveOptions {
        target: options.target.as_deref(),
        own_files,
        labels: crate::provenance::labels(&loaded.dir, &wanted)?,
        app_dir: relative_to(&loaded.dir, &context),
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
    graph.context.clone_from(&loaded.build.context);
    if !options.unpinned {
        let lock = crate::lock::read(&loaded.dir).map_err(|e| Failure::Problem {
            message: e.message,
            help: e.help,
        })?;
        if let Some(lock) = lock {
            crate::lock::pin(&mut graph, &lock);
        }
    }
    Ok(Compiled { loaded, graph })
}

/// What a command needs rendered, and where its files go.
#[derive(Debug, Default, Clone)]
pub struct RenderRequest {
    /// `--target`.
    pub target: Option<String>,
    /// Render the Dockerfile.
    pub dockerfile: bool,
    /// Render its ignore file.
    pub ignore: bool,
    /// Render the JSON plan.
    pub plan: bool,
    /// Where the Dockerfile is written or compared; its ignore file goes where the engine reads
    /// it ([`ignore_file_for`]). `None`: stdout.
    pub dockerfile_path: Option<PathBuf>,
    /// Where the plan is written. `None`: stdout.
    pub plan_path: Option<PathBuf>,
}

/// One rendered output, and the file it belongs in (`None`: it goes to stdout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub path: Option<PathBuf>,
    pub text: String,
}

/// A spec compiled and the outputs its command asked for.
#[derive(Debug)]
pub struct Outputs {
    pub file: SourceFile,
    /// Warnings (no errors, or it would not have compiled).
    pub warnings: Vec<Diagnostic>,
    /// How many stages the optimized graph has.
    pub stages: usize,
    /// Their names, in the order they are built.
    pub stage_names: Vec<String>,
    /// The build context folder.
    pub context: PathBuf,
    /// The optimized graph.
    pub graph: BuildGraph,
    /// The spec, as validated.
    pub build: TomlBuild,
    pub dockerfile: Option<Rendered>,
    pub ignore: Option<Rendered>,
    pub plan: Option<Rendered>,
}

impl Outputs {
    /// The outputs that go to files, in the order they are checked and written.
    pub fn files(&self) -> impl Iterator<Item = (&Path, &str)> {
        [&self.dockerfile, &self.ignore, &self.plan]
            .into_iter()
            .flatten()
            .filter_map(|r| r.path.as_deref().map(|p| (p, r.text.as_str())))
    }
}

/// Where the engine reads the ignore file of the Dockerfile at `dockerfile`, built with the
/// context `context`: `<context>/.dockerignore` when it is `<context>/Dockerfile` (every builder
/// reads that), else `<dockerfile>.dockerignore` beside it, which BuildKit reads before the
/// context's `.dockerignore` (stagegen's Dockerfiles need BuildKit anyway). A `.dockerignore`
/// beside a Dockerfile in a subfolder would never be read.
pub fn ignore_file_for(dockerfile: &Path, context: &Path) -> PathBuf {
    let dir = match dockerfile.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if dockerfile.file_name() == Some(std::ffi::OsStr::new("Dockerfile")) && same_dir(dir, context)
    {
        return dockerfile.with_file_name(".dockerignore");
    }
    let mut name = dockerfile.as_os_str().to_os_string();
    name.push(".dockerignore");
    PathBuf::from(name)
}

/// The one path from a loaded spec to its outputs: resolve, optimize, then emit what `request`
/// asks for. Every command and the fuzz target go through it.
pub fn render(loaded: Loaded, request: &RenderRequest) -> Result<Outputs, Failure> {
    let context = loaded.context_dir();
    let ignore_path = request
        .dockerfile_path
        .as_deref()
        .filter(|_| request.ignore)
        .map(|p| ignore_file_for(p, &context));
    let options = CompileOptions {
        target: request.target.clone(),
        outputs: [&request.dockerfile_path, &ignore_path, &request.plan_path]
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
        unpinned: false,
    };
    let compiled = compile_loaded(loaded, &options)?;
    // The headers name the spec by its file name, wherever it was found.
    let full_name = compiled.loaded.file.name();
    let name = Path::new(full_name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| full_name.to_string());
    let graph = &compiled.graph;
    let dockerfile = request.dockerfile.then(|| Rendered {
        path: request.dockerfile_path.clone(),
        text: crate::emit::dockerfile::render(graph, &name),
    });
    let ignore = request.ignore.then(|| Rendered {
        path: ignore_path,
        text: crate::emit::dockerignore::render(graph, &name),
    });
    let plan = request.plan.then(|| {
        let text = match &request.plan_path {
            // The context, said from the plan file's folder, so the plan builds from there.
            Some(path) => {
                let mut graph = graph.clone();
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let from_plan = path_from(dir, &context);
                graph.context = (from_plan != ".").then_some(from_plan);
                crate::emit::plan::render(&graph)
            }
            None => crate::emit::plan::render(graph),
        };
        Rendered {
            path: request.plan_path.clone(),
            text,
        }
    });
    Ok(Outputs {
        stages: graph.stages.len(),
        stage_names: graph.stages.iter().map(|s| s.name.clone()).collect(),
        context,
        graph: compiled.graph,
        file: compiled.loaded.file,
        build: compiled.loaded.build,
        warnings: compiled.loaded.warnings,
        dockerfile,
        ignore,
        plan,
    })
}

/// `stagegen plan --explain`: where each value of `spec` came from, with the preset's choices
/// (it is compiled for them, so a spec that does not compile fails as `plan` would); and its
/// warnings, with the file they point into.
pub fn explain_spec(
    spec: &Spec,
) -> Result<
    (
        crate::config::provenance::Provenance,
        SourceFile,
        Vec<Diagnostic>,
    ),
    Failure,
> {
    use crate::config::provenance::{explain, Kinds};
    let loaded = load_spec(spec)?;
    let workspace = (!spec.is_stdin() && spec.context.is_none())
        .then(|| crate::workspace::find(&spec.dir()))
        .flatten()
        .and_then(|root| load_workspace(&root).ok());
    let member = workspace
        .as_ref()
        .and_then(|ws| ws.member_of(&spec.path).map(|m| m.name.clone()));
    let ws_name = workspace.as_ref().map(|ws| ws.file.name().to_string());
    let (file, doc) = (loaded.file.clone(), loaded.doc.clone());
    let compiled = compile_loaded(loaded, &CompileOptions::default())?;
    let kinds = Kinds {
        member: member.as_deref(),
        workspace_file: ws_name.as_deref().filter(|_| member.is_some()),
    };
    let provenance = explain(&file, &doc, kinds, &compiled.graph.detected);
    Ok((provenance, compiled.loaded.file, compiled.loaded.warnings))
}

/// Read the spec at `path` and [`render`] it.
pub fn render_file(path: &Path, request: &RenderRequest) -> Result<Outputs, Failure> {
    render_spec(&Spec::file(path), request)
}

/// Read `spec` and [`render`] it.
pub fn render_spec(spec: &Spec, request: &RenderRequest) -> Result<Outputs, Failure> {
    render(load_spec(spec)?, request)
}

/// Write every output that has a path, all or none, under the one overwrite rule: a file
/// stagegen did not write is replaced only with `force`, and only regular files ever.
pub fn write_outputs(outputs: &Outputs, force: bool) -> Result<Vec<PathBuf>, Failure> {
    write_all_outputs(std::slice::from_ref(outputs), force)
}

/// [`write_outputs`] for the outputs of several specs (`--all`): all files or none.
pub fn write_all_outputs(all: &[Outputs], force: bool) -> Result<Vec<PathBuf>, Failure> {
    write_files(all.iter().flat_map(Outputs::files).collect(), force)
}

/// [`write_files`] for a workspace (`--all`, `bake`, `compose`): a file that already holds
/// exactly the bytes stagegen would write is left as it is (so a re-run that changes nothing
/// syncs nothing to disk); the others are written all or none. Returns the files written and
/// how many were already up to date.
pub fn write_changed_files(
    files: Vec<(&Path, &str)>,
    force: bool,
) -> Result<(Vec<PathBuf>, usize), Failure> {
    let total = files.len();
    let changed: Vec<(&Path, &str)> = files
        .into_iter()
        .filter(|(path, text)| {
            // A file that cannot be read as a regular file is left to the write, which says why.
            !matches!(
                output::read_prefix(path, text.len().saturating_add(1)),
                Ok(Some((bytes, false))) if bytes == text.as_bytes()
            )
        })
        .collect();
    let unchanged = total - changed.len();
    if changed.is_empty() {
        return Ok((Vec::new(), unchanged));
    }
    Ok((write_files(changed, force)?, unchanged))
}

/// Write `files` (path and text), all or none, under the one overwrite rule.
pub fn write_files(files: Vec<(&Path, &str)>, force: bool) -> Result<Vec<PathBuf>, Failure> {
    let planned: Vec<Planned<'_>> = files
        .into_iter()
        .map(|(path, text)| Planned {
            path,
            text: text.as_bytes(),
            policy: Policy::Generated { force },
        })
        .collect();
    output::write_all(&planned).map_err(|e| {
        let e = match e.kind {
            output::ErrorKind::NotRegular => e.with_help(
                "stagegen writes only regular files, even with `--force`; to print to stdout, leave out `-o` or pass `-o -`",
            ),
            _ => e,
        };
        Failure::Output(e)
    })?;
    Ok(planned.iter().map(|p| p.path.to_path_buf()).collect())
}

/// A file on disk that differs from what stagegen renders for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub path: PathBuf,
    /// What is there (at most [`DRIFT_SLACK`] bytes more than `want`); `None`: no file.
    pub on_disk: Option<String>,
    /// The file holds more than `on_disk` shows.
    pub longer: bool,
    /// The file is not text (it holds a NUL or bytes that are not UTF-8).
    pub binary: bool,
    pub want: String,
}

/// How much more than stagegen's own text `--check` reads of a file, to show what was added.
const DRIFT_SLACK: usize = 64 << 10;

/// `--check`: every output that has a path, compared with the file on disk. Each file is read
/// only when it is a regular file, and only up to the length stagegen would write and
/// [`DRIFT_SLACK`] more. Returns the files that differ.
pub fn drift(outputs: &Outputs) -> Result<Vec<Drift>, Failure> {
    drift_files(outputs.files())
}

/// [`drift`] for any files stagegen renders (path and text).
pub fn drift_files<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a str)>,
) -> Result<Vec<Drift>, Failure> {
    let mut drifted = Vec::new();
    for (path, want) in files {
        let found = output::read_prefix(path, want.len().saturating_add(DRIFT_SLACK))
            .map_err(Failure::Output)?;
        let (on_disk, longer, binary) = match found {
            Some((bytes, longer)) => {
                // A NUL, or bytes that are not UTF-8 (bar a character cut at the end of what
                // was read): not a text file, and no diff to show.
                let binary = bytes.contains(&0)
                    || std::str::from_utf8(&bytes)
                        .is_err_and(|e| e.error_len().is_some() || !longer);
                let text = String::from_utf8_lossy(&bytes).into_owned();
                (Some(text), longer, binary)
            }
            None => (None, false, false),
        };
        if longer || on_disk.as_deref() != Some(want) {
            drifted.push(Drift {
                path: path.to_path_buf(),
                on_disk,
                longer,
                binary,
                want: want.to_string(),
            });
        }
    }
    Ok(drifted)
}

/// Run the whole pipeline on raw bytes, as if they were `name` in folder `dir`, and render
/// every output: diagnostics, or the Dockerfile, .dockerignore and plan. The entry point of the
/// fuzz target; never panics. Goes through [`render`], as the commands do.
pub fn compile_bytes_to_text(name: &str, bytes: Vec<u8>, dir: &Path) -> String {
    let request = RenderRequest {
        dockerfile: true,
        ignore: true,
        plan: true,
        ..RenderRequest::default()
    };
    let result = source_from_bytes(name.to_string(), bytes)
        .and_then(|file| load_source(file, dir.to_path_buf()))
        .and_then(|loaded| render(loaded, &request));
    match result {
        Ok(outputs) => [outputs.dockerfile, outputs.ignore, outputs.plan]
            .into_iter()
            .flatten()
            .map(|r| r.text)
            .collect(),
        Err(Failure::Invalid { file, diagnostics }) => {
            let mut out = crate::diagnostics::render_human(&file, &diagnostics);
            out.push_str(&crate::diagnostics::render_json(&file, &diagnostics));
            out
        }
        Err(other) => format!("{other:?}"),
    }
}

/// Where `stagegen init` puts the build.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitDestination {
    /// Print it (`--stdout`).
    Stdout,
    /// Write `DIR/build.toml`: created only if no file of that name exists, checked again
    /// atomically as it is created, or with `force` replacing any regular file.
    File { force: bool },
}

/// What `stagegen init` did.
#[derive(Debug)]
pub struct Initialized {
    pub output: crate::init::InitOutput,
    /// The file written, for [`InitDestination::File`].
    pub written: Option<PathBuf>,
    /// The editor schema written beside it, when none was found up the folder tree.
    pub schema_written: Option<PathBuf>,
    /// The editor schema the `#:schema` line names, when stagegen wrote it for another version.
    pub stale_schema: Option<PathBuf>,
}

/// `stagegen init`: detect the app in `dir` and render its build.toml, compile that text
/// exactly as `stagegen dockerfile` would (so what init writes is known to work), then write it.
pub fn init_app(
    dir: &Path,
    request: &crate::init::InitRequest,
    destination: InitDestination,
) -> Result<Initialized, Failure> {
    if !dir.is_dir() {
        return Err(Failure::Usage {
            message: format!("`{}` is not a folder", dir.display()),
            help: Some("name the app's folder: `stagegen init path/to/app`".to_string()),
        });
    }
    if let Some(schema) = &request.schema {
        check_schema_flag(schema)?;
    }
    let editor = editor_schema(dir, request);
    let mut request = request.clone();
    request.schema = Some(editor.line.clone());
    let request = &request;
    let path = dir.join("build.toml");
    let exists_help = "pass `--force` to replace it, or `--stdout` to print";
    // Said before detection starts; checked again, atomically, as the file is created.
    if destination == (InitDestination::File { force: false })
        && std::fs::symlink_metadata(&path).is_ok()
    {
        return Err(Failure::Io(format!(
            "`{}` exists: {exists_help}",
            path.display()
        )));
    }
    let output = crate::init::init(dir, request).map_err(|diagnostics| Failure::Init {
        dir: dir.display().to_string(),
        diagnostics,
    })?;
    let file = SourceFile::new("build.toml", output.text.clone());
    let checked = load_source(file, dir.to_path_buf())
        .and_then(|l| compile_loaded(l, &CompileOptions::default()));
    match checked {
        Ok(_) => {}
        Err(Failure::Invalid { file, diagnostics }) => {
            let message = format!(
                "internal error: the build.toml stagegen would write does not compile:\n{}",
                crate::diagnostics::render_human(&file, &diagnostics)
            );
            return Err(Failure::Init {
                dir: dir.display().to_string(),
                diagnostics: vec![Diagnostic::error(codes::INTERNAL, message)],
            });
        }
        Err(other) => return Err(other),
    }
    let InitDestination::File { force } = destination else {
        return Ok(Initialized {
            output,
            written: None,
            schema_written: None,
            stale_schema: editor.stale,
        });
    };
    let mut planned = vec![Planned {
        path: &path,
        text: output.text.as_bytes(),
        policy: if force {
            Policy::Replace
        } else {
            Policy::CreateNew
        },
    }];
    let schema_text = crate::schema::install::editor_schema_text(SchemaKind::Build);
    if let Some(schema) = &editor.to_write {
        planned.push(Planned {
            path: schema,
            text: schema_text.as_bytes(),
            policy: Policy::Generated { force: false },
        });
    }
    let written = match &editor.to_write {
        Some(schema) => {
            crate::schema::install::write_creating_folder(schema.parent().unwrap_or(dir), &planned)
        }
        None => output::write_all(&planned),
    };
    written.map_err(|e| match e.kind {
        output::ErrorKind::Exists => Failure::Output(e.with_help(exists_help)),
        _ => Failure::Output(e),
    })?;
    Ok(Initialized {
        output,
        written: Some(path),
        schema_written: editor.to_write,
        stale_schema: editor.stale,
    })
}

/// The `#:schema` line init writes, and the editor schema it needs.
struct EditorSchema {
    /// The line's target.
    line: String,
    /// `DIR/.stagegen/build.schema.json`, to write beside build.toml (none was found).
    to_write: Option<PathBuf>,
    /// The schema found, when stagegen wrote it for another version.
    stale: Option<PathBuf>,
}

/// `--schema` wins; else the nearest installed schema up the folder tree, by a path relative to
/// `dir` (taplo resolves it from the file's folder, offline); else a new one in `dir`.
fn editor_schema(dir: &Path, request: &crate::init::InitRequest) -> EditorSchema {
    use crate::schema::install::{find_build_schema, installed_path, is_stale};
    if let Some(line) = &request.schema {
        return EditorSchema {
            line: line.clone(),
            to_write: None,
            stale: None,
        };
    }
    match find_build_schema(dir) {
        Some(found) => EditorSchema {
            line: schema_line_target(dir, &found),
            stale: is_stale(&found, SchemaKind::Build).then_some(found),
            to_write: None,
        },
        None => {
            let path = installed_path(dir, SchemaKind::Build);
            EditorSchema {
                line: schema_line_target(dir, &path),
                to_write: Some(path),
                stale: None,
            }
        }
    }
}

/// The `#:schema` value that reaches `schema` from a build.toml in `dir`: `./...` or `../...`.
fn schema_line_target(dir: &Path, schema: &Path) -> String {
    let relative = path_from(dir, schema);
    if relative.starts_with("../") {
        relative
    } else {
        format!("./{relative}")
    }
}

/// `init --schema`: the value goes on the file's first line, `#:schema <value>`, a TOML comment.
/// A line break would end the comment and inject TOML; other control characters are not allowed
/// in a TOML comment at all.
fn check_schema_flag(schema: &str) -> Result<(), Failure> {
    let bad = schema
        .chars()
        .find(|&c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}'));
    let message = match bad {
        Some(c) => format!(
            "`--schema` holds the control character U+{:04X}; it must fit on the `#:schema` line",
            u32::from(c)
        ),
        None if schema.trim().is_empty() => "`--schema` is empty".to_string(),
        None => return Ok(()),
    };
    Err(Failure::Usage {
        message,
        help: Some(format!(
            "pass a URL or a path to build.schema.json, e.g. `--schema {}`",
            crate::init::SCHEMA_URL
        )),
    })
}

/// Read, validate, resolve and optimize the spec at `path`.
pub fn compile(path: &Path, options: &CompileOptions) -> Result<Compiled, Failure> {
    compile_loaded(load(path)?, options)
}

/// How to reach `to` from the folder `from`, `/`-separated (`.`, `app`, `../app`).
pub fn path_from(from: &Path, to: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).map(normalize).unwrap_or_default();
    let (from, to) = (abs(from), abs(to));
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
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

/// Whether `a` and `b` name the same folder (through symlinks, when both exist).
fn same_dir(a: &Path, b: &Path) -> bool {
    // The same name is the same folder, without asking the file system.
    if a == b {
        return true;
    }
    let key = |p: &Path| {
        std::fs::canonicalize(p)
            .ok()
            .or_else(|| std::path::absolute(p).ok().map(normalize))
    };
    matches!((key(a), key(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ignore_file_is_where_the_engine_reads_it() {
        let context = tempfile::tempdir().expect("tempdir");
        let c = context.path();
        std::fs::create_dir(c.join("ci")).expect("mkdir");
        let at = |p: &str| ignore_file_for(&c.join(p), c);
        assert_eq!(at("Dockerfile"), c.join(".dockerignore"));
        assert_eq!(at("ci/../Dockerfile"), c.join("ci/../.dockerignore"));
        assert_eq!(at("ci/Dockerfile"), c.join("ci/Dockerfile.dockerignore"));
        assert_eq!(
            at("Dockerfile.prod"),
            c.join("Dockerfile.prod.dockerignore")
        );
        // Outside the context: beside it, where BuildKit looks first.
        let elsewhere = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            ignore_file_for(&elsewhere.path().join("Dockerfile"), c),
            elsewhere.path().join("Dockerfile.dockerignore")
        );
    }

    #[test]
    fn a_path_is_said_from_another_folder() {
        assert_eq!(path_from(Path::new("/a/b"), Path::new("/a/b")), ".");
        assert_eq!(path_from(Path::new("/a/b"), Path::new("/a/b/c")), "c");
        assert_eq!(
            path_from(Path::new("/a/b/x"), Path::new("/a/b/c/./d")),
            "../c/d"
        );
        assert_eq!(path_from(Path::new("/a/b/c"), Path::new("/a")), "../..");
    }

    #[test]
    fn a_schema_flag_must_fit_on_one_comment_line() {
        for bad in [
            "a\nb",
            "a\rb",
            "a\u{0}",
            "a\u{7f}",
            "a\u{85}",
            "a\u{2029}",
            "",
            "  ",
        ] {
            assert!(check_schema_flag(bad).is_err(), "{bad:?}");
        }
        for good in [
            "./schemas/build.schema.json",
            crate::init::SCHEMA_URL,
            "a b",
        ] {
            assert!(check_schema_flag(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn the_schema_line_is_relative_to_the_build_toml() {
        let root = Path::new("/p");
        let schema = crate::schema::install::installed_path(root, SchemaKind::Build);
        assert_eq!(
            schema_line_target(root, &schema),
            "./.stagegen/build.schema.json"
        );
        assert_eq!(
            schema_line_target(&root.join("services/api"), &schema),
            "../../.stagegen/build.schema.json"
        );
    }
}
