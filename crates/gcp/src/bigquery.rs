//! BigQuery: the datasets of one project, hidden ones too (`datasets.list` with `all=true`), each
//! read with `datasets.get` (access policy version 3, so conditional grants keep their roles) for
//! its access entries and default encryption. A failed listing, or a location the listing could
//! not reach, is a gap; a failed `datasets.get` leaves that dataset's access and key unknown.

use google_cloud_bigquery_v2::model::{Access, Dataset, ListFormatDataset};
use serde_json::Value;

use super::{labels, Ctx};
use hipaa_scan_core::collect::{bounded, resource, Found, Props};

pub(crate) const DATASET: &str = "gcp.bigquery.dataset";

/// `datasets.get` calls made at once.
const AT_ONCE: usize = 4;

/// The IAM members that are everyone (every Google account counts as authenticated).
const EVERYONE: [&str; 2] = ["allUsers", "allAuthenticatedUsers"];

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let client = ctx.clients.datasets.clone();
    let mut found = Found::default();
    let (listed, unreachable) = list_all!(
        client.list_datasets().set_project_id(project).set_all(true),
        datasets,
        "bigquery.datasets.list",
        unreachable
    );
    // A location the listing could not reach holds datasets that are unknown, not absent.
    for loc in &unreachable {
        found.gap(
            project,
            Some(loc),
            &[DATASET],
            format!("bigquery.datasets.list: location {loc} was unreachable"),
        );
    }
    if let Some(datasets) = found.listed(listed, project, None, &[DATASET]) {
        let resources = bounded(datasets, AT_ONCE, {
            let project = project.to_string();
            move |d: ListFormatDataset| {
                let client = client.clone();
                let project = project.clone();
                async move {
                    let id = dataset_id(&d);
                    let full = client
                        .get_dataset()
                        .set_project_id(&project)
                        .set_dataset_id(&id)
                        .set_access_policy_version(3)
                        .send()
                        .await
                        .map_err(|e| super::clients::describe("bigquery.datasets.get", &e));
                    normalize(&project, &d, full)
                }
            }
        })
        .await;
        found.resources.extend(resources);
    }
    ctx.progress.done(&format!("bigquery {project}"));
    found
}

fn dataset_id(d: &ListFormatDataset) -> String {
    match &d.dataset_reference {
        Some(r) if !r.dataset_id.is_empty() => r.dataset_id.clone(),
        // `id` is `project:dataset`.
        _ => d.id.rsplit(':').next().unwrap_or(&d.id).to_string(),
    }
}

pub(crate) fn normalize(
    project: &str,
    d: &ListFormatDataset,
    full: Result<Dataset, String>,
) -> hipaa_scan_core::model::Resource {
    let id = dataset_id(d);
    let mut p = Props::default();
    // The dataset's own labels when it could be read, else the listing's.
    let tags = match &full {
        Ok(ds) => {
            let (public, domains) = grants(&ds.access);
            let mut public = public;
            if ds.r#type.eq_ignore_ascii_case("PUBLIC") {
                public.push("type PUBLIC".into());
            }
            p.set("public_access", public);
            p.set("domain_grants", domains);
            let key = ds
                .default_encryption_configuration
                .as_ref()
                .and_then(|c| c.kms_key_name.as_ref())
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty());
            p.set("default_kms_key", key.map_or(Value::Null, Value::from));
            labels(&ds.labels)
        }
        Err(why) => {
            for prop in ["public_access", "domain_grants", "default_kms_key"] {
                p.unknown(prop, why.clone());
            }
            labels(&d.labels)
        }
    };
    let location = match &full {
        Ok(ds) if !ds.location.is_empty() => ds.location.clone(),
        _ if !d.location.is_empty() => d.location.clone(),
        _ => "global".to_string(),
    };
    p.into_resource(resource(
        DATASET,
        format!("//bigquery.googleapis.com/projects/{project}/datasets/{id}"),
        project,
        &location,
        id,
        tags,
    ))
}

/// The access entries that grant everyone a role (`ROLE ENTITY`), and those that grant every
/// account of a domain, each sorted. A condition does not make a public grant private: it may
/// hold at any time.
fn grants(access: &[Access]) -> (Vec<String>, Vec<String>) {
    let mut public = Vec::new();
    let mut domains = Vec::new();
    for a in access {
        let role = if a.role.is_empty() {
            "(no role)"
        } else {
            &a.role
        };
        let conditional = if a.condition.is_some() {
            " (conditional)"
        } else {
            ""
        };
        if a.special_group == "allAuthenticatedUsers" {
            public.push(format!(
                "{role} specialGroup:allAuthenticatedUsers{conditional}"
            ));
        }
        if EVERYONE.contains(&a.iam_member.as_str()) {
            public.push(format!("{role} iamMember:{}{conditional}", a.iam_member));
        }
        if !a.domain.is_empty() {
            domains.push(format!("{role} domain:{}{conditional}", a.domain));
        }
    }
    public.sort();
    domains.sort();
    (public, domains)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyone_is_public_a_domain_and_the_project_are_not() {
        let entry = |f: fn(Access) -> Access| f(Access::new().set_role("READER"));
        let (public, domains) = grants(&[
            entry(|a| a.set_special_group("projectReaders")),
            entry(|a| a.set_special_group("allAuthenticatedUsers")),
            entry(|a| a.set_iam_member("allUsers")),
            entry(|a| a.set_domain("example.com")),
            entry(|a| a.set_group_by_email("phi-readers@example.com")),
            entry(|a| a.set_user_by_email("allUsers@example.com")),
        ]);
        assert_eq!(
            public,
            [
                "READER iamMember:allUsers",
                "READER specialGroup:allAuthenticatedUsers"
            ]
        );
        assert_eq!(domains, ["READER domain:example.com"]);
    }
}
