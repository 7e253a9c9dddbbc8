//! The `hipaa-scan` command line. Exit codes: 0 clean, 1 findings at or above `--fail-on`,
//! 2 usage or input error, 3 scan incomplete with no such findings.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use hipaa_scan::baseline::Baseline;
use hipaa_scan::config::FailOn;
use hipaa_scan::error::Error as LibError;
use hipaa_scan::model::{load_snapshot, merge, Inventory, Provider};
use hipaa_scan::output::{write_atomic, write_files_atomic};
use hipaa_scan::report::{self, Triage};
use hipaa_scan::scan::{Outcome, Setup};
use hipaa_scan::waiver::Waivers;

/// Usage or input error.
const EXIT_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "hipaa-scan",
    version,
    about = "Scan cloud estates against the HIPAA Security Rule"
)]
#[command(
    after_help = "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error, 3 scan incomplete (and no such findings)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
struct MergeArgs {
    /// JSON results written by `scan ... --output json=PATH` (live scans embed their inventory).
    #[arg(value_name = "RESULT.json", required = true)]
    results: Vec<PathBuf>,
    /// The number of shards the estate was split into: a shard with no result makes the merged
    /// scan incomplete (its accounts not evaluated, exit 3 unless findings gate).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10000))]
    expect_shards: Option<u32>,
    #[command(flatten)]
    policy: PolicyArgs,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Subcommand)]
enum BaselineCommand {
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
struct SourceArgs {
    /// An inventory snapshot to scan; repeat to merge several (e.g. one per cloud).
    #[arg(long, value_name = "FILE", required = true)]
    snapshot: Vec<PathBuf>,
}

/// A snapshot, or a live provider subcommand.
#[derive(Args)]
struct EstateArgs {
    /// An inventory snapshot to read instead of a live account; repeat to merge several.
    #[arg(long, value_name = "FILE")]
    snapshot: Vec<PathBuf>,
    /// Deadline for reading a live estate, in seconds. Every call also has its own timeouts;
    /// past this deadline the estate still unread is reported as not evaluated (exit 3).
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// The longest one API call may take, retries included; a call that takes longer is
    /// reported as timed out and its checks as not evaluated.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    call_timeout: u64,
    /// A source range broader than this prefix length counts as the internet (security groups,
    /// NACLs, Cloud SQL authorized networks, Azure SQL firewalls, `aws:SourceIp` conditions).
    #[arg(long, global = true, value_name = "BITS", default_value_t = 8, value_parser = clap::value_parser!(u8).range(1..=32))]
    open_prefix: u8,
    /// Read only shard K of N (1-based): the accounts whose stable hash (SHA-256 of the ID)
    /// falls in slot K, so N jobs cover the estate exactly once. Merge their JSON results
    /// with `hipaa-scan merge --expect-shards N`.
    #[arg(long, global = true, value_name = "K/N", value_parser = |s: &str| s.parse::<hipaa_scan::shard::Shard>())]
    shard: Option<hipaa_scan::shard::Shard>,
    /// The same as `--shard`, from a 0-based index `I/N` (shard I+1 of N): pass a Kubernetes
    /// Indexed Job's index as `--job-index $(JOB_COMPLETION_INDEX)/N`.
    #[arg(long, global = true, value_name = "I/N", conflicts_with = "shard", value_parser = hipaa_scan::shard::Shard::from_job_index)]
    job_index: Option<hipaa_scan::shard::Shard>,
    #[command(subcommand)]
    live: Option<Live>,
}

impl EstateArgs {
    /// `--shard K/N`, or `--job-index I/N` as shard I+1 of N.
    fn shard(&self) -> Option<hipaa_scan::shard::Shard> {
        self.shard.or(self.job_index)
    }
}

#[derive(Subcommand)]
enum Live {
    /// Read a live AWS account with the standard credential chain (env, profile, SSO, IMDS).
    Aws(AwsArgs),
    /// Read live Google Cloud projects with Application Default Credentials.
    Gcp(GcpArgs),
    /// Read live Azure subscriptions (and Entra ID users) with azure_identity credentials.
    Azure(AzureArgs),
}

#[derive(Args)]
struct AzureArgs {
    /// Subscription ID to scan; repeatable. Default: every enabled subscription the credential sees.
    #[arg(long = "subscription", value_name = "ID")]
    subscriptions: Vec<String>,
    /// Use managed identity (IMDS) even when no managed-identity variable is set.
    #[arg(long)]
    managed_identity: bool,
    /// Resource Manager base URL (sovereign clouds, or a local test peer); https only.
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://management.azure.com"
    )]
    arm_endpoint: String,
    /// Microsoft Graph base URL; https only.
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://graph.microsoft.com"
    )]
    graph_endpoint: String,
    /// Retries per call, throttling included.
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=20))]
    max_retries: u32,
    /// Calls in flight per subscription and service.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=64))]
    concurrency: u64,
}

