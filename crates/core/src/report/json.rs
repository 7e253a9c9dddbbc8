//! JSON results: every verdict (passes and not-evaluated included) with its evidence.
//! Streamed: an estate with millions of verdicts never sits in memory as one document.

use std::io::Write;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::{json, Map, Value as Json};

use crate::engine::{Outcome, Verdict};
use crate::results::{Scan, RESULTS_VERSION};

#[derive(Serialize)]
struct Document<'s, 'a> {
    tool: Json,
    results_version: u32,
    source: &'s str,
    collected_at: Json,
    fail_on: String,
    gate: &'static str,
    exit_code: u8,
    complete: bool,
    summary: Json,
    services_not_covered: Json,
    waivers: Json,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<Json>,
    /// Policy digest, shard and accounts, for `hipaa-scan merge`.
    #[serde(flatten)]
    merge: Option<&'s crate::merge::ResultInfo<'s>>,
    verdicts: Verdicts<'s, 'a>,
    /// The inventory the verdicts were computed from, for `hipaa-scan merge`.
    #[serde(skip_serializing_if = "Option::is_none")]
    inventory: Option<&'s crate::model::Inventory>,
}

struct Verdicts<'s, 'a>(&'s Scan<'a>);

impl Serialize for Verdicts<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let scan = self.0;
        let verdicts = scan.sorted_verdicts();
        let mut seq = serializer.serialize_seq(Some(verdicts.len()))?;
        for v in verdicts {
            seq.serialize_element(&Lazy(scan, v))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct VerdictDoc<'s> {
    policy: &'s str,
    title: &'s str,
    severity: &'static str,
    citations: &'s [String],
    outcome: &'static str,
    resource: ResourceDoc<'s>,
    evidence: Map<String, Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'s str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

#[derive(Serialize)]
struct ResourceDoc<'s> {
    provider: crate::model::Provider,
    kind: &'s str,
    id: &'s str,
    name: &'s str,
    account: &'s str,
    region: &'s str,
    in_scope: bool,
    location: &'s str,
}

struct Lazy<'s, 'a>(&'s Scan<'a>, &'s Verdict);

impl Serialize for Lazy<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (scan, v) = (self.0, self.1);
        let p = scan.policy(v);
        let t = scan.target(v.target);
        VerdictDoc {
            policy: &p.id,
            title: &p.title,
            severity: scan.severity(v).as_str(),
            citations: &p.citations,
            outcome: v.outcome.as_str(),
            resource: ResourceDoc {
                provider: t.provider,
                kind: &t.kind,
                id: &t.id,
                name: &t.name,
                account: &t.account,
                region: &t.region,
                in_scope: t.in_scope,
                location: &t.uri,
            },
            evidence: scan.evidence(v),
            reason: match &v.outcome {
                Outcome::NotEvaluated(r) => Some(r),
                _ => None,
            },
            waiver: scan
                .waiver(v)
                .map(|(w, expired)| waiver_json(w, Some(expired))),
            baseline: scan.baseline_state(v).map(|s| s.as_str()),
        }
        .serialize(serializer)
    }
}

fn waiver_json(w: &crate::waiver::Waiver, expired: Option<bool>) -> Json {
    let mut o = json!({
        "policy": w.policy, "resource": w.resource, "reason": w.reason, "owner": w.owner,
        "expires": w.expires.to_string(), "location": w.location,
    });
    if let Some(expired) = expired {
        o["status"] = json!(if expired { "expired" } else { "active" });
    }
    o
}

/// Writes the results document to `w`.
pub fn write(scan: &Scan<'_>, w: &mut dyn Write) -> std::io::Result<()> {
    write_with(scan, None, w)
}

/// Writes the results document to `w`, with what `hipaa-scan merge` needs when `merge` is given
/// (policy digest, shard, accounts and, when the info holds it, the inventory).
pub fn write_with(
    scan: &Scan<'_>,
    merge: Option<&crate::merge::ResultInfo<'_>>,
    w: &mut dyn Write,
) -> std::io::Result<()> {
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
    let gate = scan.gate();
    let doc = Document {
        tool: json!({"name": "hipaa-scan", "version": env!("CARGO_PKG_VERSION")}),
        results_version: RESULTS_VERSION,
        source: &scan.source,
        collected_at: json!(scan.inventory.collected_at),
        fail_on: scan.fail_on.to_string(),
        gate: gate.as_str(),
        exit_code: gate.exit_code(),
        complete: c.not_evaluated == 0,
        summary: json!({
            "resources": scan.inventory.resources.len(),
            "resources_in_scope": scan.resources_in_scope(),
            "scope_untagged": scan.untagged.as_str(),
            "policies": scan.policies.len(),
            "pass": c.pass,
            "fail": c.fail,
            "not_evaluated": c.not_evaluated,
            "not_applicable": c.not_applicable,
            "gating": c.gating,
            "waived": c.waived,
            "new": c.new,
            "fail_by_severity": by_sev,
            "fail_by_standard": by_std,
        }),
        services_not_covered: scan
            .map
            .services
            .iter()
            .filter(|s| !s.eligible)
            .map(|s| {
                json!({
                    "provider": s.provider, "service": s.service, "name": s.name,
                    "resources": s.resources, "resources_in_scope": s.resources_in_scope, "basis": s.basis,
                })
            })
            .collect(),
        waivers: json!({
            "expired": scan.expired_waivers().into_iter().map(|w| waiver_json(w, None)).collect::<Vec<_>>(),
            "stale": scan.stale_waivers().into_iter().map(|w| waiver_json(w, None)).collect::<Vec<_>>(),
        }),
        baseline: scan.triage().baseline.as_ref().map(|_| {
            json!({
                "fail_on_new": scan.triage().fail_on_new,
                "resolved": scan.resolved().iter().map(|r| json!({
                    "policy": r.policy, "resource": r.resource, "location": r.location, "status": r.status,
                })).collect::<Vec<_>>(),
            })
        }),
        merge,
        verdicts: Verdicts(scan),
        inventory: merge.and_then(|m| m.inventory),
    };
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut buf, &doc)?;
    buf.write_all(b"\n")?;
    buf.flush()
}

/// The results document as a string.
pub fn render(scan: &Scan<'_>) -> String {
    let mut out = Vec::new();
    let _ = write(scan, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
