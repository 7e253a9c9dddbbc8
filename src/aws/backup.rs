//! AWS Backup: vaults and whether a customer managed KMS key encrypts them, in one region.

use aws_sdk_backup::Client;
use aws_sdk_kms::types::KeyManagerType;

use super::util::{all, describe, resource, Found, Props};
use super::Ctx;

const VAULT: &str = "aws.backup.vault";

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
