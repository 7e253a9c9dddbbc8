//! The terminal summary: counts by severity and by safeguard, then the findings.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::standard_title;
use crate::engine::Outcome;
use crate::policy::Severity;
use crate::results::{Gate, Scan};

struct Palette {
    on: bool,
}

impl Palette {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.on {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let color = match s {
            Severity::Critical => AnsiColor::Magenta,
            Severity::High => AnsiColor::Red,
            Severity::Medium => AnsiColor::Yellow,
            Severity::Low => AnsiColor::Blue,
        };
        let label = format!("{:<8}", s.as_str().to_uppercase());
        self.paint(Style::new().fg_color(Some(color.into())).bold(), &label)
    }

    fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }
}

/// Renders the summary; `color` adds ANSI styles (only when stdout is a terminal).
pub fn render(scan: &Scan<'_>, color: bool) -> String {
    let pal = Palette { on: color };
    let c = scan.counts();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        pal.bold(&format!(
            "hipaa-scan {}: {}",
            env!("CARGO_PKG_VERSION"),
            scan.source
        ))
    );
    let _ = writeln!(
        o,
        "Collected {}. {} resources ({} in ePHI scope: {}), {} policies, {} verdicts.",
        scan.inventory.collected_at.format("%Y-%m-%d %H:%M UTC"),
        scan.inventory.resources.len(),
        scan.resources_in_scope(),
        scan.scope_rule(),
        scan.policies.len(),
        scan.evaluation.verdicts.len()
    );
    let _ = writeln!(o);
    let sev_line: Vec<String> = Severity::ALL_DESC
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s.as_str(),
                c.fail_by_severity.get(s).copied().unwrap_or(0)
            )
        })
        .collect();
    let _ = writeln!(
        o,
        "  fail            {:>6}   ({})",
        c.fail,
        sev_line.join(", ")
    );
    let _ = writeln!(o, "  pass            {:>6}", c.pass);
    let _ = writeln!(o, "  not evaluated   {:>6}", c.not_evaluated);
    if c.not_applicable > 0 {
        let _ = writeln!(o, "  not applicable  {:>6}", c.not_applicable);
    }

    if !c.fail_by_standard.is_empty() {
        let _ = writeln!(o, "\n{}", pal.bold("Findings by HIPAA safeguard"));
        for (std, n) in &c.fail_by_standard {
            let _ = writeln!(o, "  {:<15} {:<45} {:>5}", std, standard_title(std), n);
        }
    }

    if c.waived > 0 || scan.triage().baseline.is_some() {
        let _ = writeln!(
            o,
            "  of the failures:  {} waived, {} new since the baseline",
            c.waived, c.new
        );
    }

    let findings = scan.open_findings();
    if !findings.is_empty() {
        let _ = writeln!(o, "\n{}", pal.bold("Findings"));
        for v in &findings {
            let p = scan.policy(v);
            let t = scan.target(v.target);
            let marks: String = scan.marks(v).iter().map(|m| format!(" [{m}]")).collect();
            let _ = writeln!(
                o,
                "  {} {}  {}{}",
                pal.severity(scan.severity(v)),
                p.id,
                t.uri,
                marks
            );
            let _ = writeln!(o, "           {} ({})", p.title, p.citations.join(", "));
            let evidence = scan.evidence_line(v);
            if !evidence.is_empty() {
                let _ = writeln!(o, "           {}", pal.dim(&evidence));
            }
        }
    }

    let waived = scan.waived_findings();
    if !waived.is_empty() {
        let _ = writeln!(o, "\n{}", pal.bold("Waived (accepted risks, not gating)"));
        for v in &waived {
            if let Some((w, _)) = scan.waiver(v) {
                let _ = writeln!(
                    o,
                    "  {}  {}: {} (owner {}, until {}, {})",
                    scan.policy(v).id,
                    scan.target(v.target).uri,
                    w.reason,
                    w.owner,
                    w.expires,
                    w.location
                );
            }
        }
    }
    for (title, list) in [
        (
            "Expired waivers (no longer suppress)",
            scan.expired_waivers(),
        ),
        ("Stale waivers (match no finding)", scan.stale_waivers()),
    ] {
        if !list.is_empty() {
            let _ = writeln!(o, "\n{}", pal.bold(title));
            for w in list {
                let _ = writeln!(
                    o,
                    "  {} {} ({}, owner {}, expires {})",
                    w.policy, w.resource, w.location, w.owner, w.expires
                );
            }
        }
    }
    let resolved = scan.resolved();
    if !resolved.is_empty() {
        let _ = writeln!(o, "\n{}", pal.bold("Baseline findings no longer reported"));
        for r in resolved {
            let _ = writeln!(
                o,
                "  {}  {}: {}",
                r.policy,
                r.location,
                r.status.replace('_', " ")
            );
        }
    }

    let ne = scan.not_evaluated();
    if !ne.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            pal.bold("Not evaluated (never counted as a pass)")
        );
        for v in &ne {
            if let Outcome::NotEvaluated(reason) = &v.outcome {
                let _ = writeln!(
                    o,
                    "  {}  {}: {}",
                    scan.policy(v).id,
                    scan.target(v.target).uri,
                    reason
                );
            }
        }
    }

    let not_covered: Vec<_> = scan.map.services.iter().filter(|s| !s.eligible).collect();
    if !not_covered.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            pal.bold("Services not covered by a BAA (nothing inherited)")
        );
        for s in not_covered {
            let _ = writeln!(
                o,
                "  {}/{} {}: {} resources, {} in ePHI scope",
                s.provider, s.service, s.name, s.resources, s.resources_in_scope
            );
        }
    }

    let _ = writeln!(o);
    let gate = scan.gate();
    let line = match gate {
        Gate::Passed => format!(
            "PASSED: no findings at or above {}; scan complete.",
            scan.fail_on
        ),
        Gate::Failed => format!(
            "FAILED: {} {}findings at or above {}{}.",
            c.gating,
            if scan.triage().fail_on_new {
                "new "
            } else {
                ""
            },
            scan.fail_on,
            if scan.complete() {
                ""
            } else {
                "; scan incomplete"
            }
        ),
        Gate::Incomplete => format!(
            "INCOMPLETE: no findings at or above {}, but {} checks were not evaluated.",
            scan.fail_on, c.not_evaluated
        ),
    };
    let style = match gate {
        Gate::Passed => Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
        Gate::Failed => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        Gate::Incomplete => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
    };
    let _ = writeln!(o, "{} (exit {})", pal.paint(style, &line), gate.exit_code());
    o
}
