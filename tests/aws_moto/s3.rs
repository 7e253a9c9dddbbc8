//! S3: `phi-kms` is the good bucket (SSE-KMS, a TLS-only policy, the `phi` tag, versioning,
//! replication to `plain`, its own public access block); `plain` is public-read; `sse-s3` has
//! SSE-S3 and a policy that denies plain HTTP for one action only; `trail-logs` has Object Lock.
//!
//! moto: a bucket without encryption answers `ServerSideEncryptionConfigurationNotFoundError`,
//! where real S3 answers SSE-S3; both read as "not SSE-KMS".

use aws_config::SdkConfig;
use serde_json::Value;

use crate::common::set;
use crate::{Triples, KMS_KEY};

const TLS_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:*",
  "Resource":["arn:aws:s3:::BUCKET","arn:aws:s3:::BUCKET/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;

/// Runs first: `trail-logs` receives the VPC flow logs (ec2.rs) and the trail (cloudtrail.rs).
pub async fn seed(conf: &SdkConfig) {
    use aws_sdk_s3::types::{
        ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
        ServerSideEncryptionRule, Tag, Tagging,
    };
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(conf)
            .force_path_style(true)
            .build(),
    );
    let encrypt = |alg: ServerSideEncryption, key: Option<&str>| {
        let mut d = ServerSideEncryptionByDefault::builder().sse_algorithm(alg);
        if let Some(k) = key {
            d = d.kms_master_key_id(k);
        }
        ServerSideEncryptionConfiguration::builder()
            .rules(
                ServerSideEncryptionRule::builder()
                    .apply_server_side_encryption_by_default(d.build().unwrap())
                    .build(),
            )
            .build()
            .unwrap()
    };
    for b in ["phi-kms", "plain", "sse-s3", "trail-logs"] {
        s3.create_bucket()
            .bucket(b)
            .object_lock_enabled_for_bucket(b == "trail-logs")
            .send()
            .await
            .unwrap();
    }
    s3.put_bucket_encryption()
        .bucket("phi-kms")
        .server_side_encryption_configuration(encrypt(ServerSideEncryption::AwsKms, Some(KMS_KEY)))
        .send()
        .await
        .unwrap();
    s3.put_bucket_policy()
        .bucket("phi-kms")
        .policy(TLS_ONLY.replace("BUCKET", "phi-kms"))
        .send()
        .await
        .unwrap();
    s3.put_bucket_tagging()
        .bucket("phi-kms")
        .tagging(
            Tagging::builder()
                .tag_set(Tag::builder().key("phi").value("true").build().unwrap())
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    s3.put_bucket_versioning()
        .bucket("phi-kms")
        .versioning_configuration(
            aws_sdk_s3::types::VersioningConfiguration::builder()
                .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .unwrap();
    {
        use aws_sdk_s3::types::{DeleteMarkerReplication, DeleteMarkerReplicationStatus};
        use aws_sdk_s3::types::{Destination, ReplicationConfiguration, ReplicationRule};
        use aws_sdk_s3::types::{ReplicationRuleFilter, ReplicationRuleStatus};
        s3.put_bucket_replication()
            .bucket("phi-kms")
            .replication_configuration(
                ReplicationConfiguration::builder()
                    .role("arn:aws:iam::123456789012:role/replication")
                    .rules(
                        ReplicationRule::builder()
                            .id("dr")
                            .priority(1)
                            .status(ReplicationRuleStatus::Enabled)
                            .filter(ReplicationRuleFilter::builder().prefix("").build())
                            .delete_marker_replication(
                                DeleteMarkerReplication::builder()
                                    .status(DeleteMarkerReplicationStatus::Disabled)
                                    .build(),
                            )
                            .destination(
                                Destination::builder()
                                    .bucket("arn:aws:s3:::plain")
                                    .build()
                                    .unwrap(),
                            )
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
    s3.put_public_access_block()
        .bucket("phi-kms")
        .public_access_block_configuration(
            aws_sdk_s3::types::PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    s3.put_bucket_acl()
        .bucket("plain")
        .acl(aws_sdk_s3::types::BucketCannedAcl::PublicRead)
        .send()
        .await
        .unwrap();
    s3.put_bucket_encryption()
        .bucket("sse-s3")
        .server_side_encryption_configuration(encrypt(ServerSideEncryption::Aes256, None))
        .send()
        .await
        .unwrap();
    // Denies plain HTTP for one action only: not TLS-only.
    let weak = TLS_ONLY
        .replace("BUCKET", "sse-s3")
        .replace(r#""Action":"s3:*""#, r#""Action":"s3:GetObject""#);
    s3.put_bucket_policy()
        .bucket("sse-s3")
        .policy(weak)
        .send()
        .await
        .unwrap();
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-s3-default-encryption-kms", "phi-kms", "pass"),
        ("aws-s3-default-encryption-kms", "plain", "fail"),
        ("aws-s3-default-encryption-kms", "sse-s3", "fail"),
        ("aws-s3-default-encryption-kms", "trail-logs", "fail"),
        ("aws-s3-tls-only", "phi-kms", "pass"),
        ("aws-s3-tls-only", "plain", "fail"),
        ("aws-s3-tls-only", "sse-s3", "fail"),
        ("aws-s3-tls-only", "trail-logs", "fail"),
        // moto's ListAccessPoints answer has a shape the SDK refuses: not evaluated, never a pass.
        (
            "aws-s3-access-points-not-public",
            "phi-kms",
            "not_evaluated",
        ),
        ("aws-s3-access-points-not-public", "plain", "not_evaluated"),
        ("aws-s3-access-points-not-public", "sse-s3", "not_evaluated"),
        (
            "aws-s3-access-points-not-public",
            "trail-logs",
            "not_evaluated",
        ),
        ("aws-s3-access-logging", "phi-kms", "fail"),
        ("aws-s3-access-logging", "plain", "fail"),
        ("aws-s3-access-logging", "sse-s3", "fail"),
        ("aws-s3-access-logging", "trail-logs", "fail"),
        // moto answers GetBucketVersioning with a root element real S3 does not send
        // (`GetBucketVersioningResponse`), which the Rust SDK rightly refuses: the check is not
        // evaluated, never guessed. fixtures/policies/aws-s3-versioning.yaml covers the verdicts.
        ("aws-s3-versioning", "phi-kms", "not_evaluated"),
        ("aws-s3-versioning", "plain", "not_evaluated"),
        ("aws-s3-versioning", "sse-s3", "not_evaluated"),
        ("aws-s3-versioning", "trail-logs", "not_evaluated"),
        // No account-wide block is set: only the bucket's own settings count.
        ("aws-s3-public-access-blocked", "phi-kms", "pass"),
        ("aws-s3-public-access-blocked", "plain", "fail"),
        ("aws-s3-public-access-blocked", "sse-s3", "fail"),
        ("aws-s3-public-access-blocked", "trail-logs", "fail"),
        ("aws-s3-not-public", "phi-kms", "pass"),
        ("aws-s3-not-public", "plain", "fail"),
        ("aws-s3-not-public", "sse-s3", "pass"),
        ("aws-s3-not-public", "trail-logs", "pass"),
        ("aws-s3-replication", "phi-kms", "pass"),
        ("aws-service-hipaa-eligible", "phi-kms", "pass"),
        ("aws-service-hipaa-eligible", "plain", "pass"),
        ("aws-service-hipaa-eligible", "sse-s3", "pass"),
        ("aws-service-hipaa-eligible", "trail-logs", "pass"),
    ])
}

/// Versioning cannot be read from moto, so the scan is incomplete and says why; the `phi` tag
/// puts `phi-kms` in ePHI scope.
pub fn check(result: &Value) {
    assert_eq!(
        result["complete"], false,
        "S3 versioning could not be read from moto"
    );
    let versioning = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["policy"] == "aws-s3-versioning")
        .unwrap();
    assert_eq!(
        versioning["reason"],
        "s3:GetBucketVersioning: the answer could not be read (HTTP 200)"
    );
    let phi = result["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| {
            v["policy"] == "aws-s3-default-encryption-kms" && v["resource"]["name"] == "phi-kms"
        })
        .unwrap();
    assert_eq!(
        phi["resource"]["in_scope"], true,
        "the bucket's phi tag puts it in ePHI scope"
    );
    assert_eq!(phi["severity"], "critical");
}
