//! CloudWatch Logs: `/app/phi` (a KMS key, 400 days) and `/app/debug` (no key, 7 days).

use aws_config::SdkConfig;

use crate::common::set;
use crate::{Triples, KMS_KEY};

pub async fn seed(conf: &SdkConfig) {
    let logs = aws_sdk_cloudwatchlogs::Client::new(conf);
    logs.create_log_group()
        .log_group_name("/app/phi")
        .kms_key_id(KMS_KEY)
        .send()
        .await
        .unwrap();
    logs.put_retention_policy()
        .log_group_name("/app/phi")
        .retention_in_days(400)
        .send()
        .await
        .unwrap();
    logs.create_log_group()
        .log_group_name("/app/debug")
        .send()
        .await
        .unwrap();
    logs.put_retention_policy()
        .log_group_name("/app/debug")
        .retention_in_days(7)
        .send()
        .await
        .unwrap();
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-logs-retention", "/app/phi", "pass"),
        ("aws-logs-retention", "/app/debug", "fail"),
        ("aws-logs-kms", "/app/phi", "pass"),
        ("aws-logs-kms", "/app/debug", "fail"),
        ("aws-service-hipaa-eligible", "/app/phi", "pass"),
        ("aws-service-hipaa-eligible", "/app/debug", "pass"),
    ])
}
