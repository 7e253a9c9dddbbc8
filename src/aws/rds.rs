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
    let mut params = ParamCache::default();
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
                    opt(
                        &mut p,
                        "auto_minor_version_upgrade",
                        db.auto_minor_version_upgrade(),
                        op,
                    );
                    opt(
                        &mut p,
                        "iam_auth_enabled",
                        db.iam_database_authentication_enabled(),
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
                    opt(
                        &mut p,
                        "iam_auth_enabled",
                        c.iam_database_authentication_enabled(),
                        op,
                    );
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
) -> crate::model::Resource {
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

/// Where an instance's TLS setting lives.
enum ParamGroup {
    Instance(String),
    /// Aurora instances take it from their cluster's parameter group.
    OfCluster(String),
}

/// Parameter values (and option groups) read so far, by group, so each group is read once per
/// region.
#[derive(Default)]
struct ParamCache {
    groups: HashMap<String, Result<HashMap<String, String>, String>>,
    clusters: HashMap<String, Result<String, String>>,
    options: HashMap<String, Result<bool, String>>,
}

impl ParamCache {
    /// The parameters with a value in the group that governs an instance.
    async fn values(
        &mut self,
        client: &Client,
        group: ParamGroup,
    ) -> Result<HashMap<String, String>, String> {
        match group {
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
                self.cluster_group(client, &name).await
            }
        }
    }

    /// The parameters with a value in a DB cluster parameter group.
    async fn cluster_group(
        &mut self,
        client: &Client,
        name: &str,
    ) -> Result<HashMap<String, String>, String> {
        let key = format!("cluster:{name}");
        if !self.groups.contains_key(&key) {
            let v = cluster_params(client, name).await;
            self.groups.insert(key.clone(), v);
        }
        self.groups[&key].clone()
    }

    /// Whether an option group carries the MariaDB Audit Plugin recording connections and
    /// queries (RDS for MySQL and MariaDB).
    async fn audit_plugin(&mut self, client: &Client, group: &str) -> Result<bool, String> {
        if group.is_empty() {
            return Err("rds:DescribeDBInstances: the answer had no option group".into());
        }
        if !self.options.contains_key(group) {
            let v = all(
                "rds:DescribeOptionGroups",
                client
                    .describe_option_groups()
                    .option_group_name(group)
                    .into_paginator()
                    .send()
                    .collect::<Vec<_>>()
                    .await,
            )
            .map(|pages| {
                let options = pages
                    .iter()
                    .flat_map(|p| p.option_groups_list())
                    .flat_map(|g| g.options());
                let mut on = false;
                for o in options {
                    if o.option_name() != Some("MARIADB_AUDIT_PLUGIN") {
                        continue;
                    }
                    let events = o
                        .option_settings()
                        .iter()
                        .find(|s| s.name() == Some("SERVER_AUDIT_EVENTS"))
                        .and_then(|s| s.value());
                    on |= plugin_records_access(events);
                }
                on
            });
            self.options.insert(group.to_string(), v);
        }
        self.options[group].clone()
    }
}

fn is_postgres(engine: &str) -> bool {
    engine.contains("postgres")
}

/// Whether the parameter that forces TLS for `engine` is on.
fn tls_enforced(engine: &str, values: &HashMap<String, String>) -> Result<bool, String> {
    let param = if engine.contains("postgres") || engine.starts_with("sqlserver") {
        "rds.force_ssl"
    } else if engine.contains("mysql") || engine == "mariadb" {
        "require_secure_transport"
    } else {
        return Err(format!(
            "engine `{engine}` enforces TLS outside parameter groups (e.g. Oracle's SQLNET options); not read"
        ));
    };
    // Unset means the engine default, which does not force TLS on the engines checked here
    // before PostgreSQL 15; AWS's own default groups for newer versions set it to 1.
    Ok(values.get(param).is_some_and(|v| is_on(v)))
}

fn is_on(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "on" | "true")
}

/// `log_connections` and `log_disconnections` both on (PostgreSQL engines; off by default in
/// PostgreSQL, so an unset parameter is off). Null for engines without these parameters.
fn set_connection_logging(
    p: &mut Props,
    engine: &str,
    values: &Result<HashMap<String, String>, String>,
) {
    if !is_postgres(engine) {
        p.set("log_connections", Value::Null);
        return;
    }
    match values {
        Ok(v) => p.set(
            "log_connections",
            ["log_connections", "log_disconnections"]
                .iter()
                .all(|k| v.get(*k).is_some_and(|x| is_on(x))),
        ),
        Err(why) => p.unknown("log_connections", why.clone()),
    }
}