#[derive(Args)]
struct GcpArgs {
    /// Project ID to scan; repeatable. Default: every active project the credentials can see.
    #[arg(long = "project", value_name = "ID")]
    projects: Vec<String>,
    /// Scan every active project under this organization and its folders.
    #[arg(long, value_name = "ID", conflicts_with = "projects")]
    organization: Option<String>,
    /// Replace an API's base URL, e.g. `sqladmin=https://...`; repeatable. APIs: storage,
    /// sqladmin, cloudkms, cloudresourcemanager. Cloud Storage also honours STORAGE_EMULATOR_HOST.
    #[arg(long = "endpoint", value_name = "NAME=URL")]
    endpoints: Vec<String>,
    /// Attempts per call, throttling included.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=20))]
    max_attempts: u32,
    /// Projects read at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    concurrency: u64,
}

#[derive(Args)]
struct AwsArgs {
    /// Named profile from ~/.aws/config.
    #[arg(long, env = "AWS_PROFILE")]
    profile: Option<String>,
    /// Region to scan; repeatable. Default: every region enabled for the account.
    #[arg(long = "region", value_name = "REGION")]
    regions: Vec<String>,
    /// Send every call to this endpoint (an AWS-compatible service or a local test peer).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Attempts per call, throttling included (adaptive retry).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=20))]
    max_attempts: u32,
    /// Calls in flight per service.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..=256))]
    concurrency: u64,
    /// Scan every ACTIVE account of the AWS Organization (from the management or a delegated
    /// administrator account), each through the role given by --assume-role.
    #[arg(long, requires = "assume_role")]
    organization: bool,
    /// The role to assume in each member account: arn:<partition>:iam::<account>:role/NAME.
    #[arg(long, value_name = "NAME", requires = "organization")]
    assume_role: Option<String>,
    /// The external ID the member roles' trust policies require (sts:ExternalId).
    #[arg(
        long,
        value_name = "ID",
        requires = "organization",
        env = "HIPAA_SCAN_EXTERNAL_ID"
    )]
    external_id: Option<String>,
    /// Only these account IDs (comma-separated or repeated).
    #[arg(
        long,
        value_name = "ID,...",
        value_delimiter = ',',
        requires = "organization"
    )]
    accounts: Vec<String>,
    /// Leave these account IDs out (comma-separated or repeated).
    #[arg(
        long,
        value_name = "ID,...",
        value_delimiter = ',',
        requires = "organization"
    )]
    exclude_accounts: Vec<String>,
    /// Accounts read at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    account_concurrency: u64,
}

