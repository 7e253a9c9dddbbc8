//! Customer managed and inline policies: what grants full administrator access or kms:Decrypt on every key.

use super::*;

/// Customer managed policies, judged on their default version.
pub(super) async fn customer_policies(ctx: &Arc<Ctx>, client: &Client) -> (Found, AdminPolicies) {
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
            let why = describe("iam:ListPolicies", &e);
            found.gap(&ctx.account, None, &[POLICY], why.clone());
            return (found, Err(why));
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
                Ok(out) => match out.policy_version().and_then(|v| v.document()) {
                    Some(doc) => match iam_doc::parse(doc) {
                        Ok(doc) => {
                            let grants: Vec<&str> =
                                doc.full_admin().map_or_else(Vec::new, |_| vec!["document"]);
                            p.set("full_admin_grants", grants);
                            p.set("kms_decrypt_all_keys", kms_decrypt_all_keys(&doc));
                        }
                        Err(why) => {
                            p.unknown("full_admin_grants", format!("iam:GetPolicyVersion: {why}"));
                            p.unknown(
                                "kms_decrypt_all_keys",
                                format!("iam:GetPolicyVersion: {why}"),
                            );
                        }
                    },
                    None => {
                        for prop in ["full_admin_grants", "kms_decrypt_all_keys"] {
                            p.unknown(prop, "iam:GetPolicyVersion: the answer has no document");
                        }
                    }
                },
                Err(e) => {
                    let why = describe("iam:GetPolicyVersion", &e);
                    p.unknown("full_admin_grants", why.clone());
                    p.unknown("kms_decrypt_all_keys", why);
                }
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
    let mut admin: AdminPolicies = Ok(BTreeSet::new());
    for r in &resources {
        match (
            &mut admin,
            r.properties
                .get("full_admin_grants")
                .and_then(Value::as_array),
        ) {
            (Ok(set), Some(grants)) => {
                if !grants.is_empty() {
                    set.insert(r.id.clone());
                }
            }
            (Ok(_), None) => {
                admin = Err(r
                    .unknown_reason("full_admin_grants")
                    .unwrap_or_else(|| format!("policy {} could not be read", r.id)));
            }
            (Err(_), _) => {}
        }
    }
    found.resources.extend(resources);
    (found, admin)
}

/// Whether an identity policy allows `kms:Decrypt` or `kms:ReEncryptFrom` on every key (AWS
/// Config `iam-customer-policy-blocked-kms-actions`). A statement whose condition names the
/// key or its use (a `kms:` key such as `kms:ViaService` or `kms:EncryptionContext:...`, or
/// `aws:ResourceTag/...`) with a positive operator is scoped, and does not count.
pub fn kms_decrypt_all_keys(doc: &iam_doc::Document) -> bool {
    doc.statements.iter().any(|st| {
        let scoped = st.conditions.iter().any(|c| {
            let key = c.key.to_ascii_lowercase();
            let op = c.operator.to_ascii_lowercase();
            (key.starts_with("kms:") || key.starts_with("aws:resourcetag/"))
                && !op.contains("not")
                && !op.ends_with("ifexists")
                && !op.starts_with("forallvalues:")
        });
        st.effect == iam_doc::Effect::Allow
            && !scoped
            && st.covers_every_resource()
            && ["kms:Decrypt", "kms:ReEncryptFrom"]
                .iter()
                .any(|a| st.actions.matches(a, true))
    })
}

/// The AWS managed policy that grants everything.
/// Whose inline policies to read.
#[derive(Clone, Copy)]
pub enum Principal<'a> {
    User(&'a str),
    Role(&'a str),
    Group(&'a str),
}

/// What the inline policies of a user, role or group hold.
#[derive(Debug, Clone, Default)]
pub struct Inline {
    /// Every inline policy, by name.
    pub names: Vec<String>,
    /// Those that allow every action on every resource, as `inline:NAME`.
    pub admin: Vec<String>,
    /// Those that allow `kms:Decrypt` on every key, by name.
    pub kms_decrypt_all: Vec<String>,
}

/// The inline policies of a user, role or group: their names, the ones that grant full
/// administrator access and the ones that decrypt with every key; or why they could not be read.
pub async fn inline_policies(client: &Client, who: Principal<'_>) -> Result<Inline, String> {
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
        Principal::Group(g) => client
            .list_group_policies()
            .group_name(g)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|e| describe("iam:ListGroupPolicies", &e))?,
    };
    let mut out = Inline::default();
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
            Principal::Group(g) => client
                .get_group_policy()
                .group_name(g)
                .policy_name(&policy)
                .send()
                .await
                .map(|o| o.policy_document().to_string())
                .map_err(|e| describe("iam:GetGroupPolicy", &e))?,
        };
        let doc = iam_doc::parse(&doc).map_err(|why| format!("inline policy {policy}: {why}"))?;
        if doc.full_admin().is_some() {
            out.admin.push(format!("inline:{policy}"));
        }
        if kms_decrypt_all_keys(&doc) {
            out.kms_decrypt_all.push(policy.clone());
        }
        out.names.push(policy);
    }
    Ok(out)
}
