//! Google Kubernetes Engine: the clusters of one project, every location in one call
//! (`projects.locations.clusters.list` with location `-`), with their node pools. A failed
//! listing is a gap over the kind; a zone the listing could not reach (`missingZones`) is a gap
//! there.

use google_cloud_container_v1::model::database_encryption::{CurrentState, State};
use google_cloud_container_v1::model::{Cluster, MasterAuthorizedNetworksConfig, NodePool};
use serde_json::Value;

use super::{labels, Ctx};
use hipaa_scan_core::collect::{resource, Found, Props};
use hipaa_scan_core::net;

pub(crate) const CLUSTER: &str = "gcp.container.cluster";

const OP: &str = "container.clusters.list";

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let mut found = Found::default();
    let listed = ctx
        .clients
        .clusters
        .list_clusters()
        .set_parent(format!("projects/{project}/locations/-"))
        .send()
        .await
        .map_err(|e| super::clients::describe(OP, &e));
    if let Some(list) = found.listed(listed.map(|r| vec![r]), project, None, &[CLUSTER]) {
        for r in list {
            let mut missing = r.missing_zones.clone();
            missing.sort();
            missing.dedup();
            for zone in missing {
                found.gap(
                    project,
                    Some(&zone),
                    &[CLUSTER],
                    format!("{OP}: zone {zone} was unreachable (missingZones)"),
                );
            }
            found.resources.extend(
                r.clusters
                    .iter()
                    .map(|c| normalize(project, c, net::max_prefix())),
            );
        }
    }
    ctx.progress.done(&format!("gke {project}"));
    found
}

pub(crate) fn normalize(
    project: &str,
    c: &Cluster,
    max_prefix: u8,
) -> hipaa_scan_core::model::Resource {
    let mut p = Props::default();
    p.set("status", c.status.name().unwrap_or("STATUS_UNSPECIFIED"));
    let public = public_endpoint(c);
    p.set("public_endpoint", public);
    let (enabled, blocks, gcp_public) = authorized_networks(c);
    p.set(
        "authorized_networks",
        if enabled { blocks.clone() } else { Vec::new() },
    );
    match internet_open(public, enabled, &blocks, gcp_public, max_prefix) {
        Ok(why) => p.set("internet_open_control_plane", why),
        Err(why) => p.unknown("internet_open_control_plane", why),
    }
    let (state, key) = secrets(c);
    p.set("secrets_encryption", state);
    p.set(
        "secrets_encryption_key",
        key.map_or(Value::Null, Value::from),
    );
    match &c.legacy_abac {
        Some(a) => p.set("legacy_abac", a.enabled),
        None => p.unknown("legacy_abac", format!("{OP} left out legacyAbac")),
    }
    match c.logging_service.trim() {
        "" => p.unknown("logging_service", format!("{OP} left out loggingService")),
        s => p.set("logging_service", s),
    }
    let components: Vec<String> = c
        .logging_config
        .as_ref()
        .and_then(|l| l.component_config.as_ref())
        .map(|cc| {
            cc.enable_components
                .iter()
                .map(|x| x.name().unwrap_or("COMPONENT_UNSPECIFIED").to_string())
                .collect()
        })
        .unwrap_or_default();
    p.set("logging_components", components);
    let pool = c
        .workload_identity_config
        .as_ref()
        .map(|w| w.workload_pool.trim())
        .filter(|w| !w.is_empty());
    p.set("workload_pool", pool.map_or(Value::Null, Value::from));
    match pools_with_default_sa(&c.node_pools) {
        Ok(v) => p.set("node_pools_default_service_account", v),
        Err(why) => p.unknown("node_pools_default_service_account", why),
    }
    match pools_without_auto_upgrade(&c.node_pools) {
        Ok(v) => p.set("node_pools_without_auto_upgrade", v),
        Err(why) => p.unknown("node_pools_without_auto_upgrade", why),
    }
    match &c.shielded_nodes {
        Some(s) => p.set("shielded_nodes", s.enabled),
        None => p.unknown("shielded_nodes", format!("{OP} left out shieldedNodes")),
    }
    p.set("public_nodes", public_nodes(c));
    let location = if c.location.is_empty() {
        "global"
    } else {
        &c.location
    };
    p.into_resource(resource(
        CLUSTER,
        format!(
            "//container.googleapis.com/projects/{project}/locations/{location}/clusters/{}",
            c.name
        ),
        project,
        location,
        c.name.clone(),
        labels(&c.resource_labels),
    ))
}

