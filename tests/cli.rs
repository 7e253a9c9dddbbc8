//! The command line end to end: exit-code contract, reports, errors that name file and line.

mod common;

use common::{demo, hipaa_scan, root, snapshot};
use serde_json::Value;

const BUCKET_WITHOUT_VERSIONING: &str = r#"[{"provider":"aws","kind":"aws.s3.bucket","id":"arn:aws:s3:::b","account":"1","region":"us-east-1","name":"b",
  "properties":{"default_encryption":"aws:kms","policy_denies_insecure_transport":true},
  "unknown":{"versioning":"s3:GetBucketVersioning: AccessDenied"}}]"#;

#[test]
fn demo_scan_fails_and_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo_path = demo();
    let args = [
        "scan",
        "--snapshot",
        demo_path.to_str().unwrap(),
        "--output",
        "sarif=out/results.sarif",
        "--output",
        "json=results.json",
        "--output",
        "markdown=report.md",
        "--output",
        "map=map.md",
        "--output",
        "map-json=map.json",
    ];
    let run = hipaa_scan(&args, d);
    // out/ does not exist: nothing may be written, and it is an output error.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("results.sarif"), "{}", run.stderr);
    assert!(
        !d.join("results.json").exists(),
        "no output may be written when one cannot be"
    );
    std::fs::create_dir(d.join("out")).unwrap();
    let run = hipaa_scan(&args, d);
    assert_eq!(
        run.code, 1,
        "the demo has findings at or above high:\n{}",
        run.stderr
    );
    // The reporters' own snapshots are in tests/reports.rs; the demo is checked through what must
    // hold whatever the catalog: the gate sentence, and counts that agree across formats.
    assert!(
        run.stdout.contains("FAILED: ") && run.stdout.contains("(exit 1)"),
        "{}",
        run.stdout
    );
    for f in [
        "out/results.sarif",
        "results.json",
        "report.md",
        "map.md",
        "map.json",
    ] {
        assert!(d.join(f).is_file(), "{f} missing");
    }
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".hipaa-scan-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temp files left behind: {leftovers:?}"
    );
    let markdown = std::fs::read_to_string(d.join("report.md")).unwrap();
    insta::assert_snapshot!(
        "demo_map",
        std::fs::read_to_string(d.join("map.md")).unwrap()
    );

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("results.json")).unwrap()).unwrap();
    let verdicts = json["verdicts"].as_array().unwrap();
    let count = |o: &str| verdicts.iter().filter(|v| v["outcome"] == o).count() as u64;
    assert_eq!(json["summary"]["pass"], count("pass"));
    assert_eq!(json["summary"]["fail"], count("fail"));
    assert_eq!(json["summary"]["not_evaluated"], count("not_evaluated"));
    assert!(count("pass") > 0 && count("fail") > 0 && count("not_evaluated") > 0);
    assert_eq!(json["complete"], false);
    assert_eq!(json["gate"], "failed");
    assert_eq!(json["exit_code"], 1);
    for (label, key) in [
        ("Fail", "fail"),
        ("Pass", "pass"),
        ("Not evaluated", "not_evaluated"),
        ("Not applicable", "not_applicable"),
    ] {
        let row = format!("| {label} | {} |", json["summary"][key]);
        assert!(markdown.contains(&row), "Markdown lacks `{row}`");
        let line = format!("{} {}", label.to_lowercase(), json["summary"][key]);
        assert!(
            run.stdout.lines().any(|l| l
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .starts_with(&line)),
            "text lacks `{line}`:\n{}",
            run.stdout
        );
    }
    // Tag values never reach a report; keys may.
    let text = std::fs::read_to_string(d.join("results.json")).unwrap();
    assert!(
        !text.contains("\"intake\""),
        "a tag value leaked into the JSON results"
    );
}

#[test]
fn every_demo_verdict_names_a_listed_policy_and_cites_it() {
    let run = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo().to_str().unwrap(),
            "--format",
            "json",
        ],
        &root(),
    );
    assert_eq!(run.code, 1);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let list = hipaa_scan(&["policies", "list", "--format", "json"], &root());
    let policies: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    let by_id: std::collections::BTreeMap<&str, &Value> = policies
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    for verdict in v["verdicts"].as_array().unwrap() {
        let id = verdict["policy"].as_str().unwrap();
        let policy = by_id
            .get(id)
            .unwrap_or_else(|| panic!("{id} is not listed"));
        assert!(!policy["citations"].as_array().unwrap().is_empty(), "{id}");
        let kinds: Vec<&str> = policy["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        if let Some(kind) = verdict["kind"].as_str() {
            // A gap's verdict names every kind it could not list.
            assert!(
                kind.split(", ").any(|k| kinds.contains(&k)),
                "{id} judged a {kind}"
            );
        }
    }
    assert_eq!(v["summary"]["policies"], policies.len());
}

