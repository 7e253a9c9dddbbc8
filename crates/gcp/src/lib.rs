//! The live Google Cloud adapter: enumerates projects into normalized resources.
//!
//! Credentials are Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's
//! file, the metadata server) through `google-cloud-auth`. Cloud SQL, Cloud KMS, Compute Engine,
//! IAM service accounts, BigQuery, GKE and Resource Manager are read with googleapis' clients; Cloud Storage bucket metadata with its
//! JSON API and the same credentials (the `google-cloud-storage` crate reads bucket metadata over
//! gRPC only); Cloud Identity / Google Workspace users with the Admin SDK's Directory API, with a
//! token of its own scope, for the customer named or that of the projects' organizations.
//! Every base URL can be pointed elsewhere with `--endpoint NAME=URL`, and Cloud Storage also
//! honours `STORAGE_EMULATOR_HOST`. A call that fails makes its properties unknown or its kinds
//! a gap, so the checks that need them are "not evaluated", never passed. The scan only reads.

/// Every item of a Google list call (`$builder.by_page()`), as `Result<Vec<_>, String>`: the
/// items of field `$field` of each page, or the call's error. A next-page token that repeats
/// ends the list with an error instead of reading the same pages forever. The token is a string
/// in most googleapis crates and an optional string in Compute Engine's; both work.
///
/// With `unreachable`, for calls that list every location at once (`locations/-`), also the
/// locations the answers said could not be reached, sorted and once each, from every page read
/// (the error's too): `(Result<Vec<_>, String>, Vec<String>)`.
macro_rules! list_all {
    ($builder:expr, $field:ident, $op:expr) => {
        list_all!(@read $builder, $op, page, items, { items.extend(page.$field); })
    };
    ($builder:expr, $field:ident, $op:expr, unreachable) => {{
        let mut unreachable: Vec<String> = Vec::new();
        let listed = list_all!(@read $builder, $op, page, items, {
            items.extend(page.$field);
            unreachable.extend(page.unreachable);
        });
        unreachable.sort();
        unreachable.dedup();
        (listed, unreachable)
    }};
    (@read $builder:expr, $op:expr, $page:ident, $items:ident, $take:block) => {{
        let mut pages = $builder.by_page();
        let mut seen = std::collections::HashSet::new();
        let mut $items = Vec::new();
        let mut result: Result<(), String> = Ok(());
        while let Some(page) = google_cloud_gax::paginator::Paginator::next(&mut pages).await {
            match page {
                Ok($page) => {
                    let token = $crate::page_token($page.next_page_token.clone());
                    $take
                    if !token.is_empty() && !seen.insert(token) {
                        result = Err(format!(
                            "{}: the next page token repeats; the list was not read to its end",
                            $op
                        ));
                        break;
                    }
                }
                Err(e) => {
                    result = Err($crate::clients::describe($op, &e));
                    break;
                }
            }
        }
        result.map(|()| $items)
    }};
}

mod audit;
mod bigquery;
mod clients;
mod compute;
mod customer;
mod directory;
mod filestore;
mod gke;
mod iam;
mod in_use;
mod kms;
mod logfilter;
mod logging;
mod project;
mod rest;
mod scc;
mod service_accounts;
mod services;
mod sql;
mod storage;

use std::collections::BTreeMap;
use std::sync::Arc;

use hipaa_scan_core::collect::{bounded, Found, Progress};
use hipaa_scan_core::model::Inventory;

pub use clients::Endpoints;
pub use customer::parse as parse_workspace_customer;
pub use services::reads;

/// How to reach the estate.
#[derive(Debug, Clone)]
pub struct GcpOptions {
    /// Project IDs; empty means every active project the credentials can see (or, with
    /// `organization`, every project under that organization and its folders).
    pub projects: Vec<String>,
    pub organization: Option<String>,
    pub endpoints: Endpoints,
    /// Attempts per call, throttling included.
    pub max_attempts: u32,
    /// Projects read at once.
    pub concurrency: usize,
    /// The longest one call may take, retries and token included; an attempt gets half.
    pub call_timeout: std::time::Duration,
    /// Read only the projects of this shard (stable hash of the project id).
    pub shard: Option<hipaa_scan_core::shard::Shard>,
    /// The Cloud Identity / Google Workspace customer whose users are read (`my_customer` or an
    /// ID, checked by [`parse_workspace_customer`]); `None`: the customer of each organization
    /// the scanned projects belong to.
    pub workspace_customer: Option<String>,
}

/// Attempts per call, throttling included (`--max-attempts`).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
/// Projects read at once (`--concurrency`).
pub const DEFAULT_CONCURRENCY: usize = 4;

