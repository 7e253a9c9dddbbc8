//! Networking: network security groups (inbound exposure, flow logs) and Network Watcher per
//! region that holds a virtual network.
//!
//! NSG rules are evaluated as Azure does: inbound rules (custom and default) in priority order,
//! the lowest number first, the first rule that matches a packet deciding it. A port is open to
//! the internet when the addresses allowed to reach it over TCP, after every earlier deny, add
//! up to more than the `--open-prefix` bound, the same CIDR arithmetic as network ACLs and
//! security groups ([`hipaa_scan_core::net`]).

use std::collections::{BTreeMap, BTreeSet};

use ipnet::IpNet;
use serde_json::Value;

use super::{absent, arm_fields, in_order, put, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};
use hipaa_scan_core::net;

const API: &str = "2023-09-01";
pub(crate) const NSG: &str = "azure.network.nsg";
pub(crate) const REGION: &str = "azure.network.region";
const NSGS: &str = "Microsoft.Network/networkSecurityGroups/read";
const WATCHERS: &str = "Microsoft.Network/networkWatchers/read";
const FLOW_LOGS: &str = "Microsoft.Network/networkWatchers/flowLogs/read";
const VNETS: &str = "Microsoft.Network/virtualNetworks/read";

/// Administrative ports: SSH and RDP.
pub(crate) const ADMIN_PORTS: [u16; 2] = [22, 3389];

/// Database and remote-management ports, as for AWS security groups: SQL Server, Oracle, MySQL,
/// PostgreSQL, Redis, Elasticsearch, MongoDB, SMB, Telnet, WinRM.
pub(crate) const DATABASE_PORTS: [u16; 11] = [
    1433, 1521, 3306, 5432, 6379, 9200, 27017, 445, 23, 5985, 5986,
];

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let base = format!("/subscriptions/{sub}/providers/Microsoft.Network");
    let (nsgs_path, watchers_path, vnets_path) = (
        format!("{base}/networkSecurityGroups"),
        format!("{base}/networkWatchers"),
        format!("{base}/virtualNetworks"),
    );
    let (nsgs, watchers, vnets) = tokio::join!(
        ctx.arm.list(NSGS, &nsgs_path, Some(API)),
        ctx.arm.list(WATCHERS, &watchers_path, Some(API)),
        ctx.arm.list(VNETS, &vnets_path, Some(API)),
    );
    let mut found = Found::default();
    // Every flow log of every watcher; one unreadable watcher leaves coverage unknown where
    // the readable ones do not settle it.
    let flow_logs: Result<Vec<Value>, String> = match &watchers {
        Ok(ws) => {
            let paths: Vec<String> = ws
                .iter()
                .map(|w| format!("{}/flowLogs", w["id"].as_str().unwrap_or_default()))
                .collect();
            let lists = in_order(
                ctx.concurrency,
                paths
                    .into_iter()
                    .map(|path| async move { ctx.arm.list(FLOW_LOGS, &path, Some(API)).await }),
            )
            .await;
            lists
                .into_iter()
                .collect::<Result<Vec<Vec<Value>>, String>>()
                .map(|l| l.concat())
        }
        Err(why) => Err(why.clone()),
    };
    match nsgs {
        Ok(nsgs) => {
            let coverage = flow_logs.as_ref().map(|f| FlowLogs::new(f));
            for g in &nsgs {
                let Some((id, name, location, tags)) = arm_fields(g) else {
                    continue;
                };
                let props = &g["properties"];
                let mut p = Props::default();
                match inbound_rules(props) {
                    Ok(rules) => {
                        p.set(
                            "internet_open_admin_ports",
                            open_ports(&rules, &ADMIN_PORTS),
                        );
                        p.set(
                            "internet_open_database_ports",
                            open_ports(&rules, &DATABASE_PORTS),
                        );
                    }
                    Err(why) => {
                        let why = format!("{NSGS}: {name}: {why}");
                        p.unknown("internet_open_admin_ports", why.clone());
                        p.unknown("internet_open_database_ports", why);
                    }
                }
                match &coverage {
                    Ok(c) => put(&mut p, "flow_log_retention_days", c.retention(&id, props)),
                    Err(why) => p.unknown("flow_log_retention_days", why.to_string()),
                }
                found
                    .resources
                    .push(p.into_resource(resource(NSG, id, sub, &location, name, tags)));
            }
        }
        Err(why) => found.gap(sub, None, &[NSG], why),
    }
    match (vnets, watchers) {
        (Ok(vnets), Ok(watchers)) => {
            let regions: BTreeSet<String> = vnets
                .iter()
                .filter_map(|v| v["location"].as_str())
                .map(str::to_ascii_lowercase)
                .collect();
            let watched = watcher_regions(&watchers);
            for region in regions {
                let mut p = Props::default();
                p.set("network_watcher_enabled", watched.contains(&region));
                found.resources.push(p.into_resource(resource(
                    REGION,
                    format!("/subscriptions/{sub}/locations/{region}"),
                    sub,
                    &region,
                    region.clone(),
                    BTreeMap::new(),
                )));
            }
        }
        (Err(why), _) | (_, Err(why)) => found.gap(sub, None, &[REGION], why),
    }
    ctx.progress.done(&format!("network {sub}"));
    found
}

