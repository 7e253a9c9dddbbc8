//! SNS and SQS: topics `alerts` (encrypted) and `plain-topic` (anyone may subscribe); queues
//! `orders` (SNS may send from `alerts` only) and `open-queue` (from any topic). The queue
//! policies name `alerts` by ARN.

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

pub async fn seed(conf: &SdkConfig) {
    let sns = aws_sdk_sns::Client::new(conf);
    sns.create_topic()
        .name("alerts")
        .attributes("KmsMasterKeyId", "alias/aws/sns")
        .send()
        .await
        .unwrap();
    let plain = sns.create_topic().name("plain-topic").send().await.unwrap();
    // Anyone may subscribe: `Principal: *` with no condition.
    sns.set_topic_attributes()
        .topic_arn(plain.topic_arn().unwrap())
        .attribute_name("Policy")
        .attribute_value(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sns:Subscribe","Resource":"arn:aws:sns:us-east-1:123456789012:plain-topic"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let sqs = aws_sdk_sqs::Client::new(conf);
    for (queue, condition) in [
        // SNS may send, from one topic: pinned.
        (
            "orders",
            r#""Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:alerts"}},"#,
        ),
        // Any topic of any account: the wildcard pins nothing.
        (
            "open-queue",
            r#""Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*"}},"#,
        ),
    ] {
        sqs.create_queue()
            .queue_name(queue)
            .attributes(
                aws_sdk_sqs::types::QueueAttributeName::Policy,
                format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage",{condition}"Resource":"arn:aws:sqs:us-east-1:123456789012:{queue}"}}]}}"#
                ),
            )
            .send()
            .await
            .unwrap();
    }
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-sns-kms", "alerts", "pass"),
        ("aws-sns-kms", "plain-topic", "fail"),
        ("aws-sns-not-public", "alerts", "pass"),
        ("aws-sns-not-public", "plain-topic", "fail"),
        ("aws-sqs-encrypted", "open-queue", "pass"),
        ("aws-sqs-encrypted", "orders", "pass"),
        ("aws-sqs-not-public", "open-queue", "fail"),
        ("aws-sqs-not-public", "orders", "pass"),
        ("aws-service-hipaa-eligible", "alerts", "pass"),
        ("aws-service-hipaa-eligible", "plain-topic", "pass"),
        ("aws-service-hipaa-eligible", "open-queue", "pass"),
        ("aws-service-hipaa-eligible", "orders", "pass"),
    ])
}
