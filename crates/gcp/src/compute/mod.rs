//! Compute Engine: the VPC firewall rules and the VM instances of one project, with the
//! project-wide metadata the instances inherit (OS Login, the serial console).
//!
//! Three calls per project, made together: `compute.firewalls.list`,
//! `compute.instances.aggregatedList` (every zone in one listing) and `compute.projects.get`. A
//! listing that fails is a gap over its kind; an unreadable project makes only the inherited
//! metadata of the instances unknown.

mod firewall;
mod instance;
#[cfg(test)]
mod tests;

use google_cloud_compute_v1::model::instances_scoped_list::warning::Code as ScopeWarning;

use super::Ctx;
use hipaa_scan_core::collect::Found;

pub(crate) const FIREWALL: &str = "gcp.compute.firewall";
pub(crate) const INSTANCE: &str = "gcp.compute.instance";

/// What the project's common instance metadata says, read once for all its instances.
pub(crate) type ProjectMetadata = Result<Vec<(String, String)>, String>;

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let c = &ctx.clients;
    let (firewalls, instances, metadata) = tokio::join!(
        async {
            list_all!(
                c.firewalls.list().set_project(project),
                items,
                "compute.firewalls.list"
            )
        },
        async {
            list_all!(
                c.instances.aggregated_list().set_project(project),
                items,
                "compute.instances.aggregatedList"
            )
        },
        project_metadata(ctx, project),
    );
    let mut found = Found::default();
    if let Some(rules) = found.listed(firewalls, project, None, &[FIREWALL]) {
        found.resources.extend(
            rules
                .iter()
                .map(|r| firewall::normalize(project, r, hipaa_scan_core::net::max_prefix())),
        );
    }
    if let Some(scopes) = found.listed(instances, project, None, &[INSTANCE]) {
        let mut scopes: Vec<_> = scopes.into_iter().collect();
        scopes.sort_by(|a, b| a.0.cmp(&b.0));
        for (scope, list) in scopes {
            // A zone the listing could not reach answers with a warning instead of its
            // instances: its instances are unknown, not absent.
            if let Some(w) = list
                .warning
                .as_ref()
                .filter(|w| w.code == Some(ScopeWarning::Unreachable))
            {
                let zone = scope.rsplit('/').next().unwrap_or(&scope);
                let message = w.message.as_deref().unwrap_or("unreachable");
                found.gap(
                    project,
                    Some(zone),
                    &[INSTANCE],
                    format!("compute.instances.aggregatedList: UNREACHABLE: {message}"),
                );
            }
            found.resources.extend(
                list.instances
                    .iter()
                    .map(|i| instance::normalize(project, &scope, i, &metadata)),
            );
        }
    }
    ctx.progress.done(&format!("compute {project}"));
    found
}

/// The project's common instance metadata (`commonInstanceMetadata.items`), as key and value.
async fn project_metadata(ctx: &Ctx, project: &str) -> ProjectMetadata {
    let p = ctx
        .clients
        .compute_projects
        .get()
        .set_project(project)
        .send()
        .await
        .map_err(|e| super::clients::describe("compute.projects.get", &e))?;
    Ok(p.common_instance_metadata
        .map(|m| {
            m.items
                .into_iter()
                .filter_map(|i| Some((i.key?, i.value.unwrap_or_default())))
                .collect()
        })
        .unwrap_or_default())
}
