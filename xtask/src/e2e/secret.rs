//! The secret check (issue 13): build specs that use a build secret with
//! `--secret id=<id>,src=FILE` holding a fresh random value, then scan every layer tar of the
//! final image (`docker save`), its history (`docker history --no-trunc`) and its config
//! (`docker image inspect`) for the value. It must occur nowhere.
//!
//! So that a clean scan means something, the first spec also writes a second random value, a
//! build argument, into a file of the image: the scan must find that one in a layer; and it
//! records the secret's length, which must be the length of the value given (the secret was
//! mounted).
//!
//! The specs: `xtask/specs/secret/build.toml` (stages of its own), and
//! `xtask/specs/secret-go.build.toml` on a copy of examples/go-http (the Go preset's `secrets`).

use std::io::Read;
use std::path::PathBuf;

use crate::engine::BuildRequest;
use crate::scan;

use super::report::Report;
use super::{compile, Compiled, Ctx};

struct Spec {
    /// `secret` or `secret-go`
    label: &'static str,
    secret_id: &'static str,
    compiled: Compiled,
    /// whether the image records the marker and the secret's length (the control)
    control: bool,
}

pub struct Job {
    specs: Vec<Spec>,
}

impl Job {
    pub fn images(&self) -> impl Iterator<Item = &String> {
        self.specs
            .iter()
            .flat_map(|s| s.compiled.images.images.iter())
    }
}

pub fn prepare(ctx: &Ctx, r: &mut Report) -> Option<Job> {
    let specs_dir = ctx.repo.join("xtask/specs");
    let mut specs = Vec::new();

    let dir = ctx.work.join("secret").join("ctx");
    if let Err(e) = crate::tools::copy_tree(&specs_dir.join("secret"), &dir, &[]) {
        r.fail(e);
        return None;
    }
    if let Some(compiled) = compile(
        ctx,
        r,
        "secret: stagegen dockerfile",
        &dir.join("build.toml"),
        &dir,
    ) {
        specs.push(Spec {
            label: "secret",
            secret_id: "token",
            compiled,
            control: true,
        });
    }

    let dir = ctx.work.join("secret-go").join("ctx");
    if let Err(e) = crate::tools::copy_tree(
        &ctx.repo.join("examples/go-http"),
        &dir,
        &["build.toml", "Dockerfile", ".dockerignore"],
    ) {
        r.fail(e);
        return None;
    }
    if let Err(e) = std::fs::copy(
        specs_dir.join("secret-go.build.toml"),
        dir.join("build.toml"),
    ) {
        r.fail(format!("cannot copy xtask/specs/secret-go.build.toml: {e}"));
        return None;
    }
    if let Some(compiled) = compile(
        ctx,
        r,
        "secret-go: stagegen dockerfile",
        &dir.join("build.toml"),
        &dir,
    ) {
        specs.push(Spec {
            label: "secret-go",
            secret_id: "netrc",
            compiled,
            control: false,
        });
    }
    if specs.len() == 2 {
        Some(Job { specs })
    } else {
        None
    }
}

pub fn execute(ctx: &Ctx, r: &mut Report, job: Job) {
    for spec in &job.specs {
        if crate::interrupt::interrupted() {
            return;
        }
        check(ctx, r, spec);
    }
}

