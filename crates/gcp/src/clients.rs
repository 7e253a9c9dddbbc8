//! The clients of one scan: credentials, googleapis' service clients and the Cloud Storage JSON
//! client, each with its endpoint and a retry policy that also retries throttling.

use std::time::Duration;

use google_cloud_api_serviceusage_v1::client::ServiceUsage;
use google_cloud_asset_v1::client::AssetService;
use google_cloud_auth::credentials::{self, Credentials};
use google_cloud_bigquery_v2::client::DatasetService;
use google_cloud_compute_v1::client::{Firewalls, Instances, Projects as ComputeProjects};
use google_cloud_container_v1::client::ClusterManager;
use google_cloud_filestore_v1::client::CloudFilestoreManager;
use google_cloud_gax::error::Error as GaxError;
use google_cloud_gax::exponential_backoff::ExponentialBackoffBuilder;
use google_cloud_gax::retry_policy::{Aip194Strict, RetryPolicyExt, TooManyRequests};
use google_cloud_iam_admin_v1::client::Iam;
use google_cloud_kms_v1::client::KeyManagementService;
use google_cloud_logging_v2::client::{ConfigServiceV2, MetricsServiceV2};
use google_cloud_monitoring_v3::client::AlertPolicyService;
use google_cloud_resourcemanager_v3::client::{Folders, Organizations, Projects};
use google_cloud_securitycentermanagement_v1::client::SecurityCenterManagement;
use google_cloud_sql_v1::client::SqlInstancesService;

use super::rest::Rest;
use super::{GcpError, GcpOptions};

/// Base URLs that replace Google's, by API name (`--endpoint NAME=URL`).
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    pub storage: Option<String>,
    pub sqladmin: Option<String>,
    pub cloudkms: Option<String>,
    pub cloudresourcemanager: Option<String>,
    pub logging: Option<String>,
    pub monitoring: Option<String>,
    pub compute: Option<String>,
    /// The Admin SDK (Directory API: Cloud Identity / Google Workspace users).
    pub admin: Option<String>,
    pub cloudasset: Option<String>,
    pub serviceusage: Option<String>,
    /// IAM: service accounts and their keys.
    pub iam: Option<String>,
    pub bigquery: Option<String>,
    /// Google Kubernetes Engine.
    pub container: Option<String>,
    /// Filestore instances and backups.
    pub file: Option<String>,
    /// The Security Command Center Management API.
    pub securitycentermanagement: Option<String>,
}

impl Endpoints {
    pub const NAMES: [&'static str; 15] = [
        "storage",
        "sqladmin",
        "cloudkms",
        "cloudresourcemanager",
        "logging",
        "monitoring",
        "compute",
        "admin",
        "cloudasset",
        "serviceusage",
        "iam",
        "bigquery",
        "container",
        "file",
        "securitycentermanagement",
    ];

    /// Parses `NAME=URL` pairs; the URL must be http(s).
    pub fn parse(pairs: &[String]) -> Result<Self, GcpError> {
        let mut e = Endpoints::default();
        for pair in pairs {
            let (name, url) = pair.split_once('=').ok_or_else(|| {
                GcpError::Endpoint(format!(
                    "`{pair}`: expected NAME=URL, e.g. sqladmin=https://sqladmin.example"
                ))
            })?;
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(GcpError::Endpoint(format!(
                    "`{pair}`: the URL must start with http:// or https://"
                )));
            }
            if url.starts_with("http://") && !hipaa_scan_core::net::is_loopback_url(url) {
                return Err(GcpError::Endpoint(format!(
                    "`{pair}`: plain http is only allowed to a loopback address (127.0.0.1, ::1, localhost); use https"
                )));
            }
            let url = Some(url.trim_end_matches('/').to_string());
            match name {
                "storage" => e.storage = url,
                "sqladmin" => e.sqladmin = url,
                "cloudkms" => e.cloudkms = url,
                "cloudresourcemanager" => e.cloudresourcemanager = url,
                "logging" => e.logging = url,
                "monitoring" => e.monitoring = url,
                "compute" => e.compute = url,
                "admin" => e.admin = url,
                "cloudasset" => e.cloudasset = url,
                "serviceusage" => e.serviceusage = url,
                "iam" => e.iam = url,
                "bigquery" => e.bigquery = url,
                "container" => e.container = url,
                "file" => e.file = url,
                "securitycentermanagement" => e.securitycentermanagement = url,
                other => {
                    return Err(GcpError::Endpoint(format!(
                        "`{other}` is not an API this scan calls; use one of {}",
                        Self::NAMES.join(", ")
                    )))
                }
            }
        }
        Ok(e)
    }

    /// The Cloud Storage base URL: `--endpoint storage=`, else `STORAGE_EMULATOR_HOST` (the
    /// variable Google's own libraries honour), else Google's.
    fn storage_base(&self) -> String {
        if let Some(url) = &self.storage {
            return url.clone();
        }
        match std::env::var("STORAGE_EMULATOR_HOST") {
            Ok(host) if !host.trim().is_empty() => {
                let host = host.trim().trim_end_matches('/');
                if host.contains("://") {
                    host.to_string()
                } else {
                    format!("http://{host}")
                }
            }
            _ => "https://storage.googleapis.com".to_string(),
        }
    }
}