#[derive(Args)]
struct PolicyArgs {
    /// Extra policy folder; its policies add to or replace the built-in ones by id. Repeatable.
    #[arg(long, global = true, value_name = "DIR")]
    policies: Vec<PathBuf>,
    /// Config file: ePHI scope, fail-on, policy overrides and parameters.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
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
enum RedactLevel {
    Tags,
    Names,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct ScanArgs {
    #[command(flatten)]
    estate: EstateArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    #[command(flatten)]
    report: ReportArgs,
    /// Embed the inventory in the JSON result even when it was read from snapshots, so
    /// `hipaa-scan merge` can combine the result (live scans always embed it).
    #[arg(long, global = true)]
    embed_inventory: bool,
}

/// How a scan (or a merge) reports and gates.
#[derive(Args)]
struct ReportArgs {
    /// Format printed on stdout.
    #[arg(long, global = true, value_enum, default_value = "text")]
    format: Format,
    /// Also write FORMAT to PATH, e.g. `sarif=results.sarif`. Repeatable.
    #[arg(long, global = true, value_name = "FORMAT=PATH", value_parser = parse_output)]
    output: Vec<(Format, PathBuf)>,
    /// Fail (exit 1) on findings at or above this severity: critical, high, medium, low or none.
    /// Default: the config's `fail_on`, else high.
    #[arg(long, global = true, value_name = "SEVERITY", value_parser = |s: &str| s.parse::<FailOn>())]
    fail_on: Option<FailOn>,
    /// Colour the text summary.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// Waivers file (YAML): accepted findings with reason, owner and expiry.
    #[arg(long, global = true, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// A previous JSON result: marks each finding new or unchanged and lists resolved ones.
    #[arg(long, global = true, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Gate (exit 1) only on findings that are not in the baseline.
    #[arg(long, global = true, requires = "baseline")]
    fail_on_new: bool,
    /// The day waivers are judged against (YYYY-MM-DD); default today (UTC).
    #[arg(long, global = true, value_name = "DATE")]
    today: Option<chrono::NaiveDate>,
    /// What reports leave out besides secrets, tag values and sensitive properties (always):
    /// `tags` shows resource names; `names` also hides names taken from a tag (an EC2 `Name`
    /// tag), showing the native id instead.
    #[arg(long, global = true, value_enum, default_value = "tags")]
    redact: RedactLevel,
    /// Do not append the job summary to `$GITHUB_STEP_SUMMARY` even when it is set.
    #[arg(long, global = true)]
    no_step_summary: bool,
}

#[derive(Args)]
struct InventoryArgs {
    #[command(flatten)]
    estate: EstateArgs,
    /// Write the snapshot to PATH instead of stdout.
    #[arg(long, short, value_name = "PATH", global = true)]
    output: Option<PathBuf>,
}

#[derive(Subcommand)]
enum PoliciesCommand {
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
struct MapArgs {
    #[command(flatten)]
    source: SourceArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    /// `markdown` or `json`.
    #[arg(long, default_value = "markdown", value_parser = ["markdown", "json"])]
    format: String,
}

#[derive(Args)]
struct DocsArgs {
    /// Folder to write into.
    #[arg(long, default_value = "docs")]
    out: PathBuf,
    /// Do not write: fail (exit 2) when the files differ from what would be generated.
    #[arg(long)]
    check: bool,
}

fn parse_output(s: &str) -> Result<(Format, PathBuf), String> {
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

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_INPUT } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let lib = e.downcast_ref::<LibError>();
            let mut stderr = std::io::stderr().lock();
            match lib {
                Some(LibError::Input(errors)) => {
                    let _ = writeln!(
                        stderr,
                        "error: {}",
                        e.chain().next().map(|c| c.to_string()).unwrap_or_default()
                    );
                    for err in errors {
                        let _ = writeln!(stderr, "  {err}");
                    }
                }
                _ => {
                    let _ = writeln!(stderr, "error: {e:#}");
                }
            }
            ExitCode::from(EXIT_INPUT)
        }
    }
}

/// Wraps a library error so the CLI can print every input problem on its own line.
fn input<T>(r: hipaa_scan::error::Result<T>, what: &str) -> Result<T> {
    r.map_err(|e| match e {
        LibError::Input(_) => anyhow::Error::new(e).context(what.to_string()),
        other => anyhow::Error::new(other),
    })
}

fn load_inventory(paths: &[PathBuf]) -> Result<Inventory> {
    let mut all = Vec::new();
    for p in paths {
        all.push(input(
            load_snapshot(p),
            &format!("invalid snapshot {}", p.display()),
        )?);
    }
    merge(all).context("no snapshot given")
}

fn describe(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    format!("snapshot {}", names.join(", "))
}

