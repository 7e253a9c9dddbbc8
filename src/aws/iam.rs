//! IAM: the account summary (root MFA, root keys) and every user with password, MFA and keys.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use aws_sdk_iam::types::{PolicyScopeType, StatusType, SummaryKeyType};
use aws_sdk_iam::Client;
use serde_json::{json, Value};

use super::util::{bounded, code, describe, resource, Found, Props};
use super::Ctx;

const USER: &str = "aws.iam.user";
const ROLE: &str = "aws.iam.role";
const POLICY: &str = "aws.iam.policy";

/// Root-user facts for the account resource.
pub struct AccountSummary {
    pub root_mfa_enabled: Result<bool, String>,
    pub root_access_keys_present: Result<bool, String>,
    pub password_policy: Result<Value, String>,
}

pub fn rfc3339(t: &DateTime) -> Value {
    t.fmt(DateTimeFormat::DateTime)
        .map_or(Value::Null, Value::String)
}

pub async fn collect(ctx: Arc<Ctx>) -> (Found, AccountSummary) {
    let client = Client::new(&ctx.config_for(&ctx.home_region));
    let password_policy = match client.get_account_password_policy().send().await {
        Ok(out) => Ok(out.password_policy().map_or(Value::Null, |p| {
            json!({
                "minimum_length": p.minimum_password_length().unwrap_or(0),
                "reuse_prevention": p.password_reuse_prevention().unwrap_or(0),
                "max_age_days": p.max_password_age().unwrap_or(0),
            })
        })),
        Err(e) if code(&e) == Some("NoSuchEntity") => Ok(Value::Null),
        Err(e) => Err(describe("iam:GetAccountPasswordPolicy", &e)),
    };
    let summary = match client.get_account_summary().send().await {
        Ok(out) => {
            let map = out.summary_map().cloned().unwrap_or_default();
            AccountSummary {
                root_mfa_enabled: Ok(map
                    .get(&SummaryKeyType::AccountMfaEnabled)
                    .copied()
                    .unwrap_or(0)
                    > 0),
                root_access_keys_present: Ok(map
                    .get(&SummaryKeyType::AccountAccessKeysPresent)
                    .copied()
                    .unwrap_or(0)
                    > 0),
                password_policy,
            }
        }
        Err(e) => {
            let why = describe("iam:GetAccountSummary", &e);
            AccountSummary {
                root_mfa_enabled: Err(why.clone()),
                root_access_keys_present: Err(why),
                password_policy,
            }
        }
    };
    let mut found = Found::default();
    let mut users = Vec::new();
    let mut pages = client.list_users().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => users.extend(page.users().iter().cloned()),
            Err(e) => {
                found.gap(&ctx.account, None, &[USER], describe("iam:ListUsers", &e));
                ctx.progress.done("iam");
                return (found, summary);
            }
        }
    }
    let account = ctx.account.clone();
    let users_client = client.clone();
    let resources = bounded(users, ctx.concurrency, move |u| {
        let client = users_client.clone();
        let account = account.clone();
        async move { user(&client, &account, u).await }
    })
    .await;
    found.resources.extend(resources);
    found.extend(roles(&ctx, &client).await);
    found.extend(customer_policies(&ctx, &client).await);
    ctx.progress.done("iam");
    (found, summary)
}

/// Roles, with the inline policies that grant full administrator access.
async fn roles(ctx: &Arc<Ctx>, client: &Client) -> Found {
    let mut found = Found::default();
    let listed: Result<Vec<_>, _> = client
        .list_roles()
        .into_paginator()
        .items()
        .send()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect();
    let roles = match listed {
        Ok(r) => r,
        Err(e) => {
            found.gap(&ctx.account, None, &[ROLE], describe("iam:ListRoles", &e));
            return found;
        }
    };
    let account = ctx.account.clone();
    let client = client.clone();
    let resources = bounded(roles, ctx.concurrency, move |r| {
        let client = client.clone();
        let account = account.clone();
        async move {
            let mut p = Props::default();
            match inline_admin(&client, Principal::Role(r.role_name())).await {
                Ok(grants) => p.set("full_admin_grants", grants),
                Err(why) => p.unknown("full_admin_grants", why),
            }
            p.set("path", r.path());
            p.into_resource(resource(
                ROLE,
                r.arn().to_string(),
                &account,
                "global",
                r.role_name().to_string(),
                BTreeMap::new(),
            ))
        }
    })
    .await;
    found.resources.extend(resources);
    found
}

