//! The escaping check (issue 13, must fix 1): a build.toml whose cache targets, secret target,
//! `copy` sources and destinations, `chown` owners (names and ids) and `from` (a stage and an
//! image) hold every special character stagegen accepts there, built with the real engine. A
//! probe step records what BuildKit made of them (`/proc/self/mountinfo` inside the step with
//! the mounts, and `stat` of every copied file), and the check compares that with the plan
//! (`stagegen plan`): every mount at the plan's target and no other (no injected bind mount),
//! every file at the plan's destination under its own name, with the plan's owner.
//!
//! The build.toml and the context files are written here from the constants below, so the names
//! live in one place; the build.toml is kept in the work folder for a failing run. `--chmod` and
//! `--link` are not checked: stagegen writes neither.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::engine::BuildRequest;

use super::report::Report;
use super::{compile, Compiled, Ctx};

/// Every printable ASCII character a cache or secret target may hold besides letters, digits
/// and `/` (stagegen refuses space, `,`, `"`, `'`, `\` and `$` there: SG215).
const MOUNT_SPECIALS: &str = "!#%&()*+-.:;<=>?@[]^_`{|}~";

/// Context files copied by name: the characters a `copy` path may hold (all but `\`, `$` and
/// control characters; `*`, `?` and `[` are patterns and are tested apart).
const CONTEXT_FILES: &[&str] = &[
    "it's \"quoted\".txt",
    " leading space",
    "#hash",
    "-dash",
    "a,b;c&d|e(f)g{h}i",
    "=equals",
    "~tilde",
    "<<EOF",
    "café ünïcødé",
    "%p@q+r!s^t]u",
    "back`tick",
    "--mount=type=bind,source=.,rw",
    "0<<EOF",
];

/// A folder named `'..'` (a quoted `..` must not leave the context) and a file in it.
const QUOTED_DOTS: &str = "'..'/inside.txt";

/// The destination of the named copies.
const DEST: &str = "/in/d !\"#%&'()*+,-.:;<=>?@[]^_`{|}~é/";

/// The owners of the `chown` copies: names (made by a step of the build) and ids.
const OWNERS: &[(&str, &str)] = &[
    ("u.s-r_1:g.r-p_1", "names"),
    ("Ab_9.x-Y", "user-only"),
    ("1234:4321", "ids"),
    ("77", "uid-only"),
];

/// What each owner must come out as (`stat -c %U:%G` for names, `%u:%g` for ids).
fn owner_seen(owner: &str) -> String {
    match owner {
        "Ab_9.x-Y" => "Ab_9.x-Y:Ab_9.x-Y".into(),
        "77" => "77:77".into(),
        o => o.into(),
    }
}

/// The stage `from` copies from, a name with every character a stage name may hold.
const FROM_STAGE: &str = "s-1_x.y";

/// The file that stage writes (an absolute source path of a `from` copy).
const FROM_FILE: &str = "/out/f !#%&()+,;=@]^_{}~é'\"";

/// The secret's id and target.
const SECRET_ID: &str = "tok";

fn mount_targets() -> Vec<String> {
    vec![
        format!("/cache/a{MOUNT_SPECIALS}z"),
        "/cache/<<EOF".to_string(),
        "/cache/--mount=type=bind,source=/,target=/host".replace(',', ";"),
    ]
}