/// Whether the control plane has a public IP endpoint: the endpoints config when it says so,
/// else the private cluster config; a cluster with neither is public. The older fields are
/// deprecated in favour of `controlPlaneEndpointsConfig` but still the only ones some answers
/// (older clusters, older API front ends) carry.
#[allow(deprecated)]
fn public_endpoint(c: &Cluster) -> bool {
    let ip = c
        .control_plane_endpoints_config
        .as_ref()
        .and_then(|e| e.ip_endpoints_config.as_ref());
    if let Some(ip) = ip {
        if ip.enabled == Some(false) {
            return false;
        }
        if let Some(public) = ip.enable_public_endpoint {
            return public;
        }
    }
    match &c.private_cluster_config {
        Some(pc) => !pc.enable_private_endpoint,
        None => true,
    }
}

/// Authorized networks: enabled, their blocks, and whether every Compute Engine public address
/// is let in too; from the endpoints config, else the older (deprecated) field.
#[allow(deprecated)]
fn authorized_networks(c: &Cluster) -> (bool, Vec<String>, bool) {
    let from_endpoints = c
        .control_plane_endpoints_config
        .as_ref()
        .and_then(|e| e.ip_endpoints_config.as_ref())
        .and_then(|ip| ip.authorized_networks_config.as_ref());
    let cfg: Option<&MasterAuthorizedNetworksConfig> =
        from_endpoints.or(c.master_authorized_networks_config.as_ref());
    match cfg {
        Some(m) => (
            m.enabled,
            m.cidr_blocks
                .iter()
                .map(|b| b.cidr_block.trim().to_string())
                .filter(|b| !b.is_empty())
                .collect(),
            m.gcp_public_cidrs_access_enabled.unwrap_or(false),
        ),
        None => (false, Vec::new(), false),
    }
}

/// Why a public endpoint admits the internet (empty when it does not, or there is none).
fn internet_open(
    public: bool,
    enabled: bool,
    blocks: &[String],
    gcp_public: bool,
    max_prefix: u8,
) -> Result<Vec<String>, String> {
    if !public {
        return Ok(Vec::new());
    }
    if !enabled {
        return Ok(vec![
            "public endpoint without authorized networks".to_string()
        ]);
    }
    let nets = blocks
        .iter()
        .map(|b| net::parse_source(b))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{OP}: authorized network {e}"))?;
    let mut why: Vec<String> = net::why_open(&nets, max_prefix).into_iter().collect();
    if gcp_public {
        why.push("gcpPublicCidrsAccessEnabled: every Compute Engine public address".into());
    }
    Ok(why)
}

/// The application-layer secrets encryption that holds, and its key.
fn secrets(c: &Cluster) -> (&'static str, Option<String>) {
    let Some(d) = &c.database_encryption else {
        return ("DECRYPTED", None);
    };
    let key = Some(d.key_name.trim().to_string()).filter(|k| !k.is_empty());
    let wanted = matches!(
        d.state,
        State::Encrypted | State::AllObjectsEncryptionEnabled
    );
    let state = match &d.current_state {
        Some(
            CurrentState::EncryptionPending
            | CurrentState::DecryptionPending
            | CurrentState::AllObjectsEncryptionPending,
        ) => "PENDING",
        Some(
            CurrentState::EncryptionError
            | CurrentState::DecryptionError
            | CurrentState::AllObjectsEncryptionError,
        ) => "ERROR",
        Some(CurrentState::Decrypted) => "DECRYPTED",
        _ if wanted && key.is_some() => "ENCRYPTED",
        _ => "DECRYPTED",
    };
    (state, key)
}

/// Node pools whose nodes run as the Compute Engine default service account.
fn pools_with_default_sa(pools: &[NodePool]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for pool in pools {
        let Some(cfg) = &pool.config else {
            return Err(format!(
                "{OP} left out the config of node pool {}",
                pool.name
            ));
        };
        let sa = cfg.service_account.trim();
        if sa.is_empty()
            || sa == "default"
            || sa.ends_with("-compute@developer.gserviceaccount.com")
        {
            let scopes = if cfg.oauth_scopes.is_empty() {
                "none".to_string()
            } else {
                cfg.oauth_scopes.join(", ")
            };
            out.push(format!("{} (scopes: {scopes})", pool.name));
        }
    }
    Ok(out)
}