/// Customer managed policies, judged on their default version.
async fn customer_policies(ctx: &Arc<Ctx>, client: &Client) -> Found {
    let mut found = Found::default();
    let listed: Result<Vec<_>, _> = client
        .list_policies()
        .scope(PolicyScopeType::Local)
        .into_paginator()
        .items()
        .send()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect();
    let policies = match listed {
        Ok(p) => p,
        Err(e) => {
            found.gap(
                &ctx.account,
                None,
                &[POLICY],
                describe("iam:ListPolicies", &e),
            );
            return found;
        }
    };
    let account = ctx.account.clone();
    let client = client.clone();
    let resources = bounded(policies, ctx.concurrency, move |pol| {
        let client = client.clone();
        let account = account.clone();
        async move {
            let arn = pol.arn().unwrap_or_default().to_string();
            let mut p = Props::default();
            p.set("attachment_count", pol.attachment_count().unwrap_or(0));
            let version = client
                .get_policy_version()
                .policy_arn(&arn)
                .version_id(pol.default_version_id().unwrap_or("v1"))
                .send()
                .await;
            match version {
                Ok(out) => {
                    let admin = out
                        .policy_version()
                        .and_then(|v| v.document())
                        .is_some_and(allows_full_admin);
                    let grants: Vec<&str> = if admin { vec!["document"] } else { vec![] };
                    p.set("full_admin_grants", grants);
                }
                Err(e) => p.unknown("full_admin_grants", describe("iam:GetPolicyVersion", &e)),
            }
            p.into_resource(resource(
                POLICY,
                arn,
                &account,
                "global",
                pol.policy_name().unwrap_or_default().to_string(),
                BTreeMap::new(),
            ))
        }
    })
    .await;
    found.resources.extend(resources);
    found
}

async fn user(
    client: &Client,
    account: &str,
    u: aws_sdk_iam::types::User,
) -> crate::model::Resource {
    let name = u.user_name().to_string();
    let mut p = Props::default();
    let (login, mfa, keys, attached, tags, inline) = tokio::join!(
        client.get_login_profile().user_name(&name).send(),
        client
            .list_mfa_devices()
            .user_name(&name)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>(),
        client
            .list_access_keys()
            .user_name(&name)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>(),
        client
            .list_attached_user_policies()
            .user_name(&name)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>(),
        client.list_user_tags().user_name(&name).send(),
        inline_admin(client, Principal::User(&name)),
    );
    match login {
        Ok(_) => p.set("password_enabled", true),
        Err(e) if code(&e) == Some("NoSuchEntity") => p.set("password_enabled", false),
        Err(e) => p.unknown("password_enabled", describe("iam:GetLoginProfile", &e)),
    }
    p.set("created", rfc3339(u.create_date()));
    p.set(
        "password_last_used",
        u.password_last_used().map_or(Value::Null, rfc3339),
    );
    match mfa.into_iter().collect::<Result<Vec<_>, _>>() {
        Ok(devices) => p.set("mfa_devices", devices.len()),
        Err(e) => p.unknown("mfa_devices", describe("iam:ListMFADevices", &e)),
    }
    match keys.into_iter().collect::<Result<Vec<_>, _>>() {
        Ok(keys) => {
            let mut list = Vec::new();
            let mut failed = None;
            for k in keys {
                let id = k.access_key_id().unwrap_or_default().to_string();
                let last_used = match client
                    .get_access_key_last_used()
                    .access_key_id(&id)
                    .send()
                    .await
                {
                    Ok(out) => out
                        .access_key_last_used()
                        .and_then(|l| l.last_used_date())
                        .map_or(Value::Null, rfc3339),
                    Err(e) => {
                        failed = Some(describe("iam:GetAccessKeyLastUsed", &e));
                        Value::Null
                    }
                };
                list.push(json!({
                    "id": id,
                    "active": k.status() == Some(&StatusType::Active),
                    "created": k.create_date().map_or(Value::Null, rfc3339),
                    "last_used": last_used,
                }));
            }
            match failed {
                // A key whose last use is unknown must not read as "never used".
                Some(why) => p.unknown("access_keys", why),
                None => p.set("access_keys", list),
            }
        }
        Err(e) => p.unknown("access_keys", describe("iam:ListAccessKeys", &e)),
    }
    match attached.into_iter().collect::<Result<Vec<_>, _>>() {
        Ok(policies) => {
            let arns: Vec<&str> = policies.iter().filter_map(|a| a.policy_arn()).collect();
            match inline {
                Ok(mut grants) => {
                    if arns.contains(&ADMINISTRATOR_ACCESS) {
                        grants.insert(0, ADMINISTRATOR_ACCESS.to_string());
                    }
                    p.set("full_admin_grants", grants);
                }
                Err(why) => p.unknown("full_admin_grants", why),
            }
            p.set("attached_policies", arns);
        }
        Err(e) => {
            let why = describe("iam:ListAttachedUserPolicies", &e);
            p.unknown("attached_policies", why.clone());
            p.unknown("full_admin_grants", why);
        }
    }
    let tags: BTreeMap<String, String> = match tags {
        Ok(out) => out
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect(),
        Err(_) => BTreeMap::new(),
    };
    p.into_resource(resource(
        USER,
        u.arn().to_string(),
        account,
        "global",
        name,
        tags,
    ))
}