#[test]
fn map_json_lists_every_service_in_use() {
    let run = hipaa_scan(
        &[
            "map",
            "--snapshot",
            demo().to_str().unwrap(),
            "--format",
            "json",
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let services = v["services"].as_array().unwrap();
    let find = |p: &str, s: &str| {
        services
            .iter()
            .find(|x| x["provider"] == p && x["service"] == s)
            .cloned()
    };
    let s3 = find("aws", "s3").expect("s3 in use");
    assert_eq!(s3["eligible"], true);
    assert_eq!(s3["safeguards"].as_array().unwrap().len(), 12);
    assert_eq!(s3["baa_status"], "listed");
    assert!(s3["source"].as_str().unwrap().starts_with("https://"));
    let lightsail = find("aws", "lightsail").expect("lightsail in use");
    assert_eq!(lightsail["eligible"], false);
    assert_eq!(lightsail["baa_status"], "not_listed");
    assert!(lightsail["basis"]
        .as_str()
        .unwrap()
        .contains("not on the AWS BAA list as of "));
    // Outside the BAA nothing is inherited: ePHI is not permitted there; the customer's own
    // workstations stay the customer's.
    for r in lightsail["safeguards"].as_array().unwrap() {
        let workstation = r["citation"] == "164.310(b)" || r["citation"] == "164.310(c)";
        let want = if workstation {
            "customer"
        } else {
            "not_permitted"
        };
        assert_eq!(r["responsibility"], want, "{r}");
        assert!(!r["rationale"].as_str().unwrap().is_empty());
    }
    let disposal = |s: &Value| {
        s["safeguards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["citation"] == "164.310(d)(2)(i)")
            .unwrap()["responsibility"]
            .clone()
    };
    // The provider sanitizes its media; the customer disposes of the ePHI it controls.
    assert_eq!(disposal(&s3), "shared");
    assert_eq!(v["sources"].as_array().unwrap().len(), 3);
    assert!(v["safeguard_sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["url"]
            .as_str()
            .unwrap()
            .starts_with("https://www.ecfr.gov/")));
}

#[test]
fn fail_on_moves_the_gate() {
    let demo = demo();
    let demo = demo.to_str().unwrap();
    let code = |extra: &[&str]| {
        let mut args = vec!["scan", "--snapshot", demo, "--format", "json"];
        args.extend_from_slice(extra);
        hipaa_scan(&args, &root()).code
    };
    assert_eq!(code(&["--fail-on", "critical"]), 1);
    // No gating findings, but the demo has checks that could not run: exit 3, never 0.
    assert_eq!(code(&["--fail-on", "none"]), 3);
    assert_eq!(
        hipaa_scan(
            &["scan", "--snapshot", demo, "--fail-on", "urgent"],
            &root()
        )
        .code,
        2
    );
}

#[test]
fn a_clean_estate_exits_zero_and_an_incomplete_one_three() {
    let dir = tempfile::tempdir().unwrap();
    let clean = snapshot(
        dir.path(),
        "clean.json",
        r#"[{"provider":"aws","kind":"aws.rds.instance","id":"arn:db","account":"1","region":"us-east-1","name":"db",
            "properties":{"engine":"postgres","storage_encrypted":true,"kms_key_id":"k","backup_retention_days":14,
                          "publicly_accessible":false,"multi_az":true,"deletion_protection":true,
                          "tls_enforced":true,"log_exports":["postgresql"]}}]"#,
        "[]",
    );
    // Judged by the policies the instance was written for, so the catalog can grow.
    let run = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            clean.to_str().unwrap(),
            "--select",
            "aws-rds-storage-encrypted,aws-rds-backup-retention,aws-rds-not-public,aws-rds-multi-az,\
             aws-rds-deletion-protection,aws-rds-tls-enforced,aws-rds-log-exports,aws-service-hipaa-eligible",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains(" 8 policies,"), "{}", run.stdout);
    assert!(run.stdout.contains("PASSED"), "{}", run.stdout);

    let gap = snapshot(
        dir.path(),
        "gap.json",
        "[]",
        r#"[{"provider":"gcp","account":"p","kinds":["gcp.sql.instance"],"reason":"sqladmin.instances.list: 403 PERMISSION_DENIED"}]"#,
    );
    let run = hipaa_scan(&["scan", "--snapshot", gap.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("sqladmin.instances.list: 403 PERMISSION_DENIED"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("gcp-sql-ssl-required"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_condition_on_an_unknown_property_is_not_evaluated() {
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::write(
        policies.join("versioning.yaml"),
        "id: aws-s3-versioning-custom\ntitle: Versioned\ndescription: d\ncitations: [\"164.312(c)(1)\"]\nseverity: high\n\
         kinds: [aws.s3.bucket]\nremediation: r\ncondition: resource.versioning == 'Enabled'\n",
    )
    .unwrap();
    let snap = snapshot(dir.path(), "s.json", BUCKET_WITHOUT_VERSIONING, "[]");
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
    assert_eq!(run.code, 3, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let verdict = v["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["policy"] == "aws-s3-versioning-custom")
        .unwrap()
        .clone();
    assert_eq!(verdict["outcome"], "not_evaluated");
    assert_eq!(verdict["reason"], "s3:GetBucketVersioning: AccessDenied");
    assert_eq!(
        verdict["evidence"]["versioning"]["unknown"],
        "s3:GetBucketVersioning: AccessDenied"
    );
}

#[test]
fn malformed_policies_are_rejected_with_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let cases = [
        ("syntax.yaml", "id: aws-x\ntitle: [unclosed\n", "syntax.yaml:2:"),
        (
            "kind.yaml",
            "id: aws-x\ntitle: t\ndescription: d\ncitations: [\"164.312(b)\"]\nseverity: high\nkinds: [aws.s3.buckets]\nremediation: r\ncondition: resource.versioning == 'Enabled'\n",
            "kind.yaml:6:",
        ),
        (
            "prop.yaml",
            "id: aws-y\ntitle: t\ndescription: d\ncitations: [\"164.312(b)\"]\nseverity: high\nkinds: [aws.s3.bucket]\nremediation: r\ncondition: resource.encrypted\n",
            "kind `aws.s3.bucket` has no property `encrypted`",
        ),
        (
            "cel.yaml",
            "id: aws-z\ntitle: t\ndescription: d\ncitations: [\"164.312(b)\"]\nseverity: high\nkinds: [aws.s3.bucket]\nremediation: r\ncondition: resource.versioning ==\n",
            "cel.yaml:8:12: condition: does not compile",
        ),
        (
            "cite.yaml",
            "id: aws-w\ntitle: t\ndescription: d\ncitations: [\"164.999(a)\"]\nseverity: high\nkinds: [aws.s3.bucket]\nremediation: r\ncondition: resource.versioning == 'Enabled'\n",
            "`164.999(a)` is not a citation",
        ),
        (
            "field.yaml",
            "id: aws-v\ntitle: t\ndescription: d\ncitations: [\"164.312(b)\"]\nseverity: urgent\nkinds: [aws.s3.bucket]\nremediation: r\ncondition: resource.versioning == 'Enabled'\n",
            "field.yaml:5:",
        ),
        (
            "anchor.yaml",
            "id: aws-u\ntitle: t\ndescription: d\ncitations: [\"164.312(b)\"]\nseverity: high\nkinds: [aws.s3.bucket]\nremediation: r\ncondition: resource.versioning == 'Enabled'\nanchors:\n  aws_config: none\n  cis_gcp: '5.1'\n",
            "anchor.yaml:10:3: anchors.cis_gcp: unknown anchor `cis_gcp`; this policy maps to: aws_config, prowler",
        ),
    ];
    for (name, text, want) in cases {
        let d = p.join(name.trim_end_matches(".yaml"));
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join(name), text).unwrap();
        let run = hipaa_scan(&["policies", "validate", d.to_str().unwrap()], p);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(want),
            "{name}: expected `{want}` in:\n{}",
            run.stderr
        );
        let run = hipaa_scan(
            &[
                "scan",
                "--snapshot",
                demo().to_str().unwrap(),
                "--policies",
                d.to_str().unwrap(),
            ],
            p,
        );
        assert_eq!(run.code, 2, "{name}: scan must refuse a bad policy");
        assert!(
            run.stdout.is_empty(),
            "{name}: nothing may be printed on stdout"
        );
    }
}

#[test]
fn malformed_snapshots_are_rejected_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let bad_type = snapshot(
        dir.path(),
        "type.json",
        r#"[{"provider":"aws","kind":"aws.rds.instance","id":"arn:db","account":"1","region":"r","name":"db","properties":{"backup_retention_days":"7"}}]"#,
        "[]",
    );
    let run = hipaa_scan(
        &["scan", "--snapshot", bad_type.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("resources[0].properties.backup_retention_days: expected int, found string"),
        "{}",
        run.stderr
    );

    let truncated = dir.path().join("truncated.json");
    std::fs::write(
        &truncated,
        "{\n  \"format\": \"hipaa-scan/inventory\",\n  \"resources\": [\n",
    )
    .unwrap();
    let run = hipaa_scan(
        &["scan", "--snapshot", truncated.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("truncated.json:4"), "{}", run.stderr);

    let missing = hipaa_scan(&["scan", "--snapshot", "no-such.json"], dir.path());
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no-such.json"),
        "{}",
        missing.stderr
    );
}

#[test]
fn config_overrides_parameters_and_rejects_unknown_ones() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("hipaa-scan.yaml");
    std::fs::write(
        &cfg,
        "policies:\n  aws-rds-backup-retention:\n    params:\n      min_backup_retention_days: 1\n",
    )
    .unwrap();
    let run = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo().to_str().unwrap(),
            "--config",
            cfg.to_str().unwrap(),
            "--format",
            "json",
        ],
        dir.path(),
    );
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let billing = v["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| {
            x["policy"] == "aws-rds-backup-retention" && x["resource"]["name"] == "acme-billing"
        })
        .unwrap()
        .clone();
    assert_eq!(
        billing["outcome"], "pass",
        "retention 1 meets a minimum of 1"
    );

    std::fs::write(
        &cfg,
        "policies:\n  aws-rds-backup-retention:\n    params:\n      min_days: 1\n",
    )
    .unwrap();
    let run = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo().to_str().unwrap(),
            "--config",
            cfg.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("hipaa-scan.yaml:3:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("has no parameter `min_days`"),
        "{}",
        run.stderr
    );
}

