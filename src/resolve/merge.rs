//! Merge rules, one per field kind, for laying user settings over what a preset made:
//! scalars (workdir, user, cmd, entrypoint, healthcheck) replace; maps (env, labels) extend with
//! the user's value winning per key; lists (ports) extend without duplicates; steps append.

use indexmap::IndexMap;

use crate::config::{TomlImageSettings, TomlPort, TomlRuntime};
use crate::ir::{Healthcheck, Port, Protocol, Stage};
use crate::resolve::steps::step;

/// Lay `[runtime]` over the preset's stages: image settings on the runtime stage; ports and env
/// also on the other stages that run the app (dev).
pub(super) fn apply_runtime(
    stages: &mut [Stage],
    runtime_stage: &str,
    app_stages: &[&str],
    runtime: &TomlRuntime,
) {
    let settings = &runtime.settings;
    for stage in stages.iter_mut() {
        if stage.name == runtime_stage {
            continue;
        }
        if app_stages.contains(&stage.name.as_str()) {
            extend_map(&mut stage.env, &settings.env);
            extend_ports(&mut stage.image.ports, &settings.ports);
        }
    }
    if let Some(stage) = stages.iter_mut().find(|s| s.name == runtime_stage) {
        apply_settings(stage, settings);
    }
}

/// Settings of a stage the user wrote.
pub(super) fn apply_settings(stage: &mut Stage, settings: &TomlImageSettings) {
    apply_image_settings(stage, settings);
    stage.steps.extend(settings.steps.iter().map(step));
}

fn apply_image_settings(stage: &mut Stage, settings: &TomlImageSettings) {
    replace(&mut stage.workdir, &settings.workdir);
    replace(&mut stage.image.user, &settings.user);
    replace(&mut stage.image.cmd, &settings.cmd);
    replace(&mut stage.image.entrypoint, &settings.entrypoint);
    if let Some(h) = &settings.healthcheck {
        stage.image.healthcheck = Some(Healthcheck {
            cmd: h.cmd.clone(),
            interval: h.interval.clone(),
            timeout: h.timeout.clone(),
            start_period: h.start_period.clone(),
            retries: h.retries,
        });
    }
    extend_map(&mut stage.env, &settings.env);
    extend_map(&mut stage.image.labels, &settings.labels);
    extend_ports(&mut stage.image.ports, &settings.ports);
}

/// Scalars: the user's value, when given, replaces the preset's.
fn replace<T: Clone>(slot: &mut Option<T>, user: &Option<T>) {
    if let Some(v) = user {
        *slot = Some(v.clone());
    }
}

/// Maps: extend; the user's value wins per key, and keeps the preset's position.
fn extend_map(map: &mut IndexMap<String, String>, user: &IndexMap<String, String>) {
    for (k, v) in user {
        map.insert(k.clone(), v.clone());
    }
}

/// Lists: extend, without duplicates.
fn extend_ports(ports: &mut Vec<Port>, user: &[TomlPort]) {
    for p in user.iter().filter_map(port) {
        if !ports.contains(&p) {
            ports.push(p);
        }
    }
}

/// A port as written, if valid (validation reports the invalid ones).
pub fn port(p: &TomlPort) -> Option<Port> {
    p.parse().map(|(number, udp)| Port {
        number,
        protocol: if udp { Protocol::Udp } else { Protocol::Tcp },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_replace_only_when_given() {
        let mut slot = Some(1);
        replace(&mut slot, &None);
        assert_eq!(slot, Some(1));
        replace(&mut slot, &Some(2));
        assert_eq!(slot, Some(2));
    }

    #[test]
    fn maps_extend_and_user_wins_in_place() {
        let mut map: IndexMap<String, String> =
            [("A".into(), "1".into()), ("B".into(), "2".into())]
                .into_iter()
                .collect();
        let user: IndexMap<String, String> = [("A".into(), "9".into()), ("C".into(), "3".into())]
            .into_iter()
            .collect();
        extend_map(&mut map, &user);
        let got: Vec<_> = map.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(got, ["A=9", "B=2", "C=3"]);
    }

    #[test]
    fn ports_parse_and_dedupe() {
        let mut ports = vec![];
        extend_ports(
            &mut ports,
            &[
                TomlPort::Number(80),
                TomlPort::Text("80/tcp".into()),
                TomlPort::Text("53/UDP".into()),
            ],
        );
        assert_eq!(ports.len(), 2);
        assert_eq!(ports[1].protocol, Protocol::Udp);
        assert_eq!(port(&TomlPort::Number(70000)), None);
        assert_eq!(port(&TomlPort::Text("x/tcp".into())), None);
    }
}
