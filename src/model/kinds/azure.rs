//! Azure kinds: subscriptions, Storage, SQL, Key Vault, Entra ID users.

use super::*;
use crate::model::Provider;

pub(super) const KINDS: &[KindSpec] = &[
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
