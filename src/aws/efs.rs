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
    for fs in systems {
        let id = fs.file_system_id().to_string();
        let mut p = Props::default();
        p.set("encrypted", fs.encrypted().unwrap_or(false));
        match client
            .describe_backup_policy()
            .file_system_id(&id)
            .send()
            .await
        {
            Ok(out) => p.set(
                "backup_enabled",
                out.backup_policy().map(|b| b.status()) == Some(&Status::Enabled),
            ),
            Err(e) if code(&e) == Some("PolicyNotFound") => p.set("backup_enabled", false),
            Err(e) => p.unknown(
                "backup_enabled",
                describe("elasticfilesystem:DescribeBackupPolicy", &e),
            ),
        }
        let arn = fs.file_system_arn().map_or_else(
            || {
                format!(
                    "arn:aws:elasticfilesystem:{region}:{}:file-system/{id}",
                    ctx.account
                )
            },
            str::to_string,
        );
        let name = fs
            .name()
            .filter(|n| !n.is_empty())
            .map_or(id.clone(), |n| format!("{n} ({id})"));
        let tags = tags(fs.tags().iter().map(|t| (Some(t.key()), Some(t.value()))));
        found
            .resources
            .push(p.into_resource(resource(FS, arn, &ctx.account, region, name, tags)));
    }
    found
}
