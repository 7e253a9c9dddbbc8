//! One VPC firewall rule: its settings as the API states them (with the documented defaults) and
//! the administrative and database ports it lets the internet reach.

use google_cloud_compute_v1::model::firewall::Direction;
use google_cloud_compute_v1::model::Firewall;
use serde_json::{json, Value};

use hipaa_scan_core::collect::{resource, Props};
use hipaa_scan_core::net::{self, PortRule};

use super::FIREWALL;

/// Administrative ports: SSH and RDP (as for AWS security groups and Azure NSGs).
pub(crate) const ADMIN_PORTS: [u16; 2] = [22, 3389];

/// Database and remote-management ports, as for AWS security groups and Azure NSGs: SQL Server,
/// Oracle, MySQL, PostgreSQL, Redis, Elasticsearch/OpenSearch, MongoDB, SMB, Telnet, WinRM.
pub(crate) const DATABASE_PORTS: [u16; 11] = [
    1433, 1521, 3306, 5432, 6379, 9200, 27017, 445, 23, 5985, 5986,
];

/// What a rule lets in, as the API states one `allowed[]` or `denied[]` entry.
pub(crate) struct Entry<'a> {
    pub protocol: Option<&'a str>,
    pub ports: &'a [String],
}

pub(crate) fn normalize(
    project: &str,
    f: &Firewall,
    max_prefix: u8,
) -> hipaa_scan_core::model::Resource {
    let mut p = Props::default();
    let name = f.name.clone().unwrap_or_default();
    // Documented defaults: INGRESS, enabled, priority 1000.
    let ingress = !matches!(f.direction, Some(Direction::Egress));
    let direction = match &f.direction {
        None => "INGRESS",
        Some(d) => d.name().unwrap_or("DIRECTION_UNSPECIFIED"),
    };
    let disabled = f.disabled.unwrap_or(false);
    p.set("direction", direction);
    p.set("disabled", disabled);
    p.set("priority", f.priority.unwrap_or(1000));
    let network = f
        .network
        .as_deref()
        .map(|n| n.trim_end_matches('/').rsplit('/').next().unwrap_or(n))
        .unwrap_or("default");
    p.set("network", network);
    let mut ranges = f.source_ranges.clone();
    if ingress
        && ranges.is_empty()
        && f.source_tags.is_empty()
        && f.source_service_accounts.is_empty()
    {
        // An ingress rule without a source applies to every IPv4 address.
        ranges.push("0.0.0.0/0".into());
    }
    p.set("source_ranges", ranges.clone());
    p.set("source_tags", f.source_tags.clone());
    p.set("source_service_accounts", f.source_service_accounts.clone());
    p.set("destination_ranges", f.destination_ranges.clone());
    let allowed: Vec<Entry> = f
        .allowed
        .iter()
        .map(|a| Entry {
            protocol: a.ip_protocol.as_deref(),
            ports: &a.ports,
        })
        .collect();
    let denied: Vec<Entry> = f
        .denied
        .iter()
        .map(|d| Entry {
            protocol: d.ip_protocol.as_deref(),
            ports: &d.ports,
        })
        .collect();
    p.set("allowed", entries(&allowed));
    p.set("denied", entries(&denied));
    p.set("target_tags", f.target_tags.clone());
    p.set("target_service_accounts", f.target_service_accounts.clone());
    // Only an enforced ingress rule's allowed entries let anything in.
    let judged: &[Entry] = if ingress && !disabled { &allowed } else { &[] };
    match port_rules(judged, &ranges) {
        Ok(rules) => {
            p.set(
                "internet_open_admin_ports",
                net::open_ports(&rules, &ADMIN_PORTS, max_prefix),
            );
            p.set(
                "internet_open_database_ports",
                net::open_ports(&rules, &DATABASE_PORTS, max_prefix),
            );
        }
        Err(why) => {
            let why = format!("compute.firewalls.list: rule {name}: {why}");
            p.unknown("internet_open_admin_ports", why.clone());
            p.unknown("internet_open_database_ports", why);
        }
    }
    p.into_resource(resource(
        FIREWALL,
        format!("//compute.googleapis.com/projects/{project}/global/firewalls/{name}"),
        project,
        "global",
        name,
        Default::default(),
    ))
}

/// The entries as `{protocol, ports}`, protocols lower-cased.
fn entries(list: &[Entry]) -> Vec<Value> {
    list.iter()
        .map(|e| {
            json!({
                "protocol": e.protocol.unwrap_or_default().trim().to_ascii_lowercase(),
                "ports": e.ports,
            })
        })
        .collect()
}

/// The allowed entries as port rules from `ranges`. Protocols without ports (ICMP, ESP, ...)
/// reach no TCP or UDP port and are left out; SCTP is not judged. An entry or range that does
/// not parse is an error: the exposure is then unknown, not closed.
pub(crate) fn port_rules(allowed: &[Entry], ranges: &[String]) -> Result<Vec<PortRule>, String> {
    if allowed.is_empty() {
        return Ok(Vec::new());
    }
    let sources = ranges
        .iter()
        .map(|r| net::parse_source(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("source range {e}"))?;
    let mut out = Vec::new();
    for e in allowed {
        let Some(raw) = e.protocol.map(str::trim).filter(|p| !p.is_empty()) else {
            return Err("an allowed entry has no IPProtocol".into());
        };
        let protocol = match raw.to_ascii_lowercase().as_str() {
            "all" => "all",
            "tcp" | "6" => "tcp",
            "udp" | "17" => "udp",
            _ => continue,
        };
        // `all` takes no ports; no ports means every port of the protocol.
        let spans = if protocol == "all" || e.ports.is_empty() {
            vec![(0, 65535)]
        } else {
            e.ports
                .iter()
                .map(|s| port_span(s))
                .collect::<Result<Vec<_>, _>>()?
        };
        for (from, to) in spans {
            out.push(PortRule {
                protocol: protocol.to_string(),
                from,
                to,
                sources: sources.clone(),
            });
        }
    }
    Ok(out)
}

/// `22` or `20-30` as an inclusive range.
pub(crate) fn port_span(s: &str) -> Result<(u16, u16), String> {
    let bad = || format!("port `{s}` is not a port or a port range");
    let (a, b) = match s.trim().split_once('-') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (s.trim(), s.trim()),
    };
    let from: u16 = a.parse().map_err(|_| bad())?;
    let to: u16 = b.parse().map_err(|_| bad())?;
    if from > to {
        return Err(bad());
    }
    Ok((from, to))
}
