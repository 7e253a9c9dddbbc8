//! Services in use, beyond the ones the catalog reads: every resource Cloud Asset Inventory
//! knows of in the project (`searchAllResources`), and every API enabled there (Service Usage)
//! that holds none of them, such as a Firebase or Generative Language API called with ePHI.
//! Each becomes a resource of kind `gcp.<API service name>.<type>` (`bigquery.googleapis.com/
//! Dataset` → `gcp.bigquery.dataset`; an enabled API → `gcp.<service>.enabled_api`), so the BAA
//! eligibility check sees every service that may hold ePHI, labelled or not.

use std::collections::{BTreeMap, BTreeSet};

use hipaa_scan_core::collect::{resource, Found};
use hipaa_scan_core::model::kinds::{parse_kind, type_segment};
use hipaa_scan_core::model::Resource;

use super::Ctx;

/// What a failed Cloud Asset Inventory search leaves unknown: which services hold resources.
pub const ANY_RESOURCE: &str = "gcp.cloudasset.resource";
/// What a failed Service Usage listing leaves unknown: which APIs are enabled.
pub const ANY_API: &str = "gcp.serviceusage.enabled_api";
/// The type of an enabled API's resource.
pub const ENABLED_API: &str = "enabled_api";

/// Asset types that this adapter's own readers list in full, with their properties, under the
/// kinds named here. Service Usage's own asset type is read from Service Usage.
const READ_ELSEWHERE: &[(&str, &str)] = &[
    ("storage.googleapis.com/Bucket", "gcp.storage.bucket"),
    ("sqladmin.googleapis.com/Instance", "gcp.sql.instance"),
    ("cloudkms.googleapis.com/CryptoKey", "gcp.kms.key"),
    ("compute.googleapis.com/Instance", "gcp.compute.instance"),
    ("compute.googleapis.com/Firewall", "gcp.compute.firewall"),
    (
        "iam.googleapis.com/ServiceAccount",
        "gcp.iam.service_account",
    ),
    ("bigquery.googleapis.com/Dataset", "gcp.bigquery.dataset"),
    ("container.googleapis.com/Cluster", "gcp.container.cluster"),
    ("file.googleapis.com/Instance", "gcp.file.instance"),
    ("cloudresourcemanager.googleapis.com/Project", "gcp.project"),
    ("serviceusage.googleapis.com/Service", ANY_API),
];

/// The API service name of an asset type (`bigquery` in `bigquery.googleapis.com/Dataset`), or
/// `None` for types outside Google's APIs: Kubernetes objects (`k8s.io/Pod`,
/// `apps.k8s.io/Deployment`) live inside a GKE cluster, which is listed as
/// `container.googleapis.com/Cluster`.
fn service_of(asset_type: &str) -> Option<&str> {
    let (host, _) = asset_type.split_once('/')?;
    host.strip_suffix(".googleapis.com")
        .filter(|s| !s.is_empty() && !s.contains('.'))
}

/// The kind of a Cloud Asset Inventory asset type: `gcp.<service>.<type in snake case>`.
pub fn kind_of_asset_type(asset_type: &str) -> Option<String> {
    let service = service_of(asset_type)?;
    let (_, ty) = asset_type.split_once('/')?;
    let ty = type_segment(ty);
    if ty.is_empty() {
        return None;
    }
    let kind = format!("gcp.{}.{ty}", service.to_ascii_lowercase());
    parse_kind(&kind).is_some().then_some(kind)
}

/// The kind of an enabled API (`vision.googleapis.com` → `gcp.vision.enabled_api`); APIs outside
/// `googleapis.com` (partner services from the Marketplace) keep their host's first label.
pub fn kind_of_api(service: &str) -> Option<String> {
    let name = service.strip_suffix(".googleapis.com").unwrap_or(service);
    let name = name.split('.').next().unwrap_or(name);
    let kind = format!("gcp.{}.{ENABLED_API}", name.to_ascii_lowercase());
    (!name.is_empty() && parse_kind(&kind).is_some()).then_some(kind)
}

/// The service segment of a kind (`bigquery` in `gcp.bigquery.dataset`).
fn service_of_kind(kind: &str) -> Option<&str> {
    parse_kind(kind).map(|(_, service)| service)
}

