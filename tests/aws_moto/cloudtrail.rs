//! CloudTrail: `org-trail`, multi-region with log file validation, writing to s3.rs's
//! `trail-logs` only (no KMS key, no CloudWatch Logs, no data events). Its data-event verdicts
//! name s3.rs's `phi-kms` and dynamodb.rs's `patients`.

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

/// After s3.rs: the trail writes to its `trail-logs` bucket.
pub async fn seed(conf: &SdkConfig) {
    let ct = aws_sdk_cloudtrail::Client::new(conf);
    ct.create_trail()
        .name("org-trail")
        .s3_bucket_name("trail-logs")
        .is_multi_region_trail(true)
        .enable_log_file_validation(true)
        .send()
        .await
        .unwrap();
    ct.start_logging().name("org-trail").send().await.unwrap();
}

pub fn expected(account: &str) -> Triples {
    let mut expected = set(&[
        ("aws-cloudtrail-enabled", account, "pass"),
        ("aws-cloudtrail-log-validation", "org-trail", "pass"),
        ("aws-cloudtrail-kms", "org-trail", "fail"),
        // org-trail writes to S3 only and records no data events.
        ("aws-cloudtrail-cloudwatch-logs", "org-trail", "fail"),
        ("aws-cloudtrail-s3-data-events", "phi-kms", "fail"),
        // The trail's bucket: Object Lock on, not public, no access logging.
        ("aws-cloudtrail-bucket-access-logging", "org-trail", "fail"),
        ("aws-cloudtrail-bucket-not-public", "org-trail", "pass"),
        ("aws-cloudtrail-bucket-object-lock", "org-trail", "pass"),
        // patients is in ePHI scope (tagged); the trail records no DynamoDB data events.
        ("aws-cloudtrail-dynamodb-data-events", "patients", "fail"),
        ("aws-service-hipaa-eligible", "org-trail", "pass"),
    ]);
    // No trail delivers to CloudWatch Logs: nothing is monitored.
    for policy in [
        "root-usage",
        "unauthorized-api-calls",
        "console-no-mfa",
        "console-auth-failures",
        "iam-policy-changes",
        "cloudtrail-changes",
        "kms-key-deletion",
        "s3-policy-changes",
        "config-changes",
        "security-group-changes",
        "nacl-changes",
        "network-gateway-changes",
        "route-table-changes",
        "vpc-changes",
    ] {
        expected.insert((
            format!("aws-cloudwatch-alarm-{policy}"),
            account.into(),
            "fail".into(),
        ));
    }
    expected
}
