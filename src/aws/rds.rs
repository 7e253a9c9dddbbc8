//! RDS: DB instances and clusters in one region.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_rds::types::{Parameter, Tag};
use aws_sdk_rds::Client;
use serde_json::{json, Value};

use super::util::{self, all, describe, resource, Found, Props};
use super::Ctx;

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

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let mut tls = TlsParams::default();
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
                    p.set("log_exports", db.enabled_cloudwatch_logs_exports().to_vec());
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
                    match tls.enforced(&client, engine, group).await {
                        Ok(v) => p.set("tls_enforced", v),
                        Err(why) => p.unknown("tls_enforced", why),
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
                    opt(&mut p, "multi_az", c.multi_az(), op);
                    p.set("log_exports", c.enabled_cloudwatch_logs_exports().to_vec());
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
    found.extend(snapshots(ctx, &client, region).await);
    found
}

/// Where an instance's TLS setting lives.
enum ParamGroup {
    Instance(String),
    /// Aurora instances take it from their cluster's parameter group.
    OfCluster(String),
}

/// Parameter values read so far, by group, so each group is read once per region.
#[derive(Default)]
struct TlsParams {
    groups: HashMap<String, Result<HashMap<String, String>, String>>,
    clusters: HashMap<String, Result<String, String>>,
}

impl TlsParams {
    /// Whether the parameter that forces TLS for `engine` is on.
    async fn enforced(
        &mut self,
        client: &Client,
        engine: &str,
        group: ParamGroup,
    ) -> Result<bool, String> {
        let param = if engine.contains("postgres") || engine.starts_with("sqlserver") {
            "rds.force_ssl"
        } else if engine.contains("mysql") || engine == "mariadb" {
            "require_secure_transport"
        } else {
            return Err(format!(
                "engine `{engine}` enforces TLS outside parameter groups (e.g. Oracle's SQLNET options); not read"
            ));
        };
        let values = match group {
            ParamGroup::Instance(name) => {
                let key = format!("db:{name}");
                if !self.groups.contains_key(&key) {
                    let v = instance_params(client, &name).await;
                    self.groups.insert(key.clone(), v);
                }
                self.groups[&key].clone()
            }
            ParamGroup::OfCluster(cluster) => {
                if !self.clusters.contains_key(&cluster) {
                    let g = client
                        .describe_db_clusters()
                        .db_cluster_identifier(&cluster)
                        .send()
                        .await
                        .map_err(|e| describe("rds:DescribeDBClusters", &e))
                        .and_then(|o| {
                            o.db_clusters()
                                .first()
                                .and_then(|c| c.db_cluster_parameter_group())
                                .map(str::to_string)
                                .ok_or_else(|| format!("cluster {cluster} has no parameter group"))
                        });
                    self.clusters.insert(cluster.clone(), g);
                }
                let name = self.clusters[&cluster].clone()?;
                let key = format!("cluster:{name}");
                if !self.groups.contains_key(&key) {
                    let v = cluster_params(client, &name).await;
                    self.groups.insert(key.clone(), v);
                }
                self.groups[&key].clone()
            }
        };
        let values = values?;
        // Unset means the engine default, which does not force TLS on the engines checked here
        // before PostgreSQL 15; AWS's own default groups for newer versions set it to 1.
        Ok(values
            .get(param)
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "on" | "true")))
    }
}

async fn instance_params(client: &Client, group: &str) -> Result<HashMap<String, String>, String> {
    let pages = all(
        "rds:DescribeDBParameters",
        client
            .describe_db_parameters()
            .db_parameter_group_name(group)
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    )?;
    Ok(set_values(pages.iter().flat_map(|p| p.parameters())))
}

async fn cluster_params(client: &Client, group: &str) -> Result<HashMap<String, String>, String> {
    let pages = all(
        "rds:DescribeDBClusterParameters",
        client
            .describe_db_cluster_parameters()
            .db_cluster_parameter_group_name(group)
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    )?;
    Ok(set_values(pages.iter().flat_map(|p| p.parameters())))
}

/// The parameters of a group that have a value, by name.
fn set_values<'a>(params: impl Iterator<Item = &'a Parameter>) -> HashMap<String, String> {
    params
        .filter_map(|p| {
            Some((
                p.parameter_name()?.to_string(),
                p.parameter_value()?.to_string(),
            ))
        })
        .collect()
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
    ) -> crate::model::Resource {
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
