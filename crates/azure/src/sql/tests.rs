//! Tests of the parent module.

use super::*;
use serde_json::json;

fn rule(name: &str, start: &str, end: &str) -> Rule {
    Rule {
        name: name.into(),
        start: start.into(),
        end: end.into(),
    }
}

/// (IPv4 rules, IPv6 rules, internet-open, allows Azure services); `None` is unknown.
#[test]
fn firewall_ranges_by_cidr_arithmetic() {
    type Row = (
        Result<Vec<Rule>, String>,
        Result<Vec<Rule>, String>,
        Option<bool>,
        Option<bool>,
    );
    let ok = |r: Vec<Rule>| -> Result<Vec<Rule>, String> { Ok(r) };
    let denied = || -> Result<Vec<Rule>, String> { Err("403".into()) };
    let rows: Vec<(&str, Row)> = vec![
        (
            "office only",
            (
                ok(vec![rule("office", "203.0.113.1", "203.0.113.30")]),
                ok(vec![]),
                Some(false),
                Some(false),
            ),
        ),
        (
            "everything",
            (
                ok(vec![rule("all", "0.0.0.0", "255.255.255.255")]),
                ok(vec![]),
                Some(true),
                Some(false),
            ),
        ),
        (
            "allow Azure services is not the internet",
            (
                ok(vec![rule("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0")]),
                ok(vec![]),
                Some(false),
                Some(true),
            ),
        ),
        (
            "two halves",
            (
                ok(vec![
                    rule("a", "0.0.0.0", "127.255.255.255"),
                    rule("b", "128.0.0.0", "255.255.255.255"),
                ]),
                ok(vec![]),
                Some(true),
                Some(false),
            ),
        ),
        (
            "a /7, aligned",
            (
                ok(vec![rule("wide", "10.0.0.0", "11.255.255.255")]),
                ok(vec![]),
                Some(true),
                Some(false),
            ),
        ),
        (
            "two /8s, not aligned to a /7",
            (
                ok(vec![rule("wide", "5.0.0.0", "6.255.255.255")]),
                ok(vec![]),
                Some(true),
                Some(false),
            ),
        ),
        (
            "one /8 is a known network",
            (
                ok(vec![rule("corp", "10.0.0.0", "10.255.255.255")]),
                ok(vec![]),
                Some(false),
                Some(false),
            ),
        ),
        (
            "256 /8s cover the internet",
            (
                ok((0..=255u8)
                    .map(|i| {
                        rule(
                            &format!("r{i}"),
                            &format!("{i}.0.0.0"),
                            &format!("{i}.255.255.255"),
                        )
                    })
                    .collect()),
                ok(vec![]),
                Some(true),
                Some(false),
            ),
        ),
        (
            "every IPv6 address",
            (
                ok(vec![]),
                ok(vec![rule(
                    "v6all",
                    "::",
                    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                )]),
                Some(true),
                Some(false),
            ),
        ),
        (
            "an IPv6 office",
            (
                ok(vec![]),
                ok(vec![rule("v6office", "2001:db8::", "2001:db8::ffff")]),
                Some(false),
                Some(false),
            ),
        ),
        (
            "unparseable",
            (
                ok(vec![rule("typo", "10.0.0.300", "10.0.0.301")]),
                ok(vec![]),
                None,
                None,
            ),
        ),
        (
            "unparseable beside an open rule",
            (
                ok(vec![
                    rule("typo", "x", "y"),
                    rule("all", "0.0.0.0", "255.255.255.255"),
                ]),
                ok(vec![]),
                Some(true),
                None,
            ),
        ),
        (
            "reversed range",
            (
                ok(vec![rule("back", "10.0.0.9", "10.0.0.1")]),
                ok(vec![]),
                None,
                None,
            ),
        ),
        (
            "IPv6 rules unreadable",
            (
                ok(vec![rule("office", "203.0.113.1", "203.0.113.30")]),
                denied(),
                None,
                Some(false),
            ),
        ),
        (
            "IPv6 rules unreadable, IPv4 open",
            (
                ok(vec![rule("all", "0.0.0.0", "255.255.255.255")]),
                denied(),
                Some(true),
                Some(false),
            ),
        ),
        ("IPv4 rules unreadable", (denied(), ok(vec![]), None, None)),
    ];
    for (what, (v4, v6, open, azure)) in rows {
        let fw = firewall(&v4, &v6);
        assert_eq!(
            fw.internet_open.as_ref().ok().map(|r| !r.is_empty()),
            open,
            "{what}: {fw:?}"
        );
        assert_eq!(
            fw.allows_azure_services.as_ref().ok().copied(),
            azure,
            "{what}: {fw:?}"
        );
    }
}

