//! EC2 in one region: EBS encryption by default, volumes, snapshots, security groups, VPCs.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{
    HttpTokensState, InstanceMetadataEndpointState, InstanceStateName, IpPermission,
    NetworkAclEntry, PermissionGroup, RuleAction, SnapshotAttributeName, Tag,
};
use aws_sdk_ec2::Client;
use serde_json::{json, Value};

use crate::net::{self, PortRule};

use super::util::{self, bounded, describe, resource, Found, Props};
use super::Ctx;

fn tags(list: &[Tag]) -> BTreeMap<String, String> {
    util::tags(list.iter().map(|t| (t.key(), t.value())))
}

fn name_or(tags: &BTreeMap<String, String>, id: &str) -> String {
    tags.get("Name")
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or_else(|| id.to_string())
}

/// Administrative ports: SSH and RDP.
pub const ADMIN_PORTS: [u16; 2] = [22, 3389];

/// Database and remote-management ports: SQL Server, Oracle, MySQL, PostgreSQL, Redis,
/// Elasticsearch/OpenSearch, MongoDB, SMB, Telnet, WinRM.
pub const DATABASE_PORTS: [u16; 11] = [
    1433, 1521, 3306, 5432, 6379, 9200, 27017, 445, 23, 5985, 5986,
];

/// A security group's ingress permissions as port rules; an address that does not parse is an
/// error (the exposure is then unknown, not "closed").
pub fn port_rules(perms: &[IpPermission]) -> Result<Vec<PortRule>, String> {
    let mut out = Vec::new();
    for p in perms {
        let protocol = match p.ip_protocol().unwrap_or_default() {
            "-1" => "all",
            "6" | "tcp" => "tcp",
            "17" | "udp" => "udp",
            // ICMP and other protocols carry no ports.
            _ => continue,
        };
        let sources = p
            .ip_ranges()
            .iter()
            .filter_map(|r| r.cidr_ip())
            .chain(p.ipv6_ranges().iter().filter_map(|r| r.cidr_ipv6()))
            .map(net::parse_source)
            .collect::<Result<Vec<_>, _>>()?;
        let (from, to) = if protocol == "all" {
            (0, 65535)
        } else {
            let clamp = |v: i32| v.clamp(0, 65535) as u16;
            match (p.from_port(), p.to_port()) {
                (Some(f), Some(t)) if f >= 0 && t >= 0 => (clamp(f), clamp(t)),
                // -1 or absent for tcp/udp: every port.
                _ => (0, 65535),
            }
        };
        out.push(PortRule {
            protocol: protocol.to_string(),
            from,
            to,
            sources,
        });
    }
    Ok(out)
}