fn check(ctx: &Ctx, r: &mut Report, spec: &Spec) {
    let work = ctx.work.join(spec.label);
    let (secret, marker) = match (random_hex(), random_hex()) {
        (Ok(s), Ok(m)) => (
            format!("stagegen-secret-{s}"),
            format!("stagegen-marker-{m}"),
        ),
        (Err(e), _) | (_, Err(e)) => {
            r.fail(format!("cannot read /dev/urandom: {e}"));
            return;
        }
    };
    let secret_file: PathBuf = work.join("secret-value");
    if let Err(e) = write_private(&secret_file, secret.as_bytes()) {
        r.fail(format!("cannot write the secret file: {e}"));
        return;
    }
    let image = ctx.tag(spec.label);
    let req = BuildRequest {
        context: spec.compiled.dir.clone(),
        tag: Some(image.clone()),
        secrets: vec![(spec.secret_id.to_string(), secret_file.clone())],
        build_args: if spec.control {
            vec![format!("MARKER={marker}")]
        } else {
            Vec::new()
        },
        // secrets are not part of BuildKit's cache keys: a cached step would hold an earlier
        // value (a leak of which this scan would miss), so every step runs with this one
        no_cache: true,
        ..BuildRequest::default()
    };
    let built = super::image::build(
        ctx,
        r,
        &format!(
            "{}: docker build --secret id={}",
            spec.label, spec.secret_id
        ),
        &req,
        &work.join("build.log"),
    );
    let _ = std::fs::remove_file(&secret_file);
    // not part of the image, but a CI log that shows a secret leaks it too
    if std::fs::read(work.join("build.log"))
        .is_ok_and(|log| memchr::memmem::find(&log, secret.as_bytes()).is_some())
    {
        r.fail(format!(
            "{}: the build log shows the secret's value",
            spec.label
        ));
    }
    if !built {
        return;
    }

    if spec.control {
        match super::image::list_image_files(ctx, &image) {
            Ok(files) if files.iter().any(|f| f == "token-length") => {}
            Ok(_) => r.fail(format!("{}: the image has no /token-length", spec.label)),
            Err(e) => r.fail(e),
        }
        match ctx
            .engine
            .run_once(&image, "cat", &["/token-length"], ctx.timeout)
        {
            Ok(out) if out.trim() == secret.len().to_string() => r.ok(format!(
                "{}: the build step read the secret ({} bytes)",
                spec.label,
                secret.len()
            )),
            Ok(out) => r.fail(format!(
                "{}: the build step read {} bytes of secret, not {}",
                spec.label,
                out.trim(),
                secret.len()
            )),
            Err(e) => r.fail(format!("{}: cannot read /token-length: {e}", spec.label)),
        }
    }

    let mut secret_report = match scan_image(ctx, &image, secret.as_bytes()) {
        Ok(rep) => rep,
        Err(e) => {
            r.fail(format!("{}: cannot scan the image: {e}", spec.label));
            return;
        }
    };
    let history = ctx.engine.history(&image);
    let config = ctx.engine.inspect_image_raw(&image);
    match (&history, &config) {
        (Ok(h), Ok(c)) => {
            scan::scan_text(
                "docker history --no-trunc",
                h,
                secret.as_bytes(),
                &mut secret_report,
            );
            scan::scan_text(
                "docker image inspect (the config)",
                c,
                secret.as_bytes(),
                &mut secret_report,
            );
        }
        (Err(e), _) | (_, Err(e)) => {
            r.fail(format!("{}: {e}", spec.label));
            return;
        }
    }
    if secret_report.layers == 0 {
        r.fail(format!(
            "{}: the saved image held no layer tar: nothing was scanned",
            spec.label
        ));
        return;
    }
    if secret_report.findings.is_empty() {
        r.ok(format!(
            "{}: the secret is in none of {} layers ({} files, {} MB), the history or the config",
            spec.label,
            secret_report.layers,
            secret_report.files,
            secret_report.bytes / 1_000_000
        ));
    } else {
        for f in &secret_report.findings {
            r.fail(format!("{}: the secret's value is in {f}", spec.label));
        }
    }

    if spec.control {
        // the control: the marker was written into the image, the scan must see it
        match scan_image(ctx, &image, marker.as_bytes()) {
            Ok(rep) if rep.findings.iter().any(|f| f.contains("file `marker`")) => r.ok(format!(
                "{}: the scan finds the marker the build wrote ({})",
                spec.label,
                rep.findings.join("; ")
            )),
            Ok(rep) => r.fail(format!(
                "{}: the scan did not find the marker in /marker (found: {:?})",
                spec.label, rep.findings
            )),
            Err(e) => r.fail(format!("{}: cannot scan the image: {e}", spec.label)),
        }
    }
}

fn scan_image(ctx: &Ctx, image: &str, needle: &[u8]) -> Result<scan::Report, String> {
    let mut child = ctx.engine.save(image)?;
    let stdout = child.stdout.take().ok_or("docker save has no stdout")?;
    let report = scan::scan_saved_image(stdout, needle);
    crate::engine::finish(child, "docker save")?;
    report.map_err(|e| e.to_string())
}

/// 16 random bytes as hex.
fn random_hex() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn write_private(path: &std::path::Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(data)
}
