//! The live AWS adapter: enumerates an account with the official SDK into normalized resources.
//!
//! Credentials come from the standard chain (environment, profile, SSO, IMDS). Regions are the
//! ones enabled for the account unless `--region` names some. Services and regions are read
//! concurrently, with a bound on calls in flight and the SDK's adaptive retry for throttling.
//! A call that fails makes the affected properties unknown (or the affected kinds a gap), so the
//! checks that need them are "not evaluated", never passed. The scan only reads.

mod accessanalyzer;
mod acm;
mod apigateway;
mod artifact;
mod backup;
mod cloudtrail;
mod config;
mod dms;
mod dynamodb;
mod ec2;
mod efs;
mod eks;
mod elasticache;
mod elb;
mod guardduty;
mod http;
mod iam;
mod in_use;
mod inspector2;
mod kinesis;
mod kms;
mod logs;
mod macie2;
mod monitoring;
mod opensearch;
mod rds;
mod redshift;
mod s3;
mod sagemaker;
mod secretsmanager;
mod securityhub;
mod sns;
mod ssm;
mod sso;
mod util;

use std::sync::Arc;

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use hipaa_scan_core::collect::Progress;
use hipaa_scan_core::model::{Gap, Inventory, Provider, Resource};
use hipaa_scan_core::shard::Shard;
use util::{describe, Found, Props};

mod organization;
use organization::*;

mod services;
pub use services::reads;
mod session;
use session::*;

/// Regional service modules besides CloudTrail (whose result feeds the account resource).
const REGIONAL_SERVICES: usize = services::REGIONAL.len();

/// How to reach the account.
#[derive(Debug, Clone)]
pub struct AwsOptions {
    /// Named profile from the shared config files.
    pub profile: Option<String>,
    /// Regions to scan; empty means every region enabled for the account.
    pub regions: Vec<String>,
    /// One endpoint for every client (an AWS-compatible endpoint or a local test peer).
    pub endpoint_url: Option<String>,
    /// Attempts per call, throttling included.
    pub max_attempts: u32,
    /// Calls in flight per service.
    pub concurrency: usize,
    /// Requests in flight at once over the whole scan: every account, region and service.
    pub max_connections: usize,
    /// The longest one call may take, retries included.
    pub call_timeout: Duration,
    /// Scan every account of the organization through a role in each, instead of one account.
    pub organization: Option<Organization>,
    /// Keep only the accounts of this shard (`--shard K/N`).
    pub shard: Option<Shard>,
}

impl Default for AwsOptions {
    fn default() -> Self {
        Self {
            profile: None,
            regions: Vec::new(),
            endpoint_url: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            concurrency: DEFAULT_CONCURRENCY,
            max_connections: http::MAX_IN_FLIGHT,
            call_timeout: CALL_TIMEOUT,
            organization: None,
            shard: None,
        }
    }
}

/// An AWS Organizations scan: from the management (or delegated administrator) account's
/// credentials, every ACTIVE member account is read through `role_name` in it.
#[derive(Debug, Clone)]
pub struct Organization {
    /// The role to assume in each member account (`arn:<partition>:iam::<account>:role/NAME`).
    pub role_name: String,
    /// The `sts:ExternalId` the members' trust policies require, if any.
    pub external_id: Option<String>,
    /// Only these account IDs (empty: every ACTIVE account).
    pub accounts: Vec<String>,
    /// Leave these account IDs out.
    pub exclude_accounts: Vec<String>,
    /// Accounts read at once.
    pub account_concurrency: usize,
    /// The STS session name; default `hipaa-scan-<UTC timestamp>`.
    pub session_name: Option<String>,
}

impl Default for Organization {
    fn default() -> Self {
        Self {
            role_name: String::new(),
            external_id: None,
            accounts: Vec::new(),
            exclude_accounts: Vec::new(),
            account_concurrency: DEFAULT_ACCOUNT_CONCURRENCY,
            session_name: None,
        }
    }
}

