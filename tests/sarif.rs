//! The SARIF report against the official SARIF 2.1.0 schema and GitHub code scanning's rules.

mod common;

use std::collections::BTreeSet;

use common::{demo, hipaa_scan, root};
use serde_json::Value;

fn demo_sarif() -> Value {
    let run = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo().to_str().unwrap(),
            "--format",
            "sarif",
        ],
        &root(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("SARIF is JSON")
}

fn report_estate_sarif() -> Value {
    let tmp = tempfile::tempdir().unwrap();
    let run = common::report_estate(tmp.path(), &["--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("SARIF is JSON")
}

#[test]
fn validates_against_the_sarif_2_1_0_schema() {
    let mut schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    // The official schema's `language` patterns have a stray `]`, a literal in ECMAScript regexes
    // but an error for Rust's; escape it so the schema compiles. Nothing else is touched.
    fn escape_stray_bracket(v: &mut Value) -> usize {
        const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        match v {
            Value::String(s) if s == BROKEN => {
                *s = r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$".into();
                1
            }
            Value::Object(m) => m.values_mut().map(escape_stray_bracket).sum(),
            Value::Array(a) => a.iter_mut().map(escape_stray_bracket).sum(),
            _ => 0,
        }
    }
    assert!(
        escape_stray_bracket(&mut schema) > 0,
        "the vendored schema changed"
    );
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    // The demo, and the reporters' estate (suppressions, baseline states, not applicable, gaps).
    for sarif in [demo_sarif(), report_estate_sarif()] {
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "schema violations:\n{}",
            errors.join("\n")
        );
    }
    let sarif = demo_sarif();

    // The validator is not vacuous: a broken document is rejected.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    assert!(!validator.is_valid(&broken));
}

/// The rules GitHub code scanning applies on upload, beyond the schema.
#[test]
fn meets_github_code_scanning_rules() {
    let sarif = demo_sarif();
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        rule_ids.len(),
        rule_ids.iter().collect::<BTreeSet<_>>().len(),
        "rule ids are unique"
    );
    for r in rules {
        let id = r["id"].as_str().unwrap();
        for field in ["shortDescription", "fullDescription"] {
            assert!(
                r[field]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{id}: {field}"
            );
        }
        assert!(
            r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("45 CFR 164."),
            "{id}: help cites the rule"
        );
        assert!(
            r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("Remediation"),
            "{id}: help has remediation"
        );
        let sev: f64 = r["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&sev), "{id}: security-severity {sev}");
        assert!(
            ["very-high", "high", "medium", "low"]
                .contains(&r["properties"]["precision"].as_str().unwrap()),
            "{id}"
        );
        let tags = r["properties"]["tags"].as_array().unwrap();
        assert!(tags.len() <= 20, "{id}: GitHub keeps at most 20 tags");
        assert!(
            tags.iter()
                .any(|t| t.as_str().unwrap().starts_with("HIPAA-164.")),
            "{id}: tags carry the citations"
        );
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(
        results.len() <= 25_000,
        "GitHub accepts at most 25,000 results per run"
    );
    let mut fingerprints = BTreeSet::new();
    for res in results {
        let rule_id = res["ruleId"].as_str().unwrap();
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rule_ids[index], rule_id, "ruleIndex points at the rule");
        assert!(res["message"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        let locations = res["locations"].as_array().unwrap();
        assert!(
            !locations.is_empty(),
            "{rule_id}: every result needs a location"
        );
        let uri = locations[0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            !uri.contains(':') && !uri.starts_with('/'),
            "{rule_id}: uri `{uri}` must be relative and scheme-less"
        );
        assert!(
            !uri.contains(' ') && !uri.contains(".."),
            "{rule_id}: uri `{uri}`"
        );
        let native = locations[0]["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap();
        assert_eq!(res["properties"]["resource"], native);
        let fp = res["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(
            fingerprints.insert(fp.to_string()),
            "{rule_id}: fingerprint {fp} collides"
        );
        assert_eq!(fp, hipaa_scan::report::sarif::fingerprint(rule_id, native));
    }
    // The demo has checks that could not run: they are notifications, and the run is unsuccessful.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert!(notes.iter().any(|n| n["message"]["text"]
        .as_str()
        .unwrap()
        .contains("iam:ListMFADevices: AccessDenied")));
    for n in notes {
        let id = n["associatedRule"]["id"].as_str().unwrap();
        assert!(rule_ids.contains(&id));
    }
}

#[test]
fn fingerprints_are_stable_and_distinct() {
    use hipaa_scan::report::sarif::fingerprint;
    assert_eq!(fingerprint("r", "arn:a"), fingerprint("r", "arn:a"));
    assert_ne!(fingerprint("r", "arn:a"), fingerprint("r", "arn:b"));
    assert_ne!(fingerprint("ra", "rn:b"), fingerprint("r", "arn:b"));
    assert!(fingerprint("r", "x").ends_with(":1"));
}

#[test]
fn a_huge_estate_stays_within_githubs_result_limit_and_says_what_it_cut() {
    let dir = tempfile::tempdir().unwrap();
    // 26,000 buckets that fail the TLS-only check: one finding each.
    let resources: Vec<String> = (0..26_000)
        .map(|i| {
            format!(
                r#"{{"provider":"aws","kind":"aws.s3.bucket","id":"arn:aws:s3:::b-{i}","account":"111122223333","region":"us-east-1","name":"b-{i}","properties":{{"policy_denies_insecure_transport":false}}}}"#
            )
        })
        .collect();
    let snap = common::snapshot(
        dir.path(),
        "huge.json",
        &format!("[{}]", resources.join(",")),
        "[]",
    );
    let out = dir.path().join("huge.sarif");
    let run = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            snap.to_str().unwrap(),
            "--format",
            "json",
            "--output",
            &format!("sarif={}", out.display()),
        ],
        dir.path(),
    );
    let result: Value = serde_json::from_str(&run.stdout).unwrap();
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let sarif_run = &sarif["runs"][0];
    let results = sarif_run["results"].as_array().unwrap();
    assert_eq!(results.len(), 25_000);
    let total = sarif_run["properties"]["results_total"].as_u64().unwrap();
    assert_eq!(total, result["summary"]["fail"].as_u64().unwrap());
    assert_eq!(
        sarif_run["properties"]["results_left_out"]
            .as_u64()
            .unwrap(),
        total - 25_000
    );
    let notes = sarif_run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes.iter().any(|n| n["message"]["text"]
        .as_str()
        .unwrap()
        .contains("results left out")));
}
