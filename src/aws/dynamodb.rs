//! DynamoDB: tables and point-in-time recovery, in one region.

use aws_sdk_dynamodb::types::PointInTimeRecoveryStatus;
use aws_sdk_dynamodb::Client;

use super::util::{all, describe, resource, tags, Found, Props};
use super::Ctx;

const TABLE: &str = "aws.dynamodb.table";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let names = all(
        "dynamodb:ListTables",
        client
            .list_tables()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(names) = found.listed(names, &ctx.account, Some(region), &[TABLE]) else {
        return found;
    };
    for name in names {
        let arn = format!("arn:aws:dynamodb:{region}:{}:table/{name}", ctx.account);
        let (backups, tagged) = tokio::join!(
            client
                .describe_continuous_backups()
                .table_name(&name)
                .send(),
            client.list_tags_of_resource().resource_arn(&arn).send(),
        );
        let mut p = Props::default();
        match backups {
            Ok(out) => {
                let pitr = out
                    .continuous_backups_description()
                    .and_then(|d| d.point_in_time_recovery_description());
                let enabled = pitr.and_then(|d| d.point_in_time_recovery_status())
                    == Some(&PointInTimeRecoveryStatus::Enabled);
                p.set("pitr_enabled", enabled);
                // RecoveryPeriodInDays defaults to 35 (the maximum) when PITR is on and the
                // period was never set; without PITR there is no recovery window.
                let days = match (enabled, pitr.and_then(|d| d.recovery_period_in_days())) {
                    (true, Some(d)) => d,
                    (true, None) => 35,
                    (false, _) => 0,
                };
                p.set("pitr_recovery_period_days", days);
            }
            Err(e) => {
                let why = describe("dynamodb:DescribeContinuousBackups", &e);
                p.unknown("pitr_enabled", why.clone());
                p.unknown("pitr_recovery_period_days", why);
            }
        }
        let tags = p.tags(
            tagged
                .map(|o| tags(o.tags().iter().map(|t| (Some(t.key()), Some(t.value())))))
                .map_err(|e| describe("dynamodb:ListTagsOfResource", &e)),
        );
        found.resources.push(p.into_resource(resource(
            TABLE,
            arn,
            &ctx.account,
            region,
            name,
            tags,
        )));
    }
    found
}