#[test]
fn inventory_merges_snapshots_into_one_valid_document() {
    let dir = tempfile::tempdir().unwrap();
    let a = snapshot(dir.path(), "a.json", BUCKET_WITHOUT_VERSIONING, "[]");
    let out = dir.path().join("merged.json");
    let run = hipaa_scan(
        &[
            "inventory",
            "--snapshot",
            a.to_str().unwrap(),
            "--snapshot",
            demo().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let merged = hipaa_scan_lib_load(&out);
    assert_eq!(merged.resources.len(), 49);
    assert_eq!(merged.gaps.len(), 1);
}

fn hipaa_scan_lib_load(path: &std::path::Path) -> hipaa_scan::model::Inventory {
    hipaa_scan::model::load_snapshot(path).unwrap()
}

#[test]
fn generated_docs_are_current() {
    let run = hipaa_scan(
        &[
            "docs",
            "--check",
            "--out",
            root().join("docs").to_str().unwrap(),
            "--readme",
            root().join("README.md").to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(
        run.code, 0,
        "docs are stale; run `cargo run -- docs`: {}",
        run.stderr
    );
}

/// The README's call lists are generated blocks: a README whose block is stale or missing fails
/// the check with the difference or the missing marker named, and writes nothing.
#[test]
fn a_stale_or_missing_readme_block_fails_the_docs_check() {
    let dir = tempfile::tempdir().unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let marker = "<!-- end generated: aws-calls -->";
    let stale = readme.replacen(marker, &format!("| gone | — | `s3:Nothing` |\n{marker}"), 1);
    let path = dir.path().join("README.md");
    std::fs::write(&path, &stale).unwrap();
    let docs = root().join("docs");
    let args = |readme: &std::path::Path| {
        vec![
            "docs".to_string(),
            "--check".to_string(),
            "--out".to_string(),
            docs.to_str().unwrap().to_string(),
            "--readme".to_string(),
            readme.to_str().unwrap().to_string(),
        ]
    };
    let run = hipaa_scan(
        &args(&path).iter().map(String::as_str).collect::<Vec<_>>(),
        &root(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("-| gone | — | `s3:Nothing` |"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), stale);

    let headless = readme.replace("<!-- generated: gcp-calls", "<!-- gcp-calls");
    std::fs::write(&path, headless).unwrap();
    let run = hipaa_scan(
        &args(&path).iter().map(String::as_str).collect::<Vec<_>>(),
        &root(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("generated: gcp-calls"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_two_and_help_exits_zero() {
    assert_eq!(hipaa_scan(&["scan"], &root()).code, 2);
    assert_eq!(hipaa_scan(&["frobnicate"], &root()).code, 2);
    assert_eq!(
        hipaa_scan(
            &["scan", "--snapshot", "x", "--output", "pdf=x.pdf"],
            &root()
        )
        .code,
        2
    );
    let help = hipaa_scan(&["--help"], &root());
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Exit codes"));
}

#[test]
fn text_summary_separates_waived_findings_and_marks_new_and_expired() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = dir.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "waivers:
  - policy: aws-s3-default-encryption-kms
    resource: acme-web-assets
    reason: Public marketing assets; never holds ePHI
    owner: web-team@acmehealth.example
    expires: 2027-06-30
  - policy: aws-rds-storage-encrypted
    resource: acme-staging
    reason: Synthetic data only
    owner: platform@acmehealth.example
    expires: 2026-10-31
",
    )
    .unwrap();
    let baseline = dir.path().join("baseline.json");
    let clean = snapshot(dir.path(), "empty.json", "[]", "[]");
    let prev = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            clean.to_str().unwrap(),
            "--format",
            "json",
        ],
        dir.path(),
    );
    std::fs::write(&baseline, prev.stdout).unwrap();
    let run = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo().to_str().unwrap(),
            "--waivers",
            waivers.to_str().unwrap(),
            "--today",
            "2026-11-23",
            "--baseline",
            baseline.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1);
    let section = |title: &str| {
        let start = run
            .stdout
            .find(&format!("\n{title}\n"))
            .unwrap_or_else(|| panic!("no {title}:\n{}", run.stdout));
        let rest = &run.stdout[start + title.len() + 2..];
        rest[..rest.find("\n\n").unwrap_or(rest.len())].to_string()
    };
    let findings = section("Findings");
    let waived = section("Waived (accepted risks, not gating)");
    assert!(
        !findings.contains(
            "aws-s3-default-encryption-kms  aws/111122223333/us-east-1/s3/acme-web-assets"
        ),
        "{findings}"
    );
    assert!(
        waived.contains("acme-web-assets: Public marketing assets"),
        "{waived}"
    );
    assert!(
        findings.contains("rds/acme-staging [new] [waiver expired 2026-10-31"),
        "{findings}"
    );
    assert!(
        findings.contains("acme-claims-exports [ePHI] [new]"),
        "{findings}"
    );
    // The counts come from the same scan's JSON result, not from literals.
    let json = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo().to_str().unwrap(),
            "--waivers",
            waivers.to_str().unwrap(),
            "--today",
            "2026-11-23",
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            "json",
        ],
        dir.path(),
    );
    let summary: Value = serde_json::from_str(&json.stdout).unwrap();
    let (waived_n, new_n) = (&summary["summary"]["waived"], &summary["summary"]["new"]);
    assert_eq!(waived_n, 1);
    assert!(new_n.as_u64().unwrap() > 1);
    assert!(
        run.stdout.contains(&format!(
            "of the failures:  {waived_n} waived, {new_n} new since the baseline"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn select_runs_only_the_named_policies_and_rejects_a_pattern_that_names_none() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let list = |args: &[&str]| {
        let mut all = vec!["policies", "list", "--format", "json"];
        all.extend_from_slice(args);
        hipaa_scan(&all, d)
    };
    let every: Vec<Value> = serde_json::from_str(&list(&[]).stdout).unwrap();
    let run = list(&["--select", "aws-s3-*,gcp-sql-ssl-required"]);
    let chosen: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let expected = every
        .iter()
        .filter(|p| {
            let id = p["id"].as_str().unwrap();
            id.starts_with("aws-s3-") || id == "gcp-sql-ssl-required"
        })
        .count();
    assert!(expected > 1 && expected < every.len());
    assert_eq!(chosen.len(), expected);
    // The same from a config file, and both together narrow further.
    std::fs::write(d.join("c.yaml"), "select: [aws-s3-*]\n").unwrap();
    let from_config: Vec<Value> =
        serde_json::from_str(&list(&["--config", "c.yaml"]).stdout).unwrap();
    assert_eq!(from_config.len(), expected - 1);
    let both: Vec<Value> = serde_json::from_str(
        &list(&["--config", "c.yaml", "--select", "aws-s3-not-public"]).stdout,
    )
    .unwrap();
    assert_eq!(both.len(), 1);
    // A typo is an input error naming where it came from, never an empty gate.
    let typo = list(&["--select", "aws-s3-not-publik"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("aws-s3-not-publik"), "{}", typo.stderr);
    std::fs::write(d.join("bad.yaml"), "select: [aws-nope-*]\n").unwrap();
    let bad = list(&["--config", "bad.yaml"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("bad.yaml") && bad.stderr.contains("select"),
        "{}",
        bad.stderr
    );
}
