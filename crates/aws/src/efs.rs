//! EFS: file systems, encryption at rest and backups (automatic, or a Backup plan's selection
//! that takes the file system: `backup/selection.rs`), in one region.

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
                // The region's Backup selections, read once for every reader that asks.
                let plans = super::backup::region(ctx, region).await;
                let target = super::backup::Target {
                    arn: &arn,
                    tags: Ok(&tags),
                    engine: None,
                };
                match (other, plans.covers(&target)) {
                    (_, Ok(true)) => Ok(true),
                    (Ok(on), Ok(false)) => Ok(on),
                    (Err(why), _) | (_, Err(why)) => Err(why),
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
