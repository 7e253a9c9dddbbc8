//! Cloud Logging and Cloud Monitoring: where a project's log entries are exported (sinks, its own
//! and the aggregated sinks of its folders and organization), and which security events raise an
//! alert (CIS Google Cloud 2.4–2.11: a log-based metric with an alert policy, or a log-match
//! alert policy).
//!
//! An event class is alerted when every sample audit log entry of it is matched by the filter of
//! a metric or log-match condition that alerts, and that filter does not also match ordinary
//! reads (a catch-all is no alert). Filters are parsed and run (`logfilter`), not compared as
//! text; filters may split a class between them. A metric alerts when an enabled policy with
//! notification channels has a threshold condition on it (`metric.type="logging.googleapis.com/user/NAME"`)
//! that fires on one event (`> x` with x < 1, or `>= x` with x <= 1), and no other condition must
//! hold with it (combiner `AND`). A policy whose `enabled` is left out is unknown (the API says
//! not to assume); bucket-scoped metrics do not count (Admin Activity logs go to `_Required`, not
//! to a bucket a metric can be scoped to).

use std::collections::HashMap;

use google_cloud_logging_v2::model::{LogMetric, LogSink};
use google_cloud_monitoring_v3::model::alert_policy::condition::Condition as Kind;
use google_cloud_monitoring_v3::model::alert_policy::ConditionCombinerType;
use google_cloud_monitoring_v3::model::{AlertPolicy, ComparisonType};
use serde_json::{json, Value};

use super::logfilter::{self, Expr};
use super::project::{memo, Memo};
use super::Ctx;
use crate::collect::{resource, Found, Props};

pub(crate) const SETTINGS: &str = "gcp.logging.settings";

/// Sinks of folders and organizations, read once per scan.
#[derive(Default)]
pub(crate) struct Shared {
    ancestor_sinks: Memo<Result<Vec<String>, String>>,
}

/// One class of security events, with sample entries of it.
pub(crate) struct EventClass {
    pub property: &'static str,
    pub samples: fn() -> Vec<Value>,
}

fn audit(service: &str, method: &str, resource_type: &str, service_data: Value) -> Value {
    let mut proto = json!({
        "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
        "serviceName": service,
        "methodName": method,
        "resourceName": "projects/acme-prod",
        "authenticationInfo": {"principalEmail": "someone@example.com"},
        "requestMetadata": {"callerIp": "203.0.113.10"},
    });
    if !service_data.is_null() {
        proto["serviceData"] = service_data;
    }
    json!({
        "logName": "projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity",
        "resource": {"type": resource_type, "labels": {"project_id": "acme-prod"}},
        "severity": "NOTICE",
        "protoPayload": proto,
    })
}

fn owner_delta(action: &str) -> Value {
    json!({
        "@type": "type.googleapis.com/google.iam.v1.logging.AuditData",
        "policyDelta": {"bindingDeltas": [
            {"action": action, "role": "roles/owner", "member": "user:someone@example.com"}
        ]}
    })
}

fn each(service: &str, resource_type: &str, methods: &[&str]) -> Vec<Value> {
    methods
        .iter()
        .map(|m| audit(service, m, resource_type, Value::Null))
        .collect()
}

const CRM: &str = "cloudresourcemanager.googleapis.com";
const COMPUTE: &str = "compute.googleapis.com";

