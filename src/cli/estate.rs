//! Reading the estate: snapshots, or a live provider under a deadline; and `inventory`.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use hipaa_scan::model::{load_snapshot, merge, Inventory};
use hipaa_scan::output::write_atomic;

use super::args::{EstateArgs, InventoryArgs, Live};
use super::{input, input_error, print_stdout};

/// `inventory`: the estate as one snapshot document.
pub(crate) fn inventory(args: InventoryArgs) -> Result<u8> {
    let (inv, _) = load_estate(&args.estate)?;
    let mut text = serde_json::to_string_pretty(&inv)?;
    text.push('\n');
    match args.output {
        Some(path) => write_atomic(&path, &text)?,
        None => print_stdout(&text)?,
    }
    Ok(0)
}

pub(crate) fn load_inventory(paths: &[PathBuf]) -> Result<Inventory> {
    let mut all = Vec::new();
    for p in paths {
        all.push(input(
            load_snapshot(p),
            &format!("invalid snapshot {}", p.display()),
        )?);
    }
    merge(all).context("no snapshot given")
}

fn describe(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    format!("snapshot {}", names.join(", "))
}

/// Reads the estate: the snapshots, or the live provider. Returns it with a label for reports.
pub(crate) fn load_estate(estate: &EstateArgs) -> Result<(Inventory, String)> {
    hipaa_scan::net::set_max_prefix(estate.open_prefix);
    if let (Some(shard), None) = (estate.shard(), &estate.live) {
        return Err(input_error(
            "--shard",
            format!("--shard {shard} splits a live estate; snapshots are merged whole"),
        ));
    }
    match (&estate.live, estate.snapshot.is_empty()) {
        (Some(_), false) => {
            bail!("give either --snapshot or a provider (aws, gcp, azure), not both")
        }
        (None, true) => bail!("give --snapshot FILE or a provider, e.g. `hipaa-scan scan aws`"),
        (None, false) => Ok((
            load_inventory(&estate.snapshot)?,
            describe(&estate.snapshot),
        )),
        (Some(live), true) => match live {
            Live::Aws(a) => aws(estate, a),
            Live::Gcp(g) => gcp(estate, g),
            Live::Azure(a) => azure(estate, a),
        },
    }
}

/// `scan aws`: one account, or an organization, through the AWS adapter.
#[cfg(feature = "aws")]
fn aws(estate: &EstateArgs, a: &super::args::AwsArgs) -> Result<(Inventory, String)> {
    let opts = hipaa_scan::aws::AwsOptions {
        profile: a.profile.clone(),
        regions: a.regions.clone(),
        endpoint_url: a.endpoint_url.clone(),
        max_attempts: a.max_attempts,
        concurrency: a.concurrency as usize,
        max_connections: a.max_connections as usize,
        call_timeout: std::time::Duration::from_secs(estate.call_timeout),
        organization: a.organization.then(|| hipaa_scan::aws::Organization {
            role_name: a.assume_role.clone().unwrap_or_default(),
            external_id: a.external_id.clone().filter(|id| !id.is_empty()),
            accounts: a.accounts.iter().map(|s| s.trim().to_string()).collect(),
            exclude_accounts: a
                .exclude_accounts
                .iter()
                .map(|s| s.trim().to_string())
                .collect(),
            account_concurrency: a.account_concurrency as usize,
            session_name: None,
        }),
        shard: estate.shard(),
    };
    let overrides: Vec<String> = a
        .endpoint_url
        .iter()
        .map(|u| format!("--endpoint-url {u}"))
        .collect();
    live(
        hipaa_scan::model::Provider::Aws,
        "cannot scan AWS",
        estate.timeout,
        &overrides,
        hipaa_scan::aws::collect(&opts),
    )
}

/// `scan gcp`: projects, or an organization, through the Google Cloud adapter.
#[cfg(feature = "gcp")]
fn gcp(estate: &EstateArgs, g: &super::args::GcpArgs) -> Result<(Inventory, String)> {
    let endpoints = hipaa_scan::gcp::Endpoints::parse(&g.endpoints)
        .map_err(|e| input_error("gcp", e.to_string()))?;
    let opts = hipaa_scan::gcp::GcpOptions {
        projects: g.projects.clone(),
        organization: g.organization.clone(),
        endpoints,
        max_attempts: g.max_attempts,
        concurrency: g.concurrency as usize,
        call_timeout: std::time::Duration::from_secs(estate.call_timeout),
        shard: estate.shard(),
        workspace_customer: g.workspace_customer.clone(),
    };
    let mut overrides: Vec<String> = g
        .endpoints
        .iter()
        .map(|e| format!("--endpoint {e}"))
        .collect();
    if let Some(host) = std::env::var("STORAGE_EMULATOR_HOST")
        .ok()
        .filter(|h| !h.trim().is_empty())
    {
        overrides.push(format!("STORAGE_EMULATOR_HOST={host}"));
    }
    live(
        hipaa_scan::model::Provider::Gcp,
        "cannot scan Google Cloud",
        estate.timeout,
        &overrides,
        hipaa_scan::gcp::collect(&opts),
    )
}

