//! SARIF 2.1.0 for GitHub code scanning.
//!
//! GitHub rejects a whole upload over one bad location, so every result carries a relative,
//! scheme-less `artifactLocation.uri` (`aws/<account>/<region>/<service>/<name>`); the native
//! id goes into `logicalLocations[0].fullyQualifiedName` and `properties.resource`.
//! `partialFingerprints.primaryLocationLineHash` is derived from rule and native id, so an
//! alert neither collapses with another nor duplicates across runs.

use std::collections::BTreeMap;

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, ReportingDescriptorReference, Result as SarifResult, ResultKind,
    ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};
use sha2::{Digest, Sha256};

use crate::engine::{Outcome, Verdict};
use crate::policy::{Policy, Severity};
use crate::results::{Scan, TargetInfo};

pub(crate) const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low => ResultLevel::Note,
    }
}

fn level_name(s: Severity) -> &'static str {
    match level(s) {
        ResultLevel::Error => "error",
        ResultLevel::Warning => "warning",
        _ => "note",
    }
}

/// A stable fingerprint of (rule, native id).
pub fn fingerprint(rule: &str, native_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    h.update([0]);
    h.update(native_id.as_bytes());
    let digest = h.finalize();
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{hex}:1")
}

fn text(s: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s.into()).build()
}

fn message(s: impl Into<String>) -> Message {
    Message {
        text: Some(s.into()),
        ..Default::default()
    }
}

