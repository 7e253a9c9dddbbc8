//! IAM Access Analyzer, Amazon Inspector and Amazon Macie per region and Systems Manager's managed
//! instances, end to end: EC2 instances and Inspector's status are made in moto; the calls moto
//! lacks or answers in a shape AWS does not send (Access Analyzer, SSM's
//! `DescribeInstanceInformation`, Macie's session) get recorded answers in AWS's shape from the
//! front in front of it, per region and per page, errors included. Each look-alike gets its exact
//! verdict.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use aws_config::SdkConfig;
use aws_sdk_ec2::types::InstanceType;
use common::moto::Moto;
use common::moto_front::Answer;
use common::verdicts_of as verdicts;
use serde_json::{json, Value};

/// Runs `count` instances named `name` in the region of `conf`; their IDs.
async fn run(conf: &SdkConfig, region: &str, name: &str) -> String {
    let ec2 = aws_sdk_ec2::Client::from_conf(
        aws_sdk_ec2::config::Builder::from(conf)
            .region(aws_sdk_ec2::config::Region::new(region.to_string()))
            .build(),
    );
    let out = ec2
        .run_instances()
        .image_id("ami-12c6146b")
        .instance_type(InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .tag_specifications(
            aws_sdk_ec2::types::TagSpecification::builder()
                .resource_type(aws_sdk_ec2::types::ResourceType::Instance)
                .tags(
                    aws_sdk_ec2::types::Tag::builder()
                        .key("Name")
                        .value(name)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let id = out.instances()[0].instance_id().unwrap().to_string();
    if name == "stopped" {
        ec2.stop_instances().instance_ids(&id).send().await.unwrap();
    }
    id
}

/// Turns Inspector's scan types on (or off) for the account in one region of moto.
async fn inspector(conf: &SdkConfig, region: &str, enable: bool, types: &[&str]) {
    let client = aws_sdk_inspector2::Client::from_conf(
        aws_sdk_inspector2::config::Builder::from(conf)
            .region(aws_sdk_inspector2::config::Region::new(region.to_string()))
            .build(),
    );
    let types: Vec<_> = types
        .iter()
        .map(|t| aws_sdk_inspector2::types::ResourceScanType::from(*t))
        .collect();
    if enable {
        client
            .enable()
            .account_ids("123456789012")
            .set_resource_types(Some(types))
            .send()
            .await
            .unwrap();
    } else {
        client
            .disable()
            .account_ids("123456789012")
            .set_resource_types(Some(types))
            .send()
            .await
            .unwrap();
    }
}

fn analyzer(name: &str, kind: &str, status: &str) -> Value {
    json!({
        "arn": format!("arn:aws:access-analyzer:us-east-1:123456789012:analyzer/{name}"),
        "name": name,
        "type": kind,
        "createdAt": "2026-01-05T10:00:00Z",
        "status": status,
    })
}

fn node(id: &str, ping: &str) -> Value {
    json!({
        "InstanceId": id,
        "PingStatus": ping,
        "LastPingDateTime": 1.7645e9,
        "AgentVersion": "3.3.1142.0",
        "PlatformType": "Linux",
        "ResourceType": "EC2Instance",
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_analyzer_and_ssm_look_alikes_get_exact_verdicts() {
    let moto = Moto::start();
    let conf = moto.sdk("testing", "testing").await;
    let mut ids = BTreeMap::new();
    for name in ["managed", "lost", "unmanaged", "stopped"] {
        ids.insert(name, run(&conf, "us-east-1", name).await);
    }
    run(&conf, "eu-west-1", "eu-app").await;
    // Inspector: every scan type in us-east-1; EC2 only in eu-west-1; turned on and off again in
    // ap-southeast-2.
    inspector(&conf, "us-east-1", true, &["EC2", "ECR", "LAMBDA"]).await;
    inspector(&conf, "eu-west-1", true, &["EC2"]).await;
    inspector(&conf, "ap-southeast-2", true, &["EC2"]).await;
    inspector(&conf, "ap-southeast-2", false, &["EC2"]).await;

    // us-east-1: an active analyzer of external access, on the second page after an analyzer of
    // unused access. eu-west-1: an analyzer of external access still being created and one of
    // unused access. ap-southeast-2: the call is denied.
    moto.answer(
        Answer::ok(
            "access-analyzer",
            "/analyzer",
            json!({
                "analyzers": [analyzer("unused", "ACCOUNT_UNUSED_ACCESS", "ACTIVE")],
                "nextToken": "page-2",
            })
            .to_string(),
        )
        .in_region("us-east-1"),
    );
    moto.answer(
        Answer::ok(
            "access-analyzer",
            "/analyzer",
            json!({ "analyzers": [analyzer("external", "ACCOUNT", "ACTIVE")] }).to_string(),
        )
        .in_region("us-east-1")
        .when("nextToken=page-2"),
    );
    moto.answer(
        Answer::ok(
            "access-analyzer",
            "/analyzer",
            json!({ "analyzers": [
                analyzer("external", "ACCOUNT", "CREATING"),
                analyzer("org-unused", "ORGANIZATION_UNUSED_ACCESS", "ACTIVE"),
            ]})
            .to_string(),
        )
        .in_region("eu-west-1"),
    );
    let denied = "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: access-analyzer:ListAnalyzers";
    moto.answer(
        Answer::ok("access-analyzer", "/analyzer", "")
            .in_region("ap-southeast-2")
            .error(403, "AccessDeniedException", denied),
    );
    // AWS Artifact refused (SecurityAudit does not grant it): the BAA is unknown, never absent.
    moto.answer(Answer::ok("artifact", "/v1/customer-agreement/list", "").error(
        403,
        "AccessDeniedException",
        "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: artifact:ListCustomerAgreements",
    ));
    // us-east-1's managed nodes, over two pages: `managed` online, `lost` and `stopped` with
    // their agent gone; `unmanaged` is not a managed node. eu-west-1: denied.
    moto.answer(
        Answer::ok(
            "ssm",
            "AmazonSSM.DescribeInstanceInformation",
            json!({
                "InstanceInformationList": [node(&ids["managed"], "Online"), node(&ids["lost"], "ConnectionLost")],
                "NextToken": "nodes-2",
            })
            .to_string(),
        )
        .in_region("us-east-1"),
    );
    moto.answer(
        Answer::ok(
            "ssm",
            "AmazonSSM.DescribeInstanceInformation",
            json!({ "InstanceInformationList": [node(&ids["stopped"], "ConnectionLost")] })
                .to_string(),
        )
        .in_region("us-east-1")
        .when("nodes-2"),
    );
    let ssm_denied = "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: ssm:DescribeInstanceInformation";
    moto.answer(
        Answer::ok("ssm", "AmazonSSM.DescribeInstanceInformation", "")
            .in_region("eu-west-1")
            .error(400, "AccessDeniedException", ssm_denied),
    );

    // Macie: moto's GetMacieSession sends timestamps without an offset, which the SDK rightly
    // refuses, so the front answers for it: enabled in us-east-1, paused in eu-west-1; in
    // ap-southeast-2 IAM refuses GetMacieSession (as SecurityAudit does) and ListFindings says
    // Macie is not enabled.
    let session = |status: &str| {
        json!({
            "createdAt": "2026-01-05T10:00:00Z",
            "findingPublishingFrequency": "FIFTEEN_MINUTES",
            "serviceRole": "arn:aws:iam::123456789012:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie",
            "status": status,
            "updatedAt": "2026-01-05T10:00:00Z",
        })
        .to_string()
    };
    moto.answer(Answer::ok("macie2", "/macie", session("ENABLED")).in_region("us-east-1"));
    moto.answer(Answer::ok("macie2", "/macie", session("PAUSED")).in_region("eu-west-1"));
    moto.answer(
        Answer::ok("macie2", "/macie", "")
            .in_region("ap-southeast-2")
            .error(403, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: macie2:GetMacieSession"),
    );
    moto.answer(
        Answer::ok("macie2", "/findings", "")
            .in_region("ap-southeast-2")
            .error(403, "AccessDeniedException", "Macie is not enabled."),
    );

    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("estate.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hipaa-scan"))
        .args(["inventory", "aws", "--endpoint-url", &moto.url])
        .args(["--region", "us-east-1", "--region", "eu-west-1"])
        .args(["--region", "ap-southeast-2", "--output"])
        .arg(&snap)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inventory: Value = serde_json::from_slice(&std::fs::read(&snap).unwrap()).unwrap();
    let resource = |kind: &str, region: &str| {
        inventory["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == kind && r["region"] == region)
            .cloned()
            .unwrap_or_else(|| panic!("no {kind} in {region}"))
    };
    // Both pages were read, and every analyzer is named in the evidence.
    let east = resource("aws.access-analyzer.region", "us-east-1");
    assert_eq!(
        east["properties"]["analyzers"],
        json!([
            "unused (ACCOUNT_UNUSED_ACCESS, ACTIVE)",
            "external (ACCOUNT, ACTIVE)"
        ]),
        "{east}"
    );
    assert_eq!(
        east["id"],
        "arn:aws:access-analyzer:us-east-1:123456789012:account"
    );
    let inspected = resource("aws.inspector2.region", "eu-west-1");
    assert_eq!(
        inspected["properties"],
        json!({"status": "ENABLED", "ec2_scanning": true, "ecr_scanning": false, "lambda_scanning": false}),
        "{inspected}"
    );
    assert_eq!(
        resource("aws.inspector2.region", "ap-southeast-2")["properties"]["status"],
        "DISABLED"
    );
    let sydney = resource("aws.access-analyzer.region", "ap-southeast-2");
    assert_eq!(
        sydney["unknown"]["external_access_analyzer"],
        format!("access-analyzer:ListAnalyzers: AccessDeniedException: {denied}")
    );

    // The account holds ePHI: Macie is judged there.
    let config = dir.path().join("hipaa-scan.yaml");
    std::fs::write(&config, "scope:\n  accounts: [\"123456789012\"]\n").unwrap();
    let run = common::hipaa_scan(
        &[
            "scan",
            "--snapshot",
            snap.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--format",
            "json",
            "--redact",
            "tags",
            "--fail-on",
            "none",
        ],
        dir.path(),
    );
    let result: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}"));
    let got = verdicts(
        &result,
        &[
            "aws-accessanalyzer-enabled",
            "aws-ec2-instance-managed-by-ssm",
            "aws-inspector2-enabled",
            "aws-macie-enabled",
        ],
    );
    assert_eq!(
        verdicts(&result, &["aws-artifact-baa-accepted"]),
        common::set(&[("aws-artifact-baa-accepted", "123456789012", "not_evaluated")])
    );
    assert!(
        run.stdout
            .contains("artifact:ListCustomerAgreements: AccessDeniedException"),
        "the denied call is named"
    );
    let want: BTreeSet<(String, String, String)> = [
        ("aws-accessanalyzer-enabled", "us-east-1", "pass"),
        // CREATING reports nothing yet; unused access is not external access.
        ("aws-accessanalyzer-enabled", "eu-west-1", "fail"),
        (
            "aws-accessanalyzer-enabled",
            "ap-southeast-2",
            "not_evaluated",
        ),
        ("aws-ec2-instance-managed-by-ssm", "managed", "pass"),
        ("aws-ec2-instance-managed-by-ssm", "lost", "fail"),
        ("aws-ec2-instance-managed-by-ssm", "unmanaged", "fail"),
        // Stopped: not judged, whatever its agent's last status.
        (
            "aws-ec2-instance-managed-by-ssm",
            "stopped",
            "not_applicable",
        ),
        // SSM denied: unknown, never "not managed".
        ("aws-ec2-instance-managed-by-ssm", "eu-app", "not_evaluated"),
        ("aws-inspector2-enabled", "us-east-1", "pass"),
        // Container images and functions are not scanned.
        ("aws-inspector2-enabled", "eu-west-1", "fail"),
        ("aws-inspector2-enabled", "ap-southeast-2", "fail"),
        ("aws-macie-enabled", "us-east-1", "pass"),
        ("aws-macie-enabled", "eu-west-1", "fail"),
        // SecurityAudit alone: ListFindings still shows Macie off.
        ("aws-macie-enabled", "ap-southeast-2", "fail"),
    ]
    .iter()
    .map(|(p, n, o)| (p.to_string(), n.to_string(), o.to_string()))
    .collect();
    assert_eq!(got, want);
    let reason = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| {
            v["resource"]["name"] == "eu-app" && v["policy"] == "aws-ec2-instance-managed-by-ssm"
        })
        .map(|v| v["reason"].clone())
        .unwrap();
    assert_eq!(
        reason,
        format!("ssm:DescribeInstanceInformation: AccessDeniedException: {ssm_denied}")
    );

    // Outside ePHI scope Macie is not judged at all.
    let unscoped = common::hipaa_scan(
        &[
            "scan",
            "--snapshot",
            snap.to_str().unwrap(),
            "--format",
            "json",
            "--fail-on",
            "none",
        ],
        dir.path(),
    );
    let unscoped: Value = serde_json::from_str(&unscoped.stdout).unwrap();
    assert!(verdicts(&unscoped, &["aws-macie-enabled"]).is_empty());
    assert_eq!(
        resource("aws.macie2.region", "ap-southeast-2")["properties"],
        json!({"enabled": false, "status": null})
    );

    // Systems Manager is asked only where there are instances: never in ap-southeast-2; in
    // us-east-1 once per page.
    let ssm_calls = |region: &str| {
        moto.answered()
            .iter()
            .filter(|(s, r, _)| s == "ssm" && r == region)
            .count()
    };
    assert_eq!(ssm_calls("us-east-1"), 2);
    assert_eq!(ssm_calls("eu-west-1"), 1);
    assert_eq!(ssm_calls("ap-southeast-2"), 0);
}
