//! RDS: DB instances and clusters in one region.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_rds::types::{Parameter, Tag};
use aws_sdk_rds::Client;
use serde_json::{json, Value};

use super::util::{self, all, describe, resource, Found, Props};
use super::Ctx;

mod params;
use params::*;

const INSTANCE: &str = "aws.rds.instance";
const CLUSTER: &str = "aws.rds.cluster";
const SNAPSHOT: &str = "aws.rds.snapshot";

fn tags(list: &[Tag]) -> BTreeMap<String, String> {
    util::tags(list.iter().map(|t| (t.key(), t.value())))
}

fn opt<T: Into<Value> + Copy>(p: &mut Props, name: &str, v: Option<T>, op: &str) {
    match v {
        Some(v) => p.set(name, v.into()),
        None => p.unknown(name, format!("{op}: the answer had no `{name}`")),
    }
}

/// The properties DB instances and DB clusters share, as each answer gives them.
struct Shared<'a> {
    engine: Option<&'a str>,
    storage_encrypted: Option<bool>,
    kms_key_id: Option<&'a str>,
    backup_retention_days: Option<i32>,
    deletion_protection: Option<bool>,
    multi_az: Option<bool>,
    log_exports: &'a [String],
    iam_auth_enabled: Option<bool>,
}

impl Shared<'_> {
    fn set(self, p: &mut Props, op: &str) {
        p.set("engine", self.engine.unwrap_or_default());
        opt(p, "storage_encrypted", self.storage_encrypted, op);
        p.set(
            "kms_key_id",
            self.kms_key_id.map_or(Value::Null, |k| json!(k)),
        );
        opt(p, "backup_retention_days", self.backup_retention_days, op);
        opt(p, "deletion_protection", self.deletion_protection, op);
        opt(p, "multi_az", self.multi_az, op);
        p.set("log_exports", self.log_exports.to_vec());
        opt(p, "iam_auth_enabled", self.iam_auth_enabled, op);
    }
}

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let mut params = ParamCache::default();
    let listed = util::all(
        "rds:DescribeDBInstances",
        client
            .describe_db_instances()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for db in found
        .listed(listed, &ctx.account, Some(region), &[INSTANCE])
        .unwrap_or_default()
    {
        let op = "rds:DescribeDBInstances";
        let mut p = Props::default();
        Shared {
            engine: db.engine(),
            storage_encrypted: db.storage_encrypted(),
            kms_key_id: db.kms_key_id(),
            backup_retention_days: db.backup_retention_period(),
            deletion_protection: db.deletion_protection(),
            multi_az: db.multi_az(),
            log_exports: db.enabled_cloudwatch_logs_exports(),
            iam_auth_enabled: db.iam_database_authentication_enabled(),
        }
        .set(&mut p, op);
        opt(&mut p, "publicly_accessible", db.publicly_accessible(), op);
        opt(
            &mut p,
            "auto_minor_version_upgrade",
            db.auto_minor_version_upgrade(),
            op,
        );
        // Absent means Enhanced Monitoring was never turned on (interval 0).
        p.set("monitoring_interval", db.monitoring_interval().unwrap_or(0));
        let engine = db.engine().unwrap_or_default();
        let group = match db.db_cluster_identifier() {
            Some(cluster) => ParamGroup::OfCluster(cluster.to_string()),
            None => ParamGroup::Instance(
                db.db_parameter_groups()
                    .first()
                    .and_then(|g| g.db_parameter_group_name())
                    .unwrap_or_default()
                    .to_string(),
            ),
        };
        let values = params.values(&client, group).await;
        match values
            .as_ref()
            .map_err(String::clone)
            .and_then(|v| tls_enforced(engine, v))
        {
            Ok(v) => p.set("tls_enforced", v),
            Err(why) => p.unknown("tls_enforced", why),
        }
        set_connection_logging(&mut p, engine, &values);
        let audit = if is_postgres(engine) || engine == "aurora-mysql" {
            values.and_then(|v| audit_logging(engine, &v))
        } else if engine == "mysql" || engine == "mariadb" {
            let group = db
                .option_group_memberships()
                .first()
                .and_then(|g| g.option_group_name())
                .unwrap_or_default()
                .to_string();
            params.audit_plugin(&client, &group).await
        } else {
            Err(format!(
                "engine `{engine}` audits through its own facilities (e.g. Oracle unified auditing, SQL Server Audit); not read"
            ))
        };
        match audit {
            Ok(v) => p.set("audit_logging", v),
            Err(why) => p.unknown("audit_logging", why),
        }
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
    let listed = util::all(
        "rds:DescribeDBClusters",
        client
            .describe_db_clusters()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for c in found
        .listed(listed, &ctx.account, Some(region), &[CLUSTER])
        .unwrap_or_default()
    {
        let op = "rds:DescribeDBClusters";
        let mut p = Props::default();
        Shared {
            engine: c.engine(),
            storage_encrypted: c.storage_encrypted(),
            kms_key_id: c.kms_key_id(),
            backup_retention_days: c.backup_retention_period(),
            deletion_protection: c.deletion_protection(),
            multi_az: c.multi_az(),
            log_exports: c.enabled_cloudwatch_logs_exports(),
            iam_auth_enabled: c.iam_database_authentication_enabled(),
        }
        .set(&mut p, op);
        let engine = c.engine().unwrap_or_default();
        let values = match c.db_cluster_parameter_group() {
            Some(g) => params.cluster_group(&client, g).await,
            None => Err(format!("{op}: the answer had no `DBClusterParameterGroup`")),
        };
        set_connection_logging(&mut p, engine, &values);
        let audit = if is_postgres(engine) || engine == "aurora-mysql" {
            values.and_then(|v| audit_logging(engine, &v))
        } else {
            Err(format!(
                "engine `{engine}` on a DB cluster: audit logging is not read from its parameters"
            ))
        };
        match audit {
            Ok(v) => p.set("audit_logging", v),
            Err(why) => p.unknown("audit_logging", why),
        }
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
    found.extend(snapshots(ctx, &client, region).await);
    let instances_listed = !found
        .gaps
        .iter()
        .any(|g| g.kinds.iter().any(|k| k == INSTANCE));
    let instances = found
        .resources
        .iter()
        .filter(|r| r.kind == INSTANCE)
        .count();
    found
        .resources
        .push(region_settings(ctx, &client, region, instances_listed.then_some(instances)).await);
    found
}

/// Event categories an instance subscription must carry (Security Hub RDS.20).
const CRITICAL_INSTANCE_EVENTS: [&str; 3] = ["failure", "maintenance", "configuration change"];

/// The region's RDS event subscriptions: whether critical DB instance events reach someone.
async fn region_settings(
    ctx: &Ctx,
    client: &Client,
    region: &str,
    instances: Option<usize>,
) -> hipaa_scan_core::model::Resource {
    let mut p = Props::default();
    match instances {
        Some(n) => p.set("db_instances", n),
        None => p.unknown(
            "db_instances",
            "rds:DescribeDBInstances failed in the region",
        ),
    }
    let subs = all(
        "rds:DescribeEventSubscriptions",
        client
            .describe_event_subscriptions()
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    match subs {
        Ok(pages) => {
            let covered = pages
                .iter()
                .flat_map(|p| p.event_subscriptions_list())
                .any(|s| {
                    subscription_covers_instances(
                        s.enabled().unwrap_or(false),
                        s.source_type(),
                        s.source_ids_list(),
                        s.event_categories_list(),
                    )
                });
            p.set("critical_instance_events_subscribed", covered);
        }
        Err(why) => p.unknown("critical_instance_events_subscribed", why),
    }
    p.into_resource(util::region_resource(
        "aws.rds.region",
        "rds",
        &ctx.account,
        region,
    ))
}

/// Whether one subscription sends the critical events of every DB instance: enabled, for
/// source type `db-instance` (or every source type), no source IDs singling out some instances,
/// and every critical category (no category list means all of them).
pub fn subscription_covers_instances(
    enabled: bool,
    source_type: Option<&str>,
    source_ids: &[String],
    categories: &[String],
) -> bool {
    enabled
        && source_type.is_none_or(|t| t.is_empty() || t == "db-instance")
        && source_ids.is_empty()
        && (categories.is_empty()
            || CRITICAL_INSTANCE_EVENTS
                .iter()
                .all(|c| categories.iter().any(|x| x.eq_ignore_ascii_case(c))))
}

/// Manual DB and cluster snapshots: encrypted, and shared with everyone or not.
async fn snapshots(ctx: &Ctx, client: &Client, region: &str) -> Found {
    let mut found = Found::default();
    let listed = all(
        "rds:DescribeDBSnapshots",
        client
            .describe_db_snapshots()
            .snapshot_type("manual")
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for s in found
        .listed(listed, &ctx.account, Some(region), &[SNAPSHOT])
        .unwrap_or_default()
        .iter()
        .flat_map(|p| p.db_snapshots())
    {
        let name = s.db_snapshot_identifier().unwrap_or_default().to_string();
        let public = client
            .describe_db_snapshot_attributes()
            .db_snapshot_identifier(&name)
            .send()
            .await
            .map(|out| {
                out.db_snapshot_attributes_result().is_some_and(|r| {
                    restorable_by_all(
                        r.db_snapshot_attributes()
                            .iter()
                            .map(|a| (a.attribute_name(), a.attribute_values())),
                    )
                })
            })
            .map_err(|e| describe("rds:DescribeDBSnapshotAttributes", &e));
        let arn = s.db_snapshot_arn().map_or_else(
            || format!("arn:aws:rds:{region}:{}:snapshot:{name}", ctx.account),
            str::to_string,
        );
        let snap = Snapshot {
            name,
            arn,
            encrypted: s.encrypted(),
            cluster: false,
            listed_by: "rds:DescribeDBSnapshots",
        };
        found
            .resources
            .push(snap.resource(ctx, region, public, tags(s.tag_list())));
    }
    let listed = all(
        "rds:DescribeDBClusterSnapshots",
        client
            .describe_db_cluster_snapshots()
            .snapshot_type("manual")
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for s in found
        .listed(listed, &ctx.account, Some(region), &[SNAPSHOT])
        .unwrap_or_default()
        .iter()
        .flat_map(|p| p.db_cluster_snapshots())
    {
        let name = s
            .db_cluster_snapshot_identifier()
            .unwrap_or_default()
            .to_string();
        let public = client
            .describe_db_cluster_snapshot_attributes()
            .db_cluster_snapshot_identifier(&name)
            .send()
            .await
            .map(|out| {
                out.db_cluster_snapshot_attributes_result()
                    .is_some_and(|r| {
                        restorable_by_all(
                            r.db_cluster_snapshot_attributes()
                                .iter()
                                .map(|a| (a.attribute_name(), a.attribute_values())),
                        )
                    })
            })
            .map_err(|e| describe("rds:DescribeDBClusterSnapshotAttributes", &e));
        let arn = s.db_cluster_snapshot_arn().map_or_else(
            || {
                format!(
                    "arn:aws:rds:{region}:{}:cluster-snapshot:{name}",
                    ctx.account
                )
            },
            str::to_string,
        );
        let snap = Snapshot {
            name,
            arn,
            encrypted: s.storage_encrypted(),
            cluster: true,
            listed_by: "rds:DescribeDBClusterSnapshots",
        };
        found
            .resources
            .push(snap.resource(ctx, region, public, tags(s.tag_list())));
    }
    found
}

/// What DB and cluster snapshots have in common.
struct Snapshot {
    name: String,
    arn: String,
    encrypted: Option<bool>,
    cluster: bool,
    /// The listing call, named when it left a field out.
    listed_by: &'static str,
}

impl Snapshot {
    fn resource(
        self,
        ctx: &Ctx,
        region: &str,
        public: Result<bool, String>,
        tags: BTreeMap<String, String>,
    ) -> hipaa_scan_core::model::Resource {
        let mut p = Props::default();
        opt(&mut p, "encrypted", self.encrypted, self.listed_by);
        p.set("cluster", self.cluster);
        match public {
            Ok(v) => p.set("public", v),
            Err(why) => p.unknown("public", why),
        }
        p.into_resource(resource(
            SNAPSHOT,
            self.arn,
            &ctx.account,
            region,
            self.name,
            tags,
        ))
    }
}

/// Whether a snapshot's `restore` attribute lists `all` (shared with every AWS account).
fn restorable_by_all<'a>(attrs: impl Iterator<Item = (Option<&'a str>, &'a [String])>) -> bool {
    attrs
        .into_iter()
        .any(|(name, values)| name == Some("restore") && values.iter().any(|v| v == "all"))
}

#[cfg(test)]
mod tests;
