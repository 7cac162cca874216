//! Every Dockerfile a case dir expects, read back with the model of BuildKit's parser
//! (`support/buildkit.rs`), holds exactly its plan's mounts, COPY flags and paths (issue 13: one
//! escaping for each instruction's argument grammar, checked by a parser, not by eye).

mod support;

#[path = "support/buildkit.rs"]
mod buildkit;

#[test]
fn every_case_dockerfile_reads_back_as_its_plan() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for dir in support::fixture_dirs("tests/cases", Some("Dockerfile.expected")) {
        let plan = dir.join("plan.expected.json");
        let (Ok(dockerfile), Ok(plan)) = (
            std::fs::read_to_string(dir.join("Dockerfile.expected")),
            std::fs::read_to_string(&plan),
        ) else {
            continue;
        };
        let plan: serde_json::Value = match serde_json::from_str(&plan) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{}: plan: {e}", dir.display()));
                continue;
            }
        };
        if let Err(e) = buildkit::readback(&dockerfile, &plan) {
            failures.push(format!("{}: {e}", dir.display()));
        }
        checked += 1;
    }
    assert!(
        checked > 50,
        "only {checked} cases with a Dockerfile and a plan"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What stagegen wrote before the fix (issue 13): the check must see the injected options.
#[test]
fn the_old_output_is_caught() {
    let plan = serde_json::json!({
        "secrets": [],
        "stages": [{
            "name": "a",
            "steps": [
                {"run": {"mounts": [{"cache": {
                    "target": "/c,type=bind,source=/,target=/host,rw", "id": null, "sharing": "shared"
                }}]}},
                {"run": {"mounts": [{"cache": {"target": "/c'x", "id": null, "sharing": "shared"}}]}},
                {"copy": {"source": "context", "paths": ["a\\b.txt"], "dest": "/x/", "chown": "$OWNER"}},
            ]
        }]
    });
    let run1 =
        "RUN --mount=type=cache,\"target=/c,type=bind,source=/,target=/host,rw\" \\\n    true\n";
    let run2 = "RUN --mount=type=cache,target=/c'x \\\n    echo hi\n";
    let copy = "COPY --chown=\"\\$OWNER\" [\"a\\\\b.txt\", \"/x/\"]\n";
    let ok1 = "RUN --mount=type=cache,\\\"target=/c,type=bind,source=/,target=/host,rw\\\" \\\n    true\n";
    let ok2 = "RUN --mount=type=cache,target=/c\\\\\\'x \\\n    true\n";
    for (i, broken) in [
        format!("FROM debian AS a\n{run1}{ok2}{copy}"),
        format!("FROM debian AS a\n{ok1}{run2}{copy}"),
        format!("FROM debian AS a\n{ok1}{ok2}{copy}"),
    ]
    .iter()
    .enumerate()
    {
        let err = buildkit::readback(broken, &plan).expect_err(broken);
        assert!(err.contains(&format!("step {i}")), "case {i}: {err}");
    }
}