pub(crate) struct Clients {
    pub projects: Projects,
    pub folders: Folders,
    pub organizations: Organizations,
    pub sql: SqlInstancesService,
    pub kms: KeyManagementService,
    pub sinks: ConfigServiceV2,
    pub metrics: MetricsServiceV2,
    pub alerts: AlertPolicyService,
    pub firewalls: Firewalls,
    pub instances: Instances,
    pub compute_projects: ComputeProjects,
    pub assets: AssetService,
    pub service_usage: ServiceUsage,
    pub iam: Iam,
    pub datasets: DatasetService,
    pub clusters: ClusterManager,
    pub filestore: CloudFilestoreManager,
    pub scc: SecurityCenterManagement,
    pub storage: Rest,
    /// The Admin SDK Directory API, with a token of the Directory scope.
    pub admin: Rest,
}

macro_rules! configure {
    ($builder:expr, $creds:expr, $endpoint:expr, $opts:expr, $name:literal) => {{
        let mut b = $builder
            .with_credentials($creds.clone())
            .with_retry_policy(
                TooManyRequests::new(Aip194Strict)
                    .with_attempt_limit($opts.max_attempts.max(1))
                    .with_time_limit($opts.call_timeout),
            )
            .with_attempt_timeout($opts.call_timeout / 2)
            .with_backoff_policy(backoff());
        if let Some(url) = &$endpoint {
            b = b.with_endpoint(url.clone());
        }
        b.build().await.map_err(|e| GcpError::Client {
            service: $name,
            message: e.to_string(),
        })?
    }};
}

/// The OAuth scope of the Directory API's read-only user calls (`users.list`).
pub(crate) const DIRECTORY_SCOPE: &str =
    "https://www.googleapis.com/auth/admin.directory.user.readonly";

/// One attempt of a call, and the whole call with its retries: a silent endpoint costs one
/// call at most this long (the default of `--call-timeout`), never a hang. An attempt gets half.
pub const CALL_TIMEOUT: Duration = hipaa_scan_core::collect::CALL_TIMEOUT;

/// Whether Application Default Credentials have something to find without asking the network:
/// `GOOGLE_APPLICATION_CREDENTIALS`, gcloud's well-known file, or a Google Compute Engine host
/// (whose metadata server serves credentials). Without any, the library would wait on a
/// metadata server that is not there.
fn adc_available() -> bool {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if env("GOOGLE_APPLICATION_CREDENTIALS").is_some() || env("GCE_METADATA_HOST").is_some() {
        return true;
    }
    let config = env("CLOUDSDK_CONFIG")
        .map(std::path::PathBuf::from)
        .or_else(|| env("APPDATA").map(|a| std::path::PathBuf::from(a).join("gcloud")))
        .or_else(|| env("HOME").map(|h| std::path::PathBuf::from(h).join(".config/gcloud")));
    if config.is_some_and(|c| c.join("application_default_credentials.json").is_file()) {
        return true;
    }
    std::fs::read_to_string("/sys/class/dmi/id/product_name").is_ok_and(|p| p.contains("Google"))
}

fn backoff() -> google_cloud_gax::exponential_backoff::ExponentialBackoff {
    ExponentialBackoffBuilder::new()
        .with_initial_delay(Duration::from_millis(250))
        .with_maximum_delay(Duration::from_secs(20))
        .with_scaling(2.0)
        .clamp()
}

