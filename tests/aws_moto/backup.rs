//! AWS Backup: vaults `phi-vault` (a customer managed key of its own, judged in kms.rs) and
//! `plain-vault`, and no backup plan, so no table, volume or database is in one.

use aws_config::SdkConfig;

use crate::common::set;
use crate::Triples;

pub async fn seed(conf: &SdkConfig) {
    let kms = aws_sdk_kms::Client::new(conf);
    let key = kms.create_key().description("backup").send().await.unwrap();
    let key_arn = key.key_metadata().unwrap().arn().unwrap().to_string();
    let backup = aws_sdk_backup::Client::new(conf);
    backup
        .create_backup_vault()
        .backup_vault_name("phi-vault")
        .encryption_key_arn(key_arn)
        .send()
        .await
        .unwrap();
    backup
        .create_backup_vault()
        .backup_vault_name("plain-vault")
        .send()
        .await
        .unwrap();
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-backup-vault-cmk", "phi-vault", "pass"),
        ("aws-backup-vault-cmk", "plain-vault", "fail"),
        // Vault Lock is not set on either vault.
        ("aws-backup-vault-lock", "phi-vault", "fail"),
        ("aws-backup-vault-lock", "plain-vault", "fail"),
        // No backup plan exists here (the plan checks run in aws_lookalikes): dynamodb.rs's
        // tables, ec2.rs's volumes and rds.rs's databases are in none.
        ("aws-dynamodb-in-backup-plan", "patients", "fail"),
        ("aws-dynamodb-in-backup-plan", "scratch", "fail"),
        ("aws-ebs-in-backup-plan", "enc-vol", "fail"),
        ("aws-ebs-in-backup-plan", "plain-vol", "fail"),
        ("aws-rds-in-backup-plan", "billing", "fail"),
        ("aws-rds-in-backup-plan", "ehr", "fail"),
        ("aws-rds-in-backup-plan", "legacy", "fail"),
        ("aws-service-hipaa-eligible", "phi-vault", "pass"),
        ("aws-service-hipaa-eligible", "plain-vault", "pass"),
    ])
}
