//! The command line's arguments: every subcommand, flag and default.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use hipaa_scan::config::FailOn;

#[derive(Parser)]
#[command(
    name = "hipaa-scan",
    version,
    about = "Scan cloud estates against the HIPAA Security Rule"
)]
#[command(
    after_help = "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error, 3 scan incomplete (and no such findings)."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Evaluate the policies over an estate and report.
    Scan(ScanArgs),
    /// Validate and merge inventory snapshots into one snapshot document.
    Inventory(InventoryArgs),
    /// List, show or validate policies.
    #[command(subcommand)]
    Policies(PoliciesCommand),
    /// Write the physical-safeguard (164.310) inheritance map of an estate.
    Map(MapArgs),
    /// Regenerate docs/policies.md and docs/resource-kinds.md from the code.
    Docs(DocsArgs),
    /// Accepted baselines: the findings a person reviewed and accepted on purpose.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Combine the JSON results of sharded (or separate) scans into one report and one gate.
    /// The inventories the results embed are merged and judged again, so the SARIF, map and
    /// exit code are those of one scan of the whole estate.
    Merge(MergeArgs),
}

#[derive(Args)]
pub(crate) struct MergeArgs {
    /// JSON results written by `scan ... --output json=PATH` (live scans embed their inventory).
    #[arg(value_name = "RESULT.json", required = true)]
    pub(crate) results: Vec<PathBuf>,
    /// The number of shards the estate was split into: a shard with no result makes the merged
    /// scan incomplete (its accounts not evaluated, exit 3 unless findings gate).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub(crate) expect_shards: Option<u32>,
    #[command(flatten)]
    pub(crate) policy: PolicyArgs,
    #[command(flatten)]
    pub(crate) report: ReportArgs,
}

#[derive(Subcommand)]
pub(crate) enum BaselineCommand {
    /// Accept the findings of a JSON result as the baseline that `--fail-on-new` gates against.
    /// Run it by hand after review; a scan never rewrites an accepted baseline.
    Accept {
        /// A JSON result (`scan ... --output json=RESULT`).
        result: PathBuf,
        /// Where to write the accepted baseline.
        #[arg(long, short, value_name = "PATH")]
        output: PathBuf,
        /// Why these findings are accepted (kept in the file).
        #[arg(long, default_value = "")]
        note: String,
    },
}

#[derive(Args)]
pub(crate) struct SourceArgs {
    /// An inventory snapshot to scan; repeat to merge several (e.g. one per cloud).
    #[arg(long, value_name = "FILE", required = true)]
    pub(crate) snapshot: Vec<PathBuf>,
}

/// A snapshot, or a live provider subcommand.
#[derive(Args)]
pub(crate) struct EstateArgs {
    /// An inventory snapshot to read instead of a live account; repeat to merge several.
    #[arg(long, value_name = "FILE")]
    pub(crate) snapshot: Vec<PathBuf>,
    /// Deadline for reading a live estate, in seconds. Every call also has its own timeouts;
    /// past this deadline the estate still unread is reported as not evaluated (exit 3).
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = hipaa_scan::collect::SCAN_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) timeout: u64,
    /// The longest one API call may take, retries included; a call that takes longer is
    /// reported as timed out and its checks as not evaluated.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = hipaa_scan::collect::CALL_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) call_timeout: u64,
    /// A source range broader than this prefix length counts as the internet (security groups,
    /// NACLs, Cloud SQL authorized networks, Azure SQL firewalls, `aws:SourceIp` conditions).
    #[arg(long, global = true, value_name = "BITS", default_value_t = hipaa_scan::net::DEFAULT_MAX_PREFIX, value_parser = clap::value_parser!(u8).range(1..=32))]
    pub(crate) open_prefix: u8,
    /// Read only shard K of N (1-based): the accounts whose stable hash (SHA-256 of the ID)
    /// falls in slot K, so N jobs cover the estate exactly once. Merge their JSON results
    /// with `hipaa-scan merge --expect-shards N`.
    #[arg(long, global = true, value_name = "K/N", value_parser = |s: &str| s.parse::<hipaa_scan::shard::Shard>())]
    pub(crate) shard: Option<hipaa_scan::shard::Shard>,
    /// The same as `--shard`, from a 0-based index `I/N` (shard I+1 of N): pass a Kubernetes
    /// Indexed Job's index as `--job-index $(JOB_COMPLETION_INDEX)/N`.
    #[arg(long, global = true, value_name = "I/N", conflicts_with = "shard", value_parser = hipaa_scan::shard::Shard::from_job_index)]
    pub(crate) job_index: Option<hipaa_scan::shard::Shard>,
    #[command(subcommand)]
    pub(crate) live: Option<Live>,
}

