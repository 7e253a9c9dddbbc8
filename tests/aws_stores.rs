//! Kinesis Data Streams, SageMaker notebook instances and DMS endpoints, end to end against moto:
//! each look-alike gets its exact verdict from a live scan, and a denied listing in a second
//! region leaves its checks not evaluated, naming the call.
//!
//! Where moto cannot hold a state AWS reports, the front in front of it answers in AWS's shape:
//! KMS's `DescribeKey` for the AWS managed Kinesis key (moto makes every key a customer's), and a
//! stream summary without `EncryptionType` (moto always sends one). moto keeps what a notebook
//! was created with, and leaves `RootAccess` out of the description when it was not given, as an
//! answer without it reads; it keeps an endpoint's `SslMode` the same way (left out when not
//! given, which DMS documents as `none`).

mod common;

use std::collections::BTreeSet;

use aws_config::SdkConfig;
use chrono::Utc;
use common::moto::{scan, split_refused_region, Moto};
use common::moto_front::Answer;
use serde_json::json;

const ACCOUNT: &str = "123456789012";
const DENIED: &str = "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform";

type Want = Vec<(String, String, String)>;

fn want(rows: &[(&str, &str, &str)]) -> Want {
    rows.iter()
        .map(|(p, n, o)| (p.to_string(), n.to_string(), o.to_string()))
        .collect()
}

async fn customer_key(conf: &SdkConfig) -> String {
    aws_sdk_kms::Client::new(conf)
        .create_key()
        .send()
        .await
        .unwrap()
        .key_metadata()
        .unwrap()
        .arn()
        .unwrap()
        .to_string()
}

/// A stream, tagged `phi` or not, encrypted with `key` when one is given.
async fn stream(kinesis: &aws_sdk_kinesis::Client, name: &str, phi: bool, key: Option<&str>) {
    kinesis
        .create_stream()
        .stream_name(name)
        .shard_count(1)
        .send()
        .await
        .unwrap();
    if phi {
        kinesis
            .add_tags_to_stream()
            .stream_name(name)
            .tags("phi", "true")
            .send()
            .await
            .unwrap();
    }
    if let Some(key) = key {
        kinesis
            .start_stream_encryption()
            .stream_name(name)
            .encryption_type(aws_sdk_kinesis::types::EncryptionType::Kms)
            .key_id(key)
            .send()
            .await
            .unwrap();
    }
}

async fn seed_kinesis(moto: &Moto, conf: &SdkConfig) -> Want {
    let kinesis = aws_sdk_kinesis::Client::new(conf);
    let kms = aws_sdk_kms::Client::new(conf);
    let key = customer_key(conf).await;
    kms.create_alias()
        .alias_name("alias/phi-streams")
        .target_key_id(&key)
        .send()
        .await
        .unwrap();
    // The AWS managed key by its ARN: KMS's answer for it comes from the front.
    let aws_key = format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/0a1b2c3d-aws-kinesis");
    moto.answer(
        Answer::ok(
            "kms",
            "TrentService.DescribeKey",
            json!({"KeyMetadata": {"KeyId": "0a1b2c3d-aws-kinesis", "Arn": aws_key, "KeyManager": "AWS", "KeyState": "Enabled", "CreationDate": 1.7e9}}).to_string(),
        )
        .when("0a1b2c3d-aws-kinesis"),
    );
    stream(&kinesis, "phi-cmk", true, Some(&key)).await;
    // A customer key through an alias of its own.
    stream(&kinesis, "phi-alias", true, Some("alias/phi-streams")).await;
    stream(&kinesis, "phi-aws-alias", true, Some("alias/aws/kinesis")).await;
    stream(&kinesis, "phi-aws-arn", true, Some(&aws_key)).await;
    stream(&kinesis, "phi-clear", true, None).await;
    // Not in ePHI scope: its key is not judged.
    stream(&kinesis, "clicks", false, None).await;
    // A summary that leaves the encryption type out.
    stream(&kinesis, "phi-unread", true, None).await;
    moto.answer(
        Answer::ok(
            "kinesis",
            "Kinesis_20131202.DescribeStreamSummary",
            json!({"StreamDescriptionSummary": {
                "StreamName": "phi-unread",
                "StreamARN": format!("arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/phi-unread"),
                "StreamStatus": "ACTIVE",
                "RetentionPeriodHours": 24,
                "StreamCreationTimestamp": Utc::now().timestamp(),
                "EnhancedMonitoring": [],
                "OpenShardCount": 1,
            }})
            .to_string(),
        )
        .when("phi-unread"),
    );
    moto.answer(
        Answer::ok("kinesis", "Kinesis_20131202.ListStreams", "")
            .in_region("eu-west-1")
            .error(
                400,
                "AccessDeniedException",
                &format!("{DENIED}: kinesis:ListStreams"),
            ),
    );
    let (enc, cmk) = ("aws-kinesis-encrypted", "aws-kinesis-cmk");
    want(&[
        (enc, "phi-cmk", "pass"),
        (cmk, "phi-cmk", "pass"),
        (enc, "phi-alias", "pass"),
        (cmk, "phi-alias", "pass"),
        (enc, "phi-aws-alias", "pass"),
        (cmk, "phi-aws-alias", "fail"),
        (enc, "phi-aws-arn", "pass"),
        (cmk, "phi-aws-arn", "fail"),
        (enc, "phi-clear", "fail"),
        (cmk, "phi-clear", "fail"),
        (enc, "clicks", "fail"),
        (enc, "phi-unread", "not_evaluated"),
        (cmk, "phi-unread", "not_evaluated"),
    ])
}