/// Regions with a watcher, unless its provisioning failed or it is being deleted (a watcher is
/// created `Succeeded` at once; Prowler counts any watcher of the location).
fn watcher_regions(watchers: &[Value]) -> BTreeSet<String> {
    watchers
        .iter()
        .filter(|w| {
            !w["properties"]["provisioningState"]
                .as_str()
                .is_some_and(|s| {
                    s.eq_ignore_ascii_case("Failed") || s.eq_ignore_ascii_case("Deleting")
                })
        })
        .filter_map(|w| w["location"].as_str())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// One inbound rule, with one source and one port range (a rule with several is several).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    priority: i64,
    name: String,
    allow: bool,
    /// `tcp` or `all`; UDP and the rest carry no TCP port.
    tcp: bool,
    from: u16,
    to: u16,
    /// `None`: a service tag or application security group that is not the internet.
    source: Option<IpNet>,
    /// As written, for the reason.
    source_text: String,
}

/// The sources that stand for every address: `*`, `Any` (the portal's word), the `Internet`
/// service tag (the address space outside the virtual network, public addresses included), and
/// `0.0.0.0` or `/0` as CIS and Prowler read them (0.0.0.0 is never a real source host).
fn is_everything(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_lowercase().as_str(),
        "*" | "any" | "internet" | "0.0.0.0" | "/0"
    )
}

/// `22`, `20-30`, `*`.
fn port_range(s: &str) -> Result<(u16, u16), String> {
    let s = s.trim();
    if s == "*" {
        return Ok((0, 65535));
    }
    let bad = || format!("`{s}` is not a port or port range");
    match s.split_once('-') {
        Some((a, b)) => {
            let a: u16 = a.trim().parse().map_err(|_| bad())?;
            let b: u16 = b.trim().parse().map_err(|_| bad())?;
            if a > b {
                return Err(bad());
            }
            Ok((a, b))
        }
        None => {
            let p: u16 = s.parse().map_err(|_| bad())?;
            Ok((p, p))
        }
    }
}

/// A string field and its plural list, as the API writes either.
fn one_or_many(props: &Value, one: &str, many: &str) -> Vec<String> {
    let mut out: Vec<String> = props[many]
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if let Some(s) = props[one].as_str().filter(|s| !s.is_empty()) {
        out.push(s.to_string());
    }
    out
}

