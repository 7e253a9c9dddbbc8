//! Azure SQL: logical servers (firewall, auditing, TLS, Entra administrator, TDE protector,
//! Defender) and their databases (TDE, backup storage redundancy).
//!
//! Fields are read as the Microsoft.Sql 2021-11-01 reference defines them; a field the answer
//! leaves out is unknown. Firewall ranges are judged by CIDR arithmetic ([`hipaa_scan_core::net`]), not by
//! comparing strings.

mod firewall;

use serde_json::Value;

use super::{absent, arm_fields, in_order, put, unexpected, Ctx};
#[cfg(test)]
use firewall::Rule;
use firewall::{firewall, rules_json, rules_of};
use hipaa_scan_core::collect::{resource, Found, Props};

const API: &str = "2021-11-01";
pub(crate) const SERVER: &str = "azure.sql.server";
pub(crate) const DATABASE: &str = "azure.sql.database";
const SERVERS: &str = "Microsoft.Sql/servers/read";
const RULES: &str = "Microsoft.Sql/servers/firewallRules/read";
const RULES_V6: &str = "Microsoft.Sql/servers/ipv6FirewallRules/read";
const AUDIT: &str = "Microsoft.Sql/servers/auditingSettings/read";
const TDE: &str = "Microsoft.Sql/servers/databases/transparentDataEncryption/read";
const DATABASES: &str = "Microsoft.Sql/servers/databases/read";
const ADMINS: &str = "Microsoft.Sql/servers/administrators/read";
const PROTECTOR: &str = "Microsoft.Sql/servers/encryptionProtector/read";
const ALERTS: &str = "Microsoft.Sql/servers/securityAlertPolicies/read";
const PRICING: &str = "Microsoft.Security/pricings/read";
const VA_EXPRESS: &str = "Microsoft.Sql/servers/sqlVulnerabilityAssessments/read";
const VA_EXPRESS_API: &str = "2023-08-01";
const VA_CLASSIC: &str = "Microsoft.Sql/servers/vulnerabilityAssessments/read";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let mut found = Found::default();
    let servers = match ctx
        .arm
        .list(
            SERVERS,
            &format!("/subscriptions/{sub}/providers/Microsoft.Sql/servers"),
            Some(API),
        )
        .await
    {
        Ok(s) => s,
        Err(why) => {
            found.gap(sub, None, &[SERVER, DATABASE], why);
            ctx.progress.done(&format!("sql {sub}"));
            return found;
        }
    };
    // The subscription's Defender for SQL plan covers every server, whatever the server says.
    let plan = if servers.is_empty() {
        Err("no servers".to_string())
    } else {
        ctx.arm
            .get(
                PRICING,
                &format!("/subscriptions/{sub}/providers/Microsoft.Security/pricings/SqlServers"),
                Some(super::subscription::PRICINGS_API),
            )
            .await
            .and_then(|plan| super::subscription::standard_plans(&[plan]))
            .map(|plans| plans.iter().any(|p| p == "SqlServers"))
    };
    let plan = &plan;
    let per_server = in_order(
        ctx.concurrency,
        servers.into_iter().map(|s| server(ctx, sub, s, plan)),
    )
    .await;
    for f in per_server {
        found.extend(f);
    }
    ctx.progress.done(&format!("sql {sub}"));
    found
}

