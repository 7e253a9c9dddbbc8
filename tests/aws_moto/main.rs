//! The AWS adapter against a real protocol peer: moto's server on 127.0.0.1, seeded through the
//! AWS API with known good and bad resources, scanned by the real binary.
//!
//! moto comes from PyPI (pinned in tests/requirements.txt); scripts/test installs it and points
//! `HIPAA_SCAN_TEST_TOOLS` at it. One module per service (or small family) seeds its resources
//! (`seed`), names the verdicts expected of them (`expected`) and, where the scan says more of
//! them, checks that (`check`); what moto cannot represent is said in the module where it
//! matters. The one end-to-end run below seeds them all into one account, scans it once and
//! asserts the union of every module's verdicts exactly; denied.rs scans the same account with
//! calls denied.

#[path = "../common/mod.rs"]
mod common;

mod account;
mod backup;
mod cloudtrail;
mod denied;
mod detection;
mod dynamodb;
mod ec2;
mod efs;
mod elb;
mod iam;
mod kms;
mod logs;
mod rds;
mod s3;
mod secrets;
mod sns_sqs;
mod sso;

use common::moto::{scan, Moto};

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use aws_config::SdkConfig;
use serde_json::Value;

/// A verdict as the tests compare them: (policy, resource name, outcome).
pub type Triple = (String, String, String);
pub type Triples = BTreeSet<Triple>;

/// A customer managed key's ARN that s3.rs's `phi-kms` bucket and logs.rs's `/app/phi` log group
/// name (moto does not check that it exists).
pub const KMS_KEY: &str =
    "arn:aws:kms:us-east-1:123456789012:key/2f3e4d5c-6b7a-4d8e-9f0a-1b2c3d4e5f6a";

/// A service module's `expected`: its verdicts in the account with this id.
type Expected = fn(&str) -> Triples;

/// Every service module's expected verdicts, by file.
const SERVICES: &[(&str, Expected)] = &[
    ("account.rs", account::expected),
    ("s3.rs", s3::expected),
    ("iam.rs", iam::expected),
    ("rds.rs", rds::expected),
    ("ec2.rs", ec2::expected),
    ("dynamodb.rs", dynamodb::expected),
    ("logs.rs", logs::expected),
    ("sns_sqs.rs", sns_sqs::expected),
    ("secrets.rs", secrets::expected),
    ("efs.rs", efs::expected),
    ("backup.rs", backup::expected),
    ("detection.rs", detection::expected),
    ("sso.rs", sso::expected),
    ("elb.rs", elb::expected),
    ("kms.rs", kms::expected),
    ("cloudtrail.rs", cloudtrail::expected),
];

/// Seeds every service into one account. The order is the one the verdicts were written for,
/// and some of it matters: s3.rs comes first, since ec2.rs's flow logs and cloudtrail.rs's trail
/// write to its `trail-logs` bucket. Other references are by name or ARN only, which moto does
/// not check (rds.rs's event subscription and sns_sqs.rs's queue policies name the `alerts`
/// topic; elb.rs uses the default subnets moto makes itself).
pub async fn seed(conf: &SdkConfig) {
    s3::seed(conf).await;
    iam::seed(conf).await;
    rds::seed(conf).await;
    ec2::seed(conf).await;
    dynamodb::seed(conf).await;
    logs::seed(conf).await;
    sns_sqs::seed(conf).await;
    secrets::seed(conf).await;
    efs::seed(conf).await;
    backup::seed(conf).await;
    detection::seed(conf).await;
    sso::seed(conf).await;
    elb::seed(conf).await;
    kms::seed(conf).await;
    cloudtrail::seed(conf).await;
}

