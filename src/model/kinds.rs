//! The typed property schema of every resource kind the scanner knows.
//!
//! Adapters fill these properties; policies read them; `hipaa-scan docs` renders them into
//! `docs/resource-kinds.md`, so the documentation cannot drift from the code.

use super::Provider;

/// The type of one property value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropType {
    Bool,
    Int,
    String,
    /// An RFC 3339 timestamp; policies compare it with `now` and `duration(...)`.
    Timestamp,
    /// A list of values of one type.
    List(&'static PropType),
    /// A nested object with its own typed fields.
    Object(&'static [PropSpec]),
}

impl PropType {
    /// A short human name, used in docs and error messages.
    pub fn describe(&self) -> String {
        match self {
            PropType::Bool => "bool".into(),
            PropType::Int => "int".into(),
            PropType::String => "string".into(),
            PropType::Timestamp => "timestamp".into(),
            PropType::List(inner) => format!("list<{}>", inner.describe()),
            PropType::Object(fields) => {
                let names: Vec<_> = fields.iter().map(|f| f.name).collect();
                format!("object{{{}}}", names.join(", "))
            }
        }
    }
}

/// One property of a resource kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropSpec {
    pub name: &'static str,
    pub ty: PropType,
    /// `null` is a meaningful value (e.g. "no KMS key configured"), distinct from unknown.
    pub nullable: bool,
    /// The value may carry secrets or PHI; reports redact it in evidence.
    pub sensitive: bool,
    pub doc: &'static str,
}

const fn p(name: &'static str, ty: PropType, doc: &'static str) -> PropSpec {
    PropSpec {
        name,
        ty,
        nullable: false,
        sensitive: false,
        doc,
    }
}

const fn opt(name: &'static str, ty: PropType, doc: &'static str) -> PropSpec {
    PropSpec {
        name,
        ty,
        nullable: true,
        sensitive: false,
        doc,
    }
}

/// A resource kind: `<provider>.<service>.<type>`, with its properties.
#[derive(Debug, Clone, Copy)]
pub struct KindSpec {
    pub kind: &'static str,
    pub provider: Provider,
    pub doc: &'static str,
    /// What the resource's native `id` is (ARN, full resource name, resource ID).
    pub native_id: &'static str,
    pub props: &'static [PropSpec],
}

impl KindSpec {
    pub fn prop(&self, name: &str) -> Option<&'static PropSpec> {
        self.props.iter().find(|p| p.name == name)
    }

    /// The service segment of the kind (`s3` in `aws.s3.bucket`).
    pub fn service(&self) -> &'static str {
        self.kind.split('.').nth(1).unwrap_or("")
    }
}

/// Fields every resource exposes to conditions, whatever its kind.
pub const COMMON_FIELDS: &[PropSpec] = &[
    p(
        "id",
        PropType::String,
        "Native identifier: ARN, full resource name or Azure resource ID.",
    ),
    p("name", PropType::String, "Display name of the resource."),
    p(
        "kind",
        PropType::String,
        "Resource kind, e.g. `aws.s3.bucket`.",
    ),
    p("provider", PropType::String, "`aws`, `gcp` or `azure`."),
    p(
        "service",
        PropType::String,
        "Service segment of the kind, e.g. `s3`.",
    ),
    p(
        "account",
        PropType::String,
        "AWS account ID, GCP project ID or Azure subscription ID.",
    ),
    p(
        "region",
        PropType::String,
        "Region or location; `global` for global resources.",
    ),
    PropSpec {
        name: "tags",
        ty: PropType::Object(&[]),
        nullable: false,
        sensitive: true,
        doc: "Tags or labels as a map of string to string. Values are redacted in reports.",
    },
    p(
        "in_scope",
        PropType::Bool,
        "Whether the resource is in ePHI scope (see the scope configuration).",
    ),
    p(
        "hipaa_eligible",
        PropType::Bool,
        "Whether the resource's service is covered by the provider's BAA, per `policies/baa/`.",
    ),
];

const STR: PropType = PropType::String;
const BOOL: PropType = PropType::Bool;
const INT: PropType = PropType::Int;
const TS: PropType = PropType::Timestamp;
const STR_LIST: PropType = PropType::List(&PropType::String);

const PUBLIC_ACCESS_BLOCK: PropType = PropType::Object(&[
    p("block_public_acls", BOOL, "BlockPublicAcls."),
    p("ignore_public_acls", BOOL, "IgnorePublicAcls."),
    p("block_public_policy", BOOL, "BlockPublicPolicy."),
    p("restrict_public_buckets", BOOL, "RestrictPublicBuckets."),
]);

