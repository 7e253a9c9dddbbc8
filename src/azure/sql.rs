//! Azure SQL: logical servers (firewall, auditing, TLS, Entra administrator, TDE protector,
//! Defender) and their databases (TDE).
//!
//! Fields are read as the Microsoft.Sql 2021-11-01 reference defines them; a field the answer
//! leaves out is unknown. Firewall ranges are judged by CIDR arithmetic ([`crate::net`]), not by
//! comparing strings.

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv6Subnets};
use serde_json::{json, Value};

use super::{absent, arm_fields, in_order, put, unexpected, Ctx};
use crate::collect::{resource, Found, Props};
use crate::net::{ipv4_range, max_prefix, open_to_internet};

const API: &str = "2021-11-01";
pub(crate) const SERVER: &str = "azure.sql.server";
pub(crate) const DATABASE: &str = "azure.sql.database";
const SERVERS: &str = "Microsoft.Sql/servers/read";
const RULES: &str = "Microsoft.Sql/servers/firewallRules/read";
const RULES_V6: &str = "Microsoft.Sql/servers/ipv6FirewallRules/read";
const AUDIT: &str = "Microsoft.Sql/servers/auditingSettings/read";
const TDE: &str = "Microsoft.Sql/servers/databases/transparentDataEncryption/read";
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
        ctx.arm
            .list("Microsoft.Sql/servers/databases/read", &dbs_path, Some(API)),
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

/// A firewall rule as listed: its name and the two ends of its range, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    name: String,
    start: String,
    end: String,
}

fn rules_of(items: &[Value], start: &str, end: &str) -> Vec<Rule> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    items
        .iter()
        .map(|r| Rule {
            name: text(&r["name"]),
            start: text(&r["properties"][start]),
            end: text(&r["properties"][end]),
        })
        .collect()
}

fn rules_json(rules: Vec<Rule>) -> Value {
    rules
        .into_iter()
        .map(|r| json!({"name": r.name, "start_ip": r.start, "end_ip": r.end}))
        .collect()
}

/// What the server firewall lets in.
#[derive(Debug, PartialEq, Eq)]
struct Firewall {
    /// Why the rules let the internet in (empty: they do not).
    internet_open: Result<Vec<String>, String>,
    /// A rule from 0.0.0.0 to 0.0.0.0: "Allow Azure services and resources to access this server".
    allows_azure_services: Result<bool, String>,
}

/// The addresses one rule spans, as CIDR blocks, and how many addresses past the first.
fn blocks(rule: &Rule, v6: bool) -> Result<(Vec<IpNet>, u128), String> {
    let bad = |s: &str| {
        format!(
            "firewall rule `{}`: `{s}` is not an IPv{} address",
            rule.name,
            if v6 { 6 } else { 4 }
        )
    };
    let reversed = || {
        format!(
            "firewall rule `{}`: {} is after {}",
            rule.name, rule.start, rule.end
        )
    };
    if v6 {
        let start: Ipv6Addr = rule.start.trim().parse().map_err(|_| bad(&rule.start))?;
        let end: Ipv6Addr = rule.end.trim().parse().map_err(|_| bad(&rule.end))?;
        if start > end {
            return Err(reversed());
        }
        let nets = Ipv6Subnets::new(start, end, 0).map(IpNet::V6).collect();
        Ok((nets, u128::from(end) - u128::from(start)))
    } else {
        let start: Ipv4Addr = rule.start.trim().parse().map_err(|_| bad(&rule.start))?;
        let end: Ipv4Addr = rule.end.trim().parse().map_err(|_| bad(&rule.end))?;
        if start > end {
            return Err(reversed());
        }
        let span = u128::from(u32::from(end) - u32::from(start));
        Ok((ipv4_range(start, end), span))
    }
}

