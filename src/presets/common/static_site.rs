//! Serving a static site: the final image of an app that is only files (HTML, CSS, JS), an
//! unprivileged nginx (`nginxinc/nginx-unprivileged`, user 101, port 8080) that serves them with
//! a configuration written here: the fallback for paths that are no file (a single-page app's
//! `index.html`, or a site's `<path>.html` and `404.html`), a year of caching for files whose
//! names carry a content hash and revalidation for the rest, and `/healthz` for the image's
//! health check. The `static` preset serves a folder of the build context with it; the `node`
//! preset serves a build script's output.
//!
//! May import: ir.

use crate::ir::{Base, Copy, Healthcheck, Port, Protocol, Run, Stage};

/// The web server image: Debian's nginx as an unprivileged user, the stable line.
pub const SITE_IMAGE: &str = "nginxinc/nginx-unprivileged:stable";
/// The port it listens on (an unprivileged user cannot bind 80).
const SITE_PORT: u16 = 8080;
/// Where it serves files from.
pub const SITE_ROOT: &str = "/usr/share/nginx/html";
/// The server configuration that replaces the image's default one.
const SITE_CONF: &str = "/etc/nginx/conf.d/default.conf";
/// The image's `nginx` user, numeric (no passwd lookup needed).
const NGINX_USER: &str = "101:101";
/// The path the health check asks for; it answers without touching the files.
const HEALTH_PATH: &str = "/healthz";

/// What a path that is no file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// A single-page app: `index.html`, whose router shows the page (`/users/1`).
    SinglePage,
    /// A site of pages: `<path>.html` or `<path>/index.html`, else a 404, with the site's
    /// `404.html` when it has one (`true`).
    Pages { not_found_page: bool },
}

/// Where a build puts files whose names carry a content hash (cached for a year: a new build
/// gives them new names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hashed {
    /// A folder of the site that holds only such files, e.g. Vite's `/assets/`.
    Folder(&'static str),
    /// Names ending in `-<8 letters or digits>.js` / `.css` (Angular's `main-ABCD1234.js`).
    DashSuffix,
}

/// The site to serve.
#[derive(Debug, Clone)]
pub struct Site {
    /// The server image: [`SITE_IMAGE`], or an nginx image of the user's (`[runtime] base`)
    /// laid out like it.
    pub image: String,
    /// The copy that brings the files into [`SITE_ROOT`].
    pub files: Copy,
    pub fallback: Fallback,
    pub hashed: Vec<Hashed>,
}

/// The final image: the configuration, the files, nginx as user 101 on 8080, and a health check.
pub fn site_stage(name: &str, description: &str, site: &Site) -> Stage {
    let mut stage = Stage::new(name, description, Base::Image(site.image.clone()));
    // Written as root, so that the server (user 101) cannot change its own configuration.
    stage.build_user = Some("0:0".to_string());
    stage = stage
        .step(Run::shell(write_conf(&nginx_conf(site))))
        .step(site.files.clone());
    stage.image.user = Some(NGINX_USER.to_string());
    stage.image.ports = vec![Port {
        number: SITE_PORT,
        protocol: Protocol::Tcp,
    }];
    stage.image.healthcheck = Some(healthcheck());
    stage
}

/// `bash` alone (no curl or wget in every nginx image): an HTTP/1.0 request to `/healthz` over
/// bash's `/dev/tcp`, healthy on a `200`.
fn healthcheck() -> Healthcheck {
    Healthcheck {
        cmd: vec![
            "bash".to_string(),
            "-c".to_string(),
            format!(
                "exec 3<>/dev/tcp/127.0.0.1/{SITE_PORT} && printf 'GET {HEALTH_PATH} HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"
            ),
        ],
        interval: Some("30s".to_string()),
        timeout: Some("3s".to_string()),
        start_period: Some("5s".to_string()),
        retries: Some(3),
    }
}

