//! The compose emitter: a workspace as `compose.yaml` for local runs with `docker compose`: one
//! service per member, with its build section (context, Dockerfile, target, args, secrets), its
//! image name (the first tag), ports, environment and health check. A port is published on
//! the same port of the host, unless an earlier service took that one: then on a free port the
//! engine picks (`docker compose port NAME PORT` tells which). Every scalar is written as a double-quoted string in JSON's syntax, which YAML
//! reads as the same string, so no value can change the document's shape. Pure and
//! deterministic.

use std::fmt::Write as _;

use crate::emit::bake::secret_env;
use crate::emit::GENERATED_MARK;
use crate::ir::{Protocol, WorkspaceBuild};

fn q(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", quoted.join(", "))
}

pub fn render(ws: &WorkspaceBuild, source: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {GENERATED_MARK} from {source}: edit it and the members' build.toml, then run `stagegen compose`."
    );
    out.push_str("services:\n");
    let mut secrets: Vec<&str> = Vec::new();
    let mut host_ports: Vec<(u16, Protocol)> = Vec::new();
    for member in &ws.members {
        let graph = &member.graph;
        let _ = writeln!(out, "  {}:", q(&member.name));
        out.push_str("    build:\n");
        let _ = writeln!(out, "      context: {}", q(&member.context));
        let _ = writeln!(out, "      dockerfile: {}", q(&member.dockerfile));
        let _ = writeln!(out, "      target: {}", q(&graph.target));
        if !graph.args.is_empty() {
            out.push_str("      args:\n");
            for a in &graph.args {
                let _ = writeln!(out, "        {}: {}", q(&a.name), q(&a.default));
            }
        }
        if !graph.secrets.is_empty() {
            let ids: Vec<String> = graph.secrets.iter().map(|s| s.id.clone()).collect();
            let _ = writeln!(out, "      secrets: {}", list(&ids));
            for s in &graph.secrets {
                if !secrets.contains(&s.id.as_str()) {
                    secrets.push(&s.id);
                }
            }
        }
        if let Some(tag) = member.tags.first() {
            let _ = writeln!(out, "    image: {}", q(tag));
        }
        let Some(runtime) = graph.stage(&graph.target) else {
            continue;
        };
        if !runtime.image.ports.is_empty() {
            out.push_str("    ports:\n");
            for p in &runtime.image.ports {
                let proto = match p.protocol {
                    Protocol::Tcp => "",
                    Protocol::Udp => "/udp",
                };
                let published = if host_ports.contains(&(p.number, p.protocol)) {
                    format!("{}{proto}", p.number)
                } else {
                    host_ports.push((p.number, p.protocol));
                    format!("{0}:{0}{proto}", p.number)
                };
                let _ = writeln!(out, "      - {}", q(&published));
            }
        }
        if !runtime.env.is_empty() {
            out.push_str("    environment:\n");
            for (k, v) in &runtime.env {
                let _ = writeln!(out, "      {}: {}", q(k), q(v));
            }
        }
        if let Some(h) = &runtime.image.healthcheck {
            out.push_str("    healthcheck:\n");
            let mut test = vec!["CMD".to_string()];
            test.extend(h.cmd.iter().cloned());
            let _ = writeln!(out, "      test: {}", list(&test));
            for (key, value) in [
                ("interval", &h.interval),
                ("timeout", &h.timeout),
                ("start_period", &h.start_period),
            ] {
                if let Some(v) = value {
                    let _ = writeln!(out, "      {key}: {}", q(v));
                }
            }
            if let Some(r) = h.retries {
                let _ = writeln!(out, "      retries: {r}");
            }
        }
    }
    if !secrets.is_empty() {
        out.push_str("secrets:\n");
        for id in secrets {
            let _ = writeln!(out, "  {}:", q(id));
            let _ = writeln!(out, "    environment: {}", q(&secret_env(id)));
        }
    }
    out
}
