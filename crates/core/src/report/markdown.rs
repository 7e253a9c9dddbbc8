//! A Markdown report for people: verdict, counts, findings, not-evaluated checks.

use std::fmt::Write;

use super::standard_title;
use crate::engine::Outcome;
use crate::policy::Severity;
use crate::results::{Gate, Scan};

use super::markdown_cell as cell;

pub fn render(scan: &Scan<'_>) -> String {
    let c = scan.counts();
    let gate = scan.gate();
    let mut o = String::new();
    let _ = writeln!(o, "# HIPAA Security Rule scan\n");
    let verdict = match gate {
        Gate::Passed => "**Passed**: no findings at or above".to_string(),
        Gate::Failed => format!("**Failed**: {} findings at or above", c.gating),
        Gate::Incomplete => {
            "**Incomplete**: no findings, but not every check ran, at or above".to_string()
        }
    };
    let _ = writeln!(
        o,
        "{verdict} `{}` (exit {}).\n",
        scan.fail_on,
        gate.exit_code()
    );
    let _ = writeln!(
        o,
        "Scanned {} (collected {}): {} resources, {} in ePHI scope ({}), {} policies. The scan was {}.\n",
        scan.source,
        scan.inventory.collected_at.format("%Y-%m-%d %H:%M UTC"),
        scan.inventory.resources.len(),
        scan.resources_in_scope(),
        scan.scope_rule(),
        scan.policies.len(),
        if scan.complete() { "complete" } else { "**incomplete**" }
    );
    let _ = writeln!(o, "| Outcome | Count |\n|---|---:|");
    let _ = writeln!(
        o,
        "| Fail | {} |\n| Pass | {} |\n| Not evaluated | {} |\n| Not applicable | {} |\n",
        c.fail, c.pass, c.not_evaluated, c.not_applicable
    );
    let _ = writeln!(o, "| Severity | Findings |\n|---|---:|");
    for s in Severity::ALL_DESC {
        let _ = writeln!(
            o,
            "| {} | {} |",
            s,
            c.fail_by_severity.get(&s).copied().unwrap_or(0)
        );
    }
    if !c.fail_by_standard.is_empty() {
        let _ = writeln!(
            o,
            "\n## Findings by safeguard\n\n| Standard | Title | Findings |\n|---|---|---:|"
        );
        for (std, n) in &c.fail_by_standard {
            let _ = writeln!(o, "| {std} | {} | {n} |", standard_title(std));
        }
    }
    let findings = scan.open_findings();
    if !findings.is_empty() {
        let _ = writeln!(o, "\n## Findings\n\n| Severity | Policy | Resource | Citations | Evidence |\n|---|---|---|---|---|");
        for v in findings {
            let p = scan.policy(v);
            let t = scan.target(v.target);
            let marks: String = scan.marks(v).iter().map(|m| format!(" ({m})")).collect();
            let _ = writeln!(
                o,
                "| {} | `{}` {} | `{}`{} | {} | {} |",
                scan.severity(v),
                p.id,
                cell(&p.title),
                cell(&t.uri),
                marks,
                p.citations.join(", "),
                cell(&scan.evidence_line(v))
            );
        }
    }
    let waived = scan.waived_findings();
    if !waived.is_empty() {
        let _ = writeln!(o, "\n## Waived findings\n\n| Policy | Resource | Reason | Owner | Expires |\n|---|---|---|---|---|");
        for v in waived {
            if let Some((w, _)) = scan.waiver(v) {
                let _ = writeln!(
                    o,
                    "| `{}` | `{}` | {} | {} | {} |",
                    scan.policy(v).id,
                    cell(&scan.target(v.target).uri),
                    cell(&w.reason),
                    cell(&w.owner),
                    w.expires
                );
            }
        }
    }
    let ne = scan.not_evaluated();
    if !ne.is_empty() {
        let _ = writeln!(o, "\n## Not evaluated\n\nThese checks could not run; they are not passes.\n\n| Policy | Resource | Reason |\n|---|---|---|");
        for v in ne {
            if let Outcome::NotEvaluated(reason) = &v.outcome {
                let _ = writeln!(
                    o,
                    "| `{}` | `{}` | {} |",
                    scan.policy(v).id,
                    cell(&scan.target(v.target).uri),
                    cell(reason)
                );
            }
        }
    }
    let not_covered: Vec<_> = scan.map.services.iter().filter(|s| !s.eligible).collect();
    if !not_covered.is_empty() {
        let _ = writeln!(o, "\n## Services not covered by a BAA\n\n| Service | Resources | In ePHI scope | Basis |\n|---|---:|---:|---|");
        for s in not_covered {
            let _ = writeln!(
                o,
                "| `{}/{}` {} | {} | {} | {} |",
                s.provider,
                s.service,
                cell(&s.name),
                s.resources,
                s.resources_in_scope,
                cell(&s.basis)
            );
        }
    }
    // The coverage matrix, one level down.
    let coverage = super::coverage::render_markdown(scan).replacen("# HIPAA", "## HIPAA", 1);
    let _ = writeln!(o, "\n{coverage}");
    o
}
