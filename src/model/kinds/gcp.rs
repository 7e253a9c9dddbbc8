//! Google Cloud kinds: projects, Cloud Storage, Cloud SQL, Cloud KMS, Workspace users.

use super::*;
use crate::model::Provider;

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
];
