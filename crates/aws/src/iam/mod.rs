//! IAM: the account summary (root MFA, root keys) and every user with password, MFA and keys.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use aws_sdk_iam::types::{PolicyScopeType, StatusType, SummaryKeyType};
use aws_sdk_iam::Client;
use serde_json::{json, Value};

use hipaa_scan_core::iam_doc;

use super::util::{all, bounded, code, describe, resource, Found, Props};
use super::Ctx;

mod principals;
use principals::*;

mod policies;
use policies::*;

const USER: &str = "aws.iam.user";
const ROLE: &str = "aws.iam.role";
const POLICY: &str = "aws.iam.policy";
const GROUP: &str = "aws.iam.group";

/// Root-user facts for the account resource.
pub struct AccountSummary {
    pub root_mfa_enabled: Result<bool, String>,
    pub root_access_keys_present: Result<bool, String>,
    /// `AccountPasswordPresent`, when the summary has it (centralized root access removes the
    /// root password of member accounts).
    pub root_password_present: Option<bool>,
    pub password_policy: Result<Value, String>,
    /// A virtual MFA device is assigned to the root user.
    pub root_virtual_mfa: Result<bool, String>,
    /// A role has `AWSSupportAccess` attached.
    pub support_role: Result<bool, String>,
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
                root_password_present: map
                    .get(&SummaryKeyType::AccountPasswordPresent)
                    .map(|n| *n > 0),
                password_policy,
                root_virtual_mfa: Err(String::new()),
                support_role: Err(String::new()),
            }
        }
        Err(e) => {
            let why = describe("iam:GetAccountSummary", &e);
            AccountSummary {
                root_mfa_enabled: Err(why.clone()),
                root_access_keys_present: Err(why),
                root_password_present: None,
                password_policy,
                root_virtual_mfa: Err(String::new()),
                support_role: Err(String::new()),
            }
        }
    };
    let mut summary = summary;
    summary.root_virtual_mfa = root_virtual_mfa(&client).await;
    summary.support_role = support_role(&client, &ctx).await;
    let mut found = Found::default();
    found.extend(server_certificates(&ctx, &client).await);
    let listed = all(
        "iam:ListUsers",
        client
            .list_users()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(users) = found.listed(listed, &ctx.account, None, &[USER]) else {
        ctx.progress.done("iam");
        return (found, summary);
    };
    // Customer managed policies first: a user or group holding an administrator policy holds
    // administrator access. Then groups: a user holds what its groups hold.
    let (policies_found, admin_policies) = customer_policies(&ctx, &client).await;
    found.extend(policies_found);
    let admin_policies = Arc::new(admin_policies);
    let (groups_found, by_member, membership) = groups(&ctx, &client, admin_policies.clone()).await;
    let membership = Arc::new(membership);
    found.extend(groups_found);
    let by_member = Arc::new(by_member);
    let account = ctx.account.clone();
    let users_client = client.clone();
    let resources = bounded(users, ctx.concurrency, move |u| {
        let client = users_client.clone();
        let account = account.clone();
        let admin_policies = admin_policies.clone();
        let by_member = by_member.clone();
        let membership = membership.clone();
        async move {
            user(
                &client,
                &account,
                u,
                &admin_policies,
                &by_member,
                &membership,
            )
            .await
        }
    })
    .await;
    found.resources.extend(resources);
    found.extend(roles(&ctx, &client).await);
    ctx.progress.done("iam");
    (found, summary)
}

/// Whether a virtual MFA device is assigned to the root user (its ARN ends in `:root`, its serial
/// in `/root-account-mfa-device`).
async fn root_virtual_mfa(client: &Client) -> Result<bool, String> {
    let devices = all(
        "iam:ListVirtualMFADevices",
        client
            .list_virtual_mfa_devices()
            .assignment_status(aws_sdk_iam::types::AssignmentStatusType::Assigned)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    )?;
    Ok(devices.iter().any(|d| {
        d.user().is_some_and(|u| u.arn().ends_with(":root"))
            || d.serial_number().ends_with("/root-account-mfa-device")
    }))
}

