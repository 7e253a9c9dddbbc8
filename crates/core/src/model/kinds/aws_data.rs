//! AWS stores of ePHI and what protects them: S3, RDS, DynamoDB, EFS, SQS, SNS, Secrets Manager, KMS, Backup, Redshift, OpenSearch, ElastiCache, DMS.

use super::*;
use crate::model::Provider;

const BACKUP_RULE: PropType = PropType::Object(&[
    p("name", STR, "Rule name."),
    p("schedule", STR, "`ScheduleExpression`, e.g. `cron(0 5 ? * * *)`; empty when none."),
    p(
        "runs_daily",
        BOOL,
        "The schedule starts a backup at least once a day: a `cron(...)` whose day-of-month and day-of-week are `*` or `?` (or `1/1`), every month and year.",
    ),
    opt("retention_days", INT, "`Lifecycle.DeleteAfterDays`; null when recovery points never expire."),
]);

pub(super) const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "aws.s3.bucket",
        provider: Provider::Aws,
        doc: "An S3 bucket.",
        native_id: "bucket ARN",
        props: &[
            opt(
                "default_encryption",
                STR,
                "Default encryption algorithm: `AES256` (SSE-S3), `aws:kms` (SSE-KMS) or `aws:kms:dsse` (DSSE-KMS); null if none is configured.",
            ),
            opt("kms_key_id", STR, "KMS key of the default encryption; null for SSE-S3."),
            p(
                "policy_denies_insecure_transport",
                BOOL,
                "The bucket policy denies every S3 action for everyone on the bucket's objects (`bucket/*` or `*`) when `aws:SecureTransport` is false, with no other condition narrowing the deny.",
            ),
            opt(
                "public_access_block",
                PUBLIC_ACCESS_BLOCK,
                "Bucket-level Block Public Access settings; null if none is configured.",
            ),
            p("versioning", STR, "`Enabled`, `Suspended` or `Disabled` (never enabled)."),
            p("access_logging_enabled", BOOL, "Server access logging is on."),
            p(
                "object_lock_enabled",
                BOOL,
                "S3 Object Lock is enabled on the bucket (`ObjectLockEnabled` `Enabled`); objects can be locked against deletion and overwrite.",
            ),
            p(
                "replication_enabled",
                BOOL,
                "A replication rule with status `Enabled` copies objects to another bucket (GetBucketReplication).",
            ),
            opt(
                "account_public_access_block",
                PUBLIC_ACCESS_BLOCK,
                "The account-wide S3 public access block (S3 Control); null if none.",
            ),
            p("acl_grants_public", BOOL, "The bucket ACL grants `AllUsers` or `AuthenticatedUsers`."),
            p(
                "policy_allows_public",
                BOOL,
                "The bucket policy is public by S3's definition: a statement allows everyone (`*`, `AWS: *`, a wildcard principal, or `NotPrincipal`) without a condition that pins the caller to fixed values of a source or principal key, or `aws:SourceIp` to ranges that are not the internet; or S3's own `GetBucketPolicyStatus` says `IsPublic`.",
            ),
            p(
                "access_points_public",
                STR_LIST,
                "Access points of the bucket that are open to the internet (not `VPC` origin) with a policy that is public by S3's definition.",
            ),
            opt(
                "policy_status_public",
                BOOL,
                "S3's own verdict on the bucket policy (`GetBucketPolicyStatus` `IsPublic`); false without a policy.",
            ),
            p(
                "data_events_logged",
                BOOL,
                "A logging CloudTrail trail (multi-region, or homed in the bucket's region) records S3 data events, reads and writes, for every object of the bucket: a basic selector with `ReadWriteType` `All`, or an advanced selector on `AWS::S3::Object` without a `readOnly`, event-name or suffix filter, whose ARN prefixes take the whole bucket and exclude none of it.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.rds.instance",
        provider: Provider::Aws,
        doc: "An RDS DB instance.",
        native_id: "DB instance ARN",
        props: &[
            p("engine", STR, "Database engine, e.g. `postgres`."),
            p("storage_encrypted", BOOL, "Storage is encrypted at rest."),
            opt("kms_key_id", STR, "KMS key of the storage encryption."),
            p("backup_retention_days", INT, "Automated backup retention period in days (0 = off)."),
            p("publicly_accessible", BOOL, "The instance has a publicly resolvable endpoint."),
            p("multi_az", BOOL, "The instance is Multi-AZ."),
            p("deletion_protection", BOOL, "Deletion protection is on."),
            p(
                "tls_enforced",
                BOOL,
                "The parameter group forces TLS: `rds.force_ssl` (PostgreSQL, SQL Server) or `require_secure_transport` (MySQL, MariaDB) is on; Aurora instances take it from the cluster parameter group.",
            ),
            p("log_exports", STR_LIST, "Log types exported to CloudWatch Logs (`EnabledCloudwatchLogsExports`)."),
            p("auto_minor_version_upgrade", BOOL, "Minor engine upgrades are applied automatically in the maintenance window."),
            p("iam_auth_enabled", BOOL, "IAM database authentication is on."),
            p("monitoring_interval", INT, "Enhanced Monitoring interval in seconds (0 = off)."),
            p(
                "audit_logging",
                BOOL,
                "Database audit logging records connections and data access: PostgreSQL `shared_preload_libraries` loads `pgaudit` and `pgaudit.log` keeps `read` and `write`; MySQL and MariaDB carry the `MARIADB_AUDIT_PLUGIN` option with `SERVER_AUDIT_EVENTS` recording `CONNECT` and `QUERY` (or `QUERY_DML`), unset being RDS's default `CONNECT,QUERY`; Aurora instances take it from their cluster. Unknown for Oracle and SQL Server.",
            ),
            opt(
                "log_connections",
                BOOL,
                "PostgreSQL: `log_connections` and `log_disconnections` are both on (off by default); null for other engines.",
            ),
            p(
                "in_backup_plan",
                BOOL,
                "An AWS Backup plan in the region takes this resource: a selection whose ARN patterns match it, no `NotResources` pattern excludes it, and its tag conditions hold.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.rds.snapshot",
        provider: Provider::Aws,
        doc: "A manual RDS DB snapshot or DB cluster snapshot.",
        native_id: "snapshot ARN",
        props: &[
            p("cluster", BOOL, "A DB cluster snapshot (Aurora, Multi-AZ clusters)."),
            p("encrypted", BOOL, "The snapshot is encrypted."),
            p("public", BOOL, "The snapshot is shared with all AWS accounts (`restore` attribute `all`)."),
        ],
    },
    KindSpec {
        kind: "aws.rds.cluster",
        provider: Provider::Aws,
        doc: "An Aurora or Multi-AZ DB cluster.",
        native_id: "DB cluster ARN",
        props: &[
            p("engine", STR, "Database engine, e.g. `aurora-postgresql`."),
            p("storage_encrypted", BOOL, "Storage is encrypted at rest."),
            opt("kms_key_id", STR, "KMS key of the storage encryption."),
            p("backup_retention_days", INT, "Automated backup retention period in days."),
            p("deletion_protection", BOOL, "Deletion protection is on."),
            p("multi_az", BOOL, "The cluster has DB instances in more than one Availability Zone."),
            p(
                "log_exports",
                STR_LIST,
                "Log types exported to CloudWatch Logs (`postgresql`, `audit`, `general`, ...).",
            ),
            p("iam_auth_enabled", BOOL, "IAM database authentication is on."),
            p(
                "audit_logging",
                BOOL,
                "Audit logging from the cluster parameter group: Aurora PostgreSQL `pgaudit` loaded with `pgaudit.log` keeping `read` and `write`; Aurora MySQL `server_audit_logging` on with `server_audit_events` recording `CONNECT` and `QUERY` (or `QUERY_DML`).",
            ),
            opt(
                "log_connections",
                BOOL,
                "PostgreSQL engines: `log_connections` and `log_disconnections` are both on; null for other engines.",
            ),
            p(
                "in_backup_plan",
                BOOL,
                "An AWS Backup plan in the region takes this resource: a selection whose ARN patterns match it, no `NotResources` pattern excludes it, and its tag conditions hold.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.rds.region",
        provider: Provider::Aws,
        doc: "The RDS settings of one region of an AWS account.",
        native_id: "`arn:aws:rds:REGION:ACCOUNT:account`",
        props: &[
            p("db_instances", INT, "DB instances in the region."),
            p(
                "critical_instance_events_subscribed",
                BOOL,
                "An enabled event subscription sends the `failure`, `maintenance` and `configuration change` events of every DB instance: source type `db-instance` (or all), no source IDs, and those categories (or all).",
            ),
        ],
    },
    KindSpec {
        kind: "aws.sqs.queue",
        provider: Provider::Aws,
        doc: "An SQS queue.",
        native_id: "queue ARN",
        props: &[
            p(
                "encrypted",
                BOOL,
                "Messages are encrypted at rest: SSE-SQS (`SqsManagedSseEnabled`) or SSE-KMS (`KmsMasterKeyId`).",
            ),
            opt("kms_key_id", STR, "KMS key of SSE-KMS; null otherwise."),
            p(
                "customer_managed_key",
                BOOL,
                "SSE-KMS with a customer managed key (`kms:DescribeKey` `KeyManager` `CUSTOMER`); false for SSE-SQS, `alias/aws/sqs` or no encryption.",
            ),
            p(
                "public",
                BOOL,
                "The queue policy lets everyone act on the queue by S3's definition of public (see `aws.s3.bucket` `policy_allows_public`); false without a policy.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.kms.key",
        provider: Provider::Aws,
        doc: "A KMS key.",
        native_id: "key ARN",
        props: &[
            p("key_manager", STR, "`CUSTOMER` or `AWS`."),
            p("key_spec", STR, "e.g. `SYMMETRIC_DEFAULT`, `RSA_2048`."),
            p("key_state", STR, "e.g. `Enabled`, `Disabled`, `PendingDeletion`."),
            p(
                "origin",
                STR,
                "Where the key material comes from: `AWS_KMS`, `EXTERNAL` (imported), `AWS_CLOUDHSM` or `EXTERNAL_KEY_STORE` (custom key stores).",
            ),
            p(
                "rotation_enabled",
                BOOL,
                "Automatic rotation is on (GetKeyRotationStatus; AWS-managed keys always rotate).",
            ),
            p(
                "policy_public",
                BOOL,
                "The key policy lets everyone use the key: a statement that allows everyone by S3's definition of public, not pinned to fixed accounts by `kms:CallerAccount` either; false for AWS managed keys.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.dynamodb.table",
        provider: Provider::Aws,
        doc: "A DynamoDB table.",
        native_id: "table ARN",
        props: &[
            p("pitr_enabled", BOOL, "Point-in-time recovery is on (DescribeContinuousBackups)."),
            p(
                "pitr_recovery_period_days",
                INT,
                "Days of point-in-time recovery (`RecoveryPeriodInDays`, 35 when PITR is on and it was never set); 0 without PITR.",
            ),
            opt("kms_key_arn", STR, "KMS key of the table's encryption (`SSEDescription.KMSMasterKeyArn`); null for the AWS owned key."),
            p(
                "customer_managed_key",
                BOOL,
                "Encrypted with a customer managed KMS key (`kms:DescribeKey` `KeyManager` `CUSTOMER`); false for the AWS owned key or `alias/aws/dynamodb`.",
            ),
            p("deletion_protection", BOOL, "Deletion protection is on (`DeletionProtectionEnabled`)."),
            p(
                "in_backup_plan",
                BOOL,
                "An AWS Backup plan in the region takes this resource: a selection whose ARN patterns match it, no `NotResources` pattern excludes it, and its tag conditions hold.",
            ),
            p(
                "data_events_logged",
                BOOL,
                "A logging CloudTrail trail (multi-region, or homed in the table's region) records DynamoDB data events, reads and writes, for the table: a basic selector with `ReadWriteType` `All`, or an advanced selector on `AWS::DynamoDB::Table` without a `readOnly` or event-name filter, whose ARNs take the table and exclude none of it.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.sns.topic",
        provider: Provider::Aws,
        doc: "An SNS topic.",
        native_id: "topic ARN",
        props: &[
            opt("kms_key_id", STR, "KMS key of server-side encryption (`KmsMasterKeyId`); null when off."),
            p(
                "customer_managed_key",
                BOOL,
                "Encrypted with a customer managed key (`kms:DescribeKey` `KeyManager` `CUSTOMER`); false for `alias/aws/sns` or no encryption.",
            ),
            p(
                "public",
                BOOL,
                "The topic policy lets everyone publish or subscribe by S3's definition of public; AWS's default policy (`AWS: *` pinned by `AWS:SourceOwner`) is not public.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.secretsmanager.secret",
        provider: Provider::Aws,
        doc: "A Secrets Manager secret (metadata only; values are never read).",
        native_id: "secret ARN",
        props: &[
            p("rotation_enabled", BOOL, "Automatic rotation is configured."),
            opt("kms_key_id", STR, "KMS key that encrypts the secret (`KmsKeyId`); null for `aws/secretsmanager`."),
            p(
                "customer_managed_key",
                BOOL,
                "Encrypted with a customer managed key (`kms:DescribeKey` `KeyManager` `CUSTOMER`); false for `aws/secretsmanager`.",
            ),
            p("created", TS, "When the secret was created."),
            opt("last_accessed", TS, "The last day the secret was retrieved (`LastAccessedDate`, to the day); null if never."),
            opt("last_rotated", TS, "When the secret was last rotated (`LastRotatedDate`); null if never."),
        ],
    },
    KindSpec {
        kind: "aws.elasticfilesystem.file_system",
        provider: Provider::Aws,
        doc: "An EFS file system.",
        native_id: "file system ARN",
        props: &[
            p("encrypted", BOOL, "Encrypted at rest."),
            p(
                "backup_enabled",
                BOOL,
                "Backed up: automatic backups on (backup policy `ENABLED`), or an AWS Backup plan's resource selection takes the file system (by ARN pattern, not excluded, and its tag conditions met).",
            ),
        ],
    },
    KindSpec {
        kind: "aws.backup.vault",
        provider: Provider::Aws,
        doc: "An AWS Backup vault.",
        native_id: "vault ARN",
        props: &[
            p(
                "customer_managed_key",
                BOOL,
                "Recovery points are encrypted with a customer managed KMS key (not `aws/backup` or an AWS-owned key).",
            ),
            p(
                "locked",
                BOOL,
                "AWS Backup Vault Lock is on (`Locked`): recovery points cannot be deleted before their retention ends, in compliance mode not even by the root user.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.backup.plan",
        provider: Provider::Aws,
        doc: "An AWS Backup plan (latest version).",
        native_id: "backup plan ARN",
        props: &[PropSpec {
            name: "rules",
            ty: PropType::List(&BACKUP_RULE),
            nullable: false,
            sensitive: false,
            doc: "The plan's rules: schedule, whether it runs at least once a day, and how long recovery points are kept.",
        }],
    },
    KindSpec {
        kind: "aws.redshift.cluster",
        provider: Provider::Aws,
        doc: "A provisioned Redshift cluster.",
        native_id: "cluster ARN",
        props: &[
            p("encrypted", BOOL, "The cluster's storage is encrypted."),
            opt("kms_key_id", STR, "KMS key of the encryption; null when none is named."),
            p("publicly_accessible", BOOL, "The cluster has a publicly resolvable endpoint."),
            p("enhanced_vpc_routing", BOOL, "COPY and UNLOAD traffic goes through the VPC."),
            p("automated_snapshot_retention_days", INT, "Days automated snapshots are kept (0 = off)."),
            p(
                "audit_logging",
                BOOL,
                "Audit logging is on (DescribeLoggingStatus `LoggingEnabled`): connection and user logs go to S3 or CloudWatch Logs.",
            ),
            p(
                "user_activity_logging",
                BOOL,
                "The parameter group sets `enable_user_activity_logging` to `true`: each query is logged before it runs.",
            ),
            p("require_ssl", BOOL, "The parameter group sets `require_ssl` to `true`."),
        ],
    },
    KindSpec {
        kind: "aws.es.domain",
        provider: Provider::Aws,
        doc: "An OpenSearch Service (or Elasticsearch) domain.",
        native_id: "domain ARN",
        props: &[
            p("encrypted_at_rest", BOOL, "Encryption at rest is on."),
            p("node_to_node_encryption", BOOL, "Traffic between the domain's nodes is encrypted."),
            p("enforce_https", BOOL, "The endpoint refuses plain HTTP (`EnforceHTTPS`, off by default)."),
            p(
                "tls_policy",
                STR,
                "The endpoint's TLS security policy, e.g. `Policy-Min-TLS-1-2-2019-07` (default `Policy-Min-TLS-1-0-2019-07`).",
            ),
            p("in_vpc", BOOL, "The domain is in a VPC (no public endpoint)."),
            p(
                "policy_public",
                BOOL,
                "The domain access policy allows everyone by S3's definition of public (a condition on `aws:SourceIp` to ranges that are not the internet pins it).",
            ),
            p("audit_logs", BOOL, "Audit logs are published to CloudWatch Logs (`AUDIT_LOGS` enabled)."),
        ],
    },
    KindSpec {
        kind: "aws.dms.replication_instance",
        provider: Provider::Aws,
        doc: "An AWS Database Migration Service replication instance: it reads the source database and writes the target, holding changes in flight on its own storage.",
        native_id: "replication instance ARN",
        props: &[
            p(
                "publicly_accessible",
                BOOL,
                "The instance can be reached from the internet: `PubliclyAccessible` (true by default when an instance is created), or a public IP address in the answer.",
            ),
            opt(
                "kms_key_id",
                STR,
                "KMS key that encrypts the instance's storage (always encrypted; DMS's default is the AWS managed key `aws/dms`); null when the answer names none.",
            ),
            p(
                "customer_managed_key",
                BOOL,
                "Storage encrypted with a customer managed KMS key (`kms:DescribeKey` `KeyManager` `CUSTOMER`); false for `aws/dms`.",
            ),
            p("multi_az", BOOL, "A standby replication instance in another Availability Zone takes over on failure (`MultiAZ`)."),
            p(
                "auto_minor_version_upgrade",
                BOOL,
                "Minor engine versions are applied automatically in the maintenance window.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.elasticache.replication_group",
        provider: Provider::Aws,
        doc: "An ElastiCache (Redis OSS or Valkey) replication group.",
        native_id: "replication group ARN",
        props: &[
            p("encrypted_at_rest", BOOL, "Encryption at rest is on."),
            p(
                "transit_encryption_required",
                BOOL,
                "In-transit encryption is on and required: `TransitEncryptionEnabled` with a mode other than `preferred`, which also accepts clear-text connections.",
            ),
            p(
                "auth_required",
                BOOL,
                "Clients must authenticate: an AUTH token (`AuthTokenEnabled`) or RBAC user groups.",
            ),
            p("snapshot_retention_days", INT, "Days automatic backups are kept (0 = off)."),
        ],
    },
];
