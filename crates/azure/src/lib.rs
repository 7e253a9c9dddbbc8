//! The live Azure adapter: enumerates subscriptions into normalized resources.
//!
//! Credentials come from `azure_identity`: a service principal secret from the environment
//! (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`), workload identity
//! (`AZURE_FEDERATED_TOKEN_FILE`), managed identity, or the Azure CLI / Azure Developer CLI login.
//! Resource Manager and Microsoft Graph are read over their REST APIs through `azure_core`'s
//! pipeline, with typed handling of the fields the policies need. A call that fails makes its
//! properties unknown or its kinds a gap, so the checks that need them are "not evaluated", never
//! passed. The scan only reads.

mod aiservices;
mod aks;
mod client;
mod compute;
mod databases;
mod datastores;
mod entra;
mod identity;
mod messaging;
mod network;
mod resources;
mod services;
mod sql;
mod storage;
mod subscription;
mod web;

pub use services::reads;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use client::Api;
use hipaa_scan_core::collect::{bounded, Found, Progress, Props};
use hipaa_scan_core::model::{Gap, Inventory, Provider};

/// How to reach the estate.
#[derive(Debug, Clone)]
pub struct AzureOptions {
    /// Subscription IDs; empty means every enabled subscription the credential can see (or,
    /// with `management_group`, every one under that group).
    pub subscriptions: Vec<String>,
    /// A management group: every enabled subscription under it, at any depth.
    pub management_group: Option<String>,
    /// Resource Manager base URL (default `https://management.azure.com`).
    pub arm_endpoint: Option<String>,
    /// Microsoft Graph base URL (default `https://graph.microsoft.com`).
    pub graph_endpoint: Option<String>,
    /// Use managed identity even when no managed-identity variable is set (IMDS on a VM).
    pub managed_identity: bool,
    /// Retries per call, throttling included.
    pub max_retries: u32,
    /// Calls in flight per subscription and service.
    pub concurrency: usize,
    /// The longest one call may take, token and retries included.
    pub call_timeout: std::time::Duration,
    /// Read only the subscriptions of this shard (stable hash of the subscription id).
    pub shard: Option<hipaa_scan_core::shard::Shard>,
}

impl Default for AzureOptions {
    fn default() -> Self {
        Self {
            subscriptions: Vec::new(),
            management_group: None,
            arm_endpoint: None,
            graph_endpoint: None,
            managed_identity: false,
            max_retries: DEFAULT_MAX_RETRIES,
            concurrency: DEFAULT_CONCURRENCY,
            call_timeout: client::CALL_TIMEOUT,
            shard: None,
        }
    }
}

/// Failures that stop the scan before it starts (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum AzureError {
    #[error("cannot set up Azure credentials: {0} (set AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, use workload or managed identity, or run `az login`)")]
    Credentials(String),
    #[error("bad endpoint {0}")]
    Endpoint(String),
    #[error("cannot list subscriptions: {0} (name them with --subscription)")]
    Subscriptions(String),
    #[error("no subscription to scan: the credential sees none (name them with --subscription)")]
    NoSubscriptions,
}

/// What every service module needs.
pub(crate) struct Ctx {
    pub arm: Api,
    pub concurrency: usize,
    pub progress: Progress,
}

/// Resource Manager's public-cloud base URL (`--arm-endpoint`).
pub const DEFAULT_ARM_ENDPOINT: &str = "https://management.azure.com";
/// Microsoft Graph's public-cloud base URL (`--graph-endpoint`).
pub const DEFAULT_GRAPH_ENDPOINT: &str = "https://graph.microsoft.com";
/// Retries per call, throttling included (`--max-retries`).
pub const DEFAULT_MAX_RETRIES: u32 = 7;
/// Calls in flight per subscription and service (`--concurrency`).
pub const DEFAULT_CONCURRENCY: usize = 8;
const ARM: &str = DEFAULT_ARM_ENDPOINT;
const GRAPH: &str = DEFAULT_GRAPH_ENDPOINT;

/// A subscription to scan and its tenant.
struct Subscription {
    id: String,
    tenant: Option<String>,
}

