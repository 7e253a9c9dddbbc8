//! Azure Backup of virtual machines: the `AzureIaasVM` protected items of every Recovery
//! Services vault, and the backup policies the active ones follow (how often they back up, how
//! long daily recovery points are kept).
//!
//! Items and policies are read as the Microsoft.RecoveryServices 2024-04-01 reference defines
//! them. A protected item names its policy by full ARM ID (`policyId`), compared without regard
//! to case (Azure Backup answers `/Subscriptions/...` beside `/subscriptions/...`); the policy is
//! looked up in the listing of the vault that ID names, never by its name alone.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::super::{absent, in_order, unexpected, Ctx};

pub(super) const ITEMS: &str = "Microsoft.RecoveryServices/vaults/backupProtectedItems/read";
pub(super) const POLICIES: &str = "Microsoft.RecoveryServices/vaults/backupPolicies/read";

/// What the vaults of a subscription say of its VMs' backups.
#[derive(Default)]
pub(super) struct Backups {
    /// Per VM (lower-case ID): the policy (its ID as answered, if the item names one) of each
    /// active protected item.
    vms: HashMap<String, Vec<Option<String>>>,
    /// Why some vault's protected items could not be read.
    unread: Option<String>,
    /// Per vault (lower-case ID) whose policies active items follow: its policies by lower-case
    /// ID, or why they could not be read.
    policies: HashMap<String, Result<HashMap<String, Value>, String>>,
}

/// One VM's backup, as its properties.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct VmBackup {
    pub protected: Result<bool, String>,
    /// `Daily`, `Hourly` or `Weekly`; none when not protected.
    pub frequency: Result<Option<String>, String>,
    /// Days daily recovery points are kept; none when not protected or when the policy takes
    /// no daily recovery points (a weekly schedule).
    pub daily_retention_days: Result<Option<i64>, String>,
}

/// What a backup policy does, as the retention check needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Schedule {
    frequency: String,
    daily_days: Option<i64>,
}

impl Backups {
    /// Nothing known: the vaults could not be listed.
    pub(super) fn unread(why: String) -> Self {
        Self {
            unread: Some(why),
            ..Self::default()
        }
    }

    /// Reads the protected items of every vault, then the policies of the vaults that active
    /// items name (those listed in the subscription; the call is made per vault, once).
    pub(super) async fn read(ctx: &Ctx, vaults: &[Value], api: &str) -> Self {
        let ids: Vec<String> = vaults
            .iter()
            .filter_map(|v| v["id"].as_str().map(str::to_string))
            .collect();
        let paths: Vec<String> = ids
            .iter()
            .map(|id| format!("{id}/backupProtectedItems"))
            .collect();
        let lists = in_order(
            ctx.concurrency,
            paths
                .into_iter()
                .map(|path| async move { ctx.arm.list(ITEMS, &path, Some(api)).await }),
        )
        .await;
        let mut b = Self::default();
        for l in lists {
            match l {
                Ok(items) => {
                    for (vm, policy) in active_items(&items) {
                        b.vms.entry(vm).or_default().push(policy);
                    }
                }
                Err(why) => {
                    b.unread.get_or_insert(why);
                }
            }
        }
        let wanted: BTreeSet<String> = b
            .vms
            .values()
            .flatten()
            .flatten()
            .filter_map(|p| vault_of(p))
            .collect();
        let to_read: Vec<String> = ids
            .into_iter()
            .filter(|id| wanted.contains(&id.to_ascii_lowercase()))
            .collect();
        let policies = in_order(
            ctx.concurrency,
            to_read.into_iter().map(|id| async move {
                let path = format!("{id}/backupPolicies");
                let read = ctx.arm.list(POLICIES, &path, Some(api)).await;
                (id, read)
            }),
        )
        .await;
        for (vault, read) in policies {
            b.policies
                .insert(vault.to_ascii_lowercase(), read.map(|l| by_id(&l)));
        }
        b
    }

    /// The backup of the VM `id`.
    pub(super) fn of(&self, id: &str) -> VmBackup {
        let Some(policies) = self.vms.get(&id.to_ascii_lowercase()) else {
            // Known unprotected only when every vault was read.
            return match &self.unread {
                Some(why) => VmBackup {
                    protected: Err(why.clone()),
                    frequency: Err(why.clone()),
                    daily_retention_days: Err(why.clone()),
                },
                None => VmBackup {
                    protected: Ok(false),
                    frequency: Ok(None),
                    daily_retention_days: Ok(None),
                },
            };
        };
        // Azure Backup protects a VM in one vault at a time; should two active items answer,
        // every policy must be known and the one keeping daily points longest counts.
        let best = policies
            .iter()
            .map(|p| self.schedule(p.as_deref()))
            .collect::<Result<Vec<Schedule>, String>>()
            .map(|all| all.into_iter().max_by_key(|s| s.daily_days));
        VmBackup {
            protected: Ok(true),
            frequency: best.clone().map(|s| s.map(|s| s.frequency)),
            daily_retention_days: best.map(|s| s.and_then(|s| s.daily_days)),
        }
    }

    /// The schedule of the policy an active item names.
    fn schedule(&self, policy: Option<&str>) -> Result<Schedule, String> {
        let id = policy.ok_or_else(|| absent(ITEMS, "policyId"))?;
        let vault = vault_of(id)
            .ok_or_else(|| unexpected(ITEMS, "policyId", &Value::String(id.to_string())))?;
        match self.policies.get(&vault) {
            Some(Ok(listed)) => listed
                .get(&id.to_ascii_lowercase())
                .ok_or_else(|| format!("{POLICIES}: backup policy {id} is not in its vault's listing"))
                .and_then(|p| schedule(&p["properties"])),
            Some(Err(why)) => Err(why.clone()),
            None => Err(format!(
                "{ITEMS}: backup policy {id} is in a vault the subscription's vault listing does not hold"
            )),
        }
    }
}

