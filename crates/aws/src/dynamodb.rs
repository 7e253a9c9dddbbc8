//! DynamoDB: tables and point-in-time recovery, in one region.

use aws_sdk_dynamodb::types::PointInTimeRecoveryStatus;
use aws_sdk_dynamodb::Client;

use serde_json::{json, Value};

use super::util::{all, customer_managed_key, describe, resource, tags, Found, Props};
use super::Ctx;

const TABLE: &str = "aws.dynamodb.table";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let conf = ctx.config_for(region);
    let client = Client::new(&conf);
    let kms = aws_sdk_kms::Client::new(&conf);
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
        let (backups, tagged, table) = tokio::join!(
            client
                .describe_continuous_backups()
                .table_name(&name)
                .send(),
            client.list_tags_of_resource().resource_arn(&arn).send(),
            client.describe_table().table_name(&name).send(),
        );
        let mut p = Props::default();
        match table.as_ref().map(|o| o.table()) {
            Ok(Some(t)) => {
                // Absent means deletion protection was never turned on (off by default).
                p.set(
                    "deletion_protection",
                    t.deletion_protection_enabled().unwrap_or(false),
                );
                // No SSEDescription: the AWS owned key, DynamoDB's default.
                let sse = t.sse_description();
                let key = sse
                    .filter(|s| s.sse_type().is_some_and(|t| t.as_str() == "KMS"))
                    .and_then(|s| s.kms_master_key_arn())
                    .filter(|k| !k.is_empty());
                p.set("kms_key_arn", key.map_or(Value::Null, |k| json!(k)));
                match key {
                    None => p.set("customer_managed_key", false),
                    Some(k) => match customer_managed_key(&kms, k).await {
                        Ok(v) => p.set("customer_managed_key", v),
                        Err(why) => p.unknown("customer_managed_key", why),
                    },
                }
            }
            Ok(None) => {
                for prop in ["deletion_protection", "kms_key_arn", "customer_managed_key"] {
                    p.unknown(prop, "dynamodb:DescribeTable: the answer had no table");
                }
            }
            Err(e) => {
                let why = describe("dynamodb:DescribeTable", e);
                for prop in ["deletion_protection", "kms_key_arn", "customer_managed_key"] {
                    p.unknown(prop, why.clone());
                }
            }
        }
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
