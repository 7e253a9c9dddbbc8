//! IAM groups (what their members hold) and roles.

use super::*;

pub(super) async fn groups(
    ctx: &Arc<Ctx>,
    client: &Client,
    admin_policies: Arc<AdminPolicies>,
) -> (Found, GroupGrants, Membership) {
    let mut found = Found::default();
    let listed: Result<Vec<_>, _> = client
        .list_groups()
        .into_paginator()
        .items()
        .send()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect();
    let groups = match listed {
        Ok(g) => g,
        Err(e) => {
            let why = describe("iam:ListGroups", &e);
            found.gap(&ctx.account, None, &[GROUP], why.clone());
            return (found, Err(why.clone()), Err(why));
        }
    };
    let account = ctx.account.clone();
    let client = client.clone();
    let read = bounded(groups, ctx.concurrency, move |g| {
        let client = client.clone();
        let account = account.clone();
        let admin_policies = admin_policies.clone();
        async move { group(&client, &account, g, &admin_policies).await }
    })
    .await;
    let mut by_member: GroupGrants = Ok(HashMap::new());
    let mut membership: Membership = Ok(HashMap::new());
    for (r, members) in read {
        match (&mut membership, &members) {
            (Ok(map), Ok(list)) => {
                for m in list {
                    map.entry(m.clone()).or_default().push(r.name.clone());
                }
            }
            (Ok(_), Err(why)) => membership = Err(why.clone()),
            (Err(_), _) => {}
        }
        let grants = r
            .properties
            .get("full_admin_grants")
            .and_then(Value::as_array);
        match (&mut by_member, members, grants) {
            (Ok(map), Ok(members), Some(grants)) => {
                for m in members {
                    let held = map.entry(m).or_default();
                    for g in grants.iter().filter_map(Value::as_str) {
                        held.push(format!("group:{}:{g}", r.name));
                    }
                }
            }
            (Ok(_), Err(why), _) => by_member = Err(why),
            (Ok(_), Ok(_), None) => {
                by_member = Err(r
                    .unknown_reason("full_admin_grants")
                    .unwrap_or_else(|| format!("group {} could not be read", r.name)));
            }
            (Err(_), _, _) => {}
        }
        found.resources.push(r);
    }
    (found, by_member, membership)
}

/// One group: its members, attached policies and administrator grants.
pub(super) async fn group(
    client: &Client,
    account: &str,
    g: aws_sdk_iam::types::Group,
    admin_policies: &AdminPolicies,
) -> (
    hipaa_scan_core::model::Resource,
    Result<Vec<String>, String>,
) {
    let name = g.group_name().to_string();
    let mut p = Props::default();
    let (members, attached, inline) = tokio::join!(
        client
            .get_group()
            .group_name(&name)
            .into_paginator()
            .send()
            .collect::<Vec<_>>(),
        client
            .list_attached_group_policies()
            .group_name(&name)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>(),
        inline_policies(client, Principal::Group(&name)),
    );
    match &inline {
        Ok(i) => p.set("inline_kms_decrypt_all", i.kms_decrypt_all.clone()),
        Err(why) => p.unknown("inline_kms_decrypt_all", why.clone()),
    }
    let members: Result<Vec<String>, String> = members
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map(|pages| {
            pages
                .iter()
                .flat_map(|page| page.users().iter().map(|u| u.user_name().to_string()))
                .collect()
        })
        .map_err(|e| describe("iam:GetGroup", &e));
    match &members {
        Ok(m) => p.set("members", m.clone()),
        Err(why) => p.unknown("members", why.clone()),
    }
    let attached: Result<Vec<String>, String> = attached
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map(|list| {
            list.iter()
                .filter_map(|a| a.policy_arn().map(str::to_string))
                .collect()
        })
        .map_err(|e| describe("iam:ListAttachedGroupPolicies", &e));
    match &attached {
        Ok(a) => p.set("attached_policies", a.clone()),
        Err(why) => p.unknown("attached_policies", why.clone()),
    }
    let grants = attached.and_then(|arns| {
        let refs: Vec<&str> = arns.iter().map(String::as_str).collect();
        let mut grants = managed_admin(&refs, admin_policies)?;
        grants.extend(inline?.admin);
        Ok(grants)
    });
    match grants {
        Ok(g) => p.set("full_admin_grants", g),
        Err(why) => p.unknown("full_admin_grants", why),
    }
    let r = p.into_resource(resource(
        GROUP,
        g.arn().to_string(),
        account,
        "global",
        name,
        BTreeMap::new(),
    ));
    (r, members)
}

/// Roles, with the inline policies that grant full administrator access.
pub(super) async fn roles(ctx: &Arc<Ctx>, client: &Client) -> Found {
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
            match inline_policies(&client, Principal::Role(r.role_name())).await {
                Ok(inline) => {
                    p.set("full_admin_grants", inline.admin);
                    p.set("inline_kms_decrypt_all", inline.kms_decrypt_all);
                }
                Err(why) => {
                    p.unknown("full_admin_grants", why.clone());
                    p.unknown("inline_kms_decrypt_all", why);
                }
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
