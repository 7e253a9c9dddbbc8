//! The service table: every per-project service the Google Cloud adapter reads, one entry each
//! (name, the schema kinds it writes, its reader). The scan, its progress total and the kinds
//! check read it; adding a Google Cloud service is its module, one entry here, its kinds, its
//! BAA entry, its policies and its recorded-peer test. The project itself and Cloud Logging are
//! read apart (logging needs the project's ancestors; buckets need the project's audit config),
//! and Workspace users once per customer (`directory`).

use hipaa_scan_core::collect::{table_reads, Reads, Service};

use super::{
    bigquery, compute, directory, filestore, gke, in_use, kms, logging, project, scc,
    service_accounts, sql, storage, Ctx,
};

pub(crate) const STORAGE: &str = "storage";
pub(crate) const IN_USE: &str = "in_use";

pub(crate) const SERVICES: &[Service<Ctx>] = &[
    Service {
        name: STORAGE,
        kinds: &[storage::BUCKET],
        lists: &[],
        calls: &[
            "storage.buckets.list",
            "storage.buckets.getIamPolicy",
            "storage.defaultObjectAccessControls.list",
        ],
        read: |c, p| Box::pin(async move { storage::collect(&c, &p).await }),
    },
    Service {
        name: "sql",
        kinds: &[sql::INSTANCE],
        lists: &[],
        calls: &["cloudsql.instances.list"],
        read: |c, p| Box::pin(async move { sql::collect(&c, &p).await }),
    },
    Service {
        name: "kms",
        kinds: &[kms::KEY],
        lists: &[],
        calls: &[
            "cloudkms.locations.list",
            "cloudkms.keyRings.list",
            "cloudkms.keyRings.getIamPolicy",
            "cloudkms.cryptoKeys.list",
            "cloudkms.cryptoKeys.getIamPolicy",
            "cloudkms.cryptoKeyVersions.list",
        ],
        read: |c, p| Box::pin(async move { kms::collect(&c, &p).await }),
    },
    Service {
        name: "compute",
        kinds: &[compute::FIREWALL, compute::INSTANCE],
        lists: &[],
        calls: &[
            "compute.firewalls.list",
            "compute.instances.aggregatedList",
            "compute.projects.get",
        ],
        read: |c, p| Box::pin(async move { compute::collect(&c, &p).await }),
    },
    Service {
        name: "service_accounts",
        kinds: &[service_accounts::SERVICE_ACCOUNT],
        lists: &[],
        calls: &["iam.serviceAccounts.list", "iam.serviceAccountKeys.list"],
        read: |c, p| Box::pin(async move { service_accounts::collect(&c, &p).await }),
    },
    Service {
        name: "bigquery",
        kinds: &[bigquery::DATASET],
        lists: &[],
        calls: &["bigquery.datasets.list", "bigquery.datasets.get"],
        read: |c, p| Box::pin(async move { bigquery::collect(&c, &p).await }),
    },
    Service {
        name: "gke",
        kinds: &[gke::CLUSTER],
        lists: &[],
        calls: &["container.clusters.list"],
        read: |c, p| Box::pin(async move { gke::collect(&c, &p).await }),
    },
    Service {
        name: "filestore",
        kinds: &[filestore::INSTANCE],
        lists: &[],
        calls: &["file.instances.list", "file.backups.list"],
        read: |c, p| Box::pin(async move { filestore::collect(&c, &p).await }),
    },
    Service {
        name: "scc",
        kinds: &[scc::SERVICE],
        lists: &[],
        calls: &["securitycentermanagement.securityCenterServices.list"],
        read: |c, p| Box::pin(async move { scc::collect(&c, &p).await }),
    },
    // Every other resource and enabled API (for the BAA check and the map).
    Service {
        name: IN_USE,
        kinds: &[],
        lists: &[in_use::ANY_RESOURCE, in_use::ANY_API],
        calls: &[
            "cloudasset.assets.searchAllResources",
            "serviceusage.services.list",
        ],
        read: |c, p| Box::pin(async move { in_use::collect(&c, &p).await }),
    },
];

/// Progress steps per project: the table's services, the project and Cloud Logging.
pub(crate) const STEPS_PER_PROJECT: u64 = SERVICES.len() as u64 + 2;

/// The readers run apart from [`SERVICES`]: what each writes and calls.
const APART: &[Reads] = &[
    // Each project, its ancestors' IAM policies (audit configs are inherited) and, with
    // `--organization`, the projects under the organization or folder.
    Reads {
        name: "project",
        kinds: &[project::PROJECT],
        calls: &[
            "resourcemanager.projects.get",
            "resourcemanager.projects.getIamPolicy",
            "resourcemanager.projects.list",
            "resourcemanager.projects.search",
            "resourcemanager.folders.list",
            "resourcemanager.folders.get",
            "resourcemanager.folders.getIamPolicy",
            "resourcemanager.organizations.get",
            "resourcemanager.organizations.getIamPolicy",
        ],
    },
    // Sinks (the project's and its ancestors'), log-based metrics and alert policies.
    Reads {
        name: "logging",
        kinds: &[logging::SETTINGS],
        calls: &[
            "logging.sinks.list",
            "logging.logMetrics.list",
            "monitoring.alertPolicies.list",
        ],
    },
    // Workspace / Cloud Identity users, once per customer.
    Reads {
        name: "directory",
        kinds: &[directory::USER],
        calls: &["admin.directory.users.list"],
    },
];

/// What every reader writes and calls: the table's, then those read apart.
pub fn reads() -> Vec<Reads> {
    table_reads(SERVICES, APART)
}
