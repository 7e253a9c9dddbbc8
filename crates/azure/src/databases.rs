//! Azure Database for PostgreSQL and MySQL flexible servers: network, backups and the server
//! parameters that enforce TLS and record connections and statements.
//!
//! Parameters are read from the server's `configurations` list; a parameter the list does not
//! hold (or holds without a `value`) is unknown.

use std::collections::HashMap;

use serde_json::Value;

use super::{absent, arm_fields, in_order, put, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};

const PG_API: &str = "2022-12-01";
const MYSQL_API: &str = "2023-12-30";
pub(crate) const POSTGRES: &str = "azure.dbforpostgresql.flexible_server";
pub(crate) const MYSQL: &str = "azure.dbformysql.flexible_server";
const PG_SERVERS: &str = "Microsoft.DBforPostgreSQL/flexibleServers/read";
const PG_CONFIG: &str = "Microsoft.DBforPostgreSQL/flexibleServers/configurations/read";
const MYSQL_SERVERS: &str = "Microsoft.DBforMySQL/flexibleServers/read";
const MYSQL_CONFIG: &str = "Microsoft.DBforMySQL/flexibleServers/configurations/read";

/// One engine: its kind, API, and the parameters it reads.
struct Engine {
    kind: &'static str,
    api: &'static str,
    list_op: &'static str,
    config_op: &'static str,
    provider: &'static str,
    label: &'static str,
    read: fn(&Params, &mut Props),
}

const ENGINES: [Engine; 2] = [
    Engine {
        kind: POSTGRES,
        api: PG_API,
        list_op: PG_SERVERS,
        config_op: PG_CONFIG,
        provider: "Microsoft.DBforPostgreSQL",
        label: "postgresql",
        read: postgres_params,
    },
    Engine {
        kind: MYSQL,
        api: MYSQL_API,
        list_op: MYSQL_SERVERS,
        config_op: MYSQL_CONFIG,
        provider: "Microsoft.DBforMySQL",
        label: "mysql",
        read: mysql_params,
    },
];

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let mut found = Found::default();
    for engine in &ENGINES {
        found.extend(engine_servers(ctx, sub, engine).await);
    }
    ctx.progress.done(&format!("databases {sub}"));
    found
}

async fn engine_servers(ctx: &Ctx, sub: &str, e: &Engine) -> Found {
    let mut found = Found::default();
    let path = format!(
        "/subscriptions/{sub}/providers/{}/flexibleServers",
        e.provider
    );
    let listing = ctx.arm.list(e.list_op, &path, Some(e.api)).await;
    let Some(servers) = found.listed(listing, sub, None, &[e.kind]) else {
        return found;
    };
    let paths: Vec<String> = servers
        .iter()
        .map(|s| format!("{}/configurations", s["id"].as_str().unwrap_or_default()))
        .collect();
    let (op, api) = (e.config_op, e.api);
    let configs = in_order(
        ctx.concurrency,
        paths
            .into_iter()
            .map(|path| async move { ctx.arm.list(op, &path, Some(api)).await }),
    )
    .await;
    for (s, config) in servers.iter().zip(configs) {
        let Some((id, name, location, tags)) = arm_fields(s) else {
            continue;
        };
        let props = &s["properties"];
        let mut p = Props::default();
        put(
            &mut p,
            "public_network_access",
            enabled_disabled(e.list_op, props, "network", "publicNetworkAccess"),
        );
        put(
            &mut p,
            "geo_redundant_backup",
            enabled_disabled(e.list_op, props, "backup", "geoRedundantBackup"),
        );
        let params = Params {
            op: e.config_op,
            label: e.label,
            values: config.map(|c| {
                c.iter()
                    .filter_map(|i| {
                        Some((
                            i["name"].as_str()?.to_ascii_lowercase(),
                            i["properties"]["value"].clone(),
                        ))
                    })
                    .collect()
            }),
        };
        (e.read)(&params, &mut p);
        found
            .resources
            .push(p.into_resource(resource(e.kind, id, sub, &location, name, tags)));
    }
    found
}

/// `properties.<group>.<field>`: `Enabled` or `Disabled`, any case.
fn enabled_disabled(op: &str, props: &Value, group: &str, field: &str) -> Result<String, String> {
    let what = format!("{group}.{field}");
    match &props[group][field] {
        Value::String(s) if s.eq_ignore_ascii_case("Enabled") => Ok("Enabled".into()),
        Value::String(s) if s.eq_ignore_ascii_case("Disabled") => Ok("Disabled".into()),
        Value::Null => Err(absent(op, &what)),
        v => Err(unexpected(op, &what, v)),
    }
}

/// A server's parameters by lower-case name, or why they could not be read.
struct Params {
    op: &'static str,
    label: &'static str,
    values: Result<HashMap<String, Value>, String>,
}

impl Params {
    fn text(&self, name: &str) -> Result<String, String> {
        let values = self.values.as_ref().map_err(Clone::clone)?;
        match values.get(name) {
            Some(Value::String(s)) => Ok(s.trim().to_string()),
            Some(Value::Null) | None => Err(format!(
                "{}: the {} server has no `{name}` parameter value",
                self.op, self.label
            )),
            Some(v) => Err(unexpected(self.op, name, v)),
        }
    }

