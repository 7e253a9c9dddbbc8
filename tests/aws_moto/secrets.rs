//! Secrets Manager: `api-key`, with AWS's own key and no rotation.

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

pub async fn seed(conf: &SdkConfig) {
    let sm = aws_sdk_secretsmanager::Client::new(conf);
    sm.create_secret()
        .name("api-key")
        .secret_string("not-a-real-secret")
        .send()
        .await
        .unwrap();
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        // moto cannot hold a rotation schedule without a Lambda function to call; the passing
        // case is in fixtures/policies/aws-secrets-rotation.yaml.
        ("aws-secrets-rotation", "api-key", "fail"),
        ("aws-secrets-rotated-recently", "api-key", "pass"),
        ("aws-secrets-unused", "api-key", "pass"),
        ("aws-secrets-cmk", "api-key", "fail"),
        ("aws-service-hipaa-eligible", "api-key", "pass"),
    ])
}
