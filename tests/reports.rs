//! Every reporter on the reporters' estate (`fixtures/report/`): a handful of resources judged by
//! three purpose-built policies, showing pass, fail, not evaluated, not applicable, a gap, a
//! waiver, an expired waiver and every baseline state. The snapshots do not change when the
//! built-in catalog grows.

mod common;

use std::path::{Path, PathBuf};

use common::root;
use serde_json::Value;

fn estate_dir() -> PathBuf {
    root().join("fixtures/report")
}

/// Scans the estate into `dir` with every output, against a baseline made from `earlier.json`.
fn scan_all(dir: &Path) -> common::Run {
    common::report_estate(
        dir,
        &[
            "--output",
            "json=results.json",
            "--output",
            "sarif=results.sarif",
            "--output",
            "markdown=report.md",
            "--output",
            "github-summary=summary.md",
            "--output",
            "github-outputs=outputs.txt",
        ],
    )
}

/// Paths in reports differ per machine; the snapshots name the files relative to the estate.
fn portable(text: &str, dir: &Path) -> String {
    text.replace(&estate_dir().display().to_string(), "fixtures/report")
        .replace(&dir.display().to_string(), "<tmp>")
}

fn read(dir: &Path, f: &str) -> String {
    portable(&std::fs::read_to_string(dir.join(f)).unwrap(), dir)
}

#[test]
fn every_reporter_shows_every_state() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let run = scan_all(d);
    // An unwaived critical finding (the expired waiver) gates.
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("report_text", portable(&run.stdout, d));
    insta::assert_snapshot!("report_markdown", read(d, "report.md"));
    insta::assert_snapshot!("report_github_summary", read(d, "summary.md"));
    insta::assert_snapshot!("report_github_outputs", read(d, "outputs.txt"));

    let mut json: Value = serde_json::from_str(&read(d, "results.json")).unwrap();
    // Counts in the summary are those of the verdicts, whatever the estate.
    let verdicts = json["verdicts"].as_array().unwrap();
    for outcome in ["pass", "fail", "not_evaluated", "not_applicable"] {
        let n = verdicts.iter().filter(|v| v["outcome"] == outcome).count();
        assert_eq!(json["summary"][outcome], n as u64, "{outcome}");
        assert!(n > 0, "the estate shows {outcome}");
    }
    json["source"] = Value::String("<snapshot>".into());
    insta::assert_json_snapshot!("report_json", json);

    let mut sarif: Value = serde_json::from_str(&read(d, "results.sarif")).unwrap();
    sarif["runs"][0]["properties"]["source"] = Value::String("<snapshot>".into());
    insta::assert_json_snapshot!("report_sarif", sarif);
}

#[test]
fn the_estate_is_judged_only_by_its_own_policies() {
    let tmp = tempfile::tempdir().unwrap();
    let run = scan_all(tmp.path());
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("results.json")).unwrap())
            .unwrap();
    let policies: std::collections::BTreeSet<&str> = json["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["policy"].as_str().unwrap())
        .collect();
    assert_eq!(
        policies.into_iter().collect::<Vec<_>>(),
        [
            "aws-report-bucket-kms",
            "aws-report-bucket-versioning",
            "aws-report-db-encrypted"
        ],
        "{}",
        run.stderr
    );
}