    /// `on`/`off` (PostgreSQL) or `ON`/`OFF` (MySQL); also `true`/`false`, `1`/`0`.
    fn switch(&self, name: &str) -> Result<bool, String> {
        let v = self.text(name)?;
        match v.to_ascii_lowercase().as_str() {
            "on" | "true" | "1" => Ok(true),
            "off" | "false" | "0" => Ok(false),
            _ => Err(unexpected(self.op, name, &Value::String(v))),
        }
    }

    fn list(&self, name: &str, upper: bool) -> Result<Vec<String>, String> {
        Ok(self
            .text(name)?
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                if upper {
                    s.to_ascii_uppercase()
                } else {
                    s.to_string()
                }
            })
            .collect())
    }
}

fn postgres_params(params: &Params, p: &mut Props) {
    put(
        p,
        "require_secure_transport",
        params.switch("require_secure_transport"),
    );
    put(
        p,
        "ssl_min_protocol_version",
        params.text("ssl_min_protocol_version"),
    );
    put(p, "log_checkpoints", params.switch("log_checkpoints"));
    put(p, "log_connections", params.switch("log_connections"));
    put(p, "log_disconnections", params.switch("log_disconnections"));
    put(
        p,
        "connection_throttling",
        params.switch("connection_throttle.enable"),
    );
    // pgAudit records only when the library is preloaded; `pgaudit.log` says what it records.
    let pgaudit = params
        .list("shared_preload_libraries", false)
        .and_then(|libs| {
            if libs.iter().any(|l| l.eq_ignore_ascii_case("pgaudit")) {
                params
                    .text("pgaudit.log")
                    .map(|v| Value::String(v.to_ascii_lowercase()))
            } else {
                Ok(Value::Null)
            }
        });
    put(p, "pgaudit_log", pgaudit);
}

fn mysql_params(params: &Params, p: &mut Props) {
    put(
        p,
        "require_secure_transport",
        params.switch("require_secure_transport"),
    );
    put(p, "tls_versions", params.list("tls_version", false));
    put(p, "audit_log_enabled", params.switch("audit_log_enabled"));
    put(p, "audit_log_events", params.list("audit_log_events", true));
}

#[cfg(test)]
mod tests {
    use super::*;
    use hipaa_scan_core::collect::resource;
    use serde_json::json;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params {
            op: PG_CONFIG,
            label: "postgresql",
            values: Ok(pairs
                .iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect()),
        }
    }

    fn read(f: fn(&Params, &mut Props), params: &Params) -> hipaa_scan_core::model::Resource {
        let mut p = Props::default();
        f(params, &mut p);
        p.into_resource(resource(
            POSTGRES,
            "x".into(),
            "s",
            "eastus",
            "x".into(),
            Default::default(),
        ))
    }

    #[test]
    fn postgres_parameters_and_pgaudit() {
        let r = read(
            postgres_params,
            &params(&[
                ("require_secure_transport", "on"),
                ("ssl_min_protocol_version", "TLSv1.2"),
                ("log_checkpoints", "on"),
                ("log_connections", "off"),
                ("log_disconnections", "on"),
                ("connection_throttle.enable", "on"),
                ("shared_preload_libraries", "pg_cron,pgaudit"),
                ("pgaudit.log", "READ,WRITE"),
            ]),
        );
        assert_eq!(r.properties["require_secure_transport"], true);
        assert_eq!(r.properties["log_connections"], false);
        assert_eq!(r.properties["pgaudit_log"], "read,write");
        // pgaudit.log set but the library is not loaded: nothing is recorded.
        let r = read(
            postgres_params,
            &params(&[
                ("shared_preload_libraries", "pg_cron"),
                ("pgaudit.log", "all"),
            ]),
        );
        assert_eq!(r.properties["pgaudit_log"], Value::Null);
        assert!(r.unknown["log_checkpoints"].contains("no `log_checkpoints`"));
        let r = read(postgres_params, &params(&[("log_checkpoints", "maybe")]));
        assert!(r.unknown.contains_key("log_checkpoints"));
        let denied = Params {
            op: PG_CONFIG,
            label: "postgresql",
            values: Err("403".into()),
        };
        let r = read(postgres_params, &denied);
        assert_eq!(r.unknown["pgaudit_log"], "403");
    }

    #[test]
    fn mysql_parameters() {
        let r = read(
            mysql_params,
            &params(&[
                ("require_secure_transport", "ON"),
                ("tls_version", "TLSv1.2,TLSv1.3"),
                ("audit_log_enabled", "ON"),
                ("audit_log_events", "connection,dml"),
            ]),
        );
        assert_eq!(r.properties["tls_versions"], json!(["TLSv1.2", "TLSv1.3"]));
        assert_eq!(
            r.properties["audit_log_events"],
            json!(["CONNECTION", "DML"])
        );
        assert_eq!(r.properties["audit_log_enabled"], true);
    }

    #[test]
    fn network_and_backup_switches() {
        let p = json!({"network": {"publicNetworkAccess": "Disabled"}, "backup": {"geoRedundantBackup": "enabled"}});
        assert_eq!(
            enabled_disabled(PG_SERVERS, &p, "network", "publicNetworkAccess").unwrap(),
            "Disabled"
        );
        assert_eq!(
            enabled_disabled(PG_SERVERS, &p, "backup", "geoRedundantBackup").unwrap(),
            "Enabled"
        );
        assert!(enabled_disabled(PG_SERVERS, &json!({}), "backup", "geoRedundantBackup").is_err());
    }
}
