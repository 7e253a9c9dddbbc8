//! Projects: which to scan, and each project's own settings: its IAM policy's audit configs,
//! combined with those of the folders and organization above it (audit configs are inherited).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use google_cloud_resourcemanager_v3::model::project::State;
use serde_json::{json, Value};
use tokio::sync::{Mutex, OnceCell};

use super::audit::{self, AuditConfig, Level, LogConfig};
use super::clients::{describe, Clients};
use super::iam::{self, Binding};
use super::{labels, Ctx, GcpError};
use hipaa_scan_core::collect::{resource, Found, Props};

pub(crate) const PROJECT: &str = "gcp.project";

/// The active projects to scan: those under `organization` (through its folders), or every
/// project the credentials can see; and the parts of the organization that could not be
/// listed (a folder whose projects or subfolders are unreadable), as (parent, reason). One
/// unreadable folder does not stop the walk; an unreadable organization does.
pub(crate) async fn discover(
    clients: &Clients,
    organization: Option<&str>,
) -> Result<(Vec<String>, Vec<(String, String)>), GcpError> {
    let mut out = Vec::new();
    let mut unread = Vec::new();
    let Some(org) = organization else {
        let projects = list_all!(
            clients.projects.search_projects().set_query("state:ACTIVE"),
            projects,
            "cloudresourcemanager.projects.search"
        )
        .map_err(GcpError::Projects)?;
        out.extend(projects.into_iter().map(|p| p.project_id));
        return Ok((out, unread));
    };
    let org = org.trim_start_matches("organizations/");
    let root = format!("organizations/{org}");
    let mut parents = vec![root.clone()];
    while let Some(parent) = parents.pop() {
        let projects = list_all!(
            clients.projects.list_projects().set_parent(parent.clone()),
            projects,
            "cloudresourcemanager.projects.list"
        );
        let folders = list_all!(
            clients.folders.list_folders().set_parent(parent.clone()),
            folders,
            "cloudresourcemanager.folders.list"
        );
        let mut failures = Vec::new();
        match projects {
            Ok(projects) => out.extend(
                projects
                    .into_iter()
                    .filter(|p| p.state == State::Active)
                    .map(|p| p.project_id),
            ),
            Err(why) => failures.push(why),
        }
        match folders {
            Ok(folders) => parents.extend(folders.into_iter().map(|f| f.name)),
            Err(why) => failures.push(why),
        }
        if !failures.is_empty() {
            if parent == root {
                return Err(GcpError::Projects(failures.join("; ")));
            }
            unread.push((parent, failures.join("; ")));
        }
    }
    Ok((out, unread))
}

/// What the scan learns once about the folders and organizations above its projects, shared by
/// every project below them: each folder's parent, and each ancestor's audit configs.
#[derive(Default)]
pub(crate) struct Hierarchy {
    parents: Memo<Result<String, String>>,
    policies: Memo<Result<Policy, String>>,
}

pub(crate) type Memo<T> = Mutex<HashMap<String, Arc<OnceCell<T>>>>;

/// The value for `key`, computed by `f` the first time only (concurrent askers wait for it).
pub(crate) async fn memo<T: Clone, F: Future<Output = T>>(
    m: &Memo<T>,
    key: &str,
    f: impl FnOnce() -> F,
) -> T {
    let cell = m.lock().await.entry(key.to_string()).or_default().clone();
    cell.get_or_init(f).await.clone()
}

/// Folders nest at most 10 deep under an organization; anything longer is a loop.
const MAX_DEPTH: usize = 12;

/// Asks for policy version 3: below it, a conditional binding comes back under a mangled role
/// name (`roles/editor_withcond_...`) that no check would recognize.
pub(crate) fn policy_v3() -> google_cloud_iam_v1::model::GetPolicyOptions {
    google_cloud_iam_v1::model::GetPolicyOptions::new().set_requested_policy_version(3)
}

