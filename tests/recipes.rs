//! The README's scheduled-scan recipe, run as written (on the demo estate instead of a live
//! account): an unwaived finding alerts on every run until it is fixed or waived. And the
//! accepted-baseline path: `baseline accept`, then `--fail-on-new`.

mod common;

use common::{demo, hipaa_scan, root};

/// The hipaa-scan arguments of the README's crontab line, with the live account replaced by
/// the demo snapshot.
fn cron_args() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("17 3 * * *"))
        .expect("the README has a crontab recipe");
    let cmd = line
        .split("&& hipaa-scan ")
        .nth(1)
        .and_then(|rest| rest.split(" >").next())
        .expect("the crontab line runs hipaa-scan and redirects its report");
    let demo = demo();
    let mut args: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
    assert_eq!(&args[..2], ["scan", "aws"], "{cmd}");
    args.splice(1..2, ["--snapshot".to_string(), demo.display().to_string()]);
    args
}

#[test]
fn the_cron_recipe_alerts_on_every_run_until_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo();
    // Seed last.json once by hand, as the README says.
    let seed = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo.to_str().unwrap(),
            "--output",
            "json=last.json",
        ],
        dir.path(),
    );
    assert_eq!(seed.code, 1, "{}", seed.stderr);
    let args = cron_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    for run in 1..=3 {
        let r = hipaa_scan(&args, dir.path());
        assert_eq!(
            r.code, 1,
            "run {run}: the demo's findings must keep failing the gate: {}",
            r.stderr
        );
        let last: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("last.json")).unwrap())
                .unwrap();
        assert!(last["summary"]["gating"].as_u64().unwrap() > 0);
    }
}

#[test]
fn fail_on_new_refuses_a_baseline_the_run_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo();
    let demo = demo.to_str().unwrap();
    let seed = hipaa_scan(
        &["scan", "--snapshot", demo, "--output", "json=last.json"],
        dir.path(),
    );
    assert_eq!(seed.code, 1);
    let r = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo,
            "--baseline",
            "last.json",
            "--fail-on-new",
            "--output",
            "json=last.json",
        ],
        dir.path(),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("baseline accept"), "{}", r.stderr);
}

#[test]
fn an_accepted_baseline_gates_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo();
    let demo = demo.to_str().unwrap();
    let seed = hipaa_scan(
        &["scan", "--snapshot", demo, "--output", "json=reviewed.json"],
        dir.path(),
    );
    assert_eq!(seed.code, 1);
    let accept = hipaa_scan(
        &[
            "baseline",
            "accept",
            "reviewed.json",
            "--output",
            "accepted.json",
            "--note",
            "backlog",
        ],
        dir.path(),
    );
    assert_eq!(accept.code, 0, "{}", accept.stderr);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("accepted.json")).unwrap())
            .unwrap();
    assert_eq!(doc["format"], "hipaa-scan-baseline");
    assert_eq!(doc["note"], "backlog");
    let reviewed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("reviewed.json")).unwrap())
            .unwrap();
    assert_eq!(
        doc["findings"].as_array().unwrap().len() as u64,
        reviewed["summary"]["fail"].as_u64().unwrap(),
        "every finding of the result is accepted"
    );
    let gated = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo,
            "--baseline",
            "accepted.json",
            "--fail-on-new",
            "--format",
            "json",
        ],
        dir.path(),
    );
    let result: serde_json::Value = serde_json::from_str(&gated.stdout).unwrap();
    assert_eq!(result["summary"]["new"], 0);
    assert_ne!(gated.code, 1, "nothing new: {}", gated.stderr);
    assert!(!gated.stderr.contains("warning"), "{}", gated.stderr);
    // Accepting an accepted baseline again is refused.
    let again = hipaa_scan(
        &["baseline", "accept", "accepted.json", "--output", "x.json"],
        dir.path(),
    );
    assert_eq!(again.code, 2, "{}", again.stderr);
}
