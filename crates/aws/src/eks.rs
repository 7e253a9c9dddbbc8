//! EKS: clusters, their API endpoint exposure, secrets encryption and control-plane logs, in
//! one region.

use aws_sdk_eks::Client;

use super::util::{all, describe, resource, Found, Props};
use super::Ctx;

const CLUSTER: &str = "aws.eks.cluster";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let listed = all(
        "eks:ListClusters",
        client
            .list_clusters()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(names) = found.listed(listed, &ctx.account, Some(region), &[CLUSTER]) else {
        return found;
    };
    for name in names {
        let arn = format!("arn:aws:eks:{region}:{}:cluster/{name}", ctx.account);
        let out = match client.describe_cluster().name(&name).send().await {
            Ok(out) => out,
            Err(e) => {
                let why = describe("eks:DescribeCluster", &e);
                let mut p = Props::default();
                for prop in [
                    "endpoint_public_to_internet",
                    "kms_envelope_encryption",
                    "control_plane_logs",
                ] {
                    p.unknown(prop, why.clone());
                }
                found.resources.push(p.into_resource(resource(
                    CLUSTER,
                    arn,
                    &ctx.account,
                    region,
                    name,
                    Default::default(),
                )));
                continue;
            }
        };
        let Some(c) = out.cluster() else {
            continue;
        };
        let mut p = Props::default();
        match c.resources_vpc_config() {
            Some(v) => {
                match public_to_internet(v.endpoint_public_access(), v.public_access_cidrs()) {
                    Ok(open) => p.set("endpoint_public_to_internet", open),
                    Err(why) => p.unknown(
                        "endpoint_public_to_internet",
                        format!("eks:DescribeCluster: {why}"),
                    ),
                }
            }
            None => p.unknown(
                "endpoint_public_to_internet",
                "eks:DescribeCluster: the answer had no `resourcesVpcConfig`",
            ),
        }
        // EKS encrypts all Kubernetes API data with an AWS owned key by default; an
        // `encryptionConfig` names a KMS key of your own for the envelope (its `resources`
        // list is deprecated and no longer decides what is encrypted).
        p.set(
            "kms_envelope_encryption",
            c.encryption_config().iter().any(|e| {
                e.provider()
                    .and_then(|p| p.key_arn())
                    .is_some_and(|k| !k.is_empty())
            }),
        );
        match c.logging() {
            Some(l) => {
                let mut on: Vec<String> = l
                    .cluster_logging()
                    .iter()
                    .filter(|s| s.enabled() == Some(true))
                    .flat_map(|s| s.types().iter().map(|t| t.as_str().to_string()))
                    .collect();
                on.sort();
                on.dedup();
                p.set("control_plane_logs", on);
            }
            None => p.unknown(
                "control_plane_logs",
                "eks:DescribeCluster: the answer had no `logging`",
            ),
        }
        let tags = c
            .tags()
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let arn = c.arn().map_or(arn, str::to_string);
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

/// Whether the public API endpoint is reachable from the internet: public access on, with
/// allowed CIDRs that together cover it (AWS's default is `0.0.0.0/0`; an empty list is that
/// default). Private-only endpoints are not.
pub fn public_to_internet(public: bool, cidrs: &[String]) -> Result<bool, String> {
    if !public {
        return Ok(false);
    }
    if cidrs.is_empty() {
        return Ok(true);
    }
    let nets = cidrs
        .iter()
        .map(|c| hipaa_scan_core::net::parse_source(c))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(hipaa_scan_core::net::open_to_internet(
        &nets,
        hipaa_scan_core::net::max_prefix(),
    ))
}

#[cfg(test)]
mod tests {
    use super::public_to_internet;

    #[test]
    fn a_public_endpoint_is_open_unless_its_cidrs_are_narrow() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(public_to_internet(false, &v(&["0.0.0.0/0"])), Ok(false));
        assert_eq!(
            public_to_internet(true, &v(&[])),
            Ok(true),
            "default 0.0.0.0/0"
        );
        assert_eq!(public_to_internet(true, &v(&["0.0.0.0/0"])), Ok(true));
        assert_eq!(
            public_to_internet(true, &v(&["0.0.0.0/1", "128.0.0.0/1"])),
            Ok(true),
            "two halves are the internet"
        );
        assert_eq!(public_to_internet(true, &v(&["203.0.113.0/24"])), Ok(false));
        assert!(public_to_internet(true, &v(&["not-a-cidr"])).is_err());
    }
}