async fn server(ctx: &Ctx, sub: &str, s: Value, plan: &Result<bool, String>) -> Found {
    let mut found = Found::default();
    let Some((id, name, location, tags)) = arm_fields(&s) else {
        return found;
    };
    let (rules_path, rules_v6_path, audit_path, dbs_path) = (
        format!("{id}/firewallRules"),
        format!("{id}/ipv6FirewallRules"),
        format!("{id}/auditingSettings/default"),
        format!("{id}/databases"),
    );
    let (admins_path, protector_path, alerts_path) = (
        format!("{id}/administrators"),
        format!("{id}/encryptionProtector/current"),
        format!("{id}/securityAlertPolicies/Default"),
    );
    let (express_path, classic_path) = (
        format!("{id}/sqlVulnerabilityAssessments/default"),
        format!("{id}/vulnerabilityAssessments/default"),
    );
    let (rules, rules_v6, audit, dbs, admins, protector, alerts, express, classic) = tokio::join!(
        ctx.arm.list(RULES, &rules_path, Some(API)),
        ctx.arm.list(RULES_V6, &rules_v6_path, Some(API)),
        ctx.arm.get(AUDIT, &audit_path, Some(API)),
        ctx.arm.list(DATABASES, &dbs_path, Some(API)),
        ctx.arm.list(ADMINS, &admins_path, Some(API)),
        ctx.arm.get(PROTECTOR, &protector_path, Some(API)),
        ctx.arm.get(ALERTS, &alerts_path, Some(API)),
        ctx.arm.get(VA_EXPRESS, &express_path, Some(VA_EXPRESS_API)),
        ctx.arm.get(VA_CLASSIC, &classic_path, Some(API)),
    );

    let mut p = Props::default();
    put(
        &mut p,
        "public_network_access",
        public_network_access(&s["properties"]),
    );
    put(&mut p, "minimal_tls_version", minimal_tls(&s["properties"]));
    put(&mut p, "entra_admin", admins.map(|a| entra_admin(&a)));
    put(
        &mut p,
        "tde_key_type",
        protector.and_then(|v| key_type(&v["properties"])),
    );
    put(
        &mut p,
        "security_alert_policy_enabled",
        alerts.and_then(|v| alert_policy(&v["properties"])),
    );
    put(&mut p, "defender_plan_standard", plan.clone());
    put(
        &mut p,
        "vulnerability_assessment",
        vulnerability_assessment(&express, &classic),
    );
    let v4 = rules.map(|r| rules_of(&r, "startIpAddress", "endIpAddress"));
    let v6 = rules_v6.map(|r| rules_of(&r, "startIPv6Address", "endIPv6Address"));
    let fw = firewall(&v4, &v6);
    put(&mut p, "firewall_rules", v4.clone().map(rules_json));
    put(&mut p, "ipv6_firewall_rules", v6.clone().map(rules_json));
    put(&mut p, "internet_open_rules", fw.internet_open);
    put(&mut p, "allows_azure_services", fw.allows_azure_services);
    match audit {
        Ok(a) => {
            let audit = auditing(&a["properties"]);
            put(&mut p, "auditing_enabled", audit.enabled);
            put(&mut p, "audit_retention_days", audit.storage_retention_days);
            put(
                &mut p,
                "audit_monitor_retention_days",
                audit.monitor_retention_days,
            );
        }
        Err(why) => {
            for name in [
                "auditing_enabled",
                "audit_retention_days",
                "audit_monitor_retention_days",
            ] {
                p.unknown(name, why.clone());
            }
        }
    }
    found.resources.push(p.into_resource(resource(
        SERVER,
        id.clone(),
        sub,
        &location,
        name.clone(),
        tags,
    )));

    match dbs {
        Ok(dbs) => {
            // `master` is the server's own system database: TDE cannot be set on it.
            let user_dbs: Vec<&Value> = dbs.iter().filter(|d| d["name"] != "master").collect();
            let db_ids: Vec<String> = user_dbs
                .iter()
                .map(|d| d["id"].as_str().unwrap_or_default().to_string())
                .collect();
            let tde = in_order(
                ctx.concurrency,
                db_ids.into_iter().map(|db_id| async move {
                    ctx.arm
                        .get(
                            TDE,
                            &format!("{db_id}/transparentDataEncryption/current"),
                            Some(API),
                        )
                        .await
                }),
            )
            .await;
            for (d, t) in user_dbs.iter().zip(tde) {
                let Some((db_id, db_name, db_loc, db_tags)) = arm_fields(d) else {
                    continue;
                };
                let mut p = Props::default();
                p.set("server", name.clone());
                let props = &d["properties"];
                put(
                    &mut p,
                    "backup_storage_redundancy",
                    redundancy(props, "currentBackupStorageRedundancy").and_then(|r| {
                        r.ok_or_else(|| absent(DATABASES, "currentBackupStorageRedundancy"))
                    }),
                );
                put(
                    &mut p,
                    "requested_backup_storage_redundancy",
                    redundancy(props, "requestedBackupStorageRedundancy"),
                );
                match t {
                    Ok(t) => put(&mut p, "tde_enabled", tde_enabled(&t["properties"])),
                    Err(why) => p.unknown("tde_enabled", why),
                }
                found.resources.push(p.into_resource(resource(
                    DATABASE,
                    db_id,
                    sub,
                    &db_loc,
                    format!("{name}/{db_name}"),
                    db_tags,
                )));
            }
        }
        Err(why) => found.gap(sub, Some(&location), &[DATABASE], format!("{name}: {why}")),
    }
    found
}