impl EstateArgs {
    /// `--shard K/N`, or `--job-index I/N` as shard I+1 of N.
    pub(crate) fn shard(&self) -> Option<hipaa_scan::shard::Shard> {
        self.shard.or(self.job_index)
    }
}

/// The live providers. A provider whose feature this binary was built without keeps its
/// subcommand, which explains that and exits 2, rather than reading as a typo.
#[derive(Subcommand)]
pub(crate) enum Live {
    /// Read a live AWS account with the standard credential chain (env, profile, SSO, IMDS).
    #[cfg(feature = "aws")]
    Aws(AwsArgs),
    /// Not in this build: it was compiled without the `aws` feature.
    #[cfg(not(feature = "aws"))]
    Aws(NotBuilt),
    /// Read live Google Cloud projects with Application Default Credentials.
    #[cfg(feature = "gcp")]
    Gcp(GcpArgs),
    /// Not in this build: it was compiled without the `gcp` feature.
    #[cfg(not(feature = "gcp"))]
    Gcp(NotBuilt),
    /// Read live Azure subscriptions (and Entra ID users) with azure_identity credentials.
    #[cfg(feature = "azure")]
    Azure(AzureArgs),
    /// Not in this build: it was compiled without the `azure` feature.
    #[cfg(not(feature = "azure"))]
    Azure(NotBuilt),
}

/// The arguments of a provider this binary was built without: accepted, then refused.
#[derive(Args)]
pub(crate) struct NotBuilt {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub(crate) args: Vec<String>,
}

#[cfg(feature = "azure")]
#[derive(Args)]
pub(crate) struct AzureArgs {
    /// Subscription ID to scan; repeatable. Default: every enabled subscription the credential sees.
    #[arg(long = "subscription", value_name = "ID")]
    pub(crate) subscriptions: Vec<String>,
    /// Scan every enabled subscription under this management group, at any depth.
    #[arg(long, value_name = "ID", conflicts_with = "subscriptions")]
    pub(crate) management_group: Option<String>,
    /// Use managed identity (IMDS) even when no managed-identity variable is set.
    #[arg(long)]
    pub(crate) managed_identity: bool,
    /// Resource Manager base URL (sovereign clouds, or a local test peer); https only.
    #[arg(
        long,
        value_name = "URL",
        default_value = hipaa_scan::azure::DEFAULT_ARM_ENDPOINT
    )]
    pub(crate) arm_endpoint: String,
    /// Microsoft Graph base URL; https only.
    #[arg(
        long,
        value_name = "URL",
        default_value = hipaa_scan::azure::DEFAULT_GRAPH_ENDPOINT
    )]
    pub(crate) graph_endpoint: String,
    /// Retries per call, throttling included.
    #[arg(long, default_value_t = hipaa_scan::azure::DEFAULT_MAX_RETRIES, value_parser = clap::value_parser!(u32).range(0..=20))]
    pub(crate) max_retries: u32,
    /// Calls in flight per subscription and service.
    #[arg(long, default_value_t = hipaa_scan::azure::DEFAULT_CONCURRENCY as u64, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub(crate) concurrency: u64,
}

#[cfg(feature = "gcp")]
#[derive(Args)]
pub(crate) struct GcpArgs {
    /// Project ID to scan; repeatable. Default: every active project the credentials can see.
    #[arg(long = "project", value_name = "ID")]
    pub(crate) projects: Vec<String>,
    /// Scan every active project under this organization and its folders.
    #[arg(long, value_name = "ID", conflicts_with = "projects")]
    pub(crate) organization: Option<String>,
    /// The Cloud Identity / Google Workspace customer whose users' 2-Step Verification is read
    /// (Admin SDK Directory API): `my_customer` (the scanning identity's own) or a customer ID
    /// such as C01abc234. Default: the directoryCustomerId of the organization of each scanned
    /// project; without one (a project outside any organization, an organization that could not
    /// be read), the users are not evaluated (exit 3).
    #[arg(long, value_name = "ID", value_parser = hipaa_scan::gcp::parse_workspace_customer)]
    pub(crate) workspace_customer: Option<String>,
    /// Replace an API's base URL, e.g. `sqladmin=https://...`; repeatable. APIs: storage,
    /// sqladmin, cloudkms, cloudresourcemanager, logging, monitoring, compute, admin (the Admin
    /// SDK's Directory API), cloudasset, serviceusage, iam, bigquery, container, file (Filestore),
    /// securitycentermanagement.
    /// Cloud Storage also honours STORAGE_EMULATOR_HOST.
    #[arg(long = "endpoint", value_name = "NAME=URL")]
    pub(crate) endpoints: Vec<String>,
    /// Attempts per call, throttling included.
    #[arg(long, default_value_t = hipaa_scan::gcp::DEFAULT_MAX_ATTEMPTS, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub(crate) max_attempts: u32,
    /// Projects read at once.
    #[arg(long, default_value_t = hipaa_scan::gcp::DEFAULT_CONCURRENCY as u64, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub(crate) concurrency: u64,
}