fn secret_target() -> String {
    format!("/run/s{MOUNT_SPECIALS}")
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn build_toml() -> String {
    let mut steps: Vec<String> = Vec::new();
    steps.push(format!(
        "{{ run = {} }}",
        toml_str(
            "echo 'u.s-r_1:x:1234:4321::/nonexistent:/bin/false' >> /etc/passwd \
             && echo 'Ab_9.x-Y:x:2345:2345::/nonexistent:/bin/false' >> /etc/passwd \
             && echo 'g.r-p_1:x:4321:' >> /etc/group && echo 'Ab_9.x-Y:x:2345:' >> /etc/group"
        )
    ));
    let files: Vec<String> = CONTEXT_FILES.iter().map(|s| s.to_string()).collect();
    steps.push(format!(
        "{{ copy = {}, to = {} }}",
        toml_list(&files),
        toml_str(DEST)
    ));
    steps.push(format!(
        "{{ copy = {}, to = \"/in/dots/\" }}",
        toml_list(&[QUOTED_DOTS.to_string()])
    ));
    steps.push("{ copy = [\"g[12].txt\", \"[1]\"], to = \"/glob/\" }".to_string());
    for (owner, label) in OWNERS {
        steps.push(format!(
            "{{ copy = [\"owned.txt\"], to = \"/own/{label}/\", chown = {} }}",
            toml_str(owner)
        ));
    }
    steps.push(format!(
        "{{ copy = [{}], from = {}, to = \"/from-stage/\" }}",
        toml_str(FROM_FILE),
        toml_str(FROM_STAGE)
    ));
    steps.push(
        "{ copy = [\"/etc/debian_version\"], image = \"debian:bookworm-slim\", to = \"/from-image/\" }"
            .to_string(),
    );
    // No mount target holds `'` (SG215), so single quotes keep the secret's target literal.
    steps.push(format!(
        "{{ run = {}, cache = {}, secrets = [{}] }}",
        toml_str(&format!(
            "mkdir -p /probe && cat /proc/self/mountinfo > /probe/mountinfo \
             && wc -c < '{}' > /probe/secret-length",
            secret_target()
        )),
        toml_list(&mount_targets()),
        toml_str(SECRET_ID)
    ));
    steps.push(format!(
        "{{ run = {} }}",
        toml_str(
            "find /in /glob /own /from-stage /from-image \
             -exec stat -c '%u:%g %U:%G %n' {} + > /probe/stat"
        )
    ));
    format!(
        "#:schema ../../../schemas/build.schema.json\n\
         # Written by `cargo xtask e2e escape` (xtask/src/e2e/escape.rs): every special character\n\
         # stagegen accepts in mounts, copy paths, owners and `from`, built by the real engine.\n\
         version = 1\n\
         target = \"probe\"\n\n\
         [secrets.{SECRET_ID}]\n\
         required = true\n\
         target = {secret}\n\n\
         [[stage]]\n\
         name = {from_stage}\n\
         image = \"debian:bookworm-slim\"\n\
         steps = [{{ run = {make} }}]\n\n\
         [[stage]]\n\
         name = \"probe\"\n\
         image = \"debian:bookworm-slim\"\n\
         workdir = \"/work\"\n\
         cmd = [\"cat\", \"/probe/stat\"]\n\
         steps = [\n  {steps},\n]\n",
        secret = toml_str(&secret_target()),
        from_stage = toml_str(FROM_STAGE),
        make = toml_str(&format!(
            "mkdir -p /out && echo from-stage > '{}'",
            FROM_FILE.replace('\'', "'\\''")
        )),
        steps = steps.join(",\n  "),
    )
}

pub struct Job {
    compiled: Compiled,
    plan: serde_json::Value,
    work: PathBuf,
}

impl Job {
    pub fn images(&self) -> impl Iterator<Item = &String> {
        self.compiled.images.images.iter()
    }
}

fn write_context(dir: &Path) -> Result<(), String> {
    let write = |rel: &str, body: &str| -> Result<(), String> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, body).map_err(|e| format!("{}: {e}", path.display()))
    };
    for name in CONTEXT_FILES {
        write(name, name)?;
    }
    write(QUOTED_DOTS, "inside")?;
    for name in ["g1.txt", "g2.txt", "gx.txt", "1", "owned.txt"] {
        write(name, name)?;
    }
    write("build.toml", &build_toml())
}