/// `publicNetworkAccess`: `Enabled`, `Disabled` or `SecuredByPerimeter`. The reference gives no
/// default for a server that does not say, so absent is unknown.
fn public_network_access(props: &Value) -> Result<String, String> {
    match &props["publicNetworkAccess"] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(absent(SERVERS, "publicNetworkAccess")),
        v => Err(unexpected(SERVERS, "publicNetworkAccess", v)),
    }
}

/// `minimalTlsVersion`: `1.0`, `1.1`, `1.2`, `1.3` or `None`. No default is documented for a
/// server that does not say, so absent is unknown.
fn minimal_tls(props: &Value) -> Result<String, String> {
    match &props["minimalTlsVersion"] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(absent(SERVERS, "minimalTlsVersion")),
        v => Err(unexpected(SERVERS, "minimalTlsVersion", v)),
    }
}

/// An administrator of type `ActiveDirectory` (the only type the API defines) with a login.
fn entra_admin(admins: &[Value]) -> bool {
    admins.iter().any(|a| {
        let p = &a["properties"];
        p["administratorType"]
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case("ActiveDirectory"))
            && p["login"].as_str().is_some_and(|l| !l.is_empty())
    })
}

/// The TDE protector's `serverKeyType`: `ServiceManaged` or `AzureKeyVault`.
fn key_type(props: &Value) -> Result<String, String> {
    match props["serverKeyType"].as_str() {
        Some(t) if t.eq_ignore_ascii_case("ServiceManaged") => Ok("ServiceManaged".into()),
        Some(t) if t.eq_ignore_ascii_case("AzureKeyVault") => Ok("AzureKeyVault".into()),
        None => Err(absent(PROTECTOR, "serverKeyType")),
        Some(_) => Err(unexpected(
            PROTECTOR,
            "serverKeyType",
            &props["serverKeyType"],
        )),
    }
}

/// The server security alert policy `state`: `Enabled` or `Disabled`; anything else (the
/// reference also lists `New`) is unknown.
fn alert_policy(props: &Value) -> Result<bool, String> {
    match props["state"].as_str() {
        Some("Enabled") => Ok(true),
        Some("Disabled") => Ok(false),
        None => Err(absent(ALERTS, "state")),
        Some(_) => Err(unexpected(ALERTS, "state", &props["state"])),
    }
}

/// Vulnerability assessment: the express configuration (`sqlVulnerabilityAssessments/default`
/// state `Enabled`), or the classic one (`vulnerabilityAssessments/default` with a
/// `storageContainerPath` and `recurringScans.isEnabled`). Off only when both were read and
/// neither is on; an unreadable one leaves it unknown unless the other is on.
fn vulnerability_assessment(
    express: &Result<Value, String>,
    classic: &Result<Value, String>,
) -> Result<bool, String> {
    let express = express.as_ref().map_err(Clone::clone).and_then(|v| {
        match v["properties"]["state"].as_str() {
            Some(s) if s.eq_ignore_ascii_case("Enabled") => Ok(true),
            Some(s) if s.eq_ignore_ascii_case("Disabled") => Ok(false),
            None => Err(absent(VA_EXPRESS, "state")),
            Some(_) => Err(unexpected(VA_EXPRESS, "state", &v["properties"]["state"])),
        }
    });
    let classic = classic.as_ref().map_err(Clone::clone).map(|v| {
        let p = &v["properties"];
        p["storageContainerPath"]
            .as_str()
            .is_some_and(|s| !s.trim().is_empty())
            && p["recurringScans"]["isEnabled"] == Value::Bool(true)
    });
    match (express, classic) {
        (Ok(true), _) | (_, Ok(true)) => Ok(true),
        (Ok(false), Ok(false)) => Ok(false),
        (Err(why), _) | (_, Err(why)) => Err(why),
    }
}