async fn seed_sagemaker(moto: &Moto, conf: &SdkConfig) -> Want {
    use aws_sdk_sagemaker::types::{DirectInternetAccess, InstanceType, RootAccess};
    let sm = aws_sdk_sagemaker::Client::new(conf);
    let key = customer_key(conf).await;
    let role = format!("arn:aws:iam::{ACCOUNT}:role/notebooks");
    let notebook = |name: &str| {
        sm.create_notebook_instance()
            .notebook_instance_name(name)
            .instance_type(InstanceType::MlT3Medium)
            .role_arn(&role)
    };
    notebook("locked")
        .subnet_id("subnet-0a1b2c3d")
        .security_group_ids("sg-0a1b2c3d")
        .direct_internet_access(DirectInternetAccess::Disabled)
        .root_access(RootAccess::Disabled)
        .kms_key_id(&key)
        .send()
        .await
        .unwrap();
    // Created with SageMaker's defaults: direct internet access, root access (which moto leaves
    // out of the description), no subnet, no key.
    notebook("defaults").send().await.unwrap();
    // In a subnet, with SageMaker's own internet path still on; the AWS managed key named.
    notebook("subnet-open")
        .subnet_id("subnet-0a1b2c3d")
        .security_group_ids("sg-0a1b2c3d")
        .direct_internet_access(DirectInternetAccess::Enabled)
        .root_access(RootAccess::Enabled)
        .kms_key_id("alias/aws/sagemaker")
        .send()
        .await
        .unwrap();
    moto.answer(
        Answer::ok("sagemaker", "SageMaker.ListNotebookInstances", "")
            .in_region("eu-west-1")
            .error(
                400,
                "AccessDeniedException",
                &format!("{DENIED}: sagemaker:ListNotebookInstances"),
            ),
    );
    let (net, kms, root, vpc) = (
        "aws-sagemaker-notebook-no-direct-internet",
        "aws-sagemaker-notebook-kms",
        "aws-sagemaker-notebook-root-access",
        "aws-sagemaker-notebook-in-vpc",
    );
    want(&[
        (net, "locked", "pass"),
        (kms, "locked", "pass"),
        (root, "locked", "pass"),
        (vpc, "locked", "pass"),
        (net, "defaults", "fail"),
        (kms, "defaults", "fail"),
        (root, "defaults", "not_evaluated"),
        (vpc, "defaults", "fail"),
        (net, "subnet-open", "fail"),
        (kms, "subnet-open", "fail"),
        (root, "subnet-open", "fail"),
        (vpc, "subnet-open", "pass"),
    ])
}