/// Reads the estate: the snapshots, or the live provider. Returns it with a label for reports.
fn load_estate(estate: &EstateArgs) -> Result<(Inventory, String)> {
    hipaa_scan::net::set_max_prefix(estate.open_prefix);
    if let (Some(shard), None) = (estate.shard(), &estate.live) {
        return Err(input_error(
            "--shard",
            format!("--shard {shard} splits a live estate; snapshots are merged whole"),
        ));
    }
    match (&estate.live, estate.snapshot.is_empty()) {
        (Some(_), false) => {
            bail!("give either --snapshot or a provider (aws, gcp, azure), not both")
        }
        (None, true) => bail!("give --snapshot FILE or a provider, e.g. `hipaa-scan scan aws`"),
        (None, false) => Ok((
            load_inventory(&estate.snapshot)?,
            describe(&estate.snapshot),
        )),
        (Some(Live::Aws(a)), true) => {
            let opts = hipaa_scan::aws::AwsOptions {
                profile: a.profile.clone(),
                regions: a.regions.clone(),
                endpoint_url: a.endpoint_url.clone(),
                max_attempts: a.max_attempts,
                concurrency: a.concurrency as usize,
                call_timeout: std::time::Duration::from_secs(estate.call_timeout),
                organization: a.organization.then(|| hipaa_scan::aws::Organization {
                    role_name: a.assume_role.clone().unwrap_or_default(),
                    external_id: a.external_id.clone().filter(|id| !id.is_empty()),
                    accounts: a.accounts.iter().map(|s| s.trim().to_string()).collect(),
                    exclude_accounts: a
                        .exclude_accounts
                        .iter()
                        .map(|s| s.trim().to_string())
                        .collect(),
                    account_concurrency: a.account_concurrency as usize,
                    session_name: None,
                }),
                shard: estate.shard(),
            };
            let overrides: Vec<String> = a
                .endpoint_url
                .iter()
                .map(|u| format!("--endpoint-url {u}"))
                .collect();
            live(
                Provider::Aws,
                "cannot scan AWS",
                estate.timeout,
                &overrides,
                hipaa_scan::aws::collect(&opts),
            )
        }
        (Some(Live::Gcp(g)), true) => {
            let endpoints = hipaa_scan::gcp::Endpoints::parse(&g.endpoints)
                .map_err(|e| input_error("gcp", e.to_string()))?;
            let opts = hipaa_scan::gcp::GcpOptions {
                projects: g.projects.clone(),
                organization: g.organization.clone(),
                endpoints,
                max_attempts: g.max_attempts,
                concurrency: g.concurrency as usize,
                call_timeout: std::time::Duration::from_secs(estate.call_timeout),
                shard: estate.shard(),
            };
            let mut overrides: Vec<String> = g
                .endpoints
                .iter()
                .map(|e| format!("--endpoint {e}"))
                .collect();
            if let Some(host) = std::env::var("STORAGE_EMULATOR_HOST")
                .ok()
                .filter(|h| !h.trim().is_empty())
            {
                overrides.push(format!("STORAGE_EMULATOR_HOST={host}"));
            }
            live(
                Provider::Gcp,
                "cannot scan Google Cloud",
                estate.timeout,
                &overrides,
                hipaa_scan::gcp::collect(&opts),
            )
        }
        (Some(Live::Azure(a)), true) => {
            let opts = hipaa_scan::azure::AzureOptions {
                subscriptions: a.subscriptions.clone(),
                arm_endpoint: Some(a.arm_endpoint.clone()),
                graph_endpoint: Some(a.graph_endpoint.clone()),
                managed_identity: a.managed_identity,
                max_retries: a.max_retries,
                concurrency: a.concurrency as usize,
                call_timeout: std::time::Duration::from_secs(estate.call_timeout),
                shard: estate.shard(),
            };
            let mut overrides = Vec::new();
            if a.arm_endpoint != "https://management.azure.com" {
                overrides.push(format!("--arm-endpoint {}", a.arm_endpoint));
            }
            if a.graph_endpoint != "https://graph.microsoft.com" {
                overrides.push(format!("--graph-endpoint {}", a.graph_endpoint));
            }
            if let Ok(host) = std::env::var("AZURE_AUTHORITY_HOST") {
                overrides.push(format!("AZURE_AUTHORITY_HOST={host}"));
            }
            live(
                Provider::Azure,
                "cannot scan Azure",
                estate.timeout,
                &overrides,
                hipaa_scan::azure::collect(&opts),
            )
        }
    }
}

fn input_error(source: &str, message: String) -> anyhow::Error {
    anyhow::Error::new(LibError::Input(vec![hipaa_scan::error::InputError::new(
        source, message,
    )]))
}