/// The inbound rules of a group, custom and default, in priority order.
fn inbound_rules(props: &Value) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for list in ["securityRules", "defaultSecurityRules"] {
        for r in props[list]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let name = r["name"].as_str().unwrap_or("?").to_string();
            let p = &r["properties"];
            if !p["direction"]
                .as_str()
                .is_some_and(|d| d.eq_ignore_ascii_case("Inbound"))
            {
                continue;
            }
            let priority = p["priority"]
                .as_i64()
                .ok_or_else(|| format!("rule `{name}` has no priority"))?;
            let allow = match p["access"].as_str() {
                Some(a) if a.eq_ignore_ascii_case("Allow") => true,
                Some(a) if a.eq_ignore_ascii_case("Deny") => false,
                _ => return Err(format!("rule `{name}`: unexpected access {}", p["access"])),
            };
            let tcp = match p["protocol"].as_str() {
                Some(x) if x == "*" || x.eq_ignore_ascii_case("Tcp") => true,
                Some(_) => false,
                None => return Err(format!("rule `{name}` has no protocol")),
            };
            if !tcp {
                continue;
            }
            let mut sources = one_or_many(p, "sourceAddressPrefix", "sourceAddressPrefixes");
            let asgs = p["sourceApplicationSecurityGroups"]
                .as_array()
                .map_or(0, Vec::len);
            if sources.is_empty() && asgs == 0 {
                return Err(format!("rule `{name}` has no source"));
            }
            // Application security groups are NICs of this estate, not the internet.
            sources.extend((0..asgs).map(|_| "ApplicationSecurityGroup".to_string()));
            let ports = one_or_many(p, "destinationPortRange", "destinationPortRanges");
            if ports.is_empty() {
                return Err(format!("rule `{name}` has no destination port"));
            }
            for port in &ports {
                let (from, to) = port_range(port).map_err(|e| format!("rule `{name}`: {e}"))?;
                for s in &sources {
                    let source = if is_everything(s) {
                        Some(IpNet::V4(Default::default()))
                    } else if s.chars().next().is_some_and(|c| c.is_ascii_digit())
                        || s.contains(':')
                    {
                        Some(net::parse_source(s).map_err(|e| format!("rule `{name}`: {e}"))?)
                    } else {
                        // A service tag (`VirtualNetwork`, `AzureLoadBalancer`, `AzureCloud`,
                        // `Storage.EastUS`, ...) or an application security group.
                        None
                    };
                    out.push(Entry {
                        priority,
                        name: name.clone(),
                        allow,
                        tcp,
                        from,
                        to,
                        source,
                        source_text: s.clone(),
                    });
                    if is_everything(s) {
                        // They stand for IPv6 as well.
                        out.push(Entry {
                            source: Some(IpNet::V6(Default::default())),
                            ..out[out.len() - 1].clone()
                        });
                    }
                }
            }
        }
    }
    out.sort_by_key(|e| e.priority);
    Ok(out)
}

/// The ports of `ports` that the rules let in from the internet over TCP, as
/// `tcp 22 (rule `ssh` from Internet)`. First match decides: an earlier deny removes its
/// addresses; a deny whose source is a service tag other than `*`/`Internet` removes an unknown
/// part of Azure's own space and is not counted (what it leaves is still the internet). Allowed
/// addresses are added up per address family and compared with the `/open-prefix` bound.
fn open_ports(entries: &[Entry], ports: &[u16]) -> Vec<String> {
    let mut out = Vec::new();
    for &port in ports {
        let mut why = Vec::new();
        for v6 in [false, true] {
            let rules = net::first_match_open(
                entries
                    .iter()
                    .filter(|e| e.tcp && e.from <= port && port <= e.to)
                    .filter_map(|e| {
                        let label = format!("rule `{}` from {}", e.name, e.source_text);
                        e.source.map(|source| (source, e.allow, label))
                    }),
                v6,
            );
            for r in rules {
                if !why.contains(&r) {
                    why.push(r);
                }
            }
        }
        if !why.is_empty() {
            out.push(format!("tcp {port} ({})", why.join("; ")));
        }
    }
    out
}

