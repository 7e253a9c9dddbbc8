//! The subscription's own settings: activity log export and Defender for Cloud plans.

use serde_json::Value;

use super::Ctx;
use crate::collect::{resource, Found, Props};

pub(crate) const SUBSCRIPTIONS_API: &str = "2022-12-01";
const DIAGNOSTICS_API: &str = "2021-05-01-preview";
const PRICINGS_API: &str = "2024-01-01";
pub(crate) const SUBSCRIPTION: &str = "azure.subscription";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let base = format!("/subscriptions/{sub}");
    let diag_path = format!("{base}/providers/Microsoft.Insights/diagnosticSettings");
    let pricings_path = format!("{base}/providers/Microsoft.Security/pricings");
    let (diag, pricings) = tokio::join!(
        ctx.arm.list(
            "Microsoft.Insights/diagnosticSettings/read",
            &diag_path,
            Some(DIAGNOSTICS_API)
        ),
        ctx.arm.list(
            "Microsoft.Security/pricings/read",
            &pricings_path,
            Some(PRICINGS_API)
        ),
    );
    let mut p = Props::default();
    match diag {
        Ok(settings) => p.set("activity_log_destinations", destinations(&settings)),
        Err(why) => p.unknown("activity_log_destinations", why),
    }
    match pricings {
        Ok(plans) => {
            let mut standard: Vec<String> = plans
                .iter()
                .filter(|p| p["properties"]["pricingTier"] == "Standard")
                .filter_map(|p| p["name"].as_str().map(str::to_string))
                .collect();
            standard.sort();
            p.set("defender_standard_plans", standard);
        }
        Err(why) => p.unknown("defender_standard_plans", why),
    }
    ctx.progress.done(&format!("subscription {sub}"));
    let mut found = Found::default();
    found.resources.push(p.into_resource(resource(
        SUBSCRIPTION,
        base,
        sub,
        "global",
        sub.to_string(),
        Default::default(),
    )));
    found
}

/// Where subscription diagnostic settings send the activity log. A setting counts when at least
/// one log category is enabled.
fn destinations(settings: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for s in settings {
        let props = &s["properties"];
        let any_log = props["logs"]
            .as_array()
            .is_some_and(|logs| logs.iter().any(|l| l["enabled"] == true));
        if !any_log {
            continue;
        }
        for (field, name) in [
            ("workspaceId", "workspace"),
            ("storageAccountId", "storage"),
            ("eventHubAuthorizationRuleId", "eventhub"),
            ("marketplacePartnerId", "partner"),
        ] {
            if props[field].as_str().is_some_and(|v| !v.is_empty()) {
                out.push(name.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
