//! DynamoDB: `patients` (tagged `phi`, a customer managed key of its own, deletion protection,
//! point-in-time recovery) and `scratch` (none of them). Its key is judged in kms.rs, its
//! backup plan in backup.rs and its data events in cloudtrail.rs.

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

pub async fn seed(conf: &SdkConfig) {
    let ddb = aws_sdk_dynamodb::Client::new(conf);
    let table_key = aws_sdk_kms::Client::new(conf)
        .create_key()
        .description("patients")
        .send()
        .await
        .unwrap()
        .key_metadata()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    for t in ["patients", "scratch"] {
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
        };
        ddb.create_table()
            .table_name(t)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("id")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name("id")
                    .key_type(KeyType::Hash)
                    .build()
                    .unwrap(),
            )
            .deletion_protection_enabled(t == "patients")
            .set_sse_specification((t == "patients").then(|| {
                aws_sdk_dynamodb::types::SseSpecification::builder()
                    .enabled(true)
                    .sse_type(aws_sdk_dynamodb::types::SseType::Kms)
                    .kms_master_key_id(&table_key)
                    .build()
            }))
            .set_tags((t == "patients").then(|| {
                vec![aws_sdk_dynamodb::types::Tag::builder()
                    .key("phi")
                    .value("true")
                    .build()
                    .unwrap()]
            }))
            .send()
            .await
            .unwrap();
    }
    ddb.update_continuous_backups()
        .table_name("patients")
        .point_in_time_recovery_specification(
            aws_sdk_dynamodb::types::PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-dynamodb-pitr", "patients", "pass"),
        ("aws-dynamodb-pitr", "scratch", "fail"),
        // patients is in ePHI scope (tagged), with a customer managed key and deletion
        // protection.
        ("aws-dynamodb-cmk", "patients", "pass"),
        ("aws-dynamodb-deletion-protection", "patients", "pass"),
        ("aws-dynamodb-deletion-protection", "scratch", "fail"),
        ("aws-service-hipaa-eligible", "patients", "pass"),
        ("aws-service-hipaa-eligible", "scratch", "pass"),
    ])
}
