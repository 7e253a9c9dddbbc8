//! Network ACLs: rules in number order, the first match deciding, as EC2 evaluates them.

use super::*;

/// One inbound entry of a network ACL, as read.
#[derive(Debug, Clone)]
pub struct AclEntry {
    pub rule: i32,
    pub allow: bool,
    /// `all`, `tcp`, `udp` or another protocol number (which carries no ports).
    pub protocol: String,
    pub from: u16,
    pub to: u16,
    pub source: ipnet::IpNet,
}

/// Inbound entries of a network ACL; an address that does not parse is an error.
pub fn acl_entries(entries: &[NetworkAclEntry]) -> Result<Vec<AclEntry>, String> {
    let mut out = Vec::new();
    for e in entries.iter().filter(|e| !e.egress().unwrap_or(false)) {
        let protocol = match e.protocol().unwrap_or_default() {
            "-1" | "all" => "all",
            "6" | "tcp" => "tcp",
            "17" | "udp" => "udp",
            other => other,
        }
        .to_string();
        let source = e
            .cidr_block()
            .or(e.ipv6_cidr_block())
            .ok_or_else(|| format!("rule {} has no CIDR block", e.rule_number().unwrap_or(0)))
            .and_then(net::parse_source)?;
        let (from, to) = match e.port_range() {
            Some(r) if protocol != "all" => {
                let clamp = |v: Option<i32>, d: u16| v.map_or(d, |v| v.clamp(0, 65535) as u16);
                (clamp(r.from(), 0), clamp(r.to(), 65535))
            }
            _ => (0, 65535),
        };
        out.push(AclEntry {
            rule: e.rule_number().unwrap_or(i32::MAX),
            allow: e.rule_action() == Some(&RuleAction::Allow),
            protocol,
            from,
            to,
            source,
        });
    }
    out.sort_by_key(|e| e.rule);
    Ok(out)
}

/// The ports of `ports` that a network ACL lets in from the internet over TCP. Entries are
/// evaluated as AWS does, lowest rule number first, the first entry that matches a packet
/// deciding it; a port is open when the addresses allowed to reach it, after every earlier deny,
/// add up to more than a /8 of IPv4 (or of IPv6), the same bound as for security groups.
pub fn acl_open_ports(entries: &[AclEntry], ports: &[u16]) -> Vec<String> {
    let mut out = Vec::new();
    for &port in ports {
        let mut open_rules = Vec::new();
        for v6 in [false, true] {
            let rules = net::first_match_open(
                entries
                    .iter()
                    .filter(|e| {
                        (e.protocol == "all" || e.protocol == "tcp")
                            && e.from <= port
                            && port <= e.to
                    })
                    .map(|e| (e.source, e.allow, e.rule)),
                v6,
            );
            open_rules.extend(rules.iter().map(|r| {
                let src: Vec<String> = entries
                    .iter()
                    .filter(|e| e.rule == *r && e.source.addr().is_ipv6() == v6)
                    .map(|e| e.source.to_string())
                    .collect();
                format!("rule {r} from {}", src.join(", "))
            }));
        }
        if !open_rules.is_empty() {
            out.push(format!("tcp {port} ({})", open_rules.join("; ")));
        }
    }
    out
}

/// Network ACLs: inbound exposure of the administrative ports.
pub(super) async fn network_acls(client: &Client, account: &str, region: &str) -> Found {
    let mut found = Found::default();
    let listed = util::all(
        "ec2:DescribeNetworkAcls",
        client
            .describe_network_acls()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for acl in found
        .listed(listed, account, Some(region), &["aws.ec2.network_acl"])
        .unwrap_or_default()
    {
        let id = acl.network_acl_id().unwrap_or_default();
        let t = tags(acl.tags());
        let mut p = Props::default();
        p.set("is_default", acl.is_default().unwrap_or(false));
        match acl_entries(acl.entries()) {
            Ok(entries) => p.set(
                "world_open_admin_ports",
                acl_open_ports(&entries, &ADMIN_PORTS),
            ),
            Err(why) => p.unknown(
                "world_open_admin_ports",
                format!("ec2:DescribeNetworkAcls: {why}"),
            ),
        }
        let arn = format!("arn:aws:ec2:{region}:{account}:network-acl/{id}");
        let name = name_or(&t, id);
        found.resources.push(p.into_resource(resource(
            "aws.ec2.network_acl",
            arn,
            account,
            region,
            name,
            t,
        )));
    }
    found
}
