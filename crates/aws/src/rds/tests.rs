//! Tests of the parent module.

use super::{events_record_access, pgaudit_logs_access, subscription_covers_instances};

#[test]
fn pgaudit_classes_after_exclusions() {
    assert!(pgaudit_logs_access(Some("read,write")));
    assert!(pgaudit_logs_access(Some("ALL")));
    assert!(pgaudit_logs_access(Some("all, -misc")));
    assert!(!pgaudit_logs_access(Some("ddl")), "schema changes only");
    assert!(!pgaudit_logs_access(Some("all,-read")), "reads excluded");
    assert!(!pgaudit_logs_access(Some("write")));
    assert!(!pgaudit_logs_access(Some("none")));
    assert!(!pgaudit_logs_access(None), "unset logs nothing");
}

#[test]
fn audit_events_need_connections_and_reads() {
    assert!(events_record_access("CONNECT,QUERY"));
    assert!(events_record_access("connect, query_dml, query_ddl"));
    assert!(
        !events_record_access("CONNECT,QUERY_DML_NO_SELECT"),
        "no reads"
    );
    assert!(!events_record_access("QUERY"), "no connections");
    assert!(!events_record_access(""), "Aurora's default: nothing");
    // The plugin's own default when the option setting is absent.
    assert!(super::plugin_records_access(None));
    assert!(!super::plugin_records_access(Some("CONNECT")));
}

#[test]
fn an_instance_subscription_must_take_every_instance_and_the_critical_events() {
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let critical = v(&["failure", "maintenance", "configuration change"]);
    assert!(subscription_covers_instances(
        true,
        Some("db-instance"),
        &[],
        &critical
    ));
    assert!(
        subscription_covers_instances(true, Some("db-instance"), &[], &[]),
        "all categories"
    );
    assert!(
        subscription_covers_instances(true, None, &[], &[]),
        "all sources"
    );
    assert!(
        !subscription_covers_instances(false, Some("db-instance"), &[], &critical),
        "disabled"
    );
    assert!(
        !subscription_covers_instances(true, Some("db-instance"), &v(&["db-1"]), &critical),
        "one instance"
    );
    assert!(!subscription_covers_instances(
        true,
        Some("db-cluster"),
        &[],
        &critical
    ));
    assert!(!subscription_covers_instances(
        true,
        Some("db-instance"),
        &[],
        &v(&["failure", "backup"])
    ));
}
