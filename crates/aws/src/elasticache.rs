//! ElastiCache: Redis OSS and Valkey replication groups, their encryption, authentication and
//! automatic backups, in one region.

use aws_sdk_elasticache::types::TransitEncryptionMode;
use aws_sdk_elasticache::Client;

use super::util::{all, describe, resource, tags, Found, Props};
use super::Ctx;

const GROUP: &str = "aws.elasticache.replication_group";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let listed = all(
        "elasticache:DescribeReplicationGroups",
        client
            .describe_replication_groups()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(groups) = found.listed(listed, &ctx.account, Some(region), &[GROUP]) else {
        return found;
    };
    for g in groups {
        let id = g.replication_group_id().unwrap_or_default().to_string();
        let arn = g.arn().map_or_else(
            || {
                format!(
                    "arn:aws:elasticache:{region}:{}:replicationgroup:{id}",
                    ctx.account
                )
            },
            str::to_string,
        );
        let mut p = Props::default();
        let missing =
            |f: &str| format!("elasticache:DescribeReplicationGroups: the answer had no `{f}`");
        match g.at_rest_encryption_enabled() {
            Some(v) => p.set("encrypted_at_rest", v),
            None => p.unknown("encrypted_at_rest", missing("AtRestEncryptionEnabled")),
        }
        match g.transit_encryption_enabled() {
            // `preferred` accepts clear-text connections alongside TLS (a migration mode);
            // without a mode (engines before the setting existed) TLS is required.
            Some(on) => p.set(
                "transit_encryption_required",
                on && g.transit_encryption_mode() != Some(&TransitEncryptionMode::Preferred),
            ),
            None => p.unknown(
                "transit_encryption_required",
                missing("TransitEncryptionEnabled"),
            ),
        }
        p.set(
            "auth_required",
            g.auth_token_enabled() == Some(true) || !g.user_group_ids().is_empty(),
        );
        match g.snapshot_retention_limit() {
            Some(v) => p.set("snapshot_retention_days", v),
            None => p.unknown("snapshot_retention_days", missing("SnapshotRetentionLimit")),
        }
        let tags = p.tags(
            client
                .list_tags_for_resource()
                .resource_name(&arn)
                .send()
                .await
                .map(|out| tags(out.tag_list().iter().map(|t| (t.key(), t.value()))))
                .map_err(|e| describe("elasticache:ListTagsForResource", &e)),
        );
        found
            .resources
            .push(p.into_resource(resource(GROUP, arn, &ctx.account, region, id, tags)));
    }
    found
}