/// Failures that stop the scan before it starts (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    #[error("no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, give --profile (or AWS_PROFILE) for ~/.aws/config, run `aws sso login`, or run on an EC2, ECS or EKS host with a role")]
    NoCredentials,
    #[error("--endpoint-url `{0}`: use https; plain http is only allowed to a loopback address (127.0.0.1, ::1, localhost)")]
    Endpoint(String),
    #[error("cannot identify the AWS account: {0} (are credentials configured? see `aws sts get-caller-identity`)")]
    Identity(String),
    #[error("cannot list the account's enabled regions: {0} (name them with --region)")]
    Regions(String),
    #[error("cannot list the organization's accounts: {0} (run from the management account or a delegated administrator for AWS Organizations, with organizations:ListAccounts allowed)")]
    Organization(String),
    #[error("--assume-role `{0}`: not an IAM role name (letters, digits and +=,.@_- , optionally a path like `audit/HipaaScan`)")]
    RoleName(String),
    #[error("`{0}` is not an AWS account ID (12 digits)")]
    AccountId(String),
}

/// What every service module needs.
pub struct Ctx {
    base: SdkConfig,
    pub account: String,
    pub home_region: String,
    pub regions: Vec<String>,
    /// `--region` was given: resources outside those regions are left out.
    pub explicit_regions: bool,
    pub concurrency: usize,
    pub progress: Progress,
    /// Each region's AWS Backup selections and opt-in settings, read once.
    pub backup_regions: backup::Regions,
    path_style: bool,
    endpoint_url: Option<String>,
}

/// Resolves every S3 Control call to one endpoint.
#[derive(Debug)]
struct FixedEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
            aws_sdk_s3control::config::endpoint::Endpoint::builder()
                .url(self.0.clone())
                .build(),
        ))
    }
}

impl Ctx {
    /// The partition of the account, from its home region.
    pub fn partition(&self) -> &'static str {
        if self.home_region.starts_with("cn-") {
            "aws-cn"
        } else if self.home_region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        }
    }

    pub fn config_for(&self, region: &str) -> SdkConfig {
        self.base
            .to_builder()
            .region(Region::new(region.to_string()))
            .build()
    }

    /// S3 Control for the account-wide settings. With `--endpoint-url`, every call goes to that
    /// endpoint as given: S3 Control's rules would otherwise put the account ID in front of the
    /// host, which an AWS-compatible endpoint does not serve.
    pub fn s3control(&self) -> aws_sdk_s3control::Client {
        self.s3control_in(&self.home_region)
    }

    /// S3 Control in one region (access points are regional).
    pub fn s3control_in(&self, region: &str) -> aws_sdk_s3control::Client {
        let conf = self.config_for(region);
        let mut b = aws_sdk_s3control::config::Builder::from(&conf);
        if let Some(url) = &self.endpoint_url {
            b = b.endpoint_resolver(FixedEndpoint(url.clone()));
        }
        aws_sdk_s3control::Client::from_conf(b.build())
    }

    pub fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.config_for(region))
            .force_path_style(self.path_style)
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }
}

/// The default time one call may take with its retries (`--call-timeout`). Each attempt gets
/// half of it, connecting at most 5 s: a silent endpoint costs one call this long, never a hang.
pub const CALL_TIMEOUT: Duration = hipaa_scan_core::collect::CALL_TIMEOUT;
/// Attempts per call, throttling included (`--max-attempts`).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
/// Calls in flight per service (`--concurrency`).
pub const DEFAULT_CONCURRENCY: usize = 16;
/// Requests in flight at once over the whole scan (`--max-connections`).
pub const MAX_CONNECTIONS: usize = http::MAX_IN_FLIGHT;
/// Accounts of an organization read at once (`--account-concurrency`).
pub const DEFAULT_ACCOUNT_CONCURRENCY: usize = 4;