/// Ingress that, across all of the group's rules, opens any of `ports` (or every port) to the
/// internet (see [`net::open_ports`]).
pub fn world_open(perms: &[IpPermission], ports: &[u16]) -> Result<Vec<String>, String> {
    Ok(net::open_ports(
        &port_rules(perms)?,
        ports,
        net::max_prefix(),
    ))
}

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let account = ctx.account.as_str();
    let mut found = Found::default();

    let mut p = Props::default();
    match client.get_ebs_encryption_by_default().send().await {
        Ok(out) => p.set(
            "ebs_encryption_by_default",
            out.ebs_encryption_by_default().unwrap_or(false),
        ),
        Err(e) => p.unknown(
            "ebs_encryption_by_default",
            describe("ec2:GetEbsEncryptionByDefault", &e),
        ),
    }
    found.resources.push(p.into_resource(resource(
        "aws.ec2.region",
        format!("arn:aws:ec2:{region}:{account}:region"),
        account,
        region,
        region.to_string(),
        BTreeMap::new(),
    )));

    let mut pages = client.describe_volumes().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for v in page.volumes() {
                    let id = v.volume_id().unwrap_or_default();
                    let t = tags(v.tags());
                    let mut p = Props::default();
                    p.set("encrypted", v.encrypted().unwrap_or(false));
                    p.set(
                        "kms_key_id",
                        v.kms_key_id().map_or(Value::Null, |k| json!(k)),
                    );
                    p.set("attached", !v.attachments().is_empty());
                    let arn = format!("arn:aws:ec2:{region}:{account}:volume/{id}");
                    let name = name_or(&t, id);
                    found.resources.push(p.into_resource(resource(
                        "aws.ec2.volume",
                        arn,
                        account,
                        region,
                        name,
                        t,
                    )));
                }
            }
            Err(e) => {
                found.gap(
                    account,
                    Some(region),
                    &["aws.ec2.volume"],
                    describe("ec2:DescribeVolumes", &e),
                );
                break;
            }
        }
    }

    let mut snapshots = Vec::new();
    let mut pages = client
        .describe_snapshots()
        .owner_ids("self")
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => snapshots.extend(page.snapshots().iter().cloned()),
            Err(e) => {
                found.gap(
                    account,
                    Some(region),
                    &["aws.ec2.snapshot"],
                    describe("ec2:DescribeSnapshots", &e),
                );
                break;
            }
        }
    }
    let (c, acct, reg) = (client.clone(), account.to_string(), region.to_string());
    let snaps = bounded(snapshots, ctx.concurrency, move |s| {
        let (client, account, region) = (c.clone(), acct.clone(), reg.clone());
        async move {
            let id = s.snapshot_id().unwrap_or_default().to_string();
            let t = tags(s.tags());
            let mut p = Props::default();
            p.set("encrypted", s.encrypted().unwrap_or(false));
            match client
                .describe_snapshot_attribute()
                .snapshot_id(&id)
                .attribute(SnapshotAttributeName::CreateVolumePermission)
                .send()
                .await
            {
                Ok(out) => p.set(
                    "public",
                    out.create_volume_permissions()
                        .iter()
                        .any(|c| c.group() == Some(&PermissionGroup::All)),
                ),
                Err(e) => p.unknown("public", describe("ec2:DescribeSnapshotAttribute", &e)),
            }
            let arn = format!("arn:aws:ec2:{region}::snapshot/{id}");
            let name = name_or(&t, &id);
            p.into_resource(resource(
                "aws.ec2.snapshot",
                arn,
                &account,
                &region,
                name,
                t,
            ))
        }
    })
    .await;
    found.resources.extend(snaps);

    let mut pages = client.describe_security_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for g in page.security_groups() {
                    let id = g.group_id().unwrap_or_default();
                    let mut p = Props::default();
                    for (property, ports) in [
                        ("world_open_admin_ports", &ADMIN_PORTS[..]),
                        ("world_open_database_ports", &DATABASE_PORTS[..]),
                    ] {
                        match world_open(g.ip_permissions(), ports) {
                            Ok(open) => p.set(property, open),
                            Err(why) => {
                                p.unknown(property, format!("ec2:DescribeSecurityGroups: {why}"))
                            }
                        }
                    }
                    let is_default = g.group_name() == Some("default");
                    p.set("is_default", is_default);
                    p.set(
                        "rule_count",
                        (g.ip_permissions().len() + g.ip_permissions_egress().len()) as i64,
                    );
                    let arn = format!("arn:aws:ec2:{region}:{account}:security-group/{id}");
                    let name = g
                        .group_name()
                        .map_or_else(|| id.to_string(), |n| format!("{n} ({id})"));
                    found.resources.push(p.into_resource(resource(
                        "aws.ec2.security_group",
                        arn,
                        account,
                        region,
                        name,
                        tags(g.tags()),
                    )));
                }
            }
            Err(e) => {
                found.gap(
                    account,
                    Some(region),
                    &["aws.ec2.security_group"],
                    describe("ec2:DescribeSecurityGroups", &e),
                );
                break;
            }
        }
    }

    found.extend(instances(&client, account, region).await);
    found.extend(network_acls(&client, account, region).await);
    found.extend(subnets(&client, account, region).await);
    found.extend(vpn_connections(&client, account, region).await);

    // Flow logs first, so each VPC can be judged; if they cannot be listed, the VPCs' flow-log
    // state is unknown rather than off.
    let mut logged: Result<BTreeSet<String>, String> = Ok(BTreeSet::new());
    let mut pages = client.describe_flow_logs().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                if let Ok(set) = logged.as_mut() {
                    set.extend(
                        page.flow_logs()
                            .iter()
                            .filter(|f| f.flow_log_status() == Some("ACTIVE"))
                            .filter_map(|f| f.resource_id().map(str::to_string)),
                    );
                }
            }
            Err(e) => {
                logged = Err(describe("ec2:DescribeFlowLogs", &e));
                break;
            }
        }
    }
    let mut pages = client.describe_vpcs().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for v in page.vpcs() {
                    let id = v.vpc_id().unwrap_or_default();
                    let t = tags(v.tags());
                    let mut p = Props::default();
                    p.set("is_default", v.is_default().unwrap_or(false));
                    match &logged {
                        Ok(set) => p.set("flow_logs_enabled", set.contains(id)),
                        Err(why) => p.unknown("flow_logs_enabled", why.clone()),
                    }
                    let arn = format!("arn:aws:ec2:{region}:{account}:vpc/{id}");
                    let name = name_or(&t, id);
                    found.resources.push(p.into_resource(resource(
                        "aws.ec2.vpc",
                        arn,
                        account,
                        region,
                        name,
                        t,
                    )));
                }
            }
            Err(e) => {
                found.gap(
                    account,
                    Some(region),
                    &["aws.ec2.vpc"],
                    describe("ec2:DescribeVpcs", &e),
                );
                break;
            }
        }
    }
    found
}

