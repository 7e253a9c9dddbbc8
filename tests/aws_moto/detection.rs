//! The regional detection services: a GuardDuty detector is seeded; AWS Config, Security Hub,
//! IAM Access Analyzer and Inspector are left off.

use aws_config::SdkConfig;
use serde_json::Value;

use crate::common::set;
use crate::Triples;

pub async fn seed(conf: &SdkConfig) {
    let gd = aws_sdk_guardduty::Client::new(conf);
    gd.create_detector().enable(true).send().await.unwrap();
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-guardduty-enabled", "us-east-1", "pass"),
        // moto does not implement guardduty:ListFindings (HTTP 404): not evaluated.
        (
            "aws-guardduty-no-high-findings",
            "us-east-1",
            "not_evaluated",
        ),
        ("aws-config-recording", "us-east-1", "fail"),
        ("aws-securityhub-enabled", "us-east-1", "fail"),
        // moto has no IAM Access Analyzer; the front answers as an account without analyzers.
        ("aws-accessanalyzer-enabled", "us-east-1", "fail"),
        // moto answers BatchGetAccountStatus without the account until Inspector is turned on or
        // off for it (AWS lists it as DISABLED): unknown, never a pass.
        ("aws-inspector2-enabled", "us-east-1", "not_evaluated"),
    ])
}

pub fn check(result: &Value) {
    assert!(
        crate::reason(result, "aws-guardduty-no-high-findings", "us-east-1")
            .starts_with("guardduty:ListFindings: "),
        "an unanswered ListFindings is never zero findings"
    );
}