/// Database audit logging that records data access, from the parameter group:
/// - PostgreSQL (RDS and Aurora): `shared_preload_libraries` loads `pgaudit` and `pgaudit.log`
///   keeps both `read` and `write` after its exclusions (`all`, `-ddl`, ...);
/// - Aurora MySQL: `server_audit_logging` on and `server_audit_events` records `CONNECT` and
///   queries (`QUERY` or `QUERY_DML`; its default is empty, which records nothing).
fn audit_logging(engine: &str, values: &HashMap<String, String>) -> Result<bool, String> {
    if is_postgres(engine) {
        let loaded = values.get("shared_preload_libraries").is_some_and(|v| {
            v.split(',')
                .any(|l| l.trim().eq_ignore_ascii_case("pgaudit"))
        });
        return Ok(loaded && pgaudit_logs_access(values.get("pgaudit.log").map(String::as_str)));
    }
    if engine == "aurora-mysql" {
        let on = values.get("server_audit_logging").is_some_and(|v| is_on(v));
        let events = values
            .get("server_audit_events")
            .map(String::as_str)
            .unwrap_or_default();
        return Ok(on && events_record_access(events));
    }
    Err(format!(
        "engine `{engine}`: audit logging is not read from its parameters"
    ))
}

/// Whether a `pgaudit.log` value logs reads and writes: classes separated by commas, `all`
/// for every class, a leading `-` removing one; unset or `none` logs nothing.
pub fn pgaudit_logs_access(value: Option<&str>) -> bool {
    const ALL: [&str; 7] = [
        "read", "write", "function", "role", "ddl", "misc", "misc_set",
    ];
    let mut on: std::collections::BTreeSet<&str> = Default::default();
    for item in value.unwrap_or_default().split(',') {
        let item = item.trim().to_ascii_lowercase();
        let (minus, class) = match item.strip_prefix('-') {
            Some(c) => (true, c.trim().to_string()),
            None => (false, item),
        };
        let classes: Vec<&str> = match class.as_str() {
            "all" => ALL.to_vec(),
            "none" if !minus => {
                on.clear();
                continue;
            }
            c => ALL.iter().copied().filter(|a| *a == c).collect(),
        };
        for c in classes {
            if minus {
                on.remove(c);
            } else {
                on.insert(c);
            }
        }
    }
    on.contains("read") && on.contains("write")
}

/// Whether a list of MariaDB/Aurora audit events records connections and every query,
/// reads included: `CONNECT` and `QUERY` or `QUERY_DML` (`QUERY_DML_NO_SELECT` leaves reads out).
pub fn events_record_access(events: &str) -> bool {
    let list: Vec<String> = events
        .split(',')
        .map(|e| e.trim().to_ascii_uppercase())
        .collect();
    list.iter().any(|e| e == "CONNECT") && list.iter().any(|e| e == "QUERY" || e == "QUERY_DML")
}

/// The MariaDB Audit Plugin option's events; unset is RDS's documented default
/// `CONNECT,QUERY`.
fn plugin_records_access(events: Option<&str>) -> bool {
    match events.map(str::trim).filter(|e| !e.is_empty()) {
        None => true,
        Some(e) => events_record_access(e),
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

#[cfg(test)]
mod tests {
    use super::{events_record_access, pgaudit_logs_access, subscription_covers_instances};

    #[test]
    fn pgaudit_classes_after_exclusions() {
        assert!(pgaudit_logs_access(Some("read,write")));
        assert!(pgaudit_logs_access(Some("ALL")));
        assert!(pgaudit_logs_access(Some("all, -misc")));
        assert!(!pgaudit_logs_access(Some("ddl")), "schema changes only");
        assert!(!pgaudit_logs_access(Some("all,-read")), "reads excluded");
        assert!(!pgaudit_logs_access(Some("write")));
        assert!(!pgaudit_logs_access(Some("none")));
        assert!(!pgaudit_logs_access(None), "unset logs nothing");
    }

    #[test]
    fn audit_events_need_connections_and_reads() {
        assert!(events_record_access("CONNECT,QUERY"));
        assert!(events_record_access("connect, query_dml, query_ddl"));
        assert!(
            !events_record_access("CONNECT,QUERY_DML_NO_SELECT"),
            "no reads"
        );
        assert!(!events_record_access("QUERY"), "no connections");
        assert!(!events_record_access(""), "Aurora's default: nothing");
        // The plugin's own default when the option setting is absent.
        assert!(super::plugin_records_access(None));
        assert!(!super::plugin_records_access(Some("CONNECT")));
    }

    #[test]
    fn an_instance_subscription_must_take_every_instance_and_the_critical_events() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let critical = v(&["failure", "maintenance", "configuration change"]);
        assert!(subscription_covers_instances(
            true,
            Some("db-instance"),
            &[],
            &critical
        ));
        assert!(
            subscription_covers_instances(true, Some("db-instance"), &[], &[]),
            "all categories"
        );
        assert!(
            subscription_covers_instances(true, None, &[], &[]),
            "all sources"
        );
        assert!(
            !subscription_covers_instances(false, Some("db-instance"), &[], &critical),
            "disabled"
        );
        assert!(
            !subscription_covers_instances(true, Some("db-instance"), &v(&["db-1"]), &critical),
            "one instance"
        );
        assert!(!subscription_covers_instances(
            true,
            Some("db-cluster"),
            &[],
            &critical
        ));
        assert!(!subscription_covers_instances(
            true,
            Some("db-instance"),
            &[],
            &v(&["failure", "backup"])
        ));
    }
}