/// The event classes of CIS Google Cloud Foundations 2.4–2.11.
pub(crate) const CLASSES: &[EventClass] = &[
    EventClass {
        property: "project_ownership_changes",
        samples: || {
            vec![
                audit(CRM, "SetIamPolicy", "project", owner_delta("ADD")),
                audit(CRM, "SetIamPolicy", "project", owner_delta("REMOVE")),
            ]
        },
    },
    EventClass {
        property: "audit_config_changes",
        samples: || {
            vec![audit(
                CRM,
                "SetIamPolicy",
                "project",
                json!({"policyDelta": {"auditConfigDeltas": [
                    {"action": "REMOVE", "service": "allServices", "logType": "DATA_READ"}
                ]}}),
            )]
        },
    },
    EventClass {
        property: "custom_role_changes",
        samples: || {
            each(
                "iam.googleapis.com",
                "iam_role",
                &[
                    "google.iam.admin.v1.CreateRole",
                    "google.iam.admin.v1.DeleteRole",
                    "google.iam.admin.v1.UpdateRole",
                ],
            )
        },
    },
    EventClass {
        property: "firewall_changes",
        samples: || {
            each(
                COMPUTE,
                "gce_firewall_rule",
                &[
                    "v1.compute.firewalls.insert",
                    "v1.compute.firewalls.patch",
                    "v1.compute.firewalls.delete",
                ],
            )
        },
    },
    EventClass {
        property: "route_changes",
        samples: || {
            each(
                COMPUTE,
                "gce_route",
                &["v1.compute.routes.insert", "v1.compute.routes.delete"],
            )
        },
    },
    EventClass {
        property: "network_changes",
        samples: || {
            each(
                COMPUTE,
                "gce_network",
                &[
                    "v1.compute.networks.insert",
                    "v1.compute.networks.patch",
                    "v1.compute.networks.delete",
                    "v1.compute.networks.removePeering",
                    "v1.compute.networks.addPeering",
                ],
            )
        },
    },
    EventClass {
        property: "storage_iam_changes",
        samples: || {
            vec![audit(
                "storage.googleapis.com",
                "storage.setIamPermissions",
                "gcs_bucket",
                Value::Null,
            )]
        },
    },
    EventClass {
        property: "sql_config_changes",
        samples: || {
            vec![audit(
                "cloudsql.googleapis.com",
                "cloudsql.instances.update",
                "cloudsql_database",
                Value::Null,
            )]
        },
    },
];

/// Ordinary entries no security alert should fire on (a data read, a listing, an unrelated
/// change, an application log line): a filter that matches one is a catch-all.
fn ordinary() -> Vec<Value> {
    let mut read = audit(
        "storage.googleapis.com",
        "storage.objects.get",
        "gcs_bucket",
        Value::Null,
    );
    read["logName"] = json!("projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access");
    read["severity"] = json!("INFO");
    let mut list = audit(
        COMPUTE,
        "v1.compute.instances.list",
        "gce_instance",
        Value::Null,
    );
    list["logName"] = read["logName"].clone();
    list["severity"] = json!("INFO");
    // An unrelated change: alerting on every Admin Activity entry is no alert on the class.
    let create = audit(
        COMPUTE,
        "v1.compute.instances.insert",
        "gce_instance",
        Value::Null,
    );
    vec![
        read,
        list,
        create,
        json!({
            "logName": "projects/acme-prod/logs/stdout",
            "resource": {"type": "k8s_container", "labels": {"project_id": "acme-prod"}},
            "severity": "INFO",
            "textPayload": "GET /healthz 200",
        }),
    ]
}

/// A filter that can raise an alert: a log-based metric's or a log-match condition's.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// `metric NAME` or `alert policy NAME`, for evidence.
    pub what: String,
    /// The parsed filter (`None`: empty, matches everything), or why it could not be parsed.
    pub filter: Result<Option<Expr>, String>,
    /// Whether an alert with notification channels fires on one match, or why unknown.
    pub alerts: Result<bool, String>,
}