/// An IAM policy as `getIamPolicy` answers it: always with an `etag` (the policy's version for
/// concurrency control, present even on an empty policy). An answer without one is not a policy
/// (e.g. a proxy's or a wrong endpoint's body that happens to be JSON), so it is not read as
/// "no bindings".
pub(crate) fn policy_checked(
    p: google_cloud_iam_v1::model::Policy,
    op: &str,
) -> Result<google_cloud_iam_v1::model::Policy, String> {
    if p.etag.is_empty() {
        return Err(format!(
            "{op}: the answer has no etag; it is not an IAM policy"
        ));
    }
    Ok(p)
}

/// What the scan keeps of an IAM policy: its audit configs and its bindings.
type Policy = (Vec<AuditConfig>, Vec<Binding>);

/// The bindings of an IAM policy (any `getIamPolicy` answer of the googleapis clients).
macro_rules! bindings {
    ($policy:expr) => {
        $policy
            .bindings
            .iter()
            .map(|b| Binding {
                role: b.role.clone(),
                members: b.members.clone(),
                conditional: b.condition.is_some(),
            })
            .collect::<Vec<Binding>>()
    };
}

/// The audit configs of an IAM policy (any of the resource manager's `getIamPolicy` answers).
macro_rules! audit_configs {
    ($policy:expr) => {
        $policy
            .audit_configs
            .iter()
            .map(|a| AuditConfig {
                service: a.service.clone(),
                log_configs: a
                    .audit_log_configs
                    .iter()
                    .map(|l| LogConfig {
                        log_type: l.log_type.name().map_or_else(
                            || format!("LOG_TYPE_{}", l.log_type.value().unwrap_or(-1)),
                            str::to_string,
                        ),
                        exempted_members: l.exempted_members.clone(),
                    })
                    .collect(),
            })
            .collect::<Vec<AuditConfig>>()
    };
}

/// The ancestors of a resource whose parent is `parent`, nearest first, up to the organization.
async fn ancestors(ctx: &Ctx, parent: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    let mut next = parent.to_string();
    while !next.is_empty() {
        if out.contains(&next) || out.len() >= MAX_DEPTH {
            return Err(format!(
                "the resource hierarchy above {} does not end in an organization",
                out.first().map_or(parent, String::as_str)
            ));
        }
        out.push(next.clone());
        if next.starts_with("organizations/") {
            break;
        }
        if !next.starts_with("folders/") {
            return Err(format!("unexpected parent `{next}`"));
        }
        let name = next.clone();
        next = memo(&ctx.hierarchy.parents, &name, || async {
            ctx.clients
                .folders
                .get_folder()
                .set_name(name.clone())
                .send()
                .await
                .map(|f| f.parent)
                .map_err(|e| describe("cloudresourcemanager.folders.get", &e))
        })
        .await?;
    }
    Ok(out)
}

/// The audit configs and bindings of a folder or organization, read once per scan.
async fn ancestor_level(ctx: &Ctx, name: &str) -> (Level, iam::Level) {
    let policy = memo(&ctx.hierarchy.policies, name, || async {
        let c = &ctx.clients;
        if name.starts_with("organizations/") {
            c.organizations
                .get_iam_policy()
                .set_resource(name)
                .set_options(policy_v3())
                .send()
                .await
                .map_err(|e| describe("cloudresourcemanager.organizations.getIamPolicy", &e))
                .and_then(|p| policy_checked(p, "cloudresourcemanager.organizations.getIamPolicy"))
                .map(|p| (audit_configs!(p), bindings!(p)))
        } else {
            c.folders
                .get_iam_policy()
                .set_resource(name)
                .set_options(policy_v3())
                .send()
                .await
                .map_err(|e| describe("cloudresourcemanager.folders.getIamPolicy", &e))
                .and_then(|p| policy_checked(p, "cloudresourcemanager.folders.getIamPolicy"))
                .map(|p| (audit_configs!(p), bindings!(p)))
        }
    })
    .await;
    (
        Level {
            resource: name.to_string(),
            configs: policy.clone().map(|p| p.0),
        },
        iam::Level {
            resource: name.to_string(),
            bindings: policy.map(|p| p.1),
        },
    )
}