/// Runs a live adapter to completion; a failure to start (no credentials, bad endpoint) is an
/// input error (exit 2). Past `timeout_secs`, the estate is one gap over every kind of the
/// provider: every check is not evaluated (exit 3), and every output is still written. The
/// endpoint overrides in effect are named in the inventory's source, which every report shows.
fn live<E: std::fmt::Display>(
    provider: Provider,
    context: &'static str,
    timeout_secs: u64,
    overrides: &[String],
    fut: impl std::future::Future<Output = std::result::Result<Inventory, E>>,
) -> Result<(Inventory, String)> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let deadline = std::time::Duration::from_secs(timeout_secs);
    let done = runtime.block_on(async { tokio::time::timeout(deadline, fut).await });
    // Calls still in flight are abandoned, not waited for.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    let inv = match done {
        Ok(read) => {
            read.map_err(|e| input_error(provider.as_str(), e.to_string()).context(context))?
        }
        Err(_) => {
            let mut inv = Inventory::new(
                chrono::Utc::now(),
                format!("{provider} (live, deadline passed)"),
            );
            inv.gaps.push(hipaa_scan::model::Gap {
                provider,
                account: "*".into(),
                region: None,
                kinds: vec![format!("{provider}.*")],
                reason: format!(
                    "the scan deadline of {timeout_secs} s (--timeout) passed before the estate was read"
                ),
            });
            inv
        }
    };
    let mut inv = inv;
    if !overrides.is_empty() {
        inv.source = format!(
            "{} [endpoint overrides: {}]",
            inv.source,
            overrides.join(", ")
        );
    }
    let label = inv.source.clone();
    Ok((inv, label))
}

fn print_stdout(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Merge(args) => merge_results(args),
        Command::Inventory(args) => {
            let (inv, _) = load_estate(&args.estate)?;
            let mut text = serde_json::to_string_pretty(&inv)?;
            text.push('\n');
            match args.output {
                Some(path) => write_atomic(&path, &text)?,
                None => print_stdout(&text)?,
            }
            Ok(0)
        }
        Command::Policies(cmd) => policies(cmd),
        Command::Map(args) => {
            let setup = input(
                Setup::load(&args.policy.policies, args.policy.config.as_deref()),
                "invalid policies or config",
            )?;
            let outcome = Outcome::run(&setup, load_inventory(&args.source.snapshot)?);
            let text = if args.format == "json" {
                report::map::render_json(&outcome.map)
            } else {
                report::map::render_markdown(&outcome.map)
            };
            print_stdout(&text)?;
            Ok(0)
        }
        Command::Docs(args) => docs(&args.out, args.check),
        Command::Baseline(BaselineCommand::Accept {
            result,
            output,
            note,
        }) => {
            let name = result.display().to_string();
            let text = std::fs::read_to_string(&result)
                .with_context(|| format!("cannot read {name}"))
                .map_err(|e| input_error(&name, format!("{e:#}")))?;
            input(
                hipaa_scan::error::require_content(&text, &name, "a JSON result"),
                "invalid result",
            )?;
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let doc = input(
                hipaa_scan::baseline::accept(&text, &name, &note, &now),
                "invalid result",
            )?;
            write_atomic(&output, &doc)?;
            Ok(0)
        }
    }
}

fn scan(args: ScanArgs) -> Result<u8> {
    let setup = input(
        Setup::load(&args.policy.policies, args.policy.config.as_deref()),
        "invalid policies or config",
    )?;
    let (inventory, source) = load_estate(&args.estate)?;
    let embed = args.embed_inventory || args.estate.live.is_some();
    report_and_gate(
        &args.report,
        &setup,
        inventory,
        source,
        embed.then_some(args.estate.shard()),
    )
}