/// Where nodes get external IP addresses: the node pools whose own setting, or the cluster's
/// default it derives from, is public, and `cluster default` when new pools would be.
#[allow(deprecated)]
fn public_nodes(c: &Cluster) -> Vec<String> {
    let default_private = c
        .network_config
        .as_ref()
        .and_then(|n| n.default_enable_private_nodes)
        .or_else(|| {
            c.private_cluster_config
                .as_ref()
                .map(|p| p.enable_private_nodes)
        })
        .unwrap_or(false);
    let mut out: Vec<String> = c
        .node_pools
        .iter()
        .filter(|pool| {
            !pool
                .network_config
                .as_ref()
                .and_then(|n| n.enable_private_nodes)
                .unwrap_or(default_private)
        })
        .map(|pool| pool.name.clone())
        .collect();
    if !default_private {
        out.push("cluster default".to_string());
    }
    out
}

/// Node pools not upgraded automatically.
fn pools_without_auto_upgrade(pools: &[NodePool]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for pool in pools {
        match &pool.management {
            Some(m) if m.auto_upgrade => {}
            Some(_) => out.push(pool.name.clone()),
            None => {
                return Err(format!(
                    "{OP} left out the management settings of node pool {}",
                    pool.name
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(
        public: bool,
        enabled: bool,
        blocks: &[&str],
        gcp: bool,
    ) -> Result<Vec<String>, String> {
        let blocks: Vec<String> = blocks.iter().map(|s| s.to_string()).collect();
        internet_open(public, enabled, &blocks, gcp, 8)
    }

    #[test]
    #[allow(deprecated)]
    fn nodes_are_public_unless_their_pool_or_the_cluster_default_says_private() {
        use google_cloud_container_v1::model::{
            NetworkConfig, NodeNetworkConfig, PrivateClusterConfig,
        };
        let pool = |name: &str, private: Option<bool>| {
            NodePool::new().set_name(name).set_or_clear_network_config(
                private
                    .map(|p| NodeNetworkConfig::new().set_or_clear_enable_private_nodes(Some(p))),
            )
        };
        // Neither default set: a public cluster; a pool may still opt in to private nodes.
        let plain = Cluster::new().set_node_pools([pool("web", None), pool("db", Some(true))]);
        assert_eq!(public_nodes(&plain), ["web", "cluster default"]);
        // A private default; one pool opts out of it.
        let private = Cluster::new()
            .set_network_config(
                NetworkConfig::new().set_or_clear_default_enable_private_nodes(Some(true)),
            )
            .set_node_pools([pool("app", None), pool("edge", Some(false))]);
        assert_eq!(public_nodes(&private), ["edge"]);
        // The older private cluster config still counts, and the newer field wins over it.
        let older = Cluster::new()
            .set_private_cluster_config(PrivateClusterConfig::new().set_enable_private_nodes(true))
            .set_node_pools([pool("app", None)]);
        assert!(public_nodes(&older).is_empty());
        let both = older.set_network_config(
            NetworkConfig::new().set_or_clear_default_enable_private_nodes(Some(false)),
        );
        assert_eq!(public_nodes(&both), ["app", "cluster default"]);
    }

    #[test]
    fn control_plane_exposure_by_cidr_arithmetic() {
        assert!(open(false, false, &[], false).unwrap().is_empty());
        assert_eq!(
            open(true, false, &["10.0.0.0/8"], false).unwrap(),
            ["public endpoint without authorized networks"]
        );
        assert!(open(true, true, &["203.0.113.0/24"], false)
            .unwrap()
            .is_empty());
        assert_eq!(
            open(true, true, &["0.0.0.0/1", "128.0.0.0/1"], false)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(open(true, true, &["0.0.0.0/0"], false).unwrap().len(), 1);
        // Enabled with no block: nothing outside Google's own ranges gets in.
        assert!(open(true, true, &[], false).unwrap().is_empty());
        assert_eq!(
            open(true, true, &["203.0.113.0/24"], true).unwrap(),
            ["gcpPublicCidrsAccessEnabled: every Compute Engine public address"]
        );
        assert!(open(true, true, &["office"], false)
            .unwrap_err()
            .contains("`office`"));
    }
}
