//! AWS Backup: vaults and whether a customer managed KMS key encrypts them, plans and their
//! schedules, in one region; which resources the plans' selections take (`selection.rs`, read
//! per region in `region.rs`).

mod region;
mod selection;

pub use region::{region, Regions};
pub use selection::Target;

use aws_sdk_backup::Client;
use aws_sdk_kms::types::KeyManagerType;

use super::util::{all, describe, resource, Found, Props};
use super::Ctx;

const VAULT: &str = "aws.backup.vault";
const PLAN: &str = "aws.backup.plan";

/// Kinds an AWS Backup plan's selection can take that the catalog judges for it.
const BACKED_UP_KINDS: [&str; 4] = [
    "aws.rds.instance",
    "aws.rds.cluster",
    "aws.dynamodb.table",
    "aws.ec2.volume",
];

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let conf = ctx.config_for(region);
    let client = Client::new(&conf);
    let kms = aws_sdk_kms::Client::new(&conf);
    let mut found = Found::default();
    let vaults = all(
        "backup:ListBackupVaults",
        client
            .list_backup_vaults()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(vaults) = found.listed(vaults, &ctx.account, Some(region), &[VAULT]) else {
        return found;
    };
    found.extend(plans(ctx, &client, region).await);
    for v in vaults {
        let name = v.backup_vault_name().unwrap_or_default().to_string();
        let mut p = Props::default();
        p.set("locked", v.locked().unwrap_or(false));
        match v.encryption_key_arn() {
            // Without a key of its own the vault uses an AWS-managed or AWS-owned key.
            None => p.set("customer_managed_key", false),
            Some(key) => match kms.describe_key().key_id(key).send().await {
                Ok(out) => p.set(
                    "customer_managed_key",
                    out.key_metadata().and_then(|m| m.key_manager())
                        == Some(&KeyManagerType::Customer),
                ),
                Err(e) => p.unknown("customer_managed_key", describe("kms:DescribeKey", &e)),
            },
        }
        let arn = v.backup_vault_arn().map_or_else(
            || {
                format!(
                    "arn:aws:backup:{region}:{}:backup-vault:{name}",
                    ctx.account
                )
            },
            str::to_string,
        );
        found.resources.push(p.into_resource(resource(
            VAULT,
            arn,
            &ctx.account,
            region,
            name,
            Default::default(),
        )));
    }
    found
}

/// Every backup plan of the region (`backup:ListBackupPlans`, every page): the plans' own
/// readers and the selections' both start here.
async fn list_plans(
    client: &Client,
) -> Result<Vec<aws_sdk_backup::types::BackupPlansListMember>, String> {
    all(
        "backup:ListBackupPlans",
        client
            .list_backup_plans()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    )
}

/// Backup plans of the region, each with its rules' schedules and retention.
async fn plans(ctx: &Ctx, client: &Client, region: &str) -> Found {
    let mut found = Found::default();
    let listed = list_plans(client).await;
    let Some(plans) = found.listed(listed, &ctx.account, Some(region), &[PLAN]) else {
        return found;
    };
    for plan in plans {
        let Some(id) = plan.backup_plan_id() else {
            continue;
        };
        let name = plan.backup_plan_name().unwrap_or(id).to_string();
        let arn = plan.backup_plan_arn().map_or_else(
            || format!("arn:aws:backup:{region}:{}:backup-plan:{id}", ctx.account),
            str::to_string,
        );
        let mut p = Props::default();
        match client.get_backup_plan().backup_plan_id(id).send().await {
            Ok(out) => {
                let rules: Vec<serde_json::Value> = out
                    .backup_plan()
                    .map(|b| b.rules())
                    .unwrap_or_default()
                    .iter()
                    .map(|r| {
                        let schedule = r.schedule_expression().unwrap_or_default();
                        serde_json::json!({
                            "name": r.rule_name(),
                            "schedule": schedule,
                            "runs_daily": runs_daily(schedule),
                            "retention_days": r.lifecycle().and_then(|l| l.delete_after_days()),
                        })
                    })
                    .collect();
                p.set("rules", rules);
            }
            Err(e) => p.unknown("rules", describe("backup:GetBackupPlan", &e)),
        }
        found.resources.push(p.into_resource(resource(
            PLAN,
            arn,
            &ctx.account,
            region,
            name,
            Default::default(),
        )));
    }
    found
}

/// Whether an AWS Backup schedule starts a backup at least once a day: `cron(M H DoM Mon DoW Y)`
/// with day-of-month and day-of-week `*`, `?` or `1/1`, and every month and year. Anything else
/// (a weekly or monthly cron, no schedule) does not.
pub fn runs_daily(schedule: &str) -> bool {
    let Some(body) = schedule
        .trim()
        .strip_prefix("cron(")
        .and_then(|s| s.strip_suffix(')'))
    else {
        return false;
    };
    let f: Vec<&str> = body.split_whitespace().collect();
    if f.len() != 6 {
        return false;
    }
    let every = |v: &str| matches!(v, "*" | "?" | "1/1" | "*/1");
    every(f[2]) && every(f[3]) && every(f[4]) && every(f[5])
}

/// Sets `in_backup_plan` on the resources a plan's selection can take, region by region: some
/// selection of some plan in the resource's region takes it. Unknown where that depends on what
/// could not be read: the region's selections, its opt-in settings, or the resource's tags.
pub async fn mark_in_plans(
    ctx: &std::sync::Arc<Ctx>,
    resources: &mut [hipaa_scan_core::model::Resource],
) {
    let regions: std::collections::BTreeSet<String> = resources
        .iter()
        .filter(|r| BACKED_UP_KINDS.contains(&r.kind.as_str()))
        .map(|r| r.region.clone())
        .collect();
    let read = super::util::bounded(regions.into_iter().collect(), 4, {
        let ctx = ctx.clone();
        move |r: String| {
            let ctx = ctx.clone();
            async move {
                let s = region(&ctx, &r).await;
                (r, s)
            }
        }
    })
    .await;
    let by_region: std::collections::HashMap<String, _> = read.into_iter().collect();
    for r in resources
        .iter_mut()
        .filter(|r| BACKED_UP_KINDS.contains(&r.kind.as_str()))
    {
        let Some(plans) = by_region.get(&r.region) else {
            continue;
        };
        let why_tags = r.unknown.get("tags").cloned();
        let target = Target {
            arn: &r.id,
            tags: match &why_tags {
                Some(why) => Err(why.as_str()),
                None => Ok(&r.tags),
            },
            engine: r.properties.get("engine").and_then(|e| e.as_str()),
        };
        match plans.covers(&target) {
            Ok(v) => {
                r.properties
                    .insert("in_backup_plan".into(), serde_json::Value::Bool(v));
            }
            Err(why) => {
                r.unknown.insert("in_backup_plan".into(), why);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::runs_daily;

    #[test]
    fn daily_schedules_and_their_look_alikes() {
        assert!(runs_daily("cron(0 5 ? * * *)"));
        assert!(runs_daily("cron(0 */12 * * ? *)"));
        assert!(runs_daily("cron(30 1 1/1 * ? *)"));
        assert!(!runs_daily("cron(0 5 ? * 1 *)"), "weekly");
        assert!(!runs_daily("cron(0 5 1 * ? *)"), "monthly");
        assert!(!runs_daily("cron(0 5 ? 1 * *)"), "January only");
        assert!(!runs_daily("cron(0 5 1/2 * ? *)"), "every other day");
        assert!(!runs_daily(""));
        assert!(!runs_daily("rate(1 day)"));
    }
}