const PASSWORD_POLICY: PropType = PropType::Object(&[
    p("minimum_length", INT, "MinimumPasswordLength."),
    p(
        "reuse_prevention",
        INT,
        "PasswordReusePrevention: previous passwords that cannot be reused (0 = none).",
    ),
    p(
        "max_age_days",
        INT,
        "MaxPasswordAge in days (0 = never expires).",
    ),
]);

const ACCESS_KEY: PropType = PropType::Object(&[
    p("id", STR, "Access key ID."),
    p("active", BOOL, "Whether the key is Active."),
    p("created", TS, "When the key was created."),
    opt(
        "last_used",
        TS,
        "When the key was last used; null if never.",
    ),
]);

const FIREWALL_RULE: PropType = PropType::Object(&[
    p("name", STR, "Rule name."),
    p("start_ip", STR, "First address allowed, as the API states it (IPv4 in `firewall_rules`, IPv6 in `ipv6_firewall_rules`)."),
    p("end_ip", STR, "Last address allowed, as the API states it."),
]);

const FULL_ADMIN_GRANTS: PropSpec = p(
    "full_admin_grants",
    STR_LIST,
    "What grants full administrator access: every action on every resource (also through `NotAction` or `NotResource`), or `iam:*` on every resource. `inline:NAME` for an inline policy; a managed policy's ARN (AdministratorAccess in any partition, or a customer policy that grants it) when attached; `group:GROUP:GRANT` for what a user holds through a group; `document` for a customer managed policy's own document. Empty when nothing does.",
);

const AUDIT_CONFIG: PropType = PropType::Object(&[
    p(
        "service",
        STR,
        "Service the audit config applies to, e.g. `allServices`.",
    ),
    p(
        "log_types",
        STR_LIST,
        "Enabled log types: `ADMIN_READ`, `DATA_READ`, `DATA_WRITE`.",
    ),
]);

