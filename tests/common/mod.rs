//! Helpers shared by the integration tests: run the real binary, read what it wrote.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod moto;
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

/// A verdict set from string triples.
pub fn set(items: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    items
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}
