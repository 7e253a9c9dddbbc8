//! GitHub Actions: the job summary (Markdown under GitHub's 1 MiB limit) and step outputs.

use std::fmt::Write;

use super::standard_title;
use crate::engine::Outcome;
use crate::policy::Severity;
use crate::results::{Gate, Scan};

/// GitHub refuses a step summary over 1 MiB.
pub(crate) const SUMMARY_LIMIT: usize = 1024 * 1024;
/// Findings listed at most, for readability; the rest are counted.
pub(crate) const MAX_FINDING_ROWS: usize = 200;

use super::markdown_cell as cell;

/// Appends rows to `out` while they fit in `budget` bytes; returns how many were left out.
fn rows(
    out: &mut String,
    budget: usize,
    header: &str,
    rows: impl Iterator<Item = String>,
    cap: usize,
) -> (usize, usize) {
    let mut shown = 0;
    let mut cut_size = 0;
    let mut cut_cap = 0;
    let mut started = false;
    for row in rows {
        if shown >= cap {
            cut_cap += 1;
            continue;
        }
        let extra = if started { 0 } else { header.len() };
        if out.len() + extra + row.len() + 1 > budget {
            cut_size += 1;
            continue;
        }
        if !started {
            out.push_str(header);
            started = true;
        }
        out.push_str(&row);
        out.push('\n');
        shown += 1;
    }
    (cut_cap, cut_size)
}

/// The job summary.
pub fn render_summary(scan: &Scan<'_>) -> String {
    render_summary_within(scan, SUMMARY_LIMIT)
}

