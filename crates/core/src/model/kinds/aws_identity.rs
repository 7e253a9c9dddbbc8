//! AWS accounts and identities: the account, IAM users, roles, groups and policies, IAM Identity Center.

use super::*;
use crate::model::Provider;

const INLINE_KMS_DECRYPT_ALL: PropSpec = p(
    "inline_kms_decrypt_all",
    STR_LIST,
    "Inline policies that allow `kms:Decrypt` or `kms:ReEncryptFrom` on every key (as `aws.iam.policy` `kms_decrypt_all_keys` judges a document), by name.",
);

/// An agreement accepted in AWS Artifact.
const BAA_AGREEMENT: PropType = PropType::Object(&[
    p("name", STR, "The agreement's name, e.g. `AWS Business Associate Addendum`."),
    p(
        "state",
        STR,
        "`ACTIVE`, `CUSTOMER_TERMINATED` or `AWS_TERMINATED`.",
    ),
    opt(
        "effective_start",
        TS,
        "When the agreement took effect.",
    ),
    p(
        "organization_wide",
        BOOL,
        "Accepted for the whole AWS Organization (the Organizations BAA) rather than this account alone.",
    ),
]);

pub(super) const KINDS: &[KindSpec] = &[
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
            p(
                "root_virtual_mfa",
                BOOL,
                "A virtual MFA device is assigned to the root user (ListVirtualMFADevices, `AssignmentStatus` `Assigned`, user ARN `...:root`).",
            ),
            p(
                "support_role",
                BOOL,
                "A role has the AWS managed policy `AWSSupportAccess` attached (ListEntitiesForPolicy), so incidents can be raised with AWS Support without the root user.",
            ),
            opt(
                "baa_agreement",
                BAA_AGREEMENT,
                "The AWS Business Associate Addendum accepted in AWS Artifact for the account or its organization (ListCustomerAgreements): an active one if any, else the latest; null when none was ever accepted.",
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
            p("inline_policies", STR_LIST, "Names of the user's inline policies."),
            p("groups", STR_LIST, "Names of the groups the user belongs to."),
            INLINE_KMS_DECRYPT_ALL,
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
            INLINE_KMS_DECRYPT_ALL,
        ],
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
            INLINE_KMS_DECRYPT_ALL,
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
        kind: "aws.iam.server_certificate",
        provider: Provider::Aws,
        doc: "A server certificate stored in IAM.",
        native_id: "server certificate ARN",
        props: &[p("expiration", TS, "When the certificate expires.")],
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
];
