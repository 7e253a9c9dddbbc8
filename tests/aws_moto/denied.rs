//! Denied calls and missing credentials: what the scan cannot read is never judged as passing.

use std::process::Command;

use serde_json::Value;

use crate::common::moto::{scan, Moto};
use crate::{seed, verdicts};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denied_calls_are_not_evaluated_never_passed() {
    let moto = Moto::start();
    let admin = moto.sdk("testing", "testing").await;
    seed(&admin).await;
    let iam = aws_sdk_iam::Client::new(&admin);
    iam.create_user().user_name("auditor").send().await.unwrap();
    iam.put_user_policy()
        .user_name("auditor")
        .policy_name("read-but-not-everything")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
                {"Effect":"Deny","Action":["iam:ListMFADevices","rds:DescribeDBClusters",
                  "ec2:DescribeFlowLogs","ec2:DescribeVolumes","kms:GetKeyRotationStatus",
                  "dynamodb:DescribeTable","iam:ListEntitiesForPolicy",
                  "cloudtrail:GetTrailStatus","elasticloadbalancing:DescribeListeners"],
                  "Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let key = iam
        .create_access_key()
        .user_name("auditor")
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let (id, secret) = (
        key.access_key_id().to_string(),
        key.secret_access_key().to_string(),
    );
    moto.enforce_iam();

    let (code, result) = scan(&moto, &id, &secret, &["--fail-on", "none"]);
    assert_eq!(code, 3, "no gate, but the scan is incomplete");
    assert_eq!(result["complete"], false);
    let all = verdicts(&result);
    let find = |policy: &str, name: &str| {
        result["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| {
                v["policy"] == policy && v["resource"]["name"].as_str().unwrap().starts_with(name)
            })
            .cloned()
            .unwrap_or_else(|| panic!("no verdict for {policy} on {name}"))
    };
    // bob has a password; whether he has MFA could not be read.
    let bob = find("aws-iam-user-console-mfa", "bob");
    assert_eq!(bob["outcome"], "not_evaluated");
    assert!(
        bob["reason"]
            .as_str()
            .unwrap()
            .starts_with("iam:ListMFADevices: AccessDenied"),
        "{bob}"
    );
    // svc has no password, so the unknown MFA count does not matter.
    assert_eq!(find("aws-iam-user-console-mfa", "svc")["outcome"], "pass");
    // Clusters could not be listed: their checks are not evaluated in that region, and the
    // cluster never shows up as passing.
    assert!(!all.iter().any(|(_, name, _)| name == "billing"), "{all:?}");
    let gap = find("aws-rds-storage-encrypted", "aws.rds.cluster");
    assert_eq!(gap["outcome"], "not_evaluated");
    assert!(
        gap["reason"]
            .as_str()
            .unwrap()
            .contains("rds:DescribeDBClusters: AccessDenied"),
        "{gap}"
    );
    // What could be read is still judged.
    assert_eq!(
        find("aws-rds-storage-encrypted", "legacy")["outcome"],
        "fail"
    );
    // EC2: flow logs could not be listed, so no VPC's flow-log state is claimed either way.
    let flow = find("aws-vpc-flow-logs", "prod-vpc");
    assert_eq!(flow["outcome"], "not_evaluated");
    assert!(
        flow["reason"]
            .as_str()
            .unwrap()
            .starts_with("ec2:DescribeFlowLogs: "),
        "{flow}"
    );
    // Volumes could not be listed: a gap, not an empty (and so passing) region.
    let volumes = find("aws-ebs-volume-encrypted", "aws.ec2.volume");
    assert_eq!(volumes["outcome"], "not_evaluated");
    assert!(
        volumes["reason"]
            .as_str()
            .unwrap()
            .contains("ec2:DescribeVolumes: "),
        "{volumes}"
    );
    // KMS: rotation status denied for every customer key.
    let keys: Vec<&Value> = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["policy"] == "aws-kms-rotation")
        .collect();
    // The two seeded keys, the backup vault's key, the DynamoDB table's key, and the one moto makes itself for the
    // encrypted EBS volume (where AWS would use its own `aws/ebs` key, moto marks it
    // customer-managed).
    assert_eq!(keys.len(), 5);
    for k in keys {
        assert_eq!(k["outcome"], "not_evaluated", "{k}");
        assert!(
            k["reason"]
                .as_str()
                .unwrap()
                .starts_with("kms:GetKeyRotationStatus: "),
            "{k}"
        );
    }

    // DescribeTable denied: the table's key and deletion protection are unknown, not off.
    for policy in ["aws-dynamodb-cmk", "aws-dynamodb-deletion-protection"] {
        let v = find(policy, "patients");
        assert_eq!(v["outcome"], "not_evaluated", "{v}");
        assert!(
            v["reason"]
                .as_str()
                .unwrap()
                .starts_with("dynamodb:DescribeTable: AccessDenied"),
            "{v}"
        );
    }
    // Whether a support role exists could not be read.
    let support = find("aws-iam-support-role", "123456789012");
    assert_eq!(support["outcome"], "not_evaluated", "{support}");
    assert!(
        support["reason"]
            .as_str()
            .unwrap()
            .starts_with("iam:ListEntitiesForPolicy: "),
        "{support}"
    );
    // org-trail is multi-region, but whether it is logging could not be read: it may be the
    // account's trail, so the account is not judged. It delivers to no log group, so the alarms
    // still fail: it cannot be what they watch.
    let trail = find("aws-cloudtrail-enabled", "123456789012");
    assert_eq!(trail["outcome"], "not_evaluated", "{trail}");
    assert!(
        trail["reason"]
            .as_str()
            .unwrap()
            .contains("trail org-trail: cloudtrail:GetTrailStatus: "),
        "{trail}"
    );
    assert_eq!(
        find("aws-cloudwatch-alarm-root-usage", "123456789012")["outcome"],
        "fail"
    );
    // Whether the TCP network load balancer has a TLS listener (and so anything to log) could
    // not be read: its access logs are not judged either way.
    let nlb = find("aws-elb-access-logs", "tcp-nlb");
    assert_eq!(nlb["outcome"], "not_evaluated", "{nlb}");
    assert!(
        nlb["reason"]
            .as_str()
            .unwrap()
            .contains("elasticloadbalancing:DescribeListeners"),
        "{nlb}"
    );

    let (code, _) = scan(&moto, &id, &secret, &["--fail-on", "high"]);
    assert_eq!(code, 1, "findings at or above high win over incompleteness");
}

#[test]
fn missing_credentials_are_an_input_error() {
    let moto = Moto::start();
    let out = Command::new(env!("CARGO_BIN_EXE_hipaa-scan"))
        .args([
            "scan",
            "aws",
            "--endpoint-url",
            &moto.url,
            "--region",
            "us-east-1",
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir().join("no-such-home"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no AWS credentials found"), "{stderr}");
}