#[test]
fn open_rules_are_named() {
    let fw = firewall(
        &Ok(vec![
            rule("a", "0.0.0.0", "127.255.255.255"),
            rule("b", "128.0.0.0", "255.255.255.255"),
        ]),
        &Ok(vec![]),
    );
    let why = fw.internet_open.unwrap().join("; ");
    assert!(
        why.contains("rule `a` (0.0.0.0 to 127.255.255.255)"),
        "{why}"
    );
    let fw = firewall(
        &Ok((0..=255u8)
            .map(|i| {
                rule(
                    &format!("r{i}"),
                    &format!("{i}.0.0.0"),
                    &format!("{i}.255.255.255"),
                )
            })
            .collect()),
        &Ok(vec![]),
    );
    assert!(fw.internet_open.unwrap()[0].contains("together cover every address"));
    let fw = firewall(
        &Ok(vec![rule("typo", "10.0.0.300", "10.0.0.301")]),
        &Ok(vec![]),
    );
    assert!(fw
        .internet_open
        .unwrap_err()
        .contains("`10.0.0.300` is not an IPv4 address"));
}

/// (auditing settings, enabled, storage retention, monitor retention); `None` is unknown.
#[test]
fn auditing_retention_per_target() {
    type Row = (Value, Option<bool>, Option<Value>, Option<Value>);
    let rows: Vec<(&str, Row)> = vec![
        (
            "storage, 90 days",
            (
                json!({"state": "Enabled", "storageEndpoint": "https://a.blob.core.windows.net/", "retentionDays": 90, "isAzureMonitorTargetEnabled": false}),
                Some(true),
                Some(json!(90)),
                Some(Value::Null),
            ),
        ),
        (
            "storage, unlimited",
            (
                json!({"state": "Enabled", "storageEndpoint": "https://a.blob.core.windows.net/", "retentionDays": 0, "isAzureMonitorTargetEnabled": false}),
                Some(true),
                Some(json!(0)),
                Some(Value::Null),
            ),
        ),
        (
            "storage, retention absent",
            (
                json!({"state": "Enabled", "storageEndpoint": "https://a.blob.core.windows.net/", "isAzureMonitorTargetEnabled": false}),
                Some(true),
                None,
                Some(Value::Null),
            ),
        ),
        (
            "Log Analytics only: retentionDays 0 is not about it",
            (
                json!({"state": "Enabled", "storageEndpoint": "", "retentionDays": 0, "isAzureMonitorTargetEnabled": true}),
                Some(true),
                Some(Value::Null),
                None,
            ),
        ),
        (
            "both targets",
            (
                json!({"state": "Enabled", "storageEndpoint": "https://a.blob.core.windows.net/", "retentionDays": 30, "isAzureMonitorTargetEnabled": true}),
                Some(true),
                Some(json!(30)),
                None,
            ),
        ),
        (
            "off",
            (
                json!({"state": "Disabled", "retentionDays": 0, "isAzureMonitorTargetEnabled": false}),
                Some(false),
                Some(Value::Null),
                Some(Value::Null),
            ),
        ),
        (
            "state absent",
            (json!({"retentionDays": 0}), None, Some(Value::Null), None),
        ),
        (
            "state odd",
            (
                json!({"state": "Maybe", "isAzureMonitorTargetEnabled": false}),
                None,
                Some(Value::Null),
                Some(Value::Null),
            ),
        ),
    ];
    for (what, (props, enabled, storage, monitor)) in rows {
        let a = auditing(&props);
        assert_eq!(a.enabled.as_ref().ok().copied(), enabled, "{what}: {a:?}");
        assert_eq!(
            a.storage_retention_days.as_ref().ok().cloned(),
            storage,
            "{what}: {a:?}"
        );
        assert_eq!(
            a.monitor_retention_days.as_ref().ok().cloned(),
            monitor,
            "{what}: {a:?}"
        );
    }
}

