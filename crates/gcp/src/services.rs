//! The service table: every per-project service the Google Cloud adapter reads, one entry each
//! (name, the schema kinds it writes, its reader). The scan, its progress total and the kinds
//! check read it; adding a Google Cloud service is its module, one entry here, its kinds, its
//! BAA entry, its policies and its recorded-peer test. The project itself and Cloud Logging are
//! read apart (logging needs the project's ancestors; buckets need the project's audit config),
//! and Workspace users once per customer (`directory`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use hipaa_scan_core::collect::Found;

use super::{compute, directory, in_use, kms, logging, project, sql, storage, Ctx};

/// Reads one service of one project.
pub(crate) type Reader = fn(Arc<Ctx>, String) -> Pin<Box<dyn Future<Output = Found> + Send>>;

/// One service module of the adapter.
pub(crate) struct Service {
    /// The name progress and task failures report.
    pub name: &'static str,
    /// The schema kinds it writes (other kinds it lists take part in the BAA check only).
    pub kinds: &'static [&'static str],
    pub read: Reader,
}

pub(crate) const STORAGE: &str = "storage";
pub(crate) const IN_USE: &str = "in_use";

pub(crate) const SERVICES: &[Service] = &[
    Service {
        name: STORAGE,
        kinds: &[storage::BUCKET],
        read: |c, p| Box::pin(async move { storage::collect(&c, &p).await }),
    },
    Service {
        name: "sql",
        kinds: &[sql::INSTANCE],
        read: |c, p| Box::pin(async move { sql::collect(&c, &p).await }),
    },
    Service {
        name: "kms",
        kinds: &[kms::KEY],
        read: |c, p| Box::pin(async move { kms::collect(&c, &p).await }),
    },
    Service {
        name: "compute",
        kinds: &[compute::FIREWALL, compute::INSTANCE],
        read: |c, p| Box::pin(async move { compute::collect(&c, &p).await }),
    },
    // Every other resource and enabled API (for the BAA check and the map).
    Service {
        name: IN_USE,
        kinds: &[],
        read: |c, p| Box::pin(async move { in_use::collect(&c, &p).await }),
    },
];

/// Progress steps per project: the table's services, the project and Cloud Logging.
pub(crate) const STEPS_PER_PROJECT: u64 = SERVICES.len() as u64 + 2;

/// Every schema kind the adapter writes: the services', the project's, Cloud Logging's and the
/// Workspace users'.
pub fn produced_kinds() -> Vec<&'static str> {
    let mut kinds: Vec<&str> = SERVICES
        .iter()
        .flat_map(|s| s.kinds.iter().copied())
        .chain([project::PROJECT, logging::SETTINGS, directory::USER])
        .collect();
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
