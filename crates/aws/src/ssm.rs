//! Systems Manager: which EC2 instances of one region are managed nodes whose agent is online.
//!
//! AWS Config's `ec2-instance-managed-by-systems-manager` is the reference: a running instance is
//! compliant when SSM lists it as a managed node and its agent answers. Here an instance is
//! managed when `ssm:DescribeInstanceInformation` lists it with `PingStatus` `Online`; listed as
//! `ConnectionLost` (agent stopped, no route to Systems Manager, role removed) or `Inactive`, or
//! not listed, it is not. Whether stopped instances are judged is the policy's business (they are
//! not: their agent cannot answer).

use std::collections::BTreeMap;

use aws_sdk_ssm::types::{InstanceInformation, PingStatus};
use aws_sdk_ssm::Client;
use hipaa_scan_core::model::Resource;
use serde_json::Value;

use super::util::all;
use super::Ctx;

const INSTANCE: &str = "aws.ec2.instance";

/// Marks each EC2 instance of `resources` in `region` with `ssm_managed` and `ssm_ping_status`;
/// both are unknown when the managed nodes cannot be listed. Systems Manager is asked only when
/// the region has instances.
pub async fn mark_managed(ctx: &Ctx, region: &str, resources: &mut [Resource]) {
    if !resources.iter().any(|r| r.kind == INSTANCE) {
        return;
    }
    let client = Client::new(&ctx.config_for(region));
    let listed = all(
        "ssm:DescribeInstanceInformation",
        client
            .describe_instance_information()
            .max_results(50)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    mark(resources, listed.map(|nodes| ping_statuses(&nodes)));
}

/// Instance ID to `PingStatus`, for every managed node listed.
pub fn ping_statuses(nodes: &[InstanceInformation]) -> BTreeMap<String, String> {
    nodes
        .iter()
        .filter_map(|n| {
            Some((
                n.instance_id()?.to_string(),
                n.ping_status().map_or("", PingStatus::as_str).to_string(),
            ))
        })
        .collect()
}

/// Sets the two properties on every EC2 instance from the managed nodes (or the reason they
/// could not be listed).
pub fn mark(resources: &mut [Resource], nodes: Result<BTreeMap<String, String>, String>) {
    for r in resources.iter_mut().filter(|r| r.kind == INSTANCE) {
        let id = r.id.rsplit_once(":instance/").map_or("", |(_, id)| id);
        match &nodes {
            Ok(nodes) => {
                let ping = nodes.get(id);
                r.properties.insert(
                    "ssm_managed".into(),
                    Value::Bool(ping.is_some_and(|p| p == PingStatus::Online.as_str())),
                );
                r.properties.insert(
                    "ssm_ping_status".into(),
                    ping.map_or(Value::Null, |p| Value::String(p.clone())),
                );
            }
            Err(why) => {
                for property in ["ssm_managed", "ssm_ping_status"] {
                    r.unknown.insert(property.into(), why.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, ping: &str) -> InstanceInformation {
        InstanceInformation::builder()
            .instance_id(id)
            .ping_status(PingStatus::from(ping))
            .build()
    }

    fn instance(id: &str) -> Resource {
        hipaa_scan_core::collect::resource(
            INSTANCE,
            format!("arn:aws:ec2:us-east-1:111122223333:instance/{id}"),
            "111122223333",
            "us-east-1",
            id.to_string(),
            BTreeMap::new(),
        )
    }

    #[test]
    fn online_nodes_are_managed_and_their_look_alikes_are_not() {
        let nodes = ping_statuses(&[
            node("i-online", "Online"),
            node("i-lost", "ConnectionLost"),
            node("i-inactive", "Inactive"),
            // A status this SDK does not know is not taken for Online.
            node("i-new", "Sleeping"),
            // An on-premises node of a hybrid activation: not an EC2 instance of this region.
            node("mi-0123456789abcdef0", "Online"),
            // A node without an ID names no instance.
            InstanceInformation::builder()
                .ping_status(PingStatus::Online)
                .build(),
        ]);
        assert_eq!(nodes.len(), 5);
        let ids = ["i-online", "i-lost", "i-inactive", "i-new", "i-unlisted"];
        let mut resources: Vec<Resource> = ids.iter().map(|id| instance(id)).collect();
        // Other kinds are left alone.
        resources.push(hipaa_scan_core::collect::resource(
            "aws.ec2.volume",
            "arn:aws:ec2:us-east-1:111122223333:volume/vol-1".to_string(),
            "111122223333",
            "us-east-1",
            "vol-1".to_string(),
            BTreeMap::new(),
        ));
        mark(&mut resources, Ok(nodes));
        let got: Vec<(Value, Value)> = resources[..5]
            .iter()
            .map(|r| {
                (
                    r.properties["ssm_managed"].clone(),
                    r.properties["ssm_ping_status"].clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Value::Bool(true), Value::from("Online")),
                (Value::Bool(false), Value::from("ConnectionLost")),
                (Value::Bool(false), Value::from("Inactive")),
                (Value::Bool(false), Value::from("Sleeping")),
                (Value::Bool(false), Value::Null),
            ]
        );
        assert!(resources[5].properties.is_empty());
    }

    #[test]
    fn an_unreadable_list_leaves_every_instance_unknown() {
        let mut resources = vec![instance("i-1"), instance("i-2")];
        let why = "ssm:DescribeInstanceInformation: AccessDeniedException: denied";
        mark(&mut resources, Err(why.to_string()));
        for r in &resources {
            assert!(r.properties.is_empty());
            assert_eq!(r.unknown["ssm_managed"], why);
            assert_eq!(r.unknown["ssm_ping_status"], why);
        }
    }
}