/// Whether the class is alerted by the candidates, or why that is unknown.
pub(crate) fn judge(class: &EventClass, candidates: &[Candidate]) -> Result<bool, String> {
    let samples = (class.samples)();
    let ordinary = ordinary();
    // Per candidate: (counts for sure, may count, per sample: surely matched, maybe matched).
    let mut sure = vec![false; samples.len()];
    let mut maybe = vec![false; samples.len()];
    let mut why: Option<String> = None;
    for c in candidates {
        let (expr, parse_why) = match &c.filter {
            Ok(Some(e)) => (Some(e), None),
            // An empty filter matches every entry: a catch-all.
            Ok(None) => continue,
            Err(e) => (
                None,
                Some(format!("{}: the filter could not be parsed ({e})", c.what)),
            ),
        };
        let catch_all: Option<bool> = match expr {
            Some(e) => {
                let hits: Vec<Option<bool>> =
                    ordinary.iter().map(|o| logfilter::matches(e, o)).collect();
                if hits.contains(&Some(true)) {
                    Some(true)
                } else if hits.contains(&None) {
                    None
                } else {
                    Some(false)
                }
            }
            None => None,
        };
        if catch_all == Some(true) || c.alerts == Ok(false) {
            continue;
        }
        let certain = catch_all == Some(false) && c.alerts == Ok(true);
        for (i, s) in samples.iter().enumerate() {
            let m = expr.and_then(|e| logfilter::matches(e, s));
            if certain && m == Some(true) {
                sure[i] = true;
            }
            if m != Some(false) {
                maybe[i] = true;
                if m.is_none() || !certain {
                    why.get_or_insert_with(|| {
                        parse_why
                            .clone()
                            .unwrap_or_else(|| match (&c.alerts, expr) {
                                (Err(w), _) => format!("{}: {w}", c.what),
                                (_, Some(e)) => format!(
                                    "{}: the filter uses {}, which the scanner does not run",
                                    c.what,
                                    logfilter::unsupported(e)
                                        .unwrap_or_else(|| "a construct".into())
                                ),
                                _ => format!("{}: its filter could not be judged", c.what),
                            })
                    });
                }
            }
        }
    }
    if sure.iter().all(|s| *s) {
        return Ok(true);
    }
    if !maybe.iter().all(|s| *s) {
        return Ok(false);
    }
    Err(why.unwrap_or_else(|| "the alerting filters could not be judged".into()))
}

/// Whether a sink exports every entry: enabled, no filter, no active exclusion.
fn exports_everything(s: &LogSink) -> bool {
    !s.disabled && s.filter.trim().is_empty() && s.exclusions.iter().all(|e| e.disabled)
}

fn describe_sink(s: &LogSink, on: &str) -> String {
    let name = s.name.rsplit('/').next().unwrap_or(&s.name);
    format!("{name} -> {} (on {on})", s.destination)
}

/// The metric names an alerting threshold filter names exactly, or `Err` when it names one some
/// other way (`starts_with`, `one_of`, ...).
fn metric_refs(filter: &str) -> Result<Vec<String>, ()> {
    let compact: String = filter.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    let mut rest = compact.as_str();
    while let Some(i) = rest.find("metric.type") {
        rest = &rest[i + "metric.type".len()..];
        let Some(v) = rest.strip_prefix("=\"") else {
            return Err(());
        };
        let Some(end) = v.find('"') else {
            return Err(());
        };
        out.push(v[..end].to_string());
        rest = &v[end..];
    }
    Ok(out)
}

/// Whether the policy as a whole notifies: enabled, with channels.
fn policy_notifies(p: &AlertPolicy) -> Result<bool, String> {
    if p.notification_channels.is_empty() {
        return Ok(false);
    }
    match p.enabled {
        Some(v) => Ok(v),
        None => Err(format!(
            "alert policy {} does not say whether it is enabled",
            p.display_name
        )),
    }
}