/// Subnets: whether instances launched there get a public address by default.
async fn subnets(client: &Client, account: &str, region: &str) -> Found {
    const KIND: &str = "aws.ec2.subnet";
    let mut found = Found::default();
    let listed = super::util::all(
        "ec2:DescribeSubnets",
        client
            .describe_subnets()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for s in found
        .listed(listed, account, Some(region), &[KIND])
        .unwrap_or_default()
    {
        let id = s.subnet_id().unwrap_or_default();
        let t = tags(s.tags());
        let mut p = Props::default();
        p.set("default_for_az", s.default_for_az().unwrap_or(false));
        match s.map_public_ip_on_launch() {
            Some(v) => p.set("map_public_ip_on_launch", v),
            None => p.unknown(
                "map_public_ip_on_launch",
                "ec2:DescribeSubnets: the answer had no `MapPublicIpOnLaunch`",
            ),
        }
        let arn = s.subnet_arn().map_or_else(
            || format!("arn:aws:ec2:{region}:{account}:subnet/{id}"),
            str::to_string,
        );
        let name = name_or(&t, id);
        found
            .resources
            .push(p.into_resource(resource(KIND, arn, account, region, name, t)));
    }
    found
}

/// Site-to-Site VPN connections (not deleted) and how many of their tunnels are up.
async fn vpn_connections(client: &Client, account: &str, region: &str) -> Found {
    const KIND: &str = "aws.ec2.vpn_connection";
    let mut found = Found::default();
    let out = match client.describe_vpn_connections().send().await {
        Ok(out) => out,
        Err(e) => {
            found.gap(
                account,
                Some(region),
                &[KIND],
                describe("ec2:DescribeVpnConnections", &e),
            );
            return found;
        }
    };
    for v in out.vpn_connections() {
        let state = v.state().map_or("unknown", |s| s.as_str());
        if matches!(state, "deleted" | "deleting") {
            continue;
        }
        let id = v.vpn_connection_id().unwrap_or_default();
        let t = tags(v.tags());
        let mut p = Props::default();
        p.set("state", state);
        let telemetry = v.vgw_telemetry();
        if telemetry.is_empty() {
            // Without telemetry the tunnels' state is not known (AWS reports one entry per tunnel).
            p.unknown(
                "tunnels",
                "ec2:DescribeVpnConnections: the answer had no `VgwTelemetry`",
            );
            p.unknown(
                "tunnels_up",
                "ec2:DescribeVpnConnections: the answer had no `VgwTelemetry`",
            );
        } else {
            p.set("tunnels", telemetry.len());
            p.set(
                "tunnels_up",
                telemetry
                    .iter()
                    .filter(|t| t.status().is_some_and(|s| s.as_str() == "UP"))
                    .count(),
            );
        }
        let arn = format!("arn:aws:ec2:{region}:{account}:vpn-connection/{id}");
        let name = name_or(&t, id);
        found
            .resources
            .push(p.into_resource(resource(KIND, arn, account, region, name, t)));
    }
    found
}

/// EC2 instances (not terminated): IMDSv2, public IPv4 address.
async fn instances(client: &Client, account: &str, region: &str) -> Found {
    let mut found = Found::default();
    let mut pages = client.describe_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                found.gap(
                    account,
                    Some(region),
                    &["aws.ec2.instance"],
                    describe("ec2:DescribeInstances", &e),
                );
                break;
            }
        };
        for i in page.reservations().iter().flat_map(|r| r.instances()) {
            let state = i.state().and_then(|s| s.name());
            if matches!(state, Some(InstanceStateName::Terminated)) {
                continue;
            }
            let id = i.instance_id().unwrap_or_default();
            let t = tags(i.tags());
            let mut p = Props::default();
            p.set("state", state.map_or("unknown", |s| s.as_str()));
            match i.metadata_options() {
                Some(m) => p.set(
                    "imdsv2_required",
                    m.http_tokens() == Some(&HttpTokensState::Required)
                        || m.http_endpoint() == Some(&InstanceMetadataEndpointState::Disabled),
                ),
                None => p.unknown(
                    "imdsv2_required",
                    "ec2:DescribeInstances: the answer had no `MetadataOptions`",
                ),
            }
            p.set(
                "public_ip",
                i.public_ip_address().map_or(Value::Null, |a| json!(a)),
            );
            match i.monitoring().and_then(|m| m.state()) {
                Some(s) => p.set("detailed_monitoring", s.as_str() == "enabled"),
                None => p.unknown(
                    "detailed_monitoring",
                    "ec2:DescribeInstances: the answer had no `Monitoring`",
                ),
            }
            let arn = format!("arn:aws:ec2:{region}:{account}:instance/{id}");
            let name = name_or(&t, id);
            found.resources.push(p.into_resource(resource(
                "aws.ec2.instance",
                arn,
                account,
                region,
                name,
                t,
            )));
        }
    }
    found
}

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