fn merge_results(args: MergeArgs) -> Result<u8> {
    let setup = input(
        Setup::load(&args.policy.policies, args.policy.config.as_deref()),
        "invalid policies or config",
    )?;
    let mut texts = Vec::new();
    for path in &args.results {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {name}"))
            .map_err(|e| input_error(&name, format!("{e:#}")))?;
        texts.push((name, text));
    }
    let digest = hipaa_scan::merge::policy_digest(&setup);
    let merged = input(
        hipaa_scan::merge::merge_results(&texts, &digest, args.expect_shards),
        "cannot merge the results",
    )?;
    drop(texts);
    if !merged.missing.is_empty() {
        let names: Vec<String> = merged.missing.iter().map(|s| s.to_string()).collect();
        eprintln!(
            "warning: no result for shard{} {}: the merged scan is incomplete",
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        );
    }
    let source = merged.inventory.source.clone();
    report_and_gate(&args.report, &setup, merged.inventory, source, Some(None))
}

/// Judges `inventory`, writes every report and returns the exit code. With `embed`, the JSON
/// result carries the policy digest, the shard (the inner option) and the inventory, for merge.
fn report_and_gate(
    args: &ReportArgs,
    setup: &Setup,
    inventory: Inventory,
    source: String,
    embed: Option<Option<hipaa_scan::shard::Shard>>,
) -> Result<u8> {
    let fail_on = args.fail_on.or(setup.config.fail_on).unwrap_or_default();
    let waivers = match &args.waivers {
        Some(path) => input(
            Waivers::load(path, &setup.policies),
            &format!("invalid waivers {}", path.display()),
        )?,
        None => Waivers::default(),
    };
    let baseline = match &args.baseline {
        Some(path) => Some(input(
            Baseline::load(path),
            &format!("invalid baseline {}", path.display()),
        )?),
        None => None,
    };
    if let (true, Some(path), Some(b)) = (args.fail_on_new, &args.baseline, &baseline) {
        // A baseline this run overwrites would swallow every finding after its first alert.
        let same = |p: &PathBuf| {
            p == path
                || matches!(
                    (std::fs::canonicalize(p), std::fs::canonicalize(path)),
                    (Ok(a), Ok(b)) if a == b
                )
        };
        if args.output.iter().any(|(_, p)| same(p)) {
            return Err(input_error(
                &path.display().to_string(),
                "--fail-on-new gates against this file, and this run writes its result over it: a finding would alert once and then pass as `unchanged`. Gate against an accepted baseline (`hipaa-scan baseline accept RESULT --output accepted.json`), and keep the last result apart (`--baseline last.json` without --fail-on-new reports drift)".into(),
            ));
        }
        if !b.accepted {
            eprintln!(
                "warning: --fail-on-new gates against {}, a previous result rather than an accepted baseline; findings in it pass as `unchanged` without review (see `hipaa-scan baseline accept`)",
                path.display()
            );
        }
    }
    let outcome = Outcome::run(setup, inventory);
    let info = embed
        .map(|shard| hipaa_scan::merge::ResultInfo::new(setup, shard, Some(&outcome.inventory)));
    let scan = outcome
        .scan(setup, fail_on, source)
        .with_redact(match args.redact {
            RedactLevel::Tags => report::Redact::Tags,
            RedactLevel::Names => report::Redact::Names,
        })
        .with_triage(Triage {
            waivers,
            today: args.today,
            baseline,
            fail_on_new: args.fail_on_new,
        });
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    };
    let render = |f: Format, color: bool, w: &mut dyn Write| -> std::io::Result<()> {
        let text = match f {
            Format::Json => return report::json::write_with(&scan, info.as_ref(), w),
            Format::Text => report::text::render(&scan, color),
            Format::Sarif => report::sarif::render(&scan),
            Format::Markdown => report::markdown::render(&scan),
            Format::Map => report::map::render_markdown(&outcome.map),
            Format::MapJson => report::map::render_json(&outcome.map),
            Format::Coverage => report::coverage::render_markdown(&scan),
            Format::CoverageJson => report::coverage::render_json(&scan),
            Format::GithubSummary => report::github::render_summary(&scan),
            Format::GithubOutputs => report::github::render_outputs(&scan),
        };
        w.write_all(text.as_bytes())
    };
    let paths: Vec<PathBuf> = args.output.iter().map(|(_, p)| p.clone()).collect();
    write_files_atomic(&paths, |i, w| render(args.output[i].0, false, w))?;
    {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        match render(args.format, color, &mut out).and_then(|_| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(e).context("cannot write to stdout")
            }
            _ => {}
        }
    }
    if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|_| !args.no_step_summary)
    {
        // GitHub owns this file and expects steps to append to it.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&summary)
            .with_context(|| {
                format!(
                    "cannot open $GITHUB_STEP_SUMMARY ({})",
                    Path::new(&summary).display()
                )
            })?;
        f.write_all(report::github::render_summary(&scan).as_bytes())
            .context("cannot write $GITHUB_STEP_SUMMARY")?;
    }
    if args.format != Format::Text {
        // Keep the verdict visible to a person even when stdout is a machine format.
        let gate = scan.gate();
        eprintln!("hipaa-scan: {} (exit {})", gate.as_str(), gate.exit_code());
    }
    Ok(scan.gate().exit_code())
}