/// The candidates of a project: its log-based metrics with whether an alert fires on them, and
/// the log-match conditions of its alert policies.
pub(crate) fn candidates(metrics: &[LogMetric], policies: &[AlertPolicy]) -> Vec<Candidate> {
    let mut alerting: HashMap<String, Result<bool, String>> = HashMap::new();
    let mut out = Vec::new();
    for p in policies {
        let notifies = policy_notifies(p);
        let alone = p.conditions.len() <= 1
            || !matches!(
                p.combiner,
                ConditionCombinerType::And | ConditionCombinerType::AndWithMatchingResource
            );
        for c in &p.conditions {
            let fires = match &c.condition {
                Some(Kind::ConditionThreshold(t)) => {
                    let one = match t.comparison {
                        ComparisonType::ComparisonGt => t.threshold_value < 1.0,
                        ComparisonType::ComparisonGe => t.threshold_value <= 1.0,
                        _ => false,
                    };
                    let state = match (&notifies, one && alone) {
                        (_, false) => Ok(false),
                        (n, true) => n.clone(),
                    };
                    match metric_refs(&t.filter) {
                        Ok(refs) => refs.into_iter().map(|r| (r, state.clone())).collect(),
                        Err(()) => {
                            // Names a metric some other way: unknown for every user metric it
                            // may name.
                            let why = Err(format!(
                                "alert policy {} selects its metric with a filter the scanner does not read",
                                p.display_name
                            ));
                            metrics
                                .iter()
                                .filter(|m| t.filter.contains(&m.name))
                                .map(|m| (user_metric(&m.name), why.clone()))
                                .collect()
                        }
                    }
                }
                Some(Kind::ConditionMatchedLog(l)) => {
                    out.push(Candidate {
                        what: format!("alert policy {}", p.display_name),
                        filter: logfilter::parse(&l.filter),
                        alerts: if alone { notifies.clone() } else { Ok(false) },
                    });
                    Vec::new()
                }
                Some(Kind::ConditionMonitoringQueryLanguage(q)) => metrics
                    .iter()
                    .filter(|m| q.query.contains(&m.name))
                    .map(|m| {
                        (
                            user_metric(&m.name),
                            Err(format!(
                                "alert policy {} is written in MQL, which the scanner does not judge",
                                p.display_name
                            )),
                        )
                    })
                    .collect(),
                Some(Kind::ConditionPrometheusQueryLanguage(q)) => metrics
                    .iter()
                    .filter(|m| q.query.contains(&m.name))
                    .map(|m| {
                        (
                            user_metric(&m.name),
                            Err(format!(
                                "alert policy {} is written in PromQL, which the scanner does not judge",
                                p.display_name
                            )),
                        )
                    })
                    .collect(),
                // Absence, SQL and unknown conditions do not fire on an event.
                _ => Vec::new(),
            };
            for (metric, state) in fires {
                let slot = alerting.entry(metric).or_insert(Ok(false));
                *slot = match (&*slot, state) {
                    (Ok(true), _) | (_, Ok(true)) => Ok(true),
                    (Err(w), _) => Err(w.clone()),
                    (_, Err(w)) => Err(w),
                    _ => Ok(false),
                };
            }
        }
    }
    for m in metrics {
        if m.disabled || !m.bucket_name.is_empty() {
            continue;
        }
        out.push(Candidate {
            what: format!("metric {}", m.name),
            filter: logfilter::parse(&m.filter),
            alerts: alerting
                .get(&user_metric(&m.name))
                .cloned()
                .unwrap_or(Ok(false)),
        });
    }
    out
}

fn user_metric(name: &str) -> String {
    format!("logging.googleapis.com/user/{name}")
}