fn span(net: &ipnet::IpNet) -> (u128, u128) {
    match net {
        ipnet::IpNet::V4(n) => (
            u32::from(n.network()) as u128,
            u32::from(n.broadcast()) as u128,
        ),
        ipnet::IpNet::V6(n) => (u128::from(n.network()), u128::from(n.broadcast())),
    }
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
            let max: u128 = if v6 { u128::MAX } else { u32::MAX as u128 };
            // Address ranges no earlier entry has decided yet.
            let mut undecided: Vec<(u128, u128)> = vec![(0, max)];
            let mut allowed: u128 = 0;
            let mut rules = Vec::new();
            for e in entries.iter().filter(|e| {
                e.source.addr().is_ipv6() == v6
                    && (e.protocol == "all" || e.protocol == "tcp")
                    && e.from <= port
                    && port <= e.to
            }) {
                let (lo, hi) = span(&e.source);
                let mut rest = Vec::new();
                for (a, b) in undecided {
                    if b < lo || a > hi {
                        rest.push((a, b));
                        continue;
                    }
                    let (ia, ib) = (a.max(lo), b.min(hi));
                    if e.allow {
                        allowed = allowed.saturating_add((ib - ia).saturating_add(1));
                        if !rules.contains(&e.rule) {
                            rules.push(e.rule);
                        }
                    }
                    if a < ia {
                        rest.push((a, ia - 1));
                    }
                    if ib < b {
                        rest.push((ib + 1, b));
                    }
                }
                undecided = rest;
            }
            let prefix = u32::from(net::max_prefix());
            let bound: u128 = if v6 {
                1u128 << (128 - prefix.min(127))
            } else {
                1u128 << (32 - prefix.min(31))
            };
            if allowed > bound {
                open_rules.extend(rules.iter().map(|r| {
                    let src: Vec<String> = entries
                        .iter()
                        .filter(|e| e.rule == *r && e.source.addr().is_ipv6() == v6)
                        .map(|e| e.source.to_string())
                        .collect();
                    format!("rule {r} from {}", src.join(", "))
                }));
            }
        }
        if !open_rules.is_empty() {
            out.push(format!("tcp {port} ({})", open_rules.join("; ")));
        }
    }
    out
}

