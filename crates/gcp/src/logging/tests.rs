//! Tests of the parent module.

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
    let quiet = threshold_policy("sql", "sql", 0.0).set_notification_channels(Vec::<String>::new());
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
