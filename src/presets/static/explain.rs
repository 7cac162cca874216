//! The `stagegen explain` texts of the static preset's codes (SG95x): what was found, what would
//! go wrong in the image, and the knob or file that fixes it.

use super::codes;

/// The text of `id`, when it is one of this preset's codes.
pub(super) fn text(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::NO_INDEX.id => {
            "The static preset serves the folder `root` names (by default the build context) \
             with nginx, and that folder has no `index.html`, so the site's address would \
             answer 403 or 404. Add an `index.html`, or set `root = \"public\"` in `[preset]` \
             to the folder that holds it."
        }
        id if id == codes::ROOT_OUTSIDE.id => {
            "`root` is the folder of the site that the image copies, and it is not a folder \
             inside the build context (`../site`, an absolute path); a build sees only its \
             context. Write it relative to the context: `root = \"public\"`, or set `context` \
             to a folder that holds the site."
        }
        id if id == codes::KNOB_NOT_USED.id => {
            "A knob every preset takes (`test`, `dev`, `secrets`, `build-env`, \
             `system-packages`, `runtime-packages`) means nothing for a static site: it is \
             copied as it is, with no build, tests or dev server, and nginx is its only \
             program. Remove the knob; to build the site first, use the preset of its build \
             tool (`name = \"node\"` for a package.json with a `build` script)."
        }
        id if id == codes::BASE_FLAVOUR.id => {
            "A static site is served by nginx (nginx-unprivileged), and `base` names a runtime \
             flavour (`slim`, `distroless`, `alpine`, `scratch`), which has no web server. \
             Remove `base`, or name an nginx image laid out like nginx-unprivileged: \
             `base = \"nginxinc/nginx-unprivileged:1.27-alpine\"`."
        }
        _ => return None,
    };
    Some(text)
}
