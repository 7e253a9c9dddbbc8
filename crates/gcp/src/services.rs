//! The service table: every per-project service the Google Cloud adapter reads, one entry each
//! (name, the schema kinds it writes, its reader). The scan, its progress total and the kinds
//! check read it; adding a Google Cloud service is its module, one entry here, its kinds, its
//! BAA entry, its policies and its recorded-peer test. The project itself and Cloud Logging are
//! read apart (logging needs the project's ancestors; buckets need the project's audit config),
//! and Workspace users once per customer (`directory`).

use hipaa_scan_core::collect::{table_kinds, Service};

use super::{
    bigquery, compute, directory, gke, in_use, kms, logging, project, service_accounts, sql,
    storage, Ctx,
};

pub(crate) const STORAGE: &str = "storage";
pub(crate) const IN_USE: &str = "in_use";

pub(crate) const SERVICES: &[Service<Ctx>] = &[
    Service {
        name: STORAGE,
        kinds: &[storage::BUCKET],
        lists: &[],
        read: |c, p| Box::pin(async move { storage::collect(&c, &p).await }),
    },
    Service {
        name: "sql",
        kinds: &[sql::INSTANCE],
        lists: &[],
        read: |c, p| Box::pin(async move { sql::collect(&c, &p).await }),
    },
    Service {
        name: "kms",
        kinds: &[kms::KEY],
        lists: &[],
        read: |c, p| Box::pin(async move { kms::collect(&c, &p).await }),
    },
    Service {
        name: "compute",
        kinds: &[compute::FIREWALL, compute::INSTANCE],
        lists: &[],
        read: |c, p| Box::pin(async move { compute::collect(&c, &p).await }),
    },
    Service {
        name: "service_accounts",
        kinds: &[service_accounts::SERVICE_ACCOUNT],
        lists: &[],
        read: |c, p| Box::pin(async move { service_accounts::collect(&c, &p).await }),
    },
    Service {
        name: "bigquery",
        kinds: &[bigquery::DATASET],
        lists: &[],
        read: |c, p| Box::pin(async move { bigquery::collect(&c, &p).await }),
    },
    Service {
        name: "gke",
        kinds: &[gke::CLUSTER],
        lists: &[],
        read: |c, p| Box::pin(async move { gke::collect(&c, &p).await }),
    },
    // Every other resource and enabled API (for the BAA check and the map).
    Service {
        name: IN_USE,
        kinds: &[],
        lists: &[in_use::ANY_RESOURCE, in_use::ANY_API],
        read: |c, p| Box::pin(async move { in_use::collect(&c, &p).await }),
    },
];

/// Progress steps per project: the table's services, the project and Cloud Logging.
pub(crate) const STEPS_PER_PROJECT: u64 = SERVICES.len() as u64 + 2;

/// Every schema kind the adapter writes: the services', the project's, Cloud Logging's and the
/// Workspace users'.
pub fn produced_kinds() -> Vec<&'static str> {
    table_kinds(
        SERVICES,
        &[project::PROJECT, logging::SETTINGS, directory::USER],
    )
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