fn help_markdown(p: &Policy) -> String {
    let mut md = format!("**{}**\n\n{}\n\n", p.title, p.description);
    md.push_str(&format!(
        "**HIPAA Security Rule:** {}\n\n",
        p.citations
            .iter()
            .map(|c| format!("45 CFR {c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    md.push_str(&format!("**Remediation:** {}\n", p.remediation));
    if !p.params.is_empty() {
        md.push_str("\n**Parameters:** ");
        let ps: Vec<String> = p
            .params
            .iter()
            .map(|(k, v)| format!("`{k}` = `{v}`"))
            .collect();
        md.push_str(&ps.join(", "));
        md.push('\n');
    }
    for r in &p.references {
        md.push_str(&format!("\n- <{r}>"));
    }
    md
}

fn rule(p: &Policy) -> ReportingDescriptor {
    let mut tags = vec![
        "security".to_string(),
        "hipaa".to_string(),
        p.provider().to_string(),
    ];
    tags.extend(p.citations.iter().map(|c| format!("HIPAA-{c}")));
    let mut extra = BTreeMap::new();
    extra.insert(
        "security-severity".into(),
        json!(p.max_severity().security_severity()),
    );
    extra.insert("precision".into(), json!("high"));
    extra.insert(
        "problem.severity".into(),
        json!(level_name(p.max_severity())),
    );
    extra.insert("citations".into(), json!(p.citations));
    extra.insert("kinds".into(), json!(p.kinds));
    let help = MultiformatMessageString::builder()
        .text(format!(
            "{} HIPAA: {}. Remediation: {}",
            p.description,
            p.citations.join(", "),
            p.remediation
        ))
        .markdown(help_markdown(p))
        .build();
    ReportingDescriptor::builder()
        .id(p.id.clone())
        .name(pascal(&p.id))
        .short_description(text(p.title.clone()))
        .full_description(text(p.description.clone()))
        .help(help)
        .default_configuration(ReportingConfiguration {
            level: Some(json!(level_name(p.severity))),
            ..Default::default()
        })
        .properties(PropertyBag {
            tags: Some(tags),
            additional_properties: extra,
        })
        .build()
}

fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn location(t: &TargetInfo) -> Location {
    Location {
        physical_location: Some(PhysicalLocation {
            artifact_location: Some(ArtifactLocation {
                uri: Some(t.uri.clone()),
                ..Default::default()
            }),
            region: Some(Region {
                start_line: Some(1),
                ..Default::default()
            }),
            ..Default::default()
        }),
        logical_locations: Some(vec![LogicalLocation {
            fully_qualified_name: Some(t.id.clone()),
            name: Some(t.name.clone()),
            kind: Some(t.kind.clone()),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

fn result(scan: &Scan<'_>, v: &Verdict) -> SarifResult {
    let p = scan.policy(v);
    let t = scan.target(v.target);
    let sev = scan.severity(v);
    let evidence = scan.evidence_line(v);
    let msg = if evidence.is_empty() {
        format!("{}: {} `{}` does not comply.", p.title, t.kind, t.name)
    } else {
        format!(
            "{}: {} `{}` does not comply ({evidence}).",
            p.title, t.kind, t.name
        )
    };
    let mut props = BTreeMap::new();
    props.insert("resource".into(), json!(t.id));
    props.insert("kind".into(), json!(t.kind));
    props.insert("account".into(), json!(t.account));
    props.insert("region".into(), json!(t.region));
    props.insert("in-ephi-scope".into(), json!(t.in_scope));
    props.insert("severity".into(), json!(sev.as_str()));
    props.insert("evidence".into(), json!(scan.evidence(v)));
    if let Some((w, expired)) = scan.waiver(v) {
        props.insert(
            "waiver".into(),
            json!({"reason": w.reason, "owner": w.owner, "expires": w.expires.to_string(), "location": w.location, "status": if expired { "expired" } else { "active" }}),
        );
    }
    let mut result = SarifResult::builder()
        .rule_id(p.id.clone())
        .rule_index(v.policy as i64)
        .level(level(sev))
        .message(message(msg))
        .locations(vec![location(&t)])
        .partial_fingerprints(BTreeMap::from([(
            "primaryLocationLineHash".to_string(),
            fingerprint(&p.id, &t.id),
        )]))
        .properties(PropertyBag {
            tags: None,
            additional_properties: props,
        })
        .build();
    if let Some((w, false)) = scan.waiver(v) {
        result.suppressions = Some(vec![Suppression::builder()
            .kind(json!("external"))
            .status(json!("accepted"))
            .justification(format!(
                "{} (owner {}, expires {}, {})",
                w.reason, w.owner, w.expires, w.location
            ))
            .build()]);
    }
    result.baseline_state = scan.baseline_state(v).map(|s| json!(s.as_str()));
    result
}

/// A verdict where the policy does not apply: `kind: notApplicable`, level `none`.
fn not_applicable(scan: &Scan<'_>, v: &Verdict) -> SarifResult {
    let p = scan.policy(v);
    let t = scan.target(v.target);
    let mut props = BTreeMap::new();
    props.insert("resource".into(), json!(t.id));
    props.insert("kind".into(), json!(t.kind));
    props.insert("account".into(), json!(t.account));
    props.insert("region".into(), json!(t.region));
    SarifResult::builder()
        .rule_id(p.id.clone())
        .rule_index(v.policy as i64)
        .kind(ResultKind::NotApplicable)
        .level(ResultLevel::None)
        .message(message(format!(
            "{}: does not apply to {} `{}`.",
            p.title, t.kind, t.name
        )))
        .locations(vec![location(&t)])
        .partial_fingerprints(BTreeMap::from([(
            "primaryLocationLineHash".to_string(),
            fingerprint(&p.id, &t.id),
        )]))
        .properties(PropertyBag {
            tags: None,
            additional_properties: props,
        })
        .build()
}

/// GitHub code scanning accepts at most this many results in one run.
pub(crate) const MAX_RESULTS: usize = 25_000;
/// ... and a SARIF file of at most this many bytes once gzipped.
pub(crate) const MAX_GZIPPED_BYTES: usize = 10 * 1024 * 1024;

/// The SARIF log, within GitHub's limits: when the results do not fit, the least severe are
/// left out (findings are ranked by severity, not-applicable results come last), and the run
/// says how many and where to find them all.
pub fn render(scan: &Scan<'_>) -> String {
    let mut keep = usize::MAX;
    loop {
        let (text, _, kept) = render_at_most(scan, keep);
        if kept == 0 || gzipped_len(&text) <= MAX_GZIPPED_BYTES {
            return text;
        }
        keep = kept - (kept / 10).max(1);
    }
}

fn gzipped_len(text: &str) -> usize {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = gz.write_all(text.as_bytes());
    gz.finish().map_or(usize::MAX, |v| v.len())
}

/// Renders with at most `keep` results (and at most [`MAX_RESULTS`]); returns the text, the
/// number of results there were and the number kept.
fn render_at_most(scan: &Scan<'_>, keep: usize) -> (String, usize, usize) {
    let mut results: Vec<SarifResult> = scan
        .findings()
        .into_iter()
        .map(|v| result(scan, v))
        .chain(
            scan.not_applicable()
                .into_iter()
                .map(|v| not_applicable(scan, v)),
        )
        .collect();
    let total = results.len();
    let kept = total.min(MAX_RESULTS).min(keep);
    results.truncate(kept);
    let mut notifications: Vec<Notification> = scan
        .not_evaluated()
        .into_iter()
        .map(|v| {
            let p = scan.policy(v);
            let t = scan.target(v.target);
            let reason = match &v.outcome {
                Outcome::NotEvaluated(r) => r.to_string(),
                _ => String::new(),
            };
            Notification::builder()
                .level(json!("warning"))
                .message(message(format!(
                    "{} not evaluated on {}: {reason}",
                    p.id, t.uri
                )))
                .associated_rule(ReportingDescriptorReference {
                    id: Some(p.id.clone()),
                    index: Some(v.policy as i64),
                    ..Default::default()
                })
                .locations(vec![location(&t)])
                .build()
        })
        .collect();
    let complete = notifications.is_empty();
    if kept < total {
        notifications.push(
            Notification::builder()
                .level(json!("warning"))
                .message(message(format!(
                    "{} of {total} results left out, the least severe: GitHub code scanning accepts at most {MAX_RESULTS} results and {} MB gzipped per run. The JSON report has them all.",
                    total - kept,
                    MAX_GZIPPED_BYTES / (1024 * 1024)
                )))
                .build(),
        );
    }
    let mut run_props = BTreeMap::new();
    run_props.insert("results_total".into(), json!(total));
    run_props.insert("results_left_out".into(), json!(total - kept));
    run_props.insert("collected_at".into(), json!(scan.inventory.collected_at));
    run_props.insert("source".into(), json!(scan.source));
    run_props.insert("complete".into(), json!(complete));
    run_props.insert("fail_on".into(), json!(scan.fail_on.to_string()));
    let driver = ToolComponent::builder()
        .name("hipaa-scan")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(scan.policies.policies.iter().map(rule).collect::<Vec<_>>())
        .build();
    let mut invocation = Invocation::builder()
        .execution_successful(complete)
        .exit_code(i64::from(scan.gate().exit_code()))
        .build();
    invocation.tool_execution_notifications = (!notifications.is_empty()).then_some(notifications);
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .invocations(vec![invocation])
        .results(results)
        .properties(PropertyBag {
            tags: None,
            additional_properties: run_props,
        })
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut s = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    s.push('\n');
    (s, total, kept)
}