/// Every kind with a typed schema. Resources of other `<provider>.<service>.<type>` kinds are
/// accepted without properties: they take part in the HIPAA-eligibility check and the
/// inheritance map only.
pub const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "aws.account",
        provider: Provider::Aws,
        doc: "An AWS account: root-user and account-wide settings.",
        native_id: "account ID",
        props: &[
            p("root_mfa_enabled", BOOL, "The root user has an MFA device (credential report / GetAccountSummary AccountMFAEnabled)."),
            p("root_access_keys_present", BOOL, "The root user has at least one access key."),
            p(
                "root_password_present",
                BOOL,
                "The root user has a password (`AccountPasswordPresent`); false under centralized root access.",
            ),
            p(
                "multi_region_trail_logging",
                BOOL,
                "At least one multi-region CloudTrail trail is logging and records management events.",
            ),
            opt(
                "public_access_block",
                PUBLIC_ACCESS_BLOCK,
                "Account-level S3 Block Public Access settings; null if none is configured.",
            ),
            opt(
                "password_policy",
                PASSWORD_POLICY,
                "The IAM password policy; null when the account has none.",
            ),
        ],
    },
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
        ],
    },
    KindSpec {
        kind: "aws.iam.user",
        provider: Provider::Aws,
        doc: "An IAM user.",
        native_id: "user ARN",
        props: &[
            p("created", TS, "When the user was created."),
            p("password_enabled", BOOL, "The user has a console password."),
            opt("password_last_used", TS, "When the password was last used; null if never."),
            p("mfa_devices", INT, "Number of MFA devices (virtual, hardware or passkey)."),
            PropSpec {
                name: "access_keys",
                ty: PropType::List(&ACCESS_KEY),
                nullable: false,
                sensitive: false,
                doc: "The user's access keys.",
            },
            p(
                "attached_policies",
                STR_LIST,
                "ARNs of managed policies attached directly to the user.",
            ),
            FULL_ADMIN_GRANTS,
        ],
    },
    KindSpec {
        kind: "aws.iam.role",
        provider: Provider::Aws,
        doc: "An IAM role.",
        native_id: "role ARN",
        props: &[
            p("path", STR, "The role's path, e.g. `/` or `/aws-service-role/...`."),
            FULL_ADMIN_GRANTS,
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
        ],
    },
    KindSpec {
        kind: "aws.lambda.function",
        provider: Provider::Aws,
        doc: "A Lambda function.",
        native_id: "function ARN",
        props: &[
            opt("runtime", STR, "Runtime identifier, e.g. `python3.12`; null for container images."),
            opt(
                "kms_key_arn",
                STR,
                "Customer managed KMS key for the environment variables; null when Lambda's own key is used.",
            ),
            p("environment_variables", BOOL, "The function has environment variables (their values are never read into the inventory)."),
            p(
                "public",
                BOOL,
                "The resource-based policy (`lambda:GetPolicy`) lets everyone invoke the function by S3's definition of public (see `aws.s3.bucket` `policy_allows_public`), which includes a function URL with `AuthType` `NONE`; false without a policy.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.states.state_machine",
        provider: Provider::Aws,
        doc: "A Step Functions state machine (listed so its service is judged against the BAA).",
        native_id: "state machine ARN",
        props: &[],
    },
    KindSpec {
        kind: "aws.iam.group",
        provider: Provider::Aws,
        doc: "An IAM group: its members hold what it holds.",
        native_id: "group ARN",
        props: &[
            p("members", STR_LIST, "Names of the users in the group."),
            p(
                "attached_policies",
                STR_LIST,
                "ARNs of managed policies attached to the group.",
            ),
            FULL_ADMIN_GRANTS,
        ],
    },
    KindSpec {
        kind: "aws.iam.policy",
        provider: Provider::Aws,
        doc: "A customer managed IAM policy, judged on its default version.",
        native_id: "policy ARN",
        props: &[
            p("attachment_count", INT, "Users, groups and roles it is attached to."),
            FULL_ADMIN_GRANTS,
            p(
                "kms_decrypt_all_keys",
                BOOL,
                "The default version allows `kms:Decrypt` or `kms:ReEncryptFrom` on every resource (`*`, or `NotResource`), in a statement with no positive condition on a `kms:` key or `aws:ResourceTag/...` that would scope it to some keys.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.cloudtrail.trail",
        provider: Provider::Aws,
        doc: "A CloudTrail trail.",
        native_id: "trail ARN",
        props: &[
            p("multi_region", BOOL, "The trail records events in every region."),
            p("is_logging", BOOL, "The trail is logging (GetTrailStatus)."),
            p("management_events", BOOL, "The trail records every management event: read and write (`ReadWriteType` `All`, or advanced selectors without a `readOnly` filter), with no event source singled out and neither `kms` nor `rdsdata` excluded."),
            p("log_file_validation", BOOL, "Log file integrity validation is on."),
            opt("kms_key_id", STR, "KMS key that encrypts the log files; null for SSE-S3."),
            opt(
                "cloudwatch_logs_log_group",
                STR,
                "Log group ARN the trail delivers to in CloudWatch Logs (`CloudWatchLogsLogGroupArn`); null when it does not.",
            ),
            p(
                "s3_data_events",
                STR_LIST,
                "S3 object data events the trail records for reads and writes alike, one entry per selector: the ARN prefixes it takes (`every bucket` without a filter) and those it leaves out.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.cloudwatch.monitoring",
        provider: Provider::Aws,
        doc: "The account's log-in monitoring and alerting (CIS AWS Foundations 4.1-4.14): CloudWatch Logs metric filters on the log group of a multi-region trail that is logging every management event, each feeding a metric with an alarm that has actions. A class is monitored when every sample CloudTrail record of it is matched by such a filter whose pattern does not also match an ordinary read-only call; patterns are parsed and run, not compared as text.",
        native_id: "`arn:aws:cloudwatch::ACCOUNT:monitoring`",
        props: &[
            p("trail_log_groups", STR_LIST, "Log groups of the multi-region, logging trails that record every management event."),
            p("root_usage", BOOL, "Use of the root user is alarmed (console sign-in and API calls)."),
            p("unauthorized_api_calls", BOOL, "Unauthorized API calls are alarmed (`*UnauthorizedOperation`, `AccessDenied*`)."),
            p("console_signin_without_mfa", BOOL, "Console sign-in without MFA is alarmed."),
            p("console_authentication_failures", BOOL, "Failed console authentication is alarmed."),
            p("iam_policy_changes", BOOL, "IAM policy changes are alarmed (all sixteen put, delete, create, version, attach and detach calls)."),
            p("cloudtrail_changes", BOOL, "CloudTrail configuration changes are alarmed (create, update, delete, start and stop logging)."),
            p("kms_key_disabled_or_deleted", BOOL, "Disabling or scheduling deletion of KMS keys is alarmed."),
            p("s3_bucket_policy_changes", BOOL, "S3 bucket policy, ACL, CORS, lifecycle and replication changes are alarmed."),
            p("config_changes", BOOL, "AWS Config recorder and delivery channel changes are alarmed."),
            p("security_group_changes", BOOL, "Security group changes are alarmed."),
            p("nacl_changes", BOOL, "Network ACL changes are alarmed."),
            p("network_gateway_changes", BOOL, "Customer and internet gateway changes are alarmed."),
            p("route_table_changes", BOOL, "Route table changes are alarmed."),
            p("vpc_changes", BOOL, "VPC and VPC peering changes are alarmed."),
        ],
    },
    KindSpec {
        kind: "aws.ec2.region",
        provider: Provider::Aws,
        doc: "The EC2 settings of one region of an AWS account.",
        native_id: "`arn:aws:ec2:REGION:ACCOUNT:region`",
        props: &[p(
            "ebs_encryption_by_default",
            BOOL,
            "New EBS volumes are encrypted by default (GetEbsEncryptionByDefault).",
        )],
    },
    KindSpec {
        kind: "aws.ec2.volume",
        provider: Provider::Aws,
        doc: "An EBS volume.",
        native_id: "volume ARN",
        props: &[
            p("encrypted", BOOL, "The volume is encrypted."),
            opt("kms_key_id", STR, "KMS key of the encryption."),
            p("attached", BOOL, "The volume is attached to an instance."),
        ],
    },
    KindSpec {
        kind: "aws.ec2.snapshot",
        provider: Provider::Aws,
        doc: "An EBS snapshot owned by the account.",
        native_id: "snapshot ARN",
        props: &[
            p("encrypted", BOOL, "The snapshot is encrypted."),
            p("public", BOOL, "Anyone may create a volume from it (`createVolumePermission` group `all`)."),
        ],
    },
    KindSpec {
        kind: "aws.ec2.security_group",
        provider: Provider::Aws,
        doc: "A VPC security group.",
        native_id: "security group ARN",
        props: &[p(
                "world_open_admin_ports",
                STR_LIST,
                "Port 22, port 3389 or every port, where the sources of all ingress rules that reach it together cover the internet (all of IPv4, all of IPv6 or `2000::/3`) or one source is broader than /8; as `tcp 22 from 0.0.0.0/1, 128.0.0.0/1`.",
            ),
            p(
                "world_open_database_ports",
                STR_LIST,
                "The same for database and remote-management ports: 1433, 1521, 3306, 5432, 6379, 9200, 27017, 445, 23, 5985, 5986.",
            ),
            p("is_default", BOOL, "The VPC's default security group (named `default`)."),
            p("rule_count", INT, "Inbound and outbound permissions together (0: the group lets nothing in or out)."),
        ],
    },
    KindSpec {
        kind: "aws.ec2.network_acl",
        provider: Provider::Aws,
        doc: "A VPC network ACL.",
        native_id: "network ACL ARN",
        props: &[
            p("is_default", BOOL, "The VPC's default network ACL."),
            p(
                "world_open_admin_ports",
                STR_LIST,
                "Port 22 or 3389 over TCP where the inbound entries, evaluated lowest rule number first with the first match deciding, let in more addresses than a /8 of IPv4 (or of IPv6); as `tcp 22 (rule 100 from 0.0.0.0/0)`.",
            ),
        ],
    },
    KindSpec {
        kind: "aws.ec2.instance",
        provider: Provider::Aws,
        doc: "An EC2 instance (terminated instances are left out).",
        native_id: "instance ARN",
        props: &[
            p("state", STR, "`pending`, `running`, `stopping`, `stopped`, `shutting-down`."),
            p(
                "imdsv2_required",
                BOOL,
                "The instance metadata service requires session tokens (`HttpTokens` `required`, IMDSv2 only), or is turned off (`HttpEndpoint` `disabled`).",
            ),
            opt("public_ip", STR, "Public IPv4 address; null when the instance has none."),
        ],
    },
    KindSpec {
        kind: "aws.ec2.vpc",
        provider: Provider::Aws,
        doc: "A VPC.",
        native_id: "VPC ARN",
        props: &[
            p("is_default", BOOL, "The region's default VPC."),
            p("flow_logs_enabled", BOOL, "At least one active flow log captures the VPC's traffic."),
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
        ],
    },
    KindSpec {
        kind: "aws.logs.log_group",
        provider: Provider::Aws,
        doc: "A CloudWatch Logs log group.",
        native_id: "log group ARN",
        props: &[
            opt("retention_days", INT, "Retention in days; null when events never expire."),
            opt("kms_key_id", STR, "KMS key that encrypts the group; null for CloudWatch Logs' own encryption."),
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
        kind: "aws.guardduty.region",
        provider: Provider::Aws,
        doc: "GuardDuty in one region of the account.",
        native_id: "`arn:aws:guardduty:REGION:ACCOUNT:account`",
        props: &[p("detector_enabled", BOOL, "A detector exists and is enabled.")],
    },
    KindSpec {
        kind: "aws.config.region",
        provider: Provider::Aws,
        doc: "AWS Config in one region of the account.",
        native_id: "`arn:aws:config:REGION:ACCOUNT:account`",
        props: &[
            p("recorders", INT, "Configuration recorders in the region."),
            p("recording", BOOL, "A configuration recorder is recording."),
            p(
                "records_all_types",
                BOOL,
                "A recorder records every supported resource type (`allSupported`, no exclusions).",
            ),
        ],
    },
    KindSpec {
        kind: "aws.securityhub.region",
        provider: Provider::Aws,
        doc: "Security Hub in one region of the account.",
        native_id: "`arn:aws:securityhub:REGION:ACCOUNT:account`",
        props: &[p("enabled", BOOL, "The account is subscribed to Security Hub in the region.")],
    },
    KindSpec {
        kind: "aws.sso.permission_set",
        provider: Provider::Aws,
        doc: "An IAM Identity Center permission set.",
        native_id: "permission set ARN",
        props: &[p(
            "session_duration_seconds",
            INT,
            "How long a session lasts before the user must sign in again (default one hour).",
        )],
    },
    KindSpec {
        kind: "aws.elasticloadbalancing.load_balancer",
        provider: Provider::Aws,
        doc: "An Application, Network, Gateway or Classic Load Balancer.",
        native_id: "load balancer ARN",
        props: &[
            p("type", STR, "`application`, `network`, `gateway` or `classic`."),
            p("access_logs_enabled", BOOL, "Access logs are delivered to S3."),
        ],
    },
    KindSpec {
        kind: "aws.elasticloadbalancing.listener",
        provider: Provider::Aws,
        doc: "A load balancer listener.",
        native_id: "listener ARN (classic: load balancer ARN and port)",
        props: &[
            p("load_balancer", STR, "Name of the load balancer."),
            p("protocol", STR, "`HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`, `SSL`."),
            p("port", INT, "Listener port."),
            p(
                "redirects_to_https",
                BOOL,
                "The default action and every rule redirect to HTTPS (or answer with a fixed response); false when any forwards.",
            ),
            p(
                "tls_protocols",
                STR_LIST,
                "Protocol versions the security policy allows, e.g. `TLSv1.2`; empty without TLS.",
            ),
        ],
    },
    KindSpec {
        kind: "gcp.project",
        provider: Provider::Gcp,
        doc: "A Google Cloud project: project-wide settings, with the audit configs it inherits from the folders and organization above it.",
        native_id: "full resource name `//cloudresourcemanager.googleapis.com/projects/NUMBER`",
        props: &[
            PropSpec {
                name: "audit_configs",
                ty: PropType::List(&AUDIT_CONFIG),
                nullable: false,
                sensitive: false,
                doc: "The project's own IAM policy's audit configs (getIamPolicy `auditConfigs`), without the inherited ones.",
            },
            p(
                "ancestors",
                STR_LIST,
                "The folders and organization above the project, nearest first (`folders/N`, `organizations/N`), from `projects.get` and `folders.get` `parent`; empty outside an organization.",
            ),
            p(
                "data_access_all_services",
                BOOL,
                "The effective audit config (the union of the project's, its folders' and its organization's) enables `DATA_READ` and `DATA_WRITE` for `allServices`. Unknown when it is not enabled by the policies read and an ancestor's policy could not be read.",
            ),
            p(
                "data_access_exemptions",
                STR_LIST,
                "Principals exempted from `DATA_READ` or `DATA_WRITE` logging anywhere in the effective audit config (any service, project or ancestor; exemptions are inherited), as `LOG_TYPE MEMBER (SERVICE on RESOURCE)`. Unknown when an ancestor's policy could not be read and none was found in the others; then only found ones are listed.",
            ),
        ],
    },
    KindSpec {
        kind: "gcp.storage.bucket",
        provider: Provider::Gcp,
        doc: "A Cloud Storage bucket.",
        native_id: "full resource name `//storage.googleapis.com/projects/_/buckets/NAME`",
        props: &[
            opt("default_kms_key", STR, "Default Cloud KMS key (`encryption.defaultKmsKeyName`); null if Google-managed."),
            p("uniform_bucket_level_access", BOOL, "Uniform bucket-level access is on."),
            p(
                "public_access_prevention",
                STR,
                "`enforced` or `inherited` (`iamConfiguration.publicAccessPrevention`).",
            ),
            p("public_members", STR_LIST, "IAM members `allUsers` / `allAuthenticatedUsers` granted any role (bucket ACLs appear here too, as the legacy bucket roles)."),
            p(
                "public_default_object_acl",
                STR_LIST,
                "Entities `allUsers` / `allAuthenticatedUsers` in the default object ACL (`defaultObjectAcl`), which new objects get when no ACL is given; empty with uniform bucket-level access, where ACLs are not evaluated.",
            ),
            p(
                "public_object_acls",
                BOOL,
                "Some object's own ACL grants `allUsers` / `allAuthenticatedUsers`. False with uniform bucket-level access (object ACLs are not evaluated). With fine-grained access the scan does not enumerate objects, so it is unknown, with that reason.",
            ),
            p("versioning_enabled", BOOL, "Object versioning is on (`versioning.enabled`); absent means off."),
            opt("retention_period_seconds", INT, "Retention policy period (`retentionPolicy.retentionPeriod`); null if none. A retention policy delays deletion; it does not keep overwritten or deleted versions."),
            p("logging_enabled", BOOL, "Usage logging is on (`logging.logBucket` set)."),
            p(
                "data_access_logged",
                BOOL,
                "The project's effective Data Access audit logs (its own audit config with those of its folders and organization) record every Cloud Storage read and write: `DATA_READ` and `DATA_WRITE` for `allServices` or `storage.googleapis.com`, with no principal exempted from them.",
            ),
        ],
    },
    KindSpec {
        kind: "gcp.sql.instance",
        provider: Provider::Gcp,
        doc: "A Cloud SQL instance.",
        native_id: "full resource name `//sqladmin.googleapis.com/projects/P/instances/NAME`",
        props: &[
            p("database_version", STR, "e.g. `POSTGRES_16`."),
            p(
                "ssl_mode",
                STR,
                "`ALLOW_UNENCRYPTED_AND_ENCRYPTED`, `ENCRYPTED_ONLY` or `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`.",
            ),
            p("backups_enabled", BOOL, "Automated backups are on."),
            p("point_in_time_recovery", BOOL, "Point-in-time recovery (binary log / WAL archiving) is on."),
            p("ipv4_enabled", BOOL, "The instance has a public IPv4 address (`ipConfiguration.ipv4Enabled`); unknown if the API leaves it out."),
            p("authorized_networks", STR_LIST, "CIDR ranges authorized to connect to the public IP."),
            p(
                "authorized_networks_open",
                BOOL,
                "The authorized networks, together, admit the whole internet, by CIDR arithmetic: their union covers every address (`0.0.0.0/0`, or e.g. `0.0.0.0/1` with `128.0.0.0/1`), or one is broader than a /8. Unknown if a value is not an address or range.",
            ),
            opt("kms_key", STR, "Customer-managed encryption key; null if Google-managed."),
        ],
    },
    KindSpec {
        kind: "gcp.kms.key",
        provider: Provider::Gcp,
        doc: "A Cloud KMS crypto key.",
        native_id: "full resource name `//cloudkms.googleapis.com/projects/P/locations/L/keyRings/R/cryptoKeys/K`",
        props: &[
            p("purpose", STR, "`ENCRYPT_DECRYPT`, `ASYMMETRIC_SIGN`, `ASYMMETRIC_DECRYPT`, `MAC`, `RAW_ENCRYPT_DECRYPT`."),
            opt(
                "rotation_period_seconds",
                INT,
                "Automatic rotation period; null when the key does not rotate by itself.",
            ),
            p("primary_state", STR, "State of the primary version (`ENABLED`, `DISABLED`, `DESTROYED`, ...); `NONE` without one."),
        ],
    },
    KindSpec {
        kind: "gcp.identity.user",
        provider: Provider::Gcp,
        doc: "A Cloud Identity / Google Workspace user with access to the organization.",
        native_id: "Directory API user ID",
        props: &[
            p("suspended", BOOL, "The account is suspended."),
            p(
                "enrolled_in_2sv",
                BOOL,
                "The user is enrolled in 2-Step Verification (Directory API `users` `isEnrolledIn2Sv`). Enrolment alone lets the user turn 2SV off again; a snapshot that leaves the field out makes it unknown.",
            ),
            p(
                "enforced_in_2sv",
                BOOL,
                "2-Step Verification is enforced for the user by the Admin console policy of their organizational unit (`isEnforcedIn2Sv`), so they cannot turn it off. A snapshot that leaves the field out makes it unknown.",
            ),
        ],
    },
    KindSpec {
        kind: "azure.subscription",
        provider: Provider::Azure,
        doc: "An Azure subscription: subscription-wide settings.",
        native_id: "`/subscriptions/ID`",
        props: &[
            p(
                "activity_log_destinations",
                STR_LIST,
                "Destinations of diagnostic settings that export the activity log (with at least one log category enabled): `workspace`, `storage`, `eventhub`, `partner`.",
            ),
            p(
                "activity_log_categories",
                STR_LIST,
                "Activity log categories (e.g. `Administrative`, `Security`, `Policy`) enabled in a diagnostic setting that has a destination, across all settings; an enabled category group is listed by its name (`allLogs` covers every category). Unknown when a setting's `logs` entry has no `enabled`.",
            ),
            p(
                "defender_standard_plans",
                STR_LIST,
                "Defender for Cloud plans on the Standard tier, by their `Microsoft.Security/pricings` names (`VirtualMachines` for Servers, `SqlServers`, `StorageAccounts`, `KeyVaults`, `Arm`, `Containers`, `AppServices`, `CosmosDbs`, `OpenSourceRelationalDatabases`, ...). A plan whose `resourcesCoverageStatus` is `PartiallyCovered` or `NotCovered` (resources excluded at resource level) is not listed. Unknown when a plan has no `pricingTier`.",
            ),
        ],
    },
    KindSpec {
        kind: "azure.storage.account",
        provider: Provider::Azure,
        doc: "A storage account.",
        native_id: "Azure resource ID",
        props: &[
            p("https_only", BOOL, "`supportsHttpsTrafficOnly`; unknown when the account does not say (its default of true applies only to accounts created with api-version 2019-04-01 or later)."),
            p("minimum_tls_version", STR, "`TLS1_0`, `TLS1_1`, `TLS1_2` or `TLS1_3`; `TLS1_0` when absent (the documented interpretation)."),
            p("allow_blob_public_access", BOOL, "`allowBlobPublicAccess`; true when null or absent, which Microsoft documents as permitting anonymous access (accounts created before the 2023 change of default)."),
            p("key_source", STR, "`Microsoft.Storage` (platform key) or `Microsoft.Keyvault` (customer-managed key), whatever the case the API used; `Microsoft.Storage` when absent (the documented default)."),
            p("infrastructure_encryption", BOOL, "`requireInfrastructureEncryption`; false when absent (it is opt-in, at creation only)."),
            opt(
                "blob_soft_delete_days",
                INT,
                "Blob soft-delete retention in days; null when soft delete is off; unknown when the blob service does not say, or says it is on without `days`.",
            ),
        ],
    },
    KindSpec {
        kind: "azure.sql.server",
        provider: Provider::Azure,
        doc: "An Azure SQL logical server.",
        native_id: "Azure resource ID",
        props: &[
            p("public_network_access", STR, "`Enabled`, `Disabled` or `SecuredByPerimeter`; unknown when absent."),
            PropSpec {
                name: "firewall_rules",
                ty: PropType::List(&FIREWALL_RULE),
                nullable: false,
                sensitive: false,
                doc: "Server IPv4 firewall rules (`firewallRules`).",
            },
            PropSpec {
                name: "ipv6_firewall_rules",
                ty: PropType::List(&FIREWALL_RULE),
                nullable: false,
                sensitive: false,
                doc: "Server IPv6 firewall rules (`ipv6FirewallRules`).",
            },
            p(
                "internet_open_rules",
                STR_LIST,
                "Why the IPv4 and IPv6 firewall rules let the internet in, by CIDR arithmetic: a rule whose range holds more addresses than a /8, or rules whose ranges together cover every address. Empty when they do not. The \"Allow Azure services\" rule (0.0.0.0 to 0.0.0.0) is one address and never counts here. Unknown when the rules could not be read or an address does not parse, unless the readable rules already open the server.",
            ),
            p(
                "allows_azure_services",
                BOOL,
                "A firewall rule from 0.0.0.0 to 0.0.0.0 (\"Allow Azure services and resources to access this server\") lets in connections from any Azure tenant's resources.",
            ),
            p("auditing_enabled", BOOL, "Server auditing is on (`auditingSettings/default` state `Enabled`; `Disabled` is off, anything else unknown)."),
            opt(
                "audit_retention_days",
                INT,
                "Retention of the storage-account audit target in days (`retentionDays`; 0 means kept without limit); null when auditing has no storage target (`storageEndpoint`); unknown when it has one and `retentionDays` is absent.",
            ),
            opt(
                "audit_monitor_retention_days",
                INT,
                "Retention in days of audit records sent to Azure Monitor (`isAzureMonitorTargetEnabled`: a Log Analytics workspace or event hub through the master database's diagnostic settings); null when that target is off. The live adapter does not read the workspace, so it is unknown whenever the target is on.",
            ),
        ],
    },
    KindSpec {
        kind: "azure.sql.database",
        provider: Provider::Azure,
        doc: "A database on an Azure SQL logical server (`master` excluded).",
        native_id: "Azure resource ID",
        props: &[
            p("server", STR, "Name of the logical server."),
            p("tde_enabled", BOOL, "Transparent data encryption is on (`transparentDataEncryption/current` state `Enabled`; `Disabled` is off, anything else unknown)."),
        ],
    },
    KindSpec {
        kind: "azure.keyvault.vault",
        provider: Provider::Azure,
        doc: "A Key Vault.",
        native_id: "Azure resource ID",
        props: &[
            p("soft_delete_enabled", BOOL, "Deleted vaults and keys are kept recoverable (`enableSoftDelete`); unknown when absent."),
            p("purge_protection_enabled", BOOL, "Soft-deleted items cannot be purged before their retention ends (`enablePurgeProtection`); false when absent, since the property never takes false."),
        ],
    },
    KindSpec {
        kind: "azure.entra.user",
        provider: Provider::Azure,
        doc: "A Microsoft Entra ID user.",
        native_id: "object ID",
        props: &[
            p("user_type", STR, "`Member` or `Guest`; unknown when Graph returns none."),
            p("account_enabled", BOOL, "The account can sign in (`accountEnabled`); unknown when Graph returns none."),
            p("mfa_registered", BOOL, "Registered for MFA (Graph `userRegistrationDetails.isMfaRegistered`)."),
        ],
    },
];

/// The schema of a kind, if it has one.
pub fn kind_spec(kind: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// Splits `<provider>.<service>.<type>` (the type may itself contain dots), or `<provider>.<type>`
/// for provider-wide kinds such as `aws.account`.
pub fn parse_kind(kind: &str) -> Option<(Provider, &str)> {
    let mut parts = kind.splitn(3, '.');
    let provider = match parts.next()? {
        "aws" => Provider::Aws,
        "gcp" => Provider::Gcp,
        "azure" => Provider::Azure,
        _ => return None,
    };
    let second = parts.next()?;
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' || c == '.'
            })
    };
    if !valid(second) {
        return None;
    }
    match parts.next() {
        Some(rest) if valid(rest) && !rest.starts_with('.') && !rest.ends_with('.') => {
            Some((provider, second))
        }
        Some(_) => None,
        // `aws.account`: the account itself; its "service" is the provider's account.
        None => Some((provider, second)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_unique_well_formed_and_do_not_shadow_common_fields() {
        let mut seen = std::collections::BTreeSet::new();
        for k in KINDS {
            assert!(seen.insert(k.kind), "duplicate kind {}", k.kind);
            let (provider, _) = parse_kind(k.kind).expect("well-formed kind");
            assert_eq!(provider, k.provider, "{}", k.kind);
            let mut names = std::collections::BTreeSet::new();
            for prop in k.props {
                assert!(names.insert(prop.name), "{} repeats {}", k.kind, prop.name);
                assert!(
                    COMMON_FIELDS.iter().all(|c| c.name != prop.name),
                    "{}.{} shadows a common field",
                    k.kind,
                    prop.name
                );
            }
        }
    }

    #[test]
    fn parse_kind_rejects_malformed_kinds() {
        assert_eq!(parse_kind("aws.s3.bucket"), Some((Provider::Aws, "s3")));
        assert_eq!(parse_kind("aws.account"), Some((Provider::Aws, "account")));
        assert_eq!(
            parse_kind("azure.entra.user"),
            Some((Provider::Azure, "entra"))
        );
        for bad in [
            "",
            "aws",
            "oci.s3.bucket",
            "aws..bucket",
            "aws.S3.bucket",
            "aws.s3.",
            "aws.s3.bucket.",
        ] {
            assert_eq!(parse_kind(bad), None, "{bad}");
        }
    }
}
