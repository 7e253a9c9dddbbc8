//! IAM: the account summary (root MFA, root keys) and every user with password, MFA and keys.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use aws_sdk_iam::types::{StatusType, SummaryKeyType};
use aws_sdk_iam::Client;
use serde_json::{json, Value};

use super::util::{bounded, code, describe, resource, Found, Props};
use super::Ctx;

const USER: &str = "aws.iam.user";

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
    let resources = bounded(users, ctx.concurrency, move |u| {
        let client = client.clone();
        let account = account.clone();
        async move { user(&client, &account, u).await }
    })
    .await;
    found.resources.extend(resources);
    ctx.progress.done("iam");
    (found, summary)
}

async fn user(
    client: &Client,
    account: &str,
    u: aws_sdk_iam::types::User,
) -> crate::model::Resource {
    let name = u.user_name().to_string();
    let mut p = Props::default();
    let (login, mfa, keys, attached, tags) = tokio::join!(
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
        Ok(policies) => p.set(
            "attached_policies",
            policies
                .iter()
                .filter_map(|a| a.policy_arn())
                .map(|a| json!(a))
                .collect::<Vec<_>>(),
        ),
        Err(e) => p.unknown(
            "attached_policies",
            describe("iam:ListAttachedUserPolicies", &e),
        ),
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
