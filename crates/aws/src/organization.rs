//! AWS Organizations: the active accounts, each read through an assumed role, at most a few at a time.

use super::*;

/// Whether `name` can be an IAM role name, with an optional path (`audit/HipaaScan`).
pub(super) fn valid_role_name(name: &str) -> bool {
    let last = name.rsplit('/').next().unwrap_or_default();
    !last.is_empty()
        && last.len() <= 64
        && name.len() <= 512
        && !name.starts_with('/')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c))
}

pub(super) fn valid_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// Every ACTIVE account of the organization (`organizations:ListAccounts`, every page).
pub(super) async fn active_accounts(conf: &SdkConfig) -> Result<Vec<String>, AwsError> {
    let client = aws_sdk_organizations::Client::new(conf);
    let mut accounts = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .list_accounts()
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| AwsError::Organization(describe("organizations:ListAccounts", &e)))?;
        for a in page.accounts() {
            let active = match a.state() {
                Some(state) => state.as_str() == "ACTIVE",
                // Older answers carry only the deprecated `Status`.
                #[allow(deprecated)]
                None => a.status().is_some_and(|s| s.as_str() == "ACTIVE"),
            };
            if let (true, Some(id)) = (active, a.id()) {
                accounts.push(id.to_string());
            }
        }
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    accounts.sort();
    accounts.dedup();
    Ok(accounts)
}

/// A gap over every AWS kind of one account.
pub(super) fn account_gap(account: &str, reason: String) -> Gap {
    Gap {
        provider: Provider::Aws,
        account: account.to_string(),
        region: None,
        kinds: vec!["aws.*".to_string()],
        reason,
    }
}

/// The credentials for one member account: the role in it, assumed from `base`'s credentials
/// through aws-config's `AssumeRoleProvider`, which assumes the role again before the
/// credentials expire, so a long scan of the account keeps working. The role is assumed up
/// front so a denial is known before any service is read.
pub(super) async fn member_config(
    base: &SdkConfig,
    role_arn: &str,
    org: &Organization,
    session_name: &str,
) -> Result<SdkConfig, String> {
    use aws_config::sts::AssumeRoleProvider;
    use aws_sdk_sts::config::SharedCredentialsProvider;

    let mut builder = AssumeRoleProvider::builder(role_arn)
        .session_name(session_name)
        .configure(base);
    if let Some(id) = &org.external_id {
        builder = builder.external_id(id);
    }
    // Assumed once here so a denial is reported with STS's own code and message.
    let sts = aws_sdk_sts::Client::new(base);
    let mut probe = sts
        .assume_role()
        .role_arn(role_arn)
        .role_session_name(session_name);
    if let Some(id) = &org.external_id {
        probe = probe.external_id(id);
    }
    if let Err(e) = probe.send().await {
        return Err(format!(
            "{} (role {role_arn})",
            describe("sts:AssumeRole", &e)
        ));
    }
    let provider = builder.build().await;
    Ok(base
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build())
}

/// Reads every selected account of the organization, at most `account_concurrency` at a time,
/// and merges their inventories. The account whose credentials the scan holds (the management
/// or delegated administrator account) is read with them; every other through its role. An
/// account that cannot be read is a gap over `aws.*` there, and the others go on.
pub(super) async fn collect_organization(
    opts: &AwsOptions,
    org: &Organization,
    base: SdkConfig,
) -> Result<Inventory, AwsError> {
    if !valid_role_name(&org.role_name) {
        return Err(AwsError::RoleName(org.role_name.clone()));
    }
    for id in org.accounts.iter().chain(&org.exclude_accounts) {
        if !valid_account_id(id) {
            return Err(AwsError::AccountId(id.clone()));
        }
    }
    let (caller, partition) = identify(&base).await?;
    let active = active_accounts(&base).await?;
    let mut selected: Vec<(String, Option<String>)> = if org.accounts.is_empty() {
        active.iter().map(|a| (a.clone(), None)).collect()
    } else {
        org.accounts
            .iter()
            .map(|a| {
                let missing = (!active.contains(a)).then(|| {
                    format!("account {a} is not an ACTIVE account of the organization (organizations:ListAccounts); it was named in --accounts and could not be read")
                });
                (a.clone(), missing)
            })
            .collect()
    };
    selected.sort();
    selected.dedup_by(|a, b| a.0 == b.0);
    selected.retain(|(a, _)| !org.exclude_accounts.contains(a));
    if let Some(shard) = opts.shard {
        selected.retain(|(a, _)| shard.contains(a));
    }
    let session_name = org.session_name.clone().unwrap_or_else(|| {
        chrono::Utc::now()
            .format("hipaa-scan-%Y%m%dT%H%M%SZ")
            .to_string()
    });
    let ids: Vec<String> = selected.iter().map(|(a, _)| a.clone()).collect();
    let opts_arc = Arc::new(opts.clone());
    let org_arc = Arc::new(org.clone());
    let base_arc = Arc::new(base);
    let read = util::bounded(selected, org.account_concurrency.max(1), {
        let caller = caller.clone();
        move |(account, missing)| {
            let (opts, org, base, caller) = (
                opts_arc.clone(),
                org_arc.clone(),
                base_arc.clone(),
                caller.clone(),
            );
            let role_arn = format!("arn:{partition}:iam::{account}:role/{}", org.role_name);
            let session_name = session_name.clone();
            async move {
                if let Some(why) = missing {
                    return Err(account_gap(&account, why));
                }
                let conf = if account == caller {
                    (*base).clone()
                } else {
                    member_config(&base, &role_arn, &org, &session_name)
                        .await
                        .map_err(|why| account_gap(&account, why))?
                };
                collect_account(&opts, conf, &account)
                    .await
                    .map_err(|e| account_gap(&account, format!("account {account}: {e}")))
            }
        }
    })
    .await;
    let mut inv = Inventory::new(
        chrono::Utc::now(),
        format!(
            "aws organization via account {caller}: {} account{}{}",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" },
            opts.shard
                .map(|s| format!(" (shard {s})"))
                .unwrap_or_default()
        ),
    );
    for r in read {
        match r {
            Ok(one) => {
                inv.collected_at = inv.collected_at.min(one.collected_at);
                inv.resources.extend(one.resources);
                inv.gaps.extend(one.gaps);
            }
            Err(gap) => inv.gaps.push(gap),
        }
    }
    inv.resources
        .sort_by(|a, b| (&a.account, &a.kind, &a.id).cmp(&(&b.account, &b.kind, &b.id)));
    Ok(inv)
}