#[cfg(feature = "aws")]
#[derive(Args)]
pub(crate) struct AwsArgs {
    /// Named profile from ~/.aws/config.
    #[arg(long, env = "AWS_PROFILE")]
    pub(crate) profile: Option<String>,
    /// Region to scan; repeatable. Default: every region enabled for the account.
    #[arg(long = "region", value_name = "REGION")]
    pub(crate) regions: Vec<String>,
    /// Send every call to this endpoint (an AWS-compatible service or a local test peer).
    #[arg(long, value_name = "URL")]
    pub(crate) endpoint_url: Option<String>,
    /// Attempts per call, throttling included (adaptive retry).
    #[arg(long, default_value_t = hipaa_scan::aws::DEFAULT_MAX_ATTEMPTS, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub(crate) max_attempts: u32,
    /// Calls in flight per service.
    #[arg(long, default_value_t = hipaa_scan::aws::DEFAULT_CONCURRENCY as u64, value_parser = clap::value_parser!(u64).range(1..=256))]
    pub(crate) concurrency: u64,
    /// Requests in flight at once over the whole scan (every account, region and service), which
    /// bounds open connections: at most this many busy plus two idle per endpoint.
    #[arg(long, default_value_t = hipaa_scan::aws::MAX_CONNECTIONS as u64, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub(crate) max_connections: u64,
    /// Scan every ACTIVE account of the AWS Organization (from the management or a delegated
    /// administrator account), each through the role given by --assume-role.
    #[arg(long, requires = "assume_role")]
    pub(crate) organization: bool,
    /// The role to assume in each member account: arn:<partition>:iam::<account>:role/NAME.
    #[arg(long, value_name = "NAME", requires = "organization")]
    pub(crate) assume_role: Option<String>,
    /// The external ID the member roles' trust policies require (sts:ExternalId).
    #[arg(
        long,
        value_name = "ID",
        requires = "organization",
        env = "HIPAA_SCAN_EXTERNAL_ID"
    )]
    pub(crate) external_id: Option<String>,
    /// Only these account IDs (comma-separated or repeated).
    #[arg(
        long,
        value_name = "ID,...",
        value_delimiter = ',',
        requires = "organization"
    )]
    pub(crate) accounts: Vec<String>,
    /// Leave these account IDs out (comma-separated or repeated).
    #[arg(
        long,
        value_name = "ID,...",
        value_delimiter = ',',
        requires = "organization"
    )]
    pub(crate) exclude_accounts: Vec<String>,
    /// Accounts read at once.
    #[arg(long, default_value_t = hipaa_scan::aws::DEFAULT_ACCOUNT_CONCURRENCY as u64, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub(crate) account_concurrency: u64,
}