pub fn prepare(ctx: &Ctx, r: &mut Report) -> Option<Job> {
    let work = ctx.work.join("escape");
    let dir = work.join("ctx");
    if let Err(e) = write_context(&dir) {
        r.fail(format!("cannot write the build context: {e}"));
        return None;
    }
    let toml = dir.join("build.toml");
    let compiled = compile(ctx, r, "escape: stagegen dockerfile", &toml, &dir)?;
    let out = ctx.stagegen.plan(&toml);
    if !out.success() {
        r.fail("escape: stagegen plan failed");
        r.block("stagegen plan", &out.stderr.lines().collect::<Vec<_>>());
        return None;
    }
    match serde_json::from_str(&out.stdout) {
        Ok(plan) => Some(Job {
            compiled,
            plan,
            work,
        }),
        Err(e) => {
            r.fail(format!("escape: the plan is no JSON: {e}"));
            None
        }
    }
}

/// What the plan says the engine must make: mount points, and (path, owner or `None`) of the
/// copied files.
struct Expected {
    mounts: BTreeSet<String>,
    files: Vec<(String, Option<String>)>,
}

fn expected(plan: &serde_json::Value) -> Expected {
    let mut mounts = BTreeSet::new();
    let mut files = Vec::new();
    let secrets = plan["secrets"].as_array().cloned().unwrap_or_default();
    let stages = plan["stages"].as_array().cloned().unwrap_or_default();
    for stage in stages.iter().filter(|s| s["name"] == "probe") {
        for step in stage["steps"].as_array().into_iter().flatten() {
            for m in step["run"]["mounts"].as_array().into_iter().flatten() {
                if let Some(t) = m["cache"]["target"].as_str() {
                    mounts.insert(t.to_string());
                }
                if let Some(id) = m["secret"]["id"].as_str() {
                    let declared = secrets
                        .iter()
                        .find(|s| s["id"] == id)
                        .and_then(|s| s["target"].as_str());
                    let t = m["secret"]["target"].as_str().or(declared);
                    mounts.insert(t.map_or_else(|| format!("/run/secrets/{id}"), str::to_string));
                }
            }
            let copy = &step["copy"];
            let (Some(dest), Some(paths)) = (copy["dest"].as_str(), copy["paths"].as_array())
            else {
                continue;
            };
            let owner = copy["chown"].as_str().map(owner_seen);
            for p in paths.iter().filter_map(|p| p.as_str()) {
                if p.contains(['*', '?', '[']) {
                    continue; // patterns: checked by name below
                }
                let base = p.rsplit('/').next().unwrap_or(p);
                files.push((format!("{dest}{base}"), owner.clone()));
            }
        }
    }
    for name in ["g1.txt", "g2.txt", "1"] {
        files.push((format!("/glob/{name}"), None));
    }
    Expected { mounts, files }
}

/// The mount points of a `/proc/self/mountinfo` (field 5, with the kernel's octal escapes
/// undone).
fn mount_points(mountinfo: &str) -> BTreeSet<String> {
    mountinfo
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(unescape_octal)
        .collect()
}

