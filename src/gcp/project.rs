//! Projects: which to scan, and each project's own settings (its IAM policy's audit configs).

use google_cloud_gax::paginator::ItemPaginator;
use google_cloud_resourcemanager_v3::model::project::State;
use serde_json::{json, Value};

use super::clients::{describe, Clients};
use super::{labels, Ctx, GcpError};
use crate::collect::{resource, Found, Props};

pub(crate) const PROJECT: &str = "gcp.project";

/// The active projects to scan: those under `organization` (through its folders), or every
/// project the credentials can see.
pub(crate) async fn discover(
    clients: &Clients,
    organization: Option<&str>,
) -> Result<Vec<String>, GcpError> {
    let mut out = Vec::new();
    let Some(org) = organization else {
        let mut items = clients
            .projects
            .search_projects()
            .set_query("state:ACTIVE")
            .by_item();
        while let Some(item) = items.next().await {
            let p = item.map_err(|e| {
                GcpError::Projects(describe("cloudresourcemanager.projects.search", &e))
            })?;
            out.push(p.project_id);
        }
        return Ok(out);
    };
    let org = org.trim_start_matches("organizations/");
    let mut parents = vec![format!("organizations/{org}")];
    while let Some(parent) = parents.pop() {
        let mut items = clients
            .projects
            .list_projects()
            .set_parent(parent.clone())
            .by_item();
        while let Some(item) = items.next().await {
            let p = item.map_err(|e| {
                GcpError::Projects(describe("cloudresourcemanager.projects.list", &e))
            })?;
            if p.state == State::Active {
                out.push(p.project_id);
            }
        }
        let mut folders = clients.folders.list_folders().set_parent(parent).by_item();
        while let Some(item) = folders.next().await {
            let f = item.map_err(|e| {
                GcpError::Projects(describe("cloudresourcemanager.folders.list", &e))
            })?;
            parents.push(f.name);
        }
    }
    Ok(out)
}

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let c = &ctx.clients.projects;
    let name = format!("projects/{project}");
    let (number, tags) = match c.get_project().set_name(name.clone()).send().await {
        // `name` is `projects/NUMBER`.
        Ok(p) => (
            p.name.trim_start_matches("projects/").to_string(),
            labels(&p.labels),
        ),
        Err(_) => (project.to_string(), Default::default()),
    };
    let mut p = Props::default();
    match c.get_iam_policy().set_resource(name).send().await {
        Ok(policy) => {
            let configs: Vec<Value> = policy
                .audit_configs
                .iter()
                .map(|a| {
                    let log_types: Vec<&str> = a
                        .audit_log_configs
                        .iter()
                        .filter_map(|l| l.log_type.name())
                        .collect();
                    json!({ "service": a.service, "log_types": log_types })
                })
                .collect();
            p.set("audit_configs", configs);
        }
        Err(e) => p.unknown(
            "audit_configs",
            describe("cloudresourcemanager.projects.getIamPolicy", &e),
        ),
    }
    ctx.progress.done(&format!("project {project}"));
    let mut found = Found::default();
    found.resources.push(p.into_resource(resource(
        PROJECT,
        format!("//cloudresourcemanager.googleapis.com/projects/{number}"),
        project,
        "global",
        project.to_string(),
        tags,
    )));
    found
}

/// Whether the project's Data Access audit logs cover Cloud Storage reads and writes, from a
/// `gcp.project` resource's `audit_configs`; the reason when those are unknown.
pub(crate) fn storage_data_access_logged(project: &crate::model::Resource) -> Result<bool, String> {
    let Some(configs) = project
        .properties
        .get("audit_configs")
        .and_then(Value::as_array)
    else {
        return Err(project
            .unknown_reason("audit_configs")
            .unwrap_or_else(|| "the project's audit configs were not read".into()));
    };
    let has = |service: &str, log: &str| {
        configs.iter().any(|c| {
            c["service"] == service
                && c["log_types"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|t| t == log))
        })
    };
    Ok(["DATA_READ", "DATA_WRITE"]
        .iter()
        .all(|log| has("allServices", log) || has("storage.googleapis.com", log)))
}
