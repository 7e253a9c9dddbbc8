//! The service table: every per-subscription service the Azure adapter reads, one entry each
//! (progress name, the schema kinds it produces, its reader). The scan, its progress total and
//! the kinds check read it; adding an Azure service is its module, one entry here, its kinds,
//! its BAA entry, its policies and its recorded-peer test. Entra ID users and the tenant's
//! sign-in policy are read per tenant apart (`entra`), with a credential for each tenant.

use hipaa_scan_core::collect::{table_kinds, Service};

use super::{
    aiservices, aks, authorization, compute, conditional_access, databases, datastores, entra,
    messaging, network, resources, sql, storage, subscription, web, Ctx,
};

pub(crate) const SERVICES: &[Service<Ctx>] = &[
    Service {
        name: "subscription",
        kinds: &[subscription::SUBSCRIPTION],
        lists: &[],
        read: |c, s| Box::pin(async move { subscription::collect(&c, &s).await }),
    },
    Service {
        name: "storage",
        kinds: &[storage::ACCOUNT],
        lists: &[],
        read: |c, s| Box::pin(async move { storage::collect(&c, &s).await }),
    },
    Service {
        name: "sql",
        kinds: &[sql::SERVER, sql::DATABASE],
        lists: &[],
        read: |c, s| Box::pin(async move { sql::collect(&c, &s).await }),
    },
    // Key vaults, and every other resource (for the BAA check).
    Service {
        name: "keyvault",
        kinds: &[resources::VAULT],
        lists: &[resources::GENERIC],
        read: |c, s| Box::pin(async move { resources::collect(&c, &s).await }),
    },
    Service {
        name: "network",
        kinds: &[network::NSG, network::REGION],
        lists: &[],
        read: |c, s| Box::pin(async move { network::collect(&c, &s).await }),
    },
    Service {
        name: "web",
        kinds: &[web::SITE],
        lists: &[],
        read: |c, s| Box::pin(async move { web::collect(&c, &s).await }),
    },
    // PostgreSQL and MySQL flexible servers.
    Service {
        name: "databases",
        kinds: &[databases::POSTGRES, databases::MYSQL],
        lists: &[],
        read: |c, s| Box::pin(async move { databases::collect(&c, &s).await }),
    },
    // Cosmos DB and Azure Cache for Redis.
    Service {
        name: "datastores",
        kinds: &[datastores::COSMOS, datastores::REDIS],
        lists: &[],
        read: |c, s| Box::pin(async move { datastores::collect(&c, &s).await }),
    },
    // VMs, disks and Recovery Services vaults.
    Service {
        name: "compute",
        kinds: &[compute::VM, compute::DISK, compute::VAULT],
        lists: &[],
        read: |c, s| Box::pin(async move { compute::collect(&c, &s).await }),
    },
    // Azure Kubernetes Service clusters.
    Service {
        name: "aks",
        kinds: &[aks::CLUSTER],
        lists: &[],
        read: |c, s| Box::pin(async move { aks::collect(&c, &s).await }),
    },
    // Event Hubs and Service Bus namespaces, each with its network rule set.
    Service {
        name: "messaging",
        kinds: &[messaging::EVENTHUB, messaging::SERVICEBUS],
        lists: &[],
        read: |c, s| Box::pin(async move { messaging::collect(&c, &s).await }),
    },
    // Azure RBAC: Owner assignments at the subscription and above, custom administrator roles.
    Service {
        name: "authorization",
        kinds: &[authorization::SUBSCRIPTION],
        lists: &[],
        read: |c, s| Box::pin(async move { authorization::collect(&c, &s).await }),
    },
    // Azure AI services (Cognitive Services) accounts, Azure OpenAI included.
    Service {
        name: "aiservices",
        kinds: &[aiservices::ACCOUNT],
        lists: &[],
        read: |c, s| Box::pin(async move { aiservices::collect(&c, &s).await }),
    },
];

/// Every schema kind the adapter writes: the services', and the tenants' users and sign-in
/// policy.
pub fn produced_kinds() -> Vec<&'static str> {
    table_kinds(SERVICES, &[entra::USER, conditional_access::TENANT])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_kind_is_in_the_schema() {
        let mut names: Vec<&str> = SERVICES.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SERVICES.len());
        for k in produced_kinds() {
            assert!(
                hipaa_scan_core::model::kind_spec(k).is_some(),
                "{k} is not a schema kind"
            );
        }
    }
}
