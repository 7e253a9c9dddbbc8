//! IAM service accounts of one project, each with its user-managed keys.
//!
//! `projects.serviceAccounts.list`, then `projects.serviceAccounts.keys.list` with
//! `keyTypes=USER_MANAGED` for each account, a few at once. A failed account listing is a gap
//! over the kind; a failed key listing leaves that account's keys unknown.

use google_cloud_iam_admin_v1::client::Iam;
use google_cloud_iam_admin_v1::model::list_service_account_keys_request::KeyType;
use google_cloud_iam_admin_v1::model::{
    ServiceAccount, ServiceAccountKey, ServiceAccountKeyOrigin,
};
use serde_json::{json, Value};

use super::Ctx;
use hipaa_scan_core::collect::{bounded, resource, Found, Props};

pub(crate) const SERVICE_ACCOUNT: &str = "gcp.iam.service_account";

/// Key listings made at once.
const KEYS_AT_ONCE: usize = 4;

pub(crate) async fn collect(ctx: &Ctx, project: &str) -> Found {
    let client = ctx.clients.iam.clone();
    let mut found = Found::default();
    let accounts = list_all!(
        client
            .list_service_accounts()
            .set_name(format!("projects/{project}")),
        accounts,
        "iam.serviceAccounts.list"
    );
    if let Some(accounts) = found.listed(accounts, project, None, &[SERVICE_ACCOUNT]) {
        let resources = bounded(accounts, KEYS_AT_ONCE, {
            let project = project.to_string();
            move |sa| {
                let client = client.clone();
                let project = project.clone();
                async move {
                    let keys = user_managed_keys(&client, &sa.name).await;
                    normalize(&project, &sa, keys)
                }
            }
        })
        .await;
        found.resources.extend(resources);
    }
    ctx.progress.done(&format!("service accounts {project}"));
    found
}

/// The account's user-managed keys, or why they are unknown.
async fn user_managed_keys(client: &Iam, account: &str) -> Result<Vec<ServiceAccountKey>, String> {
    client
        .list_service_account_keys()
        .set_name(account)
        .set_key_types([KeyType::UserManaged])
        .send()
        .await
        .map(|r| r.keys)
        .map_err(|e| super::clients::describe("iam.serviceAccountKeys.list", &e))
}

pub(crate) fn normalize(
    project: &str,
    sa: &ServiceAccount,
    keys: Result<Vec<ServiceAccountKey>, String>,
) -> hipaa_scan_core::model::Resource {
    let mut p = Props::default();
    p.set("email", sa.email.clone());
    p.set("disabled", sa.disabled);
    p.set(
        "google_managed",
        super::iam::is_service_agent(&format!("serviceAccount:{}", sa.email)),
    );
    match keys.and_then(|k| key_list(&k)) {
        Ok(list) => p.set("user_managed_keys", list),
        Err(why) => p.unknown("user_managed_keys", why),
    }
    let name = if sa.email.is_empty() {
        sa.name.rsplit('/').next().unwrap_or(&sa.name).to_string()
    } else {
        sa.email.clone()
    };
    p.into_resource(resource(
        SERVICE_ACCOUNT,
        format!("//iam.googleapis.com/projects/{project}/serviceAccounts/{name}"),
        project,
        "global",
        name,
        Default::default(),
    ))
}

/// The user-managed keys as the kind states them. The listing asked for user-managed keys only;
/// one that says it is system-managed is left out. A key without `validAfterTime` has no age:
/// the whole list is then unknown, never a pass.
fn key_list(keys: &[ServiceAccountKey]) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for k in keys
        .iter()
        .filter(|k| !matches!(k.key_type, KeyType::SystemManaged))
    {
        let id = k.name.rsplit('/').next().unwrap_or(&k.name).to_string();
        let valid_after = k
            .valid_after_time
            .as_ref()
            .and_then(rfc3339)
            .ok_or_else(|| {
                format!("iam.serviceAccountKeys.list left out validAfterTime of key {id}")
            })?;
        let valid_before = k
            .valid_before_time
            .as_ref()
            .and_then(rfc3339)
            .map_or(Value::Null, Value::from);
        let origin = match k.key_origin {
            ServiceAccountKeyOrigin::UserProvided => "USER_PROVIDED",
            ServiceAccountKeyOrigin::GoogleProvided => "GOOGLE_PROVIDED",
            _ => "ORIGIN_UNSPECIFIED",
        };
        out.push(json!({
            "id": id,
            "disabled": k.disabled,
            "valid_after": valid_after,
            "valid_before": valid_before,
            "origin": origin,
        }));
    }
    out.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    Ok(out)
}

fn rfc3339(t: &google_cloud_wkt::Timestamp) -> Option<String> {
    let nanos = u32::try_from(t.nanos()).ok()?;
    chrono::DateTime::from_timestamp(t.seconds(), nanos)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str, after: Option<i64>, ty: KeyType) -> ServiceAccountKey {
        let mut k = ServiceAccountKey::new()
            .set_name(format!(
                "projects/p/serviceAccounts/a@p.iam.gserviceaccount.com/keys/{name}"
            ))
            .set_key_type(ty)
            .set_key_origin(ServiceAccountKeyOrigin::GoogleProvided);
        if let Some(s) = after {
            k = k.set_valid_after_time(google_cloud_wkt::Timestamp::clamp(s, 0));
        }
        k
    }

    #[test]
    fn system_managed_keys_are_left_out_and_a_key_without_age_is_unknown() {
        let list = key_list(&[
            key("b", Some(1_700_000_000), KeyType::UserManaged),
            key("s", Some(1_700_000_000), KeyType::SystemManaged),
            key("a", Some(0), KeyType::Unspecified),
        ])
        .unwrap();
        let ids: Vec<&str> = list.iter().filter_map(|k| k["id"].as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(list[1]["valid_after"], "2023-11-14T22:13:20Z");
        assert_eq!(list[1]["valid_before"], Value::Null);
        let why = key_list(&[key("c", None, KeyType::UserManaged)]).unwrap_err();
        assert!(why.contains("validAfterTime of key c"), "{why}");
    }
}
