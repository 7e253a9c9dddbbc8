//! EFS: file systems, encryption at rest and automatic backups, in one region.

use aws_sdk_efs::types::Status;
use aws_sdk_efs::Client;

use super::util::{all, code, describe, resource, tags, Found, Props};
use super::Ctx;

const FS: &str = "aws.elasticfilesystem.file_system";

pub async fn collect(ctx: &Ctx, region: &str) -> Found {
    let client = Client::new(&ctx.config_for(region));
    let mut found = Found::default();
    let systems = all(
        "elasticfilesystem:DescribeFileSystems",
        client
            .describe_file_systems()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    );
    let Some(systems) = found.listed(systems, &ctx.account, Some(region), &[FS]) else {
        return found;
    };
    // The AWS Backup plans' resource selections in this region, read once when a file system
    // without automatic backups needs them.
    let selections = tokio::sync::OnceCell::new();
    for fs in systems {
        let id = fs.file_system_id().to_string();
        let mut p = Props::default();
        p.set("encrypted", fs.encrypted().unwrap_or(false));
        let tags = tags(fs.tags().iter().map(|t| (Some(t.key()), Some(t.value()))));
        let arn = fs.file_system_arn().map_or_else(
            || {
                format!(
                    "arn:aws:elasticfilesystem:{region}:{}:file-system/{id}",
                    ctx.account
                )
            },
            str::to_string,
        );
        let automatic = match client
            .describe_backup_policy()
            .file_system_id(&id)
            .send()
            .await
        {
            Ok(out) => Ok(out.backup_policy().map(|b| b.status()) == Some(&Status::Enabled)),
            Err(e) if code(&e) == Some("PolicyNotFound") => Ok(false),
            Err(e) => Err(describe("elasticfilesystem:DescribeBackupPolicy", &e)),
        };
        // Backed up: EFS automatic backups, or a Backup plan whose selection takes this file
        // system (what the remediation text accepts). Unknown when neither can be told.
        let backed_up = match automatic {
            Ok(true) => Ok(true),
            other => {
                let chosen = selections
                    .get_or_init(|| backup_selections(ctx, region))
                    .await;
                match (other, chosen) {
                    (_, Ok(list)) if list.iter().any(|s| s.covers(&arn, &tags)) => Ok(true),
                    (Ok(on), Ok(_)) => Ok(on),
                    (Err(why), _) => Err(why),
                    (_, Err(why)) => Err(why.clone()),
                }
            }
        };
        match backed_up {
            Ok(v) => p.set("backup_enabled", v),
            Err(why) => p.unknown("backup_enabled", why),
        }
        let name = fs
            .name()
            .filter(|n| !n.is_empty())
            .map_or(id.clone(), |n| format!("{n} ({id})"));
        found
            .resources
            .push(p.into_resource(resource(FS, arn, &ctx.account, region, name, tags)));
    }
    found
}

/// One AWS Backup resource selection, as far as it decides which resources a plan takes.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// ARN patterns (`*` wildcards); empty means "every resource the tags select".
    pub resources: Vec<String>,
    pub not_resources: Vec<String>,
    /// `ListOfTags`: a resource with any of these tags (key, value) is taken.
    pub any_tags: Vec<(String, String)>,
    /// `Conditions`: every one must hold (`StringEquals`, `StringLike`, `StringNotEquals`,
    /// `StringNotLike` on `aws:ResourceTag/KEY`).
    pub all_conditions: Vec<(String, String, String)>,
}

impl Selection {
    /// Whether the selection chooses by tag (`ListOfTags` or `Conditions`).
    pub fn uses_tags(&self) -> bool {
        !self.any_tags.is_empty() || !self.all_conditions.is_empty()
    }

    /// Whether the selection takes the resource `arn` with `tags`. Read conservatively: when a
    /// selection names both ARNs and tags, both must hold, so an ambiguous selection never
    /// counts as a backup that may not exist.
    pub fn covers(&self, arn: &str, tags: &std::collections::BTreeMap<String, String>) -> bool {
        let by_arn = self
            .resources
            .iter()
            .any(|p| hipaa_scan_core::iam_doc::glob(p, arn));
        if self.resources.is_empty() || !by_arn {
            return false;
        }
        if self
            .not_resources
            .iter()
            .any(|p| hipaa_scan_core::iam_doc::glob(p, arn))
        {
            return false;
        }
        let any_tag = self.any_tags.is_empty()
            || self
                .any_tags
                .iter()
                .any(|(k, v)| tags.get(k).is_some_and(|t| t == v));
        let all_conditions = self.all_conditions.iter().all(|(op, key, value)| {
            let tag = key
                .strip_prefix("aws:ResourceTag/")
                .and_then(|k| tags.get(k));
            match op.as_str() {
                "StringEquals" => tag.is_some_and(|t| t == value),
                "StringLike" => tag.is_some_and(|t| hipaa_scan_core::iam_doc::glob(value, t)),
                "StringNotEquals" => tag.is_none_or(|t| t != value),
                "StringNotLike" => tag.is_none_or(|t| !hipaa_scan_core::iam_doc::glob(value, t)),
                _ => false,
            }
        });
        any_tag && all_conditions
    }
}

