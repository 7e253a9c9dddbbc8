//! Parameter groups: TLS enforcement, connection and audit logging per engine, read once per group.

use super::*;

/// Where an instance's TLS setting lives.
pub(super) enum ParamGroup {
    Instance(String),
    /// Aurora instances take it from their cluster's parameter group.
    OfCluster(String),
}

/// Parameter values (and option groups) read so far, by group, so each group is read once per
/// region.
#[derive(Default)]
pub(super) struct ParamCache {
    groups: HashMap<String, Result<HashMap<String, String>, String>>,
    clusters: HashMap<String, Result<String, String>>,
    options: HashMap<String, Result<bool, String>>,
}

impl ParamCache {
    /// The parameters with a value in the group that governs an instance.
    pub(super) async fn values(
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
    pub(super) async fn cluster_group(
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
    pub(super) async fn audit_plugin(
        &mut self,
        client: &Client,
        group: &str,
    ) -> Result<bool, String> {
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

pub(super) fn is_postgres(engine: &str) -> bool {
    engine.contains("postgres")
}

/// Whether the parameter that forces TLS for `engine` is on.
pub(super) fn tls_enforced(engine: &str, values: &HashMap<String, String>) -> Result<bool, String> {
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

pub(super) fn is_on(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "on" | "true")
}

/// `log_connections` and `log_disconnections` both on (PostgreSQL engines; off by default in
/// PostgreSQL, so an unset parameter is off). Null for engines without these parameters.
pub(super) fn set_connection_logging(
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
pub(super) fn audit_logging(
    engine: &str,
    values: &HashMap<String, String>,
) -> Result<bool, String> {
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
pub(super) fn plugin_records_access(events: Option<&str>) -> bool {
    match events.map(str::trim).filter(|e| !e.is_empty()) {
        None => true,
        Some(e) => events_record_access(e),
    }
}

pub(super) async fn instance_params(
    client: &Client,
    group: &str,
) -> Result<HashMap<String, String>, String> {
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

pub(super) async fn cluster_params(
    client: &Client,
    group: &str,
) -> Result<HashMap<String, String>, String> {
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
pub(super) fn set_values<'a>(
    params: impl Iterator<Item = &'a Parameter>,
) -> HashMap<String, String> {
    params
        .filter_map(|p| {
            Some((
                p.parameter_name()?.to_string(),
                p.parameter_value()?.to_string(),
            ))
        })
        .collect()
}
