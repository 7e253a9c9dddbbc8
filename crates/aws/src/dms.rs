//! AWS Database Migration Service: replication instances, whether they are reachable from the
//! internet, which key encrypts their storage, and their availability and upgrades, in one region.
//!
//! A replication instance reads the source database and writes the target; changes in flight and
//! task logs sit on its storage, so it holds what the databases hold while it runs.

use std::collections::HashMap;

use aws_sdk_databasemigration::types::ReplicationInstance;
use aws_sdk_databasemigration::Client;
use serde_json::Value;

use super::util::{all, customer_managed_key, describe, resource, tags, Found, Props};
use super::Ctx;

const KIND: &str = "aws.dms.replication_instance";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let conf = ctx.config_for(region);
    let client = Client::new(&conf);
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
    // Key -> customer managed, asked once per key of the region.
    let mut managers: HashMap<String, Result<bool, String>> = HashMap::new();
    for i in pages.iter().flat_map(|p| p.replication_instances()) {
        let Some(arn) = i.replication_instance_arn().map(str::to_string) else {
            continue;
        };
        let mut p = properties(i);
        match i.kms_key_id().filter(|k| !k.is_empty()) {
            // Storage is always encrypted; without a key named, DMS used its default one.
            None => p.set("customer_managed_key", false),
            Some(key) => {
                if !managers.contains_key(key) {
                    let v = customer_managed_key(&kms, key).await;
                    managers.insert(key.to_string(), v);
                }
                match &managers[key] {
                    Ok(v) => p.set("customer_managed_key", *v),
                    Err(why) => p.unknown("customer_managed_key", why.clone()),
                }
            }
        }
        let tags = p.tags(
            client
                .list_tags_for_resource()
                .resource_arn(&arn)
                .send()
                .await
                .map(|out| tags(out.tag_list().iter().map(|t| (t.key(), t.value()))))
                .map_err(|e| describe("dms:ListTagsForResource", &e)),
        );
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
    use hipaa_scan_core::collect::resource;
    use serde_json::json;

    fn read(i: &ReplicationInstance) -> (serde_json::Map<String, Value>, Vec<String>) {
        let r = properties(i).into_resource(resource(
            KIND,
            "arn".into(),
            "111122223333",
            "us-east-1",
            "i".into(),
            Default::default(),
        ));
        (r.properties, r.unknown.keys().cloned().collect())
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
}