#[test]
fn tls_admin_protector_and_alerts() {
    assert_eq!(
        minimal_tls(&json!({"minimalTlsVersion": "1.2"})).unwrap(),
        "1.2"
    );
    assert!(minimal_tls(&json!({})).is_err());
    let admin = |t: &str, login: &str| json!({"properties": {"administratorType": t, "login": login, "sid": "x"}});
    assert!(entra_admin(&[admin("ActiveDirectory", "dba-group")]));
    assert!(!entra_admin(&[admin("ActiveDirectory", "")]));
    assert!(!entra_admin(&[]));
    assert_eq!(
        key_type(&json!({"serverKeyType": "AzureKeyVault"})).unwrap(),
        "AzureKeyVault"
    );
    assert!(key_type(&json!({})).is_err());
    assert!(key_type(&json!({"serverKeyType": "Other"})).is_err());
    assert!(alert_policy(&json!({"state": "Enabled"})).unwrap());
    assert!(!alert_policy(&json!({"state": "Disabled"})).unwrap());
    assert!(alert_policy(&json!({"state": "New"})).is_err());
}

#[test]
fn vulnerability_assessment_express_or_classic() {
    let express =
        |state: &str| -> Result<Value, String> { Ok(json!({"properties": {"state": state}})) };
    let classic = |path: &str, recurring: bool| -> Result<Value, String> {
        Ok(
            json!({"properties": {"storageContainerPath": path, "recurringScans": {"isEnabled": recurring}}}),
        )
    };
    let denied = || -> Result<Value, String> { Err("403".into()) };
    assert_eq!(
        vulnerability_assessment(&express("Enabled"), &denied()),
        Ok(true)
    );
    assert_eq!(
        vulnerability_assessment(
            &express("Disabled"),
            &classic("https://a.blob.core.windows.net/va", true)
        ),
        Ok(true)
    );
    assert_eq!(
        vulnerability_assessment(
            &express("Disabled"),
            &classic("https://a.blob.core.windows.net/va", false)
        ),
        Ok(false),
        "a storage path without recurring scans scans nothing"
    );
    assert_eq!(
        vulnerability_assessment(&express("Disabled"), &classic("", true)),
        Ok(false)
    );
    assert!(vulnerability_assessment(&denied(), &classic("", false)).is_err());
    assert!(vulnerability_assessment(&express("Disabled"), &denied()).is_err());
}

#[test]
fn tde_and_public_access_need_a_known_value() {
    assert_eq!(tde_enabled(&json!({"state": "Enabled"})), Ok(true));
    assert_eq!(tde_enabled(&json!({"state": "Disabled"})), Ok(false));
    assert!(tde_enabled(&json!({})).is_err());
    assert!(tde_enabled(&json!({"state": "Pending"})).is_err());
    assert_eq!(
        public_network_access(&json!({"publicNetworkAccess": "Disabled"})).unwrap(),
        "Disabled"
    );
    assert!(public_network_access(&json!({})).is_err());
}

#[test]
fn backup_storage_redundancy_values() {
    let r = |v: Value| {
        redundancy(
            &json!({ "currentBackupStorageRedundancy": v }),
            "currentBackupStorageRedundancy",
        )
    };
    assert_eq!(r(json!("Geo")), Ok(Some("Geo".into())));
    assert_eq!(r(json!("geozone")), Ok(Some("GeoZone".into())));
    assert_eq!(r(json!("Local")), Ok(Some("Local".into())));
    assert_eq!(r(Value::Null), Ok(None));
    assert!(r(json!("RA-GRS")).is_err());
    assert!(r(json!(1)).is_err());
}
