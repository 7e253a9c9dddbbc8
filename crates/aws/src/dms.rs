//! AWS Database Migration Service: replication instances, whether they are reachable from the
//! internet, which key encrypts their storage, and their availability and upgrades; and endpoints,
//! whether the connection to their database is encrypted; in one region.
//!
//! A replication instance reads the source database and writes the target; changes in flight and
//! task logs sit on its storage, so it holds what the databases hold while it runs. An endpoint is
//! how it connects to one of those databases: every row migrated crosses that connection.

use aws_sdk_databasemigration::types::{Endpoint, ReplicationInstance};
use aws_sdk_databasemigration::Client;
use serde_json::Value;

use super::util::{all, describe, resource, tags, Found, KeyManagers, Props};
use super::Ctx;

const KIND: &str = "aws.dms.replication_instance";
const ENDPOINT: &str = "aws.dms.endpoint";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let (mut found, endpoints) = tokio::join!(
        replication_instances(ctx, &client, region),
        endpoints(ctx, &client, region)
    );
    found.extend(endpoints);
    found
}

async fn replication_instances(ctx: &Ctx, client: &Client, region: &str) -> Found {
    let conf = ctx.config_for(region);
    let mut found = Found::default();
    let pages = all(
        "dms:DescribeReplicationInstances",
        client
            .describe_replication_instances()
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(pages) = found.listed(pages, &ctx.account, Some(region), &[KIND]) else {
        return found;
    };
    let kms = aws_sdk_kms::Client::new(&conf);
    let mut managers = KeyManagers::default();
    for i in pages.iter().flat_map(|p| p.replication_instances()) {
        let Some(arn) = i.replication_instance_arn().map(str::to_string) else {
            continue;
        };
        let mut p = properties(i);
        match i.kms_key_id().filter(|k| !k.is_empty()) {
            // Storage is always encrypted; without a key named, DMS used its default one.
            None => p.set("customer_managed_key", false),
            Some(key) => managers.mark(&kms, key, &mut p).await,
        }
        let tags = p.tags(resource_tags(client, &arn).await);
        let name = i
            .replication_instance_identifier()
            .map_or_else(|| arn.clone(), str::to_string);
        found.resources.push(p.into_resource(resource(
            KIND,
            arn,
            &ctx.account,
            region,
            name,
            tags,
        )));
    }
    found
}

async fn resource_tags(
    client: &Client,
    arn: &str,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map(|out| tags(out.tag_list().iter().map(|t| (t.key(), t.value()))))
        .map_err(|e| describe("dms:ListTagsForResource", &e))
}

async fn endpoints(ctx: &Ctx, client: &Client, region: &str) -> Found {
    let mut found = Found::default();
    let pages = all(
        "dms:DescribeEndpoints",
        client
            .describe_endpoints()
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(pages) = found.listed(pages, &ctx.account, Some(region), &[ENDPOINT]) else {
        return found;
    };
    for e in pages.iter().flat_map(|p| p.endpoints()) {
        let Some(arn) = e.endpoint_arn().map(str::to_string) else {
            continue;
        };
        let mut p = endpoint_properties(e);
        let tags = p.tags(resource_tags(client, &arn).await);
        let name = e
            .endpoint_identifier()
            .map_or_else(|| arn.clone(), str::to_string);
        found.resources.push(p.into_resource(resource(
            ENDPOINT,
            arn,
            &ctx.account,
            region,
            name,
            tags,
        )));
    }
    found
}

/// An endpoint's engine and SSL mode. `SslMode` left out is `none`, the default the API
/// documents for it on the endpoint it answers with.
pub fn endpoint_properties(e: &Endpoint) -> Props {
    let mut p = Props::default();
    match e.engine_name().filter(|n| !n.is_empty()) {
        Some(engine) => p.set("engine_name", engine.to_ascii_lowercase()),
        None => p.unknown(
            "engine_name",
            "dms:DescribeEndpoints: the answer had no `EngineName`",
        ),
    }
    p.set(
        "ssl_mode",
        e.ssl_mode().map_or("none", |m| m.as_str()).to_string(),
    );
    p
}

/// What the description itself says; `customer_managed_key` needs KMS and is set by the caller.
pub fn properties(i: &ReplicationInstance) -> Props {
    let mut p = Props::default();
    // The SDK reads an absent flag as false; a public address listed settles it either way.
    let public_ip = !i.replication_instance_public_ip_addresses().is_empty();
    p.set("publicly_accessible", i.publicly_accessible() || public_ip);
    p.set(
        "kms_key_id",
        i.kms_key_id()
            .filter(|k| !k.is_empty())
            .map_or(Value::Null, Value::from),
    );
    p.set("multi_az", i.multi_az());
    p.set("auto_minor_version_upgrade", i.auto_minor_version_upgrade());
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(i: &ReplicationInstance) -> (serde_json::Map<String, Value>, Vec<String>) {
        properties(i).into_parts()
    }

    #[test]
    fn a_private_single_az_instance_reads_as_such() {
        let i = ReplicationInstance::builder()
            .publicly_accessible(false)
            .multi_az(false)
            .auto_minor_version_upgrade(true)
            .kms_key_id("arn:aws:kms:us-east-1:111122223333:key/1")
            .replication_instance_private_ip_addresses("10.0.0.5")
            .build();
        let (got, unknown) = read(&i);
        assert!(unknown.is_empty());
        assert_eq!(
            Value::Object(got),
            json!({
                "publicly_accessible": false,
                "kms_key_id": "arn:aws:kms:us-east-1:111122223333:key/1",
                "multi_az": false,
                "auto_minor_version_upgrade": true,
            })
        );
    }

    #[test]
    fn a_public_address_makes_it_public() {
        // The flag says private (or is missing, which the SDK reads as false) but the instance
        // has a public address: it is reachable.
        let i = ReplicationInstance::builder()
            .publicly_accessible(false)
            .replication_instance_public_ip_addresses("54.0.0.1")
            .multi_az(true)
            .auto_minor_version_upgrade(false)
            .build();
        let (got, _) = read(&i);
        assert_eq!(got["publicly_accessible"], json!(true));
        assert_eq!(got["kms_key_id"], Value::Null);
        let addressed = ReplicationInstance::builder()
            .replication_instance_public_ip_addresses("54.0.0.2")
            .build();
        assert_eq!(read(&addressed).0["publicly_accessible"], json!(true));
    }

    fn endpoint(e: Endpoint) -> (Value, Vec<String>) {
        let (known, unknown) = endpoint_properties(&e).into_parts();
        (Value::Object(known), unknown)
    }

    #[test]
    fn an_endpoint_without_a_mode_connects_in_the_clear() {
        use aws_sdk_databasemigration::types::DmsSslModeValue;
        let (got, _) = endpoint(
            Endpoint::builder()
                .engine_name("Postgres")
                .ssl_mode(DmsSslModeValue::VerifyFull)
                .build(),
        );
        assert_eq!(
            got,
            json!({"engine_name": "postgres", "ssl_mode": "verify-full"})
        );
        // No mode in the answer: DMS's documented default, `none`.
        let (got, unknown) = endpoint(Endpoint::builder().engine_name("mysql").build());
        assert_eq!(got, json!({"engine_name": "mysql", "ssl_mode": "none"}));
        assert!(unknown.is_empty());
        // No engine: whether SSL applies to it is unknown.
        let (got, unknown) = endpoint(Endpoint::builder().build());
        assert_eq!(got, json!({"ssl_mode": "none"}));
        assert_eq!(unknown, ["engine_name"]);
    }
}
