//! EC2 in one region: EBS encryption by default, volumes, snapshots, security groups, VPCs.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{
    HttpTokensState, InstanceMetadataEndpointState, InstanceStateName, IpPermission,
    NetworkAclEntry, PermissionGroup, RuleAction, SnapshotAttributeName, Tag,
};
use aws_sdk_ec2::Client;
use serde_json::{json, Value};

use hipaa_scan_core::net::{self, PortRule};

use super::util::{self, bounded, describe, resource, Found, Props};
use super::Ctx;

mod acl;
use acl::*;

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

    let listed = util::all(
        "ec2:DescribeVolumes",
        client
            .describe_volumes()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for v in found
        .listed(listed, account, Some(region), &["aws.ec2.volume"])
        .unwrap_or_default()
    {
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

    let listed = util::all(
        "ec2:DescribeSnapshots",
        client
            .describe_snapshots()
            .owner_ids("self")
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let snapshots = found
        .listed(listed, account, Some(region), &["aws.ec2.snapshot"])
        .unwrap_or_default();
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

    let listed = util::all(
        "ec2:DescribeSecurityGroups",
        client
            .describe_security_groups()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for g in found
        .listed(listed, account, Some(region), &["aws.ec2.security_group"])
        .unwrap_or_default()
    {
        let id = g.group_id().unwrap_or_default();
        let mut p = Props::default();
        for (property, ports) in [
            ("world_open_admin_ports", &ADMIN_PORTS[..]),
            ("world_open_database_ports", &DATABASE_PORTS[..]),
        ] {
            match world_open(g.ip_permissions(), ports) {
                Ok(open) => p.set(property, open),
                Err(why) => p.unknown(property, format!("ec2:DescribeSecurityGroups: {why}")),
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

    let mut listed = instances(&client, account, region).await;
    super::ssm::mark_managed(ctx, region, &mut listed.resources).await;
    found.extend(listed);
    found.extend(network_acls(&client, account, region).await);
    found.extend(subnets(&client, account, region).await);
    found.extend(vpn_connections(&client, account, region).await);

    // Flow logs first, so each VPC can be judged; if they cannot be listed, the VPCs' flow-log
    // state is unknown rather than off.
    let logged: Result<BTreeSet<String>, String> = util::all(
        "ec2:DescribeFlowLogs",
        client
            .describe_flow_logs()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    )
    .map(|logs| {
        logs.iter()
            .filter(|f| f.flow_log_status() == Some("ACTIVE"))
            .filter_map(|f| f.resource_id().map(str::to_string))
            .collect()
    });
    let listed = util::all(
        "ec2:DescribeVpcs",
        client
            .describe_vpcs()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for v in found
        .listed(listed, account, Some(region), &["aws.ec2.vpc"])
        .unwrap_or_default()
    {
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

/// EC2 instances (not terminated): IMDSv2, public IPv4 address, monitoring.
async fn instances(client: &Client, account: &str, region: &str) -> Found {
    let mut found = Found::default();
    let listed = util::all(
        "ec2:DescribeInstances",
        client
            .describe_instances()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for i in found
        .listed(listed, account, Some(region), &["aws.ec2.instance"])
        .unwrap_or_default()
        .iter()
        .flat_map(|r| r.instances())
    {
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
        p.set("public_ip", public_ip(i).map_or(Value::Null, |a| json!(a)));
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
    found
}

/// The instance's public IPv4 address: `PublicIpAddress` names only the primary network
/// interface's, so an Elastic IP on a secondary interface is read from that interface's
/// association.
pub fn public_ip(i: &aws_sdk_ec2::types::Instance) -> Option<&str> {
    i.public_ip_address().filter(|a| !a.is_empty()).or_else(|| {
        i.network_interfaces()
            .iter()
            .filter_map(|n| n.association().and_then(|a| a.public_ip()))
            .find(|a| !a.is_empty())
    })
}

#[cfg(test)]
mod tests;