/// TDE `state`: `Enabled` or `Disabled`; anything else is unknown.
fn tde_enabled(props: &Value) -> Result<bool, String> {
    match props["state"].as_str() {
        Some("Enabled") => Ok(true),
        Some("Disabled") => Ok(false),
        None => Err(absent(TDE, "state")),
        Some(_) => Err(unexpected(TDE, "state", &props["state"])),
    }
}

/// A database's backup storage redundancy field: `Geo`, `GeoZone`, `Zone` or `Local` (the
/// 2021-11-01 reference's values, any case); none when absent, anything else unknown.
fn redundancy(props: &Value, field: &str) -> Result<Option<String>, String> {
    let v = &props[field];
    match v.as_str() {
        None if v.is_null() => Ok(None),
        Some(s) => ["Geo", "GeoZone", "Zone", "Local"]
            .iter()
            .find(|r| r.eq_ignore_ascii_case(s))
            .map(|r| Some(r.to_string()))
            .ok_or_else(|| unexpected(DATABASES, field, v)),
        None => Err(unexpected(DATABASES, field, v)),
    }
}

/// Server auditing as the policy needs it.
#[derive(Debug, PartialEq, Eq)]
struct Audit {
    enabled: Result<bool, String>,
    /// Retention of the storage target in days (0: without limit); null without one.
    storage_retention_days: Result<Value, String>,
    /// Retention of what goes to Azure Monitor; null when that target is off.
    monitor_retention_days: Result<Value, String>,
}

/// `auditingSettings/default`. `retentionDays` is "the number of days to keep in the audit
/// logs in the storage account" (0: kept without limit) and applies only to the storage target
/// (`storageEndpoint`). With `isAzureMonitorTargetEnabled` the records go, through the master
/// database's diagnostic settings, to a Log Analytics workspace or event hub whose retention is
/// the workspace's own: not read here, so unknown.
fn auditing(props: &Value) -> Audit {
    let enabled = match props["state"].as_str() {
        Some("Enabled") => Ok(true),
        Some("Disabled") => Ok(false),
        None => Err(absent(AUDIT, "state")),
        Some(_) => Err(unexpected(AUDIT, "state", &props["state"])),
    };
    let to_storage = props["storageEndpoint"]
        .as_str()
        .is_some_and(|s| !s.trim().is_empty());
    let storage_retention_days = if !to_storage {
        Ok(Value::Null)
    } else {
        match &props["retentionDays"] {
            Value::Number(n) if n.as_i64().is_some_and(|d| d >= 0) => Ok(n.clone().into()),
            Value::Null => Err(absent(AUDIT, "retentionDays")),
            v => Err(unexpected(AUDIT, "retentionDays", v)),
        }
    };
    let monitor_retention_days = match &props["isAzureMonitorTargetEnabled"] {
        Value::Bool(false) => Ok(Value::Null),
        Value::Bool(true) => Err(format!(
            "{AUDIT}: audit records go to Azure Monitor (a Log Analytics workspace or event hub); \
             their retention is the workspace's, which the scan does not read"
        )),
        Value::Null => Err(absent(AUDIT, "isAzureMonitorTargetEnabled")),
        v => Err(unexpected(AUDIT, "isAzureMonitorTargetEnabled", v)),
    };
    Audit {
        enabled,
        storage_retention_days,
        monitor_retention_days,
    }
}

#[cfg(test)]
mod tests;
