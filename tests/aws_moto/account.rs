//! The account and its region as resources, and AWS Artifact, which moto does not serve: the
//! front answers it as a fresh account with no agreement accepted. Nothing to seed.

use serde_json::Value;

use crate::common::set;
use crate::Triples;

pub fn expected(account: &str) -> Triples {
    set(&[
        ("aws-service-hipaa-eligible", account, "pass"),
        ("aws-service-hipaa-eligible", "us-east-1", "pass"),
    ])
}

/// AWS Artifact is read, so the account has no BAA and fails, and the map says it is missing
/// rather than unverified.
pub fn check(result: &Value, account: &str) {
    let account_resource = result["inventory"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "aws.account")
        .unwrap();
    assert_eq!(
        account_resource["properties"].get("baa_agreement"),
        Some(&Value::Null)
    );
    assert!(
        account_resource["unknown"].get("baa_agreement").is_none(),
        "{account_resource}"
    );
    assert!(crate::verdicts(result).contains(&(
        "aws-artifact-baa-accepted".into(),
        account.into(),
        "fail".into()
    )));
}