/// Network ACLs: inbound exposure of the administrative ports.
async fn network_acls(client: &Client, account: &str, region: &str) -> Found {
    let mut found = Found::default();
    let mut pages = client.describe_network_acls().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                found.gap(
                    account,
                    Some(region),
                    &["aws.ec2.network_acl"],
                    describe("ec2:DescribeNetworkAcls", &e),
                );
                break;
            }
        };
        for acl in page.network_acls() {
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
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{acl_open_ports, world_open, AclEntry, ADMIN_PORTS, DATABASE_PORTS};

    fn acl(rule: i32, allow: bool, proto: &str, from: u16, to: u16, cidr: &str) -> AclEntry {
        AclEntry {
            rule,
            allow,
            protocol: proto.into(),
            from,
            to,
            source: crate::net::parse_source(cidr).unwrap(),
        }
    }

    #[test]
    fn network_acls_first_match_wins() {
        let deny_all = acl(32767, false, "all", 0, 65535, "0.0.0.0/0");
        // The default ACL: everything allowed.
        let open = [
            acl(100, true, "all", 0, 65535, "0.0.0.0/0"),
            deny_all.clone(),
        ];
        assert_eq!(acl_open_ports(&open, &ADMIN_PORTS).len(), 2);
        // A deny of SSH before the allow closes 22 but not 3389.
        let ssh_denied = [
            acl(50, false, "tcp", 22, 22, "0.0.0.0/0"),
            acl(100, true, "all", 0, 65535, "0.0.0.0/0"),
            deny_all.clone(),
        ];
        let got = acl_open_ports(&ssh_denied, &ADMIN_PORTS);
        assert_eq!(got, ["tcp 3389 (rule 100 from 0.0.0.0/0)"]);
        // The same deny after the allow changes nothing: the allow matched first.
        let too_late = [
            acl(100, true, "all", 0, 65535, "0.0.0.0/0"),
            acl(150, false, "tcp", 22, 22, "0.0.0.0/0"),
            deny_all.clone(),
        ];
        assert_eq!(acl_open_ports(&too_late, &[22]).len(), 1);
        // Two /1s are the internet; one office /24 is not; nor is the internet minus a deny of
        // everything but a /24.
        let halves = [
            acl(10, true, "tcp", 22, 22, "0.0.0.0/1"),
            acl(20, true, "tcp", 22, 22, "128.0.0.0/1"),
            deny_all.clone(),
        ];
        assert_eq!(acl_open_ports(&halves, &[22]).len(), 1);
        let office = [
            acl(10, true, "tcp", 22, 22, "203.0.113.0/24"),
            deny_all.clone(),
        ];
        assert!(acl_open_ports(&office, &[22]).is_empty());
        // UDP and other ports do not open SSH.
        let udp = [acl(10, true, "udp", 0, 65535, "0.0.0.0/0"), deny_all];
        assert!(acl_open_ports(&udp, &[22]).is_empty());
        // IPv6 from anywhere.
        let v6 = [acl(10, true, "tcp", 3389, 3389, "::/0")];
        assert_eq!(
            acl_open_ports(&v6, &[3389]),
            ["tcp 3389 (rule 10 from ::/0)"]
        );
    }

    use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range};

    fn world_open_admin_ports(perms: &[IpPermission]) -> Vec<String> {
        world_open(perms, &ADMIN_PORTS).unwrap()
    }

    fn perm(proto: &str, from: i32, to: i32, cidr: &str) -> IpPermission {
        let b = IpPermission::builder()
            .ip_protocol(proto)
            .from_port(from)
            .to_port(to);
        if cidr.contains(':') {
            b.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(cidr).build())
                .build()
        } else {
            b.ip_ranges(IpRange::builder().cidr_ip(cidr).build())
                .build()
        }
    }

    #[test]
    fn finds_world_open_admin_ports_only() {
        assert_eq!(
            world_open_admin_ports(&[perm("tcp", 22, 22, "0.0.0.0/0")]),
            ["tcp 22 from 0.0.0.0/0"]
        );
        assert_eq!(
            world_open_admin_ports(&[perm("tcp", 3000, 4000, "::/0")]),
            ["tcp 3389 from ::/0"]
        );
        assert_eq!(
            world_open_admin_ports(&[perm("-1", 0, 0, "0.0.0.0/0")]),
            [
                "tcp all ports from 0.0.0.0/0",
                "udp all ports from 0.0.0.0/0"
            ]
        );
        assert_eq!(
            world_open_admin_ports(&[perm("6", 0, 65535, "0.0.0.0/0")]),
            ["tcp all ports from 0.0.0.0/0"]
        );
        assert!(world_open_admin_ports(&[perm("tcp", 443, 443, "0.0.0.0/0")]).is_empty());
        assert!(world_open_admin_ports(&[perm("tcp", 22, 22, "10.0.0.0/8")]).is_empty());
        assert!(world_open_admin_ports(&[perm("icmp", -1, -1, "0.0.0.0/0")]).is_empty());
    }

    #[test]
    fn two_halves_are_the_internet_and_bad_addresses_are_unknown() {
        let halves = [
            perm("tcp", 22, 22, "0.0.0.0/1"),
            perm("tcp", 22, 22, "128.0.0.0/1"),
        ];
        assert_eq!(
            world_open_admin_ports(&halves),
            ["tcp 22 from 0.0.0.0/1, 128.0.0.0/1"]
        );
        assert_eq!(
            world_open(&[perm("tcp", 5432, 5432, "0.0.0.0/0")], &DATABASE_PORTS).unwrap(),
            ["tcp 5432 from 0.0.0.0/0"]
        );
        assert!(world_open_admin_ports(&[perm("tcp", 5432, 5432, "0.0.0.0/0")]).is_empty());
        assert!(world_open(&[perm("tcp", 22, 22, "not-a-cidr")], &ADMIN_PORTS).is_err());
    }
}
