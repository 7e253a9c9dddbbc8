//! Redshift: provisioned clusters, their encryption, exposure, audit logging, TLS parameter and
//! automated snapshots, in one region.

use std::collections::HashMap;

use aws_sdk_redshift::Client;
use serde_json::{json, Value};

use super::util::{all, describe, resource, tags, Found, Props};
use super::Ctx;

const CLUSTER: &str = "aws.redshift.cluster";

fn opt<T: Into<Value>>(p: &mut Props, name: &str, v: Option<T>) {
    match v {
        Some(v) => p.set(name, v.into()),
        None => p.unknown(
            name,
            format!("redshift:DescribeClusters: the answer had no `{name}`"),
        ),
    }
}

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let listed = all(
        "redshift:DescribeClusters",
        client
            .describe_clusters()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(clusters) = found.listed(listed, &ctx.account, Some(region), &[CLUSTER]) else {
        return found;
    };
    // Parameter groups read so far: several clusters often share one.
    let mut groups: HashMap<String, Result<HashMap<String, String>, String>> = HashMap::new();
    for c in clusters {
        let name = c.cluster_identifier().unwrap_or_default().to_string();
        let mut p = Props::default();
        opt(&mut p, "encrypted", c.encrypted());
        p.set(
            "kms_key_id",
            c.kms_key_id().map_or(Value::Null, |k| json!(k)),
        );
        opt(&mut p, "publicly_accessible", c.publicly_accessible());
        opt(&mut p, "enhanced_vpc_routing", c.enhanced_vpc_routing());
        opt(
            &mut p,
            "automated_snapshot_retention_days",
            c.automated_snapshot_retention_period(),
        );
        match client
            .describe_logging_status()
            .cluster_identifier(&name)
            .send()
            .await
        {
            Ok(out) => p.set("audit_logging", out.logging_enabled().unwrap_or(false)),
            Err(e) => p.unknown(
                "audit_logging",
                describe("redshift:DescribeLoggingStatus", &e),
            ),
        }
        let group = c
            .cluster_parameter_groups()
            .first()
            .and_then(|g| g.parameter_group_name())
            .map(str::to_string);
        let values = match group {
            Some(g) => {
                if !groups.contains_key(&g) {
                    let v = parameters(&client, &g).await;
                    groups.insert(g.clone(), v);
                }
                groups[&g].clone()
            }
            None => Err("redshift:DescribeClusters: the answer had no parameter group".into()),
        };
        for (prop, param) in [
            ("require_ssl", "require_ssl"),
            ("user_activity_logging", "enable_user_activity_logging"),
        ] {
            match &values {
                Ok(v) => match v.get(param) {
                    Some(x) => p.set(prop, x.trim().eq_ignore_ascii_case("true")),
                    None => p.unknown(
                        prop,
                        format!("redshift:DescribeClusterParameters: the group had no `{param}`"),
                    ),
                },
                Err(why) => p.unknown(prop, why.clone()),
            }
        }
        let arn = format!("arn:aws:redshift:{region}:{}:cluster:{name}", ctx.account);
        let tags = tags(c.tags().iter().map(|t| (t.key(), t.value())));
        found.resources.push(p.into_resource(resource(
            CLUSTER,
            arn,
            &ctx.account,
            region,
            name,
            tags,
        )));
    }
    found
}

/// The parameters of a cluster parameter group that have a value, by name.
async fn parameters(client: &Client, group: &str) -> Result<HashMap<String, String>, String> {
    let pages = all(
        "redshift:DescribeClusterParameters",
        client
            .describe_cluster_parameters()
            .parameter_group_name(group)
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    )?;
    Ok(pages
        .iter()
        .flat_map(|p| p.parameters())
        .filter_map(|p| {
            Some((
                p.parameter_name()?.to_string(),
                p.parameter_value()?.to_string(),
            ))
        })
        .collect())
}
