//! The service table: every per-subscription service the Azure adapter reads, one entry each
//! (progress name, the schema kinds it produces, its reader). The scan, its progress total and
//! the kinds check read it; adding an Azure service is its module, one entry here, its kinds,
//! its BAA entry, its policies and its recorded-peer test. Entra ID users and the tenant's
//! sign-in policy are read per tenant apart (`entra`), with a credential for each tenant.

use hipaa_scan_core::collect::{table_reads, Reads, Service};

use super::{
    aiservices, aks, authorization, compute, conditional_access, databases, datastores, entra,
    messaging, network, resources, sql, storage, subscription, web, Ctx,
};

pub(crate) const SERVICES: &[Service<Ctx>] = &[
    Service {
        name: "subscription",
        kinds: &[subscription::SUBSCRIPTION],
        lists: &[],
        calls: &[
            "Microsoft.Resources/subscriptions (2022-12-01)",
            "Microsoft.Insights/diagnosticSettings (2021-05-01-preview)",
            "Microsoft.Insights/activityLogAlerts (2020-10-01)",
            "Microsoft.Security/pricings (2024-01-01)",
            "Microsoft.Security/securityContacts (2020-01-01-preview)",
            "Microsoft.Security/autoProvisioningSettings (2017-08-01-preview)",
        ],
        read: |c, s| Box::pin(async move { subscription::collect(&c, &s).await }),
    },
    Service {
        name: "storage",
        kinds: &[storage::ACCOUNT],
        lists: &[],
        calls: &[
            "Microsoft.Storage/storageAccounts (2023-05-01)",
            "Microsoft.Storage/storageAccounts/blobServices/default (2023-05-01)",
        ],
        read: |c, s| Box::pin(async move { storage::collect(&c, &s).await }),
    },
    Service {
        name: "sql",
        kinds: &[sql::SERVER, sql::DATABASE],
        lists: &[],
        calls: &[
            "Microsoft.Sql/servers (2021-11-01)",
            "Microsoft.Sql/servers/firewallRules (2021-11-01)",
            "Microsoft.Sql/servers/ipv6FirewallRules (2021-11-01)",
            "Microsoft.Sql/servers/auditingSettings/default (2021-11-01)",
            "Microsoft.Sql/servers/administrators (2021-11-01)",
            "Microsoft.Sql/servers/encryptionProtector/current (2021-11-01)",
            "Microsoft.Sql/servers/securityAlertPolicies/Default (2021-11-01)",
            "Microsoft.Sql/servers/vulnerabilityAssessments/default (2021-11-01)",
            "Microsoft.Sql/servers/sqlVulnerabilityAssessments/default (2023-08-01)",
            "Microsoft.Sql/servers/databases (2021-11-01)",
            "Microsoft.Sql/servers/databases/transparentDataEncryption/current (2021-11-01)",
        ],
        read: |c, s| Box::pin(async move { sql::collect(&c, &s).await }),
    },
    // Key vaults, and every other resource (for the BAA check).
    Service {
        name: "keyvault",
        kinds: &[resources::VAULT],
        lists: &[resources::GENERIC],
        calls: &[
            "Microsoft.KeyVault/vaults (2023-07-01)",
            "Microsoft.KeyVault/vaults/keys (2023-07-01)",
            "Microsoft.KeyVault/vaults/secrets (2023-07-01)",
            "Microsoft.KeyVault/vaults/providers/Microsoft.Insights/diagnosticSettings (2021-05-01-preview)",
            "Microsoft.Resources/resources (2021-04-01)",
        ],
        read: |c, s| Box::pin(async move { resources::collect(&c, &s).await }),
    },
    Service {
        name: "network",
        kinds: &[network::NSG, network::REGION],
        lists: &[],
        calls: &[
            "Microsoft.Network/networkSecurityGroups (2023-09-01)",
            "Microsoft.Network/networkWatchers (2023-09-01)",
            "Microsoft.Network/networkWatchers/flowLogs (2023-09-01)",
            "Microsoft.Network/virtualNetworks (2023-09-01)",
            "Microsoft.Network/networkInterfaces (2023-09-01)",
        ],
        read: |c, s| Box::pin(async move { network::collect(&c, &s).await }),
    },
    Service {
        name: "web",
        kinds: &[web::SITE],
        lists: &[],
        calls: &[
            "Microsoft.Web/sites (2023-12-01)",
            "Microsoft.Web/sites/config/web (2023-12-01)",
        ],
        read: |c, s| Box::pin(async move { web::collect(&c, &s).await }),
    },
    // PostgreSQL and MySQL flexible servers.
    Service {
        name: "databases",
        kinds: &[databases::POSTGRES, databases::MYSQL],
        lists: &[],
        calls: &[
            "Microsoft.DBforPostgreSQL/flexibleServers (2022-12-01)",
            "Microsoft.DBforPostgreSQL/flexibleServers/configurations (2022-12-01)",
            "Microsoft.DBforMySQL/flexibleServers (2023-12-30)",
            "Microsoft.DBforMySQL/flexibleServers/configurations (2023-12-30)",
        ],
        read: |c, s| Box::pin(async move { databases::collect(&c, &s).await }),
    },
    // Cosmos DB and Azure Cache for Redis.
    Service {
        name: "datastores",
        kinds: &[datastores::COSMOS, datastores::REDIS],
        lists: &[],
        calls: &[
            "Microsoft.DocumentDB/databaseAccounts (2024-05-15)",
            "Microsoft.Cache/redis (2024-03-01)",
        ],
        read: |c, s| Box::pin(async move { datastores::collect(&c, &s).await }),
    },
    // VMs, disks and Recovery Services vaults (with the protected items and their policies).
    Service {
        name: "compute",
        kinds: &[compute::VM, compute::DISK, compute::VAULT],
        lists: &[],
        calls: &[
            "Microsoft.Compute/virtualMachines (2024-03-01)",
            "Microsoft.Compute/disks (2023-10-02)",
            "Microsoft.RecoveryServices/vaults (2024-04-01)",
            "Microsoft.RecoveryServices/vaults/backupProtectedItems (2024-04-01)",
            "Microsoft.RecoveryServices/vaults/backupPolicies (2024-04-01)",
        ],
        read: |c, s| Box::pin(async move { compute::collect(&c, &s).await }),
    },
    // Azure Kubernetes Service clusters.
    Service {
        name: "aks",
        kinds: &[aks::CLUSTER],
        lists: &[],
        calls: &["Microsoft.ContainerService/managedClusters (2024-09-01)"],
        read: |c, s| Box::pin(async move { aks::collect(&c, &s).await }),
    },
    // Event Hubs and Service Bus namespaces, each with its network rule set.
    Service {
        name: "messaging",
        kinds: &[messaging::EVENTHUB, messaging::SERVICEBUS],
        lists: &[],
        calls: &[
            "Microsoft.EventHub/namespaces (2024-01-01)",
            "Microsoft.EventHub/namespaces/networkRuleSets/default (2024-01-01)",
            "Microsoft.ServiceBus/namespaces (2024-01-01)",
            "Microsoft.ServiceBus/namespaces/networkRuleSets/default (2024-01-01)",
        ],
        read: |c, s| Box::pin(async move { messaging::collect(&c, &s).await }),
    },
    // Azure RBAC: Owner assignments at the subscription and above, custom administrator roles.
    Service {
        name: "authorization",
        kinds: &[authorization::SUBSCRIPTION],
        lists: &[],
        calls: &[
            "Microsoft.Authorization/roleAssignments (2022-04-01)",
            "Microsoft.Authorization/roleDefinitions (2022-04-01)",
            "Graph /v1.0/users/ID",
            "Graph /v1.0/groups/ID/transitiveMembers",
        ],
        read: |c, s| Box::pin(async move { authorization::collect(&c, &s).await }),
    },
    // Azure AI services (Cognitive Services) accounts, Azure OpenAI included.
    Service {
        name: "aiservices",
        kinds: &[aiservices::ACCOUNT],
        lists: &[],
        calls: &["Microsoft.CognitiveServices/accounts (2024-10-01)"],
        read: |c, s| Box::pin(async move { aiservices::collect(&c, &s).await }),
    },
];

/// The readers run apart from [`SERVICES`]: what each writes and calls.
const APART: &[Reads] = &[
    // With `--management-group`: every level below it, then each subscription found.
    Reads {
        name: "management_group",
        kinds: &[],
        calls: &["Microsoft.Management/managementGroups/descendants (2020-05-01)"],
    },
    // Entra ID users and the tenant's sign-in policy for its administrators, per tenant
    // (`organization` only for a managed identity scanning several).
    Reads {
        name: "entra",
        kinds: &[entra::USER, conditional_access::TENANT],
        calls: &[
            "Graph /v1.0/users",
            "Graph /v1.0/reports/authenticationMethods/userRegistrationDetails",
            "Graph /v1.0/policies/identitySecurityDefaultsEnforcementPolicy",
            "Graph /v1.0/identity/conditionalAccess/policies",
            "Graph /v1.0/organization",
        ],
    },
];

/// What every reader writes and calls: the table's, then those read apart.
pub fn reads() -> Vec<Reads> {
    table_reads(SERVICES, APART)
}