/// Every enabled subscription under a management group, at any depth (Management Groups
/// `descendants`, which lists child groups and subscriptions alike). Each subscription is read
/// for its state and tenant: a disabled one is not scanned (it is reported as a gap); one that
/// cannot be read is kept, and the scan reports what it could not read there.
async fn management_group_subscriptions(
    arm: &client::Api,
    group: &str,
    skipped: &mut Vec<(String, String)>,
) -> Result<Vec<Subscription>, AzureError> {
    if group.is_empty()
        || !group
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.()".contains(c))
    {
        return Err(AzureError::Subscriptions(format!(
            "`{group}` is not a management group ID"
        )));
    }
    let descendants = arm
        .list(
            "Microsoft.Management/managementGroups/descendants/read",
            &format!("/providers/Microsoft.Management/managementGroups/{group}/descendants"),
            Some(MANAGEMENT_GROUPS_API),
        )
        .await
        .map_err(|e| AzureError::Subscriptions(format!("management group {group}: {e}")))?;
    let ids: Vec<String> = descendants
        .iter()
        .filter(|d| {
            d["type"].as_str().is_some_and(|t| {
                t.eq_ignore_ascii_case("Microsoft.Management/managementGroups/subscriptions")
            })
        })
        .filter_map(|d| d["name"].as_str().map(str::to_string))
        .collect();
    let mut subs = Vec::new();
    for id in ids {
        let read = arm
            .get(
                "Microsoft.Resources/subscriptions/read",
                &format!("/subscriptions/{id}"),
                Some(subscription::SUBSCRIPTIONS_API),
            )
            .await
            .ok();
        let state = read.as_ref().and_then(|s| s["state"].as_str());
        if let Some(state @ ("Disabled" | "Deleted")) = state {
            skipped.push((id, state.to_string()));
            continue;
        }
        subs.push(Subscription {
            tenant: read
                .as_ref()
                .and_then(|s| s["tenantId"].as_str().map(str::to_string)),
            id,
        });
    }
    Ok(subs)
}

/// The Management Groups API version.
const MANAGEMENT_GROUPS_API: &str = "2020-05-01";

/// Enumerates the subscriptions (and their tenants' users) into an inventory.
pub async fn collect(opts: &AzureOptions) -> Result<Inventory, AzureError> {
    let identity = identity::Identity::from_env(opts.managed_identity);
    let cred = identity.credential()?;
    let retries = opts.max_retries;
    let arm_base = opts.arm_endpoint.clone().unwrap_or_else(|| ARM.to_string());
    let graph_base = opts
        .graph_endpoint
        .clone()
        .unwrap_or_else(|| GRAPH.to_string());
    for base in [&arm_base, &graph_base] {
        if !base.starts_with("https://") {
            return Err(AzureError::Endpoint(format!(
                "`{base}`: tokens are only sent over https"
            )));
        }
    }
    let arm = Api::new(
        cred.clone(),
        &arm_base,
        &format!("{ARM}/.default"),
        "nextLink",
        retries,
        opts.call_timeout,
    )
    .map_err(AzureError::Endpoint)?;
    // Microsoft Graph: each tenant's users through a credential for that tenant (entra::graphs).
    let graph = entra::GraphSettings {
        base: graph_base,
        retries,
        call_timeout: opts.call_timeout,
    };
    graph.api(cred.clone()).map_err(AzureError::Endpoint)?;

    let mut subs = Vec::new();
    // Subscriptions seen but not scanned, with their state: each becomes a gap, never dropped.
    let mut skipped: Vec<(String, String)> = Vec::new();
    if let Some(group) = &opts.management_group {
        subs = management_group_subscriptions(&arm, group, &mut skipped).await?;
    } else if opts.subscriptions.is_empty() {
        let all = arm
            .list(
                "Microsoft.Resources/subscriptions/read",
                "/subscriptions",
                Some(subscription::SUBSCRIPTIONS_API),
            )
            .await
            .map_err(AzureError::Subscriptions)?;
        for s in all {
            // `Warned` and `PastDue` subscriptions still run (and hold data); only disabled and
            // deleted ones are skipped.
            let Some(id) = s["subscriptionId"].as_str() else {
                continue;
            };
            match s["state"].as_str() {
                Some("Enabled" | "Warned" | "PastDue") => subs.push(Subscription {
                    id: id.to_string(),
                    tenant: s["tenantId"].as_str().map(str::to_string),
                }),
                state => skipped.push((id.to_string(), state.unwrap_or("in no state").to_string())),
            }
        }
    } else {
        for id in &opts.subscriptions {
            // The tenant, for the Graph part; a failure here is reported by the scan itself.
            let tenant = arm
                .get(
                    "Microsoft.Resources/subscriptions/read",
                    &format!("/subscriptions/{id}"),
                    Some(subscription::SUBSCRIPTIONS_API),
                )
                .await
                .ok()
                .and_then(|s| s["tenantId"].as_str().map(str::to_string));
            subs.push(Subscription {
                id: id.clone(),
                tenant,
            });
        }
    }
    subs.sort_by(|a, b| a.id.cmp(&b.id));
    subs.dedup_by(|a, b| a.id == b.id);
    if subs.is_empty() && skipped.is_empty() {
        return Err(AzureError::NoSubscriptions);
    }
    let skipped_gap = |(id, state): (String, String)| Gap {
        provider: Provider::Azure,
        account: id,
        region: None,
        kinds: vec!["azure.*".into()],
        reason: format!("the subscription is {state}: not scanned"),
    };
    let mut tenants: Vec<String> = subs.iter().filter_map(|s| s.tenant.clone()).collect();
    tenants.sort();
    tenants.dedup();
    if tenants.is_empty() {
        if let Ok(t) = std::env::var("AZURE_TENANT_ID") {
            tenants.push(t);
        }
    }
    if let Some(shard) = opts.shard {
        // Subscriptions by their own hash; a tenant's users by the tenant's, so exactly one
        // shard reads them.
        subs.retain(|s| shard.contains(&s.id));
        tenants.retain(|t| shard.contains(t));
        skipped.retain(|(id, _)| shard.contains(id));
        if subs.is_empty() && tenants.is_empty() {
            let mut inv = Inventory::new(
                chrono::Utc::now(),
                format!("azure subscriptions: none in shard {shard}"),
            );
            inv.gaps = skipped.into_iter().map(skipped_gap).collect();
            return Ok(inv);
        }
    }

    let ids: Vec<String> = subs.iter().map(|s| s.id.clone()).collect();
    let graphs = entra::graphs(&identity, &graph, cred, &tenants).await;
    let ctx = Arc::new(Ctx {
        arm,
        concurrency: opts.concurrency.max(1),
        progress: Progress::new(
            "Azure",
            "service-subscriptions",
            (services::SERVICES.len() * ids.len() + tenants.len()) as u64,
        ),
    });
    let per_sub = bounded(ids.clone(), 4, {
        let ctx = ctx.clone();
        move |id| {
            let ctx = ctx.clone();
            async move {
                // Each service is read as a task of its own: a panic there is a gap over what
                // that service reads in this subscription, and the rest goes on.
                let mut found = Found::default();
                for (_, f) in
                    hipaa_scan_core::collect::read_table(services::SERVICES, ctx, &id).await
                {
                    found.extend(f);
                }
                found
            }
        }
    });
    let users = bounded(graphs, 2, {
        let ctx = ctx.clone();
        move |(t, graph)| {
            let ctx = ctx.clone();
            async move { entra::collect(&ctx, &graph, &t).await }
        }
    });
    let (per_sub, users) = tokio::join!(per_sub, users);
    ctx.progress.finish();

    let mut found = Found::default();
    for f in per_sub.into_iter().chain(users) {
        found.extend(f);
    }
    let mut inv = Inventory::new(
        chrono::Utc::now(),
        format!("azure subscriptions {}", ids.join(", ")),
    );
    inv.resources = found.resources;
    inv.gaps = found.gaps;
    inv.gaps.extend(skipped.into_iter().map(skipped_gap));
    inv.resources
        .sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
    Ok(inv)
}