impl Clients {
    pub async fn new(opts: &GcpOptions) -> Result<Self, GcpError> {
        let e = &opts.endpoints;
        let storage_base = e.storage_base();
        // Never send a token in clear text: the emulator and other plain-http peers are read
        // anonymously, as Google's own libraries do for the emulator.
        let storage_anonymous = storage_base.starts_with("http://");
        let creds: Credentials = if adc_available() {
            credentials::Builder::default()
                .build()
                .map_err(|e| GcpError::Credentials(e.to_string()))?
        } else if storage_anonymous {
            // Only the emulator can be read; the other APIs answer that credentials are missing,
            // and their checks are not evaluated with that reason.
            credentials::anonymous::Builder::new().build()
        } else {
            return Err(GcpError::Credentials(
                "no Google credentials found: run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS to a service account or workload identity federation file, or run on Google Cloud with a service account".into(),
            ));
        };
        let storage_creds = if storage_anonymous {
            credentials::anonymous::Builder::new().build()
        } else {
            creds.clone()
        };
        // The Directory API takes no cloud-platform token: it needs a token of its own scope.
        // A separate credential, so that a login that did not grant that scope (gcloud's default
        // one) fails for the Workspace users alone, as a gap, and every other API still reads.
        let admin_creds = if adc_available() {
            credentials::Builder::default()
                .with_scopes([DIRECTORY_SCOPE])
                .build()
                .map_err(|e| GcpError::Credentials(e.to_string()))?
        } else {
            credentials::anonymous::Builder::new().build()
        };
        Ok(Self {
            projects: configure!(
                Projects::builder(),
                creds,
                e.cloudresourcemanager,
                opts,
                "Resource Manager"
            ),
            folders: configure!(
                Folders::builder(),
                creds,
                e.cloudresourcemanager,
                opts,
                "Resource Manager"
            ),
            organizations: configure!(
                Organizations::builder(),
                creds,
                e.cloudresourcemanager,
                opts,
                "Resource Manager"
            ),
            sql: configure!(
                SqlInstancesService::builder(),
                creds,
                e.sqladmin,
                opts,
                "Cloud SQL Admin"
            ),
            kms: configure!(
                KeyManagementService::builder(),
                creds,
                e.cloudkms,
                opts,
                "Cloud KMS"
            ),
            sinks: configure!(
                ConfigServiceV2::builder(),
                creds,
                e.logging,
                opts,
                "Cloud Logging"
            ),
            metrics: configure!(
                MetricsServiceV2::builder(),
                creds,
                e.logging,
                opts,
                "Cloud Logging"
            ),
            alerts: configure!(
                AlertPolicyService::builder(),
                creds,
                e.monitoring,
                opts,
                "Cloud Monitoring"
            ),
            firewalls: configure!(
                Firewalls::builder(),
                creds,
                e.compute,
                opts,
                "Compute Engine"
            ),
            instances: configure!(
                Instances::builder(),
                creds,
                e.compute,
                opts,
                "Compute Engine"
            ),
            compute_projects: configure!(
                ComputeProjects::builder(),
                creds,
                e.compute,
                opts,
                "Compute Engine"
            ),
            assets: configure!(
                AssetService::builder(),
                creds,
                e.cloudasset,
                opts,
                "Cloud Asset Inventory"
            ),
            service_usage: configure!(
                ServiceUsage::builder(),
                creds,
                e.serviceusage,
                opts,
                "Service Usage"
            ),
            iam: configure!(Iam::builder(), creds, e.iam, opts, "IAM"),
            datasets: configure!(
                DatasetService::builder(),
                creds,
                e.bigquery,
                opts,
                "BigQuery"
            ),
            clusters: configure!(
                ClusterManager::builder(),
                creds,
                e.container,
                opts,
                "Kubernetes Engine"
            ),
            filestore: configure!(
                CloudFilestoreManager::builder(),
                creds,
                e.file,
                opts,
                "Filestore"
            ),
            scc: configure!(
                SecurityCenterManagement::builder(),
                creds,
                e.securitycentermanagement,
                opts,
                "Security Command Center"
            ),
            storage: Rest::new(
                storage_creds,
                storage_base,
                opts.max_attempts.max(1),
                opts.call_timeout,
            )
            .map_err(|message| GcpError::Client {
                service: "Cloud Storage",
                message,
            })?,
            admin: Rest::new(
                admin_creds,
                e.admin
                    .clone()
                    .unwrap_or_else(|| "https://admin.googleapis.com".to_string()),
                opts.max_attempts.max(1),
                opts.call_timeout,
            )
            .map_err(|message| GcpError::Client {
                service: "Admin SDK",
                message,
            })?,
        })
    }
}

/// `api.method: CODE: message`, for unknown properties and gaps.
pub(crate) fn describe(op: &str, e: &GaxError) -> String {
    if let Some(s) = e.status() {
        let msg = s.message.trim();
        // An error body without a `status` name (Compute Engine's) parses as UNKNOWN: the HTTP
        // status says more.
        let code = match (&s.code, e.http_status_code()) {
            (google_cloud_gax::error::rpc::Code::Unknown, Some(http)) => format!("HTTP {http}"),
            (code, _) => code.name().to_string(),
        };
        return if msg.is_empty() {
            format!("{op}: {code}")
        } else {
            format!("{op}: {code}: {msg}")
        };
    }
    if let Some(code) = e.http_status_code() {
        return format!("{op}: HTTP {code}");
    }
    if e.is_authentication() {
        return format!("{op}: could not get an access token: {e}");
    }
    if e.is_timeout() {
        return format!("{op}: timed out");
    }
    if e.is_io() || e.is_transport() {
        return format!("{op}: connection failed");
    }
    format!("{op}: {e}")
}