/// Enumerates the account (or, with [`AwsOptions::organization`], every account of the
/// organization) into an inventory.
pub async fn collect(opts: &AwsOptions) -> Result<Inventory, AwsError> {
    let base = base_config(opts).await?;
    if let Some(org) = &opts.organization {
        return collect_organization(opts, org, base).await;
    }
    let (account, _) = identify(&base).await?;
    if let Some(shard) = opts.shard.filter(|s| !s.contains(&account)) {
        // This job's share of a one-account estate is empty; another shard reads it.
        return Ok(Inventory::new(
            chrono::Utc::now(),
            format!("aws account {account} (not in shard {shard})"),
        ));
    }
    collect_account(opts, base, &account).await
}

/// Reads one account with the credentials of `base` (whose region is the home region):
/// its regions, then every service module.
pub async fn collect_account(
    opts: &AwsOptions,
    base: SdkConfig,
    account: &str,
) -> Result<Inventory, AwsError> {
    let account = account.to_string();
    let home_region = base
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| "us-east-1".to_string());
    let explicit_regions = !opts.regions.is_empty();
    let mut regions = if explicit_regions {
        opts.regions.clone()
    } else {
        let ec2 = aws_sdk_ec2::Client::new(&base);
        let out = ec2
            .describe_regions()
            .all_regions(false)
            .send()
            .await
            .map_err(|e| AwsError::Regions(describe("ec2:DescribeRegions", &e)))?;
        out.regions()
            .iter()
            .filter_map(|r| r.region_name().map(str::to_string))
            .collect()
    };
    regions.sort();
    regions.dedup();

    let progress = Progress::new(
        "AWS",
        "service-regions",
        2 + (2 + REGIONAL_SERVICES as u64) * regions.len() as u64,
    );
    let ctx = Arc::new(Ctx {
        base,
        account: account.clone(),
        home_region,
        regions: regions.clone(),
        explicit_regions,
        concurrency: opts.concurrency.max(1),
        progress,
        backup_regions: Default::default(),
        path_style: opts.endpoint_url.is_some(),
        endpoint_url: opts.endpoint_url.clone(),
    });

    let trails_all = util::bounded(regions.clone(), 4, {
        let ctx = ctx.clone();
        move |r| {
            let ctx = ctx.clone();
            async move { cloudtrail::collect(&ctx, &r).await }
        }
    });
    // Every other regional service: one module each, each region of it a task.
    let regional = async {
        let jobs: Vec<(&'static hipaa_scan_core::collect::Service<Ctx>, String)> =
            services::REGIONAL
                .iter()
                .flat_map(|s| regions.iter().map(move |r| (s, r.clone())))
                .collect();
        let ctx = ctx.clone();
        // A bound per service as before (4 regions at a time), across all services.
        util::bounded(jobs, 4 * REGIONAL_SERVICES, move |(s, r)| {
            let ctx = ctx.clone();
            async move {
                let unread: Vec<&str> = s.kinds.iter().chain(s.lists).copied().collect();
                let found = hipaa_scan_core::collect::isolated(
                    (s.read)(ctx.clone(), r.clone()),
                    &unread,
                    s.name,
                    &ctx.account,
                    Some(&r),
                )
                .await;
                ctx.progress.done(&format!("{} {r}", s.name));
                found
            }
        })
        .await
    };
    // Every other service in use (Tagging API, SQS, Lambda, Step Functions), for the BAA check.
    let in_use_all = util::bounded(regions.clone(), 4, {
        let ctx = ctx.clone();
        move |r| {
            let ctx = ctx.clone();
            async move {
                let account = ctx.account.clone();
                let read = {
                    let ctx = ctx.clone();
                    let r = r.clone();
                    async move { in_use::collect(&ctx, &r).await }
                };
                let found = hipaa_scan_core::collect::isolated(
                    read,
                    in_use::UNREAD,
                    "in_use",
                    &account,
                    Some(&r),
                )
                .await;
                ctx.progress.done(&format!("services in use {r}"));
                found
            }
        }
    });
    let ((s3_found, account_pab), (iam_found, summary), trails, regional_found, in_use_found, baa) = tokio::join!(
        s3::collect(&ctx),
        iam::collect(ctx.clone()),
        trails_all,
        regional,
        in_use_all,
        artifact::read(&ctx),
    );
    ctx.progress.finish();

    let mut found = Found::default();
    found.extend(s3_found);
    found.extend(iam_found);
    for f in regional_found {
        found.extend(f);
    }
    // Account-wide facts derived from every region's trails: log-in monitoring, and which
    // buckets S3 data events cover.
    found
        .resources
        .push(cloudtrail::monitoring_resource(&account, &trails));
    cloudtrail::mark_data_events(&mut found.resources, &trails);
    backup::mark_in_plans(&ctx, &mut found.resources).await;
    let mut account_wide_logging = false;
    let mut trail_failures = Vec::new();
    for t in trails {
        account_wide_logging |= t.account_wide_logging;
        trail_failures.extend(t.failed);
        trail_failures.extend(t.unsettled);
        found.extend(t.found);
    }
    // Each trail's log bucket, as read with the buckets.
    cloudtrail::mark_trail_buckets(&mut found.resources);
    found.resources.push(account_resource(
        &account,
        &summary,
        account_wide_logging,
        &trail_failures,
        &account_pab,
    ));
    artifact::mark_account(&mut found.resources, baa);
    // Resources the catalog already read keep their properties; the Tagging API adds the rest.
    // Within the services in use, the direct listings (with properties) come before the
    // Tagging API's view of the same resource.
    let mut seen: std::collections::HashSet<String> =
        found.resources.iter().map(|r| r.id.clone()).collect();
    let mut extra: Vec<Resource> = Vec::new();
    for f in in_use_found {
        found.gaps.extend(f.gaps);
        extra.extend(f.resources);
    }
    extra.sort_by_key(|r| r.properties.is_empty() && r.unknown.is_empty());
    for r in extra {
        if seen.insert(r.id.clone()) {
            found.resources.push(r);
        }
    }

    let mut inv = Inventory::new(
        chrono::Utc::now(),
        format!("aws account {account}, regions {}", regions.join(", ")),
    );
    inv.resources = found.resources;
    inv.gaps = found.gaps;
    inv.resources
        .sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
    Ok(inv)
}