/// Judges the IPv4 and IPv6 rules together. A rule is internet-open when its range holds more
/// addresses than a /8 (IPv4; /8 of the IPv6 space likewise) however it is aligned; the rules
/// are internet-open together when their ranges cover every address ([`open_to_internet`]).
/// A rule that cannot be read leaves the answer unknown, unless the others already open the
/// server. 0.0.0.0–0.0.0.0 is Azure's "Allow Azure services" switch: one address, judged apart.
fn firewall(v4: &Result<Vec<Rule>, String>, v6: &Result<Vec<Rule>, String>) -> Firewall {
    let mut reasons = Vec::new();
    let mut all: Vec<IpNet> = Vec::new();
    let mut names = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for (rules, is_v6) in [(v4, false), (v6, true)] {
        let rules = match rules {
            Ok(r) => r,
            Err(why) => {
                problems.push(why.clone());
                continue;
            }
        };
        let bits = if is_v6 { 128 } else { 32 };
        let too_wide = 1u128 << (bits - u32::from(max_prefix()));
        for rule in rules {
            match blocks(rule, is_v6) {
                Ok((nets, span)) => {
                    if span >= too_wide || open_to_internet(&nets, max_prefix()) {
                        reasons.push(format!(
                            "rule `{}` ({} to {}) spans more than a /{}",
                            rule.name,
                            rule.start,
                            rule.end,
                            max_prefix()
                        ));
                    }
                    all.extend(nets);
                    names.push(format!("`{}`", rule.name));
                }
                Err(why) => problems.push(why),
            }
        }
    }
    if reasons.is_empty() && open_to_internet(&all, max_prefix()) {
        reasons.push(format!(
            "rules {} together cover every address",
            names.join(", ")
        ));
    }
    let internet_open = if !reasons.is_empty() || problems.is_empty() {
        Ok(reasons)
    } else {
        Err(problems.join("; "))
    };

    let allows_azure_services = match v4 {
        Err(why) => Err(why.clone()),
        Ok(rules) => {
            let zero = |s: &str| s.trim().parse::<Ipv4Addr>().ok() == Some(Ipv4Addr::UNSPECIFIED);
            let mut unreadable = None;
            let mut found = false;
            for r in rules {
                if zero(&r.start) && zero(&r.end) {
                    found = true;
                } else if let Err(why) = blocks(r, false) {
                    unreadable.get_or_insert(why);
                }
            }
            match (found, unreadable) {
                (true, _) => Ok(true),
                (false, Some(why)) => Err(why),
                (false, None) => Ok(false),
            }
        }
    };
    Firewall {
        internet_open,
        allows_azure_services,
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
mod tests {
    use super::*;

    fn rule(name: &str, start: &str, end: &str) -> Rule {
        Rule {
            name: name.into(),
            start: start.into(),
            end: end.into(),
        }
    }

    /// (IPv4 rules, IPv6 rules, internet-open, allows Azure services); `None` is unknown.
    #[test]
    fn firewall_ranges_by_cidr_arithmetic() {
        type Row = (
            Result<Vec<Rule>, String>,
            Result<Vec<Rule>, String>,
            Option<bool>,
            Option<bool>,
        );
        let ok = |r: Vec<Rule>| -> Result<Vec<Rule>, String> { Ok(r) };
        let denied = || -> Result<Vec<Rule>, String> { Err("403".into()) };
        let rows: Vec<(&str, Row)> = vec![
            (
                "office only",
                (
                    ok(vec![rule("office", "203.0.113.1", "203.0.113.30")]),
                    ok(vec![]),
                    Some(false),
                    Some(false),
                ),
            ),
            (
                "everything",
                (
                    ok(vec![rule("all", "0.0.0.0", "255.255.255.255")]),
                    ok(vec![]),
                    Some(true),
                    Some(false),
                ),
            ),
            (
                "allow Azure services is not the internet",
                (
                    ok(vec![rule("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0")]),
                    ok(vec![]),
                    Some(false),
                    Some(true),
                ),
            ),
            (
                "two halves",
                (
                    ok(vec![
                        rule("a", "0.0.0.0", "127.255.255.255"),
                        rule("b", "128.0.0.0", "255.255.255.255"),
                    ]),
                    ok(vec![]),
                    Some(true),
                    Some(false),
                ),
            ),
            (
                "a /7, aligned",
                (
                    ok(vec![rule("wide", "10.0.0.0", "11.255.255.255")]),
                    ok(vec![]),
                    Some(true),
                    Some(false),
                ),
            ),
            (
                "two /8s, not aligned to a /7",
                (
                    ok(vec![rule("wide", "5.0.0.0", "6.255.255.255")]),
                    ok(vec![]),
                    Some(true),
                    Some(false),
                ),
            ),
            (
                "one /8 is a known network",
                (
                    ok(vec![rule("corp", "10.0.0.0", "10.255.255.255")]),
                    ok(vec![]),
                    Some(false),
                    Some(false),
                ),
            ),
            (
                "256 /8s cover the internet",
                (
                    ok((0..=255u8)
                        .map(|i| {
                            rule(
                                &format!("r{i}"),
                                &format!("{i}.0.0.0"),
                                &format!("{i}.255.255.255"),
                            )
                        })
                        .collect()),
                    ok(vec![]),
                    Some(true),
                    Some(false),
                ),
            ),
            (
                "every IPv6 address",
                (
                    ok(vec![]),
                    ok(vec![rule(
                        "v6all",
                        "::",
                        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                    )]),
                    Some(true),
                    Some(false),
                ),
            ),
            (
                "an IPv6 office",
                (
                    ok(vec![]),
                    ok(vec![rule("v6office", "2001:db8::", "2001:db8::ffff")]),
                    Some(false),
                    Some(false),
                ),
            ),
            (
                "unparseable",
                (
                    ok(vec![rule("typo", "10.0.0.300", "10.0.0.301")]),
                    ok(vec![]),
                    None,
                    None,
                ),
            ),
            (
                "unparseable beside an open rule",
                (
                    ok(vec![
                        rule("typo", "x", "y"),
                        rule("all", "0.0.0.0", "255.255.255.255"),
                    ]),
                    ok(vec![]),
                    Some(true),
                    None,
                ),
            ),
            (
                "reversed range",
                (
                    ok(vec![rule("back", "10.0.0.9", "10.0.0.1")]),
                    ok(vec![]),
                    None,
                    None,
                ),
            ),
            (
                "IPv6 rules unreadable",
                (
                    ok(vec![rule("office", "203.0.113.1", "203.0.113.30")]),
                    denied(),
                    None,
                    Some(false),
                ),
            ),
            (
                "IPv6 rules unreadable, IPv4 open",
                (
                    ok(vec![rule("all", "0.0.0.0", "255.255.255.255")]),
                    denied(),
                    Some(true),
                    Some(false),
                ),
            ),
            ("IPv4 rules unreadable", (denied(), ok(vec![]), None, None)),
        ];
        for (what, (v4, v6, open, azure)) in rows {
            let fw = firewall(&v4, &v6);
            assert_eq!(
                fw.internet_open.as_ref().ok().map(|r| !r.is_empty()),
                open,
                "{what}: {fw:?}"
            );
            assert_eq!(
                fw.allows_azure_services.as_ref().ok().copied(),
                azure,
                "{what}: {fw:?}"
            );
        }
    }

    #[test]
    fn open_rules_are_named() {
        let fw = firewall(
            &Ok(vec![
                rule("a", "0.0.0.0", "127.255.255.255"),
                rule("b", "128.0.0.0", "255.255.255.255"),
            ]),
            &Ok(vec![]),
        );
        let why = fw.internet_open.unwrap().join("; ");
        assert!(
            why.contains("rule `a` (0.0.0.0 to 127.255.255.255)"),
            "{why}"
        );
        let fw = firewall(
            &Ok((0..=255u8)
                .map(|i| {
                    rule(
                        &format!("r{i}"),
                        &format!("{i}.0.0.0"),
                        &format!("{i}.255.255.255"),
                    )
                })
                .collect()),
            &Ok(vec![]),
        );
        assert!(fw.internet_open.unwrap()[0].contains("together cover every address"));
        let fw = firewall(
            &Ok(vec![rule("typo", "10.0.0.300", "10.0.0.301")]),
            &Ok(vec![]),
        );
        assert!(fw
            .internet_open
            .unwrap_err()
            .contains("`10.0.0.300` is not an IPv4 address"));
    }

    /// (auditing settings, enabled, storage retention, monitor retention); `None` is unknown.
    #[test]
    fn auditing_retention_per_target() {
        type Row = (Value, Option<bool>, Option<Value>, Option<Value>);
        let rows: Vec<(&str, Row)> = vec![
            (
                "storage, 90 days",
                (
                    json!({"state": "Enabled", "storageEndpoint": "https://a.blob.core.windows.net/", "retentionDays": 90, "isAzureMonitorTargetEnabled": false}),
                    Some(true),
                    Some(json!(90)),
                    Some(Value::Null),
                ),
            ),
            (
                "storage, unlimited",
                (
                    json!({"state": "Enabled", "storageEndpoint": "https://a.blob.core.windows.net/", "retentionDays": 0, "isAzureMonitorTargetEnabled": false}),
                    Some(true),
                    Some(json!(0)),
                    Some(Value::Null),
                ),
            ),
            (
                "storage, retention absent",
                (
                    json!({"state": "Enabled", "storageEndpoint": "https://a.blob.core.windows.net/", "isAzureMonitorTargetEnabled": false}),
                    Some(true),
                    None,
                    Some(Value::Null),
                ),
            ),
            (
                "Log Analytics only: retentionDays 0 is not about it",
                (
                    json!({"state": "Enabled", "storageEndpoint": "", "retentionDays": 0, "isAzureMonitorTargetEnabled": true}),
                    Some(true),
                    Some(Value::Null),
                    None,
                ),
            ),
            (
                "both targets",
                (
                    json!({"state": "Enabled", "storageEndpoint": "https://a.blob.core.windows.net/", "retentionDays": 30, "isAzureMonitorTargetEnabled": true}),
                    Some(true),
                    Some(json!(30)),
                    None,
                ),
            ),
            (
                "off",
                (
                    json!({"state": "Disabled", "retentionDays": 0, "isAzureMonitorTargetEnabled": false}),
                    Some(false),
                    Some(Value::Null),
                    Some(Value::Null),
                ),
            ),
            (
                "state absent",
                (json!({"retentionDays": 0}), None, Some(Value::Null), None),
            ),
            (
                "state odd",
                (
                    json!({"state": "Maybe", "isAzureMonitorTargetEnabled": false}),
                    None,
                    Some(Value::Null),
                    Some(Value::Null),
                ),
            ),
        ];
        for (what, (props, enabled, storage, monitor)) in rows {
            let a = auditing(&props);
            assert_eq!(a.enabled.as_ref().ok().copied(), enabled, "{what}: {a:?}");
            assert_eq!(
                a.storage_retention_days.as_ref().ok().cloned(),
                storage,
                "{what}: {a:?}"
            );
            assert_eq!(
                a.monitor_retention_days.as_ref().ok().cloned(),
                monitor,
                "{what}: {a:?}"
            );
        }
    }

    #[test]
    fn tls_admin_protector_and_alerts() {
        assert_eq!(
            minimal_tls(&json!({"minimalTlsVersion": "1.2"})).unwrap(),
            "1.2"
        );
        assert!(minimal_tls(&json!({})).is_err());
        let admin = |t: &str, login: &str| json!({"properties": {"administratorType": t, "login": login, "sid": "x"}});
        assert!(entra_admin(&[admin("ActiveDirectory", "dba-group")]));
        assert!(!entra_admin(&[admin("ActiveDirectory", "")]));
        assert!(!entra_admin(&[]));
        assert_eq!(
            key_type(&json!({"serverKeyType": "AzureKeyVault"})).unwrap(),
            "AzureKeyVault"
        );
        assert!(key_type(&json!({})).is_err());
        assert!(key_type(&json!({"serverKeyType": "Other"})).is_err());
        assert!(alert_policy(&json!({"state": "Enabled"})).unwrap());
        assert!(!alert_policy(&json!({"state": "Disabled"})).unwrap());
        assert!(alert_policy(&json!({"state": "New"})).is_err());
    }

    #[test]
    fn vulnerability_assessment_express_or_classic() {
        let express =
            |state: &str| -> Result<Value, String> { Ok(json!({"properties": {"state": state}})) };
        let classic = |path: &str, recurring: bool| -> Result<Value, String> {
            Ok(
                json!({"properties": {"storageContainerPath": path, "recurringScans": {"isEnabled": recurring}}}),
            )
        };
        let denied = || -> Result<Value, String> { Err("403".into()) };
        assert_eq!(
            vulnerability_assessment(&express("Enabled"), &denied()),
            Ok(true)
        );
        assert_eq!(
            vulnerability_assessment(
                &express("Disabled"),
                &classic("https://a.blob.core.windows.net/va", true)
            ),
            Ok(true)
        );
        assert_eq!(
            vulnerability_assessment(
                &express("Disabled"),
                &classic("https://a.blob.core.windows.net/va", false)
            ),
            Ok(false),
            "a storage path without recurring scans scans nothing"
        );
        assert_eq!(
            vulnerability_assessment(&express("Disabled"), &classic("", true)),
            Ok(false)
        );
        assert!(vulnerability_assessment(&denied(), &classic("", false)).is_err());
        assert!(vulnerability_assessment(&express("Disabled"), &denied()).is_err());
    }

    #[test]
    fn tde_and_public_access_need_a_known_value() {
        assert_eq!(tde_enabled(&json!({"state": "Enabled"})), Ok(true));
        assert_eq!(tde_enabled(&json!({"state": "Disabled"})), Ok(false));
        assert!(tde_enabled(&json!({})).is_err());
        assert!(tde_enabled(&json!({"state": "Pending"})).is_err());
        assert_eq!(
            public_network_access(&json!({"publicNetworkAccess": "Disabled"})).unwrap(),
            "Disabled"
        );
        assert!(public_network_access(&json!({})).is_err());
    }
}
