//! The inheritance map as a one-page document an auditor can sign: per service its BAA status
//! and source, who carries each 164.310 row and why, the agreements, the count of ePHI
//! resources outside the BAA, what the scan could not enumerate, and the tool and data versions.

mod common;

use common::{demo, hipaa_scan};

#[test]
fn the_demo_map_has_every_element_of_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("hipaa-scan.yaml");
    std::fs::write(
        &config,
        "agreements:\n  aws:\n    reference: AWS Artifact, BAA accepted for the organization\n    effective: 2024-03-01\n    covers: organization o-abc123\n",
    )
    .unwrap();
    let demo = demo();
    let md = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--format",
            "map",
        ],
        dir.path(),
    );
    assert_eq!(md.code, 1, "{}", md.stderr);
    for element in [
        "## Business Associate Agreements",
        "AWS Artifact, BAA accepted for the organization",
        "2024-03-01",
        "**not verified**",
        "## Scope of this map",
        "rds:DescribeDBInstances: AccessDenied",
        "## Services in use",
        "**NOT on the list**",
        "must be 0",
        "## Who carries each safeguard",
        "Customer's obligation",
        "## Sources",
        "https://aws.amazon.com/compliance/hipaa-eligible-services-reference/",
        "ecfr.gov",
        concat!("hipaa-scan ", env!("CARGO_PKG_VERSION")),
    ] {
        assert!(md.stdout.contains(element), "the map lacks {element:?}");
    }
    let json = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--format",
            "map-json",
        ],
        dir.path(),
    );
    let map: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let about = &map["about"];
    assert_eq!(about["tool_version"], env!("CARGO_PKG_VERSION"));
    assert!(
        about["ephi_outside_baa"].as_u64().unwrap() > 0,
        "the demo has ePHI on Lightsail"
    );
    let agreements = about["agreements"].as_array().unwrap();
    assert_eq!(agreements.len(), 3, "one per provider in the estate");
    assert!(agreements
        .iter()
        .any(|a| a["provider"] == "aws" && a["status"] == "recorded"));
    assert!(agreements
        .iter()
        .any(|a| a["provider"] == "gcp" && a["status"] == "not_verified"));
    assert!(!about["not_enumerated"].as_array().unwrap().is_empty());
}

#[test]
fn coverage_lists_every_specification() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo();
    let run = hipaa_scan(
        &[
            "scan",
            "--snapshot",
            demo.to_str().unwrap(),
            "--format",
            "coverage-json",
        ],
        dir.path(),
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let specs = doc["specifications"].as_array().unwrap();
    assert_eq!(specs.len(), hipaa_scan::hipaa::SPECIFICATIONS.len());
    for s in specs {
        let status = s["status"].as_str().unwrap();
        assert!(!status.is_empty());
        if status == "assessed" {
            assert!(!s["policies"].as_array().unwrap().is_empty());
        }
    }
    let disposal = specs
        .iter()
        .find(|s| s["citation"] == "164.310(d)(2)(i)")
        .unwrap();
    assert_ne!(
        disposal["status"], "inherited",
        "disposal is shared, never fully inherited"
    );
    assert!(specs
        .iter()
        .any(|s| s["citation"] == "164.308(a)(1)(ii)(A)" && s["status"] == "manual attestation"));
}
