//! Security Hub: whether the account is subscribed, in one region.

use aws_sdk_securityhub::Client;

use super::util::{code, describe, region_resource, Found, Props};
use super::Ctx;

const KIND: &str = "aws.securityhub.region";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut p = Props::default();
    match client.describe_hub().send().await {
        Ok(_) => p.set("enabled", true),
        Err(e) => {
            let why = describe("securityhub:DescribeHub", &e);
            // An account where Security Hub is off is "not subscribed" to it.
            if why.contains("not subscribed") || code(&e) == Some("ResourceNotFoundException") {
                p.set("enabled", false);
            } else {
                p.unknown("enabled", why);
            }
        }
    }
    let mut found = Found::default();
    found.resources.push(p.into_resource(region_resource(
        KIND,
        "securityhub",
        &ctx.account,
        region,
    )));
    found
}
