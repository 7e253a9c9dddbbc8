//! GuardDuty: whether a detector is enabled, in one region.

use aws_sdk_guardduty::types::DetectorStatus;
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
            for id in ids {
                match client.get_detector().detector_id(&id).send().await {
                    Ok(d) if d.status() == Some(&DetectorStatus::Enabled) => {
                        enabled = Ok(true);
                        break;
                    }
                    Ok(_) => {}
                    Err(e) => enabled = Err(describe("guardduty:GetDetector", &e)),
                }
            }
            match enabled {
                Ok(v) => p.set("detector_enabled", v),
                Err(why) => p.unknown("detector_enabled", why),
            }
        }
        Err(why) => p.unknown("detector_enabled", why),
    }
    let mut found = Found::default();
    found
        .resources
        .push(p.into_resource(region_resource(KIND, "guardduty", &ctx.account, region)));
    found
}