/// The nginx `server` block, one line each.
fn nginx_conf(site: &Site) -> Vec<String> {
    let mut lines = vec![
        "server {".to_string(),
        format!("    listen {SITE_PORT};"),
        "    server_name _;".to_string(),
        "    server_tokens off;".to_string(),
        format!("    root {SITE_ROOT};"),
        "    index index.html;".to_string(),
        "    gzip on;".to_string(),
        "    gzip_types text/css application/javascript application/json image/svg+xml;".to_string(),
        format!(
            "    location = {HEALTH_PATH} {{ access_log off; default_type text/plain; return 200 \"ok\"; }}"
        ),
    ];
    const IMMUTABLE: &str =
        "add_header Cache-Control \"public, max-age=31536000, immutable\"; try_files $uri =404;";
    for h in &site.hashed {
        lines.push(match h {
            Hashed::Folder(folder) => format!("    location {folder} {{ {IMMUTABLE} }}"),
            Hashed::DashSuffix => {
                format!("    location ~ \"-[A-Za-z0-9]{{8}}\\.(js|css)$\" {{ {IMMUTABLE} }}")
            }
        });
    }
    lines.push(match site.fallback {
        Fallback::SinglePage => {
            "    location / { add_header Cache-Control \"no-cache\"; try_files $uri $uri/ /index.html; }"
                .to_string()
        }
        Fallback::Pages { .. } => {
            "    location / { add_header Cache-Control \"no-cache\"; try_files $uri $uri.html $uri/ =404; }"
                .to_string()
        }
    });
    if site.fallback
        == (Fallback::Pages {
            not_found_page: true,
        })
    {
        lines.push("    error_page 404 /404.html;".to_string());
        lines.push("    location = /404.html { internal; }".to_string());
    }
    lines.push("}".to_string());
    lines
}

/// One `printf` that writes the lines, each double-quoted with `\`, `"`, `$` and `` ` ``
/// escaped (single quotes would do without escapes, but ShellCheck takes a `$uri` in them for
/// a mistake).
fn write_conf(lines: &[String]) -> String {
    let quoted: Vec<String> = lines
        .iter()
        .map(|l| {
            let mut q = String::from('"');
            for c in l.chars() {
                if matches!(c, '\\' | '"' | '$' | '`') {
                    q.push('\\');
                }
                q.push(c);
            }
            q.push('"');
            q
        })
        .collect();
    format!("printf '%s\\n' {} > {SITE_CONF}", quoted.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(fallback: Fallback, hashed: Vec<Hashed>) -> Site {
        Site {
            image: SITE_IMAGE.to_string(),
            files: Copy::context(["."], format!("{SITE_ROOT}/")),
            fallback,
            hashed,
        }
    }

    #[test]
    fn a_single_page_app_falls_back_to_index_html_and_caches_hashed_files() {
        let conf = nginx_conf(&site(
            Fallback::SinglePage,
            vec![Hashed::Folder("/assets/")],
        ));
        assert!(conf
            .iter()
            .any(|l| l.contains("try_files $uri $uri/ /index.html")));
        assert!(conf
            .iter()
            .any(|l| l.starts_with("    location /assets/ {") && l.contains("immutable")));
        assert!(!conf.iter().any(|l| l.contains("404.html")));
    }

    #[test]
    fn a_site_of_pages_answers_404() {
        let pages = |not_found_page| Fallback::Pages { not_found_page };
        let conf = nginx_conf(&site(pages(true), vec![]));
        assert!(conf.iter().any(|l| l.contains("$uri.html $uri/ =404")));
        assert!(conf.iter().any(|l| l.contains("error_page 404 /404.html")));
        assert!(!conf.iter().any(|l| l.contains("immutable")));
        let conf = nginx_conf(&site(pages(false), vec![]));
        assert!(!conf.iter().any(|l| l.contains("404.html")));
    }

    #[test]
    fn the_configuration_is_one_quoted_printf() {
        let lines = nginx_conf(&site(Fallback::SinglePage, vec![Hashed::DashSuffix]));
        let cmd = write_conf(&lines);
        assert!(cmd.starts_with("printf '%s\\n' \"server {\" "));
        assert!(cmd.ends_with("\"}\" > /etc/nginx/conf.d/default.conf"));
        assert!(cmd.contains("try_files \\$uri \\$uri/ /index.html"));
        assert!(cmd.contains("add_header Cache-Control \\\"no-cache\\\";"));
        assert!(cmd.contains("\\\\.(js|css)\\$"));
        assert!(!cmd.contains('\n'));
    }

    #[test]
    fn the_stage_runs_as_nginx_on_8080_with_a_health_check() {
        let s = site_stage(
            "runtime",
            "d",
            &site(
                Fallback::Pages {
                    not_found_page: false,
                },
                vec![],
            ),
        );
        assert_eq!(s.image.user.as_deref(), Some("101:101"));
        assert_eq!(s.build_user.as_deref(), Some("0:0"));
        assert_eq!(s.image.ports.first().map(|p| p.number), Some(8080));
        let hc = s.image.healthcheck.expect("a health check");
        assert!(hc.cmd[2].contains("/dev/tcp/127.0.0.1/8080") && hc.cmd[2].contains("/healthz"));
    }
}
