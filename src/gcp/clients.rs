//! The clients of one scan: credentials, googleapis' service clients and the Cloud Storage JSON
//! client, each with its endpoint and a retry policy that also retries throttling.

use std::time::Duration;

use google_cloud_auth::credentials::{self, Credentials};
use google_cloud_gax::error::Error as GaxError;
use google_cloud_gax::exponential_backoff::ExponentialBackoffBuilder;
use google_cloud_gax::retry_policy::{Aip194Strict, RetryPolicyExt, TooManyRequests};
use google_cloud_kms_v1::client::KeyManagementService;
use google_cloud_resourcemanager_v3::client::{Folders, Projects};
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
}

impl Endpoints {
    pub const NAMES: [&'static str; 4] =
        ["storage", "sqladmin", "cloudkms", "cloudresourcemanager"];

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
            let url = Some(url.trim_end_matches('/').to_string());
            match name {
                "storage" => e.storage = url,
                "sqladmin" => e.sqladmin = url,
                "cloudkms" => e.cloudkms = url,
                "cloudresourcemanager" => e.cloudresourcemanager = url,
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
    pub sql: SqlInstancesService,
    pub kms: KeyManagementService,
    pub storage: Rest,
}

macro_rules! configure {
    ($builder:expr, $creds:expr, $endpoint:expr, $opts:expr, $name:literal) => {{
        let mut b = $builder
            .with_credentials($creds.clone())
            .with_retry_policy(
                TooManyRequests::new(Aip194Strict).with_attempt_limit($opts.max_attempts.max(1)),
            )
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

fn backoff() -> google_cloud_gax::exponential_backoff::ExponentialBackoff {
    ExponentialBackoffBuilder::new()
        .with_initial_delay(Duration::from_millis(250))
        .with_maximum_delay(Duration::from_secs(20))
        .with_scaling(2.0)
        .clamp()
}

impl Clients {
    pub async fn new(opts: &GcpOptions) -> Result<Self, GcpError> {
        let creds: Credentials = credentials::Builder::default()
            .build()
            .map_err(|e| GcpError::Credentials(e.to_string()))?;
        let e = &opts.endpoints;
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
            storage: Rest::new(creds, e.storage_base(), opts.max_attempts.max(1)).map_err(
                |message| GcpError::Client {
                    service: "Cloud Storage",
                    message,
                },
            )?,
        })
    }
}

/// `api.method: CODE: message`, for unknown properties and gaps.
pub(crate) fn describe(op: &str, e: &GaxError) -> String {
    if let Some(s) = e.status() {
        let msg = s.message.trim();
        return if msg.is_empty() {
            format!("{op}: {}", s.code.name())
        } else {
            format!("{op}: {}: {msg}", s.code.name())
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
