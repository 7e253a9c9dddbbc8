//! CloudWatch Logs: log groups, their retention and encryption, in one region.

use aws_sdk_cloudwatchlogs::Client;
use serde_json::{json, Value};

use super::util::{all, resource, Found, Props};
use super::Ctx;

const GROUP: &str = "aws.logs.log_group";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let groups = all(
        "logs:DescribeLogGroups",
        client
            .describe_log_groups()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    match groups {
        Ok(groups) => {
            for g in groups {
                let name = g.log_group_name().unwrap_or_default().to_string();
                let mut p = Props::default();
                p.set(
                    "retention_days",
                    g.retention_in_days().map_or(Value::Null, |d| json!(d)),
                );
                p.set(
                    "kms_key_id",
                    g.kms_key_id().map_or(Value::Null, |k| json!(k)),
                );
                let arn = g.arn().map_or_else(
                    || format!("arn:aws:logs:{region}:{}:log-group:{name}", ctx.account),
                    |a| a.trim_end_matches(":*").to_string(),
                );
                found.resources.push(p.into_resource(resource(
                    GROUP,
                    arn,
                    &ctx.account,
                    region,
                    name,
                    Default::default(),
                )));
            }
        }
        Err(why) => found.gap(&ctx.account, Some(region), &[GROUP], why),
    }
    found
}