/// The AWS managed policy that grants everything.
const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// Whose inline policies to read.
#[derive(Clone, Copy)]
pub enum Principal<'a> {
    User(&'a str),
    Role(&'a str),
}

/// The inline policies of a user or role that allow every action on every resource, as
/// `inline:NAME`; or why they could not be read.
pub async fn inline_admin(client: &Client, who: Principal<'_>) -> Result<Vec<String>, String> {
    let names: Vec<String> = match who {
        Principal::User(u) => client
            .list_user_policies()
            .user_name(u)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|e| describe("iam:ListUserPolicies", &e))?,
        Principal::Role(r) => client
            .list_role_policies()
            .role_name(r)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|e| describe("iam:ListRolePolicies", &e))?,
    };
    let mut out = Vec::new();
    for policy in names {
        let doc = match who {
            Principal::User(u) => client
                .get_user_policy()
                .user_name(u)
                .policy_name(&policy)
                .send()
                .await
                .map(|o| o.policy_document().to_string())
                .map_err(|e| describe("iam:GetUserPolicy", &e))?,
            Principal::Role(r) => client
                .get_role_policy()
                .role_name(r)
                .policy_name(&policy)
                .send()
                .await
                .map(|o| o.policy_document().to_string())
                .map_err(|e| describe("iam:GetRolePolicy", &e))?,
        };
        if allows_full_admin(&doc) {
            out.push(format!("inline:{policy}"));
        }
    }
    Ok(out)
}

/// Whether a policy document (URL-encoded as IAM returns it, or plain JSON) has a statement that
/// allows every action (`*`) on every resource (`*`). Conditions are not weighed: a conditional
/// `*:*` is still full administrator access for whoever meets the condition.
pub fn allows_full_admin(doc: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(doc).decode_utf8_lossy();
    let Ok(v) = serde_json::from_str::<Value>(&decoded) else {
        return false;
    };
    let list = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let statements = match v.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(o @ Value::Object(_)) => vec![o.clone()],
        _ => Vec::new(),
    };
    statements.iter().any(|st| {
        st.get("Effect").and_then(Value::as_str) == Some("Allow")
            && list(st.get("Action"))
                .iter()
                .any(|a| a == "*" || a == "*:*")
            && list(st.get("Resource")).iter().any(|r| r == "*")
    })
}

#[cfg(test)]
mod admin_tests {
    use super::allows_full_admin;

    #[test]
    fn finds_star_on_star_in_plain_and_url_encoded_documents() {
        let admin = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        assert!(allows_full_admin(admin));
        let encoded: String =
            percent_encoding::utf8_percent_encode(admin, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        assert!(allows_full_admin(&encoded));
        let single = r#"{"Statement":{"Effect":"Allow","Action":["s3:*","*"],"Resource":["*"]}}"#;
        assert!(allows_full_admin(single));
        for narrow in [
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*"}]}"#,
            r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#,
            "not json",
        ] {
            assert!(!allows_full_admin(narrow), "{narrow}");
        }
    }
}