#[derive(Args)]
pub(crate) struct PolicyArgs {
    /// Extra policy folder; its policies add to or replace the built-in ones by id. Repeatable.
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) policies: Vec<PathBuf>,
    /// Config file: ePHI scope, fail-on, policy overrides and parameters.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Run only these policies: ids, or prefixes ending in `*` (`aws-s3-*`). Comma-separated or
    /// repeated; a pattern that names no policy is an error.
    #[arg(long, global = true, value_name = "ID,...", value_delimiter = ',')]
    pub(crate) select: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
    /// The inheritance map as Markdown.
    Map,
    /// The inheritance map as JSON.
    MapJson,
    /// The coverage matrix: every 164.308/310/312 specification, assessed, inherited or manual.
    Coverage,
    /// The coverage matrix as JSON.
    CoverageJson,
    /// Markdown for a GitHub Actions job summary, kept under GitHub's 1 MiB limit.
    GithubSummary,
    /// `key=value` lines for `$GITHUB_OUTPUT`: findings, failed, not-evaluated, waived, new, gate, exit-code.
    GithubOutputs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RedactLevel {
    Tags,
    Names,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
pub(crate) struct ScanArgs {
    #[command(flatten)]
    pub(crate) estate: EstateArgs,
    #[command(flatten)]
    pub(crate) policy: PolicyArgs,
    #[command(flatten)]
    pub(crate) report: ReportArgs,
    /// Embed the inventory in the JSON result even when it was read from snapshots, so
    /// `hipaa-scan merge` can combine the result (live scans always embed it).
    #[arg(long, global = true)]
    pub(crate) embed_inventory: bool,
}

/// How a scan (or a merge) reports and gates.
#[derive(Args)]
pub(crate) struct ReportArgs {
    /// Format printed on stdout.
    #[arg(long, global = true, value_enum, default_value = "text")]
    pub(crate) format: Format,
    /// Also write FORMAT to PATH, e.g. `sarif=results.sarif`. Repeatable.
    #[arg(long, global = true, value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub(crate) output: Vec<(Format, PathBuf)>,
    /// Fail (exit 1) on findings at or above this severity: critical, high, medium, low or none.
    /// Default: the config's `fail_on`, else high.
    #[arg(long, global = true, value_name = "SEVERITY", value_parser = |s: &str| s.parse::<FailOn>())]
    pub(crate) fail_on: Option<FailOn>,
    /// Colour the text summary.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub(crate) color: ColorChoice,
    /// Waivers file (YAML): accepted findings with reason, owner and expiry.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) waivers: Option<PathBuf>,
    /// A previous JSON result: marks each finding new or unchanged and lists resolved ones.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Gate (exit 1) only on findings that are not in the baseline.
    #[arg(long, global = true, requires = "baseline")]
    pub(crate) fail_on_new: bool,
    /// The day waivers are judged against (YYYY-MM-DD); default today (UTC).
    #[arg(long, global = true, value_name = "DATE")]
    pub(crate) today: Option<chrono::NaiveDate>,
    /// What reports leave out besides secrets, tag values and sensitive properties (always):
    /// `names` (default) also hides names taken from a tag (an EC2 `Name` tag), showing the
    /// native id instead; `tags` shows them, for reports that stay inside the team.
    #[arg(long, global = true, value_enum, default_value = "names")]
    pub(crate) redact: RedactLevel,
    /// Do not append the job summary to `$GITHUB_STEP_SUMMARY` even when it is set.
    #[arg(long, global = true)]
    pub(crate) no_step_summary: bool,
}

#[derive(Args)]
pub(crate) struct InventoryArgs {
    #[command(flatten)]
    pub(crate) estate: EstateArgs,
    /// Write the snapshot to PATH instead of stdout.
    #[arg(long, short, value_name = "PATH", global = true)]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Subcommand)]
pub(crate) enum PoliciesCommand {
    /// List the policies (built-in and from --policies).
    List {
        #[command(flatten)]
        policy: PolicyArgs,
        /// `text` or `json`.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
    /// Show one policy in full.
    Show {
        id: String,
        #[command(flatten)]
        policy: PolicyArgs,
    },
    /// Validate a folder of policy files; reports every problem with file and line.
    Validate { dir: PathBuf },
}

#[derive(Args)]
pub(crate) struct MapArgs {
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    #[command(flatten)]
    pub(crate) policy: PolicyArgs,
    /// `markdown` or `json`.
    #[arg(long, default_value = "markdown", value_parser = ["markdown", "json"])]
    pub(crate) format: String,
}

#[derive(Args)]
pub(crate) struct DocsArgs {
    /// Folder to write into.
    #[arg(long, default_value = "docs")]
    pub(crate) out: PathBuf,
    /// The README whose generated blocks (each cloud's call list) to rewrite.
    #[arg(long, default_value = "README.md")]
    pub(crate) readme: PathBuf,
    /// Do not write: fail (exit 2) when the files differ from what would be generated.
    #[arg(long)]
    pub(crate) check: bool,
}
pub(crate) fn parse_output(s: &str) -> Result<(Format, PathBuf), String> {
    let (fmt, path) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=PATH, found `{s}`"))?;
    let fmt = Format::from_str(fmt, true).map_err(|_| {
        format!("unknown format `{fmt}` (text, json, sarif, markdown, map, map-json, coverage, coverage-json, github-summary, github-outputs)")
    })?;
    if path.is_empty() {
        return Err("the path is empty".into());
    }
    Ok((fmt, PathBuf::from(path)))
}
