//! AWS Config: whether a configuration recorder exists and is recording, in one region.

use aws_sdk_config::Client;

use super::util::{describe, region_resource, Found, Props};
use super::Ctx;

const KIND: &str = "aws.config.region";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut p = Props::default();
    // A recorder that records only some types leaves the rest of the estate without history.
    match client.describe_configuration_recorders().send().await {
        Ok(out) => p.set(
            "records_all_types",
            out.configuration_recorders().iter().any(|r| {
                r.recording_group().is_some_and(|g| {
                    g.all_supported()
                        && g.exclusion_by_resource_types()
                            .is_none_or(|e| e.resource_types().is_empty())
                })
            }),
        ),
        Err(e) => p.unknown(
            "records_all_types",
            describe("config:DescribeConfigurationRecorders", &e),
        ),
    }
    match client.describe_configuration_recorder_status().send().await {
        Ok(out) => {
            let statuses = out.configuration_recorders_status();
            p.set("recorders", statuses.len());
            p.set("recording", statuses.iter().any(|s| s.recording()));
        }
        Err(e) => {
            let why = describe("config:DescribeConfigurationRecorderStatus", &e);
            p.unknown("recorders", why.clone());
            p.unknown("recording", why);
        }
    }
    let mut found = Found::default();
    found
        .resources
        .push(p.into_resource(region_resource(KIND, "config", &ctx.account, region)));
    found
}
