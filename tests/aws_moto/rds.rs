//! RDS: parameter groups `tls-on` (forces TLS, pgaudit for reads and writes, session logging)
//! and `tls-off`; instances `ehr` (the good one) and `legacy`; snapshots of both, `ehr-shared`
//! public; an event subscription; the Aurora cluster `billing`.

use aws_config::SdkConfig;
use serde_json::Value;

use crate::common::set;
use crate::Triples;

/// The event subscription names the `alerts` topic by ARN only (sns_sqs.rs creates it later;
/// moto does not check).
pub async fn seed(conf: &SdkConfig) {
    let rds = aws_sdk_rds::Client::new(conf);
    for (group, force) in [("tls-on", "1"), ("tls-off", "0")] {
        rds.create_db_parameter_group()
            .db_parameter_group_name(group)
            .db_parameter_group_family("postgres16")
            .description("TLS")
            .send()
            .await
            .unwrap();
        // The TLS group also loads pgaudit for reads and writes and logs sessions; the other
        // logs DDL only (a look-alike of audit logging) and connections but not disconnections.
        let audit: [(&str, &str); 4] = if force == "1" {
            [
                ("shared_preload_libraries", "pg_stat_statements,pgaudit"),
                ("pgaudit.log", "read,write,ddl"),
                ("log_connections", "1"),
                ("log_disconnections", "1"),
            ]
        } else {
            [
                ("shared_preload_libraries", "pgaudit"),
                ("pgaudit.log", "ddl"),
                ("log_connections", "1"),
                ("log_disconnections", "0"),
            ]
        };
        let mut modify = rds
            .modify_db_parameter_group()
            .db_parameter_group_name(group)
            .parameters(
                aws_sdk_rds::types::Parameter::builder()
                    .parameter_name("rds.force_ssl")
                    .parameter_value(force)
                    .apply_method(aws_sdk_rds::types::ApplyMethod::PendingReboot)
                    .build(),
            );
        for (name, value) in audit {
            modify = modify.parameters(
                aws_sdk_rds::types::Parameter::builder()
                    .parameter_name(name)
                    .parameter_value(value)
                    .apply_method(aws_sdk_rds::types::ApplyMethod::PendingReboot)
                    .build(),
            );
        }
        modify.send().await.unwrap();
    }
    for (name, encrypted, days) in [("ehr", true, 14), ("legacy", false, 1)] {
        rds.create_db_instance()
            .db_instance_identifier(name)
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .master_username("dbadmin")
            .master_user_password("not-a-real-password-1")
            .storage_encrypted(encrypted)
            .backup_retention_period(days)
            .multi_az(name == "ehr")
            .deletion_protection(name == "ehr")
            .publicly_accessible(name == "legacy")
            .enable_iam_database_authentication(name == "ehr")
            .set_monitoring_interval((name == "ehr").then_some(60))
            .set_monitoring_role_arn(
                (name == "ehr")
                    .then(|| "arn:aws:iam::123456789012:role/rds-monitoring".to_string()),
            )
            .db_parameter_group_name(if name == "ehr" { "tls-on" } else { "tls-off" })
            .set_enable_cloudwatch_logs_exports(
                (name == "ehr").then(|| vec!["postgresql".to_string()]),
            )
            .send()
            .await
            .unwrap();
    }
    for (snap, db) in [
        ("ehr-snap", "ehr"),
        ("ehr-shared", "ehr"),
        ("legacy-snap", "legacy"),
    ] {
        rds.create_db_snapshot()
            .db_snapshot_identifier(snap)
            .db_instance_identifier(db)
            .send()
            .await
            .unwrap();
    }
    rds.modify_db_snapshot_attribute()
        .db_snapshot_identifier("ehr-shared")
        .attribute_name("restore")
        .values_to_add("all")
        .send()
        .await
        .unwrap();
    rds.create_event_subscription()
        .subscription_name("rds-critical")
        .sns_topic_arn("arn:aws:sns:us-east-1:123456789012:alerts")
        .source_type("db-instance")
        .event_categories("failure")
        .event_categories("maintenance")
        .event_categories("configuration change")
        .enabled(true)
        .send()
        .await
        .unwrap();
    rds.create_db_cluster()
        .db_cluster_identifier("billing")
        .engine("aurora-postgresql")
        .master_username("dbadmin")
        .master_user_password("not-a-real-password-1")
        .storage_encrypted(true)
        .backup_retention_period(1)
        .send()
        .await
        .unwrap();
}

