//! SG209 port-out-of-range: ports are 1 to 65535, optionally `/tcp` or `/udp`.

use crate::config::TomlPort;
use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::settings;
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (pointer, s) in settings(cx) {
        for (k, port) in s.ports.iter().enumerate() {
            if port.parse().is_some() {
                continue;
            }
            let shown = match port {
                TomlPort::Number(n) => n.to_string(),
                TomlPort::Text(t) => t.clone(),
            };
            out.push(
                Diagnostic::error(codes::PORT_OUT_OF_RANGE, format!("`{shown}` is not a valid port"))
                    .at(cx.doc.value_span(&format!("{pointer}/ports/{k}")), "not a port")
                    .help("a port is a number from 1 to 65535, optionally followed by `/tcp` or `/udp` (e.g. `\"53/udp\"`)"),
            );
        }
    }
}