pub fn verdicts(result: &Value) -> Triples {
    result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            // moto makes the default VPC and the security groups' ids; name them by role.
            let name = v["resource"]["name"].as_str().unwrap();
            let name = match name.split_once(" (sg-") {
                Some((group, _)) if group.starts_with("default_elb_") => "default_elb",
                Some((group, _)) => group,
                None if name.starts_with("vpc-") => "default-vpc",
                // moto makes a default subnet in each Availability Zone.
                None if name.starts_with("subnet-") => "default-subnet",
                // KMS keys are named by their generated key id (two seeded, plus the one moto makes
                // for the encrypted EBS volume).
                None if v["resource"]["kind"] == "aws.kms.key" => "kms-key",
                // EFS ids are generated; so is the security group moto makes for a load balancer.
                None if v["resource"]["kind"] == "aws.elasticfilesystem.file_system" => "efs",
                // moto makes a default network ACL for each VPC.
                None if v["resource"]["kind"] == "aws.ec2.network_acl" => "nacl",
                None => name,
            };
            (
                v["policy"].as_str().unwrap().to_string(),
                name.to_string(),
                v["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The reason of the verdict of `policy` on the resource named `name`.
pub fn reason(result: &Value, policy: &str, name: &str) -> String {
    result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["policy"] == policy && v["resource"]["name"] == name)
        .map(|v| v["reason"].as_str().unwrap_or_default().to_string())
        .unwrap()
}

/// The unexpected and missing verdicts by the service module they belong to, one line each: the
/// module whose `expected` names the same policy on the same resource, else every module whose
/// `expected` names the policy.
fn by_service(services: &[(&str, Triples)], unexpected: &[&Triple], missing: &[&Triple]) -> String {
    let owner = |(policy, name, _): &Triple| {
        let naming = |same: &dyn Fn(&Triple) -> bool| {
            services
                .iter()
                .filter(|(_, e)| e.iter().any(same))
                .map(|(m, _)| *m)
                .collect::<Vec<_>>()
        };
        let mut modules = naming(&|(p, n, _)| p == policy && n == name);
        if modules.is_empty() {
            modules = naming(&|(p, _, _)| p == policy);
        }
        modules.join(" or ")
    };
    let mut out: BTreeMap<String, (Vec<&Triple>, Vec<&Triple>)> = BTreeMap::new();
    for t in unexpected {
        out.entry(owner(t)).or_default().0.push(t);
    }
    for t in missing {
        out.entry(owner(t)).or_default().1.push(t);
    }
    out.iter()
        .map(|(module, (u, m))| format!("{module}: unexpected {u:?}, missing {m:?}\n"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scans_a_seeded_account_with_exact_verdicts() {
    let moto = Moto::start();
    seed(&moto.sdk("testing", "testing").await).await;
    let (code, result) = scan(&moto, "testing", "testing", &["--fail-on", "high"]);
    assert_eq!(code, 1, "findings at or above high");
    let account = "123456789012";
    let services: Vec<(&str, Triples)> = SERVICES.iter().map(|(m, f)| (*m, f(account))).collect();
    let expected: Triples = services
        .iter()
        .flat_map(|(_, e)| e.iter().cloned())
        .collect();
    let got = common::written_for(verdicts(&result), &expected);
    let unexpected: Vec<&Triple> = got.difference(&expected).collect();
    let missing: Vec<&Triple> = expected.difference(&got).collect();
    assert_eq!(
        (unexpected.clone(), missing.clone()),
        (vec![], vec![]),
        "(unexpected, missing) verdicts, by service module:\n{}",
        by_service(&services, &unexpected, &missing)
    );
    account::check(&result, account);
    s3::check(&result);
    detection::check(&result);
    rds::check(&result);

    // `inventory aws` writes the snapshot that `scan --snapshot` reads, with the same verdicts.
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("estate.json");
    let out = Command::new(env!("CARGO_BIN_EXE_hipaa-scan"))
        .args([
            "inventory",
            "aws",
            "--endpoint-url",
            &moto.url,
            "--region",
            "us-east-1",
            "--output",
        ])
        .arg(&snap)
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
    let replay = common::hipaa_scan(
        &[
            "scan",
            "--snapshot",
            snap.to_str().unwrap(),
            "--format",
            "json",
            "--redact",
            "tags",
        ],
        dir.path(),
    );
    assert_eq!(replay.code, 1);
    // The snapshot replays every verdict of the live scan, exactly.
    assert_eq!(
        verdicts(&serde_json::from_str(&replay.stdout).unwrap()),
        verdicts(&result)
    );
}
