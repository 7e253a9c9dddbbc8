//! Google Cloud kinds of IAM service accounts, BigQuery datasets, GKE clusters, Filestore
//! instances and Security Command Center services.

use super::*;
use crate::model::Provider;

const SA_KEY: PropType = PropType::Object(&[
    p("id", STR, "The key's ID (the last segment of its name)."),
    p(
        "disabled",
        BOOL,
        "The key is disabled (`disabled`): it cannot authenticate until it is enabled again.",
    ),
    p(
        "valid_after",
        TS,
        "`validAfterTime`: when the key was created (for a key Google generated) or the `notBefore` of the certificate uploaded with it; its age is counted from here. A time in the future is a key that is not valid yet.",
    ),
    opt(
        "valid_before",
        TS,
        "`validBeforeTime`: when the key expires (year 9999 for a key created without an expiry); null when the API leaves it out.",
    ),
    p(
        "origin",
        STR,
        "`GOOGLE_PROVIDED` (created by Google, the private key downloaded once) or `USER_PROVIDED` (the public key was uploaded; the private key never left its owner).",
    ),
]);

pub(super) const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "gcp.iam.service_account",
        provider: Provider::Gcp,
        doc: "A service account of the project (`iam.projects.serviceAccounts.list`) with its user-managed keys (`iam.projects.serviceAccounts.keys.list` with `keyTypes=USER_MANAGED`). Keys Google manages itself (`SYSTEM_MANAGED`: they sign the short-lived tokens of attached service accounts and impersonation, and rotate every few weeks) are not listed. Service accounts have no labels: their scope is the project's.",
        native_id: "full resource name `//iam.googleapis.com/projects/P/serviceAccounts/EMAIL`",
        props: &[
            p("email", STR, "The service account's e-mail address."),
            p(
                "disabled",
                BOOL,
                "The account is disabled (`disabled`): neither it nor its keys can authenticate until it is enabled again.",
            ),
            p(
                "google_managed",
                BOOL,
                "A Google-managed service agent (`service-NUMBER@...`, `...@gcp-sa-*.iam.gserviceaccount.com`, `...@cloudservices.gserviceaccount.com`): Google holds its credentials; it cannot have user-managed keys. The Compute Engine and App Engine default accounts are the project's own and are not service agents.",
            ),
            PropSpec {
                name: "user_managed_keys",
                ty: PropType::List(&SA_KEY),
                nullable: false,
                sensitive: false,
                doc: "Its user-managed keys (`USER_MANAGED`): long-lived credentials whose private key lives outside Google. Unknown when the keys could not be listed, or a key came back without `validAfterTime`.",
            },
        ],
    },
    KindSpec {
        kind: "gcp.bigquery.dataset",
        provider: Provider::Gcp,
        doc: "A BigQuery dataset (`bigquery.datasets.list` with `all=true`, so hidden datasets are listed too), with its access entries and default encryption from `bigquery.datasets.get`. Labels are its tags. Table-level IAM policies and the keys of existing tables are not read.",
        native_id: "full resource name `//bigquery.googleapis.com/projects/P/datasets/DATASET`",
        props: &[
            p(
                "public_access",
                STR_LIST,
                "Access entries (`access[]`) that grant a role to everyone: `specialGroup: allAuthenticatedUsers` (every Google account), `iamMember: allUsers` or `iamMember: allAuthenticatedUsers`, conditional or not, as `ROLE ENTITY`; and `type PUBLIC` for a dataset BigQuery itself reports as public. A `domain` grant (every account of one Google Workspace or Cloud Identity domain), groups and the project's owners/writers/readers are not public. Unknown when `datasets.get` failed.",
            ),
            p(
                "domain_grants",
                STR_LIST,
                "Access entries that grant a role to every account of a domain (`domain`), as `ROLE domain:DOMAIN`: for evidence, not judged public. Unknown when `datasets.get` failed.",
            ),
            opt(
                "default_kms_key",
                STR,
                "The Cloud KMS key new tables get (`defaultEncryptionConfiguration.kmsKeyName`); null when tables are encrypted with Google-managed keys by default. It applies to tables created after it was set; a table may name another key. Unknown when `datasets.get` failed.",
            ),
        ],
    },
    KindSpec {
        kind: "gcp.container.cluster",
        provider: Provider::Gcp,
        doc: "A GKE cluster (`container.projects.locations.clusters.list` over every location, `-`), with its node pools. Resource labels (`resourceLabels`) are its tags. A zone the listing could not reach (`missingZones`) is a gap.",
        native_id: "full resource name `//container.googleapis.com/projects/P/locations/L/clusters/NAME`",
        props: &[
            p("status", STR, "`RUNNING`, `PROVISIONING`, `RECONCILING`, `STOPPING`, `ERROR`, `DEGRADED`."),
            p(
                "public_endpoint",
                BOOL,
                "The control plane has a public IP endpoint: `controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint` (false also when IP endpoints are off), else the opposite of `privateClusterConfig.enablePrivateEndpoint`; a cluster with neither has one. The DNS endpoint, which IAM guards, is not judged.",
            ),
            p(
                "authorized_networks",
                STR_LIST,
                "The CIDR blocks of control plane authorized networks (`ipEndpointsConfig.authorizedNetworksConfig`, else `masterAuthorizedNetworksConfig`), when they are enabled; empty otherwise.",
            ),
            p(
                "internet_open_control_plane",
                STR_LIST,
                "Why the public endpoint admits the internet: authorized networks off, blocks that together cover it by CIDR arithmetic (`0.0.0.0/0`, two `/1`s, a block broader than `--open-prefix`), or `gcpPublicCidrsAccessEnabled` (every Compute Engine public address, any customer's VM). Empty when there is no public endpoint or it is restricted; unknown when a block does not parse.",
            ),
            p(
                "secrets_encryption",
                STR,
                "Application-layer secrets encryption (`databaseEncryption`): `ENCRYPTED` when Kubernetes Secrets are encrypted in etcd with a Cloud KMS key (desired state `ENCRYPTED` or `ALL_OBJECTS_ENCRYPTION_ENABLED` with a `keyName`, and a current state that is not pending or in error), else the state that holds: `DECRYPTED` (also when the answer has no `databaseEncryption`: off is the documented default), `PENDING`, `ERROR`.",
            ),
            opt(
                "secrets_encryption_key",
                STR,
                "The Cloud KMS key of application-layer secrets encryption (`databaseEncryption.keyName`); null without one.",
            ),
            p(
                "legacy_abac",
                BOOL,
                "Legacy attribute-based access control is on (`legacyAbac.enabled`): identities get static permissions beyond RBAC and IAM. An empty `legacyAbac` is off; unknown when the API leaves it out.",
            ),
            p(
                "logging_service",
                STR,
                "Where the cluster's system and workload logs go (`loggingService`): `logging.googleapis.com/kubernetes` (Cloud Logging), `none` (nowhere). Unknown when empty.",
            ),
            p(
                "logging_components",
                STR_LIST,
                "The log sources sent (`loggingConfig.componentConfig.enableComponents`): `SYSTEM_COMPONENTS`, `WORKLOADS`, `APISERVER`, `SCHEDULER`, `CONTROLLER_MANAGER`, ... For evidence.",
            ),
            opt(
                "workload_pool",
                STR,
                "The workload identity pool (`workloadIdentityConfig.workloadPool`, `PROJECT.svc.id.goog`); null without Workload Identity Federation for GKE.",
            ),
            p(
                "node_pools_default_service_account",
                STR_LIST,
                "Node pools whose nodes run as the Compute Engine default service account (`config.serviceAccount` `default`, empty, or `NUMBER-compute@developer.gserviceaccount.com`), as `POOL (scopes: ...)`. Unknown when a pool has no `config`.",
            ),
            p(
                "node_pools_without_auto_upgrade",
                STR_LIST,
                "Node pools whose nodes are not upgraded automatically (`management.autoUpgrade` false or an empty `management`). Unknown when a pool leaves `management` out.",
            ),
            p(
                "shielded_nodes",
                BOOL,
                "Shielded GKE Nodes are enabled on every node of the cluster (`shieldedNodes.enabled`; an empty `shieldedNodes` is off). Unknown when the answer leaves `shieldedNodes` out.",
            ),
            p(
                "public_nodes",
                STR_LIST,
                "Where nodes get external IP addresses: each node pool whose `networkConfig.enablePrivateNodes` is false, or unset with a public cluster default, and `cluster default` when the cluster's default for new pools (`networkConfig.defaultEnablePrivateNodes`, else the older `privateClusterConfig.enablePrivateNodes`; neither set is public) is public.",
            ),
        ],
    },
    KindSpec {
        kind: "gcp.file.instance",
        provider: Provider::Gcp,
        doc: "A Filestore instance (`file.projects.locations.instances.list` over every location, `-`), with the newest of its backups from `file.projects.locations.backups.list` (every location, `-`): a backup is the instance's when its `sourceInstance` names the instance's location and ID (its project segment is the project's ID or number). Labels are its tags. A location the instance listing could not reach is a gap. Snapshots live on the instance and are lost with it: they are not read.",
        native_id: "full resource name `//file.googleapis.com/projects/P/locations/L/instances/NAME`",
        props: &[
            p("state", STR, "`READY`, `CREATING`, `REPAIRING`, `DELETING`, `ERROR`, `SUSPENDED`, ..."),
            p("tier", STR, "The service tier: `BASIC_HDD`, `BASIC_SSD`, `ZONAL`, `REGIONAL`, `ENTERPRISE`, ..."),
            opt(
                "latest_backup_time",
                TS,
                "`createTime` of the instance's newest backup in state `READY`; null when it has none. Backups still `CREATING` or `FINALIZING`, `INVALID` or `DELETING` cannot be restored and do not count. Unknown when the backups could not be listed, the listing could not reach a location, or a `READY` backup left out `createTime`.",
            ),
        ],
    },
    KindSpec {
        kind: "gcp.securitycenter.service",
        provider: Provider::Gcp,
        doc: "A Security Command Center service of the project (`securitycentermanagement.projects.locations.securityCenterServices.list` in location `global`): `security-health-analytics`, `event-threat-detection`, `container-threat-detection`, `vm-threat-detection`, `web-security-scanner`, ... The name is the service's ID. When the listing answers without `security-health-analytics`, that service is still written, with its states unknown. A refused listing is a gap.",
        native_id: "full resource name `//securitycentermanagement.googleapis.com/projects/P/locations/global/securityCenterServices/SERVICE`",
        props: &[
            p(
                "intended_enablement_state",
                STR,
                "The state set at the project (`intendedEnablementState`): `ENABLED`, `DISABLED`, or `INHERITED` from the closest ancestor folder or organization that sets one.",
            ),
            p(
                "effective_enablement_state",
                STR,
                "The state that holds (`effectiveEnablementState`), inheritance resolved by the API: `ENABLED`, `DISABLED`, or `INGEST_ONLY` (findings ingested, the service itself not enabled: misconfigured). Unknown when the API answers `INHERITED` or unspecified here, or left the service out.",
            ),
        ],
    },
];