/// The job summary, kept under `limit` bytes.
pub(crate) fn render_summary_within(scan: &Scan<'_>, limit: usize) -> String {
    // Room for the note on what was cut, written last.
    let budget = limit.saturating_sub(2048);
    let c = scan.counts();
    let gate = scan.gate();
    let mut o = String::new();
    let icon = match gate {
        Gate::Passed => ":white_check_mark:",
        Gate::Failed => ":x:",
        Gate::Incomplete => ":warning:",
    };
    let verdict = match gate {
        Gate::Passed => format!(
            "passed: no {}findings at or above `{}`",
            if scan.triage().fail_on_new {
                "new "
            } else {
                ""
            },
            scan.fail_on
        ),
        Gate::Failed => format!(
            "failed: {} {}findings at or above `{}`",
            c.gating,
            if scan.triage().fail_on_new {
                "new "
            } else {
                ""
            },
            scan.fail_on
        ),
        Gate::Incomplete => format!(
            "incomplete: {} checks could not run (none of them counts as a pass)",
            c.not_evaluated
        ),
    };
    let _ = writeln!(o, "## {icon} HIPAA scan {verdict}\n");
    let _ = writeln!(
        o,
        "{} resources ({} in ePHI scope), {} policies: **{} fail**, {} pass, {} not evaluated; {} waived{}.\n",
        scan.inventory.resources.len(),
        scan.resources_in_scope(),
        scan.policies.len(),
        c.fail,
        c.pass,
        c.not_evaluated,
        c.waived,
        if scan.triage().baseline.is_some() { format!(", {} new since the baseline", c.new) } else { String::new() }
    );
    let sev: Vec<String> = Severity::ALL_DESC
        .iter()
        .map(|s| format!("{} {}", s, c.fail_by_severity.get(s).copied().unwrap_or(0)))
        .collect();
    let _ = writeln!(o, "Findings by severity: {}.\n", sev.join(" · "));
    if !c.fail_by_standard.is_empty() {
        let _ = writeln!(o, "| HIPAA standard | | Findings |\n|---|---|---:|");
        for (std, n) in &c.fail_by_standard {
            let _ = writeln!(o, "| {std} | {} | {n} |", standard_title(std));
        }
        o.push('\n');
    }

    let mut cuts: Vec<String> = Vec::new();
    let mut note = |what: &str, (cap, size): (usize, usize)| {
        if cap > 0 {
            cuts.push(format!("{cap} {what} beyond the first {MAX_FINDING_ROWS}"));
        }
        if size > 0 {
            cuts.push(format!(
                "{size} {what} to stay under GitHub's 1 MiB summary limit"
            ));
        }
    };

    let open = scan.open_findings();
    let r = rows(
        &mut o,
        budget,
        "### Findings\n\n| Severity | Policy | Resource | HIPAA |\n|---|---|---|---|\n",
        open.iter().map(|v| {
            let p = scan.policy(v);
            let t = scan.target(v.target);
            let marks: String = scan.marks(v).iter().map(|m| format!(" · {m}")).collect();
            format!(
                "| {} | `{}` | `{}`{} | {} |",
                scan.severity(v),
                p.id,
                cell(&t.uri),
                marks,
                p.citations.join(", ")
            )
        }),
        MAX_FINDING_ROWS,
    );
    note("findings", r);
    o.push('\n');

    let ne = scan.not_evaluated();
    let r = rows(
        &mut o,
        budget,
        "### Not evaluated\n\n| Policy | Resource | Reason |\n|---|---|---|\n",
        ne.iter().map(|v| {
            let reason = match &v.outcome {
                Outcome::NotEvaluated(r) => r.to_string(),
                _ => String::new(),
            };
            format!(
                "| `{}` | `{}` | {} |",
                scan.policy(v).id,
                cell(&scan.target(v.target).uri),
                cell(&reason)
            )
        }),
        usize::MAX,
    );
    note("not-evaluated checks", r);
    o.push('\n');

    let waived = scan.waived_findings();
    let r = rows(
        &mut o,
        budget,
        "### Waived findings\n\n| Policy | Resource | Reason | Owner | Expires |\n|---|---|---|---|---|\n",
        waived.iter().filter_map(|v| {
            let (w, _) = scan.waiver(v)?;
            Some(format!(
                "| `{}` | `{}` | {} | {} | {} |",
                scan.policy(v).id,
                cell(&scan.target(v.target).uri),
                cell(&w.reason),
                cell(&w.owner),
                w.expires
            ))
        }),
        usize::MAX,
    );
    note("waived findings", r);
    o.push('\n');

    let expired = scan.expired_waivers();
    let stale = scan.stale_waivers();
    let r = rows(
        &mut o,
        budget,
        "### Waivers to review\n\n| Waiver | Policy | Resource | Owner | Problem |\n|---|---|---|---|---|\n",
        expired
            .iter()
            .map(|w| (w, format!("expired {}", w.expires)))
            .chain(stale.iter().map(|w| (w, "matches no finding".to_string())))
            .map(|(w, problem)| format!("| {} | `{}` | `{}` | {} | {problem} |", w.location, w.policy, cell(&w.resource), cell(&w.owner))),
        usize::MAX,
    );
    note("waivers to review", r);
    o.push('\n');

    let not_covered: Vec<_> = scan.map.services.iter().filter(|s| !s.eligible).collect();
    let r = rows(
        &mut o,
        budget,
        "### Services not covered by a BAA\n\nNo physical safeguard is inherited for these services.\n\n| Service | Resources | In ePHI scope |\n|---|---:|---:|\n",
        not_covered
            .iter()
            .map(|s| format!("| `{}/{}` {} | {} | {} |", s.provider, s.service, cell(&s.name), s.resources, s.resources_in_scope)),
        usize::MAX,
    );
    note("services", r);
    o.push('\n');

    let resolved = scan.resolved();
    let r = rows(
        &mut o,
        budget,
        "### Baseline findings no longer reported\n\n| Policy | Resource | Status |\n|---|---|---|\n",
        resolved.iter().map(|r| format!("| `{}` | `{}` | {} |", r.policy, cell(&r.location), r.status.replace('_', " "))),
        usize::MAX,
    );
    note("resolved findings", r);

    if !cuts.is_empty() {
        let _ = writeln!(
            o,
            "\n> Cut from this summary: {}. The SARIF and JSON results have every verdict.",
            cuts.join("; ")
        );
    }
    o
}

/// `key=value` lines for `$GITHUB_OUTPUT`.
pub fn render_outputs(scan: &Scan<'_>) -> String {
    let c = scan.counts();
    let gate = scan.gate();
    format!(
        "findings={}\nfailed={}\nnot-evaluated={}\nwaived={}\nnew={}\ngate={}\nexit-code={}\n",
        c.fail - c.waived,
        c.gating,
        c.not_evaluated,
        c.waived,
        c.new,
        gate.as_str(),
        gate.exit_code()
    )
}
