//! What may carry PHI never reaches a report: tag values in every format, names taken from a
//! tag (unless `--redact tags`), and the values inside a condition's error.

mod common;

use common::{hipaa_scan, snapshot};

const SECRET_NAME: &str = "mri-jane-doe-1961-04-02";
const SECRET_TAG: &str = "owner-john-roe";

const FORMATS: [&str; 8] = [
    "text",
    "json",
    "sarif",
    "markdown",
    "map",
    "coverage",
    "github-summary",
    "github-outputs",
];

fn estate(dir: &std::path::Path) -> std::path::PathBuf {
    snapshot(
        dir,
        "estate.json",
        &format!(
            r#"[{{"provider":"aws","kind":"aws.ec2.volume","id":"arn:aws:ec2:us-east-1:111122223333:volume/vol-0abc","account":"111122223333","region":"us-east-1","name":"{SECRET_NAME}","tags":{{"Name":"{SECRET_NAME}","Owner":"{SECRET_TAG}","phi":"yes"}},"properties":{{"encrypted":false,"kms_key_id":null}}}}]"#
        ),
        "[]",
    )
}

#[test]
fn tag_values_never_reach_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let snap = estate(dir.path());
    for format in FORMATS {
        let run = hipaa_scan(
            &[
                "scan",
                "--snapshot",
                snap.to_str().unwrap(),
                "--format",
                format,
            ],
            dir.path(),
        );
        assert!(run.code == 0 || run.code == 1, "{format}: {}", run.stderr);
        assert!(
            !run.stdout.contains(SECRET_TAG),
            "{format} shows a tag value"
        );
        assert!(
            !run.stderr.contains(SECRET_TAG),
            "{format} logs a tag value"
        );
    }
}

#[test]
fn names_taken_from_a_tag_are_hidden_unless_redact_tags_asks_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let snap = estate(dir.path());
    let mut shown_on_request = false;
    for format in FORMATS {
        let shown = hipaa_scan(
            &[
                "scan",
                "--snapshot",
                snap.to_str().unwrap(),
                "--format",
                format,
                "--redact",
                "tags",
            ],
            dir.path(),
        );
        shown_on_request |= shown.stdout.contains(SECRET_NAME);
        for level in [&[][..], &["--redact", "names"][..]] {
            let mut args = vec![
                "scan",
                "--snapshot",
                snap.to_str().unwrap(),
                "--format",
                format,
            ];
            args.extend_from_slice(level);
            let run = hipaa_scan(&args, dir.path());
            assert!(run.code == 0 || run.code == 1, "{format}: {}", run.stderr);
            assert!(
                !run.stdout.contains(SECRET_NAME),
                "{format} {level:?} shows a name taken from a tag:\n{}",
                run.stdout
            );
        }
    }
    assert!(shown_on_request, "`--redact tags` shows resource names");
    let json = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            snap.to_str().unwrap(),
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert!(json.stdout.contains("vol-0abc"), "the native id stands in");
}

#[test]
fn a_condition_error_does_not_carry_the_values_it_compared() {
    let dir = tempfile::tempdir().unwrap();
    let snap = estate(dir.path());
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::write(
        policies.join("aws-owner-check.yaml"),
        r#"id: aws-owner-check
title: A check that compares a tag with a number
description: A broken condition, on purpose.
citations: ["164.312(a)(1)"]
severity: low
kinds: [aws.ec2.volume]
remediation: Fix the condition.
condition: resource.tags['Owner'] > 3
"#,
    )
    .unwrap();
    let run = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            snap.to_str().unwrap(),
            "--policies",
            policies.to_str().unwrap(),
            "--format",
            "json",
        ],
        dir.path(),
    );
    let result: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let v = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["policy"] == "aws-owner-check")
        .unwrap();
    assert_eq!(v["outcome"], "not_evaluated");
    let reason = v["reason"].as_str().unwrap();
    assert!(reason.contains("CEL"), "{reason}");
    assert!(!reason.contains(SECRET_TAG), "{reason}");
}