pub fn expected(_account: &str) -> Triples {
    set(&[
        ("aws-rds-storage-encrypted", "ehr", "pass"),
        ("aws-rds-storage-encrypted", "legacy", "fail"),
        ("aws-rds-storage-encrypted", "billing", "pass"),
        ("aws-rds-backup-retention", "ehr", "pass"),
        ("aws-rds-backup-retention", "legacy", "fail"),
        ("aws-rds-backup-retention", "billing", "fail"),
        ("aws-rds-not-public", "ehr", "pass"),
        ("aws-rds-not-public", "legacy", "fail"),
        ("aws-rds-multi-az", "ehr", "pass"),
        ("aws-rds-multi-az", "legacy", "fail"),
        ("aws-rds-deletion-protection", "ehr", "pass"),
        ("aws-rds-deletion-protection", "legacy", "fail"),
        ("aws-rds-deletion-protection", "billing", "fail"),
        // Aurora clusters carry availability and log exports (moto: one AZ, no exports).
        ("aws-rds-multi-az", "billing", "fail"),
        ("aws-rds-log-exports", "billing", "fail"),
        ("aws-rds-tls-enforced", "ehr", "pass"),
        ("aws-rds-tls-enforced", "legacy", "fail"),
        ("aws-rds-log-exports", "ehr", "pass"),
        ("aws-rds-log-exports", "legacy", "fail"),
        ("aws-rds-snapshot-private-encrypted", "ehr-snap", "pass"),
        ("aws-rds-snapshot-private-encrypted", "ehr-shared", "fail"),
        ("aws-rds-snapshot-private-encrypted", "legacy-snap", "fail"),
        // moto names the Aurora cluster's default group `default.aurora8.0` and then cannot
        // find it: not evaluated, with that reason.
        ("aws-rds-audit-logging", "billing", "not_evaluated"),
        ("aws-rds-log-connections", "billing", "not_evaluated"),
        // ehr's group loads pgaudit for reads and writes and logs sessions; legacy's logs DDL
        // only and connections without disconnections.
        ("aws-rds-audit-logging", "ehr", "pass"),
        ("aws-rds-audit-logging", "legacy", "fail"),
        ("aws-rds-log-connections", "ehr", "pass"),
        ("aws-rds-log-connections", "legacy", "fail"),
        ("aws-rds-auto-minor-version-upgrade", "ehr", "pass"),
        ("aws-rds-auto-minor-version-upgrade", "legacy", "pass"),
        ("aws-rds-enhanced-monitoring", "ehr", "pass"),
        ("aws-rds-enhanced-monitoring", "legacy", "fail"),
        ("aws-rds-event-subscription", "us-east-1", "pass"),
        ("aws-rds-iam-auth", "billing", "fail"),
        ("aws-rds-iam-auth", "ehr", "pass"),
        ("aws-rds-iam-auth", "legacy", "fail"),
        ("aws-service-hipaa-eligible", "ehr", "pass"),
        ("aws-service-hipaa-eligible", "legacy", "pass"),
        ("aws-service-hipaa-eligible", "billing", "pass"),
        ("aws-service-hipaa-eligible", "ehr-snap", "pass"),
        ("aws-service-hipaa-eligible", "ehr-shared", "pass"),
        ("aws-service-hipaa-eligible", "legacy-snap", "pass"),
    ])
}

/// The cluster's missing parameter group is the reason its audit logging is not evaluated.
pub fn check(result: &Value) {
    assert!(crate::reason(result, "aws-rds-audit-logging", "billing")
        .starts_with("rds:DescribeDBClusterParameters: DBParameterGroupNotFound"));
}
