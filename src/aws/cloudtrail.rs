//! CloudTrail: the trails whose home is a region, with status and event selectors.

use aws_sdk_cloudtrail::Client;
use serde_json::{json, Value};

use super::util::{describe, resource, Found, Props};
use super::Ctx;

const TRAIL: &str = "aws.cloudtrail.trail";

/// Trails of one region, and whether the region could be read.
pub struct Trails {
    pub found: Found,
    /// A multi-region trail here is logging management events.
    pub account_wide_logging: bool,
    /// The region could not be listed: the account-wide fact is unknown, not false.
    pub failed: Option<String>,
}

pub async fn collect(ctx: &Ctx, region: &str) -> Trails {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let mut account_wide_logging = false;
    let trails = match client
        .describe_trails()
        .include_shadow_trails(false)
        .send()
        .await
    {
        Ok(out) => out.trail_list().to_vec(),
        Err(e) => {
            let why = describe("cloudtrail:DescribeTrails", &e);
            found.gap(&ctx.account, Some(region), &[TRAIL], why.clone());
            ctx.progress.done(&format!("cloudtrail {region}"));
            return Trails {
                found,
                account_wide_logging,
                failed: Some(why),
            };
        }
    };
    for t in trails {
        let arn = t.trail_arn().unwrap_or_default().to_string();
        let name = t.name().unwrap_or_default().to_string();
        let mut p = Props::default();
        let multi = t.is_multi_region_trail().unwrap_or(false);
        p.set("multi_region", multi);
        p.set(
            "log_file_validation",
            t.log_file_validation_enabled().unwrap_or(false),
        );
        p.set(
            "kms_key_id",
            t.kms_key_id().map_or(Value::Null, |k| json!(k)),
        );
        let logging = match client.get_trail_status().name(&arn).send().await {
            Ok(s) => {
                let on = s.is_logging().unwrap_or(false);
                p.set("is_logging", on);
                Some(on)
            }
            Err(e) => {
                p.unknown("is_logging", describe("cloudtrail:GetTrailStatus", &e));
                None
            }
        };
        let management = match client.get_event_selectors().trail_name(&arn).send().await {
            Ok(s) => {
                let basic = s.event_selectors();
                let advanced = s.advanced_event_selectors();
                // A trail without selectors records management events (the CreateTrail default).
                let on = (basic.is_empty() && advanced.is_empty())
                    || basic
                        .iter()
                        .any(|e| e.include_management_events().unwrap_or(true))
                    || advanced.iter().any(|a| {
                        a.field_selectors().iter().any(|f| {
                            f.field() == "eventCategory"
                                && f.equals().iter().any(|v| v == "Management")
                        })
                    });
                p.set("management_events", on);
                Some(on)
            }
            Err(e) => {
                p.unknown(
                    "management_events",
                    describe("cloudtrail:GetEventSelectors", &e),
                );
                None
            }
        };
        if multi && logging == Some(true) && management == Some(true) {
            account_wide_logging = true;
        }
        let home = t.home_region().unwrap_or(region).to_string();
        found.resources.push(p.into_resource(resource(
            TRAIL,
            arn,
            &ctx.account,
            &home,
            name,
            Default::default(),
        )));
    }
    ctx.progress.done(&format!("cloudtrail {region}"));
    Trails {
        found,
        account_wide_logging,
        failed: None,
    }
}
