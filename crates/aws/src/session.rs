//! The session: credentials that can be found without the network, the SDK configuration with retries, timeouts and the bounded HTTP client, and who the credentials are.

use super::*;

/// Whether the default credential chain has anything to find without asking the network:
/// environment keys, a profile, web identity, container credentials, the shared files, or an
/// EC2 host (whose instance metadata serves role credentials). Without any, the SDK would try
/// the instance metadata service and time out; the scan says how to provide credentials instead.
pub(super) fn credentials_available(profile: Option<&str>) -> bool {
    let env = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    if profile.is_some()
        || [
            "AWS_ACCESS_KEY_ID",
            "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        ]
        .iter()
        .any(|k| env(k))
    {
        return true;
    }
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let files = [
        std::env::var_os("AWS_SHARED_CREDENTIALS_FILE").map(std::path::PathBuf::from),
        std::env::var_os("AWS_CONFIG_FILE").map(std::path::PathBuf::from),
        home.as_ref().map(|h| h.join(".aws/credentials")),
        home.as_ref().map(|h| h.join(".aws/config")),
    ];
    if files.iter().flatten().any(|f| f.is_file()) {
        return true;
    }
    // EC2 (Nitro and Xen) identify themselves in the DMI tables.
    [
        "/sys/class/dmi/id/board_vendor",
        "/sys/class/dmi/id/sys_vendor",
        "/sys/hypervisor/uuid",
    ]
    .iter()
    .filter_map(|f| std::fs::read_to_string(f).ok())
    .any(|v| v.contains("Amazon EC2") || v.to_ascii_lowercase().starts_with("ec2"))
}

/// Checks the options and loads the base configuration: the standard credential chain, retry
/// and timeouts, with the home region set.
pub(super) async fn base_config(opts: &AwsOptions) -> Result<SdkConfig, AwsError> {
    if let Some(url) = &opts.endpoint_url {
        if !(url.starts_with("https://")
            || (url.starts_with("http://") && hipaa_scan_core::net::is_loopback_url(url)))
        {
            return Err(AwsError::Endpoint(url.clone()));
        }
    }
    if !credentials_available(opts.profile.as_deref()) {
        return Err(AwsError::NoCredentials);
    }
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http::client(opts.max_connections))
        .retry_config(RetryConfig::adaptive().with_max_attempts(opts.max_attempts.max(1)))
        .timeout_config({
            let call = opts.call_timeout.max(Duration::from_secs(1));
            let attempt = call / 2;
            TimeoutConfig::builder()
                .connect_timeout(attempt.min(Duration::from_secs(5)))
                .read_timeout(attempt)
                .operation_attempt_timeout(attempt)
                .operation_timeout(call)
                .build()
        });
    if let Some(profile) = &opts.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let loaded = loader.load().await;
    let home_region = loaded
        .region()
        .map(|r| r.to_string())
        .or_else(|| opts.regions.first().cloned())
        .unwrap_or_else(|| "us-east-1".to_string());
    Ok(loaded.to_builder().region(Region::new(home_region)).build())
}

/// The account and partition the credentials of `conf` belong to.
pub(super) async fn identify(conf: &SdkConfig) -> Result<(String, String), AwsError> {
    let sts = aws_sdk_sts::Client::new(conf);
    let identity = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| AwsError::Identity(describe("sts:GetCallerIdentity", &e)))?;
    let account = identity
        .account()
        .ok_or_else(|| AwsError::Identity("sts:GetCallerIdentity returned no account".into()))?
        .to_string();
    let partition = identity
        .arn()
        .and_then(|arn| arn.split(':').nth(1))
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_string();
    Ok((account, partition))
}