/// Whether some role has the AWS managed policy `AWSSupportAccess` attached (CIS AWS
/// Foundations 1.17), in the account's partition.
async fn support_role(client: &Client, ctx: &Ctx) -> Result<bool, String> {
    let partition = ctx.partition();
    let roles = all(
        "iam:ListEntitiesForPolicy",
        client
            .list_entities_for_policy()
            .policy_arn(format!("arn:{partition}:iam::aws:policy/AWSSupportAccess"))
            .entity_filter(aws_sdk_iam::types::EntityType::Role)
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await,
    )?;
    Ok(roles.iter().any(|p| !p.policy_roles().is_empty()))
}

/// Server certificates stored in IAM, with their expiry.
async fn server_certificates(ctx: &Ctx, client: &Client) -> Found {
    const KIND: &str = "aws.iam.server_certificate";
    let mut found = Found::default();
    let listed = all(
        "iam:ListServerCertificates",
        client
            .list_server_certificates()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    for c in found
        .listed(listed, &ctx.account, None, &[KIND])
        .unwrap_or_default()
    {
        let mut p = Props::default();
        match c.expiration() {
            Some(t) => p.set("expiration", rfc3339(t)),
            None => p.unknown(
                "expiration",
                "iam:ListServerCertificates: the answer had no `Expiration`",
            ),
        }
        found.resources.push(p.into_resource(resource(
            KIND,
            c.arn().to_string(),
            &ctx.account,
            "global",
            c.server_certificate_name().to_string(),
            BTreeMap::new(),
        )));
    }
    found
}

/// Customer managed policies that grant full administrator access, by ARN; an error when the
/// policies could not all be read.
type AdminPolicies = Result<BTreeSet<String>, String>;

/// Per user name: the administrator grants it holds through its groups (`group:NAME:GRANT`);
/// an error when the groups could not all be read.
type GroupGrants = Result<HashMap<String, Vec<String>>, String>;

/// Per user name: the groups it belongs to; an error when the groups could not all be read.
type Membership = Result<HashMap<String, Vec<String>>, String>;

/// Administrator grants from managed policy ARNs: AdministratorAccess (any partition) and the
/// customer policies that grant it; unknown while the customer policies are.
fn managed_admin(arns: &[&str], admin_policies: &AdminPolicies) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for arn in arns {
        if iam_doc::is_administrator_access(arn) {
            out.push(arn.to_string());
        } else if !arn.contains(":iam::aws:policy/") {
            match admin_policies {
                Ok(set) if set.contains(*arn) => out.push(arn.to_string()),
                Ok(_) => {}
                Err(why) => return Err(why.clone()),
            }
        }
    }
    Ok(out)
}

async fn user(
    client: &Client,
    account: &str,
    u: aws_sdk_iam::types::User,
    admin_policies: &AdminPolicies,
    by_member: &GroupGrants,
    membership: &Membership,
) -> hipaa_scan_core::model::Resource {
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
        inline_policies(client, Principal::User(&name)),
    );
    match &inline {
        Ok(i) => {
            p.set("inline_policies", i.names.clone());
            p.set("inline_kms_decrypt_all", i.kms_decrypt_all.clone());
        }
        Err(why) => {
            p.unknown("inline_policies", why.clone());
            p.unknown("inline_kms_decrypt_all", why.clone());
        }
    }
    match membership {
        Ok(map) => p.set("groups", map.get(&name).cloned().unwrap_or_default()),
        Err(why) => p.unknown("groups", why.clone()),
    }
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
            let grants = managed_admin(&arns, admin_policies).and_then(|mut grants| {
                grants.extend(inline?.admin);
                match by_member {
                    Ok(map) => grants.extend(map.get(&name).cloned().unwrap_or_default()),
                    Err(why) => return Err(why.clone()),
                }
                Ok(grants)
            });
            match grants {
                Ok(grants) => p.set("full_admin_grants", grants),
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
    let tags = p.tags(
        tags.map(|out| {
            out.tags()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect()
        })
        .map_err(|e| describe("iam:ListUserTags", &e)),
    );
    p.into_resource(resource(
        USER,
        u.arn().to_string(),
        account,
        "global",
        name,
        tags,
    ))
}

#[cfg(test)]
mod tests;