/// Every resource selection of every backup plan in the region.
pub async fn backup_selections(ctx: &Ctx, region: &str) -> Result<Vec<Selection>, String> {
    let client = aws_sdk_backup::Client::new(&ctx.config_for(region));
    let plans = all(
        "backup:ListBackupPlans",
        client
            .list_backup_plans()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await,
    )?;
    let mut out = Vec::new();
    for plan in plans {
        let Some(plan_id) = plan.backup_plan_id() else {
            continue;
        };
        let listed = all(
            "backup:ListBackupSelections",
            client
                .list_backup_selections()
                .backup_plan_id(plan_id)
                .into_paginator()
                .items()
                .send()
                .collect::<Vec<_>>()
                .await,
        )?;
        for s in listed {
            let Some(selection_id) = s.selection_id() else {
                continue;
            };
            let got = client
                .get_backup_selection()
                .backup_plan_id(plan_id)
                .selection_id(selection_id)
                .send()
                .await
                .map_err(|e| describe("backup:GetBackupSelection", &e))?;
            let Some(sel) = got.backup_selection() else {
                continue;
            };
            let mut all_conditions = Vec::new();
            if let Some(c) = sel.conditions() {
                for (op, list) in [
                    ("StringEquals", c.string_equals()),
                    ("StringLike", c.string_like()),
                    ("StringNotEquals", c.string_not_equals()),
                    ("StringNotLike", c.string_not_like()),
                ] {
                    for p in list {
                        all_conditions.push((
                            op.to_string(),
                            p.condition_key().unwrap_or_default().to_string(),
                            p.condition_value().unwrap_or_default().to_string(),
                        ));
                    }
                }
            }
            out.push(Selection {
                resources: sel.resources().to_vec(),
                not_resources: sel.not_resources().to_vec(),
                any_tags: sel
                    .list_of_tags()
                    .iter()
                    .map(|t| {
                        (
                            t.condition_key()
                                .trim_start_matches("aws:ResourceTag/")
                                .to_string(),
                            t.condition_value().to_string(),
                        )
                    })
                    .collect(),
                all_conditions,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::Selection;
    use std::collections::BTreeMap;

    const FS: &str = "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-1";

    fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_selection_takes_what_its_arns_and_tags_say() {
        let all = Selection {
            resources: vec!["*".into()],
            ..Default::default()
        };
        assert!(all.covers(FS, &tags(&[])));
        let efs_only = Selection {
            resources: vec!["arn:aws:elasticfilesystem:*:*:file-system/*".into()],
            ..Default::default()
        };
        assert!(efs_only.covers(FS, &tags(&[])));
        let other = Selection {
            resources: vec!["arn:aws:rds:*:*:db:*".into()],
            ..Default::default()
        };
        assert!(!other.covers(FS, &tags(&[])), "another service");
        let excluded = Selection {
            resources: vec!["*".into()],
            not_resources: vec![FS.into()],
            ..Default::default()
        };
        assert!(!excluded.covers(FS, &tags(&[])), "NotResources");
        let tagged = Selection {
            resources: vec!["*".into()],
            any_tags: vec![("backup".into(), "daily".into())],
            ..Default::default()
        };
        assert!(tagged.covers(FS, &tags(&[("backup", "daily")])));
        assert!(
            !tagged.covers(FS, &tags(&[("backup", "never")])),
            "look-alike tag"
        );
        let conditioned = Selection {
            resources: vec!["*".into()],
            all_conditions: vec![
                (
                    "StringEquals".into(),
                    "aws:ResourceTag/phi".into(),
                    "yes".into(),
                ),
                (
                    "StringNotEquals".into(),
                    "aws:ResourceTag/env".into(),
                    "dev".into(),
                ),
            ],
            ..Default::default()
        };
        assert!(conditioned.covers(FS, &tags(&[("phi", "yes")])));
        assert!(!conditioned.covers(FS, &tags(&[("phi", "yes"), ("env", "dev")])));
        assert!(
            !Selection::default().covers(FS, &tags(&[])),
            "an empty selection"
        );
    }
}
