//! KMS: two keys, one rotated. Every key is named `kms-key` (their ids are generated), so the
//! verdicts here also cover the keys dynamodb.rs and backup.rs create and the one moto makes
//! for ec2.rs's encrypted volume.

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

pub async fn seed(conf: &SdkConfig) {
    let kms = aws_sdk_kms::Client::new(conf);
    for rotate in [true, false] {
        let key = kms.create_key().description("bench").send().await.unwrap();
        if rotate {
            let id = key.key_metadata().unwrap().key_id().to_string();
            kms.enable_key_rotation().key_id(id).send().await.unwrap();
        }
    }
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-kms-rotation", "kms-key", "pass"),
        ("aws-kms-rotation", "kms-key", "fail"),
        ("aws-kms-key-not-pending-deletion", "kms-key", "pass"),
        ("aws-kms-key-policy-not-public", "kms-key", "pass"),
        ("aws-service-hipaa-eligible", "kms-key", "pass"),
    ])
}