/// The common fields of an ARM resource: (id, name, location, tags).
pub(crate) fn arm_fields(v: &Value) -> Option<(String, String, String, BTreeMap<String, String>)> {
    let id = v["id"].as_str()?.to_string();
    let name = v["name"]
        .as_str()
        .unwrap_or_else(|| id.rsplit('/').next().unwrap_or(&id))
        .to_string();
    let location = v["location"]
        .as_str()
        .unwrap_or("global")
        .to_ascii_lowercase();
    let tags = v["tags"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    Some((id, name, location, tags))
}

/// Sets `name` from what an interpreter read, or marks it unknown with the reason.
pub(crate) fn put<T: Into<Value>>(p: &mut Props, name: &str, read: Result<T, String>) {
    match read {
        Ok(v) => p.set(name, v),
        Err(why) => p.unknown(name, why),
    }
}

/// Why a field is unknown: the call that answered without it.
pub(crate) fn absent(op: &str, field: &str) -> String {
    format!("{op}: the answer has no `{field}`")
}

/// Why a field is unknown: the call answered with a value the scanner does not know.
pub(crate) fn unexpected(op: &str, field: &str, v: &Value) -> String {
    format!("{op}: unexpected `{field}` {v}")
}

/// Runs futures with at most `limit` at a time, keeping their order. Unlike
/// [`hipaa_scan_core::collect::bounded`], the futures may borrow (the API clients live in `Ctx`).
pub(crate) async fn in_order<F: std::future::Future>(
    limit: usize,
    futs: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    use futures::stream::StreamExt;
    futures::stream::iter(futs)
        .buffered(limit.max(1))
        .collect()
        .await
}
