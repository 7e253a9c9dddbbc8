//! The service table: every per-subscription service the Azure adapter reads, one entry each
//! (progress name, the schema kinds it produces, its reader). The scan, its progress total and
//! the kinds check read it; adding an Azure service is its module, one entry here, its kinds,
//! its BAA entry, its policies and its recorded-peer test. Entra ID users are read per tenant
//! apart (`entra`), with a credential for each tenant.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use hipaa_scan_core::collect::Found;

use super::{
    aiservices, aks, compute, databases, datastores, entra, messaging, network, resources, sql,
    storage, subscription, web, Ctx,
};

/// Reads one service of one subscription.
pub(crate) type Reader = fn(Arc<Ctx>, String) -> Pin<Box<dyn Future<Output = Found> + Send>>;

/// One service module of the adapter.
pub(crate) struct Service {
    /// The name progress and task failures report.
    pub name: &'static str,
    /// The schema kinds it writes (other kinds it lists take part in the BAA check only).
    pub kinds: &'static [&'static str],
    pub read: Reader,
}

pub(crate) const SERVICES: &[Service] = &[
    Service {
        name: "subscription",
        kinds: &[subscription::SUBSCRIPTION],
        read: |c, s| Box::pin(async move { subscription::collect(&c, &s).await }),
    },
    Service {
        name: "storage",
        kinds: &[storage::ACCOUNT],
        read: |c, s| Box::pin(async move { storage::collect(&c, &s).await }),
    },
    Service {
        name: "sql",
        kinds: &[sql::SERVER, sql::DATABASE],
        read: |c, s| Box::pin(async move { sql::collect(&c, &s).await }),
    },
    // Key vaults, and every other resource (for the BAA check).
    Service {
        name: "keyvault",
        kinds: &[resources::VAULT],
        read: |c, s| Box::pin(async move { resources::collect(&c, &s).await }),
    },
    Service {
        name: "network",
        kinds: &[network::NSG, network::REGION],
        read: |c, s| Box::pin(async move { network::collect(&c, &s).await }),
    },
    Service {
        name: "web",
        kinds: &[web::SITE],
        read: |c, s| Box::pin(async move { web::collect(&c, &s).await }),
    },
    // PostgreSQL and MySQL flexible servers.
    Service {
        name: "databases",
        kinds: &[databases::POSTGRES, databases::MYSQL],
        read: |c, s| Box::pin(async move { databases::collect(&c, &s).await }),
    },
    // Cosmos DB and Azure Cache for Redis.
    Service {
        name: "datastores",
        kinds: &[datastores::COSMOS, datastores::REDIS],
        read: |c, s| Box::pin(async move { datastores::collect(&c, &s).await }),
    },
    // VMs, disks and Recovery Services vaults.
    Service {
        name: "compute",
        kinds: &[compute::VM, compute::DISK, compute::VAULT],
        read: |c, s| Box::pin(async move { compute::collect(&c, &s).await }),
    },
    // Azure Kubernetes Service clusters.
    Service {
        name: "aks",
        kinds: &[aks::CLUSTER],
        read: |c, s| Box::pin(async move { aks::collect(&c, &s).await }),
    },
    // Event Hubs and Service Bus namespaces, each with its network rule set.
    Service {
        name: "messaging",
        kinds: &[messaging::EVENTHUB, messaging::SERVICEBUS],
        read: |c, s| Box::pin(async move { messaging::collect(&c, &s).await }),
    },
    // Azure AI services (Cognitive Services) accounts, Azure OpenAI included.
    Service {
        name: "aiservices",
        kinds: &[aiservices::ACCOUNT],
        read: |c, s| Box::pin(async move { aiservices::collect(&c, &s).await }),
    },
];

/// Every schema kind the adapter writes: the services' and the tenants' users.
pub fn produced_kinds() -> Vec<&'static str> {
    let mut kinds: Vec<&str> = SERVICES
        .iter()
        .flat_map(|s| s.kinds.iter().copied())
        .collect();
    kinds.push(entra::USER);
    kinds.sort_unstable();
    kinds
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
