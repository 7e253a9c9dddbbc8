//! AWS Artifact: the Business Associate Addendum the account, or its organization, accepted
//! (`ListCustomerAgreements`). It becomes the account's `baa_agreement`; where Artifact cannot be
//! read, that is unknown, so the BAA check is not evaluated and the map says "not verified".

use aws_sdk_artifact::types::{CustomerAgreementState, CustomerAgreementSummary};
use aws_sdk_artifact::Client;
use serde_json::{json, Value};

use super::util::all;
use super::Ctx;
use hipaa_scan_core::model::Resource;

const OP: &str = "artifact:ListCustomerAgreements";
/// The region AWS Artifact's API answers in, for the `aws` partition.
const ARTIFACT_REGION: &str = "us-east-1";

/// The account's BAA as `baa_agreement` (null when none was ever accepted), or why unknown.
pub async fn read(ctx: &Ctx) -> Result<Value, String> {
    let client = Client::new(&ctx.config_for(ARTIFACT_REGION));
    let agreements = all(
        OP,
        client
            .list_customer_agreements()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    )?;
    Ok(baa_of(&agreements))
}

/// The Business Associate Addendum among the accepted agreements: an active one (an
/// organization-wide one first), else the latest; null when there is none. Matched on AWS's
/// agreement names ("AWS Business Associate Addendum", "AWS Organizations Business Associate
/// Addendum").
pub(crate) fn baa_of(agreements: &[CustomerAgreementSummary]) -> Value {
    let best = agreements
        .iter()
        .filter(|a| {
            a.name().is_some_and(|n| {
                n.to_ascii_lowercase()
                    .contains("business associate addendum")
            })
        })
        .max_by_key(|a| {
            (
                a.state() == Some(&CustomerAgreementState::Active),
                a.organization_arn().is_some_and(|o| !o.is_empty()),
                a.effective_start().map(|t| t.secs()),
            )
        });
    let Some(a) = best else {
        return Value::Null;
    };
    json!({
        "name": a.name().unwrap_or_default(),
        "state": a.state().map_or("", |s| s.as_str()),
        "effective_start": a.effective_start().map_or(Value::Null, super::iam::rfc3339),
        "organization_wide": a.organization_arn().is_some_and(|o| !o.is_empty()),
    })
}

/// Puts what was read on the account resource.
pub fn mark_account(resources: &mut [Resource], baa: Result<Value, String>) {
    for r in resources.iter_mut().filter(|r| r.kind == "aws.account") {
        match &baa {
            Ok(v) => {
                r.properties.insert("baa_agreement".into(), v.clone());
            }
            Err(why) => {
                r.unknown.insert("baa_agreement".into(), why.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_artifact::primitives::DateTime;

    fn agreement(
        name: &str,
        state: CustomerAgreementState,
        org: bool,
        at: i64,
    ) -> CustomerAgreementSummary {
        let mut b = CustomerAgreementSummary::builder()
            .name(name)
            .state(state)
            .effective_start(DateTime::from_secs(at));
        if org {
            b = b.organization_arn("arn:aws:organizations::111122223333:organization/o-abc");
        }
        b.build()
    }

    #[test]
    fn the_active_baa_is_chosen_and_other_agreements_do_not_count() {
        // No BAA at all: an NDA is not one.
        assert_eq!(
            baa_of(&[agreement(
                "AWS Artifact Non-Disclosure Agreement",
                CustomerAgreementState::Active,
                false,
                1
            )]),
            Value::Null
        );
        assert_eq!(baa_of(&[]), Value::Null);
        // A terminated account BAA beside an active organization one: the active one.
        let got = baa_of(&[
            agreement(
                "AWS Business Associate Addendum",
                CustomerAgreementState::CustomerTerminated,
                false,
                1_700_000_000,
            ),
            agreement(
                "AWS Organizations Business Associate Addendum",
                CustomerAgreementState::Active,
                true,
                1_600_000_000,
            ),
        ]);
        assert_eq!(got["state"], "ACTIVE");
        assert_eq!(got["organization_wide"], true);
        assert_eq!(got["effective_start"], "2020-09-13T12:26:40Z");
        // Only terminated ones: the latest, still terminated (the check fails on it).
        let got = baa_of(&[
            agreement(
                "AWS Business Associate Addendum",
                CustomerAgreementState::AwsTerminated,
                false,
                5,
            ),
            agreement(
                "AWS Business Associate Addendum",
                CustomerAgreementState::CustomerTerminated,
                false,
                9,
            ),
        ]);
        assert_eq!(got["state"], "CUSTOMER_TERMINATED");
        assert_eq!(got["organization_wide"], false);
    }
}