fn account_resource(
    account: &str,
    s: &iam::AccountSummary,
    trail_logging: bool,
    trail_failures: &[String],
    public_access_block: &Result<serde_json::Value, String>,
) -> Resource {
    let mut p = Props::default();
    match public_access_block {
        Ok(v) => p.set("public_access_block", v.clone()),
        Err(why) => p.unknown("public_access_block", why.clone()),
    }
    match &s.root_mfa_enabled {
        Ok(v) => p.set("root_mfa_enabled", *v),
        Err(why) => p.unknown("root_mfa_enabled", why.clone()),
    }
    // Left out when the summary does not say: the root MFA check then requires MFA.
    if let Some(present) = s.root_password_present {
        p.set("root_password_present", present);
    }
    match &s.root_access_keys_present {
        Ok(v) => p.set("root_access_keys_present", *v),
        Err(why) => p.unknown("root_access_keys_present", why.clone()),
    }
    match &s.password_policy {
        Ok(v) => p.set("password_policy", v.clone()),
        Err(why) => p.unknown("password_policy", why.clone()),
    }
    match &s.root_virtual_mfa {
        Ok(v) => p.set("root_virtual_mfa", *v),
        Err(why) => p.unknown("root_virtual_mfa", why.clone()),
    }
    match &s.support_role {
        Ok(v) => p.set("support_role", *v),
        Err(why) => p.unknown("support_role", why.clone()),
    }
    // One logging multi-region trail settles it; without one, a region we could not read might
    // hold it, so the answer is unknown rather than false.
    if trail_logging || trail_failures.is_empty() {
        p.set("multi_region_trail_logging", trail_logging);
    } else {
        p.unknown("multi_region_trail_logging", trail_failures.join("; "));
    }
    p.into_resource(util::resource(
        "aws.account",
        account.to_string(),
        account,
        "global",
        account.to_string(),
        Default::default(),
    ))
}
