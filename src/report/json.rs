//! JSON results: every verdict (passes and not-evaluated included) with its evidence.

use serde_json::{json, Map, Value as Json};

use super::Scan;
use crate::engine::Outcome;

/// Version of the JSON results document; bumped on incompatible changes.
pub const RESULTS_VERSION: u32 = 1;

pub fn render(scan: &Scan<'_>) -> String {
    let c = scan.counts();
    let by_sev: Map<String, Json> = c
        .fail_by_severity
        .iter()
        .map(|(s, n)| (s.as_str().to_string(), json!(n)))
        .collect();
    let by_std: Map<String, Json> = c
        .fail_by_standard
        .iter()
        .map(|(s, n)| (s.to_string(), json!(n)))
        .collect();
    let verdicts: Vec<Json> = scan
        .sorted_verdicts()
        .into_iter()
        .map(|v| {
            let p = scan.policy(v);
            let t = scan.target(v.target);
            let mut o = json!({
                "policy": p.id,
                "title": p.title,
                "severity": scan.severity(v).as_str(),
                "citations": p.citations,
                "outcome": v.outcome.as_str(),
                "resource": {
                    "provider": t.provider,
                    "kind": t.kind,
                    "id": t.id,
                    "name": t.name,
                    "account": t.account,
                    "region": t.region,
                    "in_scope": t.in_scope,
                    "location": t.uri,
                },
                "evidence": scan.evidence(v),
            });
            if let Outcome::NotEvaluated(reason) = &v.outcome {
                o["reason"] = json!(reason.as_ref());
            }
            o
        })
        .collect();
    let doc = json!({
        "tool": {"name": "hipaa-scan", "version": env!("CARGO_PKG_VERSION")},
        "results_version": RESULTS_VERSION,
        "source": scan.source,
        "collected_at": scan.inventory.collected_at,
        "fail_on": scan.fail_on.to_string(),
        "gate": scan.gate().as_str(),
        "exit_code": scan.gate().exit_code(),
        "complete": scan.complete(),
        "summary": {
            "resources": scan.inventory.resources.len(),
            "resources_in_scope": scan.resources_in_scope(),
            "policies": scan.policies.len(),
            "pass": c.pass,
            "fail": c.fail,
            "not_evaluated": c.not_evaluated,
            "fail_at_or_above_fail_on": c.gating,
            "fail_by_severity": by_sev,
            "fail_by_standard": by_std,
        },
        "services_not_covered": scan.map.services.iter().filter(|s| !s.eligible).map(|s| json!({
            "provider": s.provider, "service": s.service, "name": s.name,
            "resources": s.resources, "resources_in_scope": s.resources_in_scope, "basis": s.basis,
        })).collect::<Vec<_>>(),
        "verdicts": verdicts,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