fn unescape_octal(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && i + 3 < bytes.len()
            && bytes[i + 1..i + 4]
                .iter()
                .all(|b| (b'0'..=b'7').contains(b))
        {
            let v = (bytes[i + 1] - b'0') * 64 + (bytes[i + 2] - b'0') * 8 + (bytes[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Mount points every build step has, whatever the Dockerfile says.
fn standard_mount(point: &str) -> bool {
    matches!(
        point,
        "/" | "/etc/hosts" | "/etc/hostname" | "/etc/resolv.conf"
    ) || ["/proc", "/dev", "/sys"]
        .iter()
        .any(|p| point == *p || point.starts_with(&format!("{p}/")))
}

pub fn execute(ctx: &Ctx, r: &mut Report, job: Job) {
    let secret_file = job.work.join("secret-value");
    let secret = "stagegen-escape-secret";
    if let Err(e) = std::fs::write(&secret_file, secret) {
        r.fail(format!("cannot write the secret file: {e}"));
        return;
    }
    let image = ctx.tag("escape");
    let req = BuildRequest {
        context: job.compiled.dir.clone(),
        tag: Some(image.clone()),
        secrets: vec![(SECRET_ID.to_string(), secret_file.clone())],
        no_cache: true,
        ..BuildRequest::default()
    };
    let built = super::image::build(
        ctx,
        r,
        "escape: docker build",
        &req,
        &job.work.join("build.log"),
    );
    let _ = std::fs::remove_file(&secret_file);
    if !built {
        return;
    }
    ctx.made_image(&image);
    let want = expected(&job.plan);
    let read = |file: &str| ctx.engine.run_once(&image, "cat", &[file], ctx.timeout);

    match read("/probe/mountinfo") {
        Ok(info) => {
            let seen = mount_points(&info);
            let missing: Vec<&String> = want.mounts.difference(&seen).collect();
            let extra: Vec<&String> = seen
                .iter()
                .filter(|p| !standard_mount(p) && !want.mounts.contains(*p))
                .collect();
            if missing.is_empty() && extra.is_empty() {
                r.ok(format!(
                    "escape: BuildKit mounted exactly the plan's {} targets: {}",
                    want.mounts.len(),
                    want.mounts.iter().cloned().collect::<Vec<_>>().join(" | ")
                ));
            }
            for m in missing {
                r.fail(format!(
                    "escape: nothing is mounted at the plan's target `{m}`"
                ));
            }
            for m in extra {
                r.fail(format!("escape: a mount the plan does not have, at `{m}`"));
            }
        }
        Err(e) => r.fail(format!("escape: cannot read /probe/mountinfo: {e}")),
    }
    match read("/probe/secret-length") {
        Ok(n) if n.trim() == secret.len().to_string() => {
            r.ok("escape: the step read the secret at its target")
        }
        Ok(n) => r.fail(format!(
            "escape: the secret at its target has {} bytes, not {}",
            n.trim(),
            secret.len()
        )),
        Err(e) => r.fail(format!("escape: cannot read /probe/secret-length: {e}")),
    }
    match read("/probe/stat") {
        Ok(stat) => check_files(r, &want, &stat),
        Err(e) => r.fail(format!("escape: cannot read /probe/stat: {e}")),
    }
}

/// `stat -c '%u:%g %U:%G %n'` lines against the plan's files and owners.
fn check_files(r: &mut Report, want: &Expected, stat: &str) {
    let mut seen: Vec<(String, String, String)> = Vec::new();
    for line in stat.lines() {
        let mut parts = line.splitn(3, ' ');
        if let (Some(ids), Some(names), Some(path)) = (parts.next(), parts.next(), parts.next()) {
            seen.push((path.to_string(), ids.to_string(), names.to_string()));
        }
    }
    let mut good = 0;
    for (path, owner) in &want.files {
        match seen.iter().find(|(p, _, _)| p == path) {
            None => r.fail(format!(
                "escape: the plan's file `{path}` is not in the image"
            )),
            Some((_, ids, names)) => match owner {
                Some(o) if o != ids && o != names => r.fail(format!(
                    "escape: `{path}` belongs to {ids} ({names}), not the plan's `{o}`"
                )),
                _ => good += 1,
            },
        }
    }
    if seen.iter().any(|(p, _, _)| p == "/glob/gx.txt") {
        r.fail("escape: the pattern `g[12].txt` copied `gx.txt`");
    }
    if good == want.files.len() {
        r.ok(format!(
            "escape: all {good} files the plan copies are in the image under their own names, with the plan's owners"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_toml_is_toml() {
        let text = build_toml();
        let parsed: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(parsed["target"].as_str(), Some("probe"));
    }

    #[test]
    fn mountinfo_escapes_are_undone() {
        assert_eq!(unescape_octal("/a\\040b"), "/a b");
        assert_eq!(unescape_octal("/a\\b"), "/a\\b");
        let info = "36 35 98:0 / /cache/a\\040b rw,noatime master:1 - ext3 /dev/root rw\n";
        assert_eq!(
            mount_points(info),
            BTreeSet::from(["/cache/a b".to_string()])
        );
    }
}
