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
use hipaa_scan_core::collect::{resource, Found, Props};

mod alerts;
use alerts::*;

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

/// Whether a sink exports every entry: enabled, no filter, no active exclusion.
fn exports_everything(s: &LogSink) -> bool {
    !s.disabled && s.filter.trim().is_empty() && s.exclusions.iter().all(|e| e.disabled)
}

fn describe_sink(s: &LogSink, on: &str) -> String {
    let name = s.name.rsplit('/').next().unwrap_or(&s.name);
    format!("{name} -> {} (on {on})", s.destination)
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
mod tests;