/// `scan azure`: subscriptions, or a management group, through the Azure adapter.
#[cfg(feature = "azure")]
fn azure(estate: &EstateArgs, a: &super::args::AzureArgs) -> Result<(Inventory, String)> {
    let opts = hipaa_scan::azure::AzureOptions {
        subscriptions: a.subscriptions.clone(),
        management_group: a.management_group.clone(),
        arm_endpoint: Some(a.arm_endpoint.clone()),
        graph_endpoint: Some(a.graph_endpoint.clone()),
        managed_identity: a.managed_identity,
        max_retries: a.max_retries,
        concurrency: a.concurrency as usize,
        call_timeout: std::time::Duration::from_secs(estate.call_timeout),
        shard: estate.shard(),
    };
    let mut overrides = Vec::new();
    if a.arm_endpoint != "https://management.azure.com" {
        overrides.push(format!("--arm-endpoint {}", a.arm_endpoint));
    }
    if a.graph_endpoint != "https://graph.microsoft.com" {
        overrides.push(format!("--graph-endpoint {}", a.graph_endpoint));
    }
    if let Ok(host) = std::env::var("AZURE_AUTHORITY_HOST") {
        overrides.push(format!("AZURE_AUTHORITY_HOST={host}"));
    }
    live(
        hipaa_scan::model::Provider::Azure,
        "cannot scan Azure",
        estate.timeout,
        &overrides,
        hipaa_scan::azure::collect(&opts),
    )
}

#[cfg(not(feature = "aws"))]
fn aws(_: &EstateArgs, _: &super::args::NotBuilt) -> Result<(Inventory, String)> {
    not_built("aws", "AWS")
}

#[cfg(not(feature = "gcp"))]
fn gcp(_: &EstateArgs, _: &super::args::NotBuilt) -> Result<(Inventory, String)> {
    not_built("gcp", "Google Cloud")
}

#[cfg(not(feature = "azure"))]
fn azure(_: &EstateArgs, _: &super::args::NotBuilt) -> Result<(Inventory, String)> {
    not_built("azure", "Azure")
}

/// A provider this binary was built without: an input error (exit 2) that says how to get it.
#[cfg(not(all(feature = "aws", feature = "gcp", feature = "azure")))]
fn not_built(feature: &str, cloud: &str) -> Result<(Inventory, String)> {
    Err(input_error(
        feature,
        format!(
            "this hipaa-scan was built without {cloud} support (the `{feature}` feature); use a release binary or the image, or build with `cargo install --locked --path . --features {feature}`"
        ),
    ))
}

/// Runs a live adapter to completion; a failure to start (no credentials, bad endpoint) is an
/// input error (exit 2). Past `timeout_secs`, the estate is one gap over every kind of the
/// provider: every check is not evaluated (exit 3), and every output is still written. The
/// endpoint overrides in effect are named in the inventory's source, which every report shows.
#[cfg(any(feature = "aws", feature = "gcp", feature = "azure"))]
fn live<E: std::fmt::Display>(
    provider: hipaa_scan::model::Provider,
    context: &'static str,
    timeout_secs: u64,
    overrides: &[String],
    fut: impl std::future::Future<Output = std::result::Result<Inventory, E>>,
) -> Result<(Inventory, String)> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let deadline = std::time::Duration::from_secs(timeout_secs);
    let done = runtime.block_on(async { tokio::time::timeout(deadline, fut).await });
    // Calls still in flight are abandoned, not waited for.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    let inv = match done {
        Ok(read) => {
            read.map_err(|e| input_error(provider.as_str(), e.to_string()).context(context))?
        }
        Err(_) => {
            let mut inv = Inventory::new(
                chrono::Utc::now(),
                format!("{provider} (live, deadline passed)"),
            );
            inv.gaps.push(hipaa_scan::model::Gap {
                provider,
                account: "*".into(),
                region: None,
                kinds: vec![format!("{provider}.*")],
                reason: format!(
                    "the scan deadline of {timeout_secs} s (--timeout) passed before the estate was read"
                ),
            });
            inv
        }
    };
    // What an adapter wrote is held to the schema a snapshot is: a mismatch is a bug, and the
    // scan stops rather than judge properties it cannot trust.
    input(
        hipaa_scan::model::validate_inventory(&inv, &format!("the {provider} adapter")),
        "the live inventory does not match the resource schema (a bug in hipaa-scan: please report it)",
    )?;
    let mut inv = inv;
    if !overrides.is_empty() {
        inv.source = format!(
            "{} [endpoint overrides: {}]",
            inv.source,
            overrides.join(", ")
        );
    }
    let label = inv.source.clone();
    Ok((inv, label))
}