impl Default for GcpOptions {
    fn default() -> Self {
        Self {
            projects: Vec::new(),
            organization: None,
            endpoints: Endpoints::default(),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            concurrency: DEFAULT_CONCURRENCY,
            call_timeout: clients::CALL_TIMEOUT,
            shard: None,
            workspace_customer: None,
        }
    }
}

/// Failures that stop the scan before it starts (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum GcpError {
    #[error("cannot load Google Cloud credentials: {0} (run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS)")]
    Credentials(String),
    #[error("cannot create the {service} client: {message}")]
    Client {
        service: &'static str,
        message: String,
    },
    #[error("cannot list projects: {0} (name them with --project)")]
    Projects(String),
    #[error("--endpoint {0}")]
    Endpoint(String),
    #[error("no project to scan: the credentials see none (name them with --project)")]
    NoProjects,
}

/// What every service module needs.
pub(crate) struct Ctx {
    pub clients: clients::Clients,
    pub progress: Progress,
    /// Folders and organizations above the projects, read once per scan.
    pub hierarchy: project::Hierarchy,
    /// The buckets that buckets read in this scan write their usage logs to.
    pub usage_log_targets: std::sync::Mutex<std::collections::BTreeSet<String>>,
    /// What the Cloud Logging reader shares between projects.
    pub logging: logging::Shared,
}

/// Enumerates the projects into an inventory.
pub async fn collect(opts: &GcpOptions) -> Result<Inventory, GcpError> {
    let clients = clients::Clients::new(opts).await?;
    let (mut projects, unread) = if !opts.projects.is_empty() {
        (opts.projects.clone(), Vec::new())
    } else {
        project::discover(&clients, opts.organization.as_deref()).await?
    };
    projects.sort();
    projects.dedup();
    if projects.is_empty() && unread.is_empty() {
        return Err(GcpError::NoProjects);
    }
    // The Workspace users of a customer every shard knows up front (named, or that of
    // `--organization`) belong to one shard, which reads them even with no project of its own.
    let users_here = match (&opts.workspace_customer, &opts.organization) {
        (Some(c), _) => customer::holds(opts.shard, c),
        (None, Some(org)) => customer::holds(opts.shard, &customer::organization_name(org)),
        (None, None) => false,
    };
    if let Some(shard) = opts.shard {
        projects.retain(|p| shard.contains(p));
        if projects.is_empty() && unread.is_empty() && !users_here {
            // This shard holds no project: an empty, complete estate.
            return Ok(Inventory::new(
                chrono::Utc::now(),
                format!("gcp projects: none in shard {shard}"),
            ));
        }
    }

    let ctx = Arc::new(Ctx {
        clients,
        progress: Progress::new(
            "Google Cloud",
            "service-projects",
            // The steps of each project, and the Workspace users.
            services::STEPS_PER_PROJECT * projects.len() as u64 + 1,
        ),
        hierarchy: project::Hierarchy::default(),
        usage_log_targets: Default::default(),
        logging: Default::default(),
    });
    // A named customer's users need nothing from the projects: read beside them.
    let named = opts
        .workspace_customer
        .clone()
        .filter(|c| customer::holds(opts.shard, c));
    let per_project = bounded(projects.clone(), opts.concurrency, {
        let ctx = ctx.clone();
        move |p| {
            let ctx = ctx.clone();
            async move {
                // Each service of the table is read as a task of its own: a panic there is a
                // gap for that service in this project, and the rest goes on.
                let read_all =
                    hipaa_scan_core::collect::read_table(services::SERVICES, ctx.clone(), &p);
                // Cloud Logging needs the project's ancestors (for aggregated sinks).
                let project_and_logging = async {
                    let (proj, logged) = project::collect(&ctx, &p).await;
                    let ancestors = ancestors_of(&proj);
                    let logs = logging::collect(&ctx, &p, ancestors).await;
                    (proj, logged, logs)
                };
                let ((proj, logged, logs), read) = tokio::join!(project_and_logging, read_all);
                let mut found = Found::default();
                found.extend(proj);
                found.extend(logs);
                let project_labels = found
                    .resources
                    .iter()
                    .find(|r| r.kind == project::PROJECT)
                    .map(|r| r.tags.clone());
                for (name, mut f) in read {
                    match name {
                        services::STORAGE => bucket_audit_logging(&mut f, &logged),
                        services::IN_USE => project_labels_on_apis(&mut f, &project_labels),
                        _ => {}
                    }
                    found.extend(f);
                }
                found
            }
        }
    });
    let (per_project, named_users) = tokio::join!(per_project, async {
        match named {
            Some(c) => Some(users(ctx.clone(), c).await),
            None => None,
        }
    });

    let mut found = Found::default();
    for f in per_project {
        found.extend(f);
    }
    let workspace = match named_users {
        Some(users) => users,
        // Named, and another shard's.
        None if opts.workspace_customer.is_some() => Found::default(),
        None => {
            let ancestry: Vec<(String, Result<Vec<String>, String>)> = projects
                .iter()
                .map(|p| {
                    let r = found
                        .resources
                        .iter()
                        .find(|r| r.kind == project::PROJECT && &r.account == p);
                    (p.clone(), ancestors_in(r))
                })
                .collect();
            let (customers, mut f) = customer::from_organizations(
                &ctx,
                opts.organization.as_deref(),
                opts.shard,
                &ancestry,
            )
            .await;
            for c in customers {
                f.extend(users(ctx.clone(), c).await);
            }
            f
        }
    };
    found.extend(workspace);
    ctx.progress.done("workspace users");
    ctx.progress.finish();
    // Folders whose projects could not be listed: everything under them is not evaluated.
    for (parent, why) in unread {
        found.gaps.push(hipaa_scan_core::model::Gap {
            provider: hipaa_scan_core::model::Provider::Gcp,
            account: parent.clone(),
            region: None,
            kinds: vec!["gcp.*".into()],
            reason: format!("the projects under {parent} could not be listed: {why}"),
        });
    }
    // Log buckets: those another bucket of the scan writes its usage logs to, in any project.
    let targets = ctx
        .usage_log_targets
        .lock()
        .map(|t| t.clone())
        .unwrap_or_default();
    for r in found
        .resources
        .iter_mut()
        .filter(|r| r.kind == storage::BUCKET)
    {
        let receives = targets.contains(&r.name);
        r.properties
            .insert("receives_usage_logs".into(), receives.into());
    }
    let source = match opts.shard {
        Some(shard) if projects.is_empty() => format!("gcp projects: none in shard {shard}"),
        _ => format!("gcp projects {}", projects.join(", ")),
    };
    let mut inv = Inventory::new(chrono::Utc::now(), source);
    inv.resources = found.resources;
    inv.gaps = found.gaps;
    inv.resources
        .sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
    Ok(inv)
}