fn policies(cmd: PoliciesCommand) -> Result<u8> {
    match cmd {
        PoliciesCommand::List { policy, format } => {
            let setup = input(
                Setup::load(&policy.policies, policy.config.as_deref()),
                "invalid policies or config",
            )?;
            let text = if format == "json" {
                let list: Vec<_> = setup
                    .policies
                    .policies
                    .iter()
                    .map(|p| {
                        serde_json::json!({
                            "id": p.id, "title": p.title, "severity": p.severity, "citations": p.citations,
                            "kinds": p.kinds, "scope": p.scope, "params": p.params, "origin": p.origin,
                        })
                    })
                    .collect();
                serde_json::to_string_pretty(&list)? + "\n"
            } else {
                setup
                    .policies
                    .policies
                    .iter()
                    .map(|p| {
                        format!(
                            "{:<40} {:<9} {:<28} {}\n",
                            p.id,
                            p.severity.as_str(),
                            p.citations.join(","),
                            p.title
                        )
                    })
                    .collect()
            };
            print_stdout(&text)?;
            Ok(0)
        }
        PoliciesCommand::Show { id, policy } => {
            let setup = input(
                Setup::load(&policy.policies, policy.config.as_deref()),
                "invalid policies or config",
            )?;
            let Some(p) = setup.policies.get(&id) else {
                bail!("no policy has the id `{id}` (see `hipaa-scan policies list`)");
            };
            let params: Vec<String> = p.params.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            let text = format!(
                "{}\n  {}\n\n{}\n\nseverity:    {}{}\ncitations:   {}\nkinds:       {}\nscope:       {:?}\nparams:      {}\ncondition:   {}\nremediation: {}\norigin:      {}\n",
                p.id,
                p.title,
                p.description,
                p.severity,
                p.in_scope_severity.map(|s| format!(" ({s} in ePHI scope)")).unwrap_or_default(),
                p.citations.join(", "),
                p.kinds.join(", "),
                p.scope,
                if params.is_empty() { "none".into() } else { params.join(", ") },
                p.condition.source.trim(),
                p.remediation,
                p.origin
            );
            print_stdout(&text)?;
            Ok(0)
        }
        PoliciesCommand::Validate { dir } => {
            let files = input(hipaa_scan::policy::load_dir(&dir), "cannot read policies")?;
            let set = input(
                hipaa_scan::policy::load_files(&[], &files, &Default::default(), "<none>"),
                &format!("invalid policies in {}", dir.display()),
            )?;
            print_stdout(&format!(
                "{} policies in {} files are valid\n",
                set.len(),
                files.len()
            ))?;
            Ok(0)
        }
    }
}

fn docs(out: &Path, check: bool) -> Result<u8> {
    let setup = input(Setup::load(&[], None), "invalid built-in policies")?;
    let files = [
        (
            "policies.md",
            hipaa_scan::docs::policies_markdown(&setup.policies),
        ),
        (
            "resource-kinds.md",
            hipaa_scan::docs::resource_kinds_markdown(),
        ),
    ];
    let mut stale = Vec::new();
    for (name, text) in &files {
        let path = out.join(name);
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(path.display().to_string());
            }
        } else {
            std::fs::create_dir_all(out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            write_atomic(&path, text)?;
        }
    }
    if !stale.is_empty() {
        eprintln!(
            "error: generated docs are stale: {} (run `hipaa-scan docs`)",
            stale.join(", ")
        );
        return Ok(EXIT_INPUT);
    }
    Ok(0)
}