async fn seed_dms(moto: &Moto, conf: &SdkConfig) -> Want {
    use aws_sdk_databasemigration::types::{DmsSslModeValue, ReplicationEndpointTypeValue};
    let dms = aws_sdk_databasemigration::Client::new(conf);
    for (name, engine, mode) in [
        (
            "pg-verify-full",
            "postgres",
            Some(DmsSslModeValue::VerifyFull),
        ),
        (
            "sqlserver-require",
            "sqlserver",
            Some(DmsSslModeValue::Require),
        ),
        ("mysql-none", "mysql", Some(DmsSslModeValue::None)),
        // No mode given: DMS's default, `none`.
        ("oracle-default", "oracle", None),
        // S3 has no SSL mode of DMS's: not applicable whatever it reads.
        ("s3-target", "s3", Some(DmsSslModeValue::None)),
    ] {
        dms.create_endpoint()
            .endpoint_identifier(name)
            .endpoint_type(ReplicationEndpointTypeValue::Target)
            .engine_name(engine)
            .server_name("db.example.internal")
            .port(5432)
            .username("migrator")
            .set_ssl_mode(mode)
            .send()
            .await
            .unwrap();
    }
    moto.answer(
        Answer::ok("dms", "AmazonDMSv20160101.DescribeEndpoints", "")
            .in_region("eu-west-1")
            .error(
                400,
                "AccessDeniedFault",
                &format!("{DENIED}: dms:DescribeEndpoints"),
            ),
    );
    // The replication instances of the region are not this test's: none in eu-west-1 either.
    moto.answer(
        Answer::ok(
            "dms",
            "AmazonDMSv20160101.DescribeReplicationInstances",
            r#"{"ReplicationInstances":[]}"#,
        )
        .in_region("eu-west-1"),
    );
    let ssl = "aws-dms-endpoint-ssl";
    want(&[
        (ssl, "pg-verify-full", "pass"),
        (ssl, "sqlserver-require", "pass"),
        (ssl, "mysql-none", "fail"),
        (ssl, "oracle-default", "fail"),
        (ssl, "s3-target", "not_applicable"),
    ])
}

/// The new policies, and the call each one's denied listing names.
const POLICIES: [(&str, &str); 7] = [
    ("aws-kinesis-encrypted", "kinesis:ListStreams"),
    ("aws-kinesis-cmk", "kinesis:ListStreams"),
    (
        "aws-sagemaker-notebook-no-direct-internet",
        "sagemaker:ListNotebookInstances",
    ),
    (
        "aws-sagemaker-notebook-kms",
        "sagemaker:ListNotebookInstances",
    ),
    (
        "aws-sagemaker-notebook-root-access",
        "sagemaker:ListNotebookInstances",
    ),
    (
        "aws-sagemaker-notebook-in-vpc",
        "sagemaker:ListNotebookInstances",
    ),
    ("aws-dms-endpoint-ssl", "dms:DescribeEndpoints"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kinesis_sagemaker_and_dms_endpoint_look_alikes_get_exact_verdicts() {
    let moto = Moto::start();
    let conf = moto.sdk("testing", "testing").await;
    let mut want: BTreeSet<(String, String, String)> = BTreeSet::new();
    want.extend(seed_kinesis(&moto, &conf).await);
    want.extend(seed_sagemaker(&moto, &conf).await);
    want.extend(seed_dms(&moto, &conf).await);

    let (code, result) = scan(
        &moto,
        "testing",
        "testing",
        &["--region", "eu-west-1", "--fail-on", "none"],
    );
    assert_eq!(code, 3, "the denied listings leave the scan incomplete");
    // eu-west-1: every listing was refused; each policy is not evaluated there, with the call named.
    let (got, east) = split_refused_region(&result, &POLICIES, "eu-west-1");
    assert_eq!(got, want);
    let reason = |policy: &str, name: &str| {
        east.iter()
            .find(|v| v["policy"] == policy && v["resource"]["name"] == name)
            .map(|v| v["reason"].as_str().unwrap_or_default().to_string())
            .unwrap()
    };
    assert!(
        reason("aws-kinesis-encrypted", "phi-unread")
            .contains("kinesis:DescribeStreamSummary: the answer had no `EncryptionType`"),
        "{}",
        reason("aws-kinesis-encrypted", "phi-unread")
    );
    assert!(
        reason("aws-sagemaker-notebook-root-access", "defaults")
            .contains("sagemaker:DescribeNotebookInstance: the answer had no `RootAccess`"),
        "{}",
        reason("aws-sagemaker-notebook-root-access", "defaults")
    );
}