/// Policies by lower-case ID.
fn by_id(list: &[Value]) -> HashMap<String, Value> {
    list.iter()
        .filter_map(|p| Some((p["id"].as_str()?.to_ascii_lowercase(), p.clone())))
        .collect()
}

/// The vault (lower-case ID) of a policy ID: what comes before `/backupPolicies/`.
fn vault_of(policy: &str) -> Option<String> {
    let lower = policy.to_ascii_lowercase();
    let at = lower.find("/backuppolicies/")?;
    (at > 0).then(|| lower[..at].to_string())
}

/// VMs (lower-case IDs) of `AzureIaasVM` protected items whose protection is `Protected` or
/// `IRPending` (the first backup is scheduled), each with its policy (the ID as answered; none
/// when the item names none). `ProtectionStopped`, `ProtectionError` and `ProtectionPaused` take no
/// new backups.
pub(super) fn active_items(items: &[Value]) -> Vec<(String, Option<String>)> {
    items
        .iter()
        .filter_map(|i| {
            let p = &i["properties"];
            let vm_item = p["backupManagementType"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case("AzureIaasVM"));
            let active = p["protectionState"].as_str().is_some_and(|s| {
                s.eq_ignore_ascii_case("Protected") || s.eq_ignore_ascii_case("IRPending")
            });
            if !(vm_item && active) {
                return None;
            }
            let vm = p["virtualMachineId"]
                .as_str()
                .or(p["sourceResourceId"].as_str())?
                .to_ascii_lowercase();
            let policy = p["policyId"]
                .as_str()
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string);
            Some((vm, policy))
        })
        .collect()
}

/// An `AzureIaasVM` policy's schedule (`schedulePolicy.scheduleRunFrequency`: `Daily`,
/// `Weekly`, or `Hourly` for an Enhanced policy, `SimpleSchedulePolicy` or
/// `SimpleSchedulePolicyV2` alike) and how long it keeps daily recovery points: a
/// `LongTermRetentionPolicy`'s `dailySchedule.retentionDuration`, or a `SimpleRetentionPolicy`'s
/// `retentionDuration` (every point). A weekly schedule takes no daily points, whatever its
/// weekly, monthly or yearly retention; a daily or hourly one without a daily retention is
/// unknown (Azure Backup requires one).
fn schedule(props: &Value) -> Result<Schedule, String> {
    match props["backupManagementType"].as_str() {
        Some(t) if t.eq_ignore_ascii_case("AzureIaasVM") => {}
        None => return Err(absent(POLICIES, "backupManagementType")),
        Some(_) => {
            return Err(unexpected(
                POLICIES,
                "backupManagementType",
                &props["backupManagementType"],
            ))
        }
    }
    let run = &props["schedulePolicy"]["scheduleRunFrequency"];
    let frequency = match run.as_str() {
        Some(f) if f.eq_ignore_ascii_case("Daily") => "Daily",
        Some(f) if f.eq_ignore_ascii_case("Hourly") => "Hourly",
        Some(f) if f.eq_ignore_ascii_case("Weekly") => "Weekly",
        None => return Err(absent(POLICIES, "schedulePolicy.scheduleRunFrequency")),
        Some(_) => return Err(unexpected(POLICIES, "scheduleRunFrequency", run)),
    };
    if frequency == "Weekly" {
        return Ok(Schedule {
            frequency: frequency.into(),
            daily_days: None,
        });
    }
    let retention = &props["retentionPolicy"];
    let kind = &retention["retentionPolicyType"];
    let daily = match kind.as_str() {
        Some(t) if t.eq_ignore_ascii_case("LongTermRetentionPolicy") => {
            let daily = &retention["dailySchedule"];
            if daily.is_null() {
                return Err(absent(POLICIES, "retentionPolicy.dailySchedule"));
            }
            days(
                &daily["retentionDuration"],
                "retentionPolicy.dailySchedule.retentionDuration",
            )?
        }
        Some(t) if t.eq_ignore_ascii_case("SimpleRetentionPolicy") => days(
            &retention["retentionDuration"],
            "retentionPolicy.retentionDuration",
        )?,
        None => return Err(absent(POLICIES, "retentionPolicy.retentionPolicyType")),
        Some(_) => return Err(unexpected(POLICIES, "retentionPolicyType", kind)),
    };
    Ok(Schedule {
        frequency: frequency.into(),
        daily_days: Some(daily),
    })
}

/// A `retentionDuration` (`count` of `durationType`) in days: `Days`, or `Weeks` of seven;
/// months and years, whose length varies, are unknown.
fn days(duration: &Value, field: &str) -> Result<i64, String> {
    if duration.is_null() {
        return Err(absent(POLICIES, field));
    }
    let count = match &duration["count"] {
        Value::Number(n) => n
            .as_i64()
            .filter(|c| *c >= 0)
            .ok_or_else(|| unexpected(POLICIES, &format!("{field}.count"), &duration["count"]))?,
        Value::Null => return Err(absent(POLICIES, &format!("{field}.count"))),
        v => return Err(unexpected(POLICIES, &format!("{field}.count"), v)),
    };
    let unit = &duration["durationType"];
    match unit.as_str() {
        Some(u) if u.eq_ignore_ascii_case("Days") => Ok(count),
        Some(u) if u.eq_ignore_ascii_case("Weeks") => Ok(count.saturating_mul(7)),
        None => Err(absent(POLICIES, &format!("{field}.durationType"))),
        Some(_) => Err(unexpected(POLICIES, &format!("{field}.durationType"), unit)),
    }
}

#[cfg(test)]
mod tests;