/// Bucket logging counts the project's effective Data Access audit logs too.
fn bucket_audit_logging(buckets: &mut Found, logged: &Result<bool, String>) {
    for b in &mut buckets.resources {
        match logged {
            Ok(v) => {
                b.properties
                    .insert("data_access_logged".into(), (*v).into());
            }
            Err(why) => {
                b.unknown.insert("data_access_logged".into(), why.clone());
            }
        }
    }
}

/// An enabled API has no labels of its own: its data lives in the project, whose labels
/// classify it; where they could not be read, its scope is unknown (and so in scope).
fn project_labels_on_apis(in_use: &mut Found, labels: &Option<BTreeMap<String, String>>) {
    let suffix = format!(".{}", in_use::ENABLED_API);
    for r in in_use
        .resources
        .iter_mut()
        .filter(|r| r.kind.ends_with(&suffix))
    {
        match labels {
            Some(labels) => r.tags = labels.clone(),
            None => {
                r.unknown.insert(
                    "tags".into(),
                    "the project's labels could not be read".into(),
                );
            }
        }
    }
}

/// The users of one Workspace customer, read as a task of its own: a panic there is a gap over
/// `gcp.identity.user` for that customer, and the rest goes on.
async fn users(ctx: Arc<Ctx>, customer: String) -> Found {
    let account = customer.clone();
    hipaa_scan_core::collect::isolated(
        async move { directory::collect(&ctx, &customer).await },
        &[directory::USER],
        "identity",
        &account,
        None,
    )
    .await
}

/// The ancestors the project reader found (`ancestors` of the `gcp.project` resource), or why
/// they are unknown.
fn ancestors_of(found: &Found) -> Result<Vec<String>, String> {
    ancestors_in(found.resources.iter().find(|r| r.kind == project::PROJECT))
}

/// The `ancestors` of a `gcp.project` resource, or why they are unknown.
fn ancestors_in(r: Option<&hipaa_scan_core::model::Resource>) -> Result<Vec<String>, String> {
    let Some(r) = r else {
        return Err("the project could not be read".into());
    };
    if let Some(why) = r.unknown.get("ancestors") {
        return Err(why.clone());
    }
    Ok(r.properties
        .get("ancestors")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// A page's next-page token, whether the crate gives it as `String` or `Option<String>`.
pub(crate) fn page_token(token: impl Into<Option<String>>) -> String {
    token.into().unwrap_or_default()
}

/// Labels as tags.
pub(crate) fn labels<'a>(
    it: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> BTreeMap<String, String> {
    it.into_iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