/// The enabled flow logs, by what they target (lower case resource IDs).
struct FlowLogs {
    /// Target → retention days (0: without limit).
    by_target: BTreeMap<String, Result<i64, String>>,
    /// Some enabled flow log targets a virtual network or subnet.
    any_vnet: bool,
}

impl FlowLogs {
    fn new(logs: &[Value]) -> Self {
        let mut by_target: BTreeMap<String, Result<i64, String>> = BTreeMap::new();
        let mut any_vnet = false;
        for f in logs {
            let p = &f["properties"];
            if p["enabled"] != Value::Bool(true) {
                continue;
            }
            let Some(target) = p["targetResourceId"].as_str() else {
                continue;
            };
            let target = target.trim_end_matches('/').to_ascii_lowercase();
            if target.contains("/microsoft.network/virtualnetworks/") {
                any_vnet = true;
            }
            let days = retention(&p["retentionPolicy"]);
            let entry = by_target.entry(target).or_insert(days.clone());
            *entry = best(entry.clone(), days);
        }
        Self {
            by_target,
            any_vnet,
        }
    }

    /// The best retention of the flow logs that cover a group: on the group itself, or on a
    /// virtual network or subnet the group is attached to.
    fn retention(&self, id: &str, props: &Value) -> Result<Value, String> {
        let mut targets = vec![id.to_ascii_lowercase()];
        let subnets: Vec<String> = props["subnets"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|s| s["id"].as_str())
                    .map(str::to_ascii_lowercase)
                    .collect()
            })
            .unwrap_or_default();
        for s in &subnets {
            targets.push(s.clone());
            if let Some((vnet, _)) = s.split_once("/subnets/") {
                targets.push(vnet.to_string());
            }
        }
        let mut got: Option<Result<i64, String>> = None;
        for t in &targets {
            if let Some(days) = self.by_target.get(t) {
                got = Some(match got {
                    None => days.clone(),
                    Some(prev) => best(prev, days.clone()),
                });
            }
        }
        let nics = props["networkInterfaces"]
            .as_array()
            .is_some_and(|l| !l.is_empty());
        match got {
            Some(Ok(d)) => Ok(d.into()),
            Some(Err(why)) => Err(why),
            None if nics && self.any_vnet => Err(format!(
                "{FLOW_LOGS}: the group is attached to network interfaces whose virtual network \
                 is not read, and virtual network flow logs exist"
            )),
            None => Ok(Value::Null),
        }
    }
}

/// Retention days: `retentionPolicy.days`, 0 when retention is off or 0 (flow logs are then
/// kept without limit: "to retain data forever, set the value to 0").
fn retention(policy: &Value) -> Result<i64, String> {
    match (&policy["enabled"], &policy["days"]) {
        (Value::Bool(false), _) => Ok(0),
        (Value::Bool(true), Value::Number(n)) => n
            .as_i64()
            .filter(|d| *d >= 0)
            .ok_or_else(|| unexpected(FLOW_LOGS, "retentionPolicy.days", &policy["days"])),
        (Value::Bool(true), Value::Null) => Err(absent(FLOW_LOGS, "retentionPolicy.days")),
        (Value::Null, _) => Err(absent(FLOW_LOGS, "retentionPolicy.enabled")),
        (v, _) => Err(unexpected(FLOW_LOGS, "retentionPolicy.enabled", v)),
    }
}

/// The longer of two retentions, 0 (without limit) the longest; a known one that is without
/// limit settles it even beside an unknown one.
fn best(a: Result<i64, String>, b: Result<i64, String>) -> Result<i64, String> {
    let rank = |d: i64| if d == 0 { i64::MAX } else { d };
    match (a, b) {
        (Ok(x), Ok(y)) => Ok(if rank(x) >= rank(y) { x } else { y }),
        (Ok(0), Err(_)) | (Err(_), Ok(0)) => Ok(0),
        (Err(why), _) | (_, Err(why)) => Err(why),
    }
}

#[cfg(test)]
mod tests;
