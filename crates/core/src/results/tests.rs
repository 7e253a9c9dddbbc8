//! The gate and triage on a hand-built estate: two policies, four resources, a gap.

use std::collections::BTreeMap;

use crate::baseline::{Baseline, State};
use crate::config::{Config, FailOn};
use crate::model::parse_snapshot;
use crate::policy::{load_files, PolicyFile, Severity};
use crate::scan::{Outcome as Run, Setup};
use crate::waiver::Waivers;

use super::{Gate, Triage};

const POLICIES: &str = "\
id: aws-t-kms
title: KMS
description: d
citations: [\"164.312(a)(2)(iv)\"]
severity: high
kinds: [aws.s3.bucket]
remediation: r
condition: resource.default_encryption == 'aws:kms'
---
id: aws-t-versioning
title: Versioning
description: d
citations: [\"164.312(c)(1)\"]
severity: low
kinds: [aws.s3.bucket]
remediation: r
condition: resource.versioning == 'Enabled'
";

fn bucket(name: &str, enc: &str, versioning: &str) -> String {
    format!(
        r#"{{"provider":"aws","kind":"aws.s3.bucket","id":"arn:aws:s3:::{name}","account":"1","region":"us-east-1","name":"{name}","properties":{{"default_encryption":"{enc}","versioning":"{versioning}"}}}}"#
    )
}

fn setup() -> Setup {
    let files = [PolicyFile {
        name: "t.yaml".into(),
        text: POLICIES.into(),
    }];
    Setup {
        config: Config::default(),
        policies: load_files(&[], &files, &BTreeMap::new(), "<none>").unwrap(),
        catalog: crate::baa::Catalog::builtin().unwrap(),
    }
}

fn run(resources: &[String], gaps: &str) -> Run {
    let doc = format!(
        r#"{{"format":"hipaa-scan/inventory","format_version":1,"collected_at":"2026-11-20T08:00:00Z","resources":[{}],"gaps":{gaps}}}"#,
        resources.join(",")
    );
    Run::run(&setup(), parse_snapshot(&doc, "t.json").unwrap())
}

fn waivers(text: &str, s: &Setup) -> Waivers {
    Waivers::parse(text, "w.yaml", &s.policies).unwrap()
}

#[test]
fn the_gate_follows_fail_on_and_completeness() {
    let s = setup();
    let clean = run(&[bucket("a", "aws:kms", "Enabled")], "[]");
    assert_eq!(
        clean.scan(&s, FailOn::default(), "t".into()).gate(),
        Gate::Passed
    );

    // A low finding fails only when fail-on reaches it.
    let low = run(&[bucket("a", "aws:kms", "Suspended")], "[]");
    assert_eq!(
        low.scan(&s, FailOn::default(), "t".into()).gate(),
        Gate::Passed
    );
    let scan = low.scan(&s, FailOn::Severity(Severity::Low), "t".into());
    assert_eq!(scan.gate(), Gate::Failed);
    assert_eq!(scan.gate().exit_code(), 1);
    assert_eq!(low.scan(&s, FailOn::Never, "t".into()).gate(), Gate::Passed);

    // A gap makes the scan incomplete (3), unless a finding gates (1).
    let gap = r#"[{"provider":"aws","account":"1","region":"eu-west-1","kinds":["aws.s3.bucket"],"reason":"AccessDenied"}]"#;
    let incomplete = run(&[bucket("a", "aws:kms", "Enabled")], gap);
    let scan = incomplete.scan(&s, FailOn::default(), "t".into());
    assert!(!scan.complete());
    assert_eq!(
        (scan.gate(), scan.gate().exit_code()),
        (Gate::Incomplete, 3)
    );
    let both = run(&[bucket("a", "AES256", "Enabled")], gap);
    assert_eq!(
        both.scan(&s, FailOn::default(), "t".into()).gate(),
        Gate::Failed
    );
}

#[test]
fn waivers_suppress_until_they_expire_and_stale_ones_are_listed() {
    let s = setup();
    let r = run(
        &[
            bucket("a", "AES256", "Enabled"),
            bucket("b", "AES256", "Enabled"),
        ],
        "[]",
    );
    let w = "waivers:\n  - {policy: aws-t-kms, resource: a, reason: r, owner: o, expires: 2026-12-01}\n  - {policy: aws-t-kms, resource: b, reason: r, owner: o, expires: 2026-11-01}\n  - {policy: aws-t-versioning, resource: '*', reason: r, owner: o, expires: 2027-01-01}\n";
    let scan = r
        .scan(&s, FailOn::default(), "t".into())
        .with_triage(Triage {
            waivers: waivers(w, &s),
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 30),
            ..Triage::default()
        });
    let c = scan.counts();
    assert_eq!((c.fail, c.waived, c.gating), (2, 1, 1));
    // b's waiver expired: it gates, and is listed for review; the third matches nothing.
    assert_eq!(scan.gate(), Gate::Failed);
    assert_eq!(scan.expired_waivers().len(), 1);
    assert_eq!(scan.stale_waivers().len(), 1);
    let open: Vec<_> = scan
        .open_findings()
        .iter()
        .map(|v| scan.target(v.target).name.clone())
        .collect();
    assert_eq!(open, ["b"]);

    // On the day a waiver expires it still holds; the day after it does not.
    for (day, gating) in [(1, 1), (2, 2)] {
        let scan = r
            .scan(&s, FailOn::default(), "t".into())
            .with_triage(Triage {
                waivers: waivers(w, &s),
                today: chrono::NaiveDate::from_ymd_opt(2026, 12, day),
                ..Triage::default()
            });
        assert_eq!(scan.counts().gating, gating, "2026-12-{day:02}");
    }
}

#[test]
fn a_baseline_marks_states_and_gates_only_new_findings_when_asked() {
    let s = setup();
    let r = run(
        &[
            bucket("old", "AES256", "Enabled"),
            bucket("new", "AES256", "Enabled"),
            bucket("fixed", "aws:kms", "Enabled"),
        ],
        "[]",
    );
    let mut findings = BTreeMap::new();
    for name in ["old", "fixed", "deleted"] {
        findings.insert(
            ("aws-t-kms".to_string(), format!("arn:aws:s3:::{name}")),
            name.to_string(),
        );
    }
    let baseline = Baseline {
        findings,
        accepted: true,
    };
    for fail_on_new in [false, true] {
        let scan = r
            .scan(&s, FailOn::default(), "t".into())
            .with_triage(Triage {
                baseline: Some(baseline.clone()),
                fail_on_new,
                ..Triage::default()
            });
        let states: BTreeMap<String, State> = scan
            .findings()
            .iter()
            .map(|v| {
                (
                    scan.target(v.target).name.clone(),
                    scan.baseline_state(v).unwrap(),
                )
            })
            .collect();
        assert_eq!(states["old"], State::Unchanged);
        assert_eq!(states["new"], State::New);
        let resolved: BTreeMap<&str, &str> = scan
            .resolved()
            .iter()
            .map(|r| (r.location.as_str(), r.status))
            .collect();
        assert_eq!(resolved.len(), 2, "{resolved:?}");
        assert!(resolved.values().any(|s| *s == "resolved"));
        assert!(resolved.values().any(|s| *s == "gone"));
        let c = scan.counts();
        assert_eq!(c.new, 1);
        // Drift never changes the gate; gating on new findings leaves the unchanged one out.
        assert_eq!(c.gating, if fail_on_new { 1 } else { 2 });
        assert_eq!(scan.gate(), Gate::Failed);
    }
}