/// The project resource, and whether Cloud Storage reads and writes are in its effective Data
/// Access audit logs (for the buckets' `data_access_logged`), or why that is unknown.
pub(crate) async fn collect(ctx: &Ctx, project: &str) -> (Found, Result<bool, String>) {
    let c = &ctx.clients.projects;
    let name = format!("projects/{project}");
    let got = c.get_project().set_name(name.clone()).send().await;
    let (number, tags, parent) = match &got {
        // `name` is `projects/NUMBER`; `parent` is empty for a project outside any organization.
        Ok(p) => (
            p.name.trim_start_matches("projects/").to_string(),
            labels(&p.labels),
            Ok(p.parent.clone()),
        ),
        Err(e) => (
            project.to_string(),
            Default::default(),
            Err(describe("cloudresourcemanager.projects.get", e)),
        ),
    };
    let mut p = Props::default();
    // Version 3: a policy with conditional bindings is refused at a lower version.
    let policy = c
        .get_iam_policy()
        .set_resource(name.clone())
        .set_options(policy_v3())
        .send()
        .await
        .map_err(|e| describe("cloudresourcemanager.projects.getIamPolicy", &e))
        .and_then(|p| policy_checked(p, "cloudresourcemanager.projects.getIamPolicy"));
    let own = policy
        .as_ref()
        .map(|p| audit_configs!(p))
        .map_err(Clone::clone);
    let own_bindings = policy.as_ref().map(|p| bindings!(p)).map_err(Clone::clone);
    match &own {
        Ok(configs) => {
            let configs: Vec<Value> = configs
                .iter()
                .map(|a| {
                    let log_types: Vec<&str> =
                        a.log_configs.iter().map(|l| l.log_type.as_str()).collect();
                    json!({ "service": a.service, "log_types": log_types })
                })
                .collect();
            p.set("audit_configs", configs);
        }
        Err(why) => p.unknown("audit_configs", why.clone()),
    }

    let mut levels = vec![Level {
        resource: format!("projects/{number}"),
        configs: own,
    }];
    let mut grants = vec![iam::Level {
        resource: format!("projects/{number}"),
        bindings: own_bindings,
    }];
    let chain = match parent {
        Ok(parent) => ancestors(ctx, &parent).await,
        Err(why) => Err(why),
    };
    match chain {
        Ok(chain) => {
            for a in &chain {
                let (audit, bindings) = ancestor_level(ctx, a).await;
                levels.push(audit);
                grants.push(bindings);
            }
            p.set("ancestors", chain);
        }
        Err(why) => {
            p.unknown("ancestors", why.clone());
            levels.push(Level {
                resource: "the project's ancestors".into(),
                configs: Err(why.clone()),
            });
            grants.push(iam::Level {
                resource: "the project's ancestors".into(),
                bindings: Err(why),
            });
        }
    }
    let all = audit::data_access(&levels, None);
    match all.enabled {
        Ok(v) => p.set("data_access_all_services", v),
        Err(why) => p.unknown("data_access_all_services", why),
    }
    match all.exemptions {
        Ok(v) => p.set("data_access_exemptions", v),
        Err(why) => p.unknown("data_access_exemptions", why),
    }
    let storage = audit::data_access(&levels, Some("storage.googleapis.com")).complete();
    for (prop, found) in [
        ("basic_role_grants", iam::basic_roles_of_people(&grants)),
        (
            "service_account_admin_grants",
            iam::service_account_admins(&grants),
        ),
        (
            "service_account_impersonation_grants",
            iam::impersonation_grants(&grants),
        ),
        (
            "service_account_duty_conflicts",
            iam::service_account_duty_conflicts(&grants),
        ),
        ("kms_duty_conflicts", iam::kms_duty_conflicts(&grants)),
    ] {
        match found {
            Ok(v) => p.set(prop, v),
            Err(why) => p.unknown(prop, why),
        }
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
    (found, storage)
}
