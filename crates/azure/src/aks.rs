//! Azure Kubernetes Service clusters: who may reach the API server and how users sign in to it.

use ipnet::IpNet;
use serde_json::Value;

use super::{absent, arm_fields, put, unexpected, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};
use hipaa_scan_core::net;

const API: &str = "2024-09-01";
pub(crate) const CLUSTER: &str = "azure.containerservice.managed_cluster";
const CLUSTERS: &str = "Microsoft.ContainerService/managedClusters/read";

pub(crate) async fn collect(ctx: &Ctx, sub: &str) -> Found {
    let path = format!("/subscriptions/{sub}/providers/Microsoft.ContainerService/managedClusters");
    let mut found = Found::default();
    if let Some(clusters) = found.listed(
        ctx.arm.list(CLUSTERS, &path, Some(API)).await,
        sub,
        None,
        &[CLUSTER],
    ) {
        for c in &clusters {
            let Some((id, name, location, tags)) = arm_fields(c) else {
                continue;
            };
            let p = cluster_props(&c["properties"]);
            found
                .resources
                .push(p.into_resource(resource(CLUSTER, id, sub, &location, name, tags)));
        }
    }
    ctx.progress.done(&format!("aks {sub}"));
    found
}

/// A boolean switch that is off when the answer leaves it out (`default`), or unknown when no
/// default applies (`None`).
fn switch(props: &Value, path: &[&str], default: Option<bool>) -> Result<bool, String> {
    let field = path.join(".");
    let v = path.iter().fold(props, |v, k| &v[*k]);
    match (v, default) {
        (Value::Bool(b), _) => Ok(*b),
        (Value::Null, Some(d)) => Ok(d),
        (Value::Null, None) => Err(absent(CLUSTERS, &field)),
        (v, _) => Err(unexpected(CLUSTERS, &field, v)),
    }
}

fn cluster_props(props: &Value) -> Props {
    let mut p = Props::default();
    // The reference states no default for an answer without `enableRBAC`.
    put(&mut p, "rbac_enabled", switch(props, &["enableRBAC"], None));
    put(&mut p, "entra_integration", entra(&props["aadProfile"]));
    // "When you deploy an AKS cluster, local accounts are enabled by default."
    put(
        &mut p,
        "local_accounts_disabled",
        switch(props, &["disableLocalAccounts"], Some(false)),
    );
    // A cluster gets a public API server unless it was created private.
    let access = &props["apiServerAccessProfile"];
    put(
        &mut p,
        "private_cluster",
        switch(access, &["enablePrivateCluster"], Some(false)),
    );
    match authorized_ranges(&access["authorizedIPRanges"]) {
        Ok(ranges) => {
            put(&mut p, "internet_open_authorized_ranges", open(&ranges));
            p.set("authorized_ip_ranges", ranges);
        }
        Err(why) => {
            p.unknown("authorized_ip_ranges", why.clone());
            p.unknown("internet_open_authorized_ranges", why);
        }
    }
    let des = match &props["diskEncryptionSetID"] {
        Value::String(s) => Ok(!s.trim().is_empty()),
        Value::Null => Ok(false),
        v => Err(unexpected(CLUSTERS, "diskEncryptionSetID", v)),
    };
    put(&mut p, "disk_encryption_set", des);
    put(
        &mut p,
        "defender_profile",
        switch(
            props,
            &[
                "securityProfile",
                "defender",
                "securityMonitoring",
                "enabled",
            ],
            Some(false),
        ),
    );
    p
}

/// `managed` (AKS-managed Entra ID), `legacy` (the retired integration through a client and a
/// server application) or `none` (no `aadProfile`). A profile that is neither is not read as
/// integrated: it is unknown.
fn entra(profile: &Value) -> Result<&'static str, String> {
    match profile {
        Value::Null => Ok("none"),
        Value::Object(_) => {
            if profile["managed"] == Value::Bool(true) {
                Ok("managed")
            } else if profile["serverAppID"]
                .as_str()
                .is_some_and(|s| !s.trim().is_empty())
            {
                Ok("legacy")
            } else {
                Err(format!(
                    "{CLUSTERS}: `aadProfile` names neither AKS-managed Entra ID (`managed`) nor a server application (`serverAppID`)"
                ))
            }
        }
        v => Err(unexpected(CLUSTERS, "aadProfile", v)),
    }
}

