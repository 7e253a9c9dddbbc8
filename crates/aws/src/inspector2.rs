//! Amazon Inspector (v2): whether the account scans EC2 instances, ECR images and Lambda
//! functions for vulnerabilities, in one region.
//!
//! `inspector2:BatchGetAccountStatus` for the account itself: the account's state and the state of
//! each scan type. Only `ENABLED` counts (`ENABLING`, `SUSPENDED`, `DISABLING` scan nothing yet or
//! any more). The account listed under `failedAccounts`, or in neither list, leaves the state
//! unknown.

use aws_sdk_inspector2::operation::batch_get_account_status::BatchGetAccountStatusOutput;
use aws_sdk_inspector2::types::{State, Status};
use aws_sdk_inspector2::Client;

use super::util::{describe, region_resource, Found, Props};
use super::Ctx;

const KIND: &str = "aws.inspector2.region";

/// The properties, each read from the answer or unknown for the same reason.
const PROPERTIES: [&str; 4] = ["status", "ec2_scanning", "ecr_scanning", "lambda_scanning"];

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut p = Props::default();
    let read = client
        .batch_get_account_status()
        .account_ids(&ctx.account)
        .send()
        .await
        .map_err(|e| describe("inspector2:BatchGetAccountStatus", &e))
        .and_then(|out| scanning(&ctx.account, &out));
    match read {
        Ok(s) => {
            p.set("status", s.status);
            p.set("ec2_scanning", s.ec2);
            p.set("ecr_scanning", s.ecr);
            p.set("lambda_scanning", s.lambda);
        }
        Err(why) => {
            for property in PROPERTIES {
                p.unknown(property, why.clone());
            }
        }
    }
    let mut found = Found::default();
    found.resources.push(p.into_resource(region_resource(
        KIND,
        "inspector2",
        &ctx.account,
        region,
    )));
    found
}

/// What Inspector scans in the account.
#[derive(Debug, PartialEq, Eq)]
pub struct Scanning {
    pub status: String,
    pub ec2: bool,
    pub ecr: bool,
    pub lambda: bool,
}

/// The account's state from the answer; an error when the account failed or is missing.
pub fn scanning(account: &str, out: &BatchGetAccountStatusOutput) -> Result<Scanning, String> {
    if let Some(a) = out.accounts().iter().find(|a| a.account_id() == account) {
        let enabled = |s: Option<&State>| s.is_some_and(|s| s.status() == &Status::Enabled);
        let r = a.resource_state();
        return Ok(Scanning {
            status: a
                .state()
                .map_or("unknown", |s| s.status().as_str())
                .to_string(),
            ec2: enabled(r.and_then(|r| r.ec2())),
            ecr: enabled(r.and_then(|r| r.ecr())),
            lambda: enabled(r.and_then(|r| r.lambda())),
        });
    }
    if let Some(f) = out
        .failed_accounts()
        .iter()
        .find(|f| f.account_id() == account)
    {
        return Err(format!(
            "inspector2:BatchGetAccountStatus: {}: {}",
            f.error_code().as_str(),
            f.error_message()
        ));
    }
    Err(format!(
        "inspector2:BatchGetAccountStatus: the answer did not include account {account}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_inspector2::types::{AccountState, ErrorCode, FailedAccount, ResourceState};

    fn state(status: &str) -> State {
        State::builder()
            .status(Status::from(status))
            .error_code(ErrorCode::from(""))
            .error_message("")
            .build()
            .unwrap()
    }

    fn account(id: &str, status: &str, ec2: &str, ecr: &str, lambda: &str) -> AccountState {
        AccountState::builder()
            .account_id(id)
            .state(state(status))
            .resource_state(
                ResourceState::builder()
                    .ec2(state(ec2))
                    .ecr(state(ecr))
                    .lambda(state(lambda))
                    .build(),
            )
            .build()
            .unwrap()
    }

    fn answer(
        accounts: Vec<AccountState>,
        failed: Vec<FailedAccount>,
    ) -> BatchGetAccountStatusOutput {
        BatchGetAccountStatusOutput::builder()
            .set_accounts(Some(accounts))
            .set_failed_accounts(Some(failed))
            .build()
            .unwrap()
    }

    #[test]
    fn only_enabled_scan_types_count() {
        let out = answer(
            vec![
                // Another account of the organization is not this one.
                account("999999999999", "ENABLED", "ENABLED", "ENABLED", "ENABLED"),
                account(
                    "111122223333",
                    "ENABLED",
                    "ENABLED",
                    "ENABLING",
                    "SUSPENDED",
                ),
            ],
            vec![],
        );
        assert_eq!(
            scanning("111122223333", &out),
            Ok(Scanning {
                status: "ENABLED".into(),
                ec2: true,
                ecr: false,
                lambda: false,
            })
        );
        let off = answer(
            vec![account(
                "111122223333",
                "DISABLED",
                "DISABLED",
                "DISABLED",
                "DISABLED",
            )],
            vec![],
        );
        let s = scanning("111122223333", &off).unwrap();
        assert_eq!(
            (s.status.as_str(), s.ec2, s.ecr, s.lambda),
            ("DISABLED", false, false, false)
        );
        // No resource state at all: nothing is scanned.
        let bare = answer(
            vec![AccountState::builder()
                .account_id("111122223333")
                .state(state("ENABLED"))
                .build()
                .unwrap()],
            vec![],
        );
        let s = scanning("111122223333", &bare).unwrap();
        assert!(!s.ec2 && !s.ecr && !s.lambda);
    }

    #[test]
    fn a_failed_or_missing_account_is_unknown() {
        let failed = answer(
            vec![],
            vec![FailedAccount::builder()
                .account_id("111122223333")
                .error_code(ErrorCode::AccessDenied)
                .error_message("not authorized")
                .build()
                .unwrap()],
        );
        assert_eq!(
            scanning("111122223333", &failed),
            Err("inspector2:BatchGetAccountStatus: ACCESS_DENIED: not authorized".into())
        );
        assert_eq!(
            scanning("111122223333", &answer(vec![], vec![])),
            Err(
                "inspector2:BatchGetAccountStatus: the answer did not include account 111122223333"
                    .into()
            )
        );
    }
}
