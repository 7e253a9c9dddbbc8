//! GuardDuty: whether a detector is enabled, in one region.

use aws_sdk_guardduty::types::{Condition, DetectorStatus, FindingCriteria};
use aws_sdk_guardduty::Client;

use super::util::{all, describe, region_resource, Found, Props};
use super::Ctx;

const KIND: &str = "aws.guardduty.region";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut p = Props::default();
    let ids = all(
        "guardduty:ListDetectors",
        client
            .list_detectors()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    match ids {
        Ok(ids) => {
            let mut enabled = Ok(false);
            let mut findings: Result<usize, String> = Ok(0);
            for id in ids {
                match client.get_detector().detector_id(&id).send().await {
                    Ok(d) if d.status() == Some(&DetectorStatus::Enabled) => {
                        enabled = Ok(true);
                        let n = high_findings(&client, &id).await;
                        findings = match (findings, n) {
                            (Ok(a), Ok(b)) => Ok(a + b),
                            (Err(why), _) | (_, Err(why)) => Err(why),
                        };
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let why = describe("guardduty:GetDetector", &e);
                        if enabled != Ok(true) {
                            enabled = Err(why.clone());
                        }
                        findings = Err(why);
                    }
                }
            }
            match enabled {
                Ok(v) => p.set("detector_enabled", v),
                Err(why) => p.unknown("detector_enabled", why),
            }
            match findings {
                Ok(n) => p.set("high_severity_findings", n),
                Err(why) => p.unknown("high_severity_findings", why),
            }
        }
        Err(why) => {
            p.unknown("detector_enabled", why.clone());
            p.unknown("high_severity_findings", why);
        }
    }
    let mut found = Found::default();
    found
        .resources
        .push(p.into_resource(region_resource(KIND, "guardduty", &ctx.account, region)));
    found
}

/// Findings of a detector that are not archived and have severity 7 or more (GuardDuty's
/// "High" and "Critical"), counted across every page of ListFindings.
async fn high_findings(client: &Client, detector: &str) -> Result<usize, String> {
    let criteria = FindingCriteria::builder()
        .criterion(
            "severity",
            Condition::builder().greater_than_or_equal(7).build(),
        )
        .criterion(
            "service.archived",
            Condition::builder().equals("false").build(),
        )
        .build();
    let ids = all(
        "guardduty:ListFindings",
        client
            .list_findings()
            .detector_id(detector)
            .finding_criteria(criteria)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    )?;
    Ok(ids.len())
}
