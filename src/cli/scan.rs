//! `scan`, `merge` and `map`: judge an estate, write every report, return the gate's exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use hipaa_scan::baseline::Baseline;
use hipaa_scan::model::Inventory;
use hipaa_scan::output::write_files_atomic;
use hipaa_scan::report;
use hipaa_scan::results::{Redact, Triage};
use hipaa_scan::scan::{Outcome, Setup};
use hipaa_scan::waiver::Waivers;

use super::args::{ColorChoice, Format, MapArgs, MergeArgs, RedactLevel, ReportArgs, ScanArgs};
use super::estate::{load_estate, load_inventory};
use super::{input, input_error, load_setup, print_stdout};

/// `map`: the inheritance map of snapshots.
pub(crate) fn map(args: MapArgs) -> Result<u8> {
    let setup = load_setup(&args.policy)?;
    let outcome = Outcome::run(&setup, load_inventory(&args.source.snapshot)?);
    let text = if args.format == "json" {
        report::map::render_json(&outcome.map)
    } else {
        report::map::render_markdown(&outcome.map)
    };
    print_stdout(&text)?;
    Ok(0)
}

pub(crate) fn scan(args: ScanArgs) -> Result<u8> {
    let setup = load_setup(&args.policy)?;
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

pub(crate) fn merge_results(args: MergeArgs) -> Result<u8> {
    let setup = load_setup(&args.policy)?;
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
            RedactLevel::Tags => Redact::Tags,
            RedactLevel::Names => Redact::Names,
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