fn authorized_ranges(v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|r| {
                r.as_str().map(|s| s.trim().to_string()).ok_or_else(|| {
                    unexpected(CLUSTERS, "apiServerAccessProfile.authorizedIPRanges", r)
                })
            })
            .filter(|r| !matches!(r, Ok(s) if s.is_empty()))
            .collect(),
        v => Err(unexpected(
            CLUSTERS,
            "apiServerAccessProfile.authorizedIPRanges",
            v,
        )),
    }
}

/// Why the authorized ranges admit the internet (empty: they do not, or there are none).
fn open(ranges: &[String]) -> Result<Vec<String>, String> {
    let nets = ranges
        .iter()
        .map(|r| net::parse_source(r))
        .collect::<Result<Vec<IpNet>, String>>()
        .map_err(|e| format!("{CLUSTERS}: apiServerAccessProfile.authorizedIPRanges: {e}"))?;
    Ok(net::why_open(&nets, net::max_prefix())
        .into_iter()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(props: Value) -> hipaa_scan_core::model::Resource {
        cluster_props(&props).into_resource(resource(
            CLUSTER,
            "c".into(),
            "s",
            "eastus",
            "c".into(),
            Default::default(),
        ))
    }

    #[test]
    fn a_locked_down_cluster() {
        let c = r(json!({
            "enableRBAC": true,
            "aadProfile": {"managed": true, "enableAzureRBAC": true, "tenantID": "t"},
            "disableLocalAccounts": true,
            "apiServerAccessProfile": {"enablePrivateCluster": true},
            "diskEncryptionSetID": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des",
            "securityProfile": {"defender": {"securityMonitoring": {"enabled": true}}}
        }));
        assert_eq!(c.properties["rbac_enabled"], true);
        assert_eq!(c.properties["entra_integration"], "managed");
        assert_eq!(c.properties["local_accounts_disabled"], true);
        assert_eq!(c.properties["private_cluster"], true);
        assert_eq!(c.properties["authorized_ip_ranges"], json!([]));
        assert_eq!(c.properties["internet_open_authorized_ranges"], json!([]));
        assert_eq!(c.properties["disk_encryption_set"], true);
        assert_eq!(c.properties["defender_profile"], true);
        assert!(c.unknown.is_empty(), "{:?}", c.unknown);
    }

    #[test]
    fn defaults_and_look_alikes() {
        // Nothing set: local accounts on, a public API server open to every address, no
        // Entra ID; RBAC has no default and stays unknown.
        let c = r(json!({}));
        assert!(c.unknown["rbac_enabled"].contains("enableRBAC"));
        assert_eq!(c.properties["entra_integration"], "none");
        assert_eq!(c.properties["local_accounts_disabled"], false);
        assert_eq!(c.properties["private_cluster"], false);
        assert_eq!(c.properties["authorized_ip_ranges"], json!([]));
        assert_eq!(c.properties["disk_encryption_set"], false);
        assert_eq!(c.properties["defender_profile"], false);
        // Authorized ranges that read as restricted but are the internet.
        let c = r(json!({"apiServerAccessProfile": {"authorizedIPRanges": ["0.0.0.0/0"]}}));
        assert_eq!(
            c.properties["internet_open_authorized_ranges"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let c = r(
            json!({"apiServerAccessProfile": {"authorizedIPRanges": ["0.0.0.0/1", "128.0.0.0/1"]}}),
        );
        assert_eq!(
            c.properties["internet_open_authorized_ranges"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        // An office range and one address: restricted.
        let c = r(
            json!({"apiServerAccessProfile": {"authorizedIPRanges": ["203.0.113.0/24", "198.51.100.7/32"]}}),
        );
        assert_eq!(c.properties["internet_open_authorized_ranges"], json!([]));
        assert_eq!(
            c.properties["authorized_ip_ranges"],
            json!(["203.0.113.0/24", "198.51.100.7/32"])
        );
        let c = r(json!({"apiServerAccessProfile": {"authorizedIPRanges": ["office"]}}));
        assert!(c.unknown.contains_key("internet_open_authorized_ranges"));
        // An empty disk encryption set ID is none.
        let c = r(json!({"diskEncryptionSetID": ""}));
        assert_eq!(c.properties["disk_encryption_set"], false);
        // The legacy integration, and a profile that names no integration at all.
        let c = r(json!({"aadProfile": {"serverAppID": "srv", "clientAppID": "cli"}}));
        assert_eq!(c.properties["entra_integration"], "legacy");
        let c = r(json!({"aadProfile": {"managed": false}}));
        assert!(c.unknown["entra_integration"].contains("aadProfile"));
        let c = r(json!({"enableRBAC": "yes"}));
        assert!(c.unknown["rbac_enabled"].contains("unexpected"));
    }
}
