//! RDS: DB instances and clusters in one region.

use std::collections::BTreeMap;

use aws_sdk_rds::types::Tag;
use aws_sdk_rds::Client;
use serde_json::{json, Value};

use super::util::{self, describe, resource, Found, Props};
use super::Ctx;

const INSTANCE: &str = "aws.rds.instance";
const CLUSTER: &str = "aws.rds.cluster";

fn tags(list: &[Tag]) -> BTreeMap<String, String> {
    util::tags(list.iter().map(|t| (t.key(), t.value())))
}

fn opt<T: Into<Value> + Copy>(p: &mut Props, name: &str, v: Option<T>, op: &str) {
    match v {
        Some(v) => p.set(name, v.into()),
        None => p.unknown(name, format!("{op}: the answer had no `{name}`")),
    }
}

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let mut pages = client.describe_db_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for db in page.db_instances() {
                    let op = "rds:DescribeDBInstances";
                    let mut p = Props::default();
                    p.set("engine", db.engine().unwrap_or_default());
                    opt(&mut p, "storage_encrypted", db.storage_encrypted(), op);
                    p.set(
                        "kms_key_id",
                        db.kms_key_id().map_or(Value::Null, |k| json!(k)),
                    );
                    opt(
                        &mut p,
                        "backup_retention_days",
                        db.backup_retention_period(),
                        op,
                    );
                    opt(&mut p, "publicly_accessible", db.publicly_accessible(), op);
                    opt(&mut p, "multi_az", db.multi_az(), op);
                    opt(&mut p, "deletion_protection", db.deletion_protection(), op);
                    let name = db.db_instance_identifier().unwrap_or_default().to_string();
                    let id = db.db_instance_arn().map_or_else(
                        || format!("arn:aws:rds:{region}:{}:db:{name}", ctx.account),
                        str::to_string,
                    );
                    found.resources.push(p.into_resource(resource(
                        INSTANCE,
                        id,
                        &ctx.account,
                        region,
                        name,
                        tags(db.tag_list()),
                    )));
                }
            }
            Err(e) => {
                found.gap(
                    &ctx.account,
                    Some(region),
                    &[INSTANCE],
                    describe("rds:DescribeDBInstances", &e),
                );
                break;
            }
        }
    }
    let mut pages = client.describe_db_clusters().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for c in page.db_clusters() {
                    let op = "rds:DescribeDBClusters";
                    let mut p = Props::default();
                    p.set("engine", c.engine().unwrap_or_default());
                    opt(&mut p, "storage_encrypted", c.storage_encrypted(), op);
                    p.set(
                        "kms_key_id",
                        c.kms_key_id().map_or(Value::Null, |k| json!(k)),
                    );
                    opt(
                        &mut p,
                        "backup_retention_days",
                        c.backup_retention_period(),
                        op,
                    );
                    opt(&mut p, "deletion_protection", c.deletion_protection(), op);
                    let name = c.db_cluster_identifier().unwrap_or_default().to_string();
                    let id = c.db_cluster_arn().map_or_else(
                        || format!("arn:aws:rds:{region}:{}:cluster:{name}", ctx.account),
                        str::to_string,
                    );
                    found.resources.push(p.into_resource(resource(
                        CLUSTER,
                        id,
                        &ctx.account,
                        region,
                        name,
                        tags(c.tag_list()),
                    )));
                }
            }
            Err(e) => {
                found.gap(
                    &ctx.account,
                    Some(region),
                    &[CLUSTER],
                    describe("rds:DescribeDBClusters", &e),
                );
                break;
            }
        }
    }
    ctx.progress.done(&format!("rds {region}"));
    found
}
