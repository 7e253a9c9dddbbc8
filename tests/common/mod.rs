//! Helpers shared by the integration tests: run the real binary, read what it wrote.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[cfg(feature = "azure")]
pub mod azure;
#[cfg(feature = "gcp")]
pub mod google;
pub mod moto;
pub mod moto_front;
pub mod peer;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn demo() -> PathBuf {
    root().join("fixtures/demo/estate.json")
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn hipaa_scan(args: &[&str], cwd: &Path) -> Run {
    hipaa_scan_env(args, cwd, &[])
}

/// Runs the binary with extra environment variables.
pub fn hipaa_scan_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_hipaa-scan"))
        .args(args)
        .current_dir(cwd)
        .envs(env.iter().copied())
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1")
        .output()
        .expect("run hipaa-scan");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// Writes a snapshot document with the given resources (JSON array text) and gaps.
pub fn snapshot(dir: &Path, name: &str, resources: &str, gaps: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            r#"{{"format":"hipaa-scan/inventory","format_version":1,"collected_at":"2026-11-20T08:00:00Z","resources":{resources},"gaps":{gaps}}}"#
        ),
    )
    .unwrap();
    path
}

/// (policy, resource name, outcome) of every verdict in a JSON report.
pub fn verdicts(result: &serde_json::Value) -> BTreeSet<(String, String, String)> {
    result["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .map(|v| {
            (
                v["policy"].as_str().unwrap_or_default().to_string(),
                v["resource"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                v["outcome"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The verdict of `policy` on the resource named `name` in a JSON report.
pub fn verdict<'a>(
    result: &'a serde_json::Value,
    policy: &str,
    name: &str,
) -> &'a serde_json::Value {
    result["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .find(|v| v["policy"] == policy && v["resource"]["name"] == name)
        .unwrap_or_else(|| panic!("no {policy} verdict for {name}"))
}

/// (policy, resource name, outcome) of the verdicts of `policies` only.
pub fn verdicts_of(
    result: &serde_json::Value,
    policies: &[&str],
) -> BTreeSet<(String, String, String)> {
    verdicts(result)
        .into_iter()
        .filter(|(p, _, _)| policies.contains(&p.as_str()))
        .collect()
}

/// The verdicts (as `seen` names them) of the policies `expected` names: an exact-verdict test
/// judges the policies its estate was written for, so a policy added later over the same data is
/// judged by its own fixture and the catalog can grow.
pub fn written_for(
    seen: BTreeSet<(String, String, String)>,
    expected: &BTreeSet<(String, String, String)>,
) -> BTreeSet<(String, String, String)> {
    let policies: BTreeSet<&str> = expected.iter().map(|(p, _, _)| p.as_str()).collect();
    seen.into_iter()
        .filter(|(p, _, _)| policies.contains(p.as_str()))
        .collect()
}

/// A verdict set from string triples.
pub fn set(items: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    items
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

/// The reporters' estate (`fixtures/report/`): scans `earlier.json` into `dir/baseline.json`,
/// then the estate against that baseline, with its own policies, waivers and day, plus `extra`.
pub fn report_estate(dir: &Path, extra: &[&str]) -> Run {
    let e = root().join("fixtures/report");
    let p = |f: &str| e.join(f).display().to_string();
    let baseline = dir.join("baseline.json").display().to_string();
    let own = |snapshot: &str| {
        vec![
            "scan".to_string(),
            "--snapshot".into(),
            p(snapshot),
            "--policies".into(),
            p("policies"),
            "--select".into(),
            "aws-report-*".into(),
        ]
    };
    let mut earlier = own("earlier.json");
    earlier.extend(["--format", "json", "--output"].map(String::from));
    earlier.push(format!("json={baseline}"));
    let earlier: Vec<&str> = earlier.iter().map(String::as_str).collect();
    let run = hipaa_scan(&earlier, dir);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut args = own("estate.json");
    args.extend([
        "--waivers".into(),
        p("waivers.yaml"),
        "--baseline".into(),
        baseline,
        "--today".into(),
        "2026-11-30".into(),
    ]);
    args.extend(extra.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    hipaa_scan(&args, dir)
}

/// Every `.rs` file under `dir`, in the modules' own folders too, except their `tests.rs`.
pub fn rust_sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
    out
}
