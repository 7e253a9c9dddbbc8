//! A region's AWS Backup resource selections and, when some selection depends on them, its
//! opt-in settings: read once per region and shared by every reader that asks (EFS's
//! `backup_enabled`, `in_backup_plan` on tables, volumes and databases).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::selection::{any_covers, OptIn, Selection, Target};
use crate::util::{all, describe};
use crate::Ctx;

/// What a region's plans select.
#[derive(Debug)]
pub struct Region {
    /// Every selection of every plan, or why they could not be read.
    pub selections: Result<Vec<Selection>, String>,
    pub opt_in: OptIn,
}

impl Region {
    /// Whether some selection of the region takes `t`; `Err` with the reason when that is not
    /// known.
    pub fn covers(&self, t: &Target) -> Result<bool, String> {
        match &self.selections {
            Ok(list) => any_covers(list, t, &self.opt_in),
            Err(why) => Err(why.clone()),
        }
    }
}

/// The regions read so far, each read once however many readers ask.
#[derive(Default)]
pub struct Regions(Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Arc<Region>>>>>);

/// The region's selections (and opt-in settings where needed), read on first use.
pub async fn region(ctx: &Ctx, region: &str) -> Arc<Region> {
    let cell = ctx
        .backup_regions
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(region.to_string())
        .or_default()
        .clone();
    cell.get_or_init(|| async { Arc::new(read(ctx, region).await) })
        .await
        .clone()
}

async fn read(ctx: &Ctx, region: &str) -> Region {
    let client = aws_sdk_backup::Client::new(&ctx.config_for(region));
    let selections = backup_selections(&client).await;
    // `DescribeRegionSettings` only when a selection takes resources by service name or tag.
    let opt_in = match &selections {
        Ok(list) if list.iter().any(Selection::needs_opt_in) => {
            match client.describe_region_settings().send().await {
                Ok(out) => OptIn::Read(
                    out.resource_type_opt_in_preference()
                        .cloned()
                        .unwrap_or_default(),
                ),
                Err(e) => OptIn::Unreadable(describe("backup:DescribeRegionSettings", &e)),
            }
        }
        _ => OptIn::NotRead,
    };
    Region { selections, opt_in }
}

/// Every resource selection of every backup plan in the region.
async fn backup_selections(client: &aws_sdk_backup::Client) -> Result<Vec<Selection>, String> {
    let plans = super::list_plans(client).await?;
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
            if let Some(sel) = got.backup_selection() {
                out.push(selection(sel));
            }
        }
    }
    Ok(out)
}

/// The SDK's selection, as [`Selection`] judges it.
fn selection(sel: &aws_sdk_backup::types::BackupSelection) -> Selection {
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
    Selection {
        resources: sel.resources().to_vec(),
        not_resources: sel.not_resources().to_vec(),
        // `ListOfTags` keys come as `backup` or `aws:ResourceTag/backup` in AWS's examples.
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
    }
}
