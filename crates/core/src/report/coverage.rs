//! The coverage matrix: every standard and implementation specification of 164.308, 164.310 and
//! 164.312, required or addressable, and how this scan stands on it: assessed (the policies that
//! cite it, with their verdict counts), inherited or shared with the provider (from the 164.310
//! map of the services in use), or left to a manual attestation.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{json, Value};

use super::markdown_cell as cell;
use crate::baa::{InheritanceMap, Responsibility};
use crate::engine::Outcome;
use crate::hipaa::{Specification, SPECIFICATIONS, STANDARDS};
use crate::results::Scan;

/// Verdict counts of one policy.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    pass: usize,
    fail: usize,
    not_evaluated: usize,
    not_applicable: usize,
}

/// How one specification stands.
struct Row<'a> {
    spec: &'a Specification,
    /// Policies citing exactly this paragraph, with their counts.
    assessed: Vec<(&'a str, Counts)>,
    /// Policies citing the standard as a whole (they support every specification of it).
    supporting: Vec<&'a str>,
    /// For 164.310 rows: who carries it across the services in use.
    inherited: Option<Responsibility>,
}

impl Row<'_> {
    fn status(&self) -> &'static str {
        if !self.assessed.is_empty() {
            "assessed"
        } else {
            match self.inherited {
                Some(Responsibility::Inherited) => "inherited",
                Some(Responsibility::Shared) => {
                    "shared: provider part inherited, customer part attested"
                }
                Some(Responsibility::NotApplicable) => "not applicable to the services in use",
                _ => "manual attestation",
            }
        }
    }
}

/// Who carries a 164.310 row across every service in use: inherited only if every service
/// inherits it; shared if any service shares it; else the customer's.
fn carrier(map: &InheritanceMap, citation: &str) -> Option<Responsibility> {
    let mut seen = Vec::new();
    for s in &map.services {
        for row in &s.safeguards {
            if row.citation == citation {
                seen.push(row.responsibility);
            }
        }
    }
    if seen.is_empty() {
        return None;
    }
    let relevant: Vec<Responsibility> = seen
        .into_iter()
        .filter(|r| *r != Responsibility::NotApplicable)
        .collect();
    Some(if relevant.is_empty() {
        Responsibility::NotApplicable
    } else if relevant.iter().all(|r| *r == Responsibility::Inherited) {
        Responsibility::Inherited
    } else if relevant
        .iter()
        .any(|r| matches!(r, Responsibility::Customer | Responsibility::NotPermitted))
    {
        Responsibility::Customer
    } else {
        Responsibility::Shared
    })
}

fn rows<'a>(scan: &'a Scan<'_>, map: &InheritanceMap) -> Vec<Row<'a>> {
    let mut counts: BTreeMap<usize, Counts> = BTreeMap::new();
    for v in &scan.evaluation.verdicts {
        let c = counts.entry(v.policy as usize).or_default();
        match v.outcome {
            Outcome::Pass => c.pass += 1,
            Outcome::Fail => c.fail += 1,
            Outcome::NotEvaluated(_) => c.not_evaluated += 1,
            Outcome::NotApplicable => c.not_applicable += 1,
        }
    }
    SPECIFICATIONS
        .iter()
        .map(|spec| {
            let mut assessed = Vec::new();
            let mut supporting = Vec::new();
            for (i, p) in scan.policies.policies.iter().enumerate() {
                if p.citations.iter().any(|c| c == spec.citation) {
                    assessed.push((p.id.as_str(), counts.get(&i).copied().unwrap_or_default()));
                } else if spec.citation != spec.standard
                    && p.citations.iter().any(|c| c == spec.standard)
                {
                    supporting.push(p.id.as_str());
                }
            }
            let inherited = spec
                .citation
                .starts_with("164.310")
                .then(|| carrier(map, spec.citation))
                .flatten();
            Row {
                spec,
                assessed,
                supporting,
                inherited,
            }
        })
        .collect()
}

fn title_of(standard: &str) -> &'static str {
    STANDARDS
        .iter()
        .find(|s| s.citation == standard)
        .map_or("", |s| s.title)
}

/// The matrix as Markdown: one table, grouped by standard.
pub fn render_markdown(scan: &Scan<'_>) -> String {
    let map = scan.map;
    let mut o = String::new();
    let _ = writeln!(o, "# HIPAA Security Rule coverage\n");
    let _ = writeln!(
        o,
        "Every implementation specification of 45 CFR 164.308, 164.310 and 164.312 (R required, A addressable), and how this scan stands on it. *Manual attestation* means no automated check proves it: the organization's own records must.\n"
    );
    let _ = writeln!(
        o,
        "| Citation | Specification | R/A | Status | Policies (pass / fail / not evaluated / n/a) |\n|---|---|---|---|---|"
    );
    let mut current = "";
    for row in rows(scan, map) {
        if row.spec.standard != current {
            current = row.spec.standard;
            let _ = writeln!(
                o,
                "| **{}** | **{}** | | | |",
                current,
                cell(title_of(current))
            );
        }
        let mut policies: Vec<String> = row
            .assessed
            .iter()
            .map(|(id, c)| {
                format!(
                    "`{id}` ({} / {} / {} / {})",
                    c.pass, c.fail, c.not_evaluated, c.not_applicable
                )
            })
            .collect();
        if !row.supporting.is_empty() {
            policies.push(format!(
                "supporting the standard: {}",
                row.supporting
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            row.spec.citation,
            cell(row.spec.title),
            if row.spec.required { "R" } else { "A" },
            row.status(),
            policies.join("; ")
        );
    }
    o
}

/// The matrix as JSON.
pub fn render_json(scan: &Scan<'_>) -> String {
    let map = scan.map;
    let items: Vec<Value> = rows(scan, map)
        .iter()
        .map(|row| {
            json!({
                "citation": row.spec.citation,
                "title": row.spec.title,
                "standard": row.spec.standard,
                "standard_title": title_of(row.spec.standard),
                "required": row.spec.required,
                "status": row.status(),
                "policies": row.assessed.iter().map(|(id, c)| json!({
                    "id": id, "pass": c.pass, "fail": c.fail,
                    "not_evaluated": c.not_evaluated, "not_applicable": c.not_applicable,
                })).collect::<Vec<_>>(),
                "supporting_policies": row.supporting,
                "inherited": row.inherited.map(|r| r.as_str()),
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({
        "tool": {"name": "hipaa-scan", "version": env!("CARGO_PKG_VERSION")},
        "specifications": items,
    }))
    .unwrap_or_default();
    s.push('\n');
    s
}
