//! Google Cloud kinds: projects, Cloud Logging settings, Cloud Storage, Cloud SQL, Cloud KMS, Workspace users
//! (Compute Engine's are in `gcp_compute.rs`).

use super::*;
use crate::model::Provider;

const DATABASE_FLAG: PropType = PropType::Object(&[
    p(
        "name",
        STR,
        "Flag name, e.g. `log_connections`, `cross db ownership chaining`.",
    ),
    p(
        "value",
        STR,
        "Flag value, lower-cased (`on`, `off`, `ddl`, `-1`); empty for a flag without a value.",
    ),
]);

pub(super) const KINDS: &[KindSpec] = &[
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
            p(
                "basic_role_grants",
                STR_LIST,
                "`roles/owner` or `roles/editor` held by anyone but a service account (users, groups, domains, workforce identities), on the project or inherited from its folders and organization, as `ROLE MEMBER (on RESOURCE[, conditional])`. Deleted principals do not count. Unknown when a policy of the hierarchy could not be read and none was found in the others.",
            ),
            p(
                "service_account_admin_grants",
                STR_LIST,
                "Administrative roles (`roles/owner`, `roles/editor`, or a role whose name contains `admin`) held by the project's own service accounts (Google-managed service agents are not judged), on the project or inherited; same form and unknown rule.",
            ),
            p(
                "service_account_impersonation_grants",
                STR_LIST,
                "`roles/iam.serviceAccountUser` or `roles/iam.serviceAccountTokenCreator` granted on the project or above it (not on one service account), which lets the member act as every service account of the project; same form and unknown rule.",
            ),
            p(
                "service_account_duty_conflicts",
                STR_LIST,
                "Members holding both `roles/iam.serviceAccountAdmin` and `roles/iam.serviceAccountUser` in the project's effective policy, as `MEMBER: ROLE, ROLE`; same unknown rule.",
            ),
            p(
                "kms_duty_conflicts",
                STR_LIST,
                "Members holding both `roles/cloudkms.admin` and a key-use role (`cryptoKeyEncrypterDecrypter`, `cryptoKeyEncrypter`, `cryptoKeyDecrypter`) in the project's effective policy, as `MEMBER: ROLE, ROLE`; same unknown rule.",
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
                "retention_locked",
                BOOL,
                "The retention policy is locked (`retentionPolicy.isLocked`): it can no longer be shortened or removed. False without a retention policy.",
            ),
            p(
                "receives_usage_logs",
                BOOL,
                "Another bucket read in the same scan writes its usage logs here (its `logging.logBucket` names this bucket).",
            ),
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
            p(
                "instance_type",
                STR,
                "`CLOUD_SQL_INSTANCE` (a primary), `READ_REPLICA_INSTANCE` or `ON_PREMISES_INSTANCE` (`instanceType`).",
            ),
            p(
                "retained_backups",
                INT,
                "Automated backups kept (`backupConfiguration.backupRetentionSettings.retainedBackups`, unit `COUNT`). Unknown when the API leaves it out or counts in another unit.",
            ),
            PropSpec {
                name: "database_flags",
                ty: PropType::List(&DATABASE_FLAG),
                nullable: false,
                sensitive: false,
                doc: "The database flags set on the instance (`settings.databaseFlags`), values lower-cased, sorted by name. A flag that is not listed runs at the engine's default, which each policy states.",
            },
            p("deletion_protection", BOOL, "Deletion protection is on (`settings.deletionProtectionEnabled`; absent means off)."),
            p(
                "availability_type",
                STR,
                "`REGIONAL` (high availability, a standby in another zone) or `ZONAL` (`settings.availabilityType`).",
            ),
            opt(
                "sql_server_audit_bucket",
                STR,
                "SQL Server audit: the bucket the audit files are uploaded to (`settings.sqlServerAuditConfig.bucket`); null when auditing is not configured.",
            ),
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
            p(
                "public_members",
                STR_LIST,
                "`allUsers` / `allAuthenticatedUsers` granted any role in the key's IAM policy or its key ring's (which the key inherits), as `ROLE MEMBER (on key|key ring)`. Unknown when a policy could not be read and none was found in the other.",
            ),
            p(
                "versions_pending_destruction",
                STR_LIST,
                "Versions of the key in state `DESTROY_SCHEDULED` (`cryptoKeyVersions.list`), by version number: their key material is destroyed when the scheduled time comes, and the ePHI they encrypted with it.",
            ),
        ],
    },
    KindSpec {
        kind: "gcp.logging.settings",
        provider: Provider::Gcp,
        doc: "A project's Cloud Logging export and log-based alerting (CIS Google Cloud 2.2, 2.4-2.11). An event class is alerted when every sample audit log entry of it is matched by the filter of an enabled log-based metric (not scoped to a log bucket) whose alert policy is enabled, has notification channels and fires on one event (threshold `> x` with x < 1 or `>= x` with x <= 1, not combined with `AND` with other conditions), or by a log-match alert policy's filter; and that filter does not also match ordinary entries (a data read, a listing, an unrelated change, an application log line: a catch-all). Filters are parsed and run as the Logging query language defines them (`OR` binds tighter than `AND`, `:` is a substring, string comparisons ignore case), not compared as text; filters may split a class between them. A filter with constructs the scanner does not run, or a policy that does not say whether it is enabled, leaves a class it might cover unknown. Only the project's own metrics and alert policies are read.",
        native_id: "`//logging.googleapis.com/projects/PROJECT/settings`",
        props: &[
            p(
                "full_export_sinks",
                STR_LIST,
                "Sinks that export every log entry of the project: enabled, without a filter and without an active exclusion; the project's own, or an aggregated sink (`includeChildren`) of a folder or the organization above it, as `NAME -> DESTINATION (on WHERE)`. Unknown when a sink list could not be read and none was found in the others.",
            ),
            p("alerting_filters", STR_LIST, "The metrics and log-match alert policies that raise an alert, for evidence."),
            p("project_ownership_changes", BOOL, "Owner grants and removals on the project (`SetIamPolicy` with a `roles/owner` binding delta) are alerted."),
            p("audit_config_changes", BOOL, "Audit configuration changes (`SetIamPolicy` with `auditConfigDeltas`) are alerted."),
            p("custom_role_changes", BOOL, "Custom role creation, deletion and update (`google.iam.admin.v1.CreateRole`/`DeleteRole`/`UpdateRole`) are alerted."),
            p("firewall_changes", BOOL, "VPC firewall rule insert, patch and delete are alerted."),
            p("route_changes", BOOL, "VPC route insert and delete are alerted."),
            p("network_changes", BOOL, "VPC network insert, patch, delete and peering changes are alerted."),
            p("storage_iam_changes", BOOL, "Cloud Storage IAM permission changes (`storage.setIamPermissions`) are alerted."),
            p("sql_config_changes", BOOL, "Cloud SQL instance configuration changes (`cloudsql.instances.update`) are alerted."),
        ],
    },
    KindSpec {
        kind: "gcp.identity.user",
        provider: Provider::Gcp,
        doc: "A Cloud Identity / Google Workspace user with access to the organization, read with the Admin SDK Directory API (`users.list`); its account is the customer ID (`--workspace-customer`, or the organization's `directoryCustomerId`) and its name the primary e-mail address.",
        native_id: "Directory API user ID",
        props: &[
            p(
                "suspended",
                BOOL,
                "The user cannot sign in: suspended (`suspended`) or archived (`archived`). Unknown when neither is true and either is missing.",
            ),
            p(
                "enrolled_in_2sv",
                BOOL,
                "The user is enrolled in 2-Step Verification (Directory API `users` `isEnrolledIn2Sv`). Enrolment alone lets the user turn 2SV off again; an answer or snapshot that leaves the field out makes it unknown.",
            ),
            p(
                "enforced_in_2sv",
                BOOL,
                "2-Step Verification is enforced for the user by the Admin console policy of their organizational unit (`isEnforcedIn2Sv`), so they cannot turn it off. An answer or snapshot that leaves the field out makes it unknown.",
            ),
        ],
    },
];
