//! The static preset's settings step: its options and the app's files -> [`StaticSettings`], or
//! every error at once. `stagegen dockerfile` and `stagegen init` both start here.

use crate::presets::common::{Fallback, Flavour, Procfile, SITE_IMAGE};
use crate::presets::r#static::codes;
use crate::presets::r#static::options::TomlStaticOptions;
use crate::presets::{Blame, Context, PresetError};

/// What the static preset serves, worked out.
#[derive(Debug, Clone)]
pub(crate) struct StaticSettings {
    /// The folder served, relative to the context (`""` for the context itself).
    pub root: String,
    pub fallback: Fallback,
    /// The server image.
    pub image: String,
    /// What was read and decided, one line each, for the plan and for init.
    pub detected: Vec<String>,
    /// Whether the folder has a Procfile, which nginx does not run (nor serve).
    pub procfile: bool,
}

/// Work out the settings, or every error at once.
pub(super) fn settings(
    o: &TomlStaticOptions,
    cx: &Context<'_>,
) -> Result<StaticSettings, Vec<PresetError>> {
    let mut errors = unused_knobs(cx);
    let root = o.root.as_deref().map(clean).unwrap_or_default();
    if !root.is_empty() && !inside(&root) {
        errors.push(
            PresetError::new(
                codes::ROOT_OUTSIDE,
                Blame::KnobValue("root"),
                format!("`{root}` is not a folder inside the build context"),
            )
            .label("not inside the build context")
            .help("write the folder that holds `index.html`, relative to the build context, e.g. `\"public\"`"),
        );
    } else if !cx.files.is_file(&join(&root, "index.html")) {
        errors.push(no_index(&root, o.root.is_some()));
    }
    let image = match cx.base.map(Flavour::named) {
        None => SITE_IMAGE.to_string(),
        Some(Flavour::Image(image)) => image,
        Some(flavour) => {
            errors.push(
                flavour
                    .unsupported(
                        codes::BASE_FLAVOUR,
                        format!(
                            "a static site is served by nginx, not on a `{}` image",
                            flavour.name()
                        ),
                    )
                    .help(format!(
                        "remove `base` (the site runs on `{SITE_IMAGE}`), or name an nginx image laid out like it"
                    )),
            );
            String::new()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let fallback = if o.spa.unwrap_or(false) {
        Fallback::SinglePage
    } else {
        Fallback::Pages {
            not_found_page: cx.files.is_file(&join(&root, "404.html")),
        }
    };
    let shown = if root.is_empty() { "." } else { root.as_str() };
    let detected = vec![
        format!(
            "a static site: the files of {shown} ({} found), no build step",
            join(&root, "index.html")
        ),
        format!("served by {image} as user 101 on port 8080, with a health check on /healthz"),
        match fallback {
            Fallback::SinglePage => {
                "a single-page app (`spa = true`): paths that are no file get index.html".to_string()
            }
            Fallback::Pages { not_found_page } => format!(
                "a site of pages: `/about` is about.html or about/index.html, else a 404{} (`spa = true` for a single-page app)",
                if not_found_page { " with 404.html" } else { "" }
            ),
        },
    ];
    let procfile = Procfile::read(cx.files);
    let mut detected = detected;
    if let Some((name, command)) = procfile.as_ref().and_then(Procfile::app) {
        detected.push(format!(
            "the Procfile's `{name}` process (`{command}`) is not run, nor served: nginx serves the site's files (a server of the app's own is its language preset's, e.g. `name = \"node\"`)"
        ));
    }
    Ok(StaticSettings {
        root,
        fallback,
        image,
        detected,
        procfile: procfile.is_some(),
    })
}

/// `./public/` -> `public`; `.` -> ``.
fn clean(path: &str) -> String {
    let p = path.trim();
    let p = p.strip_prefix("./").unwrap_or(p).trim_end_matches('/');
    if p == "." {
        String::new()
    } else {
        p.to_string()
    }
}

/// A relative path that stays inside the context (no `..`, not absolute).
fn inside(path: &str) -> bool {
    !path.starts_with('/') && !path.split('/').any(|p| p == "..") && !path.contains(['\\', '$'])
}

/// `name` inside `root` (`""` for the context).
fn join(root: &str, name: &str) -> String {
    if root.is_empty() {
        name.to_string()
    } else {
        format!("{root}/{name}")
    }
}

fn no_index(root: &str, from_knob: bool) -> PresetError {
    let shown = if root.is_empty() { "." } else { root };
    let e = PresetError::new(
        codes::NO_INDEX,
        if from_knob {
            Blame::KnobValue("root")
        } else {
            Blame::Table
        },
        format!("no `index.html` in `{shown}`: a static site needs one"),
    );
    if from_knob {
        e.label("no `index.html` here")
            .help("set `root` to the folder that holds the site's `index.html`")
    } else {
        e.help("add an `index.html`, or set `root = \"<folder>\"` in `[preset]` to the folder that holds it")
    }
}

/// The knobs every preset takes that mean nothing here: the site is not built, has no tests,
/// no dev server and no runtime but nginx.
fn unused_knobs(cx: &Context<'_>) -> Vec<PresetError> {
    let c = cx.common;
    let set: [(&'static str, bool); 6] = [
        ("test", c.test == Some(true)),
        ("dev", c.dev == Some(true)),
        ("secrets", !c.secrets.is_empty()),
        ("build-env", !c.build_env.is_empty()),
        ("system-packages", !c.system_packages.is_empty()),
        ("runtime-packages", !c.runtime_packages.is_empty()),
    ];
    set.iter()
        .filter(|(_, is_set)| *is_set)
        .map(|(knob, _)| {
            PresetError::new(
                codes::KNOB_NOT_USED,
                Blame::Knob(knob),
                format!("`{knob}` does nothing for a static site: it has no build, tests or dev server, and nginx is its only program"),
            )
            .help(format!("remove `{knob}`; to build the site first, use the preset of its build tool (`name = \"node\"` for a package.json with a `build` script)"))
        })
        .collect()
}