/// Reads the project's sinks (and its ancestors'), metrics and alert policies.
pub(crate) async fn collect(
    ctx: &Ctx,
    project: &str,
    ancestors: Result<Vec<String>, String>,
) -> Found {
    let c = &ctx.clients;
    let mut p = Props::default();

    // Sinks.
    let own = list_all!(
        c.sinks
            .list_sinks()
            .set_parent(format!("projects/{project}")),
        sinks,
        "logging.sinks.list"
    )
    .map(|sinks| {
        sinks
            .iter()
            .filter(|s| exports_everything(s))
            .map(|s| describe_sink(s, "the project"))
            .collect::<Vec<_>>()
    });
    let mut found = Vec::new();
    let mut unread = None;
    let own_err = own.as_ref().err().cloned();
    match own {
        Ok(v) => found.extend(v),
        Err(why) => unread = Some(why),
    }
    match ancestors {
        Ok(chain) => {
            for a in chain {
                let got = memo(&ctx.logging.ancestor_sinks, &a, || async {
                    list_all!(
                        c.sinks.list_sinks().set_parent(a.clone()),
                        sinks,
                        "logging.sinks.list"
                    )
                    .map(|sinks| {
                        sinks
                            .iter()
                            // Only aggregated sinks take the entries of the projects below.
                            .filter(|s| s.include_children && exports_everything(s))
                            .map(|s| describe_sink(s, &a))
                            .collect::<Vec<_>>()
                    })
                })
                .await;
                match got {
                    Ok(v) => found.extend(v),
                    Err(why) => {
                        unread.get_or_insert(format!("{a}: {why}"));
                    }
                }
            }
        }
        Err(why) => {
            unread.get_or_insert(format!("the project's ancestors: {why}"));
        }
    }
    found.sort();
    match unread {
        Some(why) if found.is_empty() => p.unknown("full_export_sinks", why),
        _ => p.set("full_export_sinks", found),
    }

    // Metrics and alerts.
    let metrics = list_all!(
        c.metrics
            .list_log_metrics()
            .set_parent(format!("projects/{project}")),
        metrics,
        "logging.logMetrics.list"
    );
    let policies = list_all!(
        c.alerts
            .list_alert_policies()
            .set_name(format!("projects/{project}")),
        alert_policies,
        "monitoring.alertPolicies.list"
    );
    match (&metrics, &policies) {
        (Ok(metrics), Ok(policies)) => {
            let cands = candidates(metrics, policies);
            let mut alerted: Vec<String> = cands
                .iter()
                .filter(|c| c.alerts == Ok(true))
                .map(|c| c.what.clone())
                .collect();
            alerted.sort();
            p.set("alerting_filters", alerted);
            for class in CLASSES {
                match judge(class, &cands) {
                    Ok(v) => p.set(class.property, v),
                    Err(why) => p.unknown(class.property, why),
                }
            }
        }
        (Err(why), _) | (_, Err(why)) => {
            p.unknown("alerting_filters", why.clone());
            for class in CLASSES {
                p.unknown(class.property, why.clone());
            }
        }
    }
    ctx.progress.done(&format!("logging {project}"));
    let mut out = Found::default();
    // Nothing of the project's own could be read: the settings are a gap, not a resource.
    if let (Some(sinks), Err(m), Err(a)) = (&own_err, &metrics, &policies) {
        out.gap(project, None, &[SETTINGS], format!("{sinks}; {m}; {a}"));
        return out;
    }
    out.resources.push(p.into_resource(resource(
        SETTINGS,
        format!("//logging.googleapis.com/projects/{project}/settings"),
        project,
        "global",
        project.to_string(),
        Default::default(),
    )));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(name: &str, filter: &str) -> LogMetric {
        LogMetric::new().set_name(name).set_filter(filter)
    }

    fn threshold_policy(name: &str, metric: &str, gt: f64) -> AlertPolicy {
        use google_cloud_monitoring_v3::model::alert_policy::condition::MetricThreshold;
        use google_cloud_monitoring_v3::model::alert_policy::Condition;
        AlertPolicy::new()
            .set_display_name(name)
            .set_enabled(true)
            .set_notification_channels(["projects/p/notificationChannels/1"])
            .set_conditions([Condition::new().set_condition_threshold(
                MetricThreshold::new()
                    .set_filter(format!(
                        "resource.type = \"global\" AND metric.type = \"logging.googleapis.com/user/{metric}\""
                    ))
                    .set_comparison(ComparisonType::ComparisonGt)
                    .set_threshold_value(gt),
            )])
    }

    fn class(property: &str) -> &'static EventClass {
        CLASSES.iter().find(|c| c.property == property).unwrap()
    }

    #[test]
    fn cis_filters_with_alerts_cover_their_classes() {
        let metrics = vec![
            metric(
                "fw",
                r#"resource.type="gce_firewall_rule" AND (protoPayload.methodName:"compute.firewalls.patch" OR protoPayload.methodName:"compute.firewalls.insert" OR protoPayload.methodName:"compute.firewalls.delete")"#,
            ),
            metric(
                "owner",
                r#"(protoPayload.serviceName="cloudresourcemanager.googleapis.com") AND (ProjectOwnership OR projectOwnerInvitee) OR (protoPayload.serviceData.policyDelta.bindingDeltas.action="REMOVE" AND protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner") OR (protoPayload.serviceData.policyDelta.bindingDeltas.action="ADD" AND protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner")"#,
            ),
            // `=` where the method names carry a `v1.` prefix: never matches.
            metric(
                "routes",
                r#"resource.type="gce_route" AND (protoPayload.methodName="compute.routes.delete" OR protoPayload.methodName="compute.routes.insert")"#,
            ),
            // A catch-all: matches ordinary reads.
            metric(
                "all-sql",
                r#"resource.type="cloudsql_database" OR protoPayload.methodName:"get""#,
            ),
            // Without an alert.
            metric("net", r#"resource.type="gce_network""#),
            // Every Admin Activity entry: a catch-all.
            metric(
                "activity",
                r#"log_id("cloudaudit.googleapis.com/activity")"#,
            ),
        ];
        let policies = vec![
            threshold_policy("fw", "fw", 0.0),
            threshold_policy("owner", "owner", 0.0),
            threshold_policy("routes", "routes", 0.0),
            threshold_policy("sql", "all-sql", 0.0),
            threshold_policy("activity", "activity", 0.0),
        ];
        let cands = candidates(&metrics, &policies);
        assert_eq!(judge(class("firewall_changes"), &cands), Ok(true));
        assert_eq!(judge(class("project_ownership_changes"), &cands), Ok(true));
        assert_eq!(judge(class("route_changes"), &cands), Ok(false));
        assert_eq!(judge(class("sql_config_changes"), &cands), Ok(false));
        assert_eq!(judge(class("network_changes"), &cands), Ok(false));
        assert_eq!(judge(class("storage_iam_changes"), &cands), Ok(false));
    }

    #[test]
    fn thresholds_channels_combiners_and_unknowns() {
        let m = vec![metric(
            "sql",
            r#"protoPayload.methodName="cloudsql.instances.update""#,
        )];
        let sql = class("sql_config_changes");
        // Fires only past 5 events: no alert on one change.
        let high = threshold_policy("sql", "sql", 5.0);
        assert_eq!(judge(sql, &candidates(&m, &[high])), Ok(false));
        // No notification channel.
        let quiet =
            threshold_policy("sql", "sql", 0.0).set_notification_channels(Vec::<String>::new());
        assert_eq!(judge(sql, &candidates(&m, &[quiet])), Ok(false));
        // `enabled` left out: unknown.
        let mut unsure = threshold_policy("sql", "sql", 0.0);
        unsure.enabled = None;
        let why = judge(sql, &candidates(&m, &[unsure])).unwrap_err();
        assert!(why.contains("enabled"), "{why}");
        // A regular expression the scanner does not run.
        let re = vec![metric(
            "sql",
            r#"protoPayload.methodName=~"cloudsql\.instances\.(update|patch)""#,
        )];
        let why = judge(
            sql,
            &candidates(&re, &[threshold_policy("sql", "sql", 0.0)]),
        )
        .unwrap_err();
        assert!(why.contains("`=~`"), "{why}");
        // Split between two metrics.
        let split = vec![
            metric("a", r#"protoPayload.methodName:"routes.insert""#),
            metric("b", r#"protoPayload.methodName:"routes.delete""#),
        ];
        let alerts = vec![
            threshold_policy("a", "a", 0.0),
            threshold_policy("b", "b", 0.0),
        ];
        assert_eq!(
            judge(class("route_changes"), &candidates(&split, &alerts)),
            Ok(true)
        );
        // Disabled metric.
        let mut off = metric(
            "sql",
            r#"protoPayload.methodName="cloudsql.instances.update""#,
        );
        off.disabled = true;
        assert_eq!(
            judge(
                sql,
                &candidates(&[off], &[threshold_policy("sql", "sql", 0.0)])
            ),
            Ok(false)
        );
    }

    #[test]
    fn log_match_alerts_count_too() {
        use google_cloud_monitoring_v3::model::alert_policy::condition::LogMatch;
        use google_cloud_monitoring_v3::model::alert_policy::Condition;
        let p = AlertPolicy::new()
            .set_display_name("bucket iam")
            .set_enabled(true)
            .set_notification_channels(["projects/p/notificationChannels/1"])
            .set_conditions([Condition::new().set_condition_matched_log(
                LogMatch::new().set_filter(
                    r#"resource.type="gcs_bucket" AND protoPayload.methodName="storage.setIamPermissions""#,
                ),
            )]);
        assert_eq!(
            judge(class("storage_iam_changes"), &candidates(&[], &[p])),
            Ok(true)
        );
    }
}