pub async fn collect(ctx: &Ctx, project: &str) -> Found {
    let (assets, apis) = tokio::join!(assets(ctx, project), apis(ctx, project));
    let mut found = Found::default();
    // Services that hold a resource here, by the service segment of the API name: an enabled
    // API among them is already seen through its resources.
    let mut holding: BTreeSet<String> = BTreeSet::new();
    match assets {
        Ok((list, elsewhere)) => {
            holding.extend(elsewhere);
            for r in list {
                holding.extend(service_of_kind(&r.kind).map(str::to_string));
                found.resources.push(r);
            }
        }
        Err(why) => found.gap(project, None, &[ANY_RESOURCE], why),
    }
    match apis {
        Ok(list) => {
            for service in list {
                let Some(kind) = kind_of_api(&service) else {
                    continue;
                };
                if service_of_kind(&kind).is_some_and(|s| holding.contains(s)) {
                    continue;
                }
                // Kinds without a schema carry no properties: the service name is the name.
                found.resources.push(resource(
                    &kind,
                    format!("projects/{project}/services/{service}"),
                    project,
                    "global",
                    service,
                    BTreeMap::new(),
                ));
            }
        }
        Err(why) => found.gap(project, None, &[ANY_API], why),
    }
    ctx.progress.done(&format!("services in use {project}"));
    found
}

/// Every resource Cloud Asset Inventory finds in the project, except those of kinds the
/// adapter reads itself; and the services of those (which hold resources too).
async fn assets(ctx: &Ctx, project: &str) -> Result<(Vec<Resource>, BTreeSet<String>), String> {
    const OP: &str = "cloudasset.assets.searchAllResources";
    let results = list_all!(
        ctx.clients
            .assets
            .search_all_resources()
            .set_scope(format!("projects/{project}"))
            .set_page_size(500),
        results,
        OP
    )?;
    let mut out = Vec::new();
    let mut elsewhere = BTreeSet::new();
    for a in results {
        if let Some((_, kind)) = READ_ELSEWHERE.iter().find(|(t, _)| *t == a.asset_type) {
            // Service Usage's own assets are the enabled APIs, not resources that it holds.
            if *kind != ANY_API {
                elsewhere.extend(service_of(&a.asset_type).map(str::to_string));
            }
            continue;
        }
        let Some(kind) = kind_of_asset_type(&a.asset_type) else {
            continue;
        };
        let name = if a.display_name.is_empty() {
            a.name.rsplit('/').next().unwrap_or(&a.name).to_string()
        } else {
            a.display_name.clone()
        };
        let region = if a.location.is_empty() {
            "global"
        } else {
            a.location.as_str()
        };
        out.push(resource(
            &kind,
            a.name.clone(),
            project,
            region,
            name,
            super::labels(&a.labels),
        ));
    }
    Ok((out, elsewhere))
}

/// The names of the APIs enabled in the project.
async fn apis(ctx: &Ctx, project: &str) -> Result<Vec<String>, String> {
    const OP: &str = "serviceusage.services.list";
    let services = list_all!(
        ctx.clients
            .service_usage
            .list_services()
            .set_parent(format!("projects/{project}"))
            .set_filter("state:ENABLED")
            .set_page_size(200),
        services,
        OP
    )?;
    Ok(services
        .into_iter()
        .filter(|s| s.state == google_cloud_api_serviceusage_v1::model::State::Enabled)
        .filter_map(|s| {
            let config = s.config.unwrap_or_default();
            let service = if config.name.is_empty() {
                s.name.rsplit('/').next()?.to_string()
            } else {
                config.name
            };
            (!service.is_empty()).then_some(service)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_types_become_kinds_named_after_the_api() {
        for (ty, kind) in [
            (
                "bigquery.googleapis.com/Dataset",
                Some("gcp.bigquery.dataset"),
            ),
            (
                "cloudkms.googleapis.com/CryptoKeyVersion",
                Some("gcp.cloudkms.crypto_key_version"),
            ),
            (
                "firebasedatabase.googleapis.com/Instance",
                Some("gcp.firebasedatabase.instance"),
            ),
            ("run.googleapis.com/Service", Some("gcp.run.service")),
            ("k8s.io/Pod", None),
            ("apps.k8s.io/Deployment", None),
            ("nonsense", None),
            (".googleapis.com/X", None),
        ] {
            assert_eq!(kind_of_asset_type(ty).as_deref(), kind, "{ty}");
        }
    }

    #[test]
    fn enabled_apis_become_kinds_named_after_the_service() {
        assert_eq!(
            kind_of_api("vision.googleapis.com").as_deref(),
            Some("gcp.vision.enabled_api")
        );
        assert_eq!(
            kind_of_api("storage-api.googleapis.com").as_deref(),
            Some("gcp.storage-api.enabled_api")
        );
        assert_eq!(
            kind_of_api("partner.example.com").as_deref(),
            Some("gcp.partner.enabled_api")
        );
        assert_eq!(kind_of_api(""), None);
    }

    #[test]
    fn the_kinds_read_elsewhere_are_schema_kinds() {
        for (_, kind) in READ_ELSEWHERE.iter().filter(|(_, k)| *k != ANY_API) {
            assert!(
                hipaa_scan_core::model::kind_spec(kind).is_some(),
                "{kind} has no schema"
            );
        }
    }
}
